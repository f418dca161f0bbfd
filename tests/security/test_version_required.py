"""The edit lock cannot be skipped: an edit POST without the version it was made on (or with a malformed
one) is a 400 and changes nothing; every version check goes through core.locking."""

import pytest
from django.core.exceptions import BadRequest
from django.urls import reverse

from core.exceptions import ConflictError
from core.locking import expected_version, lock_version
from demo import factories as f
from matching.models import Match
from organizations.models import Department
from projects import services
from tests.projects.conftest import REVIEW_DATA, agree, people, project  # noqa: F401  (fixtures)
from tests.projects.test_end_to_end import agreement_post, part_post

pytestmark = pytest.mark.django_db
MISSING = object()


def _without_version(payload: dict, key: str, value=MISSING) -> dict:
    payload = dict(payload)
    if value is MISSING:
        payload.pop(key)
    else:
        payload[key] = value
    return payload


@pytest.mark.parametrize("value", [MISSING, "", "abc", "1.5", "-1", "9" * 30, "１"])
def test_expected_version_refuses_what_is_not_a_version(value):
    with pytest.raises(BadRequest):
        expected_version(None if value is MISSING else value)


def test_lock_version_refuses_a_stale_version_with_the_current_row():
    department = f.DepartmentFactory()
    Department.objects.filter(pk=department.pk).update(version=2, duties="先の版")
    with pytest.raises(ConflictError) as caught:
        lock_version(Department, department.pk, 1)
    assert caught.value.current.duties == "先の版"
    assert lock_version(Department, department.pk, 2).version == 2


@pytest.mark.parametrize("value", [MISSING, "", "abc"])
def test_department_page_post_without_a_version_is_400_and_saves_nothing(client, value):
    department = f.DepartmentFactory(duties="元の所管業務")
    staff = f.make_department_staff(department)
    client.force_login(staff)
    url = reverse("organizations:department_edit", args=[department.pk])
    payload = _without_version({"duties": "上書き", "policies": "", "version": department.version}, "version", value)
    assert client.post(url, payload).status_code == 400
    department.refresh_from_db()
    assert department.duties == "元の所管業務" and department.version == 1


@pytest.mark.parametrize("value", [MISSING, "abc"])
def test_agreement_post_without_a_version_is_400_and_saves_nothing(client, project, people, value):  # noqa: F811
    agreement = agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    change = services.agreement_amend(actor=people.coordinator, agreement=agreement, change_reason="期間の延長")
    roles = [(r.task, r.assignee) for r in change.roles.all()]
    client.force_login(people.coordinator)
    payload = _without_version(agreement_post(change, roles, content="上書き"), "version", value)
    response = client.post(reverse("projects:agreement", args=[project.pk]), payload)
    assert response.status_code == 400
    change.refresh_from_db()
    assert change.content != "上書き"


@pytest.mark.parametrize("value", [MISSING, "x"])
def test_review_part_post_without_a_version_is_400_and_saves_nothing(client, project, people, value):  # noqa: F811
    agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    services.review_open(actor=people.coordinator, project=project)
    part = project.review_sheet.parts.get(participant__party=people.org.party)
    client.force_login(people.group_rep)
    payload = part_post(part, {**REVIEW_DATA, "went_well": "上書き"}, submit=False)
    payload = _without_version(payload, f"part{part.pk}-version", value)
    response = client.post(reverse("projects:review_sheet", args=[project.pk]), payload)
    assert response.status_code == 400
    part.refresh_from_db()
    assert part.went_well != "上書き" and part.version == 1


def test_pre_sheet_part_post_without_a_version_is_400(client, project, people):  # noqa: F811
    part = project.pre_sheet.parts.get(participant__party=people.org.party)
    client.force_login(people.group_rep)
    payload = part_post(part, {"purpose": "上書き"}, submit=False)
    payload.pop(f"part{part.pk}-version")
    assert client.post(reverse("projects:pre_sheet", args=[project.pk]), payload).status_code == 400
    part.refresh_from_db()
    assert part.purpose != "上書き"


def test_match_stage_change_without_a_version_is_400(client):
    match = f.MatchFactory(stage=Match.Stage.PRE_MEETING)
    client.force_login(f.make_coordinator())
    url = reverse("matching:match_action", args=[match.pk, "hold"])
    assert client.post(url, {}).status_code == 400
    match.refresh_from_db()
    assert match.stage == Match.Stage.PRE_MEETING
    assert client.post(url, {"version": match.version}).status_code == 302
    match.refresh_from_db()
    assert match.stage == Match.Stage.ON_HOLD
