"""iCalendar for exchange events (the builder is core.ics)."""

import icalendar

from core.ics import uid, vevent
from core.site import absolute_url


def exchange_event(event, *, now=None) -> icalendar.Event:
    url = absolute_url(event.get_absolute_url())
    return vevent(
        uid("event", event.pk),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=f"{event.get_kind_display()}：{event.title}",
        location=event.place,
        description="\n".join(p for p in (event.theme, event.description, url) if p),
        url=url,
        cancelled=event.status == event.Status.CANCELLED,
        now=now,
    )
