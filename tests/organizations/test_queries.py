"""Each list page runs the same number of queries for 1 row and for 50 rows (pinned)."""

import pytest
from django.urls import reverse

from demo import factories as f
from organizations.models import ActivityField, Organization, ProfileRevision

from .helpers import profile_data

pytestmark = pytest.mark.django_db


# Pinned counts: session and user (logged-in pages), then the page's own reads.
# the newest change of a group (the cached count's stamp), page, activity fields prefetch; the filters'
# choices and the count come from the shared cache after the first request
DIRECTORY_QUERIES = 3
DEPARTMENT_LIST_QUERIES = 2  # divisions, sections
REVIEW_QUEUE_QUERIES = 7  # the user's roles: one query (accounts.User.load_roles); the filter's activity fields
MY_ORGANIZATIONS_QUERIES = 8


def _get(client, url, expected, django_assert_num_queries):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def _make_groups(n):
    fields = list(ActivityField.objects.all()[:3])
    area = f.AreaFactory()
    for _ in range(n):
        f.OrganizationFactory(area=area, activity_fields=fields, description="子育て中の親子の居場所")


@pytest.mark.parametrize("rows", [1, 50])
def test_directory_query_count(client, rows, django_assert_num_queries):
    _make_groups(rows)
    url = reverse("organizations:directory") + "?q=%E5%AD%90%E8%82%B2&kana=&activity_field="  # q=子育
    _get(client, url, DIRECTORY_QUERIES + 2, django_assert_num_queries)  # + the reference lists' choices, the count
    response = _get(client, url, DIRECTORY_QUERIES, django_assert_num_queries)
    assert len(response.context["organizations"]) == min(rows, 20)


@pytest.mark.parametrize("rows", [1, 50])
def test_department_list_query_count(client, rows, django_assert_num_queries):
    division = f.DivisionFactory()
    for _ in range(rows):
        f.DepartmentFactory(parent=division)
    response = _get(
        client, reverse("organizations:department_list"), DEPARTMENT_LIST_QUERIES, django_assert_num_queries
    )
    assert len(response.context["tree"][0][1]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_review_queue_query_count(client, coordinator, rows, django_assert_num_queries):
    for _ in range(rows):
        org = f.OrganizationFactory()
        ProfileRevision.objects.create(organization=org, data=profile_data(), submitted_by=f.UserFactory())
    client.force_login(coordinator)
    response = _get(
        client, reverse("organizations:profile_review_queue"), REVIEW_QUEUE_QUERIES, django_assert_num_queries
    )
    assert len(response.context["revisions"]) == min(rows, 20)


@pytest.mark.parametrize("rows", [1, 50])
def test_my_organizations_query_count(client, rows, django_assert_num_queries):
    user = f.UserFactory()
    for _ in range(rows):
        org = f.OrganizationFactory(area=f.AreaFactory())
        f.OrganizationMembershipFactory(user=user, organization=org)
        ProfileRevision.objects.create(organization=org, data=profile_data(), submitted_by=user)
    client.force_login(user)
    response = _get(
        client, reverse("organizations:my_organizations"), MY_ORGANIZATIONS_QUERIES, django_assert_num_queries
    )
    assert response.content.decode().count("btn-outline-secondary") >= rows


def test_directory_count_follows_every_saved_group(client):
    url = reverse("organizations:directory") + "?q=%E5%AD%90%E8%82%B2"  # 子育
    _make_groups(1)
    assert client.get(url).context["page_obj"].paginator.count == 1
    _make_groups(1)  # a save moves the newest updated_at, the cached count's stamp
    assert client.get(url).context["page_obj"].paginator.count == 2
    group = Organization.objects.filter(is_published=True).first()
    group.is_published = False
    group.save()
    assert client.get(url).context["page_obj"].paginator.count == 1
