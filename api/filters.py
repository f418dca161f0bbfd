"""The API's filters: the same choices as the public pages, named by stable codes (activity field
number, collaboration form code, ids) and searched with the portal's Japanese search."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import ExchangeEvent
from listings.models import Listing
from organizations.filters import KANA_CHOICES
from organizations.models import ActivityField, Area, CollaborationForm, Department, Organization, Party
from organizations.selectors import kana_row_q
from projects.models import CaseStudy


def field_filter(field_name: str):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=ActivityField.objects.all(),
        to_field_name="number",
        label=_("活動分野の号（1〜20）"),
    )


def form_filter(field_name: str):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=CollaborationForm.objects.all(),
        to_field_name="code",
        label=_("協働の形態のコード"),
    )


def area_filter():
    return django_filters.ModelChoiceFilter(field_name="area", queryset=Area.objects.all(), label=_("地区の ID"))


class SearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("キーワード（空白区切りですべてを含む）"))

    def filter_q(self, queryset, name, value):
        return queryset.search(value)


class ListingFilter(SearchFilter):
    kind = django_filters.ChoiceFilter(choices=Listing.Kind.choices, label=_("種類（need / seed）"))
    side = django_filters.ChoiceFilter(
        field_name="owner__kind", choices=Party.Kind.choices, label=_("掲載者（organization / department）")
    )
    field = field_filter("activity_fields")
    form = form_filter("collaboration_forms")
    area = area_filter()
    department = django_filters.ModelChoiceFilter(
        field_name="owner__department", queryset=Department.objects.all(), label=_("担当課の ID")
    )
    open_now = django_filters.BooleanFilter(method="filter_open_now", label=_("いま受付中のものだけ"))

    class Meta:
        model = Listing
        fields = []

    def filter_open_now(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(Q(period_start__isnull=True) | Q(period_start__lte=today))


class OrganizationFilter(SearchFilter):
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, label=_("団体の種別"))
    field = field_filter("activity_fields")
    form = form_filter("open_forms")
    area = area_filter()
    kana = django_filters.ChoiceFilter(choices=KANA_CHOICES, method="filter_kana", label=_("50音の行（あ, か …）"))

    class Meta:
        model = Organization
        fields = []

    def filter_kana(self, queryset, name, value):
        return queryset.filter(kana_row_q(value))


class DepartmentFilter(SearchFilter):
    class Meta:
        model = Department
        fields = []


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ExchangeEvent.Kind.choices, label=_("種類"))
    field = field_filter("activity_fields")
    starts_after = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte", label=_("この日以降"))
    starts_before = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte", label=_("この日以前"))

    class Meta:
        model = ExchangeEvent
        fields = []


class CaseStudyFilter(django_filters.FilterSet):
    form = form_filter("project__forms")
    department = django_filters.ModelChoiceFilter(
        field_name="project__department", queryset=Department.objects.all(), label=_("担当課の ID")
    )
    fiscal_year = django_filters.NumberFilter(
        field_name="project__fiscal_year_start", min_value=1900, max_value=2200, label=_("開始年度（西暦）")
    )

    class Meta:
        model = CaseStudy
        fields = []
