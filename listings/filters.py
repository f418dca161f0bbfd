import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.search import search
from core.widgets import SharedChoices
from organizations.models import Party
from organizations.selectors import activity_field_choices

from .models import Listing

REFERENCE_FILTERS = ("field", "form", "department", "area")


class ListingFilter(django_filters.FilterSet):
    """Filters of the public index; `q` is the Japanese substring search.

    The four reference lists (activity fields, forms, departments, areas) are plain choices from the
    shared cache (`organizations.selectors.reference_choices`), so that validating a chosen value costs
    no query and the page renders ~900 departments without building a model instance for each.
    """

    q = django_filters.CharFilter(label=_("キーワード"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("種類"), choices=Listing.Kind.choices, empty_label=_("すべて"))
    side = django_filters.ChoiceFilter(
        label=_("掲載者"),
        field_name="owner__kind",
        choices=[(Party.Kind.ORGANIZATION, _("団体")), (Party.Kind.DEPARTMENT, _("市の担当課"))],
        empty_label=_("すべて"),
    )
    field = django_filters.ChoiceFilter(label=_("活動分野"), field_name="activity_fields", empty_label=_("すべて"))
    form = django_filters.ChoiceFilter(label=_("協働の形態"), field_name="collaboration_forms", empty_label=_("すべて"))
    department = django_filters.ChoiceFilter(label=_("担当課"), field_name="owner__department", empty_label=_("すべて"))
    area = django_filters.ChoiceFilter(label=_("地区"), field_name="area", empty_label=_("すべて"))
    open_now = django_filters.BooleanFilter(
        label=_("いま受付中のものだけ"), method="filter_open_now", widget=forms.CheckboxInput
    )

    class Meta:
        model = Listing
        fields = []

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REFERENCE_FILTERS:
            self.filters[name].extra["choices"] = SharedChoices(choices[name])

    def filter_q(self, queryset, name, value):
        # Without the grams index conditions of SearchQuerySet.search (see core.search). The index page
        # walks open listings newest first and stops after one page; with the grams condition
        # PostgreSQL may instead evaluate kyodo_search_grams() on every row it passes (~30 µs each:
        # 300 ms for a common word such as 地域 at 30,000 listings).
        return search(queryset, value, grams=False)

    def filter_open_now(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(Q(period_start__isnull=True) | Q(period_start__lte=today))


WAITING_CHOICES = [("7", _("7日以上")), ("14", _("14日以上")), ("30", _("30日以上"))]
QUEUE_SORTS = {
    "oldest": ("updated_at", "id"),
    "newest": ("-updated_at", "-id"),
    "title": ("title", "id"),
}


class ReviewQueueFilter(django_filters.FilterSet):
    """Filters of the coordinators' listing review queue: kind, side, activity field, how long it has
    waited, a Japanese search (core.search) and the order."""

    q = django_filters.CharFilter(label=_("キーワード"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("種類"), choices=Listing.Kind.choices, empty_label=_("すべて"))
    side = django_filters.ChoiceFilter(
        label=_("掲載者"),
        field_name="owner__kind",
        choices=[(Party.Kind.ORGANIZATION, _("団体")), (Party.Kind.DEPARTMENT, _("市の担当課"))],
        empty_label=_("すべて"),
    )
    field = django_filters.ChoiceFilter(label=_("活動分野"), field_name="activity_fields", empty_label=_("すべて"))
    waiting = django_filters.ChoiceFilter(
        label=_("待ち日数"), choices=WAITING_CHOICES, empty_label=_("すべて"), method="filter_waiting"
    )
    sort = django_filters.ChoiceFilter(
        label=_("並び順"),
        choices=[("oldest", _("申請の古い順")), ("newest", _("申請の新しい順")), ("title", _("タイトル順"))],
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = Listing
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["field"].extra["choices"] = activity_field_choices()

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_waiting(self, queryset, name, value):
        return queryset.filter(updated_at__lte=timezone.now() - datetime.timedelta(days=int(value)))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*QUEUE_SORTS.get(value, QUEUE_SORTS["oldest"]))
