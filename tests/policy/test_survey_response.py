"""A section's questionnaire (survey_response): role × state × action. The table below is the rule;
the workflow's allowed_actions, the services, the buttons on the questionnaire and 回収状況 pages, and
a forged POST must all agree with it. A closed survey allows nothing."""

import datetime

import pytest
from django.urls import reverse

from core.exceptions import TransitionError
from demo import factories as f
from organizations.models import DepartmentMembership
from surveys import services, workflow
from surveys.models import Survey, SurveyResponse
from tests.policy.support import actor, client_for, page_text, service_allows

R = SurveyResponse.Status
pytestmark = pytest.mark.django_db

ACTIONS = ("response_view", "response_save", "response_submit", "response_reopen", "response_remind")
MEMBER = {R.NOT_OPENED: {"response_view"}, R.OPENED: {"response_save", "response_submit"}}
MEMBER[R.DRAFT] = MEMBER[R.OPENED]
COORDINATING = {s: {"response_remind"} for s in (R.NOT_OPENED, R.OPENED, R.DRAFT)} | {R.SUBMITTED: {"response_reopen"}}
ALLOWED = {
    "staff": MEMBER,
    "manager": MEMBER,  # the 所属長 sees and submits too
    "coordinator": COORDINATING,
    "admin": COORDINATING,
    "other_section": {},
    "group_member": {},
    "anonymous": {},
}


@pytest.fixture
def people():
    section = f.DepartmentFactory(name="協働課", parent=f.DivisionFactory())
    return section, {
        "staff": f.make_department_staff(section),
        "manager": f.make_department_staff(section, role=DepartmentMembership.Role.MANAGER),
        "coordinator": f.make_coordinator(),
        "admin": f.UserFactory(is_staff=True, is_superuser=True),
        "other_section": f.make_department_staff(f.DepartmentFactory(parent=f.DivisionFactory())),
        "group_member": f.make_group_member(),
        "anonymous": None,
    }


def _response(section, state, *, closed=False) -> SurveyResponse:
    Survey.objects.all().delete()
    survey = Survey.objects.create(fiscal_year=2024, deadline=datetime.date.today(), options=services.current_options())
    response = SurveyResponse.objects.create(survey=survey, department=section, category=4, status=state)
    if closed:
        Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    return SurveyResponse.objects.select_related("survey").get(pk=response.pk)


def _remind(user, response):
    if services.survey_remind(actor=user, survey=response.survey) == 0:
        raise TransitionError("nobody to remind")


SERVICE = {
    "response_view": lambda user, r: services.response_view(actor=user, response=r),
    "response_save": lambda user, r: services.response_save(
        actor=user, response=r, answers={}, project_answers={}, expected_version=r.version
    ),
    "response_submit": lambda user, r: services.response_submit(
        actor=user, response=r, answers={}, project_answers={}, expected_version=r.version
    ),
    "response_reopen": lambda user, r: services.response_reopen(actor=user, response=r, reason="理由"),
    "response_remind": _remind,
}


def _buttons(client, response) -> set[str]:
    page = page_text(client, reverse("surveys:response", args=[response.pk]))
    progress = page_text(client, reverse("surveys:detail", args=[response.survey_id]))
    shown = set()
    if f'action="{reverse("surveys:start", args=[response.pk])}"' in page:
        shown.add("response_view")
    if 'name="save"' in page:
        shown.add("response_save")
    if 'name="submit"' in page:
        shown.add("response_submit")
    if f'action="{reverse("surveys:reopen", args=[response.pk])}"' in page:
        shown.add("response_reopen")
    if f'action="{reverse("surveys:remind", args=[response.survey_id])}"' in progress:
        shown.add("response_remind")
    return shown


def _forged_post(client, action, response) -> bool:
    """Whether a POST made without the page's button changed anything."""
    posts = {
        "response_view": (reverse("surveys:start", args=[response.pk]), {}),
        "response_save": (reverse("surveys:response", args=[response.pk]), {"version": response.version}),
        "response_submit": (
            reverse("surveys:response", args=[response.pk]),
            {"version": response.version, "submit": "1"},
        ),
        "response_reopen": (reverse("surveys:reopen", args=[response.pk]), {"reason": "理由"}),
        "response_remind": (reverse("surveys:remind", args=[response.survey_id]), {}),
    }
    url, data = posts[action]
    before = (response.status, response.version, response.last_reminded_at)
    result = client.post(url, data)
    assert result.status_code < 500, (action, result.status_code)
    response.refresh_from_db()
    return (response.status, response.version, response.last_reminded_at) != before


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("state", list(R))
def test_service_page_and_post_agree_with_the_table(people, role, state, closed):
    section, users = people
    user = users[role]
    expected = set() if closed else ALLOWED[role].get(state, set())

    response = _response(section, state, closed=closed)
    assert workflow.allowed_actions(actor(user), response) == expected
    allowed = set()
    for a in ACTIONS:
        if service_allows(lambda a=a: SERVICE[a](actor(user), _response(section, state, closed=closed))):
            allowed.add(a)
    assert allowed == expected
    assert _buttons(client_for(user), _response(section, state, closed=closed)) == expected
    forged = {a for a in ACTIONS if _forged_post(client_for(user), a, _response(section, state, closed=closed))}
    assert forged == expected
