"""iCalendar (RFC 5545) for meetings and exchange events, built with the icalendar library (escaping,
line folding and UTC times are its job)."""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from core.site import absolute_url


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'kyodo.example.jp'}"


def _event(uid, *, starts_at, ends_at, summary, location, description, url, cancelled, sequence=0, now=None):
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", (now or timezone.now()).astimezone(datetime.UTC))
    event.add("dtstart", starts_at.astimezone(datetime.UTC))
    event.add("dtend", (ends_at or starts_at + datetime.timedelta(hours=1)).astimezone(datetime.UTC))
    event.add("summary", summary)
    event.add("location", location or "")
    event.add("description", description)
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", sequence)
    return event


def meeting_event(meeting, *, now=None) -> icalendar.Event:
    url = absolute_url(meeting.get_absolute_url())
    parts = (
        f"議題: {meeting.agenda}" if meeting.agenda else "",
        f"オンライン: {meeting.online_url}" if meeting.online_url else "",
        url,
    )
    return _event(
        _uid("meeting", meeting.pk),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=f"{meeting.get_kind_display()}：{meeting.match.title}",
        location=meeting.place or meeting.online_url,
        description="\n".join(p for p in parts if p),
        url=url,
        cancelled=meeting.status == meeting.Status.CANCELLED,
        sequence=meeting.version,
        now=now,
    )


def exchange_event(event, *, now=None) -> icalendar.Event:
    url = absolute_url(event.get_absolute_url())
    return _event(
        _uid("event", event.pk),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=f"{event.get_kind_display()}：{event.title}",
        location=event.place,
        description="\n".join(p for p in (event.theme, event.description, url) if p),
        url=url,
        cancelled=event.status == event.Status.CANCELLED,
        now=now,
    )


def calendar(events, *, name: str = "") -> str:
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.PORTAL_NAME}//matching//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event)
    return cal.to_ical().decode()


def meeting_ics(meeting, *, now: datetime.datetime | None = None) -> str:
    return calendar([meeting_event(meeting, now=now)])
