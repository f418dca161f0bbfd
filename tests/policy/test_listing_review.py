"""Listing review: role × state × action. The table below is the rule; the workflow's
allowed_actions, the service, the buttons on the listing and review pages, and a forged POST must all
agree with it."""

import pytest
from django.urls import reverse

from listings import services
from listings.models import Listing
from listings.workflow import LISTING_REVIEW
from tests import factories as f
from tests.policy.support import actor, client_for, page_text, service_allows

S = Listing.Status
pytestmark = pytest.mark.django_db

ACTIONS = ("edit", "submit", "publish", "return", "close")
COORDINATING = {
    S.DRAFT: {"edit"},
    S.RETURNED: {"edit"},
    S.PENDING: {"edit", "publish", "return"},
    S.PUBLISHED: {"close"},
}
ALLOWED = {
    "owner": {S.DRAFT: {"edit", "submit"}, S.RETURNED: {"edit", "submit"}, S.PUBLISHED: {"close"}},
    "coordinator": COORDINATING,
    "admin": COORDINATING,  # admins act as coordinators (accounts.roles)
    "other_group": {},
    "department_staff": {},
    "anonymous": {},
}


@pytest.fixture
def people(organization):
    return {
        "owner": f.make_group_member(organization),
        "coordinator": f.make_coordinator(),
        "admin": f.UserFactory(is_staff=True, is_superuser=True),
        "other_group": f.make_group_member(f.OrganizationFactory()),
        "department_staff": f.make_department_staff(f.DepartmentFactory()),
        "anonymous": None,
    }


def _listing(organization, status):
    return f.ListingFactory(owner=organization.party, status=status)


SERVICE = {
    "edit": lambda user, x: services.listing_update(actor=user, listing=x, version=x.version, data={"title": "改"}),
    "submit": lambda user, x: services.listing_submit(actor=user, listing=x),
    "publish": lambda user, x: services.listing_publish(
        actor=user, listing=x, public_interest=True, fits_plans=True, department_agrees=True
    ),
    "return": lambda user, x: services.listing_return(actor=user, listing=x, reason="理由"),
    "close": lambda user, x: services.listing_close(actor=user, listing=x),
}


def _buttons(client, listing) -> set[str]:
    """The actions the listing page and the review page offer this user."""
    detail = page_text(client, listing.get_absolute_url())
    review = page_text(client, reverse("listings:review", args=[listing.pk]))
    shown = set()
    if f'href="{reverse("listings:edit", args=[listing.pk])}"' in detail:
        shown.add("edit")
    if f'action="{reverse("listings:submit", args=[listing.pk])}"' in detail:
        shown.add("submit")
    if f'action="{reverse("listings:close", args=[listing.pk])}"' in detail:
        shown.add("close")
    for action in ("publish", "return"):
        if f'name="action" value="{action}"' in review:
            shown.add(action)
    review_link = f'href="{reverse("listings:review", args=[listing.pk])}"' in detail
    if review_link != bool({"publish", "return"} & shown):
        shown.add("the review link disagrees with the review page")
    return shown


def _forged_post(client, action, listing) -> bool:
    """Whether a POST made without the page's button changed anything."""
    review_url = reverse("listings:review", args=[listing.pk])
    posts = {
        "edit": (reverse("listings:edit", args=[listing.pk]), {}),
        "submit": (reverse("listings:submit", args=[listing.pk]), {}),
        "close": (reverse("listings:close", args=[listing.pk]), {}),
        "publish": (review_url, {"action": "publish", "public_interest": "on", "fits_plans": "on"}),
        "return": (review_url, {"action": "return", "reason": "理由"}),
    }
    url, data = posts[action]
    before = listing.status
    response = client.post(url, data)
    listing.refresh_from_db()
    if action == "edit":  # an empty edit is refused by the form (200) only when the page may be opened
        return response.status_code == 200
    assert response.status_code < 500, (action, response.status_code)
    return listing.status != before


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("state", list(S))
def test_service_page_and_post_agree_with_the_table(people, organization, role, state):
    user = people[role]
    expected = ALLOWED[role].get(state, set())

    listing = _listing(organization, state)
    assert LISTING_REVIEW.allowed_actions(actor(user), listing) - {"expire"} == expected
    assert {a for a in ACTIONS if service_allows(lambda a=a: SERVICE[a](actor(user), listing))} == expected
    assert _buttons(client_for(user), listing) == expected

    forged = set()
    for action in ACTIONS:
        if _forged_post(client_for(user), action, _listing(organization, state)):
            forged.add(action)
    assert forged == expected


def test_only_the_daily_job_expires_listings(people, organization):
    listing = _listing(organization, S.PUBLISHED)
    assert LISTING_REVIEW.can(None, listing, "expire")
    assert not any(LISTING_REVIEW.can(actor(u), listing, "expire") for u in people.values())
