from django.urls import include, path, re_path
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView
from rest_framework.routers import SimpleRouter

from . import docs, feeds, problems, views

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("listings", views.ListingViewSet, basename="listing")
router.register("events", views.EventViewSet, basename="event")
router.register("case-studies", views.CaseStudyViewSet, basename="case-study")
router.register("activity-fields", views.ActivityFieldViewSet, basename="activity-field")
router.register("collaboration-forms", views.CollaborationFormViewSet, basename="collaboration-form")
router.register("areas", views.AreaViewSet, basename="area")

v1 = [
    path("", require_safe(docs.documentation), name="docs"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="schema"),
    path("openapi.yaml", SpectacularYAMLAPIView.as_view(), name="schema_yaml"),
    path("menu/", views.MenuView.as_view(), name="menu"),
    path("stats/", views.StatsIndexView.as_view(), name="stats"),
    path("stats/<str:name>/", views.StatsTableView.as_view(), name="stats_table"),
    *router.urls,
]

urlpatterns = [
    path("api/v1/", include(v1)),
    re_path(r"^api/", problems.not_found),
    path("feeds/listings.atom", require_safe(feeds.ListingFeed()), name="feed_listings"),
    path("feeds/listings/field/<int:number>.atom", require_safe(feeds.ListingFeed()), name="feed_listings_field"),
    path(
        "feeds/listings/department/<int:department>.atom",
        require_safe(feeds.ListingFeed()),
        name="feed_listings_department",
    ),
    path("feeds/events.ics", require_safe(feeds.events_calendar), name="feed_events"),
    path("feeds/events/<int:pk>.ics", require_safe(feeds.event_ics), name="event_ics"),
    path("feeds/calendar/<str:token>.ics", require_safe(feeds.personal_calendar), name="personal_calendar"),
    path("mypage/calendar/", feeds.calendar_settings, name="calendar_settings"),
]
