"""When an agreement may be sent and confirmed, and the agreement buttons when there is none yet.

The first 協働事業確認書 is sent and confirmed while the project is 準備中; a 変更確認書 while it is 確認書締結済,
実施中 or ふりかえり中. A project is not completed while a change agreement is still 作成中 or 確認中, and a
completed project's agreement and figures never change.
"""

import pytest
from django.urls import reverse

from core.exceptions import TransitionError
from projects import services
from projects.models import Agreement, CollaborationProject

from .conftest import REVIEW_DATA, agree

pytestmark = pytest.mark.django_db

Status = CollaborationProject.Status


def _confirm_all(project, people, agreement):
    for p in project.participants.all():
        user = people.dept_manager if p.party_id == people.dept.party_id else people.group_rep
        services.agreement_confirm(actor=user, agreement=agreement, participant=p)


def _submit_reviews(project, people):
    for part in project.review_sheet.parts.all():
        user = people.dept_staff if part.participant.party_id == people.dept.party_id else people.group_rep
        services.review_part_save(actor=user, part=part, data=REVIEW_DATA, version=None, submit=True)


def _reviewing_with_change(project, people, *, send: bool):
    """Under review, with a 変更確認書 raising the budget: a draft, or sent for confirmation."""
    v1 = agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    services.review_open(actor=people.coordinator, project=project)
    v2 = services.agreement_amend(actor=people.coordinator, agreement=v1, change_reason="予算の増額")
    services.agreement_save(
        actor=people.coordinator,
        agreement=v2,
        data={"budget_total": 9_000_000, "city_share": 9_000_000},
        roles=[{"task": "運営", "assignee": "group"}],
        version=None,
    )
    if send:
        services.agreement_send(actor=people.coordinator, agreement=v2)
    project.refresh_from_db()
    _submit_reviews(project, people)
    return v2


def _complete(project, people):
    return services.project_complete(
        actor=people.coordinator, project=project, agreed_improvements="打ち合わせを増やす", outcome="good"
    )


@pytest.mark.parametrize("send", [False, True], ids=["draft", "confirming"])
def test_project_is_not_completed_while_a_change_agreement_is_open(project, people, send):
    v2 = _reviewing_with_change(project, people, send=send)
    with pytest.raises(TransitionError, match="変更確認書（第2版）"):
        _complete(project, people)
    project.refresh_from_db()
    assert project.status == Status.REVIEWING and not project.follow_ups.exists()
    assert not project.review_sheet.finalized_at
    # Once the parties have fixed it, the project completes with the new figures.
    if not send:
        services.agreement_send(actor=people.coordinator, agreement=v2)
    _confirm_all(project, people, v2)
    _complete(project, people)
    project.refresh_from_db()
    assert project.status == Status.COMPLETED and project.budget_total == 9_000_000


def test_completing_with_an_open_change_agreement_shows_why_in_the_page(client, project, people):
    _reviewing_with_change(project, people, send=True)
    client.force_login(people.coordinator)
    response = client.post(
        reverse("projects:review_complete", args=[project.pk]),
        {
            "agreed_improvements": "x",
            "outcome": "good",
            "completed_on": "2026-03-31",
            "version": project.review_sheet.version,
        },
        follow=True,
    )
    assert "締結されてから完了してください" in response.content.decode()
    project.refresh_from_db()
    assert project.status == Status.REVIEWING


def _completed_with_open_change(project, people, *, send: bool):
    """A project completed while a change agreement was open: data from before the rule, made directly."""
    v2 = _reviewing_with_change(project, people, send=send)
    CollaborationProject.objects.filter(pk=project.pk).update(status=Status.COMPLETED)
    project.refresh_from_db()
    return v2


def test_change_agreement_is_not_confirmed_on_a_completed_project(project, people):
    v2 = _completed_with_open_change(project, people, send=True)
    budget = project.budget_total
    participant = project.participants.get(party=people.org.party)
    with pytest.raises(TransitionError, match="完了"):
        services.agreement_confirm(actor=people.group_rep, agreement=v2, participant=participant)
    v2.refresh_from_db()
    project.refresh_from_db()
    assert v2.status == Agreement.Status.CONFIRMING and not v2.confirmations.exists()
    assert project.budget_total == budget != 9_000_000


def test_change_agreement_is_not_sent_on_a_completed_project(project, people):
    v2 = _completed_with_open_change(project, people, send=False)
    with pytest.raises(TransitionError, match="完了"):
        services.agreement_send(actor=people.coordinator, agreement=v2)
    v2.refresh_from_db()
    assert v2.status == Agreement.Status.DRAFT


def test_first_agreement_is_sent_and_confirmed_only_while_preparing(project, people):
    v1 = agree(project, people)  # sent and confirmed while 準備中: the happy path
    assert v1.status == Agreement.Status.FIXED
    # A first agreement still in confirmation on a project that has moved on (data made directly).
    Agreement.objects.filter(pk=v1.pk).update(status=Agreement.Status.CONFIRMING)
    v1.confirmations.all().delete()
    CollaborationProject.objects.filter(pk=project.pk).update(status=Status.IN_PROGRESS)
    participant = project.participants.get(party=people.org.party)
    with pytest.raises(TransitionError, match="準備中"):
        services.agreement_confirm(actor=people.group_rep, agreement=v1, participant=participant)
    Agreement.objects.filter(pk=v1.pk).update(status=Agreement.Status.DRAFT)
    with pytest.raises(TransitionError, match="準備中"):
        services.agreement_send(actor=people.coordinator, agreement=v1)


@pytest.mark.parametrize("status", [Status.AGREED, Status.IN_PROGRESS, Status.REVIEWING])
def test_change_agreement_is_sent_and_confirmed_while_the_project_runs(project, people, status):
    v1 = agree(project, people)
    v2 = services.agreement_amend(actor=people.coordinator, agreement=v1, change_reason="期間延長")
    CollaborationProject.objects.filter(pk=project.pk).update(status=status)
    services.agreement_send(actor=people.coordinator, agreement=v2)
    _confirm_all(project, people, v2)
    v2.refresh_from_db()
    assert v2.status == Agreement.Status.FIXED


# --- the agreement buttons without an agreement -------------------------------------------------


@pytest.mark.parametrize("name", ["agreement_send", "agreement_amend", "agreement_confirm"])
def test_agreement_buttons_without_an_agreement_say_so(client, project, people, name):
    client.raise_request_exception = False
    client.force_login(people.group_rep if name == "agreement_confirm" else people.coordinator)
    participant = project.participants.get(party=people.org.party)
    url = reverse(f"projects:{name}", args=[project.pk])
    response = client.post(url, {"participant": participant.pk, "change_reason": "x"})
    assert response.status_code == 302 and response["Location"] == reverse("projects:agreement", args=[project.pk])
    page = client.get(response["Location"]).content.decode()
    assert "この事業にはまだ協働事業確認書がありません。" in page
    assert not project.agreements.exists()
