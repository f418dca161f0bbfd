"""The listing page's suggestion panel: a slot htmx fills after the page, from the shared cache."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from demo import factories as f
from listings.models import Listing
from matching import services, suggestions

from .test_suggestions import _many_groups

pytestmark = pytest.mark.django_db

SLOT = Template("{% load matching_tags %}{% suggestion_panel listing %}")


def _render_slot(listing, user):
    request = RequestFactory().get("/")
    request.user = user
    return SLOT.render(Context({"request": request, "listing": listing}))


def _panel(client, listing):
    return client.get(reverse("matching:suggestion_panel", args=[listing.pk]))


def test_slot_loads_the_panel_after_the_page_and_links_to_the_suggestions_without_js(kosodate_theme, coordinator):
    html = _render_slot(kosodate_theme, coordinator)
    panel_url = reverse("matching:suggestion_panel", args=[kosodate_theme.pk])
    assert f'hx-get="{panel_url}"' in html and 'hx-trigger="load"' in html
    assert f'href="{reverse("matching:suggestions", args=[kosodate_theme.pk])}"' in html


def test_slot_is_empty_for_everyone_else(kosodate_theme, group_member):
    assert _render_slot(kosodate_theme, group_member).strip() == ""
    assert _render_slot(kosodate_theme, AnonymousUser()).strip() == ""


def test_panel_shows_candidates_with_propose_and_dismiss_to_coordinators(
    client, kosodate_theme, kosodate_group, coordinator
):
    client.force_login(coordinator)
    html = _panel(client, kosodate_theme).content.decode()
    assert kosodate_group.name in html
    assert f"party={kosodate_group.party_id}" in html
    assert f"/suggestions/{kosodate_group.party_id}/dismiss/" in html
    assert "共通の活動分野：子どもの健全育成" in html


def test_panel_is_denied_to_others(client, kosodate_theme, group_member):
    client.force_login(group_member)
    assert _panel(client, kosodate_theme).status_code == 403
    client.logout()
    assert _panel(client, kosodate_theme).status_code == 302  # to the login page


def test_panel_query_count_is_pinned(client, kosodate_theme, coordinator, fields, forms, django_assert_max_num_queries):
    client.force_login(coordinator)
    _many_groups(1, fields, forms)
    with django_assert_max_num_queries(15):
        assert _panel(client, kosodate_theme).status_code == 200
    _many_groups(50, fields, forms)
    with django_assert_max_num_queries(15):
        assert _panel(client, kosodate_theme).status_code == 200


def test_cached_ranking_is_served_without_ranking_again(kosodate_theme, kosodate_group, django_assert_num_queries):
    listing = Listing.objects.with_related().get(pk=kosodate_theme.pk)
    first = suggestions.cached_suggest_partners(listing, limit=5)
    with django_assert_num_queries(1):  # only the inputs' version
        assert suggestions.cached_suggest_partners(listing, limit=5) == first


def test_a_dismissal_shows_at_once(kosodate_theme, kosodate_group, coordinator):
    assert kosodate_group.party_id in [s.party_id for s in suggestions.cached_suggest_partners(kosodate_theme, 5)]
    services.suggestion_dismiss(listing=kosodate_theme, party=kosodate_group.party, actor=coordinator)
    assert kosodate_group.party_id not in [s.party_id for s in suggestions.cached_suggest_partners(kosodate_theme, 5)]


def test_a_new_group_and_a_changed_group_show_at_once(kosodate_theme, kosodate_group, fields, forms):
    before = suggestions.cached_suggest_partners(kosodate_theme, 5)
    newcomer = f.OrganizationFactory(
        name="子育て居場所ネット", activity_fields=[fields[13]], open_forms=[forms["co_hosting"]]
    )
    after = suggestions.cached_suggest_partners(kosodate_theme, 5)
    assert newcomer.party_id in [s.party_id for s in after] and after != before
    kosodate_group.name = "改名した子育て団体"
    kosodate_group.save()
    names = [s.name for s in suggestions.cached_suggest_partners(kosodate_theme, 5)]
    assert "改名した子育て団体" in names


def test_an_unpublished_candidate_listing_shows_at_once(kosodate_theme, fields, forms):
    seed_owner = f.OrganizationFactory(name="広場の会")
    seed = f.ListingFactory(
        owner=seed_owner.party, kind="seed", title="子育て広場の会場提供", activity_fields=[fields[13]]
    )

    def shown_listings():
        return [s.listing_id for s in suggestions.cached_suggest_partners(kosodate_theme, 5)]

    assert seed.pk in shown_listings()
    seed.status = Listing.Status.CLOSED
    seed.save()
    assert seed.pk not in shown_listings()
