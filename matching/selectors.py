"""Reads of the matching app shared by views: the board, a match's page, the event calendar."""

import calendar
import datetime
from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from core.japanese import fiscal_year_range
from organizations.models import ContactPerson

from .models import ActionItem, EventRegistration, ExchangeEvent, Match, MatchEvent, MatchParticipant, Meeting

STALE_DAYS = 30
BOARD_LIMIT = 500
CLOSED_SHOWN_DAYS = 180
BOARD_COLUMNS = [
    Match.Stage.PROPOSED,
    Match.Stage.AWAITING,
    Match.Stage.PRE_MEETING,
    Match.Stage.NEGOTIATING,
    Match.Stage.ON_HOLD,
    Match.Stage.ESTABLISHED,
    Match.Stage.FAILED,
]

PARTICIPANTS = Prefetch(
    "participants",
    queryset=MatchParticipant.objects.select_related("party__organization", "party__department__parent").order_by(
        "party__kind", "id"
    ),
)


def with_participants(qs):
    return qs.select_related("coordinator").prefetch_related(PARTICIPANTS)


def board(*, coordinator=None, department=None, activity_field=None, fiscal_year=None, now=None):
    """Matches by stage for the pipeline board; closed ones only when recent. One query per relation."""
    now = now or timezone.now()
    qs = Match.objects.filter(
        Q(stage__in=[s for s in BOARD_COLUMNS if s not in Match.CLOSED_STAGES])
        | Q(closed_at__gte=now - datetime.timedelta(days=CLOSED_SHOWN_DAYS))
    )
    if coordinator:
        qs = qs.filter(coordinator=coordinator)
    if department:
        qs = qs.filter(participants__party__department=department)
    if activity_field:
        qs = qs.filter(listings__activity_fields=activity_field)
    if fiscal_year:
        first, last = fiscal_year_range(fiscal_year)
        qs = qs.filter(created_at__date__gte=first, created_at__date__lte=last)
    if department or activity_field:
        qs = qs.distinct()
    matches = list(with_participants(qs.order_by("last_event_at", "id"))[:BOARD_LIMIT])
    stale_before = now - datetime.timedelta(days=STALE_DAYS)
    columns = {stage: [] for stage in BOARD_COLUMNS}
    for match in matches:
        match.is_stale = match.stage not in Match.CLOSED_STAGES and match.last_event_at < stale_before
        columns[match.stage].append(match)
    return [(stage, Match.Stage(stage).label, columns[stage]) for stage in BOARD_COLUMNS]


def match_for_page(pk):
    return with_participants(Match.objects.select_related("origin_interest__listing", "origin_event")).get(pk=pk)


def timeline(match: Match, *, include_coordinator_notes: bool):
    qs = MatchEvent.objects.filter(match=match).select_related("actor")
    if not include_coordinator_notes:
        qs = qs.filter(coordinator_only=False)
    return list(qs)


def meetings_of(match: Match):
    return list(
        Meeting.objects.filter(match=match).prefetch_related(
            Prefetch(
                "action_items", queryset=ActionItem.objects.select_related("owner__organization", "owner__department")
            )
        )
    )


def contacts_of(match: Match):
    """Each participant's contact details: private contact persons of groups, public ones of departments."""
    participants = list(match.participants.all())
    org_ids = [p.party.organization.pk for p in participants if not p.party.is_department]
    persons = defaultdict(list)
    for person in ContactPerson.objects.filter(organization_id__in=org_ids):
        persons[person.organization_id].append(person)
    result = []
    for p in participants:
        entity = p.party.entity
        result.append(
            {
                "party": p.party,
                "persons": [] if p.party.is_department else persons[entity.pk],
                "email": entity.public_email,
                "phone": entity.public_phone,
                "location": getattr(entity, "location", ""),
            }
        )
    return result


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
        ExchangeEvent.objects.filter(status=ExchangeEvent.Status.PUBLISHED)
        .annotate(n_registrations=Count("registrations"))
        .prefetch_related("activity_fields")
    )


def registrations_of(event):
    return list(
        EventRegistration.objects.filter(event=event).select_related("party__organization", "party__department__parent")
    )
