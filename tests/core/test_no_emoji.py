"""Names and titles refuse emoji, with a Japanese message next to the field; ★ ♪ ※ stay allowed."""

import pytest
from django.core.exceptions import ValidationError

from accounts.forms import ProfileForm
from core.validators import validate_no_emoji
from listings.forms import ListingForm
from organizations.forms import OrganizationProfileForm

from ..organizations.helpers import profile_post


@pytest.mark.parametrize(
    "text", ["子育て😀ひろば", "みどりの会🌱", "☕カフェ", "1️⃣組", "👨‍👩‍👧の会", "🇯🇵交流会", "⭐会"]
)
def test_emoji_are_refused(text):
    with pytest.raises(ValidationError) as err:
        validate_no_emoji(text)
    assert err.value.messages == ["絵文字は使えません。文字だけで入力してください。"]


@pytest.mark.parametrize(
    "text", ["ひまわり★クラブ", "うたの会♪", "※仮称 まちづくり会議", "ＮＰＯ法人①", "Café 〜集い〜"]
)
def test_symbols_used_in_japanese_names_are_kept(text):
    validate_no_emoji(text)


@pytest.mark.django_db
def test_group_form_shows_the_message_next_to_the_name():
    form = OrganizationProfileForm(data=profile_post(name="子育てひろば😀"))
    assert not form.is_valid()
    assert form.errors["name"] == ["絵文字は使えません。文字だけで入力してください。"]


@pytest.mark.django_db
def test_person_names_refuse_emoji(group_member):
    form = ProfileForm(
        data={"family_name": "山田🎉", "given_name": "花子", "family_name_kana": "やまだ", "given_name_kana": "はなこ"},
        instance=group_member,
    )
    assert not form.is_valid() and "family_name" in form.errors


@pytest.mark.django_db
def test_listing_title_refuses_emoji(organization):
    form = ListingForm(data={"title": "見守り🙏"}, party_ids=[organization.party_id])
    assert not form.is_valid()
    assert form.errors["title"] == ["絵文字は使えません。文字だけで入力してください。"]
