import datetime
import io

import pypdf
import pytest
from django.urls import reverse

from demo import factories as f
from organizations.models import CollaborationForm
from projects import services
from projects.models import CollaborationProject, PartStatus

from .conftest import PRE_DATA, agree, part_of

pytestmark = pytest.mark.django_db


def url(name, project, *args):
    return reverse(f"projects:{name}", args=[project.pk, *args])


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages)


# --- list -------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, project):
    for name in ("detail", "pre_sheet", "agreement", "review_sheet"):
        response = client.get(url(name, project))
        assert response.status_code == 302 and "login" in response["Location"]
    assert client.get(reverse("projects:list")).status_code == 302


def test_members_list_only_their_projects(client, project, people):
    other = f.CollaborationProjectFactory(title="よその事業")
    f.ProjectParticipantFactory(project=other)
    client.force_login(people.group_editor)
    content = client.get(reverse("projects:list")).content.decode()
    assert project.title in content and "よその事業" not in content
    client.force_login(people.outsider)
    assert project.title not in client.get(reverse("projects:list")).content.decode()


def test_coordinators_list_all_projects_with_filters(client, project, people):
    f.CollaborationProjectFactory(title="昔の事業", fiscal_year_start=2019, fiscal_year_end=2019)
    client.force_login(people.coordinator)
    content = client.get(reverse("projects:list")).content.decode()
    assert project.title in content and "昔の事業" in content and "令和元年度" in content
    content = client.get(reverse("projects:list"), {"fiscal_year": 2019}).content.decode()
    assert "昔の事業" in content and project.title not in content
    content = client.get(reverse("projects:list"), {"status": "completed"}).content.decode()
    assert project.title not in content
    content = client.get(reverse("projects:list"), {"department": people.dept.pk}).content.decode()
    assert project.title in content and "昔の事業" not in content


def _make_projects(n, coordinator):
    forms = list(CollaborationForm.objects.all()[:2])
    for i in range(n):
        p = f.CollaborationProjectFactory(title=f"事業{i}", forms=forms)
        f.ProjectParticipantFactory(project=p)
        f.ProjectParticipantFactory(project=p, party=p.department.party)


def test_list_query_count_is_the_same_for_1_and_50_projects(client, people, django_assert_num_queries):
    client.force_login(people.coordinator)
    _make_projects(1, people.coordinator)
    client.get(reverse("projects:list"))  # warm the session/user caches
    with django_assert_num_queries(9):
        client.get(reverse("projects:list"))
    _make_projects(49, people.coordinator)
    with django_assert_num_queries(9):
        response = client.get(reverse("projects:list"))
    assert response.content.decode().count("<tr>") == 51


# session, user, project (sheets and case study joined), forms, participants, agreements,
# check-ins, follow-ups, the user's roles, pre-sheet parts, review parts, history, notices badge,
# the sections higher apps add (projects.sections: the proposal programme's adopted proposals).
DETAIL_QUERIES = 13


@pytest.mark.parametrize("role", ["group_rep", "coordinator"])
def test_detail_query_count_does_not_grow_with_checkins(client, project, people, django_assert_num_queries, role):
    agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    services.review_open(actor=people.coordinator, project=project)
    user = getattr(people, role)
    client.force_login(user)
    services.checkin_add(actor=user, project=project, held_on=datetime.date(2025, 6, 1), done="1回目")
    client.get(url("detail", project))
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(url("detail", project))
    for day in range(2, 12):
        services.checkin_add(actor=user, project=project, held_on=datetime.date(2025, 6, day), done="記録")
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(url("detail", project))
    html = response.content.decode()
    assert html.count("記録") >= 10
    assert url("print", project, "review") in html  # the review sheet was joined, not looked up


# --- detail and create ---------------------------------------------------------------------------


def test_detail_shows_parties_budget_years_records_and_next_step(client, project, people):
    client.force_login(people.dept_staff)
    content = client.get(url("detail", project)).content.decode()
    for text in (
        people.org.name,
        people.dept.name,
        "500,000円",
        "300,000円",
        "令和7年度",
        "委託（協働委託）",
        "準備中",
    ):
        assert text in content
    assert "事前確認シートの提出待ち" in content


def test_outsiders_get_404_on_every_project_page(client, project, people):
    client.force_login(people.outsider)
    for name in ("detail", "pre_sheet", "agreement", "review_sheet", "case_edit"):
        assert client.get(url(name, project)).status_code == 404
    assert client.get(url("print_pdf", project, "pre-sheet")).status_code == 404
    assert client.get(url("print", project, "pre-sheet")).status_code == 404


def test_coordinator_enters_a_project_directly(client, people):
    client.force_login(people.coordinator)
    assert client.get(reverse("projects:create")).status_code == 200
    response = client.post(
        reverse("projects:create"),
        {
            "title": "里山保全の協働",
            "department": people.dept.pk,
            "organizations": [people.org.pk],
            "forms": [CollaborationForm.objects.get(code="cooperation").pk],
            "fiscal_year_start": 2024,
            "fiscal_year_end": 2025,
            "budget_total": 100000,
            "city_share": 50000,
            "origin": "group",
        },
    )
    project = CollaborationProject.objects.get(title="里山保全の協働")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.participants.count() == 2 and project.pre_sheet.parts.count() == 2
    content = client.get(project.get_absolute_url()).content.decode()
    assert "令和6年度" in content and "令和7年度" in content


def test_create_form_errors_in_japanese_and_keeps_input(client, people):
    client.force_login(people.coordinator)
    response = client.post(
        reverse("projects:create"),
        {
            "title": "予算が逆",
            "department": people.dept.pk,
            "fiscal_year_start": 2025,
            "budget_total": 10,
            "city_share": 20,
        },
    )
    content = response.content.decode()
    assert response.status_code == 200 and "市負担額は事業額を超えられません" in content and "予算が逆" in content
    assert "協働先を1つ以上選んでください" in content


def test_non_coordinators_cannot_enter_projects(client, people):
    client.force_login(people.dept_manager)
    assert client.get(reverse("projects:create")).status_code == 403


# --- 事前確認シート -------------------------------------------------------------------------------


def _pre_post(part, **data):
    prefix = f"part{part.pk}"
    payload = {"part": part.pk, f"{prefix}-version": data.pop("version", part.version)}
    payload.update({f"{prefix}-{k}": v for k, v in data.items()})
    return payload


def test_group_cannot_edit_the_departments_part(client, project, people):
    dept_part = part_of(project, people.dept.party)
    client.force_login(people.group_rep)
    page = client.get(url("pre_sheet", project)).content.decode()
    assert f'name="part" value="{dept_part.pk}"' not in page
    response = client.post(url("pre_sheet", project), _pre_post(dept_part, purpose="横取り"))
    assert response.status_code == 403
    dept_part.refresh_from_db()
    assert dept_part.purpose == ""


def test_member_saves_a_draft_then_submits_and_the_part_becomes_read_only(client, project, people):
    part = part_of(project, people.org.party)
    client.force_login(people.group_editor)
    response = client.post(url("pre_sheet", project), _pre_post(part, purpose="下書きの目的"))
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.purpose == "下書きの目的" and part.status == PartStatus.DRAFT
    response = client.post(url("pre_sheet", project), {**_pre_post(part, **PRE_DATA), "submit": "1"})
    part.refresh_from_db()
    assert part.status == PartStatus.SUBMITTED
    page = client.get(url("pre_sheet", project)).content.decode()
    assert f'name="part" value="{part.pk}"' not in page and PRE_DATA["purpose"] in page


def test_concurrent_edit_is_refused_showing_the_other_version_and_keeping_my_input(client, project, people):
    part = part_of(project, people.org.party)
    loaded = part.version
    services.pre_part_save(actor=people.group_rep, part=part, data={"purpose": "代表者が先に保存"}, version=loaded)
    client.force_login(people.group_editor)
    response = client.post(url("pre_sheet", project), _pre_post(part, version=loaded, purpose="編集者の入力"))
    content = response.content.decode()
    assert response.status_code == 409
    assert "ほかの人が先に保存しました" in content
    assert "代表者が先に保存" in content  # the other's version
    assert "編集者の入力" in content  # my input kept in the form
    part.refresh_from_db()
    assert part.purpose == "代表者が先に保存"
    # Having seen the other version, a deliberate second save goes through.
    response = client.post(url("pre_sheet", project), _pre_post(part, purpose="編集者の入力"))
    part.refresh_from_db()
    assert response.status_code == 302 and part.purpose == "編集者の入力"


def test_coordinator_returns_a_part_with_a_reason(client, project, people):
    part = part_of(project, people.org.party)
    services.pre_part_save(actor=people.group_rep, part=part, data=PRE_DATA, version=None, submit=True)
    client.force_login(people.group_rep)
    assert client.post(url("pre_part_return", project, part.pk), {"reason": "x"}).status_code == 403
    client.force_login(people.coordinator)
    client.post(url("pre_part_return", project, part.pk), {"reason": "受益者を書いてください"})
    part.refresh_from_db()
    assert part.status == PartStatus.RETURNED
    client.force_login(people.group_rep)
    assert "受益者を書いてください" in client.get(url("pre_sheet", project)).content.decode()


# --- 協働事業確認書 ---------------------------------------------------------------------------------


def test_agreement_draft_refused_before_pre_sheet_is_submitted_shows_why(client, project, people):
    client.force_login(people.coordinator)
    response = client.post(url("agreement_draft", project), follow=True)
    assert "事前確認シートが提出されるまで確認書は作成できません" in response.content.decode()
    assert not project.agreements.exists()


def test_editor_cannot_confirm_an_agreement(client, project, people):
    agreement = agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    second = services.agreement_amend(actor=people.coordinator, agreement=agreement, change_reason="期間延長")
    services.agreement_send(actor=people.coordinator, agreement=second)
    org_p = project.participants.get(party=people.org.party)
    client.force_login(people.group_editor)
    page = client.get(url("agreement", project)).content.decode()
    assert "として確認する" not in page
    response = client.post(url("agreement_confirm", project), {"participant": org_p.pk})
    assert response.status_code == 403
    assert not second.confirmations.exists()


# --- print and case studies ---------------------------------------------------------------------


def test_print_html_view_is_for_participants(client, project, people):
    client.force_login(people.group_rep)
    response = client.get(url("print", project, "pre-sheet"))
    assert response.status_code == 200 and "事前確認シート" in response.content.decode()
    assert client.get(url("print", project, "nonsense")).status_code == 404


def test_case_pages_are_public_only_once_published(client, project, people):
    from projects.models import CaseStudy

    unpublished = CaseStudy.objects.create(project=project, summary="まだ非公開")
    assert client.get(reverse("projects:case_detail", args=[unpublished.pk])).status_code == 404
    assert "まだ非公開" not in client.get(reverse("projects:case_list")).content.decode()
    CaseStudy.objects.filter(pk=unpublished.pk).update(is_published=True)
    assert "子ども食堂ネットワークづくり" in client.get(reverse("projects:case_list")).content.decode()
    assert client.get(reverse("projects:case_detail", args=[unpublished.pk])).status_code == 200


def test_a_project_shows_how_it_started(client, people):
    project = f.CollaborationProjectFactory(route=CollaborationProject.Route.PROPOSAL)
    f.ProjectParticipantFactory(project=project, party=project.department.party)
    client.force_login(people.coordinator)
    content = client.get(url("detail", project)).content.decode()
    assert "コーディネーターが直接登録" not in content
    assert "協働事業提案制度での採択</dd>" in content


def test_imported_project_pages_render_without_records(client, people, tmp_path):
    project = f.CollaborationProjectFactory(
        title="過去の防災フェア", status=CollaborationProject.Status.COMPLETED, is_imported=True, fiscal_year_start=2019
    )
    f.ProjectParticipantFactory(project=project, party=project.department.party)
    client.force_login(people.coordinator)
    content = client.get(url("detail", project)).content.decode()
    assert "過去記録から読込" in content and "令和元年度" in content
    assert client.get(url("agreement", project)).status_code == 200
    assert client.get(url("review_sheet", project)).status_code == 200
    assert client.get(url("pre_sheet", project)).status_code == 404
    assert client.get(url("print_pdf", project, "agreement")).status_code == 404


def _publish_cases(n):
    from projects.models import CaseStudy

    for i in range(n):
        p = f.CollaborationProjectFactory(title=f"事例{i}", status=CollaborationProject.Status.COMPLETED)
        f.ProjectParticipantFactory(project=p)
        f.ProjectParticipantFactory(project=p, party=p.department.party)
        CaseStudy.objects.create(project=p, summary="概要", is_published=True)


def test_case_list_query_count_is_the_same_for_1_and_50_cases(client, db, django_assert_num_queries):
    _publish_cases(1)
    with django_assert_num_queries(3):
        client.get(reverse("projects:case_list"))
    _publish_cases(49)
    with django_assert_num_queries(3):
        response = client.get(reverse("projects:case_list"))
    assert response.content.decode().count("<article") == 50


def test_create_page_query_count_does_not_grow_with_departments(client, people, django_assert_max_num_queries):
    client.force_login(people.coordinator)
    for i in range(30):
        f.DepartmentFactory(parent=people.dept.parent, name=f"追加課{i}")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("projects:create")).status_code == 200
