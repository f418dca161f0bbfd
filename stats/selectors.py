"""Reads for the dashboards at /mypage/: the coordinators' work queue and each party's own home.

The rules that make an item late live here, one function each, with the reason in its docstring;
each returns its queryset in the queue's order. A dashboard reads all its queues in one query
whatever their number and size: the first QUEUE_LIMIT items of every queue as one UNION ALL of
flat rows that also carry their queue's COUNT (`_QueueRows`, `_read_queues`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

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
from surveys.selectors import responses_to_answer

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


@dataclass
class _QueueRows:
    """A queue as a rule's queryset, the row columns its items need, and how a row becomes an Item."""

    key: str
    title: str
    rows: QuerySet
    columns: dict
    item: Callable[[dict], Item]
    more_url: str | None = None
    shared: bool = False

    def first_rows(self) -> QuerySet:
        """The queue's first QUEUE_LIMIT rows (by the rule's own order) as ROW_COLUMNS rows.

        The LIMIT sits in an `IN` subquery: SQLite allows no LIMIT on the members of a UNION.
        """
        order = self.rows.query.order_by
        if not order:
            raise ValueError(f"queue {self.key}: the rule must order its rows")
        columns = {
            "q_key": Value(self.key),
            "q_count": SubqueryCount(self.rows),
            "q_rank": Window(RowNumber(), order_by=list(order)),
            "q_id": F("pk"),
            **self.columns,
        }
        values = {name: columns.get(name, Cast(Value(None), f)) for name, f in ROW_COLUMNS.items()}
        first = self.rows.values("pk")[:QUEUE_LIMIT]
        return self.rows.model._default_manager.filter(pk__in=first).order_by().values(**values)


def _read_queues(specs: list[_QueueRows]) -> list[Queue]:
    """Every queue's count and first items in one UNION ALL query.

    A queue with no rows has no count row either: its count is 0.
    """
    rows = specs[0].first_rows().union(*(spec.first_rows() for spec in specs[1:]), all=True)
    by_key: dict[str, list[dict]] = {spec.key: [] for spec in specs}
    for row in rows:
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
                pending_profile_revisions(),
                {"q_label": F("organization__name"), "q_at": F("created_at")},
                lambda r: Item(r["q_label"], _url("organizations:profile_review", r["q_id"]), _dt(r["q_at"])),
                more_url=reverse("organizations:profile_review_queue"),
                shared=True,
            ),
            _QueueRows(
                "listings",
                _("審査待ちのニーズ・シーズ"),
                pending_listings(),
                {"q_label": F("title"), "q_party": _party_name("owner"), "q_at": F("updated_at")},
                lambda r: Item(f"{r['q_label']}（{r['q_party']}）", _url("listings:review", r["q_id"]), _dt(r["q_at"])),
                more_url=reverse("listings:review_queue"),
                shared=True,
            ),
            _interests("interests", _("7日以上返信のない相談"), unanswered_interests(now), shared=True),
            _QueueRows(
                "stale_matches",
                _("30日以上動きのないマッチング"),
                stale_matches(now, me),
                {"q_label": F("title"), "q_choice": F("stage"), "q_at": F("last_event_at")},
                lambda r: Item(
                    f"{r['q_label']}（{_choice_label(Match.Stage, r['q_choice'])}）",
                    _url("matching:match_detail", r["q_id"]),
                    _dt(r["q_at"]),
                ),
                more_url=_stale_board_url(me),
            ),
            _meetings("meetings", _("今週の打ち合わせ"), meetings_this_week(now, me)),
            _QueueRows(
                "events",
                _("今週の交流の場"),
                events_this_week(now),
                {"q_label": F("title"), "q_at": F("starts_at")},
                lambda r: Item(r["q_label"], _url("events:event_detail", r["q_id"]), _dt(r["q_at"])),
                more_url=reverse("events:event_list"),
                shared=True,
            ),
            _sheet_parts(
                "pre_parts", _("提出の遅れている事前確認シート"), overdue_pre_parts(now, me), "projects:pre_sheet"
            ),
            _QueueRows(
                "agreements",
                _("確認の遅れている協働事業確認書"),
                stalled_agreements(now, me),
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
                overdue_review_parts(now, me),
                "projects:review_sheet",
            ),
            _QueueRows(
                "follow_ups",
                _("時期の来たアフターフォロー"),
                due_follow_ups(timezone.localdate(now), me),
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
        ]
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
            matches_awaiting_response(parties),
            {"q_link": F("match_id"), "q_label": F("match__title"), "q_party": _party_name("party")},
            lambda r: Item(f"{r['q_label']}（{r['q_party']}）", _url("matching:match_detail", r["q_link"]), ""),
        ),
        _QueueRows(
            "returned_listings",
            _("差戻しされた掲載（直して再申請してください）"),
            returned_listings(parties),
            {"q_label": F("title"), "q_note": F("return_reason")},
            lambda r: Item(
                r["q_label"],
                _url("listings:edit", r["q_id"]),
                _("差戻しの理由：%(reason)s") % {"reason": Truncator(r["q_note"] or "").chars(80)},
            ),
        ),
        _interests("interests_to_answer", _("返信していない相談・関心表明"), interests_to_answer(parties)),
        _sheet_parts(
            "pre_parts_to_fill", _("記入する事前確認シート"), pre_parts_to_fill(parties), "projects:pre_sheet"
        ),
        _QueueRows(
            "agreements_to_confirm",
            _("確認する協働事業確認書"),
            agreements_to_confirm(parties),
            {"q_link": F("project_id"), "q_label": F("project__title"), "q_party": _party_name("party")},
            lambda r: Item(f"{r['q_label']}（{r['q_party']}）", _url("projects:agreement", r["q_link"]), ""),
        ),
        _sheet_parts(
            "review_parts_to_fill",
            _("記入するふりかえりシート"),
            review_parts_to_fill(parties),
            "projects:review_sheet",
        ),
        _meetings("upcoming_meetings", _("近く予定されている打ち合わせ"), upcoming_meetings(parties, now)),
        _QueueRows(
            "surveys_to_answer",
            _("回答する協働事業実態調査"),
            responses_to_answer(user),
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
    match_ids = MatchParticipant.objects.filter(party__in=parties).values("match_id")
    project_ids = ProjectParticipant.objects.filter(party__in=parties).values("project_id")
    overview = [
        _QueueRows(
            "my_listings",
            _("協働テーマ・協働メニュー") if speaks_as_department(user) else _("ニーズ・シーズ"),
            Listing.objects.filter(owner__in=parties).order_by("-updated_at", "-id"),
            {"q_label": F("title"), "q_choice": F("status")},
            lambda r: Item(
                r["q_label"], _url("listings:detail", r["q_id"]), _choice_label(Listing.Status, r["q_choice"])
            ),
            more_url=reverse("listings:mine"),
        ),
        _QueueRows(
            "interests_sent",
            _("送った相談・関心表明"),
            Interest.objects.filter(from_party__in=parties).order_by("-created_at", "-id"),
            {"q_label": F("listing__title"), "q_at": F("created_at")},
            lambda r: Item(r["q_label"], _url("listings:interest_detail", r["q_id"]), _dt(r["q_at"])),
            more_url=reverse("listings:interest_list"),
        ),
        _interests(
            "interests_received",
            _("受け取った相談・関心表明"),
            Interest.objects.filter(listing__owner__in=parties).order_by("-created_at", "-id"),
            more_url=reverse("listings:interest_list"),
        ),
        _QueueRows(
            "my_matches",
            _("マッチング"),
            # A proposal is the coordinators' draft until it is sent to the participants.
            Match.objects.filter(pk__in=match_ids)
            .exclude(stage=Match.Stage.PROPOSED)
            .order_by("-last_event_at", "-id"),
            {"q_label": F("title"), "q_choice": F("stage")},
            lambda r: Item(
                r["q_label"], _url("matching:match_detail", r["q_id"]), _choice_label(Match.Stage, r["q_choice"])
            ),
            more_url=reverse("matching:match_list"),
        ),
        _QueueRows(
            "my_projects",
            _("協働事業"),
            CollaborationProject.objects.filter(pk__in=project_ids).order_by("-fiscal_year_start", "-id"),
            {"q_label": F("title"), "q_choice": F("status")},
            lambda r: Item(
                r["q_label"],
                _url("projects:detail", r["q_id"]),
                _choice_label(CollaborationProject.Status, r["q_choice"]),
            ),
            more_url=reverse("projects:list"),
        ),
    ]
    queues = _read_queues(waiting + overview)
    return queues[: len(waiting)], queues[len(waiting) :]
