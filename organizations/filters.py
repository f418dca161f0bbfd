"""Directory filters (django-filter): words, activity field, kind, area, forms open to, 50音 row."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ActivityField, Area, CollaborationForm, Department, Organization
from .selectors import GOJUON_INDEX, kana_row_q

KANA_CHOICES = [(row, f"{row}行") for row in GOJUON_INDEX]


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("キーワード"), method="filter_q")
    activity_field = django_filters.ModelChoiceFilter(
        label=_("活動分野"), field_name="activity_fields", queryset=ActivityField.objects.all(), empty_label=_("すべて")
    )
    kind = django_filters.ChoiceFilter(
        label=_("団体の種別"), choices=Organization.Kind.choices, empty_label=_("すべて")
    )
    area = django_filters.ModelChoiceFilter(label=_("活動地区"), queryset=Area.objects.all(), empty_label=_("すべて"))
    form = django_filters.ModelChoiceFilter(
        label=_("関心のある協働の形態"),
        field_name="open_forms",
        queryset=CollaborationForm.objects.all(),
        empty_label=_("すべて"),
    )
    kana = django_filters.ChoiceFilter(
        label=_("50音"), choices=KANA_CHOICES, method="filter_kana", widget=forms.HiddenInput
    )

    class Meta:
        model = Organization
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_kana(self, queryset, name, value):
        return queryset.filter(kana_row_q(value))


class DepartmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("キーワード"), method="filter_q")

    class Meta:
        model = Department
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
