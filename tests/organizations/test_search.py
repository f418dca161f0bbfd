"""Japanese search of the directory. Runs on SQLite by default and on PostgreSQL with
DATABASE_URL=postgres://… (the same tests; the postgres-marked one checks the engine)."""

import pytest
from django.db import connection
from django.urls import reverse

from demo import factories as f
from organizations.models import Department, Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    return {
        "kosodate": f.OrganizationFactory(
            name="NPO法人 子育てサポートみなと", name_kana="こそだてさぽーとみなと", description="親子の居場所"
        ),
        "kankyo": f.OrganizationFactory(
            name="海辺の環境を守る会", name_kana="うみべのかんきょうをまもるかい", description="海岸清掃"
        ),
        "neko": f.OrganizationFactory(
            name="地域猫の会", name_kana="ちいきねこのかい", description="保護猫の譲渡会を開いています"
        ),
        "katakana": f.OrganizationFactory(name="ハーモニー", name_kana="ハーモニー", description="合唱団"),
        "draft": f.OrganizationFactory(name="子育て準備会", name_kana="こそだてじゅんび", is_published=False),
    }


def _directory_names(client, q):
    response = client.get(reverse("organizations:directory"), {"q": q})
    return {o.name for o in response.context["page_obj"].paginator.object_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("子育", {"NPO法人 子育てサポートみなと"}),
        ("環境", {"海辺の環境を守る会"}),
        ("猫", {"地域猫の会"}),
        ("ｺｿﾀﾞﾃ", {"NPO法人 子育てサポートみなと"}),  # half-width katakana reading
        ("こそだて", {"NPO法人 子育てサポートみなと"}),  # hiragana reading
        ("カンキョウ", {"海辺の環境を守る会"}),  # full-width katakana reading
        ("はーもにー", {"ハーモニー"}),  # hiragana query, katakana reading stored
        ("ＮＰＯ　子育", {"NPO法人 子育てサポートみなと"}),  # full-width letters and space: two words
        ("猫 環境", set()),  # every word must match
    ],
)
def test_directory_search_in_japanese(client, groups, query, expected):
    assert _directory_names(client, query) == expected


def test_search_never_returns_unpublished_groups(client, groups):
    assert "子育て準備会" not in _directory_names(client, "子育")
    assert Organization.objects.search("子育").count() == 2  # the queryset itself finds both


def test_one_kanji_query_hits_description_words(groups):
    assert set(Organization.objects.published().search("譲").values_list("name", flat=True)) == {"地域猫の会"}


def test_department_search_with_two_characters(client):
    div = f.DivisionFactory(name="環境部", name_kana="かんきょうぶ")
    f.DepartmentFactory(name="資源循環課", name_kana="しげんじゅんかんか", parent=div, duties="ごみの減量と海岸清掃")
    f.DepartmentFactory(name="保育課", parent=f.DivisionFactory(name="こども育成部"), duties="保育所")
    assert list(Department.objects.search("海岸").values_list("name", flat=True)) == ["資源循環課"]
    response = client.get(reverse("organizations:department_list"), {"q": "ｼｹﾞﾝ"})
    assert [d.name for d, _ in response.context["tree"]] == ["環境部"]


def test_gojuon_index_uses_readings_on_this_database(client, groups):
    response = client.get(reverse("organizations:directory"), {"kana": "は"})
    # "ハーモニー" is stored in katakana (as admin or an import might); it still sorts under は.
    assert {o.name for o in response.context["organizations"]} == {"ハーモニー"}
    response = client.get(reverse("organizations:directory"), {"kana": "た"})
    assert {o.name for o in response.context["organizations"]} == {"地域猫の会"}
    response = client.get(reverse("organizations:directory"), {"kana": "か"})
    assert {o.name for o in response.context["organizations"]} == {"NPO法人 子育てサポートみなと"}


@pytest.mark.postgres
def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"
