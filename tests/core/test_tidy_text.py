"""Titles, free text and phone numbers are normalised in one place, on save (core.fields)."""

import pytest

from core.japanese import tidy_phone, tidy_text
from listings.models import Listing
from organizations.models import Organization, Party
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ﾉｳﾊｳ講座", "ノウハウ講座"),
        ("ｺｿﾀﾞﾃ ｻﾛﾝ", "コソダテ サロン"),
        ("ＮＰＯ法人　第１回", "NPO法人　第1回"),  # the full-width space stays
        ("（仮称）「子ども食堂」～", "（仮称）「子ども食堂」～"),  # Japanese punctuation stays
    ],
)
def test_tidy_text_applies_only_the_safe_part_of_nfkc(typed, stored):
    assert tidy_text(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"), [("０４６７－８２－１１１１", "0467-82-1111"), ("0467ー82ー1111", "0467-82-1111")]
)
def test_phone_numbers_get_half_width_digits_and_hyphens(typed, stored):
    assert tidy_phone(typed) == stored


def test_saving_a_record_stores_tidied_text_and_analyses_it_as_stored():
    listing = f.ListingFactory(title="ﾉｳﾊｳ交換会", body="ＩＴの使い方", problem="")
    listing.refresh_from_db()
    assert listing.title == "ノウハウ交換会" and listing.body == "ITの使い方"
    assert listing.text_words["ノウハウ交換会"] == "ノウハウ交換会"
    org = f.OrganizationFactory(public_phone="０４６７－８２－１１１１", description="ｻﾛﾝ")
    org.refresh_from_db()
    assert org.public_phone == "0467-82-1111" and org.description == "サロン"
    assert Listing.objects.search("ノウハウ").get() == listing
    assert Organization.objects.search("サロン").get() == org


def test_bulk_inserts_are_tidied_too():
    party = Party.objects.create(kind=Party.Kind.ORGANIZATION)
    [org] = Organization.objects.bulk_create(
        [Organization(party=party, name="ﾃｽﾄの会", name_kana="てすと", kind="voluntary")]
    )
    assert Organization.objects.get(pk=org.pk).name == "テストの会"
