"""Proposals: role × state × action. The table below is the rule; the workflow's allowed_actions, the
services and the buttons on the proposal page must all agree with it.

The proposal sits in a year-round call that takes applications, with the department's view given
and (once adopted) its project, so that only the roles and the states decide here; the conditions on
the data (deadline, view, project) are tested in tests/proposals/test_services.py."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from proposals import services, workflow
from proposals.models import Proposal, ProposalAttachment
from tests.policy.support import actor, client_for, page_text, service_allows
from tests.proposals.factories import CallFactory, ProposalFactory

S = Proposal.Status
pytestmark = pytest.mark.django_db

ACTIONS = (
    "edit",
    "remove_attachment",
    "submit",
    "withdraw",
    "state_view",
    "start_review",
    "score",
    "adopt",
    "adopt_conditionally",
    "reject",
    "record_next_step",
)
COORDINATING = {
    S.SUBMITTED: {"start_review"},
    S.REVIEWING: {"adopt", "adopt_conditionally", "reject"},
    S.ADOPTED: {"record_next_step"},
    S.CONDITIONAL: {"record_next_step"},
}
ALLOWED = {
    "applicant": {S.DRAFT: {"edit", "remove_attachment", "submit", "withdraw"}, S.SUBMITTED: {"withdraw"}},
    "department": {S.SUBMITTED: {"state_view"}, S.ADOPTED: {"record_next_step"}, S.CONDITIONAL: {"record_next_step"}},
    "reviewer": {S.REVIEWING: {"score"}},
    "coordinator": COORDINATING,
    "admin": COORDINATING,  # admins act as coordinators (accounts.roles)
    "other_group": {},
    "anonymous": {},
}


@pytest.fixture
def world(db):
    org = f.OrganizationFactory()
    dept = f.DepartmentFactory(parent=f.DivisionFactory())
    call = CallFactory(year_round=True, deadline=None)
    reviewer = f.make_department_staff(f.DepartmentFactory(), email="rev@example.jp")
    call.reviewers.set([reviewer])
    people = {
        "applicant": f.make_group_member(org),
        "department": f.make_department_staff(dept),
        "reviewer": reviewer,
        "coordinator": f.make_coordinator(),
        "admin": f.UserFactory(is_staff=True, is_superuser=True),
        "other_group": f.make_group_member(f.OrganizationFactory()),
        "anonymous": None,
    }
    return {"org": org, "dept": dept, "call": call, "people": people}


def _proposal(world, state):
    project = (
        f.CollaborationProjectFactory(department=world["dept"], match=None)
        if state in (S.ADOPTED, S.CONDITIONAL)
        else None
    )
    proposal = ProposalFactory(
        call=world["call"],
        applicant=world["org"].party,
        department=world["dept"],
        status=state,
        department_view="意見",
        department_view_at=timezone.now(),
        project=project,
    )
    ProposalAttachment.objects.create(
        proposal=proposal,
        file=ContentFile(b"%PDF-1.4\n", name="plan.pdf"),
        original_name="計画書.pdf",
        content_type="application/pdf",
        size=9,
    )
    return proposal


def _service(action, user, p):
    scores = {c.pk: 3 for c in p.call.criteria.all()}
    calls = {
        "remove_attachment": lambda: services.proposal_remove_attachment(actor=user, attachment=p.attachments.get()),
        "edit": lambda: services.proposal_update(
            actor=user, proposal=p, data={"title": "改", "department": p.department}
        ),
        "submit": lambda: services.proposal_move(actor=user, proposal=p, action="submit"),
        "withdraw": lambda: services.proposal_move(actor=user, proposal=p, action="withdraw"),
        "state_view": lambda: services.department_view_state(actor=user, proposal=p, view="意見"),
        "start_review": lambda: services.proposal_move(actor=user, proposal=p, action="start_review"),
        "score": lambda: services.review_save(actor=user, proposal=p, conflict=False, scores=scores),
        "adopt": lambda: services.proposal_decide(actor=user, proposal=p, decision="adopt", amount=1),
        "adopt_conditionally": lambda: services.proposal_decide(
            actor=user, proposal=p, decision="adopt_conditionally", amount=1, conditions="条件"
        ),
        "reject": lambda: services.proposal_decide(
            actor=user, proposal=p, decision="reject", rejection_category="other", reason="理由"
        ),
        "record_next_step": lambda: services.next_step_record(actor=user, proposal=p, next_step="ended"),
    }
    return calls[action]


def _buttons(client, p) -> set[str]:
    page = page_text(client, p.get_absolute_url())
    links = {
        "edit": f'href="{reverse("proposals:proposal_edit", args=[p.pk])}"',
        "submit": f'action="{reverse("proposals:proposal_action", args=[p.pk, "submit"])}"',
        "withdraw": f'action="{reverse("proposals:proposal_action", args=[p.pk, "withdraw"])}"',
        "state_view": f'href="{reverse("proposals:proposal_view", args=[p.pk])}"',
        "start_review": f'action="{reverse("proposals:proposal_action", args=[p.pk, "start_review"])}"',
        "score": f'href="{reverse("proposals:proposal_review", args=[p.pk])}"',
        "decide": f'href="{reverse("proposals:proposal_decide", args=[p.pk])}"',
        "record_next_step": f'href="{reverse("proposals:proposal_next_step", args=[p.pk])}"',
    }
    shown = {name for name, needle in links.items() if needle in page}
    if "edit" in shown:  # the edit page offers to remove each attachment
        attachment = p.attachments.get()
        remove = reverse("proposals:proposal_attachment_delete", args=[p.pk, attachment.pk])
        if f'action="{remove}"' in page_text(client, reverse("proposals:proposal_edit", args=[p.pk])):
            shown.add("remove_attachment")
    if "decide" in shown:  # one page records the three decisions
        shown = (shown - {"decide"}) | {"adopt", "adopt_conditionally", "reject"}
    return shown


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("state", list(S))
def test_service_and_page_agree_with_the_table(world, role, state):
    user = world["people"][role]
    expected = ALLOWED[role].get(state, set())
    p = _proposal(world, state)
    assert workflow.allowed_actions(actor(user), p) == expected
    assert {a for a in ACTIONS if service_allows(_service(a, actor(user), p))} == expected
    assert _buttons(client_for(user), p) == expected
