"""Journey (d): both parties fill and submit the 事前確認シート, the coordinator confirms it and
drafts the 協働事業確認書 from it, both parties confirm the agreement and print it as PDF, and
after the project both fill the ふりかえりシート."""

import io
import re

import pypdf
from django.urls import reverse

from organizations.models import CollaborationForm
from projects import services as projects
from projects.models import Agreement
from tests.browser.city import build_people
from tests.browser.support import assert_accessible, by_label, field_feedback

PURPOSE = "地域で子どもを見守る居場所を、団体と市が役割を分けてつくる。"


def fill_pre_sheet(page, url, *, contribution):
    page.goto(url)
    by_label(page, "地域の課題").fill("放課後にひとりで過ごす子どもが増えている。")
    by_label(page, "目的").fill(PURPOSE)
    by_label(page, "自らが提供できること").fill(contribution)
    by_label(page, "役割分担の案").fill("市は会場と広報、団体は食堂の運営")
    with page.expect_navigation():
        page.get_by_role("button", name="提出する").click()


def fill_review_sheet(page, url):
    page.goto(url)
    for item in ("goal_achievement", "equal_standing", "shared_goal", "role_split", "information_sharing", "trust"):
        page.locator(f"input[name$='-{item}'][value='4']").check()
    by_label(page, "良かった点").fill("毎月の打ち合わせで情報を共有できた。")
    by_label(page, "課題・問題点").fill("ボランティアの確保が難しかった。")
    # Without 今後の方向性 the sheet is not accepted: the message says what is missing, input stays.
    with page.expect_navigation():
        page.get_by_role("button", name="提出する").click()
    assert "is-invalid" in (by_label(page, "今後の方向性").get_attribute("class") or "")  # the error is beside it
    assert by_label(page, "良かった点").input_value() == "毎月の打ち合わせで情報を共有できた。"
    assert page.locator("input[name$='-trust'][value='4']").is_checked()
    by_label(page, "今後の方向性").select_option(index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="提出する").click()


def test_parties_fill_and_confirm_the_three_records_and_print_the_agreement(new_context, live_server):
    people = build_people()
    commission = CollaborationForm.objects.get(code="commission")
    project = projects.project_create(
        actor=people.coordinator,
        title="子ども食堂ネットワークづくり",
        parties=[people.dept.party, people.org.party],
        forms=[commission],
        fiscal_year_start=2025,
        budget_total=500000,
        city_share=300000,
        origin="both",
    )
    pre_sheet_url = live_server.url + reverse("projects:pre_sheet", args=[project.pk])
    agreement_url = live_server.url + reverse("projects:agreement", args=[project.pk])

    # 事前確認シート: each side writes and submits its part.
    group = new_context(user=people.group_editor).new_page()
    fill_pre_sheet(group, pre_sheet_url, contribution="子ども食堂の運営とボランティアの募集")
    staff = new_context(user=people.dept_staff).new_page()
    fill_pre_sheet(staff, pre_sheet_url, contribution="公民館の調理室の確保と市の広報紙での周知")

    # The coordinator confirms the sheet and drafts the agreement from it.
    coord = new_context(user=people.coordinator).new_page()
    coord.goto(pre_sheet_url)
    by_label(coord, "当事者間で目的が共有されていることを確認した").check()
    by_label(coord, "選んだ協働の形態").select_option(label="委託（協働委託）")
    by_label(coord, "コーディネーターの所見").fill("双方の役割が明確で、公益性も確認できた。")
    coord.get_by_role("button", name="共同欄を記入して確認する").click()
    coord.wait_for_load_state()
    coord.goto(agreement_url)
    coord.get_by_role("button", name="事前確認シートから確認書を作成する").click()

    # The agreement form: an empty required field is refused, the other input is kept.
    by_label(coord, "目的").fill("")
    by_label(coord, "責任分担・事故対応").fill("事故は各自の保険で対応し、市に報告する。")
    coord.get_by_role("button", name="保存する").click()
    assert "必須" in field_feedback(coord, "purpose")
    assert by_label(coord, "責任分担・事故対応").input_value() == "事故は各自の保険で対応し、市に報告する。"
    assert_accessible(coord)
    by_label(coord, "目的").fill(PURPOSE)
    coord.get_by_role("button", name="保存する").click()
    coord.wait_for_load_state()
    coord.get_by_role("button", name="各当事者に確認を依頼する").click()
    coord.wait_for_load_state()

    # Each side confirms for its party: the department's manager and the group's representative.
    manager = new_context(user=people.dept_manager).new_page()
    manager.goto(agreement_url)
    manager.get_by_role("button", name="子育て支援課として確認する").click()
    manager.wait_for_load_state()
    rep = new_context(user=people.group_rep).new_page()
    rep.goto(agreement_url)
    rep.get_by_role("button", name=f"{people.org.name}として確認する").click()
    rep.wait_for_load_state()
    agreement = Agreement.objects.get(project=project)
    assert agreement.status == Agreement.Status.FIXED, agreement.status
    assert agreement.purpose == PURPOSE

    # Print: the agreement as PDF, with the project and both parties in it.
    rep.goto(agreement_url)
    # WeasyPrint may take a while on a busy machine: allow it a minute.
    with rep.expect_download(timeout=90_000) as download_info:
        rep.locator("a[href*='/print/agreement.pdf']").first.click(no_wait_after=True)
    pdf = pypdf.PdfReader(io.BytesIO(open(download_info.value.path(), "rb").read()))  # noqa: PTH123
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pdf.pages))
    assert "子ども食堂ネットワークづくり" in text
    assert "子育て支援課" in text

    # ふりかえりシート after the project: both sides fill and submit it.
    project.refresh_from_db()
    projects.project_start(actor=people.coordinator, project=project)
    projects.review_open(actor=people.coordinator, project=project)
    review_url = live_server.url + reverse("projects:review_sheet", args=[project.pk])
    fill_review_sheet(group, review_url)
    fill_review_sheet(staff, review_url)
    parts = project.review_sheet.parts.all()
    assert [part.status for part in parts] == ["submitted", "submitted"], [part.status for part in parts]
