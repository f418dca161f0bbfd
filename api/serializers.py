"""What the API shows: only what the portal's public pages show (never contact persons, members,
drafts, review notes or anything coordinator-only)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.site import absolute_url
from events.models import ExchangeEvent
from listings.models import Listing
from organizations.models import ActivityField, Area, CollaborationForm, Department, Organization, Party
from projects.models import CaseStudy


@extend_schema_field(OpenApiTypes.URI)
class UrlField(serializers.ReadOnlyField):
    """The object's public page."""

    def __init__(self, **kwargs):
        super().__init__(source="get_absolute_url", **kwargs)

    def to_representation(self, value):
        return absolute_url(value)


class ActivityFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityField
        fields = ["number", "name", "short_name"]


class CollaborationFormSerializer(serializers.ModelSerializer):
    class Meta:
        model = CollaborationForm
        fields = ["code", "name", "description", "example"]


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name", "name_kana", "is_citywide"]


def FieldNumbers(**kwargs):  # noqa: N802 (used like a field class)
    """Activity fields by their number in the NPO Act's annex (see /api/v1/activity-fields/)."""
    return serializers.SlugRelatedField(slug_field="number", many=True, read_only=True, **kwargs)


def FormCodes(**kwargs):  # noqa: N802
    """Collaboration forms by code (see /api/v1/collaboration-forms/)."""
    return serializers.SlugRelatedField(slug_field="code", many=True, read_only=True, **kwargs)


class OrganizationSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    activity_fields = FieldNumbers()
    open_forms = FormCodes()
    url = UrlField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "name_kana",
            "kind",
            "kind_label",
            "activity_fields",
            "open_forms",
            "area",
            "description",
            "activities_summary",
            "founded_on",
            "member_count",
            "website",
            "published_at",
            "url",
        ]


class DepartmentSerializer(serializers.ModelSerializer):
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True, default=None)
    url = UrlField()

    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "name_kana",
            "parent",
            "parent_name",
            "duties",
            "policies",
            "public_email",
            "public_phone",
            "location",
            "is_coordinating_section",
            "url",
        ]


class OwnerSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Party.Kind.choices)
    id = serializers.IntegerField(help_text="団体または担当課の ID")
    name = serializers.CharField()

    def to_representation(self, party):
        return {"kind": party.kind, "id": party.entity.pk, "name": party.entity.name}


class ListingSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="display_kind", read_only=True)
    owner = OwnerSerializer(read_only=True)
    activity_fields = FieldNumbers()
    forms = FormCodes(source="collaboration_forms")  # the public name stays `forms`
    url = UrlField()

    class Meta:
        model = Listing
        fields = [
            "id",
            "kind",
            "kind_label",
            "owner",
            "title",
            "body",
            "problem",
            "activity_fields",
            "forms",
            "area",
            "period_start",
            "period_end",
            "published_at",
            "url",
        ]


class MenuItemSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="display_kind", read_only=True)
    department = serializers.CharField(source="owner.department.name", read_only=True)
    url = UrlField()

    class Meta:
        model = Listing
        fields = ["id", "kind", "kind_label", "title", "department", "url"]


class MenuSerializer(serializers.ModelSerializer):
    items = MenuItemSerializer(source="city_listings", many=True, read_only=True)

    class Meta:
        model = CollaborationForm
        fields = ["code", "name", "description", "example", "items"]


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    activity_fields = FieldNumbers()
    cancelled = serializers.SerializerMethodField()
    url = UrlField()

    class Meta:
        model = ExchangeEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "theme",
            "description",
            "activity_fields",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "cancelled",
            "cancel_reason",
            "url",
        ]

    def get_cancelled(self, event) -> bool:
        return event.status == ExchangeEvent.Status.CANCELLED


class CaseStudySerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="project.title")
    department = serializers.CharField(source="project.department.name", allow_null=True, default=None)
    forms = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()
    fiscal_year_start = serializers.IntegerField(source="project.fiscal_year_start")
    url = serializers.SerializerMethodField()

    class Meta:
        model = CaseStudy
        fields = [
            "id",
            "title",
            "department",
            "forms",
            "partners",
            "fiscal_year_start",
            "summary",
            "contributions",
            "published_at",
            "url",
        ]

    def get_forms(self, case) -> list[str]:
        return [f.code for f in case.project.forms.all()]

    def get_partners(self, case) -> list[str]:
        return [p.party.name for p in case.project.participants.all()]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, case) -> str:
        return absolute_url(reverse("projects:case_detail", args=[case.pk]))


class StatsTableSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()


class StatsTableSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    fy_from = serializers.IntegerField()
    fy_to = serializers.IntegerField()
    header = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    note = serializers.CharField(allow_blank=True)


class ProblemSerializer(serializers.Serializer):
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(allow_blank=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
