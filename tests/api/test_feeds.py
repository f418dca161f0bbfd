"""Feeds: Atom for new listings, iCalendar for exchange events and a private, revocable calendar URL
for a user's own meetings. Each is parsed back as a subscriber's client would."""

import datetime

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import CalendarToken
from demo import factories as f
from events.models import ExchangeEvent
from listings.models import Listing
from matching.models import Meeting
from organizations.models import ActivityField

pytestmark = pytest.mark.django_db


def events_of(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


@pytest.fixture
def listings():
    field = ActivityField.objects.get(number=6)
    dept = f.DepartmentFactory(name="子育て支援課")
    return {
        "group": f.ListingFactory(title="子育て広場の担い手", activity_fields=[field]),
        "theme": f.ListingFactory(owner=dept.party, title="親子の居場所づくり"),
        "draft": f.ListingFactory(title="下書き", status=Listing.Status.DRAFT, published_at=None),
        "dept": dept,
    }


def test_atom_feed_of_new_listings_parses_and_hides_drafts(client, listings, settings):
    settings.SITE_URL = "https://kyodo.city.example.jp"
    settings.ALLOWED_HOSTS = ["*"]
    feed = feedparser.parse(client.get("/feeds/listings.atom", HTTP_HOST="evil.example").content)
    assert not feed.bozo, feed.bozo_exception
    titles = [e.title for e in feed.entries]
    assert any("子育て広場の担い手" in t for t in titles) and any("親子の居場所づくり" in t for t in titles)
    assert not any("下書き" in t for t in titles)
    links = [e.link for e in feed.entries] + [feed.feed.link]
    assert all(link.startswith("https://kyodo.city.example.jp/") for link in links), links


def test_atom_feed_per_field_and_per_department(client, listings):
    by_field = feedparser.parse(client.get("/feeds/listings/field/6.atom").content)
    assert [e.title for e in by_field.entries] == ["［ニーズ］子育て広場の担い手"]
    by_dept = feedparser.parse(client.get(f"/feeds/listings/department/{listings['dept'].pk}.atom").content)
    assert [e.title for e in by_dept.entries] == ["［協働テーマ］親子の居場所づくり"]
    assert client.get("/feeds/listings/field/99.atom").status_code == 404
    assert client.get("/feeds/listings/department/999999.atom").status_code == 404


def test_event_calendar_lists_public_events_and_marks_cancelled_ones(client):
    f.ExchangeEventFactory(title="公開の交流会")
    f.ExchangeEventFactory(title="中止の交流会", status=ExchangeEvent.Status.CANCELLED)
    f.ExchangeEventFactory(title="下書きの交流会", status=ExchangeEvent.Status.DRAFT)
    events = {str(e["SUMMARY"]): e for e in events_of(client.get("/feeds/events.ics"))}
    assert set(events) == {"意見交換会：公開の交流会", "意見交換会：中止の交流会"}
    assert events["意見交換会：中止の交流会"]["STATUS"] == "CANCELLED"


def test_one_event_ics(client):
    event = f.ExchangeEventFactory(title="発表会", starts_at=timezone.now() + datetime.timedelta(days=3))
    (vevent,) = events_of(client.get(reverse("api:event_ics", args=[event.pk])))
    assert vevent["DTSTART"].dt == event.starts_at.replace(microsecond=0)
    assert str(vevent["URL"]).endswith(f"/events/{event.pk}/")


@pytest.fixture
def meetings():
    org = f.OrganizationFactory()
    other = f.OrganizationFactory()
    mine = f.MatchFactory(title="自分のマッチング")
    f.MatchParticipantFactory(match=mine, party=org.party, response="accepted")
    theirs = f.MatchFactory(title="他の団体のマッチング")
    f.MatchParticipantFactory(match=theirs, party=other.party, response="accepted")
    soon = timezone.now() + datetime.timedelta(days=2)
    f.MeetingFactory(match=mine, starts_at=soon)
    f.MeetingFactory(match=theirs, starts_at=soon)
    return {"member": f.make_group_member(org), "org": org}


def test_private_calendar_url_lists_own_meetings_only_and_can_be_revoked(client, meetings):
    client.force_login(meetings["member"])
    assert client.post(reverse("api:calendar_settings"), {"action": "issue"}).status_code == 302
    token = CalendarToken.objects.get(user=meetings["member"], revoked_at__isnull=True)
    url = reverse("api:personal_calendar", args=[token.token])
    client.logout()  # a calendar app has no session

    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store"
    assert [str(e["SUMMARY"]) for e in events_of(response)] == [f"{Meeting.Kind.PRE_MEETING.label}：自分のマッチング"]

    client.force_login(meetings["member"])
    client.post(reverse("api:calendar_settings"), {"action": "issue"})  # a new URL replaces the old
    assert client.get(url).status_code == 404
    new = CalendarToken.objects.get(user=meetings["member"], revoked_at__isnull=True)
    assert client.get(reverse("api:personal_calendar", args=[new.token])).status_code == 200
    client.post(reverse("api:calendar_settings"), {"action": "revoke"})
    assert client.get(reverse("api:personal_calendar", args=[new.token])).status_code == 404


def test_revoking_without_a_url_says_so(client, meetings):
    client.force_login(meetings["member"])
    response = client.post(reverse("api:calendar_settings"), {"action": "revoke"}, follow=True)
    assert "有効なカレンダー購読URLはありません。" in response.content.decode()


def test_calendar_settings_need_login(client):
    response = client.get(reverse("api:calendar_settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_unknown_token_is_404(client):
    assert client.get(reverse("api:personal_calendar", args=["not-a-token"])).status_code == 404
