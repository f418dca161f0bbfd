"""Reads of exchange events: the public list, the month calendar, an event's registrations."""

import calendar
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from .models import EventRegistration, ExchangeEvent


def month_calendar(year: int, month: int, events):
    """Weeks of (day, [events]) for a month view; days outside the month are None."""
    by_day = defaultdict(list)
    for event in events:
        by_day[timezone.localtime(event.starts_at).date()].append(event)
    weeks = []
    for week in calendar.Calendar(firstweekday=6).monthdatescalendar(year, month):
        weeks.append([(day, by_day.get(day, [])) if day.month == month else (None, []) for day in week])
    return weeks


def events_public():
    return (
        ExchangeEvent.objects.public()
        .annotate(n_registrations=Count("registrations"))
        .prefetch_related("activity_fields")
    )


def registrations_of(event):
    return list(
        EventRegistration.objects.filter(event=event).select_related("party__organization", "party__department__parent")
    )
