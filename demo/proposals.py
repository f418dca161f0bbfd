"""Demo calls of the proposal programme (seed_demo step, after projects), so its pages and the
statistics (proposal-funnel and the others) show something at any scale.

For the previous and the current fiscal year: a 行政提案型 call whose themes are published
departments' collaboration themes, and a 市民提案型 call. Last year's calls are decided (adopted
proposals with their projects, rejected ones with a reason the applicant sees, a withdrawn one);
this year's 行政提案型 call is open (drafts and submitted proposals) and the 市民提案型 call is under
review (reviewers' scores, a conflict declared, and the demo NPO's 2年目 proposal adopted, which
extends last year's project). Past exchange events of each year are linked to its calls. A few
dozen rows whatever the scale: the programme is small beside matching.
"""

import datetime

from django.utils import timezone

from core.japanese import fiscal_year
from listings.models import Listing
from organizations.models import Party
from projects import services as project_services
from projects.models import CollaborationProject, Origin
from proposals.models import Call, CallTheme, CallType, Criterion, Proposal, RejectionReason, Review, Score

PS = Proposal.Status
CRITERIA = [("公益性", 3), ("実現性・実施体制", 2), ("協働の効果", 2), ("先駆性・発展性", 1)]
IDEAS = [
    ("子ども食堂と学習支援の拠点づくり", "放課後に一人で過ごす子どもが多い", "市内の小中学生と保護者"),
    ("海岸の清掃と環境学習", "海岸の漂着ごみが増えている", "海岸を利用する市民と小学生"),
    ("高齢者の買い物支援と見守り", "坂の多い地区で買い物に困る高齢者がいる", "団地に住む高齢者"),
    ("外国人住民の日本語と生活相談", "外国人住民が行政の情報を受け取れていない", "市内の外国人住民"),
    ("空き店舗を使った多世代交流サロン", "商店街の空き店舗が増え、交流の場が少ない", "商店街周辺の住民"),
    ("防災マップを住民と作る", "地区ごとの避難経路が知られていない", "自治会の住民"),
    ("障がいのある人の就労体験", "就労体験の受け入れ先が少ない", "市内の障がいのある人"),
    ("里山の保全と竹林の整備", "手入れされない竹林が広がっている", "里山を訪れる市民"),
    ("子育て中の親の居場所づくり", "乳幼児の親が孤立しがち", "0〜3歳児の親子"),
    ("公園の花壇を地域で育てる", "公園の花壇が荒れている", "公園の利用者"),
]
REJECTIONS = [
    (RejectionReason.FEASIBILITY, "実施体制（担い手の人数）に不安があり、事業の継続が見込みにくいため。"),
    (RejectionReason.ROLES, "市と団体の役割分担が明確でなく、協働で行う効果が示されていないため。"),
    (RejectionReason.BUDGET, "市負担額の要望が予算の範囲を超え、規模の見直しが必要なため。"),
    (RejectionReason.DEPARTMENT, "担当課との調整が整っておらず、事業の実施時期が定まらないため。"),
]


def _at(day: datetime.date, hour: int = 17) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed(ctx):
    rng = ctx.rng
    today = timezone.localdate()
    current_fy = fiscal_year(today)
    users = ctx.made["users"]
    coordinator = users["coordinator"]
    main = ctx.made["main_departments"]
    npo = users["group_rep"].organization_memberships.select_related("organization__party").first().organization
    groups = [o for o in ctx.made["organizations"] if o.is_published and o.pk != npo.pk]
    departments = [d for d in ctx.made["departments"] if not d.is_coordinating_section]
    needs = list(
        Listing.objects.published()
        .filter(kind=Listing.Kind.NEED, owner__kind=Party.Kind.DEPARTMENT)
        .select_related("owner__department")
        .order_by("id")[:6]
    )
    reviewers = [coordinator, users["center"], users["dept_staff2"]]
    per_call = 4 + 2 * min(ctx.scale, 4)
    events = [e for e in ctx.made.get("exchange_events") or [] if e.kind in ("briefing", "exchange")]
    now = timezone.now()

    made = {"calls": 0, "proposals": 0}
    first_year_of_npo = None
    for fy in (current_fy - 1, current_fy):
        past = fy < current_fy
        for call_type in (CallType.ADMINISTRATION, CallType.CITIZEN):
            admin = call_type == CallType.ADMINISTRATION
            if past:
                status, deadline = Call.Status.DECIDED, _at(datetime.date(fy, 7, 31))
            elif admin:
                status, deadline = Call.Status.OPEN, _at(today + datetime.timedelta(days=30))
            else:
                status, deadline = Call.Status.CLOSED, _at(today - datetime.timedelta(days=14))
            call = Call.objects.create(
                title=f"{fy}年度 {'行政提案型' if admin else '市民提案型'}協働推進事業",
                call_type=call_type,
                fiscal_year=fy,
                description=(
                    "市の各課が示した協働テーマについて、一緒に取り組む団体の提案を募集します。"
                    if admin
                    else "地域の課題を市と協働で解決する事業の提案を、市民活動団体から募集します。"
                ),
                eligibility="市内で活動する市民活動団体（NPO法人、ボランティア団体、自治会など）",
                groups_only=not admin,
                briefing_on=deadline.date() - datetime.timedelta(days=60),
                exchange_period="募集開始から締切の2週間前まで",
                deadline=deadline,
                presentation_on=deadline.date() + datetime.timedelta(days=45),
                decision_on=deadline.date() + datetime.timedelta(days=75),
                cap_per_project=3_000_000 if admin else 2_000_000,
                cap_total=10_000_000,
                status=status,
                created_by=coordinator,
                status_changed_by=coordinator,
                status_changed_at=min(deadline, now),
            )
            made["calls"] += 1
            criteria = Criterion.objects.bulk_create(
                Criterion(call=call, name=n, weight=w, order=i) for i, (n, w) in enumerate(CRITERIA)
            )
            call.reviewers.set(reviewers)
            by_kind = {}
            for e in events:
                if fiscal_year(timezone.localdate(e.starts_at)) == fy:
                    by_kind.setdefault(e.kind, []).append(e)
            call.events.set([e for evs in by_kind.values() for e in (evs[0::2] if admin else evs[1::2])])
            themes = []
            if admin:
                themes = CallTheme.objects.bulk_create(CallTheme(call=call, listing=lst) for lst in needs)
            specs = _specs(call_type, past, per_call)
            remaining = call.cap_total
            for n, (state, term_year) in enumerate(specs):
                title, problem, beneficiaries = IDEAS[(n + fy + (3 if admin else 0)) % len(IDEAS)]
                theme = themes[n % len(themes)] if themes else None
                department = theme.listing.owner.department if theme else departments[rng.randrange(len(departments))]
                ours = n == 0  # the demo NPO's own proposal in each call
                applicant = npo if ours else groups[rng.randrange(len(groups))]
                if ours and not admin:
                    department = main["子育て支援課"]
                    title, problem, beneficiaries = IDEAS[0]
                previous = None
                if ours and not admin and not past and first_year_of_npo:
                    previous, term_year = first_year_of_npo, 2
                total = rng.randrange(8, 40) * 100_000
                share = min(call.cap_per_project, int(total * rng.choice([0.5, 0.7, 0.8])))
                p = _proposal(call, applicant, department, theme, title, problem, beneficiaries, total, share)
                p.term_year, p.previous = term_year, previous
                _set_state(p, state, min(deadline + datetime.timedelta(days=70), now), coordinator, rng)
                if p.is_adopted and p.adopted_amount > remaining:  # the call's budget is spent
                    p.status, p.adopted_amount, p.conditions = PS.REJECTED, None, ""
                    p.rejection_category, p.rejection_reason = REJECTIONS[2]
                remaining -= p.adopted_amount or 0
                p.save()
                made["proposals"] += 1
                if p.status in (PS.REVIEWING, PS.ADOPTED, PS.CONDITIONAL, PS.REJECTED):
                    _reviews(p, reviewers, criteria, rng, conflict=(n == 3))
                if p.is_adopted:
                    p.project = _project(coordinator, p, fy)
                    if past and n > 0:
                        p.next_step = rng.choice(["department", "group", "ended"])
                        p.next_step_by, p.next_step_at = users["dept_manager"], timezone.now()
                    p.save()
                if ours and not admin and past:
                    first_year_of_npo = p
    ctx.count("proposal calls", made["calls"])
    ctx.count("proposals", made["proposals"])


def _specs(call_type, past, n) -> list[tuple[str, int]]:
    """The states of one call's proposals, the first being the demo NPO's."""
    if past:
        cycle = [PS.ADOPTED, PS.REJECTED, PS.ADOPTED, PS.REJECTED, PS.CONDITIONAL, PS.WITHDRAWN, PS.REJECTED]
        states = [PS.ADOPTED if call_type == CallType.CITIZEN else PS.REJECTED] + cycle
    elif call_type == CallType.ADMINISTRATION:
        states = [PS.DRAFT, PS.SUBMITTED, PS.DRAFT, PS.SUBMITTED, PS.SUBMITTED, PS.WITHDRAWN]
    else:
        states = [PS.ADOPTED, PS.REVIEWING, PS.REJECTED, PS.REVIEWING, PS.REVIEWING, PS.WITHDRAWN]
    return [(states[i % len(states)], 1) for i in range(n)]


def _proposal(call, applicant, department, theme, title, problem, beneficiaries, total, share) -> Proposal:
    return Proposal(
        call=call,
        applicant=applicant.party,
        department=department,
        theme=theme,
        title=title,
        purpose=f"{problem}という課題に、市と団体がそれぞれの強みを持ち寄って取り組む。",
        content=f"{title}を年間を通じて行い、参加者の声をもとに内容を見直す。",
        local_problem=problem,
        beneficiaries=beneficiaries,
        public_interest="会員に限らず、地域の誰もが参加できる。",
        roles="団体: 企画と運営 / 市: 広報、会場の確保、関係機関との調整",
        schedule="4月 準備 / 5〜2月 実施 / 3月 ふりかえり",
        track_record="地域で5年以上の活動実績がある。",
        budget_total=total,
        city_share_requested=share,
    )


def _set_state(p: Proposal, state: str, decided_at, coordinator, rng):
    p.status = state
    if state == PS.DRAFT:
        return
    p.submitted_at = p.call.deadline - datetime.timedelta(days=rng.randint(1, 20))
    if state == PS.WITHDRAWN:
        p.withdrawn_at = p.submitted_at + datetime.timedelta(days=1)
        return
    p.department_view = "課の施策と方向が合い、協働で取り組む意義がある。実施体制は意見交換会で確認した。"
    p.department_view_at = p.submitted_at + datetime.timedelta(days=3)
    if state in (PS.SUBMITTED, PS.REVIEWING):
        return
    p.decided_by, p.decided_at = coordinator, decided_at
    if state == PS.REJECTED:
        p.rejection_category, p.rejection_reason = REJECTIONS[rng.randrange(len(REJECTIONS))]
    else:
        p.adopted_amount = p.city_share_requested
        if state == PS.CONDITIONAL:
            p.conditions = "実施前に担当課と役割分担を文書で確認すること。"


def _reviews(p: Proposal, reviewers, criteria, rng, *, conflict: bool):
    scores = []
    for i, reviewer in enumerate(reviewers):
        declared = conflict and i == len(reviewers) - 1
        review = Review.objects.create(
            proposal=p, reviewer=reviewer, conflict=declared, comment="" if declared else "地域の課題に合っている。"
        )
        if not declared:
            scores += [Score(review=review, criterion=c, value=rng.randint(2, 5)) for c in criteria]
    Score.objects.bulk_create(scores)


def _project(coordinator, p: Proposal, fy: int):
    """The project an adoption starts, or, for a 2年目, last year's extended (as proposals.services does)."""
    if p.term_year == 2 and p.previous and p.previous.project_id:
        return project_services.project_extend_term(
            actor=coordinator, project=p.previous.project, fiscal_year_end=fy, reason="2年目の提案を採択"
        )
    return project_services.project_create(
        actor=coordinator,
        title=p.title,
        parties=[p.applicant, p.department.party],
        department=p.department,
        summary=p.content,
        fiscal_year_start=fy,
        fiscal_year_end=fy,
        budget_total=p.budget_total,
        city_share=p.adopted_amount,
        origin=Origin.CITY if p.call.call_type == CallType.ADMINISTRATION else Origin.GROUP,
        route=CollaborationProject.Route.PROPOSAL,
    )
