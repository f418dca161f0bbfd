"""iCalendar for a match's meetings (the builder is core.ics)."""

import datetime

import icalendar

from core.ics import calendar, uid, vevent
from core.site import absolute_url


def meeting_event(meeting, *, now=None) -> icalendar.Event:
    url = absolute_url(meeting.get_absolute_url())
    parts = (
        f"議題: {meeting.agenda}" if meeting.agenda else "",
        f"オンライン: {meeting.online_url}" if meeting.online_url else "",
        url,
    )
    return vevent(
        uid("meeting", meeting.pk),
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


def meeting_ics(meeting, *, now: datetime.datetime | None = None) -> str:
    return calendar([meeting_event(meeting, now=now)])
