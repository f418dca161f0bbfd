"""Directory filters (django-filter): words, activity field, kind, area, forms open to, 50音 row."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.search import search
from core.widgets import SharedChoices

from .models import Department, Organization, ProfileRevision
from .selectors import GOJUON_INDEX, activity_field_choices, kana_row_q, reference_choices

KANA_CHOICES = [(row, f"{row}行") for row in GOJUON_INDEX]


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("キーワード"), method="filter_q")
    activity_field = django_filters.ChoiceFilter(
        label=_("活動分野"), field_name="activity_fields", empty_label=_("すべて")
    )
    kind = django_filters.ChoiceFilter(
        label=_("団体の種別"), choices=Organization.Kind.choices, empty_label=_("すべて")
    )
    area = django_filters.ChoiceFilter(label=_("活動地区"), field_name="area", empty_label=_("すべて"))
    form = django_filters.ChoiceFilter(
        label=_("関心のある協働の形態"), field_name="open_forms", empty_label=_("すべて")
    )
    kana = django_filters.ChoiceFilter(
        label=_("50音"), choices=KANA_CHOICES, method="filter_kana", widget=forms.HiddenInput
    )

    class Meta:
        model = Organization
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The reference lists come from the shared cache (reference_choices): no query per list.
        choices = reference_choices()
        for name, key in (("activity_field", "field"), ("area", "area"), ("form", "form")):
            self.filters[name].extra["choices"] = SharedChoices(choices[key])

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


WAITING_CHOICES = [("7", _("7日以上")), ("14", _("14日以上")), ("30", _("30日以上"))]
QUEUE_SORTS = {
    "oldest": ("created_at", "id"),
    "newest": ("-created_at", "-id"),
    "name": ("organization__name_kana", "id"),
}


class ProfileQueueFilter(django_filters.FilterSet):
    """Filters of the coordinators' profile review queue: the kind of request, new or changed group,
    the group's activity field, how long it has waited, a Japanese search (core.search), the order."""

    q = django_filters.CharFilter(label=_("キーワード"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("申請の種類"), choices=ProfileRevision.Kind.choices, empty_label=_("すべて")
    )
    published = django_filters.ChoiceFilter(
        label=_("公開状況"),
        field_name="organization__is_published",
        choices=[("true", _("公開中（変更申請）")), ("false", _("未公開（新規）"))],
        empty_label=_("すべて"),
        method="filter_published",
    )
    field = django_filters.ChoiceFilter(
        label=_("活動分野"), field_name="organization__activity_fields", empty_label=_("すべて")
    )
    waiting = django_filters.ChoiceFilter(
        label=_("待ち日数"), choices=WAITING_CHOICES, empty_label=_("すべて"), method="filter_waiting"
    )
    sort = django_filters.ChoiceFilter(
        label=_("並び順"),
        choices=[("oldest", _("申請の古い順")), ("newest", _("申請の新しい順")), ("name", _("団体名の50音順"))],
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = ProfileRevision
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["field"].extra["choices"] = activity_field_choices()

    def filter_q(self, queryset, name, value):
        return search(queryset, value, column="organization__search_text")

    def filter_published(self, queryset, name, value):
        return queryset.filter(organization__is_published=value == "true")

    def filter_waiting(self, queryset, name, value):
        return queryset.filter(created_at__lte=timezone.now() - datetime.timedelta(days=int(value)))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*QUEUE_SORTS.get(value, QUEUE_SORTS["oldest"]))
