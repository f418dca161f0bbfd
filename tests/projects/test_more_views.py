import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from notifications.models import Notification
from projects import services
from projects.models import CaseStudy, CollaborationProject

from .conftest import REVIEW_DATA, agree, part_of
from .test_end_to_end import agreement_post, part_post

pytestmark = pytest.mark.django_db
Status = CollaborationProject.Status


def url(name, project, *args):
    return reverse(f"projects:{name}", args=[project.pk, *args])


def started(project, people):
    agree(project, people)
    services.project_start(  # a past date, before the agreement drafted today: confirmed
        actor=people.coordinator, project=project, started_on=datetime.date(2025, 5, 1), outside_period_confirmed=True
    )
    project.refresh_from_db()
    return project


def completed(project, people):
    started(project, people)
    services.review_open(actor=people.coordinator, project=project)
    for part in project.review_sheet.parts.select_related("participant"):
        user = people.dept_staff if part.participant.party_id == people.dept.party_id else people.group_rep
        services.review_part_save(actor=user, part=part, data=REVIEW_DATA, version=None, submit=True)
    services.project_complete(
        actor=people.coordinator,
        project=project,
        agreed_improvements="月1回の情報共有",
        outcome="good",
        completed_on=datetime.date(2025, 3, 31),
        outside_period_confirmed=True,
    )
    project.refresh_from_db()
    return project


def test_agreement_form_conflict_shows_the_saved_version_and_keeps_my_input(client, project, people):
    agreement = agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    change = services.agreement_amend(actor=people.coordinator, agreement=agreement, change_reason="期間の延長")
    roles = [(r.task, r.assignee) for r in change.roles.all()]
    loaded = agreement_post(change, roles, content="私の入力した事業内容")
    services.agreement_save(
        actor=people.group_rep,
        agreement=change,
        data={"content": "代表者が先に保存した内容"},
        roles=[{"task": "a", "assignee": "joint"}],
        version=change.version,
    )
    client.force_login(people.coordinator)
    response = client.post(url("agreement", project), loaded)
    content = response.content.decode()
    assert response.status_code == 409
    assert "代表者が先に保存した内容" in content and "私の入力した事業内容" in content
    change.refresh_from_db()
    assert change.content == "代表者が先に保存した内容"


def test_fixed_agreement_page_offers_no_form(client, project, people):
    agree(project, people)
    client.force_login(people.coordinator)
    content = client.get(url("agreement", project)).content.decode()
    assert 'name="roles-TOTAL_FORMS"' not in content and "変更確認書を作成する" in content
    first = project.agreements.get()
    response = client.post(url("agreement", project), agreement_post(first, [("x", "joint")], content="改ざん"))
    assert response.status_code == 200 and "変更確認書" in response.content.decode()
    first.refresh_from_db()
    assert first.content != "改ざん"


def test_review_part_conflict_is_refused_in_the_page(client, project, people):
    started(project, people)
    services.review_open(actor=people.coordinator, project=project)
    part = project.review_sheet.parts.get(participant__party=people.org.party)
    stale = part_post(part, {**REVIEW_DATA, "went_well": "編集者の感想"}, submit=False)
    services.review_part_save(
        actor=people.group_rep, part=part, data={"went_well": "代表者の感想"}, version=part.version
    )
    client.force_login(people.group_editor)
    response = client.post(url("review_sheet", project), stale)
    content = response.content.decode()
    assert response.status_code == 409 and "代表者の感想" in content and "編集者の感想" in content


def test_department_cannot_write_the_groups_review(client, project, people):
    started(project, people)
    services.review_open(actor=people.coordinator, project=project)
    part = project.review_sheet.parts.get(participant__party=people.org.party)
    client.force_login(people.dept_manager)
    assert client.post(url("review_sheet", project), part_post(part, REVIEW_DATA)).status_code == 403


def test_only_coordinators_move_the_lifecycle_through_pages(client, project, people):
    agree(project, people)
    client.force_login(people.group_rep)
    assert client.post(url("start", project), {"started_on": "2025-05-01"}).status_code == 403
    project.refresh_from_db()
    assert project.status == Status.AGREED
    client.force_login(people.coordinator)
    response = client.post(url("review_open", project), follow=True)
    assert "実施中の事業でだけふりかえりを始められます" in response.content.decode()


def test_follow_up_page_is_for_coordinators(client, project, people):
    completed(project, people)
    fu = project.follow_ups.get(years_after=1)
    client.force_login(people.group_rep)
    assert client.get(url("follow_up", project, fu.pk)).status_code == 403
    client.force_login(people.coordinator)
    assert client.get(url("follow_up", project, fu.pk)).status_code == 200


def test_case_study_prepared_consented_and_published_through_pages(client, project, people):
    completed(project, people)
    client.force_login(people.group_rep)
    assert client.post(url("case_edit", project), {"summary": "x"}).status_code == 403
    client.force_login(people.coordinator)
    client.post(url("case_edit", project), {"summary": "子ども食堂の協働事例", "contributions": "市: 会場"})
    case = CaseStudy.objects.get(project=project)
    for user in (people.group_rep, people.dept_manager):
        client.force_login(user)
        participant = project.participants.get(
            party=people.org.party if user == people.group_rep else people.dept.party
        )
        page = client.get(url("case_edit", project)).content.decode()
        assert "公開に同意する" in page
        client.post(url("case_consent", project), {"participant": participant.pk})
    case.refresh_from_db()
    assert case.is_published
    client.logout()
    detail = client.get(reverse("projects:case_detail", args=[case.pk])).content.decode()
    assert "子ども食堂の協働事例" in detail and people.org.name in detail and "月1回の情報共有" in detail


def test_reminder_command_notifies_the_coordinator_of_due_follow_ups(project, people):
    completed(project, people)
    out = io.StringIO()
    call_command("send_follow_up_reminders", stdout=out)
    assert "1 reminder" in out.getvalue()  # the 1-year follow-up of a project completed 2025-03-31 is due
    assert Notification.objects.filter(recipient=people.coordinator, title__contains="1年後").exists()


def test_status_changes_are_recorded_with_who_and_when(project, people):
    started(project, people)
    history = list(project.history.order_by("history_date").values_list("status", "history_user_id"))
    assert all(user is not None for _status, user in history)
    # The last authorised confirmation fixed the agreement; the coordinator started the work.
    first_agreed = next(user for status, user in history if status == "agreed")
    assert first_agreed in {people.dept_manager.pk, people.group_rep.pk}
    assert ("in_progress", people.coordinator.pk) in history
    assert project.history.filter(status="agreed").exists()


def test_project_page_shows_who_changed_what(client, project, people):
    started(project, people)
    client.force_login(people.group_rep)
    content = client.get(url("detail", project)).content.decode()
    assert "変更履歴" in content and "事業の開始" in content and str(people.coordinator) in content


def test_pre_sheet_marks_what_submitting_needs_and_puts_the_error_beside_the_field(client, project, people):
    part = part_of(project, people.org.party)
    client.force_login(people.group_rep)
    html = client.get(url("pre_sheet", project)).content.decode()
    assert "* の項目は提出に必要です" in html
    assert html.count("asteriskField") >= 2  # 目的, 自らが提供できること
    response = client.post(url("pre_sheet", project), part_post(part, {"local_problem": "居場所が足りない"}))
    assert response.status_code == 200
    form = next(p.form for p in response.context["parts"] if p.pk == part.pk)
    assert set(form.errors) == {"purpose", "contribution"}
    assert form["local_problem"].value() == "居場所が足りない"  # the input is kept
    part.refresh_from_db()
    assert part.status == "draft" and part.local_problem == ""


def test_pre_sheet_draft_saves_with_the_submit_fields_blank(client, project, people):
    part = part_of(project, people.org.party)
    client.force_login(people.group_rep)
    response = client.post(url("pre_sheet", project), part_post(part, {"local_problem": "下書きです"}, submit=False))
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.local_problem == "下書きです" and part.status == "draft"
