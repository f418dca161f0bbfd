"""Demo matches in every stage, their participants, pre-meetings with minutes, timelines, and exchange
events with registrations (seed_demo step, after listings).

Scale 1 is about 500 matches, scale 20 about 10,000; everything is bulk-inserted. Choices come from
ctx.rng only; dates are relative to now so the board always has fresh, stale and closed matches and
the demo logins have meetings this week. Projects for the 成立 matches are made by demo/projects.py
from ctx.made["established_matches"].
"""

import contextlib
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import in_both_languages
from demo.context import first_member_by_party
from events.models import EventRegistration, ExchangeEvent
from listings.models import Interest, Listing
from matching.models import ActionItem, Match, MatchParticipant, Meeting, TimelineEntry
from organizations.models import Organization

MATCHES_PER_SCALE = 500
EVENTS_PER_SCALE = 14
S = Match.Stage
K = TimelineEntry.Kind
STAGE_WEIGHTS = [
    (S.PROPOSED, 8),
    (S.AWAITING, 12),
    (S.PRE_MEETING, 16),
    (S.NEGOTIATING, 14),
    (S.ESTABLISHED, 22),
    (S.FAILED, 20),
    (S.ON_HOLD, 8),
]
ORDER = [S.PROPOSED, S.AWAITING, S.PRE_MEETING, S.NEGOTIATING]
FAILURE_NOTES = {
    "purpose": "話し合いを重ねたが、事業の目的を共有するところまで至らなかった。",
    "roles": "双方の役割分担について折り合いがつかなかった。",
    "budget": "今年度の予算では実施が難しいとの判断になった。",
    "timing": "団体の繁忙期と重なり、実施時期を合わせられなかった。",
    "group_capacity": "団体の担い手が不足しており、継続的な実施が難しい。",
    "department": "担当課の体制変更により、当面は見送ることになった。",
    "other": "当事者間の協議の結果、別の形での連携を検討することになった。",
}
MINUTES = [
    "双方の目的を確認し、地域の課題認識を共有した。次回までにそれぞれの役割案を持ち寄る。",
    "事業の進め方と役割分担の案を検討した。費用分担は次回に持ち越し。",
    "実施時期と会場について協議した。事前確認シートの作成に進むことで合意した。",
    "参加者の募集方法と広報について話し合った。市の広報紙への掲載を検討する。",
]
ACTIONS = ["役割分担の案をまとめる", "会場の空き状況を確認する", "広報の原稿を作る", "費用の見積もりを取る"]
PLACES = ["市民活動サポートセンター 会議室A", "市役所本庁舎 3階会議室", "地域センター 集会室", "オンライン"]
EVENT_SPECS = [
    (ExchangeEvent.Kind.BRIEFING, "協働マッチング説明会", "協働の始め方と制度の紹介"),
    (ExchangeEvent.Kind.EXCHANGE, "協働意見交換会", "地域の課題を一緒に考える"),
    (ExchangeEvent.Kind.PRESENTATION, "分野別発表会＆交流会", "団体の活動発表と担当課との交流"),
]


@contextlib.contextmanager
def historic_timestamps(*models):
    """Let bulk_create keep the created_at we give (auto_now_add would stamp every row with now)."""
    fields = [m._meta.get_field("created_at") for m in models]
    saved = [(f.auto_now_add, f.auto_now) for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, (add, _now) in zip(fields, saved, strict=True):
            f.auto_now_add = add


def seed(ctx):
    now = timezone.now()
    rng = ctx.rng
    users = ctx.made["users"]
    coordinators = [users["coordinator"], users["center"]]
    listings = [lst for lst in ctx.made.get("listings", []) if lst.status == Listing.Status.PUBLISHED]
    organizations = [o for o in ctx.made["organizations"] if o.is_published]
    partners_extra = [o for o in organizations if o.kind in (Organization.Kind.UNIVERSITY, Organization.Kind.COMPANY)]
    departments = [d for d in ctx.made["departments"] if not d.is_coordinating_section]
    members = first_member_by_party()

    events = _seed_events(ctx, now, organizations, departments, members)
    specs = _showcase_specs(ctx, now)
    total = MATCHES_PER_SCALE * ctx.scale
    stages = [s for s, w in STAGE_WEIGHTS for _ in range(w)]
    while len(specs) < total and listings:
        listing = listings[rng.randrange(len(listings))]
        if listing.owner.kind == "department":
            partner = organizations[rng.randrange(len(organizations))].party
        else:
            partner = departments[rng.randrange(len(departments))].party
        parties = [listing.owner, partner]
        if partners_extra and rng.random() < 0.1:
            extra = partners_extra[rng.randrange(len(partners_extra))].party
            if extra.pk not in {p.pk for p in parties}:
                parties.append(extra)
        specs.append(
            dict(
                title=listing.title,
                listing=listing,
                parties=parties,
                stage=stages[rng.randrange(len(stages))],
                age=rng.randint(2, 720),
                stale=rng.random() < 0.15,
                coordinator=coordinators[rng.randrange(2)],
                event=events[rng.randrange(len(events))] if events and rng.random() < 0.2 else None,
            )
        )
    _insert_matches(ctx, specs, now, members)
    _link_interests_to_events(ctx, events)


def _showcase_specs(ctx, now):
    """Matches of the demo logins (the NPO and 子育て支援課) in each open stage and one 成立."""
    users = ctx.made["users"]
    npo = users["group_rep"].organization_memberships.get().organization
    kosodate = ctx.made["main_departments"]["子育て支援課"]
    kankyo = ctx.made["main_departments"]["環境政策課"]
    own = {lst.owner_id: lst for lst in ctx.made.get("listings", []) if lst.status == Listing.Status.PUBLISHED}
    listing = own.get(kosodate.party_id) or own.get(npo.party_id)
    base = dict(listing=listing, coordinator=users["coordinator"], event=None, stale=False)
    return [
        {**base, "title": "子育てサロンの共同開催", "parties": [kosodate.party, npo.party], "stage": S.AWAITING, "age": 3},
        {**base, "title": "親子の居場所づくり", "parties": [kosodate.party, npo.party], "stage": S.PRE_MEETING, "age": 20},
        {**base, "title": "海岸清掃と環境学習", "parties": [kankyo.party, npo.party], "stage": S.NEGOTIATING, "age": 60},
        {**base, "title": "子ども食堂の広報協力", "parties": [kosodate.party, npo.party], "stage": S.ESTABLISHED, "age": 200},
        {**base, "title": "放課後の学習支援", "parties": [kosodate.party, npo.party], "stage": S.PROPOSED, "age": 1},
        {**base, "title": "プレーパークの運営", "parties": [kosodate.party, npo.party], "stage": S.ON_HOLD, "age": 90,
         "stale": True},
    ]  # fmt: skip


def _insert_matches(ctx, specs, now, members):
    rng = ctx.rng
    matches, plans = [], []
    for n, spec in enumerate(specs):
        stage = spec["stage"]
        created = now - datetime.timedelta(days=spec["age"], hours=rng.randint(0, 8))
        # The last event: recent for a live match, 31+ days ago for a stale one (the board highlights it).
        steps = _steps_for(stage, rng)
        if stage in Match.CLOSED_STAGES:
            quiet = rng.randint(0, max(1, spec["age"] - 1))
        else:
            quiet = rng.randint(31, 120) if spec["stale"] else rng.randint(0, 25)
        last = max(created + datetime.timedelta(hours=1), now - datetime.timedelta(days=quiet))
        span = (last - created).total_seconds() / 86400
        times = [created + datetime.timedelta(days=span * i / max(1, len(steps))) for i in range(len(steps) + 1)]
        closed = times[-1] if stage in Match.CLOSED_STAGES else None
        reason = rng.choice(list(FAILURE_NOTES)) if stage == S.FAILED else ""
        match = Match(
            title=spec["title"][:200],
            stage=stage,
            coordinator=spec["coordinator"],
            origin_event=spec["event"],
            summary=f"{' と '.join(p.name for p in spec['parties'])}の協働を調整しています。",
            failure_reason=reason,
            failure_note=FAILURE_NOTES.get(reason, ""),
            created_by=spec["coordinator"],
            last_event_at=times[-1],
            closed_at=closed,
            stage_before_hold=(steps[-2] if len(steps) > 1 else S.PROPOSED) if stage == S.ON_HOLD else "",
            created_at=created,
        )
        matches.append(match)
        plans.append((spec, steps, times))
        ctx.progress("matches", n + 1, len(specs))
    with historic_timestamps(Match, MatchParticipant, Meeting):
        Match.objects.bulk_create(matches, batch_size=2000)
        participants, events, meetings, meeting_plans = [], [], [], []
        Through = Match.listings.through
        through = []
        for match, (spec, steps, times) in zip(matches, plans, strict=True):
            if spec["listing"] is not None:
                through.append(Through(match_id=match.pk, listing_id=spec["listing"].pk))
            accepted = S.PRE_MEETING in steps or match.stage == S.ESTABLISHED
            declined_one = match.stage == S.FAILED and S.PRE_MEETING not in steps and rng.random() < 0.5
            for i, party in enumerate(spec["parties"]):
                if accepted:
                    response = "accepted"
                elif declined_one and i == 1:
                    response = "declined"
                elif S.AWAITING in steps and i == 0 and match.stage != S.AWAITING:
                    response = "accepted"
                else:
                    response = "pending"
                participants.append(
                    MatchParticipant(
                        match=match,
                        party=party,
                        response=response,
                        responded_by_id=members.get(party.pk) if response != "pending" else None,
                        responded_at=times[min(2, len(times) - 1)] if response != "pending" else None,
                        created_at=match.created_at,
                    )
                )
            names = "、".join(p.name for p in spec["parties"])
            events.append(
                _event(
                    match,
                    K.PROPOSED,
                    spec["coordinator"].pk,
                    times[0],
                    lambda names=names: _("マッチングを提案しました（%(names)s）。") % {"names": names},
                )
            )
            for previous, step, at in zip([S.PROPOSED, *steps], steps, times[1:], strict=False):
                if step == S.PRE_MEETING:
                    for party in spec["parties"]:
                        events.append(
                            _event(
                                match,
                                K.RESPONSE,
                                members.get(party.pk),
                                at,
                                lambda party=party: (
                                    _("%(name)s：%(answer)s") % {"name": party.name, "answer": _("承諾しました")}
                                ),
                            )
                        )
                if step == S.NEGOTIATING or (step in (S.ESTABLISHED, S.FAILED) and S.PRE_MEETING in steps):
                    held = at - datetime.timedelta(days=rng.randint(3, 20))
                    meeting_plans.append((match, spec, held, "held"))
                    events.append(_event(match, K.MEETING, spec["coordinator"].pk, held, _meeting_registered))
                    events.append(
                        _event(match, K.MINUTES, spec["coordinator"].pk, held, lambda: _("議事録を記録しました"))
                    )
                events.append(
                    _event(
                        match,
                        K.STAGE,
                        spec["coordinator"].pk,
                        at,
                        lambda a=previous, b=step: (
                            _("段階を「%(from)s」から「%(to)s」に変更しました。")
                            % {"from": S(a).label, "to": S(b).label}
                        ),
                    )
                )
            if match.stage == S.PRE_MEETING:
                upcoming = now + datetime.timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 6))
                meeting_plans.append((match, spec, upcoming, "scheduled"))
                events.append(_event(match, K.MEETING, spec["coordinator"].pk, times[-1], _meeting_registered))
            if rng.random() < 0.25:
                events.append(
                    _event(match, K.NOTE, spec["coordinator"].pk, times[-1], "団体の体制について確認が必要。", True)
                )
        MatchParticipant.objects.bulk_create(participants, batch_size=5000)
        Through.objects.bulk_create(through, batch_size=5000)
        TimelineEntry.objects.bulk_create(events, batch_size=5000)
        for match, spec, at, status in meeting_plans:
            meetings.append(
                Meeting(
                    match=match,
                    starts_at=_office_hours(at, rng),
                    ends_at=_office_hours(at, rng) + datetime.timedelta(hours=1, minutes=30),
                    place=PLACES[rng.randrange(len(PLACES))],
                    attendees="、".join(p.name for p in spec["parties"]),
                    agenda="目的の共有、役割分担、今後の進め方",
                    minutes=MINUTES[rng.randrange(len(MINUTES))] if status == "held" else "",
                    status=status,
                    created_by=spec["coordinator"],
                    created_at=at - datetime.timedelta(days=7),
                )
            )
        Meeting.objects.bulk_create(meetings, batch_size=2000)
    items = []
    for meeting, (_match, spec, _at, status) in zip(meetings, meeting_plans, strict=True):
        if status == "held":
            owner = spec["parties"][rng.randrange(len(spec["parties"]))]
            items.append(
                ActionItem(
                    meeting=meeting,
                    description=ACTIONS[rng.randrange(len(ACTIONS))],
                    owner=owner,
                    due_on=(meeting.starts_at + datetime.timedelta(days=14)).date(),
                    done=meeting.starts_at < timezone.now() - datetime.timedelta(days=30),
                )
            )
    ActionItem.objects.bulk_create(items, batch_size=5000)
    established = [m for m in matches if m.stage == S.ESTABLISHED]
    ctx.made["matches"] = matches
    ctx.made["established_matches"] = established
    ctx.count("matches", len(matches))
    ctx.count("meetings", len(meetings))
    ctx.count("timeline entries", len(events))


def _office_hours(at, rng):
    """The same day at 10:00, 14:00 or 18:30 local time (deterministic per call order)."""
    hour, minute = ((10, 0), (14, 0), (18, 30))[at.toordinal() % 3]
    return timezone.localtime(at).replace(hour=hour, minute=minute, second=0, microsecond=0)


def _steps_for(stage, rng):
    """The stages a match went through after 提案, ending at `stage`."""
    if stage == S.PROPOSED:
        return []
    if stage in ORDER:
        return ORDER[1 : ORDER.index(stage) + 1]
    if stage == S.ESTABLISHED:
        return [S.AWAITING, S.PRE_MEETING, S.NEGOTIATING, S.ESTABLISHED]
    reached = ORDER[1 : rng.randint(1, 4)]  # 提案 … 協議中, then closed or held
    return [*reached, stage]


def _meeting_registered():
    return _("事前打ち合わせを登録しました。")


def _event(match, kind, actor_id, at, text, coordinator_only=False):
    """A timeline entry as the services write it: composed texts in Japanese and English."""
    text, text_en = in_both_languages(text)
    return TimelineEntry(
        match=match, kind=kind, actor_id=actor_id, at=at, text=text, text_en=text_en, coordinator_only=coordinator_only
    )


def _seed_events(ctx, now, organizations, departments, members):
    """Exchange events over the past two years and the coming months, with registrations."""
    rng = ctx.rng
    fields = ctx.made["fields"]
    events = []
    total = EVENTS_PER_SCALE * ctx.scale
    for n in range(total):
        kind, title, theme = EVENT_SPECS[n % len(EVENT_SPECS)]
        days = rng.randint(-720, 90) if n >= 3 else (3 + n * 7)  # the first three are upcoming
        # 14:00 in the city's time zone (now is UTC: replacing its hour would give 23:00 JST).
        starts = timezone.localtime(now + datetime.timedelta(days=days)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        events.append(
            ExchangeEvent(
                kind=kind,
                title=f"{title} 第{n + 1}回",
                theme=theme,
                description="市民活動団体と市の担当課が出会い、協働のきっかけをつくる場です。",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                place="市民活動サポートセンター 多目的室" if n % 2 else "市役所本庁舎 大会議室",
                capacity=rng.choice([30, 40, 60, None]),
                status=ExchangeEvent.Status.PUBLISHED,
                created_by=ctx.made["users"]["coordinator"],
            )
        )
    events = ExchangeEvent.objects.bulk_create(events)
    Through = ExchangeEvent.activity_fields.through
    Through.objects.bulk_create(
        Through(exchangeevent_id=e.pk, activityfield_id=fields[rng.randint(1, 19)].pk) for e in events
    )
    registrations = []
    for event in events:
        size = min(event.capacity or 25, rng.randint(5, 25))
        parties = {o.party for o in rng.sample(organizations, k=min(len(organizations), size - size // 4))}
        parties |= {d.party for d in rng.sample(departments, k=min(len(departments), size // 4))}
        for party in sorted(parties, key=lambda p: p.pk):
            registrations.append(
                EventRegistration(
                    event=event,
                    party=party,
                    user_id=members.get(party.pk),
                    role=EventRegistration.Role.PRESENT if rng.random() < 0.2 else EventRegistration.Role.ATTEND,
                )
            )
    EventRegistration.objects.bulk_create(registrations, batch_size=5000)
    ctx.made["exchange_events"] = events
    ctx.count("exchange events", len(events))
    return events


def _link_interests_to_events(ctx, events):
    """About one interest in six started at a past exchange event (for the funnel)."""
    past = [e for e in events if e.starts_at < timezone.now()]
    interests = ctx.made.get("interests") or []
    if not past or not interests:
        return
    linked = []
    for interest in interests:
        if ctx.rng.random() < 0.16:
            interest.origin_event = past[ctx.rng.randrange(len(past))]
            linked.append(interest)
    Interest.objects.bulk_update(linked, ["origin_event"], batch_size=2000)
