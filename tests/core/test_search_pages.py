"""Listing and directory search pages: variants and readings find the same rows on SQLite and on
PostgreSQL (run with DATABASE_URL=postgres://…), and the page says what each word was matched as."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def listings(db):
    return {
        "kanji": f.ListingFactory(title="子育てサロンの仲間募集", body="子ども連れで来られます", status="published"),
        "kana": f.ListingFactory(title="こそだて広場", body="子供と遊べる場所を探しています", status="published"),
        "wide": f.ListingFactory(title="ﾉｳﾊｳ講座", body="こどもの学習支援のノウハウ", status="published"),
        "other": f.ListingFactory(title="海岸清掃", body="ごみ拾い", status="published"),
    }


def _titles(client, q):
    response = client.get(reverse("listings:index"), {"q": q})
    assert response.status_code == 200
    return {listing.title for listing in response.context["page"].paginator.object_list}, response


@pytest.mark.parametrize("query", ["こそだて", "ｺｿﾀﾞﾃ", "子育て", "コソダテ"])
def test_listing_search_finds_the_same_listings_by_reading_and_spelling(client, listings, query):
    titles, _ = _titles(client, query)
    assert titles == {listings["kanji"].title, listings["kana"].title}


def test_listing_search_folds_kodomo_and_widths_and_keeps_and(client, listings):
    everyone = {listings[k].title for k in ("kanji", "kana", "wide")}
    assert _titles(client, "子供")[0] == everyone
    assert _titles(client, "子ども")[0] == everyone
    assert _titles(client, "ノウハウ")[0] == {listings["wide"].title}  # ﾉｳﾊｳ was written half-width
    assert _titles(client, "子供 学習")[0] == {listings["wide"].title}
    assert _titles(client, "子供 海岸")[0] == set()


def test_results_page_says_what_each_word_was_matched_as(client, listings):
    _, response = _titles(client, "子ども　ｺｿﾀﾞﾃ")
    html = response.content.decode()
    assert 'id="search-terms"' in html
    assert "子ども（子供）" in html
    assert "こそだて（読み）" in html


def test_directory_search_says_what_was_matched(client):
    f.OrganizationFactory(name="子育て応援団", name_kana="こそだておうえんだん", description="")
    response = client.get(reverse("organizations:directory"), {"q": "ｺｿﾀﾞﾃ"})
    assert [o.name for o in response.context["page_obj"].paginator.object_list] == ["子育て応援団"]
    assert "こそだて（読み）" in response.content.decode()


def test_no_query_no_terms_line(client, listings):
    assert 'id="search-terms"' not in client.get(reverse("listings:index")).content.decode()
