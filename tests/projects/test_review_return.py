"""A coordinator returns a submitted ふりかえり with a reason, and its party is told why — like the 事前確認シート."""

import pytest
from django.urls import reverse

from core.exceptions import PermissionDenied, TransitionError
from notifications.models import Notification
from projects import services
from projects.models import PartStatus

from .conftest import REVIEW_DATA, agree

pytestmark = pytest.mark.django_db

REASON = "課題・問題点をもう少し具体的に書いてください"


@pytest.fixture
def submitted(project, people):
    """The NPO's submitted review part (the department has not submitted yet)."""
    agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    services.review_open(actor=people.coordinator, project=project)
    project.refresh_from_db()
    part = project.review_sheet.parts.get(participant__party=people.org.party)
    services.review_part_save(actor=people.group_editor, part=part, data=REVIEW_DATA, version=None, submit=True)
    part.refresh_from_db()
    Notification.objects.all().delete()
    return part


def test_review_return_needs_a_coordinator_and_a_reason(submitted, people):
    with pytest.raises(PermissionDenied):
        services.review_part_return(actor=people.group_rep, part=submitted, reason=REASON)
    with pytest.raises(TransitionError, match="理由"):
        services.review_part_return(actor=people.coordinator, part=submitted, reason="  ")
    submitted.refresh_from_db()
    assert submitted.status == PartStatus.SUBMITTED and not Notification.objects.exists()


def test_review_return_tells_the_party_why_and_resubmitting_clears_it(submitted, people):
    services.review_part_return(actor=people.coordinator, part=submitted, reason=REASON)
    submitted.refresh_from_db()
    assert submitted.status == PartStatus.RETURNED and submitted.return_reason == REASON
    told = set(Notification.objects.filter(title__contains="差し戻").values_list("recipient_id", "body"))
    assert told == {(people.group_rep.pk, REASON), (people.group_editor.pk, REASON)}  # not the department
    services.review_part_save(actor=people.group_editor, part=submitted, data={}, version=None, submit=True)
    submitted.refresh_from_db()
    assert submitted.status == PartStatus.SUBMITTED and submitted.return_reason == ""


def test_review_return_through_the_page(client, project, people, submitted):
    url = reverse("projects:review_part_return", args=[project.pk, submitted.pk])
    client.force_login(people.group_rep)
    assert client.post(url, {"reason": REASON}).status_code == 403
    client.force_login(people.coordinator)
    page = client.get(reverse("projects:review_sheet", args=[project.pk])).content.decode()
    assert f'action="{url}"' in page and 'name="reason"' in page
    # Without a reason: refused with the reason why, nothing changes.
    response = client.post(url, {"reason": ""}, follow=True)
    assert "差戻しの理由を記入してください。" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == PartStatus.SUBMITTED
    client.post(url, {"reason": REASON})
    submitted.refresh_from_db()
    assert submitted.status == PartStatus.RETURNED
    # The party sees the reason above its form again.
    client.force_login(people.group_editor)
    page = client.get(reverse("projects:review_sheet", args=[project.pk])).content.decode()
    assert REASON in page and 'name="submit"' in page


def test_review_return_is_offered_beside_the_comparison_once_everyone_has_submitted(client, project, people, submitted):
    dept = project.review_sheet.parts.get(participant__party=people.dept.party)
    services.review_part_save(actor=people.dept_staff, part=dept, data=REVIEW_DATA, version=None, submit=True)
    client.force_login(people.coordinator)
    response = client.get(reverse("projects:review_sheet", args=[project.pk]))
    page = response.content.decode()
    assert response.context["comparison"]
    for part in (submitted, dept):
        assert reverse("projects:review_part_return", args=[project.pk, part.pk]) in page
    client.force_login(people.group_editor)
    assert "/return/" not in client.get(reverse("projects:review_sheet", args=[project.pk])).content.decode()
