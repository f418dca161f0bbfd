from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from demo import factories as f
from listings.models import Listing
from matching import services
from matching.models import DismissedSuggestion
from matching.suggestions import MAX_LISTINGS_PER_PARTY, bigrams, common_words

pytestmark = pytest.mark.django_db


def test_kosodate_theme_ranks_the_kosodate_group_first_with_readable_reasons(
    kosodate_theme, kosodate_group, kankyo_group, bousai_group
):
    suggestions = services.suggest_partners(kosodate_theme)

    assert suggestions[0].party_id == kosodate_group.party_id
    top = suggestions[0]
    assert "共通の活動分野：子どもの健全育成" in top.reasons
    assert "双方が想定する協働の形態：共催" in top.reasons
    words = next(r for r in top.reasons if r.startswith("共通する言葉："))
    assert "子育て" in words and "居場所" in words
    assert bousai_group.party_id not in [s.party_id for s in suggestions]  # shares neither field nor form
    kankyo = next(s for s in suggestions if s.party_id == kankyo_group.party_id)
    assert kankyo.score < top.score
    assert not any(r.startswith("共通の活動分野") for r in kankyo.reasons)


def test_group_need_suggests_departments_through_their_themes_and_menu_items(fields, forms):
    group = f.OrganizationFactory(activity_fields=[fields[7]])
    need = f.ListingFactory(
        owner=group.party,
        title="海岸清掃の仲間と道具を探しています",
        body="毎月の海岸清掃に参加する人と、ごみ袋や軍手などの道具の支援を求めています。",
        problem="海岸のごみが増えています。",
        activity_fields=[fields[7]],
        forms=[forms["co_hosting"]],
    )
    shigen = f.DepartmentFactory(name="資源循環課", duties="ごみの減量とリサイクル、海岸清掃")
    f.ListingFactory(
        owner=shigen.party,
        kind="seed",
        title="海岸清掃のごみ袋と回収の提供",
        body="清掃活動で集めたごみの回収とごみ袋を提供します。",
        activity_fields=[fields[7]],
        forms=[forms["public_property"]],
    )
    hoiku = f.DepartmentFactory(name="保育課")
    f.ListingFactory(
        owner=hoiku.party,
        title="保育所の行事の協力者",
        body="保育所の行事に協力してくれる団体を募集します。",
        activity_fields=[fields[13]],
        forms=[forms["co_hosting"]],
    )

    suggestions = services.suggest_partners(need)

    assert [s.party_id for s in suggestions][:2] == [shigen.party_id, hoiku.party_id]
    assert suggestions[0].listing_title == "海岸清掃のごみ袋と回収の提供"
    assert any("海岸清掃" in r for r in suggestions[0].reasons)
    assert "共通の活動分野：環境の保全" in suggestions[0].reasons


def test_same_area_and_citywide_are_reasons(kosodate_theme, fields):
    chuo = f.AreaFactory(name="中央地区", is_citywide=False)
    citywide = f.AreaFactory(name="市全域", is_citywide=True)
    kosodate_theme.area = chuo
    kosodate_theme.save()
    same = f.OrganizationFactory(area=chuo, activity_fields=[fields[13]])
    wide = f.OrganizationFactory(area=citywide, activity_fields=[fields[13]])

    by_party = {s.party_id: s for s in services.suggest_partners(kosodate_theme)}

    assert "同じ地区：中央地区" in by_party[same.party_id].reasons
    assert "市全域が対象" in by_party[wide.party_id].reasons
    assert by_party[same.party_id].score > by_party[wide.party_id].score


def test_dismissed_suggestion_does_not_come_back(kosodate_theme, kosodate_group, kankyo_group, coordinator):
    assert services.suggest_partners(kosodate_theme)[0].party_id == kosodate_group.party_id

    services.suggestion_dismiss(listing=kosodate_theme, party=kosodate_group.party, actor=coordinator)

    ids = [s.party_id for s in services.suggest_partners(kosodate_theme)]
    assert kosodate_group.party_id not in ids
    assert kankyo_group.party_id in ids
    assert DismissedSuggestion.objects.get().dismissed_by == coordinator


def test_only_coordinators_dismiss_suggestions(kosodate_theme, kosodate_group, group_member):
    with pytest.raises(services.PermissionDenied):
        services.suggestion_dismiss(listing=kosodate_theme, party=kosodate_group.party, actor=group_member)


def test_unpublished_groups_and_listings_get_no_suggestions(kosodate_theme, kosodate_group, fields):
    hidden = f.OrganizationFactory(is_published=False, activity_fields=[fields[13]])
    assert hidden.party_id not in [s.party_id for s in services.suggest_partners(kosodate_theme)]
    kosodate_theme.status = "draft"
    kosodate_theme.save()
    assert services.suggest_partners(kosodate_theme) == []


def test_parties_already_matched_on_the_listing_are_not_suggested(kosodate_theme, kosodate_group, coordinator):
    match = services.match_propose(
        actor=coordinator, title="t", parties=[kosodate_theme.owner, kosodate_group.party], listings=[kosodate_theme]
    )
    assert match.pk
    assert kosodate_group.party_id not in [s.party_id for s in services.suggest_partners(kosodate_theme)]


def test_bigrams_skip_grammar_pairs_and_punctuation():
    grams = bigrams("子育てをしています。")
    assert "子育" in grams and "育て" in grams
    assert "して" not in grams and "す。" not in grams


def test_common_words_are_runs_of_the_original_text():
    shared = bigrams("子育て") | bigrams("居場所")
    idf = {g: 1.0 for g in shared}
    assert sorted(common_words("親子の居場所と子育て支援", shared, idf)) == ["子育て", "居場所"]


def _many_groups(n, fields, forms):
    for i in range(n):
        f.OrganizationFactory(activity_fields=[fields[13]], open_forms=[forms["co_hosting"]])
        if i % 3 == 0:
            f.ListingFactory(kind="seed", activity_fields=[fields[13]])


def test_suggestion_query_count_does_not_grow_with_candidates(kosodate_theme, fields, forms, django_assert_num_queries):
    _many_groups(1, fields, forms)
    listing = Listing.objects.with_related().get(pk=kosodate_theme.pk)  # as the listing's page loads it
    with django_assert_num_queries(3):  # candidates and exclusions; their rows and listings; their links
        assert len(services.suggest_partners(listing)) == 2  # the group and the seed's owner
    _many_groups(30, fields, forms)
    with django_assert_num_queries(3):
        assert len(services.suggest_partners(listing)) == 10


PANEL = Template("{% load matching_tags %}{% suggestion_panel listing %}")


def _render_panel(listing, user):
    request = RequestFactory().get("/")
    request.user = user
    return PANEL.render(Context({"request": request, "listing": listing, "csrf_token": "x"}))


def test_suggestion_panel_shows_candidates_with_propose_and_dismiss_to_coordinators(
    kosodate_theme, kosodate_group, coordinator
):
    html = _render_panel(kosodate_theme, coordinator)
    assert kosodate_group.name in html
    assert f"party={kosodate_group.party_id}" in html
    assert f"/suggestions/{kosodate_group.party_id}/dismiss/" in html
    assert "共通の活動分野：子どもの健全育成" in html


def test_suggestion_panel_is_empty_for_everyone_else(kosodate_theme, kosodate_group, group_member, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert kosodate_group.name not in _render_panel(kosodate_theme, group_member)
    assert _render_panel(kosodate_theme, AnonymousUser()).strip() == ""


def test_suggestion_panel_query_count_is_pinned(kosodate_theme, coordinator, fields, forms, django_assert_num_queries):
    coordinator.is_coordinator  # noqa: B018  (cached on the user, as within a request)
    _many_groups(1, fields, forms)
    listing = Listing.objects.with_related().get(pk=kosodate_theme.pk)
    with django_assert_num_queries(3):
        _render_panel(listing, coordinator)
    _many_groups(30, fields, forms)
    with django_assert_num_queries(3):
        _render_panel(listing, coordinator)


@pytest.mark.parametrize("text", ["ＮＰＯ法人 サポート　センター", "子育て中の親子", "ＡＢＣ ｶﾀｶﾅ", "", "ヴ ヶ ー"])
def test_fast_normalize_is_core_normalize(text):
    from core.japanese import normalize
    from matching.suggestions import fast_normalize

    assert fast_normalize(text) == normalize(text)


def test_katakana_words_count_as_common_words():
    shared = bigrams("サポートセンター") & bigrams("市民活動サポートセンター")
    assert "さぽ" in shared
    assert common_words("サポートセンターの運営", shared, {g: 1.0 for g in shared}) == ["サポートセンター"]


def test_only_each_candidates_newest_listings_are_compared(fields, forms):
    """Work per candidate is bounded: an old theme that would match best is no longer read."""
    need = f.ListingFactory(
        owner=f.OrganizationFactory().party,
        title="海岸清掃の仲間を探しています",
        activity_fields=[fields[7]],
        forms=[forms["co_hosting"]],
    )
    department = f.DepartmentFactory(name="資源循環課")
    start = datetime(2024, 4, 1, tzinfo=UTC)
    oldest = f.ListingFactory(
        owner=department.party, activity_fields=[fields[7]], forms=[forms["co_hosting"]], published_at=start
    )
    newer = [
        f.ListingFactory(
            owner=department.party, activity_fields=[fields[7]], forms=[], published_at=start + timedelta(days=i + 1)
        )
        for i in range(MAX_LISTINGS_PER_PARTY)
    ]

    [suggestion] = services.suggest_partners(need)

    assert suggestion.party_id == department.party_id
    assert suggestion.listing_id in {listing.pk for listing in newer}
    assert suggestion.listing_id != oldest.pk
    assert not any(r.startswith("双方が想定する協働の形態") for r in suggestion.reasons)


def test_a_theme_with_forms_but_no_fields_still_finds_groups(kosodate_section, kosodate_group, forms):
    theme = f.ListingFactory(owner=kosodate_section.party, title="後援名義の相談", forms=[forms["endorsement"]])
    [top, *_] = services.suggest_partners(theme)
    assert top.party_id == kosodate_group.party_id
    assert "双方が想定する協働の形態：後援" in top.reasons
