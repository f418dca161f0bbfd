"""The header's one search box: sections for groups, departments, listings and events (core.sitesearch)."""

import pytest
from django.urls import reverse

from demo import factories as f
from events.models import ExchangeEvent
from listings.models import Listing

pytestmark = pytest.mark.django_db
URL = reverse("core:search")
SEARCH_QUERIES = 4  # groups, departments, listings, events (anonymous: no session)


def _sections(response):
    return {r["section"].key: [h.title for h in r["hits"]] for r in response.context["results"]}


def test_one_query_finds_every_kind_by_reading(client):
    f.OrganizationFactory(name="子育てひろばの会", name_kana="こそだてひろばのかい", is_published=True)
    f.OrganizationFactory(name="子育て未公開の会", is_published=False)
    f.DepartmentFactory(name="子育て支援課", name_kana="こそだてしえんか", parent=f.DivisionFactory())
    f.ListingFactory(title="子育てサロンの担い手")
    f.ListingFactory(title="子育ての下書き", status=Listing.Status.DRAFT)
    f.ExchangeEventFactory(title="子育て分野の交流会")
    f.ExchangeEventFactory(title="子育て 下書きの会", status=ExchangeEvent.Status.DRAFT)
    found = _sections(client.get(URL, {"q": "子育て"}))
    assert "子育てひろばの会" in found["groups"] and "子育て未公開の会" not in found["groups"]
    assert found["departments"] == ["子育て支援課"]
    assert found["listings"] == ["子育てサロンの担い手"]
    assert found["events"] == ["子育て分野の交流会"]
    by_reading = _sections(client.get(URL, {"q": "こそだて"}))
    assert "子育てひろばの会" in by_reading["groups"] and by_reading["listings"] == ["子育てサロンの担い手"]


def test_each_section_shows_five_and_links_to_its_full_list(client):
    for n in range(7):
        f.ListingFactory(title=f"見守り活動 {n}")
    response = client.get(URL, {"q": "見守り"})
    listings = next(r for r in response.context["results"] if r["section"].key == "listings")
    assert len(listings["hits"]) == 5 and listings["more"]
    assert listings["more_url"] == reverse("listings:index") + "?q=%E8%A6%8B%E5%AE%88%E3%82%8A"
    assert listings["more_url"].replace("&", "&amp;") in response.content.decode()


def test_empty_and_malformed_queries(client):
    response = client.get(URL)
    assert response.status_code == 200 and response.context["results"] == []
    assert client.get(URL, {"q": "a\x00b"}).status_code == 400
    long = client.get(URL, {"q": "あ" * 500})
    assert long.status_code == 200 and len(long.context["query"]) == 100


def test_nothing_found_says_so(client):
    assert "見つかりませんでした" in client.get(URL, {"q": "存在しない言葉"}).content.decode()


def test_header_has_the_search_box_without_js(client):
    html = client.get(reverse("listings:index")).content.decode()
    assert f'action="{URL}"' in html and 'name="q"' in html and 'role="search"' in html


@pytest.mark.parametrize("rows", [1, 50])
def test_search_query_count_is_pinned(client, rows, django_assert_num_queries):
    division = f.DivisionFactory()
    for n in range(rows):
        f.OrganizationFactory(name=f"地域の会{n}", is_published=True)
        f.DepartmentFactory(name=f"地域課{n}", parent=division)
        f.ListingFactory(title=f"地域の見守り{n}")
        f.ExchangeEventFactory(title=f"地域交流会{n}")
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.get(URL, {"q": "地域"})
    assert all(r["hits"] for r in response.context["results"])
