"""The coordinators' listing review queue: filters, Japanese search, sort and bulk publish/return."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from listings import services
from listings.models import Listing, ListingStatusChange
from organizations.models import ActivityField

pytestmark = pytest.mark.django_db
URL = reverse("listings:review_queue")
S = Listing.Status

QUEUE_QUERIES = 6  # session, user, roles; count, page, activity fields prefetch (field choices: cached)


def _pending(**kwargs):
    return f.ListingFactory(status=S.PENDING, published_at=None, **kwargs)


def _titles(response):
    return [listing.title for listing in response.context["listings"]]


def test_filters_by_kind_side_field_and_search(client, coordinator, department):
    childcare = ActivityField.objects.get(number=13)
    group_need = _pending(title="子育てサロンの担い手", activity_fields=[childcare])
    _pending(title="公園の清掃", kind=Listing.Kind.SEED)
    city_theme = _pending(title="防災訓練の協働", owner=department.party)
    client.force_login(coordinator)
    assert _titles(client.get(URL, {"kind": "seed"})) == ["公園の清掃"]
    assert _titles(client.get(URL, {"side": "department"})) == [city_theme.title]
    assert _titles(client.get(URL, {"field": childcare.pk})) == [group_need.title]
    # reading-aware (core.search): こそだて finds 子育て
    assert _titles(client.get(URL, {"q": "こそだて"})) == [group_need.title]


def test_filters_by_waiting_time_and_sorts(client, coordinator):
    old = _pending(title="あ 古い申請")
    new = _pending(title="い 新しい申請")
    Listing.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=20))
    client.force_login(coordinator)
    assert _titles(client.get(URL, {"waiting": "14"})) == [old.title]
    assert _titles(client.get(URL)) == [old.title, new.title]  # oldest first by default
    assert _titles(client.get(URL, {"sort": "newest"})) == [new.title, old.title]


def test_malformed_filters_show_the_whole_queue_not_an_error(client, coordinator):
    _pending()
    client.force_login(coordinator)
    response = client.get(URL, {"field": "x", "waiting": "999", "sort": "evil"})
    assert response.status_code == 200
    assert len(response.context["listings"]) == 1


def test_a_malformed_filter_beside_a_search_drops_only_itself(client, coordinator):
    """The page says which words it searched for: the search must then apply, with the bad filter
    reported next to its field (it once showed the whole queue under the search's words)."""
    _pending(title="子ども食堂の手伝い")
    _pending(title="海岸清掃の仲間")
    client.force_login(coordinator)
    response = client.get(URL, {"q": "食堂", "sort": "evil"})
    assert _titles(response) == ["子ども食堂の手伝い"]
    assert response.context["filter"].form.errors["sort"]


def test_bulk_publish_goes_through_the_service_for_each_and_reports_failures(client, coordinator):
    first, second = _pending(), _pending()
    already = f.ListingFactory(status=S.PUBLISHED)
    client.force_login(coordinator)
    response = client.post(
        URL + "?sort=newest",
        {"ids": [first.pk, second.pk, already.pk, "junk"], "action": "publish", "public_interest": "on"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == URL + "?sort=newest"
    for listing in (first, second):
        listing.refresh_from_db()
        assert listing.status == S.PUBLISHED and listing.screen_public_interest
        assert ListingStatusChange.objects.get(listing=listing, to_status=S.PUBLISHED).actor == coordinator
    shown = [str(m) for m in response.context["messages"]]
    assert any("2件" in m for m in shown)
    assert any(already.title in m and "審査中の掲載だけ" in m for m in shown)


def test_bulk_publish_requires_the_public_interest_check_next_to_it(client, coordinator):
    listing = _pending()
    client.force_login(coordinator)
    response = client.post(URL, {"ids": [listing.pk], "action": "publish"})
    assert response.status_code == 200
    assert response.context["bulk_form"].errors["public_interest"]
    assert response.context["chosen"] == {listing.pk}  # the ticks are kept
    listing.refresh_from_db()
    assert listing.status == S.PENDING


def test_bulk_return_needs_a_reason_and_sends_it_to_each(client, coordinator):
    first, second = _pending(), _pending()
    client.force_login(coordinator)
    response = client.post(URL, {"ids": [first.pk, second.pk], "action": "return"})
    assert response.context["bulk_form"].errors["reason"]
    client.post(URL, {"ids": [first.pk, second.pk], "action": "return", "reason": "対象地域を書いてください"})
    for listing in (first, second):
        listing.refresh_from_db()
        assert listing.status == S.RETURNED and listing.return_reason == "対象地域を書いてください"


def test_bulk_without_a_choice_says_so(client, coordinator):
    _pending()
    client.force_login(coordinator)
    response = client.post(URL, {"action": "return", "reason": "x"})
    assert response.context["bulk_form"].errors["ids"] == ["対象を1件以上選んでください。"]


@pytest.mark.parametrize("who", ["group_member", "department_staff"])
def test_forged_bulk_post_by_a_non_coordinator_is_refused(client, who, request):
    listing = _pending()
    client.force_login(request.getfixturevalue(who))
    response = client.post(URL, {"ids": [listing.pk], "action": "publish", "public_interest": "on"})
    assert response.status_code == 403
    listing.refresh_from_db()
    assert listing.status == S.PENDING


def test_bulk_service_refuses_each_item_for_a_non_coordinator(group_member):
    listing = _pending()
    outcome = services.listings_review_bulk(
        actor=group_member, listing_ids=[listing.pk], action="publish", public_interest=True
    )
    assert outcome.done == [] and outcome.failed[0][0] == listing.title
    listing.refresh_from_db()
    assert listing.status == S.PENDING


@pytest.mark.parametrize("rows", [1, 50])
def test_queue_query_count_is_pinned(client, coordinator, rows, django_assert_num_queries):
    fields = list(ActivityField.objects.all()[:2])
    for _ in range(rows):
        _pending(activity_fields=fields)
    client.force_login(coordinator)
    client.get(URL)
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(URL, {"q": "見守り", "kind": "need", "field": fields[0].pk, "sort": "title"})
    assert len(response.context["listings"]) == rows
