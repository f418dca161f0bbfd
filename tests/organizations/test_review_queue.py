"""The coordinators' profile review queue: filters, Japanese search, sort and bulk approve/return."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from organizations import services
from organizations.models import ActivityField, ProfileRevision

from .helpers import profile_data
from .test_queries import REVIEW_QUEUE_QUERIES

pytestmark = pytest.mark.django_db
URL = reverse("organizations:profile_review_queue")
P = ProfileRevision.Status


def _revision(**org_kwargs):
    org = f.OrganizationFactory(**org_kwargs)
    return ProfileRevision.objects.create(
        organization=org, data=profile_data(name=org.name), submitted_by=f.UserFactory()
    )


def _names(response):
    return [r.organization.name for r in response.context["revisions"]]


def test_filters_by_kind_state_field_waiting_and_search(client, coordinator):
    childcare = ActivityField.objects.get(number=13)
    fresh = _revision(name="子育てひろばの会", name_kana="こそだてひろばのかい", is_published=False)
    fresh.organization.activity_fields.set([childcare])
    changed = _revision(name="みどりの会", name_kana="みどりのかい", is_published=True)
    ProfileRevision.objects.filter(pk=changed.pk).update(
        kind=ProfileRevision.Kind.CLAIM, created_at=timezone.now() - datetime.timedelta(days=40)
    )
    client.force_login(coordinator)
    assert _names(client.get(URL, {"kind": "claim"})) == ["みどりの会"]
    assert _names(client.get(URL, {"published": "false"})) == ["子育てひろばの会"]
    assert _names(client.get(URL, {"field": childcare.pk})) == ["子育てひろばの会"]
    assert _names(client.get(URL, {"waiting": "30"})) == ["みどりの会"]
    assert _names(client.get(URL, {"q": "こそだて"})) == ["子育てひろばの会"]
    assert _names(client.get(URL, {"sort": "name"})) == ["子育てひろばの会", "みどりの会"]
    assert _names(client.get(URL, {"sort": "newest"})) == ["子育てひろばの会", "みどりの会"]
    assert _names(client.get(URL)) == ["みどりの会", "子育てひろばの会"]  # oldest first
    # A malformed filter is dropped alone (reported next to its field); the search still applies.
    assert _names(client.get(URL, {"q": "こそだて", "waiting": "evil"})) == ["子育てひろばの会"]


def test_bulk_approve_goes_through_the_service_and_reports_failures(client, coordinator):
    first, second = _revision(), _revision()
    done = _revision()
    ProfileRevision.objects.filter(pk=done.pk).update(status=P.APPROVED)
    client.force_login(coordinator)
    response = client.post(URL, {"ids": [first.pk, second.pk, done.pk], "action": "approve"}, follow=True)
    for revision in (first, second):
        revision.refresh_from_db()
        assert revision.status == P.APPROVED and revision.reviewed_by == coordinator
        assert revision.organization.is_published
    shown = [str(m) for m in response.context["messages"]]
    assert any("2件" in m for m in shown)
    assert any(done.organization.name in m and "審査できません" in m for m in shown)


def test_bulk_return_needs_a_reason(client, coordinator):
    revision = _revision()
    client.force_login(coordinator)
    response = client.post(URL, {"ids": [revision.pk], "action": "return"})
    assert response.context["bulk_form"].errors["reason"]
    client.post(URL, {"ids": [revision.pk], "action": "return", "reason": "活動内容を具体的に"})
    revision.refresh_from_db()
    assert revision.status == P.RETURNED and revision.return_reason == "活動内容を具体的に"


@pytest.mark.parametrize("who", ["group_member", "department_staff"])
def test_forged_bulk_post_by_a_non_coordinator_is_refused(client, who, request):
    revision = _revision()
    client.force_login(request.getfixturevalue(who))
    assert client.post(URL, {"ids": [revision.pk], "action": "approve"}).status_code == 403
    revision.refresh_from_db()
    assert revision.status == P.PENDING


def test_bulk_service_refuses_each_item_for_a_non_coordinator(group_member):
    revision = _revision()
    outcome = services.profile_revisions_review_bulk(user=group_member, revision_ids=[revision.pk], action="approve")
    assert outcome.done == [] and outcome.failed[0][1] == "審査はコーディネーターのみが行えます。"


@pytest.mark.parametrize("rows", [1, 50])
def test_filtered_queue_query_count_is_pinned(client, coordinator, rows, django_assert_num_queries):
    field = ActivityField.objects.get(number=13)
    for _ in range(rows):
        _revision(name="子育ての会").organization.activity_fields.set([field])
    client.force_login(coordinator)
    with django_assert_num_queries(REVIEW_QUEUE_QUERIES):
        response = client.get(URL, {"q": "子育て", "field": field.pk, "published": "true", "sort": "name"})
    assert len(response.context["revisions"]) == min(rows, 20)
