import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import ActivityField, Area, CollaborationForm, Department, Party

from .models import Listing


class ListingFilter(django_filters.FilterSet):
    """Filters of the public index; `q` is the Japanese substring search."""

    q = django_filters.CharFilter(label=_("キーワード"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("種類"), choices=Listing.Kind.choices, empty_label=_("すべて"))
    side = django_filters.ChoiceFilter(
        label=_("掲載者"),
        field_name="owner__kind",
        choices=[(Party.Kind.ORGANIZATION, _("団体")), (Party.Kind.DEPARTMENT, _("市の担当課"))],
        empty_label=_("すべて"),
    )
    field = django_filters.ModelChoiceFilter(
        label=_("活動分野"), field_name="activity_fields", queryset=ActivityField.objects.all(), empty_label=_("すべて")
    )
    form = django_filters.ModelChoiceFilter(
        label=_("協働の形態"), field_name="forms", queryset=CollaborationForm.objects.all(), empty_label=_("すべて")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("担当課"),
        field_name="owner__department",
        queryset=Department.objects.filter(parent__isnull=False).select_related("parent").order_by("order", "id"),
        empty_label=_("すべて"),
    )
    area = django_filters.ModelChoiceFilter(label=_("地区"), queryset=Area.objects.all(), empty_label=_("すべて"))
    open_now = django_filters.BooleanFilter(
        label=_("いま受付中のものだけ"), method="filter_open_now", widget=forms.CheckboxInput
    )

    class Meta:
        model = Listing
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_open_now(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        return queryset.filter(Q(period_start__isnull=True) | Q(period_start__lte=today))
