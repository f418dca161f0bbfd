"""Feeds people subscribe to: Atom for newly published needs/seeds/themes, iCalendar for exchange
events, and a private calendar URL for a user's own meetings. Every link is built from SITE_URL."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import TransitionError
from core.ics import calendar
from core.site import absolute_url
from events.ics import exchange_event
from events.models import ExchangeEvent
from listings.models import Listing
from matching.ics import meeting_event
from matching.models import Meeting
from matching.permissions import matches_visible_to
from organizations.models import ActivityField, Department
from organizations.permissions import party_ids_of

from . import services
from .models import CalendarToken

FEED_ITEMS = 50
CALENDAR_PAST = datetime.timedelta(days=90)


class ListingFeed(Feed):
    """Newest published listings: all, or of one activity field (/field/<number>) or one department."""

    feed_type = Atom1Feed

    def get_object(self, request, number=None, department=None):
        if number is not None:
            return get_object_or_404(ActivityField, number=number)
        if department is not None:
            return get_object_or_404(Department, pk=department)
        return None

    def title(self, obj):
        base = _("%(portal)s：新着のニーズ・シーズ") % {"portal": settings.PORTAL_NAME}
        return f"{base}（{obj}）" if obj is not None else base

    def link(self, obj):
        return absolute_url(reverse("listings:index"))

    def feed_url(self, obj):
        if isinstance(obj, ActivityField):
            return absolute_url(reverse("api:feed_listings_field", args=[obj.number]))
        if isinstance(obj, Department):
            return absolute_url(reverse("api:feed_listings_department", args=[obj.pk]))
        return absolute_url(reverse("api:feed_listings"))

    def subtitle(self, obj):
        return _("%(city)sの協働マッチングに新しく公開されたニーズ・シーズ・協働テーマ・協働メニュー") % {
            "city": settings.CITY_NAME
        }

    def items(self, obj):
        qs = Listing.objects.published().with_related()
        if isinstance(obj, ActivityField):
            qs = qs.filter(activity_fields=obj)
        elif isinstance(obj, Department):
            qs = qs.filter(owner__department=obj)
        return qs.order_by("-published_at", "-id")[:FEED_ITEMS]

    def item_title(self, item):
        return f"［{item.display_kind}］{item.title}"

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    def item_author_name(self, item):
        return item.owner.name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [f.name for f in item.activity_fields.all()]


def _calendar_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def events_calendar(request):
    """Every public exchange event from 90 days ago on (called-off ones marked CANCELLED)."""
    events = (
        ExchangeEvent.objects.public().filter(starts_at__gte=timezone.now() - CALENDAR_PAST).order_by("starts_at", "id")
    )
    name = _("%(portal)s 交流の場") % {"portal": settings.PORTAL_NAME}
    return _calendar_response(calendar([exchange_event(e) for e in events], name=name), "events.ics")


def event_ics(request, pk):
    event = get_object_or_404(ExchangeEvent.objects.public(), pk=pk)
    return _calendar_response(calendar([exchange_event(event)]), f"event-{event.pk}.ics")


def meetings_of_user(user):
    """The user's own meetings: those of matches their parties take part in, or that they coordinate."""
    own = Q(match__participants__party_id__in=party_ids_of(user)) | Q(match__coordinator=user)
    return (
        Meeting.objects.filter(match__in=matches_visible_to(user))
        .filter(own, starts_at__gte=timezone.now() - CALENDAR_PAST)
        .select_related("match")
        .distinct()
        .order_by("starts_at", "id")
    )


def personal_calendar(request, token):
    calendar_token = get_object_or_404(
        CalendarToken.objects.select_related("user"), token=token, revoked_at__isnull=True
    )
    user = calendar_token.user
    if not user.is_active:
        return HttpResponse(status=404)
    CalendarToken.objects.filter(pk=calendar_token.pk).update(last_used_at=timezone.now())
    name = _("%(portal)s 打ち合わせ") % {"portal": settings.PORTAL_NAME}
    body = calendar([meeting_event(m) for m in meetings_of_user(user)], name=name)
    response = _calendar_response(body, "meetings.ics")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    """Issue, show and revoke the private calendar URL."""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                services.revoke_calendar_token(user=request.user)
                messages.success(request, _("カレンダー購読URLを無効にしました。"))
            else:
                services.issue_calendar_token(user=request.user)
                messages.success(request, _("新しいカレンダー購読URLを発行しました。以前のURLは使えなくなりました。"))
        except TransitionError as e:
            messages.error(request, str(e))
        return redirect("api:calendar_settings")
    token = services.active_calendar_token(request.user)
    url = absolute_url(reverse("api:personal_calendar", args=[token.token])) if token else ""
    return render(request, "api/calendar_settings.html", {"token": token, "calendar_url": url})
