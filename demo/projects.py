"""Demo collaboration projects in every status over several fiscal years (seed_demo step, after matching).

Scale 1 is about 250 projects over 8 fiscal years, scale 20 about 5,000 over 15. Projects come from
the 成立 matches of demo/matching.py (ctx.made["established_matches"]), from direct entry by
coordinators, and from imported past records. Each carries the records its status implies: pre-sheets,
agreements (some changed, 変更確認書), check-ins with an interim review, review sheets (some with the
parties disagreeing), follow-ups, and a few published case studies. Proportions of forms, partner
kinds, origins and outcomes follow the cities' papers (事業協力 and 委託 most common). Everything is
bulk-inserted; choices come from ctx.rng only, dates are relative to today.
"""

import contextlib
import datetime
import hashlib

from django.utils import timezone

from core.japanese import fiscal_year, fiscal_year_label
from organizations.models import CollaborationForm, DepartmentMembership, OrganizationMembership
from projects.models import (
    Agreement,
    AgreementConfirmation,
    AgreementRole,
    CaseStudy,
    CaseStudyConsent,
    CheckIn,
    CollaborationProject,
    FollowUp,
    NextStep,
    PartStatus,
    PreConfirmationPart,
    PreConfirmationSheet,
    ProjectParticipant,
    ReviewPart,
    ReviewSheet,
)

S = CollaborationProject.Status
PROJECTS_PER_SCALE = 250
FORM_WEIGHTS = [
    ("cooperation", 30),
    ("commission", 22),
    ("co_hosting", 15),
    ("endorsement", 10),
    ("committee", 8),
    ("subsidy", 6),
    ("information", 4),
    ("planning", 2),
    ("public_property", 1),
    ("designated_manager", 1),
    ("sponsorship", 1),
]
ORIGIN_WEIGHTS = [("city", 45), ("group", 25), ("both", 25), ("other", 5)]
OUTCOME_WEIGHTS = [("good", 65), ("unsure", 25), ("poor", 10)]
CONTINUATION_WEIGHTS = [("department", 30), ("group", 25), ("other_form", 15), ("reduced", 15), ("ended", 15)]
THEMES = [
    "子育てサロンの共同運営",
    "地域の見守り活動",
    "海岸清掃と環境学習",
    "防災訓練と避難所運営の研修",
    "多文化共生の日本語教室",
    "子ども食堂のネットワークづくり",
    "里山の保全活動",
    "商店街のにぎわいづくり",
    "高齢者の居場所づくり",
    "障害のある人の就労体験",
    "放課後の学習支援",
    "消費者被害の防止講座",
    "市民文化祭の企画運営",
    "スポーツ教室の共同開催",
    "観光ボランティアガイドの育成",
    "地域情報のウェブ発信",
    "男女共同参画の啓発講座",
    "空き家を活用した交流拠点",
    "食育と地産地消の推進",
    "防犯パトロールの担い手育成",
]
CHECKIN_DONE = [
    "定例の打ち合わせで進捗を共有した。",
    "講座を開催し、参加者アンケートを集計した。",
    "広報紙への掲載原稿を確認した。",
    "ボランティアの研修を行った。",
    "会場の下見と安全確認を行った。",
]
CHECKIN_ISSUES = ["参加者が想定より少ない。", "団体の担い手が不足している。", "", "予算の執行が遅れている。", ""]
ROLE_TASKS = [
    ("会場の確保", "city"),
    ("企画・運営", "group"),
    ("広報（広報紙・ウェブサイト）", "city"),
    ("参加者の募集・受付", "group"),
    ("ふりかえりと報告書の作成", "joint"),
    ("関係機関との調整", "city"),
    ("当日のスタッフ", "joint"),
]


def _weighted(pairs):
    return [value for value, weight in pairs for _ in range(weight)]


@contextlib.contextmanager
def _keep_created_at(*models):
    fields = [m._meta.get_field("created_at") for m in models]
    saved = [f.auto_now_add for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, add in zip(fields, saved, strict=True):
            f.auto_now_add = add


def _status_for(fy, current_fy, rng):
    """The status a project of fiscal year `fy` is likely in today."""
    age = current_fy - fy
    if age <= 0:
        return _weighted([(S.PREPARING, 25), (S.AGREED, 15), (S.IN_PROGRESS, 45), (S.REVIEWING, 15)])[
            rng.randrange(100)
        ]
    if age == 1:
        return _weighted([(S.IN_PROGRESS, 15), (S.REVIEWING, 20), (S.COMPLETED, 35), (S.FOLLOW_UP, 30)])[
            rng.randrange(100)
        ]
    return S.FOLLOW_UP if rng.random() < 0.7 else S.COMPLETED


def _members(role_manager, role_rep):
    """party id → (any member's user id, an authorised person's user id or None)."""
    out = {}
    for party_id, user_id, role in DepartmentMembership.objects.order_by("id").values_list(
        "department__party_id", "user_id", "role"
    ):
        any_id, auth = out.get(party_id, (user_id, None))
        out[party_id] = (any_id, auth or (user_id if role == role_manager else None))
    for party_id, user_id, role in OrganizationMembership.objects.order_by("id").values_list(
        "organization__party_id", "user_id", "role"
    ):
        any_id, auth = out.get(party_id, (user_id, None))
        out[party_id] = (any_id, auth or (user_id if role == role_rep else None))
    return out


def seed(ctx):
    rng = ctx.rng
    today = timezone.localdate()
    current_fy = fiscal_year(today)
    years = min(15, 7 + ctx.scale)
    users = ctx.made["users"]
    coordinators = [users["coordinator"], users["center"]]
    forms = {fm.code: fm for fm in CollaborationForm.objects.all()}
    form_pool = [c for c in _weighted(FORM_WEIGHTS) if c in forms]
    origins, outcomes, continuations = (
        _weighted(ORIGIN_WEIGHTS),
        _weighted(OUTCOME_WEIGHTS),
        _weighted(CONTINUATION_WEIGHTS),
    )
    departments = [d for d in ctx.made["departments"] if not d.is_coordinating_section]
    organizations = ctx.made["organizations"]
    main = ctx.made["main_departments"]
    npo = users["group_rep"].organization_memberships.first().organization
    members = _members(DepartmentMembership.Role.MANAGER, OrganizationMembership.Role.REPRESENTATIVE)

    specs = []
    # The demo logins' own projects, one in each status, so every page has something to show.
    showcase = [S.PREPARING, S.AGREED, S.IN_PROGRESS, S.REVIEWING, S.COMPLETED, S.FOLLOW_UP]
    for i, status in enumerate(showcase):
        fy = current_fy if status in (S.PREPARING, S.AGREED, S.IN_PROGRESS, S.REVIEWING) else current_fy - 2
        specs.append(
            dict(
                title=[
                    "子ども食堂のネットワークづくり",
                    "放課後の学習支援",
                    "親子の居場所サロン",
                    "子育て情報の多言語発信",
                    "子育てフェスタの共同開催",
                    "産前産後の見守り訪問",
                ][i],
                parties=[main["子育て支援課"].party_id, npo.party_id],
                department_id=main["子育て支援課"].pk,
                fy=fy,
                status=status,
                match=None,
                kind="direct",
            )
        )
    # Projects that began as 成立 matches.
    established = ctx.made.get("established_matches") or []
    if established:
        from matching.models import MatchParticipant

        accepted = {}
        for match_id, party_id, kind, dept_id in (
            MatchParticipant.objects.filter(match__in=established, response="accepted")
            .order_by("id")
            .values_list("match_id", "party_id", "party__kind", "party__department__id")
        ):
            accepted.setdefault(match_id, []).append((party_id, kind, dept_id))
        for match in established:
            parties = accepted.get(match.pk, [])
            if len(parties) < 2:
                continue
            closed = (match.closed_at or timezone.now()).date()
            age_days = (today - closed).days
            fy = fiscal_year(closed)
            if age_days < 60:
                status = S.PREPARING
            elif age_days < 120:
                status = S.AGREED if rng.random() < 0.5 else S.IN_PROGRESS
            else:
                status = _status_for(fy, current_fy, rng)
            specs.append(
                dict(
                    title=match.title[:200],
                    parties=[p for p, _k, _d in parties],
                    department_id=next((d for _p, k, d in parties if k == "department"), None),
                    fy=fy,
                    status=status,
                    match=match,
                    kind="match",
                    coordinator=match.coordinator_id,
                )
            )
    # Directly entered and imported past records fill the years.
    total = PROJECTS_PER_SCALE * ctx.scale
    ages = list(range(years))
    # Recent years carry somewhat more (the matched projects add to the current and last year).
    age_weights = [0.4 if a == 0 else 1.0 - 0.04 * a for a in ages]
    while len(specs) < total:
        fy = current_fy - rng.choices(ages, weights=age_weights)[0]
        dept = departments[rng.randrange(len(departments))]
        org = organizations[rng.randrange(len(organizations))]
        parties = [dept.party_id, org.party_id]
        if rng.random() < 0.08:
            extra = organizations[rng.randrange(len(organizations))].party_id
            if extra not in parties:
                parties.append(extra)
        imported = current_fy - fy >= 4 and rng.random() < 0.6
        theme = THEMES[rng.randrange(len(THEMES))]
        specs.append(
            dict(
                title=f"{theme}（{fiscal_year_label(fy)}）" if imported else theme,
                parties=parties,
                department_id=dept.pk,
                fy=fy,
                status=S.COMPLETED if imported else _status_for(fy, current_fy, rng),
                match=None,
                kind="imported" if imported else "direct",
            )
        )

    # --- projects ---------------------------------------------------------------------------------
    projects = []
    for n, spec in enumerate(specs):
        code = form_pool[rng.randrange(len(form_pool))]
        spec["forms"] = [code] + ([form_pool[rng.randrange(len(form_pool))]] if rng.random() < 0.15 else [])
        spec["forms"] = list(dict.fromkeys(spec["forms"]))
        total_yen = None if code in ("endorsement", "information") else rng.randrange(5, 300) * 10000
        share = None if total_yen is None else int(total_yen * rng.choice([0, 0.3, 0.5, 0.7, 1.0]))
        fy_end = spec["fy"] + (1 if rng.random() < 0.2 and spec["fy"] < current_fy else 0)
        status = spec["status"]
        started = datetime.date(spec["fy"], 4, 1) + datetime.timedelta(days=rng.randint(0, 100))
        if started > today:
            started = today - datetime.timedelta(days=rng.randint(1, 30))
        done = status in (S.COMPLETED, S.FOLLOW_UP)
        completed_on = min(datetime.date(fy_end + 1, 3, 31), today - datetime.timedelta(days=20)) if done else None
        key = (
            hashlib.sha256(f"demo|{spec['fy']}|{spec['title']}|{n}".encode()).hexdigest()
            if spec["kind"] == "imported"
            else None
        )
        projects.append(
            CollaborationProject(
                title=spec["title"],
                match=spec["match"],
                department_id=spec["department_id"],
                summary=f"{spec['title']}に、市と団体がそれぞれの強みを持ち寄って取り組む。",
                fiscal_year_start=spec["fy"],
                fiscal_year_end=fy_end if (done or fy_end != spec["fy"]) else None,
                budget_total=total_yen,
                city_share=share,
                origin="both" if spec["kind"] == "match" else origins[rng.randrange(len(origins))],
                coordinator_id=spec.get("coordinator") or coordinators[n % 2].pk,
                status=status,
                outcome=outcomes[rng.randrange(len(outcomes))] if done else "",
                continuation=continuations[rng.randrange(len(continuations))] if done else "",
                started_on=started if status not in (S.PREPARING, S.AGREED) else None,
                completed_on=completed_on,
                is_imported=spec["kind"] == "imported",
                route=spec["kind"],  # direct, match or imported: a CollaborationProject.Route
                import_key=key,
                created_by_id=coordinators[n % 2].pk,
                created_at=timezone.make_aware(datetime.datetime.combine(min(started, today), datetime.time(9))),
            )
        )
    with _keep_created_at(CollaborationProject):
        CollaborationProject.objects.bulk_create(projects, batch_size=2000)
    ctx.progress("projects", len(projects), len(projects))

    participants, form_links = [], []
    FormThrough = CollaborationProject.forms.through
    for project, spec in zip(projects, specs, strict=True):
        for party_id in spec["parties"]:
            participants.append(ProjectParticipant(project=project, party_id=party_id))
        for code in spec["forms"]:
            form_links.append(FormThrough(collaborationproject_id=project.pk, collaborationform_id=forms[code].pk))
    ProjectParticipant.objects.bulk_create(participants, batch_size=5000)
    FormThrough.objects.bulk_create(form_links, batch_size=5000)
    by_project = {}
    for p in participants:
        by_project.setdefault(p.project_id, []).append(p)

    _seed_records(ctx, projects, specs, by_project, members, forms, today, rng)
    ctx.made["projects"] = projects
    ctx.count("projects", len(projects))


def _user_for(members, party_id, fallback, authorised=False):
    any_id, auth = members.get(party_id, (None, None))
    return (auth if authorised else any_id) or (any_id if authorised else None) or fallback


def _seed_records(ctx, projects, specs, by_project, members, forms, today, rng):
    order = [S.PREPARING, S.AGREED, S.IN_PROGRESS, S.REVIEWING, S.COMPLETED, S.FOLLOW_UP]
    live = [(p, s) for p, s in zip(projects, specs, strict=True) if not p.is_imported]
    now = timezone.now()

    def reached(project, status):
        return order.index(project.status) >= order.index(status)

    # 事前確認シート
    sheets = []
    for project, spec in live:
        confirmed = reached(project, S.AGREED) or rng.random() < 0.3
        sheets.append(
            PreConfirmationSheet(
                project=project,
                purpose_shared=True if confirmed else None,
                chosen_form_id=forms[spec["forms"][0]].pk if confirmed else None,
                coordinator_note="双方の目的が一致していることを確認した。" if confirmed else "",
                confirmed_by_id=project.coordinator_id if confirmed else None,
                confirmed_at=now - datetime.timedelta(days=rng.randint(30, 400)) if confirmed else None,
            )
        )
    PreConfirmationSheet.objects.bulk_create(sheets, batch_size=2000)
    parts = []
    for sheet, (project, spec) in zip(sheets, live, strict=True):
        for i, participant in enumerate(by_project[project.pk]):
            submitted = sheet.confirmed_at is not None or rng.random() < 0.5
            is_city = i == 0
            parts.append(
                PreConfirmationPart(
                    sheet=sheet,
                    participant=participant,
                    local_problem=f"{spec['title']}に関わる地域の担い手が不足している。",
                    purpose=f"{spec['title']}を通じて、地域の課題を市民と行政が一緒に解決する。",
                    beneficiaries="市内の子ども・高齢者・子育て家庭など",
                    public_interest="不特定多数の市民が利益を受ける。",
                    contribution="会場の提供と広報、関係機関との調整" if is_city else "企画と運営、ボランティアの派遣",
                    expectations="現場の知見と機動力" if is_city else "広報と会場の確保",
                    form_in_mind_id=forms[spec["forms"][0]].pk,
                    roles="広報と会場" if is_city else "企画と運営",
                    schedule="4月に準備、6月から実施、2月にふりかえり",
                    costs="会場費は市、材料費は団体",
                    risks="悪天候による中止",
                    track_record="" if is_city else "市内で10年以上活動",
                    members_info="" if is_city else "会員30名、うち中心メンバー8名",
                    finances="" if is_city else "会費と助成金で運営",
                    status=PartStatus.SUBMITTED if submitted else PartStatus.DRAFT,
                    submitted_by_id=_user_for(members, participant.party_id, project.coordinator_id)
                    if submitted
                    else None,
                    submitted_at=(sheet.confirmed_at or now) - datetime.timedelta(days=3) if submitted else None,
                )
            )
    PreConfirmationPart.objects.bulk_create(parts, batch_size=5000)
    ctx.count("pre-sheet parts", len(parts))

    # 協働事業確認書 (some changed: v1 superseded by a fixed v2, or a v2 waiting for confirmation)
    agreements, agreement_specs = [], []
    confirmed_sheets = {sheet.project_id for sheet in sheets if sheet.confirmed_at}
    for project, spec in live:
        draft_only = project.status == S.PREPARING and project.pk in confirmed_sheets and rng.random() < 0.6
        if not (reached(project, S.AGREED) or draft_only):
            continue
        versions = 1
        if reached(project, S.IN_PROGRESS) and rng.random() < 0.15:
            versions = 2
        pending_change = versions == 2 and project.status == S.IN_PROGRESS and rng.random() < 0.3
        start = datetime.date(project.fiscal_year_start, 4, 1)
        end = datetime.date((project.fiscal_year_end or project.fiscal_year_start) + 1, 3, 31)
        for number in range(1, versions + 1):
            if draft_only:
                status = Agreement.Status.DRAFT if rng.random() < 0.5 else Agreement.Status.CONFIRMING
            elif number < versions:
                status = Agreement.Status.FIXED if pending_change else Agreement.Status.SUPERSEDED
            elif pending_change:
                status = Agreement.Status.CONFIRMING
            else:
                status = Agreement.Status.FIXED
            budget = project.budget_total
            if number == 2 and budget:
                budget = int(budget * 1.2)
            fixed = status in (Agreement.Status.FIXED, Agreement.Status.SUPERSEDED)
            agreements.append(
                Agreement(
                    project=project,
                    number=number,
                    status=status,
                    purpose=f"{spec['title']}を通じて、地域の課題を市民と行政が一緒に解決する。",
                    content=f"{spec['title']}の企画・実施・ふりかえり",
                    period_start=start,
                    period_end=end,
                    budget_total=budget,
                    city_share=min(project.city_share, budget)
                    if project.city_share is not None and budget
                    else project.city_share,
                    cost_note="会場費は市、材料費は団体が負担する。",
                    responsibility="各当事者が自らの役割の範囲で責任を負う。",
                    personal_data="参加者の個人情報は目的外に利用しない。",
                    ownership="成果物は当事者の共有とする。",
                    meeting_frequency=["毎月1回", "隔月1回", "四半期に1回"][rng.randrange(3)],
                    interim_review_on=start + datetime.timedelta(days=180),
                    amendment_termination="当事者の協議により変更・解除する。",
                    change_reason="事業の拡充に伴い事業額を変更する。" if number == 2 else "",
                    created_by_id=project.coordinator_id,
                    fixed_at=now - datetime.timedelta(days=rng.randint(30, 500)) if fixed else None,
                )
            )
            agreement_specs.append(spec)
    Agreement.objects.bulk_create(agreements, batch_size=2000)
    roles, confirmations, agreement_forms = [], [], []
    AgreementForms = Agreement.forms.through
    for agreement, spec in zip(agreements, agreement_specs, strict=True):
        k = 3 + (agreement.project_id + agreement.number) % 3
        for order_no, (task, assignee) in enumerate(
            ROLE_TASKS[:k] + ([("報告書の作成", "joint")] if agreement.number == 2 else [])
        ):
            roles.append(AgreementRole(agreement=agreement, task=task, assignee=assignee, order=order_no))
        for code in spec["forms"]:
            agreement_forms.append(AgreementForms(agreement_id=agreement.pk, collaborationform_id=forms[code].pk))
        if agreement.status in (Agreement.Status.FIXED, Agreement.Status.SUPERSEDED, Agreement.Status.CONFIRMING):
            for i, participant in enumerate(by_project[agreement.project_id]):
                if agreement.status == Agreement.Status.CONFIRMING and i > 0:
                    break
                confirmations.append(
                    AgreementConfirmation(
                        agreement=agreement,
                        participant=participant,
                        confirmed_by_id=_user_for(
                            members, participant.party_id, agreement.project.coordinator_id, authorised=True
                        ),
                        confirmed_at=agreement.fixed_at or now,
                    )
                )
    AgreementRole.objects.bulk_create(roles, batch_size=5000)
    AgreementForms.objects.bulk_create(agreement_forms, batch_size=5000)
    AgreementConfirmation.objects.bulk_create(confirmations, batch_size=5000)
    ctx.count("agreements", len(agreements))

    # Check-ins, with an interim review
    checkins = []
    for project, _spec in live:
        if not reached(project, S.IN_PROGRESS) or not project.started_on:
            continue
        last = project.completed_on or today
        for i in range(rng.randint(2, 5)):
            held = project.started_on + datetime.timedelta(days=30 * (i + 1))
            if held > last:
                break
            checkins.append(
                CheckIn(
                    project=project,
                    held_on=held,
                    is_interim_review=i == 2,
                    done="中間評価: 目標の半分を達成した。"
                    if i == 2
                    else CHECKIN_DONE[rng.randrange(len(CHECKIN_DONE))],
                    issues=CHECKIN_ISSUES[rng.randrange(len(CHECKIN_ISSUES))],
                    next_steps="次回までに参加者募集の方法を見直す。",
                    author_id=project.coordinator_id,
                )
            )
    CheckIn.objects.bulk_create(checkins, batch_size=5000)
    ctx.count("check-ins", len(checkins))

    # ふりかえりシート (a share of the parties disagree)
    review_sheets, review_projects = [], []
    for project, _spec in live:
        if not reached(project, S.REVIEWING):
            continue
        done = project.status in (S.COMPLETED, S.FOLLOW_UP)
        review_sheets.append(
            ReviewSheet(
                project=project,
                agreed_improvements="打ち合わせの頻度を増やし、決める前に双方で協議する。" if done else "",
                finalized_by_id=project.coordinator_id if done else None,
                finalized_at=timezone.make_aware(datetime.datetime.combine(project.completed_on, datetime.time(17)))
                if done
                else None,
            )
        )
        review_projects.append(project)
    ReviewSheet.objects.bulk_create(review_sheets, batch_size=2000)
    review_parts = []
    next_steps = [v for v, _label in NextStep.choices]
    for sheet, project in zip(review_sheets, review_projects, strict=True):
        done = project.status in (S.COMPLETED, S.FOLLOW_UP)
        disagree = rng.random() < 0.3
        base = rng.randint(3, 5)
        for i, participant in enumerate(by_project[project.pk]):
            submitted = done or rng.random() < 0.5
            gap = -2 if (disagree and i == 1) else 0
            review_parts.append(
                ReviewPart(
                    sheet=sheet,
                    participant=participant,
                    goal_achievement=max(1, base + gap),
                    goal_comment="おおむね目標を達成できた。" if gap == 0 else "目標の一部にとどまった。",
                    equal_standing=max(1, base + gap),
                    shared_goal=base,
                    role_split=max(1, min(5, base + rng.choice([-1, 0, 1]))),
                    information_sharing=max(1, base - 1 + gap),
                    trust=base,
                    went_well="それぞれの強みを生かせた。",
                    problems="" if gap == 0 else "相談なく決まったことがあった。",
                    improvements="早めに情報を共有する。",
                    handover="次年度の担当者に経緯を引き継ぐ。",
                    next_step=(
                        next_steps[(i + 1) % len(next_steps)] if disagree else project.continuation or "department"
                    )
                    if submitted
                    else "",
                    status=PartStatus.SUBMITTED if submitted else PartStatus.DRAFT,
                    submitted_by_id=_user_for(members, participant.party_id, project.coordinator_id)
                    if submitted
                    else None,
                    submitted_at=now - datetime.timedelta(days=rng.randint(1, 60)) if submitted else None,
                )
            )
    ReviewPart.objects.bulk_create(review_parts, batch_size=5000)
    ctx.count("review parts", len(review_parts))

    # アフターフォロー at 1, 2, 3 years; recorded when due for projects in アフターフォロー
    follow_ups = []
    for project, _spec in live:
        if project.status not in (S.COMPLETED, S.FOLLOW_UP):
            continue
        for years in (1, 2, 3):
            due = project.completed_on.replace(year=project.completed_on.year + years)
            recorded = project.status == S.FOLLOW_UP and due <= today
            continued = rng.random() < 0.7
            follow_ups.append(
                FollowUp(
                    project=project,
                    years_after=years,
                    due_on=due,
                    recorded_on=due + datetime.timedelta(days=rng.randint(0, 20)) if recorded else None,
                    continued=continued if recorded else None,
                    continuation=project.continuation if recorded and continued else "",
                    contact_kept=rng.random() < 0.8 if recorded else None,
                    note="担当課と団体の連絡は続いている。" if recorded else "",
                    recorded_by_id=project.coordinator_id if recorded else None,
                )
            )
    FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
    ctx.count("follow-ups", len(follow_ups))

    # A few published case studies, with every participant's consent
    cases, consents = [], []
    candidates = [p for p, _s in live if p.status in (S.COMPLETED, S.FOLLOW_UP) and p.outcome == "good"]
    for project in candidates[:: max(1, len(candidates) // (6 * ctx.scale) or 1)][: 6 * ctx.scale]:
        cases.append(
            CaseStudy(
                project=project,
                summary=f"{project.title}では、市と団体が役割を分担し、地域の課題に一緒に取り組みました。",
                contributions="市: 会場と広報、関係機関との調整\n団体: 企画と運営、ボランティア",
                is_published=True,
                published_at=now - datetime.timedelta(days=rng.randint(1, 300)),
            )
        )
    CaseStudy.objects.bulk_create(cases)
    for case in cases:
        for participant in by_project[case.project_id]:
            consents.append(
                CaseStudyConsent(
                    case_study=case,
                    participant=participant,
                    consented_by_id=_user_for(
                        members, participant.party_id, case.project.coordinator_id, authorised=True
                    ),
                    consented_at=case.published_at,
                )
            )
    CaseStudyConsent.objects.bulk_create(consents, batch_size=5000)
    ctx.count("case studies", len(cases))
