"""Journey (f): one call of the proposal programme end to end. A coordinator sets up and opens a call,
a group applies and submits, the department in charge states its view, two reviewers score, the
coordinator records the decisions; the adopted proposal appears as a collaboration project with its
term, and the applicant of the unadopted one reads the reason."""

import datetime

from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from proposals import services
from proposals.models import Call, Proposal
from tests.browser.city import build_people
from tests.browser.support import assert_accessible, by_label


def test_one_call_from_opening_to_the_project(new_context, live_server):
    people = build_people()
    reviewer1 = f.make_department_staff(people.dept, email="rev1@example.jp", family_name="審査", given_name="一郎")
    reviewer2 = f.make_department_staff(people.dept, email="rev2@example.jp", family_name="審査", given_name="二郎")
    other_org = f.OrganizationFactory(name="ひまわり見守り隊")
    other_rep = f.make_group_member(other_org, email="other@example.jp")

    # The coordinator sets up the call and opens it.
    coord = new_context(user=people.coordinator).new_page()
    coord.goto(reverse("proposals:call_create"))
    by_label(coord, "名称").fill("令和7年度 市民提案型協働推進事業")
    coord.get_by_label("市民提案型").check()
    by_label(coord, "年度").fill("2025")
    by_label(coord, "募集の内容").fill("市と協働して地域の課題に取り組む事業を募集します。")
    by_label(coord, "応募できる団体").fill("市内で活動する市民活動団体")
    deadline = timezone.localtime() + datetime.timedelta(days=14)
    by_label(coord, "提案の締切").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    by_label(coord, "1事業あたりの上限額（円）").fill("3000000")
    by_label(coord, "公募全体の予算額（円）").fill("10000000")
    by_label(coord, "審査項目と重み").fill("公益性:3\n実現性:2")
    coord.get_by_label("審査 一郎").check()
    coord.get_by_label("審査 二郎").check()
    with coord.expect_navigation():
        coord.get_by_role("button", name="保存する").click()
    with coord.expect_navigation():
        coord.get_by_role("button", name="募集を始める").click()
    assert "募集中" in coord.locator("main").inner_text()
    call = Call.objects.get()
    assert call.status == Call.Status.OPEN

    # A group applies: a draft first, then it submits.
    group = new_context(user=people.group_rep).new_page()
    group.goto(call.get_absolute_url())
    assert_accessible(group)
    with group.expect_navigation():
        group.get_by_role("link", name="この公募に提案する").click()
    by_label(group, "担当課").select_option(label="こども育成部 子育て支援課")
    by_label(group, "事業名").fill("放課後の子どもの居場所づくり")
    by_label(group, "目的").fill("放課後にひとりで過ごす子どもの居場所をつくる")
    by_label(group, "事業内容").fill("週1回の食堂と学習支援")
    by_label(group, "地域の課題").fill("共働き家庭の増加で、放課後ひとりの子どもが多い")
    by_label(group, "受益者").fill("市内の小学生")
    by_label(group, "公益性").fill("会員に限らず地域の子ども全体が対象")
    by_label(group, "役割分担").fill("団体: 運営とボランティア / 市: 会場と広報")
    by_label(group, "事業額（円）").fill("2500000")
    by_label(group, "市負担額の要望（円）").fill("2000000")
    with group.expect_navigation():
        group.get_by_role("button", name="下書きを保存する").click()
    with group.expect_navigation():
        group.get_by_role("button", name="提出する").click()
    assert "提出済み" in group.locator("main").inner_text()
    proposal = Proposal.objects.get(title="放課後の子どもの居場所づくり")

    # A second group's proposal reaches review too (made through the services).
    rejected = services.proposal_create(
        actor=other_rep,
        call=call,
        applicant=other_org.party,
        data={
            "title": "見守りパトロール",
            "department": people.dept,
            "purpose": "見守り",
            "content": "巡回",
            "local_problem": "下校時の安全",
            "beneficiaries": "児童",
            "public_interest": "地域全体",
            "roles": "未定",
        },
    )
    services.proposal_move(actor=other_rep, proposal=rejected, action="submit")

    # The department in charge states its view on both.
    staff = new_context(user=people.dept_staff).new_page()
    for p in (proposal, rejected):
        staff.goto(p.get_absolute_url())
        with staff.expect_navigation():
            staff.get_by_role("link", name="担当課の意見を記入").click()
        by_label(staff, "担当課の意見").fill("課の施策と重なり、協働で取り組む意義がある。")
        with staff.expect_navigation():
            staff.get_by_role("button", name="記録する").click()

    # The deadline passes (moved, not waited for); the coordinator starts the review.
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    for p in (proposal, rejected):
        coord.goto(p.get_absolute_url())
        with coord.expect_navigation():
            coord.get_by_role("button", name="審査を始める").click()

    # Two reviewers score the group's proposal.
    for reviewer, value in ((reviewer1, "5"), (reviewer2, "4")):
        page = new_context(user=reviewer).new_page()
        page.goto(reverse("proposals:proposal_review", args=[proposal.pk]))
        by_label(page, "公益性（重み 3）").select_option(value)
        by_label(page, "実現性（重み 2）").select_option(value)
        by_label(page, "講評").fill("地域の課題が明確")
        with page.expect_navigation():
            page.get_by_role("button", name="保存する").click()
    coord.goto(reverse("proposals:call_summary", args=[call.pk]))
    assert "22.5" in coord.locator("table").first.inner_text()  # (25 + 20) / 2

    # The decisions: 採択 with the amount, and 不採択 with the reason the applicant will read.
    coord.goto(reverse("proposals:proposal_decide", args=[proposal.pk]))
    coord.get_by_label("採択", exact=True).check()
    by_label(coord, "採択額（市負担額・円）").fill("2000000")
    with coord.expect_navigation():
        coord.get_by_role("button", name="記録する").click()
    coord.goto(reverse("proposals:proposal_decide", args=[rejected.pk]))
    coord.get_by_label("不採択", exact=True).check()
    by_label(coord, "不採択の理由（区分）").select_option(label="協働の役割分担が明確でない")
    by_label(coord, "不採択の理由（提案者に示されます）").fill("市と団体の役割分担をさらに具体的にしてください。")
    with coord.expect_navigation():
        coord.get_by_role("button", name="記録する").click()

    # The adopted group sees the project with its term; the project page exists for it.
    group.goto(proposal.get_absolute_url())
    text = group.locator("main").inner_text()
    assert "採択" in text and "2,000,000円" in text and "1年目" in text
    with group.expect_navigation():
        group.get_by_role("link", name="協働事業「放課後の子どもの居場所づくり」（1年目）").click()
    assert "放課後の子どもの居場所づくり" in group.locator("h1").inner_text()
    assert group.url.endswith(reverse("projects:detail", args=[Proposal.objects.get(pk=proposal.pk).project_id]))
    origin = group.locator("section", has=group.get_by_role("heading", name="協働事業提案制度での採択")).inner_text()
    assert "令和7年度 市民提案型協働推進事業" in origin and "1年目" in origin and "2,000,000円" in origin
    assert "地域の課題が明確" not in origin  # the reviewers' comments stay on the committee's side

    # The other applicant reads the reason, and no score.
    other = new_context(user=other_rep).new_page()
    other.goto(rejected.get_absolute_url())
    text = other.locator("main").inner_text()
    assert "不採択" in text and "市と団体の役割分担をさらに具体的にしてください。" in text
    assert "地域の課題が明確" not in text and "評点" not in text
    assert_accessible(other)
