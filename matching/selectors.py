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
COLUMN_LIMIT = 25
CLOSED_SHOWN_DAYS = 60
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


def board(*, coordinator=None, department=None, activity_field=None, fiscal_year=None, now=None, move_options=None):
    """Matches by stage for the pipeline board; closed ones only when recent. One query per relation."""
    now = now or timezone.now()
    move_options = move_options or {}
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
    # First the (id, stage) of every match on the board, cheap; then the cards shown, with relations.
    ids_by_stage = {stage: [] for stage in BOARD_COLUMNS}
    for pk, stage in qs.order_by("last_event_at", "id").values_list("id", "stage"):
        ids_by_stage[stage].append(pk)
    # Open columns show the stalest first (what needs a push); closed ones the most recent.
    shown = {
        stage: (ids[::-1] if stage in Match.CLOSED_STAGES else ids)[:COLUMN_LIMIT]
        for stage, ids in ids_by_stage.items()
    }
    by_id = in_bulk_with_participants([pk for ids in shown.values() for pk in ids])
    stale_before = now - datetime.timedelta(days=STALE_DAYS)
    columns = []
    for stage in BOARD_COLUMNS:
        cards = [by_id[pk] for pk in shown[stage]]
        for match in cards:
            match.is_stale = match.stage not in Match.CLOSED_STAGES and match.last_event_at < stale_before
            match.move_options = move_options.get(match.stage, [])
        columns.append((stage, Match.Stage(stage).label, cards, len(ids_by_stage[stage])))
    return columns


def in_bulk_with_participants(ids):
    return {m.pk: m for m in with_participants(Match.objects.filter(pk__in=ids))} if ids else {}


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
