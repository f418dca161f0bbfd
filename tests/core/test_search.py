"""The Japanese search gives the same rows on every database; on PostgreSQL it is index-backed."""

import pytest
from django.db import connection

from core.search import GRAM_MAX, Term, filter_terms, query_terms, search
from demo import factories as f
from listings.models import Listing
from organizations.models import Organization


@pytest.fixture
def groups(db):
    return {
        "cat": f.OrganizationFactory(name="猫の保護ネットワーク", name_kana="ねこのほごねっとわーく", description=""),
        "kids": f.OrganizationFactory(name="子育て応援団", name_kana="こそだておうえんだん", description=""),
        "town": f.OrganizationFactory(name="まちづくり協議会", name_kana="まちづくりきょうぎかい", description=""),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("猫", {"cat"}),  # one character
        ("子育", {"kids"}),  # two characters: trigrams cannot serve these
        ("子育て", {"kids"}),  # three: the trigram index
        ("ｺｿﾀﾞﾃ", {"kids"}),  # half-width katakana folds to the reading
        ("まち 協議", {"town"}),  # every word must match
        ("子育 猫", set()),
        ("会", {"town"}),
        ("", {"cat", "kids", "town"}),
        ("100%", set()),  # LIKE wildcards are literal
    ],
)
def test_search_matches_substrings_of_any_length(groups, query, expected):
    found = set(Organization.objects.search(query))
    assert found == {groups[k] for k in expected}


def test_search_does_not_match_across_two_fields(groups):
    # name ends with 団, name_kana starts with こ: "団こ" exists only across the "|" separator.
    assert list(Organization.objects.search("団こ")) == []


@pytest.mark.django_db
def test_listing_search_finds_one_and_two_character_words_in_the_body():
    listing = f.ListingFactory(title="募集", body="海岸の清掃を一緒に", problem="")
    f.ListingFactory(title="募集", body="子どもの居場所", problem="")
    assert list(Listing.objects.search("海")) == [listing]
    assert list(Listing.objects.search("清掃")) == [listing]


@pytest.mark.django_db
def test_short_words_use_the_grams_index_condition_only_on_postgresql():
    sql = str(filter_terms(Organization.objects.all(), [Term("子育", ("子育",)), Term("子育て", ("子育て",))]).query)
    if connection.vendor == "postgresql":
        assert sql.count("kyodo_search_grams") == 1  # only the two-character word
    else:
        assert "kyodo_search_grams" not in sql
    assert sql.count("LIKE") == 2
    assert GRAM_MAX == 2


@pytest.mark.django_db
def test_grams_function_gives_every_character_and_adjacent_pair():
    if connection.vendor != "postgresql":
        pytest.skip("the grams function exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT kyodo_search_grams(%s), kyodo_search_grams(''), kyodo_search_grams('a')", ["子育て|ab"])
        grams, empty, one = cursor.fetchone()
    assert set(grams) == {"子", "育", "て", "|", "a", "b", "子育", "育て", "て|", "|a", "ab"}
    assert empty == []
    assert one == ["a"]


@pytest.mark.django_db
def test_a_word_with_a_short_form_among_several_is_one_select_per_form_on_postgresql():
    """An OR of a grams and a trigram condition is rechecked row by row, computing the grams of each
    candidate's text; one SELECT per form lets each use its index alone (core.search)."""
    sql = str(filter_terms(Organization.objects.all(), [Term("子育", ("子育", "こそだて"))]).query)
    if connection.vendor == "postgresql":
        assert sql.count("UNION ALL") == 1
        assert sql.count("kyodo_search_grams") == 1
    else:
        assert "UNION" not in sql


@pytest.mark.django_db
def test_grams_function_is_declared_expensive_so_the_planner_reads_its_index():
    if connection.vendor != "postgresql":
        pytest.skip("the grams function exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT procost FROM pg_proc WHERE proname = 'kyodo_search_grams'")
        assert cursor.fetchone()[0] >= 10000


@pytest.fixture
def variants(db):
    """Groups writing the same words differently, and one that does not have them."""
    return {
        "kanji": f.OrganizationFactory(name="子育て応援団", name_kana="こそだておうえんだん", description="子ども食堂"),
        "kana": f.OrganizationFactory(
            name="ひだまり", name_kana="ひだまり", description="こそだて中の親子と子供の居場所"
        ),
        "wide": f.OrganizationFactory(name="ＮＰＯ法人わかば", name_kana="わかば", description="こどもの学習支援"),
        "other": f.OrganizationFactory(name="海岸クリーン", name_kana="かいがんくりーん", description="海岸の清掃"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("こそだて", {"kanji", "kana"}),  # the reading finds 子育て
        ("ｺｿﾀﾞﾃ", {"kanji", "kana"}),  # half-width katakana is the same reading
        ("コソダテ", {"kanji", "kana"}),
        ("子育て", {"kanji", "kana"}),  # and its reading finds こそだて written in kana
        ("子供", {"kanji", "kana", "wide"}),  # 子ども, 子供 and こども are one word
        ("子ども", {"kanji", "kana", "wide"}),
        ("こども", {"kanji", "kana", "wide"}),
        ("NPO", {"wide"}),  # full-width ＮＰＯ and half-width NPO are one
        ("ｎｐｏ 学習", {"wide"}),
        ("子供　居場所", {"kana"}),  # every word must match (a full-width space separates too)
        ("子ども 清掃", set()),
        ("海岸 清掃", {"other"}),
    ],
)
def test_search_matches_variants_and_readings(variants, query, expected):
    assert set(Organization.objects.search(query)) == {variants[k] for k in expected}
    assert set(search(Organization.objects.all(), query)) == {variants[k] for k in expected}


def test_query_terms_say_what_each_word_was_matched_as(db):
    terms = query_terms("子ども　ｺｿﾀﾞﾃ 子ども")
    assert [t.word for t in terms] == ["子ども", "こそだて"]  # a repeated word once
    assert terms[0].forms == ("子ども", "子供")  # こども: too short a reading to be specific
    assert terms[1].forms == ("こそだて",)
