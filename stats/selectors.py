"""Reads for the dashboards at /mypage/: the coordinators' work queue and each party's own home.

The rules that make an item late live here, one function each, with the reason in its docstring.
Every queue is one COUNT and one LIMITed SELECT with its relations joined, so a dashboard runs the
same number of queries for 1 or 500 waiting items.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from listings.models import Interest, Listing
from matching.models import ExchangeEvent, Match, MatchParticipant, Meeting
from organizations.models import ProfileRevision
from organizations.permissions import party_ids_of
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

from .links import optional_url, url_for

QUEUE_LIMIT = 10
INTEREST_ANSWER_DAYS = 7
MATCH_STALE_DAYS = 30
PRE_SHEET_DUE_DAYS = 30
AGREEMENT_CONFIRM_DAYS = 14
REVIEW_SHEET_DUE_DAYS = 30
UPCOMING_MEETING_DAYS = 14
OPEN_PART_STATUSES = (PartStatus.DRAFT, PartStatus.RETURNED)

PARTY_RELATED = ("organization", "department")


def _party(prefix: str) -> list[str]:
    """select_related paths for a Party reached through `prefix`, so that party.name costs no query."""
    return [f"{prefix}__{r}" for r in PARTY_RELATED]


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


def _queue(key, title, qs: QuerySet, item, *, more_url=None, shared=False) -> Queue:
    return Queue(key, title, qs.count(), [item(o) for o in qs[:QUEUE_LIMIT]], more_url, shared)


def _dt(value) -> str:
    return date_format(timezone.localtime(value), "Y年n月j日 H:i") if value else ""


def _d(value) -> str:
    return date_format(value, "Y年n月j日") if value else ""


def week_bounds(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Monday 00:00 to next Monday 00:00 of the local week containing `now`."""
    local = timezone.localtime(now)
    monday = (local - datetime.timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday, monday + datetime.timedelta(days=7)


# --- the coordinators' rules -------------------------------------------------------------------


def pending_profile_revisions() -> QuerySet:
    """Profiles (new or edited) waiting for a coordinator's review, oldest first."""
    return (
        ProfileRevision.objects.filter(status=ProfileRevision.Status.PENDING)
        .select_related("organization")
        .order_by("created_at", "id")
    )


def pending_listings() -> QuerySet:
    """Needs and seeds submitted for review (審査中), oldest first."""
    return (
        Listing.objects.filter(status=Listing.Status.PENDING)
        .select_related(*_party("owner"))
        .order_by("updated_at", "id")
    )


def unanswered_interests(now) -> QuerySet:
    """Interests nobody answered within INTEREST_ANSWER_DAYS (7) days: the coordinator nudges the owner."""
    return (
        Interest.objects.filter(answered_at__isnull=True, created_at__lt=now - datetime.timedelta(INTEREST_ANSWER_DAYS))
        .select_related("listing", *_party("from_party"))
        .order_by("created_at", "id")
    )


def stale_matches(now, coordinator=None) -> QuerySet:
    """Open matches (not 成立 / 不成立) with nothing on their timeline for MATCH_STALE_DAYS (30) days."""
    qs = Match.objects.exclude(stage__in=Match.CLOSED_STAGES).filter(
        last_event_at__lt=now - datetime.timedelta(MATCH_STALE_DAYS)
    )
    if coordinator is not None:
        qs = qs.filter(coordinator=coordinator)
    return qs.order_by("last_event_at", "id")


def meetings_this_week(now, coordinator=None) -> QuerySet:
    """Pre-meetings and coordination meetings of this week (Monday to Sunday) that are not cancelled."""
    start, end = week_bounds(now)
    qs = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(status=Meeting.Status.CANCELLED)
    if coordinator is not None:
        qs = qs.filter(match__coordinator=coordinator)
    return qs.select_related("match").order_by("starts_at", "id")


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
    return qs.select_related("sheet__project", *_party("participant__party")).order_by(
        "sheet__project__created_at", "id"
    )


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
    return qs.select_related("project").order_by("updated_at", "id")


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
    return qs.select_related("sheet__project", *_party("participant__party")).order_by("sheet__created_at", "id")


def due_follow_ups(today, coordinator=None) -> QuerySet:
    """Follow-ups (1, 2, 3 years after completion) whose day has come and that are not recorded."""
    qs = FollowUp.objects.filter(due_on__lte=today, recorded_on__isnull=True)
    if coordinator is not None:
        qs = qs.filter(project__coordinator=coordinator)
    return qs.select_related("project").order_by("due_on", "id")


def coordinator_queues(user, *, mine: bool = False, now=None) -> list[Queue]:
    """The coordinators' work queue; `mine` keeps matches and projects the user coordinates.

    Review items (profiles, listings), unanswered interests and exchange events are shared by the
    section and shown in both views.
    """
    now = now or timezone.now()
    me = user if mine else None
    return [
        _queue(
            "profiles",
            _("審査待ちの団体情報"),
            pending_profile_revisions(),
            lambda r: Item(r.organization.name, url_for("organizations:profile_review", r), _dt(r.created_at)),
            more_url=optional_url("organizations:profile_review_queue"),
            shared=True,
        ),
        _queue(
            "listings",
            _("審査待ちのニーズ・シーズ"),
            pending_listings(),
            lambda li: Item(f"{li.title}（{li.owner.name}）", url_for("listings:review", li), _dt(li.updated_at)),
            more_url=optional_url("listings:review_queue"),
            shared=True,
        ),
        _queue(
            "interests",
            _("7日以上返信のない相談"),
            unanswered_interests(now),
            lambda i: Item(
                f"{i.from_party.name} → {i.listing.title}", url_for("listings:interest_detail", i), _dt(i.created_at)
            ),
            shared=True,
        ),
        _queue(
            "stale_matches",
            _("30日以上動きのないマッチング"),
            stale_matches(now, me),
            lambda m: Item(
                f"{m.title}（{m.get_stage_display()}）", url_for("matching:match_detail", m), _dt(m.last_event_at)
            ),
            more_url=optional_url("matching:board"),
        ),
        _queue(
            "meetings",
            _("今週の打ち合わせ"),
            meetings_this_week(now, me),
            lambda mt: Item(
                f"{mt.match.title} {mt.get_kind_display()}", url_for("matching:meeting_detail", mt), _dt(mt.starts_at)
            ),
        ),
        _queue(
            "events",
            _("今週の交流の場"),
            events_this_week(now),
            lambda e: Item(e.title, url_for("matching:event_detail", e), _dt(e.starts_at)),
            more_url=optional_url("matching:event_list"),
            shared=True,
        ),
        _queue(
            "pre_parts",
            _("提出の遅れている事前確認シート"),
            overdue_pre_parts(now, me),
            lambda p: Item(
                f"{p.sheet.project.title}（{p.participant.party.name}）",
                url_for("projects:pre_sheet", p.sheet.project),
                p.get_status_display(),
            ),
        ),
        _queue(
            "agreements",
            _("確認の遅れている協働事業確認書"),
            stalled_agreements(now, me),
            lambda a: Item(
                f"{a.project.title}（第{a.number}版）", url_for("projects:agreement", a.project), _dt(a.updated_at)
            ),
        ),
        _queue(
            "review_parts",
            _("提出の遅れているふりかえりシート"),
            overdue_review_parts(now, me),
            lambda p: Item(
                f"{p.sheet.project.title}（{p.participant.party.name}）",
                url_for("projects:review_sheet", p.sheet.project),
                p.get_status_display(),
            ),
        ),
        _queue(
            "follow_ups",
            _("時期の来たアフターフォロー"),
            due_follow_ups(timezone.localdate(now), me),
            lambda fu: Item(
                f"{fu.project.title}（{fu.years_after}年後）",
                url_for("projects:follow_up", fu, fu.project_id, fu.pk),
                _d(fu.due_on),
            ),
        ),
    ]


# --- a party's own home ------------------------------------------------------------------------


def user_parties(user) -> set[int]:
    """Ids of the parties the user acts for (their organizations' and departments')."""
    return party_ids_of(user)


def matches_awaiting_response(parties) -> QuerySet:
    """The user's parties were asked to join a match and have not answered yet."""
    return (
        MatchParticipant.objects.filter(
            party__in=parties, response=MatchParticipant.Response.PENDING, match__stage=Match.Stage.AWAITING
        )
        .select_related("match", *_party("party"))
        .order_by("created_at", "id")
    )


def interests_to_answer(parties) -> QuerySet:
    """Interests in the user's parties' listings that nobody answered yet."""
    return (
        Interest.objects.filter(listing__owner__in=parties, answered_at__isnull=True)
        .select_related("listing", *_party("from_party"))
        .order_by("created_at", "id")
    )


def pre_parts_to_fill(parties) -> QuerySet:
    """The user's parties' 事前確認シート parts still to submit (下書き or 差戻し) while 準備中."""
    return (
        PreConfirmationPart.objects.filter(
            participant__party__in=parties,
            status__in=OPEN_PART_STATUSES,
            sheet__project__status=CollaborationProject.Status.PREPARING,
        )
        .select_related("sheet__project", *_party("participant__party"))
        .order_by("sheet__project__created_at", "id")
    )


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
        .select_related("project", *_party("party"))
        .order_by("project__created_at", "id")
    )


def review_parts_to_fill(parties) -> QuerySet:
    """The user's parties' ふりかえりシート parts still to submit while the project is ふりかえり中."""
    return (
        ReviewPart.objects.filter(
            participant__party__in=parties,
            status__in=OPEN_PART_STATUSES,
            sheet__project__status=CollaborationProject.Status.REVIEWING,
        )
        .select_related("sheet__project", *_party("participant__party"))
        .order_by("sheet__created_at", "id")
    )


def upcoming_meetings(parties, now) -> QuerySet:
    """Scheduled meetings of the user's parties' matches in the next UPCOMING_MEETING_DAYS days."""
    ids = MatchParticipant.objects.filter(party__in=parties).values("match_id")
    return (
        Meeting.objects.filter(
            match_id__in=ids,
            status=Meeting.Status.SCHEDULED,
            starts_at__gte=now,
            starts_at__lt=now + datetime.timedelta(UPCOMING_MEETING_DAYS),
        )
        .select_related("match")
        .order_by("starts_at", "id")
    )


def party_waiting(user, *, now=None) -> list[Queue]:
    """What waits for the user's organizations and departments."""
    now = now or timezone.now()
    parties = user_parties(user)
    return [
        _queue(
            "awaiting_response",
            _("回答を待っているマッチングの提案"),
            matches_awaiting_response(parties),
            lambda p: Item(f"{p.match.title}（{p.party.name}）", url_for("matching:match_detail", p.match), ""),
        ),
        _queue(
            "interests_to_answer",
            _("返信していない相談・関心表明"),
            interests_to_answer(parties),
            lambda i: Item(
                f"{i.from_party.name} → {i.listing.title}", url_for("listings:interest_detail", i), _dt(i.created_at)
            ),
        ),
        _queue(
            "pre_parts_to_fill",
            _("記入する事前確認シート"),
            pre_parts_to_fill(parties),
            lambda p: Item(
                f"{p.sheet.project.title}（{p.participant.party.name}）",
                url_for("projects:pre_sheet", p.sheet.project),
                p.get_status_display(),
            ),
        ),
        _queue(
            "agreements_to_confirm",
            _("確認する協働事業確認書"),
            agreements_to_confirm(parties),
            lambda p: Item(f"{p.project.title}（{p.party.name}）", url_for("projects:agreement", p.project), ""),
        ),
        _queue(
            "review_parts_to_fill",
            _("記入するふりかえりシート"),
            review_parts_to_fill(parties),
            lambda p: Item(
                f"{p.sheet.project.title}（{p.participant.party.name}）",
                url_for("projects:review_sheet", p.sheet.project),
                p.get_status_display(),
            ),
        ),
        _queue(
            "upcoming_meetings",
            _("近く予定されている打ち合わせ"),
            upcoming_meetings(parties, now),
            lambda mt: Item(
                f"{mt.match.title} {mt.get_kind_display()}", url_for("matching:meeting_detail", mt), _dt(mt.starts_at)
            ),
        ),
    ]


def party_overview(user) -> list[Queue]:
    """The user's parties' listings, interests sent and received, matches and projects."""
    parties = user_parties(user)
    match_ids = MatchParticipant.objects.filter(party__in=parties).values("match_id")
    project_ids = ProjectParticipant.objects.filter(party__in=parties).values("project_id")
    return [
        _queue(
            "my_listings",
            _("ニーズ・シーズ"),
            Listing.objects.filter(owner__in=parties).select_related(*_party("owner")).order_by("-updated_at", "-id"),
            lambda li: Item(li.title, url_for("listings:detail", li), li.get_status_display()),
            more_url=optional_url("listings:mine"),
        ),
        _queue(
            "interests_sent",
            _("送った相談・関心表明"),
            Interest.objects.filter(from_party__in=parties).select_related("listing").order_by("-created_at", "-id"),
            lambda i: Item(i.listing.title, url_for("listings:interest_detail", i), _dt(i.created_at)),
            more_url=optional_url("listings:interest_list"),
        ),
        _queue(
            "interests_received",
            _("受け取った相談・関心表明"),
            Interest.objects.filter(listing__owner__in=parties)
            .select_related("listing", *_party("from_party"))
            .order_by("-created_at", "-id"),
            lambda i: Item(
                f"{i.from_party.name} → {i.listing.title}", url_for("listings:interest_detail", i), _dt(i.created_at)
            ),
            more_url=optional_url("listings:interest_list"),
        ),
        _queue(
            "my_matches",
            _("マッチング"),
            # A proposal is the coordinators' draft until it is sent to the participants.
            Match.objects.filter(pk__in=match_ids)
            .exclude(stage=Match.Stage.PROPOSED)
            .order_by("-last_event_at", "-id"),
            lambda m: Item(m.title, url_for("matching:match_detail", m), m.get_stage_display()),
            more_url=optional_url("matching:match_list"),
        ),
        _queue(
            "my_projects",
            _("協働事業"),
            CollaborationProject.objects.filter(pk__in=project_ids).order_by("-fiscal_year_start", "-id"),
            lambda p: Item(p.title, url_for("projects:detail", p), p.get_status_display()),
            more_url=optional_url("projects:list"),
        ),
    ]
