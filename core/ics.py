"""iCalendar (RFC 5545) built with the icalendar library (escaping, line folding and UTC times are its
job): one VEVENT per meeting or exchange event, and the calendar that carries them."""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone


def uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{urlsplit(settings.SITE_URL).hostname or 'kyodo.example.jp'}"


def vevent(uid, *, starts_at, ends_at, summary, location, description, url, cancelled, sequence=0, now=None):
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


def calendar(events, *, name: str = "") -> str:
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.PORTAL_NAME}//kyodo//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event)
    return cal.to_ical().decode()
