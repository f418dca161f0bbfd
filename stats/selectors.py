"""Reads for the dashboards at /mypage/: the coordinators' work queue and each party's own home.

The rules that make an item late live here, one function each, with the reason in its docstring;
each returns its queryset in the queue's order. A dashboard reads all its queues in one query
whatever their number and size: the first QUEUE_LIMIT items of every queue as one UNION ALL of
flat rows that also carry their queue's COUNT (`_QueueRows`, `_read_queues`), whose SQL is compiled
once per process and run with each request's moment and ids (`_compile`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    CharField,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.roles import party_ids_of
from core.japanese import fiscal_year_label
from events.models import ExchangeEvent
from listings.models import Interest, Listing, speaks_as_department
from matching import selectors as matching_selectors
from matching.models import Match, MatchParticipant, Meeting
from organizations.models import ProfileRevision
from projects.models import (
    Agreement,
    AgreementConfirmation,
    CollaborationProject,
    FollowUp,
    PartStatus,
    PreConfirmationPart,
    ProjectParticipant,
    ReviewPart,
)
from surveys.selectors import responses_to_answer_for

QUEUE_LIMIT = 10
INTEREST_ANSWER_DAYS = 7
MATCH_STALE_DAYS = matching_selectors.MATCH_STALE_DAYS
PRE_SHEET_DUE_DAYS = 30
AGREEMENT_CONFIRM_DAYS = 14
REVIEW_SHEET_DUE_DAYS = 30
UPCOMING_MEETING_DAYS = 14
OPEN_PART_STATUSES = (PartStatus.DRAFT, PartStatus.RETURNED)


@dataclass
class Item:
    text: str
    url: str
    meta: str = ""


@dataclass
class Queue:
    key: str
    title: str
    count: int
    items: list[Item] = field(default_factory=list)
    more_url: str | None = None
    shared: bool = False

    @property
    def more_hidden(self) -> int:
        return max(0, self.count - len(self.items))


def _dt(value) -> str:
    """A moment in the active language's DATETIME_FORMAT (ja: 2025年4月1日 09:30), in local time."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def _d(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def week_bounds(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Monday 00:00 to next Monday 00:00 of the local week containing `now`."""
    local = timezone.localtime(now)
    monday = (local - datetime.timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday, monday + datetime.timedelta(days=7)


# --- the coordinators' rules -------------------------------------------------------------------


def pending_profile_revisions() -> QuerySet:
    """Profiles (new or edited) waiting for a coordinator's review, oldest first."""
    return ProfileRevision.objects.filter(status=ProfileRevision.Status.PENDING).order_by("created_at", "id")


def pending_listings() -> QuerySet:
    """Needs and seeds submitted for review (審査中), oldest first."""
    return Listing.objects.filter(status=Listing.Status.PENDING).order_by("updated_at", "id")


def unanswered_interests(now) -> QuerySet:
    """Interests nobody answered within INTEREST_ANSWER_DAYS (7) days: the coordinator nudges the owner."""
    return Interest.objects.filter(
        answered_at__isnull=True, created_at__lt=now - datetime.timedelta(INTEREST_ANSWER_DAYS)
    ).order_by("created_at", "id")


def stale_matches(now, coordinator=None) -> QuerySet:
    """Open matches (not 成立 / 不成立) with nothing on their timeline for MATCH_STALE_DAYS (30) days."""
    qs = matching_selectors.stale(Match.objects.all(), now=now)
    if coordinator is not None:
        qs = qs.filter(coordinator=coordinator)
    return qs.order_by("last_event_at", "id")


def meetings_this_week(now, coordinator=None) -> QuerySet:
    """Pre-meetings and coordination meetings of this week (Monday to Sunday) that are not cancelled."""
    start, end = week_bounds(now)
    qs = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(status=Meeting.Status.CANCELLED)
    if coordinator is not None:
        qs = qs.filter(match__coordinator=coordinator)
    return qs.order_by("starts_at", "id")


def events_this_week(now) -> QuerySet:
    """Published exchange events of this week."""
    start, end = week_bounds(now)
    return ExchangeEvent.objects.filter(
        status=ExchangeEvent.Status.PUBLISHED, starts_at__gte=start, starts_at__lt=end
    ).order_by("starts_at", "id")


def overdue_pre_parts(now, coordinator=None) -> QuerySet:
    """事前確認シート parts still not submitted PRE_SHEET_DUE_DAYS (30) days after the project was created.

    Only projects still 準備中: once the agreement is fixed the pre-sheet no longer blocks anything.
    """
    qs = PreConfirmationPart.objects.filter(
        status__in=OPEN_PART_STATUSES,
        sheet__project__status=CollaborationProject.Status.PREPARING,
        sheet__project__created_at__lt=now - datetime.timedelta(PRE_SHEET_DUE_DAYS),
    )
    if coordinator is not None:
        qs = qs.filter(sheet__project__coordinator=coordinator)
    return qs.order_by("sheet__project__created_at", "id")


def stalled_agreements(now, coordinator=None) -> QuerySet:
    """協働事業確認書 in 確認中 for more than AGREEMENT_CONFIRM_DAYS (14) days.

    The agreement is not edited while participants confirm it, so its last change (updated_at) is
    when it was sent for confirmation.
    """
    qs = Agreement.objects.filter(
        status=Agreement.Status.CONFIRMING, updated_at__lt=now - datetime.timedelta(AGREEMENT_CONFIRM_DAYS)
    )
    if coordinator is not None:
        qs = qs.filter(project__coordinator=coordinator)
    return qs.order_by("updated_at", "id")


def overdue_review_parts(now, coordinator=None) -> QuerySet:
    """ふりかえりシート parts not submitted REVIEW_SHEET_DUE_DAYS (30) days after the review opened.

    The review sheet is created when the project enters ふりかえり中, so its created_at is that day.
    """
    qs = ReviewPart.objects.filter(
        status__in=OPEN_PART_STATUSES,
        sheet__project__status=CollaborationProject.Status.REVIEWING,
        sheet__created_at__lt=now - datetime.timedelta(REVIEW_SHEET_DUE_DAYS),
    )
    if coordinator is not None:
        qs = qs.filter(sheet__project__coordinator=coordinator)
    return qs.order_by("sheet__created_at", "id")


def due_follow_ups(today, coordinator=None) -> QuerySet:
    """Follow-ups (1, 2, 3 years after completion) whose day has come and that are not recorded."""
    qs = FollowUp.objects.filter(due_on__lte=today, recorded_on__isnull=True)
    if coordinator is not None:
        qs = qs.filter(project__coordinator=coordinator)
    return qs.order_by("due_on", "id")


# --- reading queues in one query ----------------------------------------------------------------


class SubqueryCount(Subquery):
    """The number of rows of a queryset, as a column of another query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet):
        super().__init__(queryset.order_by().values("pk"))


# The flat row every queue's items are read as, so that one UNION ALL reads them all. A queue leaves
# out the columns it does not need (typed NULLs: PostgreSQL matches each column's type across the
# UNION). `q_count` is the queue's total, the same on each of its rows: an uncorrelated subquery,
# which the database runs once. `q_rank` is the row's place in the rule's own order (the rows of a
# UNION come back in no particular order).
ROW_COLUMNS = {
    "q_key": CharField(),
    "q_count": IntegerField(),
    "q_rank": IntegerField(),
    "q_id": IntegerField(),
    "q_link": IntegerField(),  # the pk in the item's URL when it is another object's (the project's)
    "q_label": CharField(),
    "q_note": TextField(),
    "q_party": CharField(),
    "q_choice": CharField(),
    "q_number": IntegerField(),
    "q_at": DateTimeField(),
    "q_on": DateField(),
}


def _party_name(path: str) -> Coalesce:
    """A Party's name (its organization's or department's) reached through `path`, as SQL."""
    return Coalesce(F(f"{path}__organization__name"), F(f"{path}__department__name"))


def _choice_label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


@dataclass(frozen=True)
class _Inputs:
    """What a dashboard's queue query depends on: the moment, and the ids of whose queues they are.

    `coordinator`: the user whose matches and projects only are shown (None: everyone's).
    """

    now: datetime.datetime
    coordinator: int | None = None
    parties: tuple[int, ...] = ()
    departments: tuple[int, ...] = ()

    def shape(self) -> tuple:
        """What changes the SQL itself, not only its parameters."""
        return (self.coordinator is None, len(self.parties), len(self.departments))


def _moments(now) -> dict[str, object]:
    """Every value the rules derive from `now` for their SQL, by name.

    The compiled query finds these among its parameters (see `_compile`): a rule that compares
    with another moment must add it here, or compiling its dashboard fails.
    """
    start, end = week_bounds(now)
    days = (INTEREST_ANSWER_DAYS, MATCH_STALE_DAYS, PRE_SHEET_DUE_DAYS, AGREEMENT_CONFIRM_DAYS, REVIEW_SHEET_DUE_DAYS)
    return {
        "now": now,
        "week_start": start,
        "week_end": end,
        "today": timezone.localdate(now),
        **{f"{n}_days_ago": now - datetime.timedelta(n) for n in days},
        f"in_{UPCOMING_MEETING_DAYS}_days": now + datetime.timedelta(UPCOMING_MEETING_DAYS),
    }


@dataclass
class _QueueRows:
    """A queue: its rule's queryset for given inputs, the row columns its items need, and how a row
    becomes an Item. The key names the rule: the compiled SQL is shared by the dashboards whose
    queues have the same keys."""

    key: str
    title: str
    rows: Callable[[_Inputs], QuerySet]
    columns: dict
    item: Callable[[dict], Item]
    more_url: str | None = None
    shared: bool = False

    def first_rows(self, inputs: _Inputs) -> QuerySet:
        """The queue's first QUEUE_LIMIT rows (by the rule's own order) as ROW_COLUMNS rows.

        The LIMIT sits in an `IN` subquery: SQLite allows no LIMIT on the members of a UNION.
        """
        rows = self.rows(inputs)
        order = rows.query.order_by
        if not order:
            raise ValueError(f"queue {self.key}: the rule must order its rows")
        columns = {
            "q_key": Value(self.key),
            "q_count": SubqueryCount(rows),
            "q_rank": Window(RowNumber(), order_by=list(order)),
            "q_id": F("pk"),
            **self.columns,
        }
        values = {name: columns.get(name, Cast(Value(None), f)) for name, f in ROW_COLUMNS.items()}
        first = rows.values("pk")[:QUEUE_LIMIT]
        return rows.model._default_manager.filter(pk__in=first).order_by().values(**values)


# Building the UNION ALL with the ORM and compiling it cost more than the database's answer, and
# its SQL is the same on every request but for the moment and the ids: it is compiled once per
# process (for each database, set of queues and shape of inputs) from stand-in inputs whose values
# are then found among its parameters and replaced by each request's own. The rows are read on
# every request: a queue shows the change of a moment ago.
_REFERENCE_NOWS = (  # two moments whose weeks, days and times of day all differ
    datetime.datetime(2001, 2, 7, 4, 37, 11, 123457, tzinfo=datetime.UTC),
    datetime.datetime(2001, 2, 16, 9, 50, 18, 777211, tzinfo=datetime.UTC),
)
_STAND_IN_IDS = (-2_000_000_000, -1_000_000_000)  # no row has a negative id


@dataclass(frozen=True)
class _CompiledQueues:
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, object], ...]  # (position, "moment" or an _Inputs field, name or index)
    converters: dict[str, tuple]  # column: (its expression, the converters the ORM would apply)

    def rows(self, inputs: _Inputs, db) -> list[dict]:
        if not self.sql:
            return []
        params = list(self.params)
        moments = _adapted_moments(inputs.now, db) if self.slots else {}
        for position, source, key in self.slots:
            params[position] = moments[key] if source == "moment" else _stand_in_source(inputs, source, key)
        with db.cursor() as cursor:
            cursor.execute(self.sql, params)
            names = [column[0] for column in cursor.description]
            found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for name, (expression, converters) in self.converters.items():
            for row in found:
                for converter in converters:
                    row[name] = converter(row[name], expression, db)
        return found


_COMPILED: dict[tuple, _CompiledQueues] = {}


def _adapted(value, db):
    """A value as the ORM passes it to the database driver."""
    if isinstance(value, datetime.datetime):
        return db.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return db.ops.adapt_datefield_value(value)
    return value


def _adapted_moments(now, db) -> dict[str, object]:
    return {name: _adapted(value, db) for name, value in _moments(now).items()}


def _stand_in_source(inputs: _Inputs, field_name: str, index):
    value = getattr(inputs, field_name)
    return value if index is None else value[index]


def _reference(inputs: _Inputs, now, first_id: int) -> _Inputs:
    """Inputs of the same shape as `inputs`, with `now` and ids counting down from `first_id`."""
    ids = iter(range(first_id, first_id - 1_000_000, -1))
    return _Inputs(
        now,
        None if inputs.coordinator is None else next(ids),
        tuple(next(ids) for _ in inputs.parties),
        tuple(next(ids) for _ in inputs.departments),
    )


def _sources(reference: _Inputs, db) -> dict:
    """{a parameter's value: where a request's value comes from} for the values of `reference`."""
    found = {value: ("moment", name) for name, value in _adapted_moments(reference.now, db).items()}
    if reference.coordinator is not None:
        found[reference.coordinator] = ("coordinator", None)
    for name in ("parties", "departments"):
        found |= {value: (name, i) for i, value in enumerate(getattr(reference, name))}
    return found


def _union_sql(specs: list["_QueueRows"], inputs: _Inputs, db) -> tuple[str, tuple]:
    """The SQL of the UNION ALL; "" when no queue can have a row (every one asks for ids of nobody)."""
    union = specs[0].first_rows(inputs).union(*(spec.first_rows(inputs) for spec in specs[1:]), all=True)
    try:
        sql, params = union.query.get_compiler(connection=db).as_sql()
    except EmptyResultSet:
        return "", ()
    return sql, tuple(params)


def _compile(specs: list["_QueueRows"], inputs: _Inputs, db) -> _CompiledQueues:
    """The UNION ALL of every queue's first rows, built from stand-in inputs of the same shape.

    It is built twice, from two sets of stand-ins: a parameter that differs between the two must be
    one whose source is known (a rule comparing with a moment missing from `_moments` fails here).
    """
    references = [_reference(inputs, now, first) for now, first in zip(_REFERENCE_NOWS, _STAND_IN_IDS, strict=True)]
    (sql, params), (other_sql, other_params) = (_union_sql(specs, r, db) for r in references)
    if sql != other_sql:
        raise ValueError(f"queue query {[s.key for s in specs]}: its SQL depends on more than `_Inputs.shape`")
    sources = _sources(references[0], db)
    slots = tuple(
        (position, *sources[value])
        for position, value in enumerate(params)
        if isinstance(value, int | str | datetime.date) and value in sources
    )
    known = {position for position, *_ in slots}
    unknown = [a for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b and i not in known]
    if unknown:
        raise ValueError(f"queue query {[s.key for s in specs]}: inputs it does not declare change it: {unknown}")
    converters = {}
    for name, output_field in ROW_COLUMNS.items():
        expression = Value(None, output_field=output_field)
        found = db.ops.get_db_converters(expression) + output_field.get_db_converters(db)
        if found:
            converters[name] = (expression, found)
    return _CompiledQueues(sql, params, slots, converters)


def _read_queues(specs: list[_QueueRows], inputs: _Inputs) -> list[Queue]:
    """Every queue's count and first items in one UNION ALL query.

    A queue with no rows has no count row either: its count is 0.
    """
    key = (connection.alias, connection.vendor, tuple(spec.key for spec in specs), inputs.shape())
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = _compile(specs, inputs, connection)
    by_key: dict[str, list[dict]] = {spec.key: [] for spec in specs}
    for row in compiled.rows(inputs, connection):
        by_key[row["q_key"]].append(row)
    queues = []
    for spec in specs:
        found = sorted(by_key[spec.key], key=lambda r: r["q_rank"])
        count = found[0]["q_count"] if found else 0
        items = [spec.item(r) for r in found]
        queues.append(Queue(spec.key, spec.title, count, items, spec.more_url, spec.shared))
    return queues


_ID_STAND_IN = 2_147_483_647  # no row has this id: it marks where an item's ids go in its URL
_URL_TEMPLATES: dict[tuple, str] = {}


def _url(name: str, *ids: int) -> str:
    """reverse(name, args=ids), with each URL name reversed once per script prefix (a queue's ten
    items share it; reverse() costs more than the rest of an item)."""
    key = (get_script_prefix(), name, len(ids))
    template = _URL_TEMPLATES.get(key)
    if template is None:
        template = reverse(name, args=[_ID_STAND_IN] * len(ids)).replace(str(_ID_STAND_IN), "{}")
        _URL_TEMPLATES[key] = template
    return template.format(*ids)


# Item kinds that several queues share: the row columns they read and the Item they make.


def _interests(key, title, rows, **options) -> _QueueRows:
    return _QueueRows(
        key,
        title,
        rows,
        {"q_label": F("listing__title"), "q_party": _party_name("from_party"), "q_at": F("created_at")},
        lambda r: Item(f"{r['q_party']} → {r['q_label']}", _url("listings:interest_detail", r["q_id"]), _dt(r["q_at"])),
        **options,
    )


def _meetings(key, title, rows) -> _QueueRows:
    return _QueueRows(
        key,
        title,
        rows,
        {"q_label": F("match__title"), "q_choice": F("kind"), "q_at": F("starts_at")},
        lambda r: Item(
            f"{r['q_label']} {_choice_label(Meeting.Kind, r['q_choice'])}",
            _url("matching:meeting_detail", r["q_id"]),
            _dt(r["q_at"]),
        ),
    )


def _sheet_parts(key, title, rows, url_name) -> _QueueRows:
    """事前確認シート or ふりかえりシート parts: the project, the party, the part's status."""
    return _QueueRows(
        key,
        title,
        rows,
        {
            "q_link": F("sheet__project_id"),
            "q_label": F("sheet__project__title"),
            "q_party": _party_name("participant__party"),
            "q_choice": F("status"),
        },
        lambda r: Item(
            f"{r['q_label']}（{r['q_party']}）", _url(url_name, r["q_link"]), _choice_label(PartStatus, r["q_choice"])
        ),
    )


def _stale_board_url(coordinator) -> str:
    """The pipeline board showing only the stale matches (the coordinator's own when `mine`)."""
    url = reverse("matching:board")
    return f"{url}?stale=1" + (f"&coordinator={coordinator.pk}" if coordinator is not None else "")


def coordinator_queues(user, *, mine: bool = False, now=None) -> list[Queue]:
    """The coordinators' work queue; `mine` keeps matches and projects the user coordinates.

    Review items (profiles, listings), unanswered interests and exchange events are shared by the
    section and shown in both views. One query whatever the number of queues and items.
    """
    now = now or timezone.now()
    me = user if mine else None
    return _read_queues(
        [
            _QueueRows(
                "profiles",
                _("審査待ちの団体情報"),
                lambda i: pending_profile_revisions(),
                {"q_label": F("organization__name"), "q_at": F("created_at")},
                lambda r: Item(r["q_label"], _url("organizations:profile_review", r["q_id"]), _dt(r["q_at"])),
                more_url=reverse("organizations:profile_review_queue"),
                shared=True,
            ),
            _QueueRows(
                "listings",
                _("審査待ちのニーズ・シーズ"),
                lambda i: pending_listings(),
                {"q_label": F("title"), "q_party": _party_name("owner"), "q_at": F("updated_at")},
                lambda r: Item(f"{r['q_label']}（{r['q_party']}）", _url("listings:review", r["q_id"]), _dt(r["q_at"])),
                more_url=reverse("listings:review_queue"),
                shared=True,
            ),
            _interests("interests", _("7日以上返信のない相談"), lambda i: unanswered_interests(i.now), shared=True),
            _QueueRows(
                "stale_matches",
                _("30日以上動きのないマッチング"),
                lambda i: stale_matches(i.now, i.coordinator),
                {"q_label": F("title"), "q_choice": F("stage"), "q_at": F("last_event_at")},
                lambda r: Item(
                    f"{r['q_label']}（{_choice_label(Match.Stage, r['q_choice'])}）",
                    _url("matching:match_detail", r["q_id"]),
                    _dt(r["q_at"]),
                ),
                more_url=_stale_board_url(me),
            ),
            _meetings("meetings", _("今週の打ち合わせ"), lambda i: meetings_this_week(i.now, i.coordinator)),
            _QueueRows(
                "events",
                _("今週の交流の場"),
                lambda i: events_this_week(i.now),
                {"q_label": F("title"), "q_at": F("starts_at")},
                lambda r: Item(r["q_label"], _url("events:event_detail", r["q_id"]), _dt(r["q_at"])),
                more_url=reverse("events:event_list"),
                shared=True,
            ),
            _sheet_parts(
                "pre_parts",
                _("提出の遅れている事前確認シート"),
                lambda i: overdue_pre_parts(i.now, i.coordinator),
                "projects:pre_sheet",
            ),
            _QueueRows(
                "agreements",
                _("確認の遅れている協働事業確認書"),
                lambda i: stalled_agreements(i.now, i.coordinator),
                {
                    "q_link": F("project_id"),
                    "q_label": F("project__title"),
                    "q_number": F("number"),
                    "q_at": F("updated_at"),
                },
                lambda r: Item(
                    f"{r['q_label']}（{_('第%(n)s版') % {'n': r['q_number']}}）",
                    _url("projects:agreement", r["q_link"]),
                    _dt(r["q_at"]),
                ),
            ),
            _sheet_parts(
                "review_parts",
                _("提出の遅れているふりかえりシート"),
                lambda i: overdue_review_parts(i.now, i.coordinator),
                "projects:review_sheet",
            ),
            _QueueRows(
                "follow_ups",
                _("時期の来たアフターフォロー"),
                lambda i: due_follow_ups(timezone.localdate(i.now), i.coordinator),
                {
                    "q_link": F("project_id"),
                    "q_label": F("project__title"),
                    "q_number": F("years_after"),
                    "q_on": F("due_on"),
                },
                lambda r: Item(
                    f"{r['q_label']}（{_('%(n)s年後') % {'n': r['q_number']}}）",
                    _url("projects:follow_up", r["q_link"], r["q_id"]),
                    _d(r["q_on"]),
                ),
            ),
        ],
        _Inputs(now, None if me is None else me.pk),
    )


# --- a party's own home ------------------------------------------------------------------------


def user_parties(user) -> set[int]:
    """Ids of the parties the user acts for (their organizations' and departments')."""
    return party_ids_of(user)


def matches_awaiting_response(parties) -> QuerySet:
    """The user's parties were asked to join a match and have not answered yet."""
    return MatchParticipant.objects.filter(
        party__in=parties, response=MatchParticipant.Response.PENDING, match__stage=Match.Stage.AWAITING
    ).order_by("created_at", "id")


def returned_listings(parties) -> QuerySet:
    """The user's parties' listings a coordinator returned (差戻し): to fix and resubmit."""
    return Listing.objects.filter(owner__in=parties, status=Listing.Status.RETURNED).order_by("-updated_at", "-id")


def interests_to_answer(parties) -> QuerySet:
    """Interests in the user's parties' listings that nobody answered yet."""
    return Interest.objects.filter(listing__owner__in=parties, answered_at__isnull=True).order_by("created_at", "id")


def pre_parts_to_fill(parties) -> QuerySet:
    """The user's parties' 事前確認シート parts still to submit (下書き or 差戻し) while 準備中."""
    return PreConfirmationPart.objects.filter(
        participant__party__in=parties,
        status__in=OPEN_PART_STATUSES,
        sheet__project__status=CollaborationProject.Status.PREPARING,
    ).order_by("sheet__project__created_at", "id")


def agreements_to_confirm(parties) -> QuerySet:
    """Participations of the user's parties in a project whose agreement is 確認中 and that have not
    confirmed that version yet."""
    confirming = Agreement.objects.filter(project=OuterRef("project"), status=Agreement.Status.CONFIRMING)
    return (
        ProjectParticipant.objects.filter(party__in=parties)
        .annotate(agreement_id=Subquery(confirming.values("pk")[:1]))
        .filter(agreement_id__isnull=False)
        .exclude(
            Exists(AgreementConfirmation.objects.filter(agreement=OuterRef("agreement_id"), participant=OuterRef("pk")))
        )
        .order_by("project__created_at", "id")
    )


def review_parts_to_fill(parties) -> QuerySet:
    """The user's parties' ふりかえりシート parts still to submit while the project is ふりかえり中."""
    return ReviewPart.objects.filter(
        participant__party__in=parties,
        status__in=OPEN_PART_STATUSES,
        sheet__project__status=CollaborationProject.Status.REVIEWING,
    ).order_by("sheet__created_at", "id")


def upcoming_meetings(parties, now) -> QuerySet:
    """Scheduled meetings of the user's parties' matches in the next UPCOMING_MEETING_DAYS days."""
    ids = MatchParticipant.objects.filter(party__in=parties).values("match_id")
    return Meeting.objects.filter(
        match_id__in=ids,
        status=Meeting.Status.SCHEDULED,
        starts_at__gte=now,
        starts_at__lt=now + datetime.timedelta(UPCOMING_MEETING_DAYS),
    ).order_by("starts_at", "id")


def party_home(user, *, now=None) -> tuple[list[Queue], list[Queue]]:
    """What waits for the user's organizations and departments, and their listings, interests,
    matches and projects: one query for all twelve queues."""
    now = now or timezone.now()
    parties = user_parties(user)
    waiting = [
        _QueueRows(
            "awaiting_response",
            _("回答を待っているマッチングの提案"),
            lambda i: matches_awaiting_response(i.parties),
            {"q_link": F("match_id"), "q_label": F("match__title"), "q_party": _party_name("party")},
            lambda r: Item(f"{r['q_label']}（{r['q_party']}）", _url("matching:match_detail", r["q_link"]), ""),
        ),
        _QueueRows(
            "returned_listings",
            _("差戻しされた掲載（直して再申請してください）"),
            lambda i: returned_listings(i.parties),
            {"q_label": F("title"), "q_note": F("return_reason")},
            lambda r: Item(
                r["q_label"],
                _url("listings:edit", r["q_id"]),
                _("差戻しの理由：%(reason)s") % {"reason": Truncator(r["q_note"] or "").chars(80)},
            ),
        ),
        _interests("interests_to_answer", _("返信していない相談・関心表明"), lambda i: interests_to_answer(i.parties)),
        _sheet_parts(
            "pre_parts_to_fill",
            _("記入する事前確認シート"),
            lambda i: pre_parts_to_fill(i.parties),
            "projects:pre_sheet",
        ),
        _QueueRows(
            "agreements_to_confirm",
            _("確認する協働事業確認書"),
            lambda i: agreements_to_confirm(i.parties),
            {"q_link": F("project_id"), "q_label": F("project__title"), "q_party": _party_name("party")},
            lambda r: Item(f"{r['q_label']}（{r['q_party']}）", _url("projects:agreement", r["q_link"]), ""),
        ),
        _sheet_parts(
            "review_parts_to_fill",
            _("記入するふりかえりシート"),
            lambda i: review_parts_to_fill(i.parties),
            "projects:review_sheet",
        ),
        _meetings(
            "upcoming_meetings", _("近く予定されている打ち合わせ"), lambda i: upcoming_meetings(i.parties, i.now)
        ),
        _QueueRows(
            "surveys_to_answer",
            _("回答する協働事業実態調査"),
            lambda i: responses_to_answer_for(i.departments),
            {"q_label": F("department__name"), "q_number": F("survey__fiscal_year"), "q_on": F("survey__deadline")},
            lambda r: Item(
                _("%(year)s 協働事業実態調査（%(department)s）")
                % {"year": fiscal_year_label(r["q_number"]), "department": r["q_label"]},
                _url("surveys:response", r["q_id"]),
                _("回答期限 %(date)s") % {"date": _d(r["q_on"])},
            ),
            more_url=reverse("surveys:index"),
        ),
    ]
    overview = [
        _QueueRows(
            "my_listings",
            _("協働テーマ・協働メニュー") if speaks_as_department(user) else _("ニーズ・シーズ"),
            lambda i: Listing.objects.filter(owner__in=i.parties).order_by("-updated_at", "-id"),
            {"q_label": F("title"), "q_choice": F("status")},
            lambda r: Item(
                r["q_label"], _url("listings:detail", r["q_id"]), _choice_label(Listing.Status, r["q_choice"])
            ),
            more_url=reverse("listings:mine"),
        ),
        _QueueRows(
            "interests_sent",
            _("送った相談・関心表明"),
            lambda i: Interest.objects.filter(from_party__in=i.parties).order_by("-created_at", "-id"),
            {"q_label": F("listing__title"), "q_at": F("created_at")},
            lambda r: Item(r["q_label"], _url("listings:interest_detail", r["q_id"]), _dt(r["q_at"])),
            more_url=reverse("listings:interest_list"),
        ),
        _interests(
            "interests_received",
            _("受け取った相談・関心表明"),
            lambda i: Interest.objects.filter(listing__owner__in=i.parties).order_by("-created_at", "-id"),
            more_url=reverse("listings:interest_list"),
        ),
        _QueueRows(
            "my_matches",
            _("マッチング"),
            # A proposal is the coordinators' draft until it is sent to the participants.
            lambda i: (
                Match.objects.filter(pk__in=MatchParticipant.objects.filter(party__in=i.parties).values("match_id"))
                .exclude(stage=Match.Stage.PROPOSED)
                .order_by("-last_event_at", "-id")
            ),
            {"q_label": F("title"), "q_choice": F("stage")},
            lambda r: Item(
                r["q_label"], _url("matching:match_detail", r["q_id"]), _choice_label(Match.Stage, r["q_choice"])
            ),
            more_url=reverse("matching:match_list"),
        ),
        _QueueRows(
            "my_projects",
            _("協働事業"),
            lambda i: CollaborationProject.objects.filter(
                pk__in=ProjectParticipant.objects.filter(party__in=i.parties).values("project_id")
            ).order_by("-fiscal_year_start", "-id"),
            {"q_label": F("title"), "q_choice": F("status")},
            lambda r: Item(
                r["q_label"],
                _url("projects:detail", r["q_id"]),
                _choice_label(CollaborationProject.Status, r["q_choice"]),
            ),
            more_url=reverse("projects:list"),
        ),
    ]
    inputs = _Inputs(now, parties=tuple(sorted(parties)), departments=tuple(sorted(user.department_ids)))
    queues = _read_queues(waiting + overview, inputs)
    return queues[: len(waiting)], queues[len(waiting) :]
