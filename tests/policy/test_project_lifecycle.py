"""Project lifecycle: role × state × action. The table is the rule; the workflow, the service (for
the moves whose data conditions a test can set up), the buttons of the project page and a forged
POST agree with it. The check-in form is offered only while the work runs (実施中, ふりかえり中)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from projects import services
from projects.models import Agreement, CheckIn, CollaborationProject
from projects.workflow import PROJECT_LIFECYCLE
from tests.policy.support import actor, client_for, page_text, service_allows

S = CollaborationProject.Status
pytestmark = pytest.mark.django_db

COORDINATING = {
    S.PREPARING: {"draft_agreement"},
    S.AGREED: {"start"},
    S.IN_PROGRESS: {"checkin", "open_review"},
    S.REVIEWING: {"checkin", "complete"},
    S.COMPLETED: {"record_follow_up", "publish_case"},
    S.FOLLOW_UP: {"record_follow_up", "publish_case"},
}
PARTICIPATING = {S.IN_PROGRESS: {"checkin"}, S.REVIEWING: {"checkin"}}
ALLOWED = {
    "coordinator": COORDINATING,
    "admin": COORDINATING,
    "group_member": PARTICIPATING,
    "department_staff": PARTICIPATING,
    "outsider": {},
    "anonymous": {},
}
# The signing representative's "agree" is the last confirmation of the agreement (tests/projects).
SIGNING = {"agree"}


@pytest.fixture
def people():
    org, dept = f.OrganizationFactory(), f.DepartmentFactory()
    return {
        "coordinator": f.make_coordinator(),
        "admin": f.UserFactory(is_staff=True, is_superuser=True),
        "group_member": f.make_group_member(org, role="editor"),
        "department_staff": f.make_department_staff(dept),
        "outsider": f.make_group_member(f.OrganizationFactory()),
        "anonymous": None,
        "org": org,
        "dept": dept,
    }


def _project(people, status):
    project = f.CollaborationProjectFactory(status=status, department=people["dept"])
    for party in (people["org"].party, people["dept"].party):
        f.ProjectParticipantFactory(project=project, party=party)
    if status != S.PREPARING:
        today = timezone.localdate()  # an agreement in force today: starting today needs no confirmation
        f.AgreementFactory(
            project=project,
            status=Agreement.Status.FIXED,
            period_start=today - datetime.timedelta(days=30),
            period_end=today + datetime.timedelta(days=300),
        )
    return project


SERVICE = {
    "start": lambda user, p: services.project_start(actor=user, project=p),
    "checkin": lambda user, p: services.checkin_add(
        actor=user, project=p, held_on=datetime.date(2025, 6, 1), done="会場の下見"
    ),
    "open_review": lambda user, p: services.review_open(actor=user, project=p),
}


def _buttons(client, project) -> set[str]:
    page = page_text(client, project.get_absolute_url())
    shown = set()
    for action, url in (
        ("start", reverse("projects:start", args=[project.pk])),
        ("open_review", reverse("projects:review_open", args=[project.pk])),
        ("checkin", reverse("projects:checkin_create", args=[project.pk])),
    ):
        if f'action="{url}"' in page:
            shown.add(action)
    return shown


def _forged_post(client, action, project) -> bool:
    url = {
        "start": reverse("projects:start", args=[project.pk]),
        "open_review": reverse("projects:review_open", args=[project.pk]),
        "checkin": reverse("projects:checkin_create", args=[project.pk]),
    }[action]
    before_status, before_checkins = project.status, CheckIn.objects.filter(project=project).count()
    response = client.post(url, {"held_on": "2025-06-01", "done": "会場の下見"})
    assert response.status_code < 500
    project.refresh_from_db()
    return project.status != before_status or CheckIn.objects.filter(project=project).count() != before_checkins


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("state", list(S))
def test_service_page_and_post_agree_with_the_table(people, role, state):
    user = people[role]
    expected = ALLOWED[role].get(state, set())
    project = _project(people, state)
    assert PROJECT_LIFECYCLE.allowed_actions(actor(user), project) - SIGNING == expected

    page_actions = set(SERVICE)
    assert {a for a in SERVICE if service_allows(lambda a=a: SERVICE[a](actor(user), project))} == expected & set(
        SERVICE
    )
    assert _buttons(client_for(user), project) == expected & page_actions
    forged = {a for a in page_actions if _forged_post(client_for(user), a, _project(people, state))}
    assert forged == expected & page_actions
