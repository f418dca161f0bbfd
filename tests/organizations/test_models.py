import pytest
from django.db import IntegrityError

from organizations.models import ActivityField, CollaborationForm, Department, Organization, Party
from tests import factories as f


@pytest.mark.django_db
def test_reference_data_is_loaded_by_migration():
    assert ActivityField.objects.count() == 20
    assert ActivityField.objects.get(number=13).name == "子どもの健全育成を図る活動"
    names = list(CollaborationForm.objects.values_list("name", flat=True))
    assert names == [
        "情報提供・情報交換",
        "企画立案への参画・政策提案",
        "共催",
        "後援",
        "実行委員会・協議会",
        "委託（協働委託）",
        "補助・助成",
        "公共財産の活用",
        "事業協力",
        "指定管理者",
        "協賛",
    ]
    assert "お金は出しません" in CollaborationForm.objects.get(name="後援").description


@pytest.mark.django_db
def test_every_organization_and_department_has_its_party():
    org = f.OrganizationFactory()
    dept = f.DepartmentFactory()
    assert org.party.kind == Party.Kind.ORGANIZATION and org.party.entity == org
    assert dept.party.kind == Party.Kind.DEPARTMENT and dept.party.entity == dept
    assert org.party.name == org.name


@pytest.mark.django_db
def test_department_hierarchy_bu_ka():
    division = f.DivisionFactory(name="こども育成部")
    section = f.DepartmentFactory(name="子育て支援課", parent=division)
    assert division.is_division and not section.is_division
    assert list(division.children.all()) == [section]
    assert section.full_name == "こども育成部 子育て支援課"


@pytest.mark.django_db
def test_department_names_are_unique_within_a_division():
    division = f.DivisionFactory()
    f.DepartmentFactory(name="総務課", parent=division)
    with pytest.raises(IntegrityError):
        f.DepartmentFactory(name="総務課", parent=division)


@pytest.mark.django_db
def test_organizations_sort_in_gojuon_order_by_reading():
    for name, kana in [("わかば会", "わかばかい"), ("あおぞら会", "あおぞらかい"), ("さくら会", "さくらかい")]:
        f.OrganizationFactory(name=name, name_kana=kana)
    assert list(Organization.objects.values_list("name", flat=True)) == ["あおぞら会", "さくら会", "わかば会"]


@pytest.mark.django_db
def test_search_text_is_normalised_and_kept_current():
    org = f.OrganizationFactory(name="ＮＰＯ法人カンキョウの会", name_kana="かんきょうのかい")
    # Each field: its normalised text, its reading, its words' dictionary forms (core.analyser.search_text).
    assert org.search_text.startswith("npo法人かんきょうの会|えぬぴーおーほうじんかんきょうのかい|")
    assert "|かんきょうのかい|" in org.search_text
    org.name = "ねこの会"
    org.save(update_fields=["name"])
    org.refresh_from_db()
    assert "ねこの会" in org.search_text


@pytest.mark.django_db
def test_search_finds_one_and_two_character_words_across_kana_and_width():
    cat = f.OrganizationFactory(name="猫の保護ネットワーク", name_kana="ねこのほごねっとわーく")
    kids = f.OrganizationFactory(name="子育て応援団", name_kana="こそだておうえんだん")
    assert list(Organization.objects.search("猫")) == [cat]
    assert list(Organization.objects.search("子育")) == [kids]
    assert list(Organization.objects.search("ネコノホゴ")) == [cat]
    assert list(Organization.objects.search("ｺｿﾀﾞﾃ")) == [kids]
    assert set(Organization.objects.search("")) == {cat, kids}
    assert list(Department.objects.search("猫")) == []
