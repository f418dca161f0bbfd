"""An iCalendar (RFC 5545) file for one meeting, written by hand: no dependency for ten lines."""

import datetime

from django.conf import settings
from django.utils import timezone

from core.site import absolute_url

CRLF = "\r\n"


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold lines longer than 75 octets (UTF-8), never splitting a character."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return CRLF.join(out)


def utc(dt: datetime.datetime) -> str:
    return dt.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meeting, *, now: datetime.datetime | None = None) -> str:
    match = meeting.match
    ends_at = meeting.ends_at or meeting.starts_at + datetime.timedelta(hours=1)
    url = absolute_url(meeting.get_absolute_url())
    description = "\n".join(
        part
        for part in (
            f"議題: {meeting.agenda}" if meeting.agenda else "",
            f"オンライン: {meeting.online_url}" if meeting.online_url else "",
            url,
        )
        if part
    )
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "kyodo.example.jp"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape(settings.PORTAL_NAME)}//matching//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@{host}",
        f"DTSTAMP:{utc(now or timezone.now())}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(ends_at)}",
        f"SUMMARY:{escape(f'{meeting.get_kind_display()}：{match.title}')}",
        f"LOCATION:{escape(meeting.place or meeting.online_url)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{url}",
        f"STATUS:{'CANCELLED' if meeting.status == meeting.Status.CANCELLED else 'CONFIRMED'}",
        f"SEQUENCE:{meeting.version}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return CRLF.join(fold(line) for line in lines) + CRLF
