"""The read-only API (/api/v1/): public data only, the querysets the public pages use."""

import hashlib

from django.core.cache import cache
from django.db.models import Max, Prefetch
from django.http import Http404
from django.utils.http import http_date
from django.utils.translation import get_language, gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from events.models import ExchangeEvent
from listings.models import Listing
from listings.selectors import menu_forms
from organizations.models import ActivityField, Area, CollaborationForm, Department, Organization
from projects.models import CaseStudy, ProjectParticipant
from stats.forms import FiscalYearRangeForm
from stats.tables import TABLES, TITLES, build_table

from . import filters, serializers
from .problems import PROBLEM_TYPE

PROBLEM = OpenApiResponse(
    response=serializers.ProblemSerializer, description=gettext_lazy("エラーの内容（RFC 9457 problem details）")
)
ERRORS = {
    **{(status, PROBLEM_TYPE): PROBLEM for status in (400, 404, 429)},
    # gunicorn refuses an overlong request line itself, before the API (no problem+json body then).
    414: OpenApiResponse(description=gettext_lazy("リクエストの値が正しくありません")),
}


# As long as the responses' Cache-Control (api.middleware) lets any client keep a list anyway.
LIST_CACHE_SECONDS = 60


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail of one kind of public record, with Last-Modified from the newest change of that
    kind (any row, so unpublishing one also moves it) for conditional GETs.

    A list is kept in the shared cache under its URL, language and that newest change: a search over
    30,000 listings and its count cost more than the rest of the request, and the same pages are
    asked for again and again by clients polling for news. A change of the kind shows at once; a
    change of a related row (an owner's new name) within LIST_CACHE_SECONDS, like HTTP caching."""

    filter_backends = [DjangoFilterBackend]

    def _stamp(self, response, last_modified):
        if last_modified is not None and response.status_code == 200:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        return response

    def list(self, request, *args, **kwargs):
        model = self.get_queryset().model
        stamp = model.objects.aggregate(m=Max("updated_at"))["m"] if hasattr(model, "updated_at") else None
        # The absolute URL (scheme too): the page links of a list are built from it.
        request_key = f"{request.build_absolute_uri()}|{get_language()}|{stamp}"
        key = "api:list:" + hashlib.sha256(request_key.encode()).hexdigest()
        data = cache.get(key)
        if data is None:
            response = super().list(request, *args, **kwargs)
            cache.set(key, response.data, LIST_CACHE_SECONDS)
        else:
            response = Response(data)
        return self._stamp(response, stamp)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        return self._stamp(response, getattr(instance, "updated_at", None))


def documented(tag: str, op: str, summary_list: str, summary_detail: str):
    return extend_schema_view(
        list=extend_schema(
            tags=[tag], summary=summary_list, operation_id=f"{op}_list", responses={200: None, **ERRORS}
        ),
        retrieve=extend_schema(
            tags=[tag], summary=summary_detail, operation_id=f"{op}_detail", responses={200: None, **ERRORS}
        ),
    )


@documented(
    "organizations", "organizations", gettext_lazy("公開中の団体の一覧（50音順）"), gettext_lazy("公開中の団体")
)
class OrganizationViewSet(PublicViewSet):
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    queryset = (
        Organization.objects.published().prefetch_related("activity_fields", "open_forms").order_by("name_kana", "id")
    )


@documented("departments", "departments", gettext_lazy("市の担当課の一覧"), gettext_lazy("市の担当課"))
class DepartmentViewSet(PublicViewSet):
    serializer_class = serializers.DepartmentSerializer
    filterset_class = filters.DepartmentFilter
    queryset = Department.objects.select_related("parent").order_by("order", "id")


@documented(
    "listings",
    "listings",
    gettext_lazy("公開中のニーズ・シーズ・協働テーマ・協働メニュー（新しい順）"),
    gettext_lazy("公開中のニーズ・シーズ"),
)
class ListingViewSet(PublicViewSet):
    serializer_class = serializers.ListingSerializer
    filterset_class = filters.ListingFilter
    queryset = Listing.objects.published().with_related().order_by("-published_at", "-id")


@documented("events", "events", gettext_lazy("公開中の交流の場（開始日時の順）"), gettext_lazy("交流の場"))
class EventViewSet(PublicViewSet):
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    queryset = ExchangeEvent.objects.public().prefetch_related("activity_fields").order_by("starts_at", "id")


@documented("case-studies", "case_studies", gettext_lazy("公開中の協働事例"), gettext_lazy("協働事例"))
class CaseStudyViewSet(PublicViewSet):
    serializer_class = serializers.CaseStudySerializer
    filterset_class = filters.CaseStudyFilter
    queryset = (
        CaseStudy.objects.filter(is_published=True)
        .select_related("project__department")
        .prefetch_related(
            "project__forms",
            Prefetch(
                "project__participants",
                queryset=ProjectParticipant.objects.select_related("party__organization", "party__department"),
            ),
        )
        .order_by("-published_at", "-id")
    )


class ReferenceViewSet(PublicViewSet):
    pagination_class = None


@documented("reference", "activity_fields", gettext_lazy("活動分野（20分野）"), gettext_lazy("活動分野"))
class ActivityFieldViewSet(ReferenceViewSet):
    serializer_class = serializers.ActivityFieldSerializer
    queryset = ActivityField.objects.order_by("number")
    lookup_field = "number"


@documented("reference", "collaboration_forms", gettext_lazy("協働の形態"), gettext_lazy("協働の形態"))
class CollaborationFormViewSet(ReferenceViewSet):
    serializer_class = serializers.CollaborationFormSerializer
    queryset = CollaborationForm.objects.order_by("order", "id")
    lookup_field = "code"


@documented("reference", "areas", gettext_lazy("地区"), gettext_lazy("地区"))
class AreaViewSet(ReferenceViewSet):
    serializer_class = serializers.AreaSerializer
    queryset = Area.objects.order_by("order", "id")


class MenuView(APIView):
    @extend_schema(
        tags=["listings"],
        operation_id="menu",
        summary=gettext_lazy("協働でできること（協働の形態ごとの市の協働テーマ・協働メニュー）"),
        responses={200: serializers.MenuSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        return Response(serializers.MenuSerializer(menu_forms(), many=True).data)


class StatsIndexView(APIView):
    @extend_schema(
        tags=["statistics"],
        operation_id="stats_list",
        summary=gettext_lazy("統計表の一覧（/stats/ と同じ表）"),
        responses={200: serializers.StatsTableSummarySerializer(many=True), **ERRORS},
    )
    def get(self, request):
        return Response([{"name": name, "title": TITLES.get(name, name)} for name in TABLES])


class StatsTableView(APIView):
    @extend_schema(
        tags=["statistics"],
        operation_id="stats_table",
        summary=gettext_lazy("統計表（年度の範囲を指定。既定は直近5年度）"),
        parameters=[
            OpenApiParameter(
                "name", str, OpenApiParameter.PATH, enum=list(TABLES), description=gettext_lazy("表の名前")
            ),
            OpenApiParameter("fy_from", int, description=gettext_lazy("開始年度（西暦、例 2021）")),
            OpenApiParameter("fy_to", int, description=gettext_lazy("終了年度（西暦）")),
        ],
        responses={200: serializers.StatsTableSerializer, **ERRORS},
    )
    def get(self, request, name):
        if name not in TABLES:
            raise Http404
        years = FiscalYearRangeForm(request.query_params)
        if not years.is_valid():
            raise ValidationError(years.errors.get_json_data())
        fy_from, fy_to = years.fiscal_years()
        table = build_table(name, fy_from, fy_to)
        return Response(
            {
                "name": table.name,
                "title": table.title,
                "fy_from": fy_from,
                "fy_to": fy_to,
                "header": table.header,
                "rows": table.rows,
                "note": table.note,
            }
        )
