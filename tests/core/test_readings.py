"""よみがな: suggested by the analyser while a name is typed, accepted only in hiragana, used by 50音 indexes."""

import pytest
from django.forms import modelform_factory
from django.urls import reverse

from accounts.forms import ProfileForm
from core.forms import ReadingField
from organizations.forms import ContactPersonForm, OrganizationProfileForm, ReadingFilledAdminForm
from organizations.models import Department
from tests import factories as f


@pytest.mark.parametrize(
    ("text", "reading"),
    [("子育て支援課", "こそだてしえんか"), ("山田", "やまだ"), ("太郎", "たろう"), ("ひまわりの会", "ひまわりのかい")],
)
def test_reading_suggestion_returns_the_analysers_reading(client, db, text, reading):
    response = client.get(reverse("core:reading_suggestion"), {"for": "id_name_kana", "name": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{reading}">' in html
    assert 'id="id_name_kana-reading"' in html and 'id="id_name_kana-readings"' in html


def test_reading_suggestion_refuses_a_target_that_is_not_a_field_id(client, db):
    url = reverse("core:reading_suggestion")
    assert client.get(url, {"for": '"><script>', "name": "山田"}).status_code == 400
    assert client.get(url, {"name": "山田"}).status_code == 400
    assert client.post(url, {"for": "id_name_kana", "name": "山田"}).status_code == 405


def test_name_fields_ask_for_their_reading_with_htmx(db):
    form = OrganizationProfileForm()
    attrs = form.fields["name"].widget.attrs
    assert attrs["hx-get"].endswith("?for=id_name_kana")
    assert attrs["hx-target"] == "#id_name_kana-reading"
    html = str(form["name_kana"])
    assert 'list="id_name_kana-readings"' in html and 'id="id_name_kana-reading"' in html
    profile = ProfileForm()
    assert profile.fields["given_name"].widget.attrs["hx-get"].endswith("?for=id_given_name_kana")
    contact = ContactPersonForm(prefix="contacts-0")
    assert contact.fields["name"].widget.attrs["hx-target"] == "#id_contacts-0-name_kana-reading"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("こそだて", "こそだて"),
        ("コソダテ", "こそだて"),
        ("ｺｿﾀﾞﾃ", "こそだて"),
        ("れんらく　はなこ", "れんらく はなこ"),
    ],
)
def test_readings_fold_to_hiragana(typed, stored):
    assert ReadingField().clean(typed) == stored


@pytest.mark.parametrize("typed", ["Taro", "山田", "やまだ1", "やまだ・たろう"])
def test_readings_refuse_anything_but_hiragana_with_a_japanese_message(typed):
    field = ReadingField()
    with pytest.raises(Exception) as error:
        field.clean(typed)
    assert "ひらがなで入力してください" in str(error.value)


def test_profile_form_keeps_the_input_and_shows_the_message_next_to_the_field(db):
    form = ProfileForm(
        data={"family_name": "山田", "given_name": "太郎", "family_name_kana": "Yamada", "given_name_kana": "たろう"}
    )
    assert not form.is_valid()
    assert "ひらがなで入力してください" in form.errors["family_name_kana"][0]
    assert form["family_name_kana"].value() == "Yamada"


def test_admin_fills_a_missing_reading_from_the_name(db):
    DepartmentAdminForm = modelform_factory(Department, form=ReadingFilledAdminForm, fields=["name", "name_kana"])
    form = DepartmentAdminForm(data={"name": "子育て支援課", "name_kana": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name_kana"] == "こそだてしえんか"
    form = DepartmentAdminForm(data={"name": "子育て支援課", "name_kana": "こそだてしえんか"})
    assert form.is_valid()
    assert not DepartmentAdminForm(data={"name": "子育て支援課", "name_kana": "kosodate"}).is_valid()


def test_gojuon_index_sorts_by_reading(client, db):
    f.OrganizationFactory(name="NPO法人あおぞら", name_kana="あおぞら")
    f.OrganizationFactory(name="子育て応援団", name_kana="こそだておうえんだん")
    response = client.get(reverse("organizations:directory"), {"kana": "か"})
    assert [o.name for o in response.context["page_obj"].paginator.object_list] == ["子育て応援団"]
