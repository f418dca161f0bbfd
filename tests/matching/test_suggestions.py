from datetime import UTC, datetime, timedelta

import pytest

from core.analyser import content_words
from demo import factories as f
from listings.models import Listing
from matching import services
from matching.models import DismissedSuggestion
from matching.suggestions import MAX_LISTINGS_PER_PARTY, suggest_partners

pytestmark = pytest.mark.django_db


def test_kosodate_theme_ranks_the_kosodate_group_first_with_readable_reasons(
    kosodate_theme, kosodate_group, kankyo_group, bousai_group
):
    suggestions = suggest_partners(kosodate_theme)

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
        collaboration_forms=[forms["co_hosting"]],
    )
    shigen = f.DepartmentFactory(name="資源循環課", duties="ごみの減量とリサイクル、海岸清掃")
    f.ListingFactory(
        owner=shigen.party,
        kind="seed",
        title="海岸清掃のごみ袋と回収の提供",
        body="清掃活動で集めたごみの回収とごみ袋を提供します。",
        activity_fields=[fields[7]],
        collaboration_forms=[forms["public_property"]],
    )
    hoiku = f.DepartmentFactory(name="保育課")
    f.ListingFactory(
        owner=hoiku.party,
        title="保育所の行事の協力者",
        body="保育所の行事に協力してくれる団体を募集します。",
        activity_fields=[fields[13]],
        collaboration_forms=[forms["co_hosting"]],
    )

    suggestions = suggest_partners(need)

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

    by_party = {s.party_id: s for s in suggest_partners(kosodate_theme)}

    assert "同じ地区：中央地区" in by_party[same.party_id].reasons
    assert "市全域が対象" in by_party[wide.party_id].reasons
    assert by_party[same.party_id].score > by_party[wide.party_id].score


def test_dismissed_suggestion_does_not_come_back(kosodate_theme, kosodate_group, kankyo_group, coordinator):
    assert suggest_partners(kosodate_theme)[0].party_id == kosodate_group.party_id

    services.suggestion_dismiss(listing=kosodate_theme, party=kosodate_group.party, actor=coordinator)

    ids = [s.party_id for s in suggest_partners(kosodate_theme)]
    assert kosodate_group.party_id not in ids
    assert kankyo_group.party_id in ids
    assert DismissedSuggestion.objects.get().dismissed_by == coordinator


def test_only_coordinators_dismiss_suggestions(kosodate_theme, kosodate_group, group_member):
    with pytest.raises(services.PermissionDenied):
        services.suggestion_dismiss(listing=kosodate_theme, party=kosodate_group.party, actor=group_member)


def test_unpublished_groups_and_listings_get_no_suggestions(kosodate_theme, kosodate_group, fields):
    hidden = f.OrganizationFactory(is_published=False, activity_fields=[fields[13]])
    assert hidden.party_id not in [s.party_id for s in suggest_partners(kosodate_theme)]
    kosodate_theme.status = "draft"
    kosodate_theme.save()
    assert suggest_partners(kosodate_theme) == []


def test_parties_already_matched_on_the_listing_are_not_suggested(kosodate_theme, kosodate_group, coordinator):
    match = services.match_propose(
        actor=coordinator, title="t", parties=[kosodate_theme.owner, kosodate_group.party], listings=[kosodate_theme]
    )
    assert match.pk
    assert kosodate_group.party_id not in [s.party_id for s in suggest_partners(kosodate_theme)]


def test_a_theme_reaches_groups_through_published_seeds_of_published_groups_only(
    kosodate_theme, fields, forms, monkeypatch
):
    """The groups below share the theme's field and form through their listings only (their own fields,
    forms and text share nothing). With one candidate slot, a group counted through its needs, its
    draft seeds or while unpublished (two listings each) would outrank the one with a published seed."""
    monkeypatch.setattr("matching.suggestions.MAX_CANDIDATES", 1)
    shared = {"activity_fields": [fields[13]], "collaboration_forms": [forms["co_hosting"]]}

    def group_with(listings, published=True, **listing):
        group = f.OrganizationFactory(name="将棋の会", activities_summary="将棋", is_published=published)
        for _ in range(listings):
            f.ListingFactory(owner=group.party, title="将棋教室", body="将棋を教えます。", **shared | listing)
        return group.party_id

    seeding = group_with(1, kind="seed")
    group_with(2, kind="need")
    group_with(2, kind="seed", status="draft")
    group_with(2, published=False, kind="seed")

    assert [s.party_id for s in suggest_partners(kosodate_theme)] == [seeding]


def test_a_groups_need_reaches_departments_through_their_listings_not_other_groups(fields, forms, monkeypatch):
    monkeypatch.setattr("matching.suggestions.MAX_CANDIDATES", 1)  # another group would take the slot
    shared = {"activity_fields": [fields[7]], "collaboration_forms": [forms["co_hosting"]]}
    need = f.ListingFactory(owner=f.OrganizationFactory().party, kind="need", title="海岸清掃の仲間募集", **shared)
    department = f.DepartmentFactory(name="資源循環課")
    f.ListingFactory(owner=department.party, kind="seed", title="清掃用具を貸し出せます", **shared)
    other_group = f.OrganizationFactory(name="将棋の会", activities_summary="将棋")
    for _ in range(2):
        f.ListingFactory(owner=other_group.party, kind="seed", title="将棋教室", body="将棋を教えます。", **shared)

    assert [s.party_id for s in suggest_partners(need)] == [department.party_id]


def _many_groups(n, fields, forms):
    for i in range(n):
        f.OrganizationFactory(activity_fields=[fields[13]], open_forms=[forms["co_hosting"]])
        if i % 3 == 0:
            f.ListingFactory(kind="seed", activity_fields=[fields[13]])


def test_suggestion_query_count_does_not_grow_with_candidates(kosodate_theme, fields, forms, django_assert_num_queries):
    _many_groups(1, fields, forms)
    listing = Listing.objects.with_related().get(pk=kosodate_theme.pk)  # as the listing's page loads it
    with django_assert_num_queries(3):  # candidates and exclusions; their rows and listings; their links
        assert len(suggest_partners(listing)) == 2  # the group and the seed's owner
    _many_groups(30, fields, forms)
    with django_assert_num_queries(3):
        assert len(suggest_partners(listing)) == 10


def test_only_each_candidates_newest_listings_are_compared(fields, forms):
    """Work per candidate is bounded: an old theme that would match best is no longer read."""
    need = f.ListingFactory(
        owner=f.OrganizationFactory().party,
        title="海岸清掃の仲間を探しています",
        activity_fields=[fields[7]],
        collaboration_forms=[forms["co_hosting"]],
    )
    department = f.DepartmentFactory(name="資源循環課")
    start = datetime(2024, 4, 1, tzinfo=UTC)
    oldest = f.ListingFactory(
        owner=department.party,
        activity_fields=[fields[7]],
        collaboration_forms=[forms["co_hosting"]],
        published_at=start,
    )
    newer = [
        f.ListingFactory(
            owner=department.party,
            activity_fields=[fields[7]],
            collaboration_forms=[],
            published_at=start + timedelta(days=i + 1),
        )
        for i in range(MAX_LISTINGS_PER_PARTY)
    ]

    [suggestion] = suggest_partners(need)

    assert suggestion.party_id == department.party_id
    assert suggestion.listing_id in {listing.pk for listing in newer}
    assert suggestion.listing_id != oldest.pk
    assert not any(r.startswith("双方が想定する協働の形態") for r in suggestion.reasons)


def test_a_theme_with_forms_but_no_fields_still_finds_groups(kosodate_section, kosodate_group, forms):
    theme = f.ListingFactory(
        owner=kosodate_section.party, title="後援名義の相談", collaboration_forms=[forms["endorsement"]]
    )
    [top, *_] = suggest_partners(theme)
    assert top.party_id == kosodate_group.party_id
    assert "双方が想定する協働の形態：後援" in top.reasons


@pytest.mark.parametrize(
    ("one", "other"),
    [("子ども", "子供"), ("こども", "子供"), ("楽しめる", "楽しむ"), ("つながり", "繋がり"), ("ｺｿﾀﾞﾃ", "コソダテ")],
)
def test_spelling_variants_are_one_word(one, other):
    assert set(content_words(one)) == set(content_words(other)) != set()


def test_compounds_are_kept_whole_and_their_nouns_count_too():
    words = content_words("市民後見人の養成講座を開きます。")
    assert words["市民後見人"] == "市民後見人"
    assert {"後見人", "養成講座", "講座"} <= set(words)
    assert not {"の", "を", "ます", "開き"} & set(words.values())


@pytest.mark.parametrize(
    ("noun", "verbal"),
    [("図書館でのおはなし会", "季節のおはなし会を続けて"), ("絵本の読み聞かせを担う", "朝の読み聞かせ、季節の行事")],
)
def test_a_verb_used_as_a_noun_meets_the_noun(noun, verbal):
    """おはなし会 is お + はなし (a verb's continuative form) + 会; 読み聞かせ after の is a noun too."""
    shared = set(content_words(noun)) & set(content_words(verbal))
    assert shared - {"季節", "図書館"}
    assert not {"はなす", "読み聞かせる"} & set(content_words(verbal))


def test_a_verb_in_a_clause_stays_a_verb():
    words = content_words("食品を集め、各食堂に届けています。")
    assert {"集める", "届ける"} <= set(words)
    assert not {"集め", "届け"} & set(words)


def test_grammar_and_light_words_are_not_content_words():
    words = content_words("地域のことをしていただけるように思います。サポーターとして")
    assert set(words) == {"地域", "サポーター"}


def test_text_alone_brings_up_a_group_that_shares_one_field(kosodate_section, fields, forms):
    theme = f.ListingFactory(
        owner=kosodate_section.party,
        title="子ども食堂のネットワークづくり",
        body="フードドライブで集めた食材を子ども食堂に届ける仕組みを作りたい。",
        activity_fields=[fields[13], fields[1]],
        collaboration_forms=[forms["co_hosting"], forms["cooperation"]],
    )
    for _ in range(12):  # share both fields and both forms, but not the theme's words
        f.OrganizationFactory(
            description="地域の皆さんと活動しています。",
            activity_fields=[fields[13], fields[1]],
            open_forms=[forms["co_hosting"], forms["cooperation"]],
        )
    right = f.OrganizationFactory(
        name="こども食堂ネット",
        description="市内の子供食堂をつなぎ、フードドライブの食材を配っています。",
        activity_fields=[fields[13]],
        open_forms=[],
    )

    [top, *_] = suggest_partners(theme)

    assert top.party_id == right.party_id
    words = next(r for r in top.reasons if r.startswith("共通する言葉："))
    assert "子ども食堂" in words and "フードドライブ" in words


def test_a_group_found_by_its_text_alone_needs_two_shared_words(kosodate_section, fields):
    theme = f.ListingFactory(
        owner=kosodate_section.party,
        title="外来種の駆除",
        body="外来種の駆除と在来種の保全。",
        activity_fields=[fields[7]],
    )
    for _ in range(4):
        f.OrganizationFactory(description="海岸の清掃をしています。", activity_fields=[fields[7]])
    one_word = f.OrganizationFactory(description="外来種について学ぶ会です。", activity_fields=[fields[2]])
    two_words = f.OrganizationFactory(description="外来種の駆除をしています。", activity_fields=[fields[2]])

    suggested = [s.party_id for s in suggest_partners(theme)]

    assert two_words.party_id in suggested and one_word.party_id not in suggested


def test_words_most_candidates_share_are_not_reasons(kosodate_theme, fields, forms):
    for _ in range(6):
        f.OrganizationFactory(description="地域で活動しています。", activity_fields=[fields[13]])
    for suggestion in suggest_partners(kosodate_theme):
        assert "地域" not in "".join(r for r in suggestion.reasons if r.startswith("共通する言葉："))
