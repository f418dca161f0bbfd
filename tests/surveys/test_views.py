"""The survey's pages: each role once, the refusals, the messages, and pinned query counts."""

import datetime
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo import factories as f
from surveys import services
from surveys.models import Survey, SurveyResponse

from .conftest import FY

pytestmark = pytest.mark.django_db


def response_of(survey, department):
    return survey.responses.get(department=department)


def test_a_coordinator_opens_a_survey_from_the_page(client, setting):
    client.force_login(setting.coordinator)
    deadline = datetime.date.today() + datetime.timedelta(days=20)
    page = client.post(reverse("surveys:open"), {"fiscal_year": FY, "deadline": deadline.isoformat()})
    survey = Survey.objects.get()
    assert page.url == reverse("surveys:detail", args=[survey.pk])
    assert survey.responses.count() == 2


def test_a_past_deadline_is_refused_next_to_the_field_and_the_input_kept(client, setting):
    client.force_login(setting.coordinator)
    page = client.post(reverse("surveys:open"), {"fiscal_year": FY, "deadline": "2001-01-01"})
    assert page.status_code == 200
    assert "回答期限は今日以降の日付にしてください。" in page.content.decode()
    assert 'value="2001-01-01"' in page.content.decode()
    assert not Survey.objects.exists()


def test_staff_see_the_questionnaire_on_their_to_do_list(client, setting, survey):
    client.force_login(setting.staff)
    home = client.get(reverse("stats:dashboard")).content.decode()
    response = response_of(survey, setting.active)
    assert reverse("surveys:response", args=[response.pk]) in home
    assert "令和6年度 協働事業実態調査（協働課）" in home


def test_staff_start_save_and_submit_in_the_browser_form(client, setting, survey):
    response = response_of(survey, setting.active)
    pa = response.project_answers.get()
    url = reverse("surveys:response", args=[response.pk])
    client.force_login(setting.staff)
    first = client.get(url).content.decode()
    assert "回答を始める" in first
    client.post(reverse("surveys:start", args=[response.pk]))
    page = client.get(url).content.decode()
    for prefilled in ("子育てサロン", "共催", "子育てネット"):
        assert prefilled in page
    data = {
        "version": SurveyResponse.objects.get(pk=response.pk).version,
        "respondent": "担当 太郎",
        f"p{pa.pk}-origin": ["その他"],
        f"p{pa.pk}-origin_other": "要綱に基づく",
        f"p{pa.pk}-outcome": "成果が上がっている",
        "d-merits": ["特にない"],
        "d-continuation": "継続したい",
    }
    assert client.post(url, data).status_code == 302
    response.refresh_from_db()
    assert response.status == SurveyResponse.Status.DRAFT
    data["version"] = response.version
    data["submit"] = "1"
    client.post(url, data)
    response.refresh_from_db()
    assert response.status == SurveyResponse.Status.SUBMITTED
    assert response.answers == {"merits": ["特にない"], "continuation": ["継続したい"]}


def test_other_text_without_other_is_shown_next_to_the_field_and_nothing_is_lost(client, setting, survey):
    response = response_of(survey, setting.never)
    services.response_view(actor=setting.never_staff, response=response)
    client.force_login(setting.never_staff)
    data = {"version": response.version, "d-intent": "実施したい", "d-city_actions_other": "ルールを作る"}
    page = client.post(reverse("surveys:response", args=[response.pk]), data)
    body = page.content.decode()
    assert page.status_code == 200
    assert "「その他」を選んだときに内容を書いてください。" in body
    assert 'value="ルールを作る"' in body
    response.refresh_from_db()
    assert response.status == SurveyResponse.Status.OPENED


def test_answers_after_closing_are_refused_with_a_clear_message(client, setting, survey):
    services.survey_close(actor=setting.coordinator, survey=survey)
    response = response_of(survey, setting.never)
    client.force_login(setting.never_staff)
    page = client.post(
        reverse("surveys:response", args=[response.pk]), {"version": response.version, "submit": "1"}, follow=True
    )
    assert "この調査は締め切られました。回答の保存・提出はできません。" in page.content.decode()
    response.refresh_from_db()
    assert response.status == SurveyResponse.Status.NOT_OPENED


def test_coordinators_see_the_collection_status_remind_and_close(client, setting, survey):
    services.response_view(actor=setting.staff, response=response_of(survey, setting.active))
    client.force_login(setting.coordinator)
    page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    assert "未開封: 1" in page and "開封済み: 1" in page and "提出済み: 0" in page
    reminded = client.post(reverse("surveys:remind", args=[survey.pk]), follow=True).content.decode()
    assert "未提出の2課に督促を送りました。" in reminded
    client.post(reverse("surveys:close", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED


def test_a_coordinator_reopens_with_a_reason_from_the_answer_page(client, setting, survey):
    response = response_of(survey, setting.never)
    services.response_view(actor=setting.never_staff, response=response)
    services.response_submit(
        actor=setting.never_staff, response=response, answers={}, project_answers={}, expected_version=2
    )
    client.force_login(setting.coordinator)
    url = reverse("surveys:reopen", args=[response.pk])
    assert "差し戻す理由を入力してください。" in client.post(url, {"reason": ""}, follow=True).content.decode()
    client.post(url, {"reason": "自由意見の確認"})
    response.refresh_from_db()
    assert response.status == SurveyResponse.Status.DRAFT


def test_free_text_is_listed_by_question_for_coordinators_only(client, setting, survey):
    response = response_of(survey, setting.never)
    services.response_view(actor=setting.never_staff, response=response)
    services.response_submit(
        actor=setting.never_staff,
        response=response,
        answers={"free_opinion": "相談窓口がほしい"},
        project_answers={},
        expected_version=response.version,
    )
    url = reverse("surveys:free_text", args=[survey.pk])
    client.force_login(setting.coordinator)
    assert "相談窓口がほしい" in client.get(url).content.decode()
    client.force_login(setting.never_staff)
    assert client.get(url).status_code == 403
    report = client.get(reverse("stats:survey_report", args=[FY])).content.decode()
    assert "相談窓口がほしい" not in report


def test_the_whole_report_downloads_as_one_xlsx_and_one_pdf(client, setting, survey):
    xlsx = client.get(reverse("stats:survey_report_download", args=[FY, "xlsx"]))
    sheets = openpyxl.load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert sheets[:3] == [
        "協働事業を実施した経緯（実態調査）",
        "協働事業の実施体制（実態調査）",
        "協働事業の実施体制・協働の形態別（実態調査）",
    ]
    assert len(sheets) == 11
    pdf = client.get(reverse("stats:survey_report_download", args=[FY, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("stats:survey_report_download", args=[FY, "doc"])).status_code == 404


def test_two_survey_years_side_by_side(client, setting, survey):
    services.survey_open(actor=setting.coordinator, fiscal_year=FY - 1, deadline=datetime.date.today())
    report = client.get(reverse("stats:survey_report", args=[FY])).content.decode()
    compare = reverse("stats:survey_compare") + f"?a={FY - 1}&amp;b={FY}"
    assert compare in report
    page = client.get(reverse("stats:survey_compare"), {"a": FY - 1, "b": FY}).content.decode()
    assert "令和5年度" in page and "令和6年度" in page
    assert client.get(reverse("stats:survey_compare"), {"a": "x"}).status_code == 400


def test_options_are_edited_on_a_page(client, setting):
    client.force_login(setting.coordinator)
    client.post(reverse("surveys:options"), {"question": "continuation", "labels": "継続したい\n縮小して継続\n"})
    assert services.current_options()["continuation"] == ["継続したい", "縮小して継続"]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def add_sections(n):
    division = f.DivisionFactory()
    for _ in range(n):
        f.DepartmentFactory(parent=division)


def add_projects(department, n):
    for _ in range(n):
        f.ProjectParticipantFactory(project=f.CollaborationProjectFactory(department=department, fiscal_year_start=FY))


@pytest.mark.parametrize(
    "page,expected",
    [("detail", 6), ("free_text", 7), ("index", 6), ("response", 12), ("report", 20)],
)
def test_query_counts_do_not_grow_from_1_to_50_rows(client, setting, page, expected):
    """Each new page is read in a fixed number of queries whether it lists 1 row or 50."""
    counts = []
    for n in (1, 50):
        Survey.objects.all().delete()
        add_sections(n - 1 if n > 1 else 0)
        add_projects(setting.active, n - 1 if n > 1 else 0)
        survey = services.survey_open(actor=setting.coordinator, fiscal_year=FY, deadline=datetime.date.today())
        for r in survey.responses.select_related("survey"):
            members = r.department.memberships.all()
            user = members[0].user if members else None
            if user is not None:
                services.response_view(actor=user, response=r)
                services.response_submit(
                    actor=user,
                    response=r,
                    answers={"free_opinion": "意見"},
                    project_answers={pa.pk: {} for pa in r.project_answers.all()},
                    expected_version=r.version,
                )
        user = setting.staff if page == "response" else setting.coordinator
        client.force_login(user)
        url = {
            "detail": reverse("surveys:detail", args=[survey.pk]),
            "free_text": reverse("surveys:free_text", args=[survey.pk]),
            "index": reverse("surveys:index"),
            "response": reverse("surveys:response", args=[response_of(survey, setting.active).pk]),
            "report": reverse("stats:survey_report", args=[FY]),
        }[page]
        cache.clear()  # the same cold start for both counts (the unread-notice count is cached per user)
        counts.append(count_queries(client, url))
    assert counts == [expected, expected]
