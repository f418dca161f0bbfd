"""Writes of the matching app: suggestions, matches and their stages, meetings, and which matches
and interests started at an exchange event.

Every function checks who may act, records a TimelineEntry on the match's timeline (which also moves
`last_event_at`), and raises TransitionError with a Japanese message for a move the stage machine in
docs/architecture.md does not draw.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import coordinators, is_coordinator_or_admin, members_of, party_ids_of
from core.exceptions import PermissionDenied, TransitionError
from core.i18n import Text, in_both_languages
from core.japanese import join_names
from core.locking import check_version, lock_version
from events.models import ExchangeEvent
from events.workflow import EXCHANGE_EVENT
from listings.models import Interest, Listing
from notifications.models import NoticeKind
from notifications.services import notify
from organizations.models import Party

from .models import (
    ActionItem,
    DismissedSuggestion,
    Match,
    MatchParticipant,
    Meeting,
    TimelineEntry,
)
from .signals import match_established
from .workflow import MATCH_STAGES

Stage = Match.Stage


# --- suggestions -------------------------------------------------------------------------------


@transaction.atomic
def suggestion_dismiss(*, listing: Listing, party: Party, actor) -> DismissedSuggestion:
    """Rule a candidate out for this listing for good."""
    if not is_coordinator_or_admin(actor):
        raise PermissionDenied(_("候補を除外できるのはコーディネーターだけです。"))
    dismissed, _created = DismissedSuggestion.objects.get_or_create(
        listing=listing, party=party, defaults={"dismissed_by": actor}
    )
    return dismissed


# --- helpers -----------------------------------------------------------------------------------


def _require_coordinator(actor, message=None):
    if not is_coordinator_or_admin(actor):
        raise PermissionDenied(message or _("この操作はコーディネーターだけが行えます。"))


def add_to_timeline(*, match: Match, kind: str, actor, text: Text, coordinator_only: bool = False) -> TimelineEntry:
    """One line of the timeline; the match's `last_event_at` follows it (the board's staleness).

    `text` composed by the portal is a callable (kept in Japanese and English, see notify)."""
    text, text_en = in_both_languages(text)
    entry = TimelineEntry.objects.create(
        match=match,
        kind=kind,
        actor=actor,
        text=text,
        text_en=text_en,
        coordinator_only=coordinator_only,
        at=timezone.now(),
    )
    match.last_event_at = entry.at
    Match.objects.filter(pk=match.pk).update(last_event_at=entry.at)
    return entry


def _members_of(parties):
    return list(members_of(parties))


def _participant_users(match: Match):
    return _members_of(match.participants.values_list("party_id", flat=True))


def _coordinators_of(match: Match):
    if match.coordinator_id:
        return [match.coordinator]
    return list(coordinators())


def _set_stage(match: Match, to: str, *, actor, text: Text, extra_fields=()):
    previous = Stage(match.stage)
    match.stage = to
    match.version += 1
    match.save(update_fields=["stage", "version", "updated_at", *extra_fields])

    def line():
        more = text() if callable(text) else text
        changed = _("段階を「%(from)s」から「%(to)s」に変更しました。") % {
            "from": previous.label,
            "to": Stage(to).label,
        }
        return changed + (f"\n{more}" if more else "")

    add_to_timeline(match=match, kind=TimelineEntry.Kind.STAGE, actor=actor, text=line)


def _locked(match: Match) -> Match:
    return Match.objects.select_for_update().get(pk=match.pk)


def _checked(match: Match, actor, action: str, version: int | None) -> Match:
    """The match, locked, once the stage workflow allows `action` and nobody saved it meanwhile."""
    match = _locked(match)
    MATCH_STAGES.check(actor, match, action)
    check_version(match, version)
    return match


# --- creating matches --------------------------------------------------------------------------


def _create_match(*, actor, title, parties, listings, summary, coordinator, origin_interest, origin_event, text):
    parties = list({p.pk: p for p in parties}.values())
    if len(parties) < 2:
        raise TransitionError(_("マッチングには2つ以上の当事者（団体・担当課など）が必要です。"))
    if not title.strip():
        raise TransitionError(_("件名を入力してください。"))
    match = Match.objects.create(
        title=title.strip(),
        summary=summary,
        coordinator=coordinator,
        origin_interest=origin_interest,
        origin_event=origin_event,
        created_by=actor,
    )
    MatchParticipant.objects.bulk_create(MatchParticipant(match=match, party=p) for p in parties)
    if listings:
        match.listings.set(listings)
    add_to_timeline(match=match, kind=TimelineEntry.Kind.PROPOSED, actor=actor, text=text)
    return match


@transaction.atomic
def match_propose(
    *,
    actor,
    title: str,
    parties: list[Party],
    listings=(),
    summary: str = "",
    coordinator=None,
    origin_interest: Interest | None = None,
    origin_event: ExchangeEvent | None = None,
) -> Match:
    """A coordinator pairs two or more parties (from a suggestion, an interest, or from scratch)."""
    _require_coordinator(actor, _("マッチングを提案できるのはコーディネーターだけです。"))
    listings = list(listings)
    if origin_interest is not None:
        listings = list({*listings, origin_interest.listing})
        origin_event = origin_event or origin_interest.origin_event
    return _create_match(
        actor=actor,
        title=title,
        parties=parties,
        listings=listings,
        summary=summary,
        coordinator=coordinator or actor,
        origin_interest=origin_interest,
        origin_event=origin_event,
        text=lambda: _("マッチングを提案しました（%(names)s）。") % {"names": join_names(p.name for p in parties)},
    )


@transaction.atomic
def match_request(*, actor, party: Party, other_parties: list[Party], listings=(), message: str = "") -> Match:
    """A party asks the coordinators to broker a match; it starts at 提案 with no coordinator yet."""
    if party.pk not in party_ids_of(actor):
        raise PermissionDenied(_("所属する団体・担当課としてのみ依頼できます。"))
    listings = list(listings)
    title = listings[0].title if listings else _("%(name)sからのマッチング依頼") % {"name": party.name}
    match = _create_match(
        actor=actor,
        title=title,
        parties=[party, *other_parties],
        listings=listings,
        summary=message,
        coordinator=None,
        origin_interest=None,
        origin_event=None,
        text=lambda: (
            _("%(name)sがマッチングを依頼しました。") % {"name": party.name} + (f"\n{message}" if message else "")
        ),
    )
    MatchParticipant.objects.filter(match=match, party=party).update(
        response=MatchParticipant.Response.ACCEPTED, responded_by=actor, responded_at=timezone.now()
    )
    notify(
        recipients=_coordinators_of(match),
        kind=NoticeKind.MATCH,
        title=lambda: _("マッチングの依頼：%(title)s") % {"title": match.title},
        body=message,
        url=match.get_absolute_url(),
    )
    return match


# --- stages ------------------------------------------------------------------------------------


@transaction.atomic
def match_send_to_participants(*, match: Match, actor, version: int | None = None) -> Match:
    """提案 → 参加者の承諾待ち: every participant's members are asked to accept or decline."""
    match = _checked(match, actor, "send", version)
    fields = []
    if match.coordinator_id is None:
        match.coordinator = actor
        fields.append("coordinator")
    _set_stage(match, Stage.AWAITING, actor=actor, text=lambda: _("参加者に承諾を依頼しました。"), extra_fields=fields)
    pending = match.participants.filter(response=MatchParticipant.Response.PENDING).values_list("party_id", flat=True)
    notify(
        recipients=_members_of(pending),
        kind=NoticeKind.MATCH,
        title=lambda: _("マッチングの提案が届きました：%(title)s") % {"title": match.title},
        body=lambda: _("内容を確認し、承諾するか辞退するかを回答してください。"),
        url=match.get_absolute_url(),
    )
    if not pending:
        _all_accepted(match, actor)
    return match


def _all_accepted(match: Match, actor):
    _set_stage(match, Stage.PRE_MEETING, actor=actor, text=lambda: _("すべての参加者が承諾しました。"))
    notify(
        recipients=[*_participant_users(match), *_coordinators_of(match)],
        kind=NoticeKind.MATCH,
        title=lambda: _("すべての参加者が承諾しました：%(title)s") % {"title": match.title},
        body=lambda: _("事前打ち合わせの日程を調整しましょう。互いの連絡先を確認できます。"),
        url=match.get_absolute_url(),
    )


@transaction.atomic
def match_respond(*, match: Match, actor, party: Party, accept: bool, comment: str = "") -> MatchParticipant:
    """A member answers for their party; when everyone accepted the match moves to 事前打ち合わせ."""
    match = _locked(match)
    if party.pk not in party_ids_of(actor):
        raise PermissionDenied(_("所属する団体・担当課としてのみ回答できます。"))
    participant = MatchParticipant.objects.filter(match=match, party=party).first()
    if participant is None:
        raise PermissionDenied(_("このマッチングの参加者ではありません。"))
    if participant.response != MatchParticipant.Response.PENDING:
        raise TransitionError(_("%(name)sは既に回答しています。") % {"name": party.name})
    MATCH_STAGES.check(actor, match, "respond")
    participant.response = MatchParticipant.Response.ACCEPTED if accept else MatchParticipant.Response.DECLINED
    participant.responded_by = actor
    participant.responded_at = timezone.now()
    participant.save(update_fields=["response", "responded_by", "responded_at", "updated_at"])
    add_to_timeline(
        match=match,
        kind=TimelineEntry.Kind.RESPONSE,
        actor=actor,
        text=lambda: (
            _("%(name)s：%(answer)s")
            % {"name": party.name, "answer": _("承諾しました") if accept else _("辞退しました")}
            + (f"\n{comment}" if comment else "")
        ),
    )
    if not accept:
        notify(
            recipients=_coordinators_of(match),
            kind=NoticeKind.MATCH,
            title=lambda: _("参加者が辞退しました：%(title)s") % {"title": match.title},
            body=lambda: _("%(name)sが辞退しました。不成立とするか、進め方を判断してください。") % {"name": party.name},
            url=match.get_absolute_url(),
        )
    elif not match.participants.exclude(response=MatchParticipant.Response.ACCEPTED).exists():
        _all_accepted(match, actor)
    return participant


@transaction.atomic
def match_advance(*, match: Match, actor, version: int | None = None) -> Match:
    """事前打ち合わせ → 協議中, once at least one pre-meeting was held."""
    match = _checked(match, actor, "advance", version)
    if not match.meetings.filter(status=Meeting.Status.HELD).exists():
        raise TransitionError(
            _("「協議中」に進むには、開催済みの打ち合わせが1回以上必要です。議事録を記録してください。")
        )
    _set_stage(match, Stage.NEGOTIATING, actor=actor, text="")
    return match


@transaction.atomic
def match_establish(*, match: Match, actor, version: int | None = None):
    """協議中 → 成立: the collaboration project starts. projects creates it on `match_established`
    (matching sits below projects); returns that project, `match.project`."""
    match = _checked(match, actor, "establish", version)
    match.closed_at = timezone.now()
    _set_stage(
        match, Stage.ESTABLISHED, actor=actor, text=lambda: _("協働事業を開始します。"), extra_fields=["closed_at"]
    )
    match_established.send(sender=Match, match=match, actor=actor)
    notify(
        recipients=_participant_users(match),
        kind=NoticeKind.MATCH,
        title=lambda: _("マッチングが成立しました：%(title)s") % {"title": match.title},
        body=lambda: _("協働事業の事前確認シートの作成に進みます。"),
        url=match.get_absolute_url(),
    )
    return match.project


@transaction.atomic
def match_fail(*, match: Match, actor, reason: str, note: str, version: int | None = None) -> Match:
    """→ 不成立, with a reason category and a note (Kashiwa studies these reasons)."""
    match = _checked(match, actor, "fail", version)
    if reason not in Match.FailureReason.values:
        raise TransitionError(_("不成立の理由を選んでください。"))
    if not (note or "").strip():
        raise TransitionError(_("不成立の詳細を入力してください。"))
    match.failure_reason = reason
    match.failure_note = note.strip()
    match.closed_at = timezone.now()
    # A pairing that will not happen has no more meetings: the scheduled ones still to come are called off.
    for meeting in match.meetings.select_for_update().filter(
        status=Meeting.Status.SCHEDULED, starts_at__gt=match.closed_at
    ):
        meeting.status = Meeting.Status.CANCELLED
        meeting.save(update_fields=["status", "updated_at"])
    _set_stage(
        match,
        Stage.FAILED,
        actor=actor,
        text=lambda: _("理由：%(reason)s") % {"reason": match.get_failure_reason_display()},
        extra_fields=["failure_reason", "failure_note", "closed_at"],
    )
    return match


@transaction.atomic
def match_hold(*, match: Match, actor, note: str = "", version: int | None = None) -> Match:
    """Put an open match on hold (保留); it resumes where it stood."""
    match = _checked(match, actor, "hold", version)
    match.stage_before_hold = match.stage
    _set_stage(match, Stage.ON_HOLD, actor=actor, text=note, extra_fields=["stage_before_hold"])
    return match


@transaction.atomic
def match_resume(*, match: Match, actor, version: int | None = None) -> Match:
    """保留 → the stage it was held at (事前打ち合わせ when that is unknown)."""
    match = _checked(match, actor, "resume", version)
    to = match.stage_before_hold or Stage.PRE_MEETING
    match.stage_before_hold = ""
    _set_stage(match, to, actor=actor, text=lambda: _("再開しました。"), extra_fields=["stage_before_hold"])
    return match


# The pipeline board's "move to" values (a target stage, or "resume") and the stage actions they make.
MOVE_ACTIONS = {
    Stage.AWAITING: "send",
    Stage.NEGOTIATING: "advance",
    Stage.ESTABLISHED: "establish",
    "resume": "resume",
    Stage.ON_HOLD: "hold",
    Stage.FAILED: "fail",
}
MOVE_VALUES = {action: value for value, action in MOVE_ACTIONS.items()}


def match_move(*, match: Match, actor, to: str, reason: str = "", note: str = "", version: int | None = None):
    """The board's move: dispatch to the stage's own service (which checks everything)."""
    action = MOVE_ACTIONS.get(to)
    if action is None:
        MATCH_STAGES.check(actor, match, "hold")  # a coordinator's move: others are refused first
        raise TransitionError(_("その段階へは直接移せません。"))
    if action == "fail":
        return match_fail(match=match, actor=actor, reason=reason, note=note, version=version)
    if action == "hold":
        return match_hold(match=match, actor=actor, note=note, version=version)
    service = {
        "send": match_send_to_participants,
        "advance": match_advance,
        "establish": match_establish,
        "resume": match_resume,
    }[action]
    return service(match=match, actor=actor, version=version)


@transaction.atomic
def match_add_note(*, match: Match, actor, text: str, coordinator_only: bool = False) -> TimelineEntry:
    """A note on the timeline; coordinator-only notes are hidden from participants."""
    MATCH_STAGES.check(actor, match, "note")
    if coordinator_only and not is_coordinator_or_admin(actor):
        raise PermissionDenied(_("コーディネーター限定のメモはコーディネーターだけが書けます。"))
    if not text.strip():
        raise TransitionError(_("メモの内容を入力してください。"))
    return add_to_timeline(
        match=match, kind=TimelineEntry.Kind.NOTE, actor=actor, text=text.strip(), coordinator_only=coordinator_only
    )


# --- meetings ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    match: Match,
    actor,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    kind: str = Meeting.Kind.PRE_MEETING,
    place: str = "",
    online_url: str = "",
    attendees: str = "",
    agenda: str = "",
) -> Meeting:
    """Schedule a pre-meeting or coordination meeting; every participant's members are told."""
    match = _locked(match)
    MATCH_STAGES.check(actor, match, "schedule_meeting")
    if ends_at and ends_at <= starts_at:
        raise TransitionError(_("終了日時は開始日時より後にしてください。"))
    if not (place or online_url):
        raise TransitionError(_("場所かオンライン会議のURLを入力してください。"))
    # The match is locked: the same meeting sent twice (double click, resend) is the one already there.
    duplicate = match.meetings.filter(
        kind=kind, starts_at=starts_at, place=place, online_url=online_url, status=Meeting.Status.SCHEDULED
    ).first()
    if duplicate is not None:
        return duplicate
    meeting = Meeting(
        match=match,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_url=online_url,
        attendees=attendees,
        agenda=agenda,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    when = timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")
    add_to_timeline(
        match=match,
        kind=TimelineEntry.Kind.MEETING,
        actor=actor,
        text=lambda: (
            _("%(kind)sを登録しました：%(when)s %(place)s")
            % {"kind": meeting.get_kind_display(), "when": when, "place": place or _("オンライン")}
        ),
    )
    notify(
        recipients=_participant_users(match),
        kind=NoticeKind.MEETING,
        title=lambda: (
            _("%(kind)sの日程：%(title)s（%(when)s）")
            % {"kind": meeting.get_kind_display(), "title": match.title, "when": when}
        ),
        body=agenda,
        url=meeting.get_absolute_url(),
    )
    return meeting


@transaction.atomic
def meeting_record_minutes(
    *, meeting: Meeting, actor, minutes: str, action_items=(), version: int | None = None
) -> Meeting:
    """Minutes and next actions (owner party, due date); the meeting counts as held."""
    MATCH_STAGES.check(actor, meeting.match, "record_minutes")
    meeting = lock_version(Meeting, meeting.pk, version)
    if meeting.status == Meeting.Status.CANCELLED:
        raise TransitionError(_("中止した打ち合わせには議事録を記録できません。"))
    if not minutes.strip():
        raise TransitionError(_("議事録を入力してください。"))
    if meeting.starts_at > timezone.now():
        raise TransitionError(_("開始日時の前には議事録を記録できません。"))
    participant_parties = set(meeting.match.participants.values_list("party_id", flat=True))
    items = []
    for item in action_items:
        owner = item.get("owner")
        if owner is not None and owner.pk not in participant_parties:
            raise TransitionError(_("次の行動の担当は、このマッチングの参加者から選んでください。"))
        items.append(
            ActionItem(meeting=meeting, description=item["description"], owner=owner, due_on=item.get("due_on"))
        )
    first_time = meeting.status != Meeting.Status.HELD
    meeting.minutes = minutes.strip()
    meeting.status = Meeting.Status.HELD
    meeting.version += 1
    meeting.save(update_fields=["minutes", "status", "version", "updated_at"])
    ActionItem.objects.bulk_create(items)
    add_to_timeline(
        match=meeting.match,
        kind=TimelineEntry.Kind.MINUTES,
        actor=actor,
        text=lambda: (
            (_("議事録を記録しました") if first_time else _("議事録を更新しました"))
            + _("（%(date)s の%(kind)s、次の行動 %(n)d 件）")
            % {
                "date": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d"),
                "kind": meeting.get_kind_display(),
                "n": len(items),
            }
        ),
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor, reason: str = "") -> Meeting:
    MATCH_STAGES.check(actor, meeting.match, "record_minutes")
    meeting = Meeting.objects.select_for_update().select_related("match").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise TransitionError(_("予定の打ち合わせだけを中止できます。"))
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    add_to_timeline(
        match=meeting.match,
        kind=TimelineEntry.Kind.MEETING,
        actor=actor,
        text=lambda: (
            _("%(date)s の打ち合わせを中止しました。")
            % {"date": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")}
            + (f"\n{reason}" if reason else "")
        ),
    )
    notify(
        recipients=_participant_users(meeting.match),
        kind=NoticeKind.MEETING,
        title=lambda: _("打ち合わせの中止：%(title)s") % {"title": meeting.match.title},
        body=reason,
        url=meeting.get_absolute_url(),
    )
    return meeting


def send_meeting_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind participants of tomorrow's meetings, once per meeting (reminder_sent_at)."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    sent = 0
    due = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, reminder_sent_at__isnull=True, starts_at__gte=start, starts_at__lt=end
    ).select_related("match")
    for meeting in due:
        with transaction.atomic():
            # Claim the meeting first: a second run (or a parallel worker) finds nothing to do.
            claimed = Meeting.objects.filter(pk=meeting.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
            if not claimed:
                continue
            when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
            notify(
                recipients=[*_participant_users(meeting.match), *_coordinators_of(meeting.match)],
                kind=NoticeKind.MEETING,
                title=lambda meeting=meeting, when=when: (
                    _("明日の%(kind)s：%(title)s（%(when)s）")
                    % {"kind": meeting.get_kind_display(), "title": meeting.match.title, "when": when}
                ),
                body=meeting.agenda,
                url=meeting.get_absolute_url(),
            )
            sent += 1
    return sent


# --- exchange event outcomes ---------------------------------------------------------------


@transaction.atomic
def event_record_outcomes(*, event: ExchangeEvent, actor, interests=(), matches=()) -> tuple[int, int]:
    """After the event: which interests and matches started there (the funnel counts them)."""
    EXCHANGE_EVENT.check(actor, event, "record_outcomes")
    n_interests = Interest.objects.filter(pk__in=[i.pk for i in interests]).update(origin_event=event)
    n_matches = Match.objects.filter(pk__in=[m.pk for m in matches]).update(origin_event=event)
    for match in matches:
        add_to_timeline(
            match=match,
            kind=TimelineEntry.Kind.NOTE,
            actor=actor,
            text=lambda: _("きっかけの交流の場：%(title)s") % {"title": event.title},
        )
    return n_interests, n_matches
