"""Reads of the matching app shared by views: the board, a match's page."""

import datetime
import unicodedata
from collections import defaultdict

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core.japanese import fiscal_year_range, normalize
from listings.models import Listing
from organizations.models import ContactPerson, Department, Organization, Party

from .models import ActionItem, Match, MatchParticipant, Meeting, TimelineEntry

STALE_DAYS = 30
# The board shows, per stage, the count and this many cards; "more" opens the stage's own pages.
BOARD_CARDS = 10
STAGE_PAGE_SIZE = 50
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
OPEN_COLUMNS = [s for s in BOARD_COLUMNS if s not in Match.CLOSED_STAGES]
CLOSED_COLUMNS = [s for s in BOARD_COLUMNS if s in Match.CLOSED_STAGES]

PARTICIPANTS = Prefetch(
    "participants",
    queryset=MatchParticipant.objects.select_related("party__organization", "party__department__parent").order_by(
        "party__kind", "id"
    ),
)
CARD_FIELDS = (
    "id",
    "title",
    "stage",
    "version",
    "last_event_at",
    "coordinator__family_name",
    "coordinator__given_name",
    "coordinator__email",
)


def with_participants(qs):
    return qs.select_related("coordinator").prefetch_related(PARTICIPANTS)


# An open match with nothing on its timeline for this many days needs a push (the dashboard's queue).
MATCH_STALE_DAYS = 30


def stale(qs, *, now=None):
    """Open matches (not 成立 / 不成立) with nothing on their timeline for MATCH_STALE_DAYS days."""
    now = now or timezone.now()
    return qs.exclude(stage__in=Match.CLOSED_STAGES).filter(
        last_event_at__lt=now - datetime.timedelta(MATCH_STALE_DAYS)
    )


def board_matches(*, coordinator=None, parties=None, activity_field=None, fiscal_year=None, stale_only=False):
    """The matches the board's filters leave, before the stage split (see `board_column`).

    `parties`: ids of parties (the departments picked) of which one must take part. Parties and
    activity field are EXISTS conditions, not joins, so the queryset needs no DISTINCT and its
    per-stage slices can use the (stage, last_event_at) index.
    """
    qs = Match.objects.all()
    if stale_only:
        qs = stale(qs)
    if coordinator:
        qs = qs.filter(coordinator=coordinator)
    if parties is not None:
        qs = qs.filter(Exists(MatchParticipant.objects.filter(match=OuterRef("pk"), party_id__in=parties)))
    if activity_field:
        # Straight from the two link tables; the listings themselves are not read.
        listings = Listing.activity_fields.through.objects.filter(activityfield=activity_field).values("listing_id")
        qs = qs.filter(Exists(Match.listings.through.objects.filter(match=OuterRef("pk"), listing_id__in=listings)))
    if fiscal_year:
        # A range of instants rather than created_at__date, which converts every row's time zone.
        first, last = fiscal_year_range(fiscal_year)
        start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
        end = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
        qs = qs.filter(created_at__gte=start, created_at__lt=end)
    return qs


def board_column(qs, stage, *, now):
    """One stage of the board, in the order it is shown.

    Open stages show the stalest first (what needs a push); closed ones only those closed in the
    last CLOSED_SHOWN_DAYS, the most recent first.
    """
    qs = qs.filter(stage=stage)
    if stage in Match.CLOSED_STAGES:
        return qs.filter(closed_at__gte=now - datetime.timedelta(days=CLOSED_SHOWN_DAYS)).order_by(
            "-last_event_at", "-id"
        )
    return qs.order_by("last_event_at", "id")


def _cards(qs):
    return qs.values(*CARD_FIELDS)


def _pk_url(name):
    """A function pk -> reverse(name, args=[pk]) that reverses only once (the board builds two URLs a card)."""
    marker = "2147483647"
    head, _marker, tail = reverse(name, args=[int(marker)]).rpartition(marker)
    return lambda pk: f"{head}{pk}{tail}"


def _as_cards(rows, *, now, move_options) -> list[dict]:
    """The cards of these `_cards` rows: dicts with all a card shows, computed here once rather
    than looked up by the template card by card: party names (one query for all cards), URLs,
    coordinator (or 担当未定), last entry's date, staleness (no timeline entry for STALE_DAYS) and what the card
    form offers (`move_options`: per stage, from the view). Dicts, not model instances: the
    template reads dicts faster."""
    names = defaultdict(list)
    unassigned = gettext("担当未定")
    if rows:
        parties = (
            MatchParticipant.objects.filter(match_id__in=[row["id"] for row in rows])
            .order_by("party__kind", "id")
            .values_list("match_id", "party__organization__name", "party__department__name")
        )
        for match_id, organization, department in parties:
            names[match_id].append(organization or department)
    detail_url, move_url = _pk_url("matching:match_detail"), _pk_url("matching:match_move")
    stale_before = now - datetime.timedelta(days=STALE_DAYS)
    cards = []
    for row in rows:
        pk, stage, last_event_at = row["id"], row["stage"], row["last_event_at"]
        # As User.__str__: the full name, else the e-mail address.
        name = f"{row['coordinator__family_name'] or ''} {row['coordinator__given_name'] or ''}".strip()
        cards.append(
            {
                "pk": pk,
                "title": row["title"],
                "stage": stage,
                "version": row["version"],
                "last_event_at": last_event_at,
                "last_event_on": timezone.localtime(last_event_at).date().isoformat(),
                "coordinator": name or row["coordinator__email"] or unassigned,
                "parties": "／".join(names[pk]),
                "detail_url": detail_url(pk),
                "move_url": move_url(pk),
                "is_stale": stage not in Match.CLOSED_STAGES and last_event_at < stale_before,
                "move_options": move_options.get(stage, ""),
            }
        )
    return cards


def board_counts(qs, *, now) -> dict:
    """{stage: number of matches} for every column: two GROUP BY queries in one, each served by an index."""
    since = now - datetime.timedelta(days=CLOSED_SHOWN_DAYS)
    open_counts = qs.filter(stage__in=OPEN_COLUMNS).values("stage").annotate(n=Count("*")).order_by()
    closed_counts = (
        qs.filter(stage__in=CLOSED_COLUMNS, closed_at__gte=since).values("stage").annotate(n=Count("*")).order_by()
    )
    counts = dict.fromkeys(BOARD_COLUMNS, 0)
    counts.update({row["stage"]: row["n"] for row in open_counts.union(closed_counts, all=True)})
    return counts


def _first_cards_sql(qs, *, now, per_column: int):
    """SQL selecting the ids of the first `per_column` cards of every column, one indexed LIMIT per
    stage ("" when no column can have any).

    A UNION ALL of sliced subqueries: Django refuses sliced parts of a union on SQLite, but every
    database accepts each part wrapped as a derived table, so the parts are compiled one by one.
    """
    parts, params = [], []
    for i, stage in enumerate(BOARD_COLUMNS):
        part = board_column(qs, stage, now=now).values("id")[:per_column]
        try:
            sql, part_params = part.query.sql_with_params()
        except EmptyResultSet:
            continue
        parts.append(f"SELECT id FROM ({sql}) AS column_{i}")  # noqa: S608 - Django-compiled, values as params
        params.extend(part_params)
    return " UNION ALL ".join(parts), params


def board(*, now=None, move_options=None, per_column=BOARD_CARDS, **filters):
    """The board: per stage its label, first cards and count. Three queries, however many matches.

    Returns [(stage, label, cards, total)] in BOARD_COLUMNS order; cards as `_as_cards` makes them.
    """
    now = now or timezone.now()
    qs = board_matches(**filters)
    counts = board_counts(qs, now=now)
    by_stage = {stage: [] for stage in BOARD_COLUMNS}
    sql, params = _first_cards_sql(qs, now=now, per_column=per_column) if any(counts.values()) else ("", [])
    if sql:
        first_cards = Match.objects.filter(pk__in=RawSQL(sql, params)).order_by()  # noqa: S611 - from _first_cards_sql
        for card in _as_cards(list(_cards(first_cards)), now=now, move_options=move_options or {}):
            by_stage[card["stage"]].append(card)
    columns = []
    for stage in BOARD_COLUMNS:
        closed = stage in Match.CLOSED_STAGES
        # The same order as board_column: the stalest first, or the most recent first when closed.
        cards = sorted(by_stage[stage], key=lambda card: (card["last_event_at"], card["pk"]), reverse=closed)
        columns.append((stage, Match.Stage(stage).label, cards, counts[stage]))
    return columns


def board_stage_page(stage, *, page=1, now=None, move_options=None, **filters):
    """One column's matches, STAGE_PAGE_SIZE a page, for the board's "more" link."""
    now = now or timezone.now()
    paginator = Paginator(_cards(board_column(board_matches(**filters), stage, now=now)), STAGE_PAGE_SIZE)
    page_obj = paginator.get_page(page)
    page_obj.object_list = _as_cards(list(page_obj.object_list), now=now, move_options=move_options or {})
    return page_obj


def departments_taking_part(text: str):
    """Departments in any match whose name, reading or 部 contains every word of `text` (the
    board's department type-ahead): a few rows out of the hundreds a city has."""
    qs = Department.objects.filter(Exists(MatchParticipant.objects.filter(party_id=OuterRef("party_id"))))
    for word in unicodedata.normalize("NFKC", text).split():
        qs = qs.filter(
            Q(name__icontains=word) | Q(name_kana__contains=normalize(word)) | Q(parent__name__icontains=word)
        )
    return qs.select_related("parent").order_by("parent__order", "parent__name_kana", "order", "name_kana", "id")


PARTY_SEARCH_LIMIT = 20


def party_search(query: str, *, exclude=(), limit: int = PARTY_SEARCH_LIMIT) -> list[Party]:
    """Published groups and departments whose name or reading matches `query` (the portal's
    Japanese search, core.search), for the party picker; `exclude` are the parties already chosen."""
    if not query.strip():
        return []
    organizations = Organization.objects.filter(is_published=True).search(query).values("party_id")
    departments = Department.objects.search(query).values("party_id")
    return list(
        Party.objects.filter(Q(pk__in=organizations) | Q(pk__in=departments))
        .exclude(pk__in=list(exclude))
        .select_related("organization", "department")
        .order_by("kind", "organization__name_kana", "department__order", "pk")[:limit]
    )


def match_for_page(pk):
    return with_participants(Match.objects.select_related("origin_interest__listing", "origin_event")).get(pk=pk)


def timeline(match: Match, *, include_coordinator_notes: bool):
    qs = TimelineEntry.objects.filter(match=match).select_related("actor")
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
