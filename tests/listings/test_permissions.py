"""Who sees drafts and returned listings, who edits, who downloads attachments, who reads interests."""

import datetime

import pytest
from django.urls import reverse

from demo import factories as f
from listings import services
from listings.models import Listing

S = Listing.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_listings(organization, group_member, pdf_upload):
    """A draft and a returned listing of the member's group, each with an attachment."""
    out = []
    for status in (S.DRAFT, S.RETURNED):
        listing = f.ListingFactory(owner=organization.party, status=status, published_at=None, title=f"非公開 {status}")
        attachment = services.listing_add_attachment(actor=group_member, listing=listing, upload=pdf_upload)
        out.append((listing, attachment))
    return out


def _urls(listing, attachment):
    return [
        reverse("listings:detail", args=[listing.pk]),
        reverse("listings:attachment", args=[listing.pk, attachment.pk]),
    ]


@pytest.mark.parametrize("who", ["anonymous", "other_group", "department_staff"])
def test_nobody_but_owner_and_coordinators_sees_drafts_or_returned(client, hidden_listings, who, department_staff):
    if who == "other_group":
        client.force_login(f.make_group_member())
    elif who == "department_staff":
        client.force_login(department_staff)
    for listing, attachment in hidden_listings:
        for url in _urls(listing, attachment):
            assert client.get(url).status_code == 404
        edit = client.get(reverse("listings:edit", args=[listing.pk]))
        assert edit.status_code in (302, 404)
        if who != "anonymous":
            assert edit.status_code == 404
    for url in (reverse("listings:index"), reverse("listings:menu"), reverse("portal:home")):
        assert "非公開" not in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["owner", "coordinator"])
def test_owner_and_coordinators_see_drafts_and_returned(client, hidden_listings, who, group_member, coordinator):
    client.force_login(group_member if who == "owner" else coordinator)
    for listing, attachment in hidden_listings:
        detail = client.get(reverse("listings:detail", args=[listing.pk]))
        assert detail.status_code == 200 and listing.title in detail.content.decode()
        assert client.get(reverse("listings:edit", args=[listing.pk])).status_code == 200
        download = client.get(reverse("listings:attachment", args=[listing.pk, attachment.pk]))
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_anonymous_is_sent_to_login_for_edit_and_create(client, organization):
    listing = f.ListingFactory(owner=organization.party, status=S.DRAFT)
    assert client.get(reverse("listings:edit", args=[listing.pk])).status_code == 302
    assert client.get(reverse("listings:create")).status_code == 302


def test_user_without_a_group_or_department_cannot_create(client):
    client.force_login(f.UserFactory())
    assert client.get(reverse("listings:create")).status_code == 403
    assert client.get(reverse("listings:mine")).status_code == 403


def test_owner_cannot_edit_a_published_listing(client, group_member, organization):
    listing = f.ListingFactory(owner=organization.party)
    client.force_login(group_member)
    assert client.get(reverse("listings:edit", args=[listing.pk])).status_code == 403


def test_only_coordinators_reach_the_review_pages(client, group_member, department_staff, organization):
    listing = f.ListingFactory(owner=organization.party, status=S.PENDING)
    for user in (group_member, department_staff):
        client.force_login(user)
        assert client.get(reverse("listings:review_queue")).status_code == 403
        response = client.post(
            reverse("listings:review", args=[listing.pk]), {"action": "publish", "public_interest": "on"}
        )
        assert response.status_code == 403
    listing.refresh_from_db()
    assert listing.status == S.PENDING


def test_expired_listing_leaves_the_index_but_stays_in_owners_history(client, group_member, organization):
    listing = f.ListingFactory(owner=organization.party, title="終わった募集", period_end=datetime.date(2020, 3, 31))
    assert "終わった募集" not in client.get(reverse("listings:index")).content.decode()
    services.listings_expire()
    listing.refresh_from_db()
    assert listing.status == S.CLOSED
    assert "終わった募集" not in client.get(reverse("listings:index")).content.decode()
    client.force_login(group_member)
    mine = client.get(reverse("listings:mine")).content.decode()
    assert "終わった募集" in mine and "終了" in mine


def test_interest_is_readable_only_by_both_sides_and_coordinators(
    client, coordinator, group_member, organization, department_staff, department
):
    interest = f.InterestFactory(listing=f.ListingFactory(owner=organization.party), from_party=department.party)
    url = reverse("listings:interest_detail", args=[interest.pk])
    for user in (group_member, department_staff, coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 200
        assert interest.listing.title in client.get(reverse("listings:interest_list")).content.decode()
    for user in (f.make_group_member(), f.make_department_staff()):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "のぞき見"}).status_code == 404
        assert interest.listing.title not in client.get(reverse("listings:interest_list")).content.decode()
    client.logout()
    assert client.get(url).status_code == 302


def test_coordinator_reads_but_cannot_post_into_a_thread(client, coordinator, organization, department):
    interest = f.InterestFactory(listing=f.ListingFactory(owner=organization.party), from_party=department.party)
    client.force_login(coordinator)
    assert client.post(reverse("listings:interest_detail", args=[interest.pk]), {"body": "x"}).status_code == 403


def test_owner_cannot_send_interest_in_own_listing(client, group_member, organization):
    listing = f.ListingFactory(owner=organization.party)
    client.force_login(group_member)
    page = client.get(reverse("listings:detail", args=[listing.pk])).content.decode()
    assert "相談する・関心を伝える" not in page
    response = client.post(reverse("listings:interest_create", args=[listing.pk]), {"message": "x"})
    assert response.status_code == 403
