"""Journey: a coordinator opens the annual survey, a collaborating section (①) and a section that
never collaborated (④) answer in the browser, the coordinator sees 回収状況, closes the survey, and
the report shows their answers."""

import datetime

from django.urls import reverse
from django.utils import timezone

from core.japanese import fiscal_year, fiscal_year_label
from organizations.models import CollaborationForm
from tests import factories as f
from tests.browser.support import assert_accessible


def test_coordinator_opens_two_sections_answer_coordinator_closes_and_the_report_shows_them(new_context, live_server):
    fy = fiscal_year(timezone.localdate()) - 1
    division = f.DivisionFactory(name="市民部")
    active = f.DepartmentFactory(name="協働課", parent=division)
    never = f.DepartmentFactory(name="未協働課", parent=division)
    project = f.CollaborationProjectFactory(
        title="子育てサロン",
        department=active,
        fiscal_year_start=fy - 1,
        fiscal_year_end=fy,
        forms=[CollaborationForm.objects.get(name="共催")],
    )
    f.ProjectParticipantFactory(project=project, party=f.OrganizationFactory(name="子育てネット").party)
    coordinator = f.make_coordinator(email="coord@example.jp")
    staff = f.make_department_staff(active, email="staff@example.jp")
    never_staff = f.make_department_staff(never, email="never@example.jp")

    coord = new_context(user=coordinator).new_page()
    coord.goto(reverse("surveys:index"))
    coord.get_by_label("調査対象年度").select_option(str(fy))
    coord.get_by_label("回答期限").fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    coord.get_by_role("button", name="調査を開始して各課に通知する").click()
    coord.get_by_role("heading", name="回収状況").wait_for()
    assert "未開封: 2" in coord.locator("#progress-counts").inner_text()
    assert_accessible(coord)

    # ① answers about its project (prefilled) and about collaboration in general.
    page = new_context(user=staff).new_page()
    page.goto(reverse("stats:dashboard"))
    page.get_by_role("link", name=f"{fiscal_year_label(fy)} 協働事業実態調査（協働課）").click()
    page.get_by_role("button", name="回答を始める").click()
    page.get_by_role("heading", name="回答する協働事業: 子育てサロン").wait_for()
    assert "子育てネット" in page.locator("main").inner_text()
    page.get_by_label("市と市民団体等のやりとりの中からアイデアが生まれて実施").check()
    page.get_by_label("成果が上がっている").check()
    page.get_by_label("行政だけでは実施できない様々なサービス等の提供が可能となる").check()
    page.get_by_label("継続したい").check()
    page.get_by_role("button", name="下書きを保存").click()
    page.get_by_text("下書きを保存しました。").wait_for()
    assert page.get_by_label("継続したい").is_checked(), "the draft keeps the answers"
    assert_accessible(page)
    page.get_by_role("button", name="提出する").click()
    page.get_by_text("回答を提出しました。").wait_for()

    # ④ answers the questions for sections without a record.
    page = new_context(user=never_staff).new_page()
    page.goto(reverse("surveys:index"))
    page.get_by_role("link", name=f"{fiscal_year_label(fy)} 協働事業実態調査（未協働課）").click()
    page.get_by_role("button", name="回答を始める").click()
    page.get_by_label("実施したい", exact=True).check()
    page.get_by_label("情報提供・情報交換").check()
    page.get_by_label("人材の育成").check()
    page.get_by_role("button", name="提出する").click()
    page.get_by_text("回答を提出しました。").wait_for()

    coord.reload()
    assert "提出済み: 2" in coord.locator("#progress-counts").inner_text()
    coord.get_by_role("button", name="調査を締め切る").click()
    coord.get_by_text("調査を締め切りました。").wait_for()

    coord.get_by_role("link", name="調査結果の報告").click()
    coord.get_by_role("heading", level=1).wait_for()
    intent = coord.locator("#table-survey-intent").inner_text()
    assert "実施したい\t1\t100.0" in intent, intent
    setup = coord.locator("#table-survey-setup").inner_text()
    assert "市と市民団体等のやりとりの中からアイデアが生まれて実施\t1\t100.0" in setup, setup
    requests = coord.locator("#table-survey-requests-to-groups").inner_text()
    assert "人材の育成\t1\t50.0\t0\t0.0\t1\t100.0" in requests, requests
    assert_accessible(coord)
