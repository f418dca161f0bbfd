import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo import factories as f
from listings.models import Listing
from notifications.models import Notification
from organizations.models import ActivityField, CollaborationForm

S = Listing.Status
pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _listings(n, **kw):
    fields = list(ActivityField.objects.all()[:2])
    forms = list(CollaborationForm.objects.all()[:2])
    return [
        f.ListingFactory(collaboration_forms=forms, activity_fields=fields, area=f.AreaFactory(), **kw)
        for _ in range(n)
    ]


# --- pinned query counts: the same for 1 and for 50 rows ------------------------------------------

# first request for these filters: choices of the 4 reference filters, newest listing change, count, rows,
# their fields (tests/listings/test_pages_performance.py pins the index with filters and a warm count)
INDEX_QUERIES = 5
DETAIL_QUERIES = 6  # as DETAIL_ANONYMOUS_QUERIES in test_pages_performance.py
MENU_QUERIES = 2
MINE_QUERIES = 6
QUEUE_QUERIES = 8
INTERESTS_QUERIES = 6


@pytest.mark.parametrize("rows", [1, 50])
def test_index_query_count_is_pinned(client, rows, django_assert_num_queries):
    _listings(rows)
    with django_assert_num_queries(INDEX_QUERIES):
        client.get(reverse("listings:index"))


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_count_is_pinned(client, rows, django_assert_num_queries):
    listing, *_ = _listings(rows)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(reverse("listings:detail", args=[listing.pk]))


@pytest.mark.parametrize("rows", [1, 50])
def test_menu_query_count_is_pinned(client, rows, django_assert_num_queries):
    _listings(rows, owner=f.DepartmentFactory().party)
    with django_assert_num_queries(MENU_QUERIES):
        client.get(reverse("listings:menu"))


@pytest.mark.parametrize("rows", [1, 50])
def test_mine_query_count_is_pinned(client, rows, group_member, organization, django_assert_num_queries):
    _listings(rows, owner=organization.party)
    client.force_login(group_member)
    with django_assert_num_queries(MINE_QUERIES):
        client.get(reverse("listings:mine"))


@pytest.mark.parametrize("rows", [1, 50])
def test_review_queue_query_count_is_pinned(client, rows, coordinator, django_assert_num_queries):
    _listings(rows, status=S.PENDING)
    client.force_login(coordinator)
    with django_assert_num_queries(QUEUE_QUERIES):
        client.get(reverse("listings:review_queue"))


@pytest.mark.parametrize("rows", [1, 50])
def test_interest_list_query_count_is_pinned(client, rows, group_member, organization, django_assert_num_queries):
    listing = f.ListingFactory(owner=organization.party)
    for _ in range(rows):
        f.InterestFactory(listing=listing)
    client.force_login(group_member)
    with django_assert_num_queries(INTERESTS_QUERIES):
        client.get(reverse("listings:interest_list"))


# --- behaviour of the pages -----------------------------------------------------------------------


def test_index_filters_by_kind_side_field_form_department_and_area(client, department, field, other_field, coforms):
    area = f.AreaFactory(name="海岸地区")
    theme = f.ListingFactory(
        title="海岸清掃の協働テーマ",
        owner=department.party,
        activity_fields=[other_field],
        collaboration_forms=[coforms[0]],
        area=area,
    )
    seed = f.ListingFactory(
        title="読み聞かせのシーズ", kind="seed", activity_fields=[field], collaboration_forms=[coforms[1]]
    )
    url = reverse("listings:index")

    def titles(**params):
        html = client.get(url, params).content.decode()
        return {t for t in (theme.title, seed.title) if t in html}

    assert titles() == {theme.title, seed.title}
    assert titles(kind="seed") == {seed.title}
    assert titles(side="department") == {theme.title}
    assert titles(side="organization") == {seed.title}
    assert titles(field=field.pk) == {seed.title}
    assert titles(form=coforms[0].pk) == {theme.title}
    assert titles(department=department.pk) == {theme.title}
    assert titles(area=area.pk) == {theme.title}
    assert titles(q="かいがん清掃") == {"海岸清掃の協働テーマ"}  # mixed kana and kanji: found by its reading
    assert titles(q="海岸　テーマ") == {theme.title}


def test_index_open_now_hides_listings_that_have_not_started(client):
    f.ListingFactory(title="来月からの募集", period_start=datetime.date.today() + datetime.timedelta(days=30))
    f.ListingFactory(title="受付中の募集")
    html = client.get(reverse("listings:index"), {"open_now": "true"}).content.decode()
    assert "受付中の募集" in html and "来月からの募集" not in html


def test_index_paginates(client):
    for _ in range(25):
        f.ListingFactory()
    first = client.get(reverse("listings:index"))
    assert first.context["page"].paginator.num_pages == 2
    assert len(client.get(reverse("listings:index"), {"page": 2}).context["listings"]) == 5


def test_department_listings_show_as_theme_and_menu_item(client, department):
    theme = f.ListingFactory(owner=department.party, kind="need", title="テーマA")
    menu = f.ListingFactory(owner=department.party, kind="seed", title="メニューB")
    assert "協働テーマ" in client.get(theme.get_absolute_url()).content.decode()
    assert "協働メニュー" in client.get(menu.get_absolute_url()).content.decode()
    assert department.name in client.get(theme.get_absolute_url()).content.decode()


def test_detail_shows_related_listings_sharing_fields(client, field, other_field):
    listing = f.ListingFactory(activity_fields=[field])
    related = f.ListingFactory(title="同じ分野の掲載", activity_fields=[field])
    unrelated = f.ListingFactory(title="別分野の掲載", activity_fields=[other_field])
    html = client.get(listing.get_absolute_url()).content.decode()
    assert related.title in html and unrelated.title not in html


def test_detail_shows_suggestion_panel_slot_for_coordinators_only(client, coordinator, group_member):
    listing = f.ListingFactory()
    client.force_login(group_member)
    assert client.get(listing.get_absolute_url()).context["is_coordinator"] is False
    client.force_login(coordinator)
    assert client.get(listing.get_absolute_url()).context["is_coordinator"] is True


def test_menu_groups_city_items_under_each_form_with_explanations(client, department, coforms):
    menu_item = f.ListingFactory(
        owner=department.party, kind="seed", title="公民館の会議室を提供", collaboration_forms=[coforms[0]]
    )
    group_seed = f.ListingFactory(kind="seed", title="団体のシーズ", collaboration_forms=[coforms[0]])
    html = client.get(reverse("listings:menu")).content.decode()
    for form in CollaborationForm.objects.all():
        assert form.name in html and form.description in html
    assert menu_item.title in html and group_seed.title not in html


def test_create_form_offers_only_the_users_parties(client, department_staff, department):
    client.force_login(department_staff)
    form = client.get(reverse("listings:create")).context["form"]
    assert list(form.fields["owner"].queryset) == [department.party]


def test_create_keeps_input_and_shows_japanese_errors(client, group_member, organization):
    client.force_login(group_member)
    response = client.post(
        reverse("listings:create"),
        {
            "owner": organization.party_id,
            "kind": "need",
            "title": "途中の題",
            "period_start": "2026-05-01",
            "period_end": "2026-04-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "途中の題" in html
    assert "終了日は開始日以降の日付にしてください。" in html
    assert not Listing.objects.exists()


def test_create_rejects_a_fake_pdf(client, group_member, organization):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(group_member)
    response = client.post(
        reverse("listings:create"),
        {
            "owner": organization.party_id,
            "kind": "need",
            "title": "題",
            "body": "本文",
            "attachment": SimpleUploadedFile("a.pdf", b"<html>", content_type="application/pdf"),
        },
    )
    assert "ファイルの中身が拡張子と一致しません。" in response.content.decode()
    assert not Listing.objects.exists()


def test_edit_conflict_shows_other_version_and_keeps_input(client, group_member, organization):
    listing = f.ListingFactory(owner=organization.party, status=S.DRAFT, title="元の題")
    Listing.objects.filter(pk=listing.pk).update(version=2, title="他の人の題")
    client.force_login(group_member)
    response = client.post(
        reverse("listings:edit", args=[listing.pk]),
        {"version": 1, "kind": "need", "title": "私の題", "body": "本文"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "他の人の題" in html and "私の題" in html
    listing.refresh_from_db()
    assert listing.title == "他の人の題"


def test_owner_closes_from_the_detail_page(client, group_member, organization):
    listing = f.ListingFactory(owner=organization.party)
    client.force_login(group_member)
    client.post(reverse("listings:close", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.status == S.CLOSED


def test_publish_without_public_interest_shows_error(client, coordinator):
    listing = f.ListingFactory(status=S.PENDING)
    client.force_login(coordinator)
    response = client.post(reverse("listings:review", args=[listing.pk]), {"action": "publish", "fits_plans": "on"})
    assert "公益性が確認できない場合" in response.content.decode()
    listing.refresh_from_db()
    assert listing.status == S.PENDING


def test_follow_settings_page_saves_follows(client, group_member, field):
    client.force_login(group_member)
    client.post(reverse("listings:follows"), {"activity_fields": [field.pk]})
    assert group_member.follows.get().activity_field == field


def test_home_shows_newest_published_theme(client, department):
    f.ListingFactory(owner=department.party, title="新着の協働テーマ")
    assert "新着の協働テーマ" in client.get(reverse("portal:home")).content.decode()


def test_interest_notice_appears_in_nav_badge(client, group_member):
    f.NotificationFactory(recipient=group_member)
    client.force_login(group_member)
    html = client.get(reverse("listings:index")).content.decode()
    assert reverse("notifications:list") in html and "件の未読" in html
    assert Notification.objects.count() == 1


def test_home_shows_newest_city_themes_and_group_seeds_apart(client, department):
    f.ListingFactory(owner=department.party, title="市のテーマ")
    f.ListingFactory(kind="seed", title="団体のシーズ")
    f.ListingFactory(title="期限切れ", period_end=datetime.date(2020, 1, 1))
    html = client.get(reverse("portal:home")).content.decode()
    city, groups = html.split('id="newest-groups-heading"')
    assert "市のテーマ" in city and "団体のシーズ" in groups and "期限切れ" not in html


def test_owner_sees_interests_on_the_listing_page_and_others_do_not(client, group_member, organization, department):
    listing = f.ListingFactory(owner=organization.party)
    f.InterestFactory(listing=listing, from_party=department.party)
    client.force_login(group_member)
    html = client.get(listing.get_absolute_url()).content.decode()
    assert "この掲載への相談・関心表明" in html and department.name in html
    client.force_login(f.make_group_member())
    assert "この掲載への相談・関心表明" not in client.get(listing.get_absolute_url()).content.decode()


def test_owner_withdraws_a_pending_listing_from_its_page_and_edits_it(client, group_member, organization):
    listing = f.ListingFactory(owner=organization.party, status=Listing.Status.PENDING, title="審査中のニーズ")
    client.force_login(group_member)
    page = client.get(listing.get_absolute_url()).content.decode()
    assert reverse("listings:withdraw", args=[listing.pk]) in page and "申請を取り下げて編集する" in page
    response = client.post(reverse("listings:withdraw", args=[listing.pk]), follow=True)
    assert "下書きに戻しました" in response.content.decode()
    listing.refresh_from_db()
    assert listing.status == Listing.Status.DRAFT
    assert client.get(reverse("listings:edit", args=[listing.pk])).status_code == 200


def test_another_group_cannot_withdraw_by_a_forged_post(client, organization):
    listing = f.ListingFactory(owner=organization.party, status=Listing.Status.PENDING)
    client.force_login(f.make_group_member())
    assert client.post(reverse("listings:withdraw", args=[listing.pk])).status_code == 404
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING


def test_department_staff_are_offered_themes_and_menu_items_not_needs_and_seeds(client, department_staff):
    client.force_login(department_staff)
    response = client.get(reverse("listings:create"))
    html = response.content.decode()
    assert "協働テーマ・協働メニューを掲載する" in html and "ニーズ・シーズを掲載する" not in html
    labels = [str(label) for _value, label in response.context["form"].fields["kind"].choices]
    assert labels == ["協働テーマ（一緒に取り組みたいこと）", "協働メニュー（市が提供できること）"]
    assert "協働テーマ・協働メニュー" in client.get(reverse("stats:dashboard")).content.decode()


def test_group_members_keep_needs_and_seeds(client, group_member):
    client.force_login(group_member)
    response = client.get(reverse("listings:create"))
    assert "ニーズ・シーズを掲載する" in response.content.decode()
    assert [str(label) for _v, label in response.context["form"].fields["kind"].choices] == ["ニーズ", "シーズ"]


def test_home_panel_is_rendered_once_per_language_until_a_listing_changes(client, department):
    f.ListingFactory(owner=department.party, title="最初のテーマ")
    client.get(reverse("portal:home"))
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("portal:home")).content.decode()
    assert "最初のテーマ" in html
    assert not any("listings_listing_activity_fields" in q["sql"] for q in ctx.captured_queries)
    english = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "最初のテーマ" in english and "新着の協働テーマ" not in english
    f.ListingFactory(owner=department.party, title="次のテーマ")
    assert "次のテーマ" in client.get(reverse("portal:home")).content.decode()
