import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from organizations import services
from organizations.models import (
    Activity,
    ActivityPhoto,
    ContactPerson,
    Invitation,
    Organization,
    OrganizationMembership,
    ProfileRevision,
)

from .helpers import png, profile_data, profile_post

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


# --- public pages ------------------------------------------------------------------------------


def test_anonymous_visitor_never_sees_contact_persons(client):
    org = f.OrganizationFactory(public_email="open@group.example.jp")
    f.ContactPersonFactory(organization=org, name="秘密 太郎", phone="090-1111-2222", email="secret@example.jp")
    html = client.get(org.get_absolute_url()).content.decode()
    assert "open@group.example.jp" in html
    for private in ("秘密 太郎", "090-1111-2222", "secret@example.jp", "連絡担当者"):
        assert private not in html


def test_member_of_another_group_does_not_see_contacts_on_the_page(client):
    org = f.OrganizationFactory()
    f.ContactPersonFactory(organization=org, name="秘密 太郎")
    login(client, f.make_group_member())
    assert "秘密 太郎" not in client.get(org.get_absolute_url()).content.decode()


def test_own_member_and_coordinator_see_contacts(client, coordinator):
    org = f.OrganizationFactory()
    f.ContactPersonFactory(organization=org, name="秘密 太郎")
    login(client, f.make_group_member(org))
    assert "秘密 太郎" in client.get(org.get_absolute_url()).content.decode()
    login(client, coordinator)
    assert "秘密 太郎" in client.get(org.get_absolute_url()).content.decode()


def test_unpublished_group_page_is_404_for_the_public_but_visible_to_members(client):
    org = f.OrganizationFactory(is_published=False, review_status="pending")
    assert client.get(org.get_absolute_url()).status_code == 404
    login(client, f.make_group_member(org))
    assert client.get(org.get_absolute_url()).status_code == 200


def test_group_page_shows_activities_newest_first_with_photo_alt_text(client):
    org = f.OrganizationFactory()
    f.ActivityFactory(organization=org, title="古い活動", date_from=datetime.date(2024, 5, 1))
    new = f.ActivityFactory(organization=org, title="新しい活動", date_from=datetime.date(2025, 6, 1))
    ActivityPhoto.objects.create(activity=new, image=png(), alt_text="公園で清掃する参加者")
    html = client.get(org.get_absolute_url()).content.decode()
    assert html.index("新しい活動") < html.index("古い活動")
    assert 'alt="公園で清掃する参加者"' in html


def test_directory_lists_only_published_groups_20_per_page(client):
    for i in range(25):
        f.OrganizationFactory(name=f"公開団体{i:02d}", name_kana=f"こうかい{i:02d}")
    f.OrganizationFactory(name="非公開の会", is_published=False)
    response = client.get(reverse("organizations:directory"))
    assert response.status_code == 200
    assert len(response.context["organizations"]) == 20
    assert response.context["page_obj"].paginator.count == 25
    assert "非公開の会" not in response.content.decode()
    page2 = client.get(reverse("organizations:directory"), {"page": 2})
    assert len(page2.context["organizations"]) == 5


def test_directory_filters_by_field_kind_area_form_and_gojuon(client):
    from organizations.models import ActivityField, CollaborationForm

    area = f.AreaFactory(name="海岸地区", name_kana="かいがんちく")
    env = ActivityField.objects.get(number=7)
    kyosai = CollaborationForm.objects.get(name="共催")
    match = f.OrganizationFactory(
        name="海辺をまもる会",
        name_kana="うみべをまもるかい",
        kind="voluntary",
        area=area,
        activity_fields=[env],
        open_forms=[kyosai],
    )
    f.OrganizationFactory(name="かもめの会", name_kana="かもめのかい", kind="npo")
    url = reverse("organizations:directory")
    for params in (
        {"activity_field": env.pk},
        {"kind": "voluntary"},
        {"area": area.pk},
        {"form": kyosai.pk},
        {"kana": "あ"},
    ):
        names = [o.name for o in client.get(url, params).context["organizations"]]
        assert names == [match.name], params
    assert [o.name for o in client.get(url, {"kana": "か"}).context["organizations"]] == ["かもめの会"]


def test_department_list_shows_bu_ka_tree_and_search(client):
    div = f.DivisionFactory(name="こども育成部", name_kana="こどもいくせいぶ")
    f.DepartmentFactory(name="子育て支援課", parent=div, duties="子ども食堂の支援")
    other = f.DivisionFactory(name="環境部")
    f.DepartmentFactory(name="資源循環課", parent=other, duties="ごみの減量")
    response = client.get(reverse("organizations:department_list"))
    tree = {d.name: [s.name for s in sections] for d, sections in response.context["tree"]}
    assert tree["こども育成部"] == ["子育て支援課"] and tree["環境部"] == ["資源循環課"]
    searched = client.get(reverse("organizations:department_list"), {"q": "子育"})
    assert [(d.name, [s.name for s in ss]) for d, ss in searched.context["tree"]] == [
        ("こども育成部", ["子育て支援課"])
    ]


def test_department_page_lists_its_published_listings(client, department):
    f.ListingFactory(owner=department.party, title="子ども食堂を一緒に")
    f.ListingFactory(owner=department.party, title="下書きのテーマ", status="draft")
    html = client.get(department.get_absolute_url()).content.decode()
    assert "子ども食堂を一緒に" in html and "下書きのテーマ" not in html


# --- creating and editing a profile --------------------------------------------------------------


def test_unverified_user_cannot_open_the_create_page(client):
    login(client, f.UserFactory(verified=False))
    response = client.get(reverse("organizations:create"))
    assert response.status_code == 403
    assert "メールアドレスの確認" in response.content.decode()
    assert client.post(reverse("organizations:create"), profile_post()).status_code == 403
    assert not Organization.objects.exists()


def test_anonymous_is_sent_to_login_for_create(client):
    response = client.get(reverse("organizations:create"))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_verified_user_creates_group_with_logo_and_private_contact(client):
    user = f.UserFactory()
    login(client, user)
    data = profile_post(
        logo=png("logo.png"),
        **{
            "contacts-TOTAL_FORMS": "1",
            "contacts-0-name": "連絡 花子",
            "contacts-0-name_kana": "レンラク ハナコ",
            "contacts-0-phone": "090-0000-1111",
            "contacts-0-email": "hanako@example.jp",
            "contacts-0-is_primary": "on",
        },
    )
    response = client.post(reverse("organizations:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    org = Organization.objects.get()
    assert not org.is_published and org.logo.name.startswith("logos/")
    person = ContactPerson.objects.get(organization=org)
    assert person.name == "連絡 花子" and person.name_kana == "れんらく はなこ"
    assert org.revisions.get().data["logo"] == org.logo.name


def test_after_registering_the_group_page_shows_pending_and_the_next_step(client):
    login(client, f.UserFactory())
    response = client.post(reverse("organizations:create"), profile_post(name="みなと子育てひろば"), follow=True)
    org = Organization.objects.get()
    assert response.redirect_chain[-1][0] == org.get_absolute_url()
    html = response.content.decode()
    assert "申請中" in html
    post_need = f"{reverse('listings:create')}?owner={org.party_id}"
    assert f'href="{post_need}"' in html
    form = client.get(post_need).context["form"]
    assert form["owner"].value() == org.party_id


def test_listing_form_ignores_an_owner_the_user_does_not_act_for(client):
    user = f.make_group_member()
    other = f.OrganizationFactory()
    login(client, user)
    form = client.get(f"{reverse('listings:create')}?owner={other.party_id}").context["form"]
    assert form["owner"].value() != other.party_id
    assert client.get(f"{reverse('listings:create')}?owner=abc").status_code == 200


def test_logo_of_wrong_type_is_rejected_in_japanese(client):
    login(client, f.UserFactory())
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("logo.gif", b"GIF89a....", content_type="image/gif")
    response = client.post(reverse("organizations:create"), profile_post(logo=fake))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["logo"])
    assert "ファイル" in errors or "画像" in errors
    assert response.context["form"]["name"].value() == "NPO法人 子育てひろば"  # input kept


def test_reading_in_half_width_katakana_is_stored_as_hiragana(client):
    login(client, f.UserFactory())
    client.post(reverse("organizations:create"), profile_post(name_kana="ｺｿﾀﾞﾃﾋﾛﾊﾞ"))
    assert Organization.objects.get().name_kana == "こそだてひろば"


def test_member_edit_goes_to_review_and_public_page_keeps_published_version(client):
    org = f.OrganizationFactory(name="公開中の会")
    member = f.make_group_member(org)
    login(client, member)
    form_page = client.get(reverse("organizations:edit", args=[org.pk]))
    assert form_page.status_code == 200
    post = profile_post(name="変更後の会", version=org.version)
    response = client.post(reverse("organizations:edit", args=[org.pk]), post)
    assert response.status_code == 302
    assert ProfileRevision.objects.get(organization=org).data["name"] == "変更後の会"
    client.logout()
    html = client.get(org.get_absolute_url()).content.decode()
    assert "公開中の会" in html and "変更後の会" not in html


def test_edit_with_stale_version_shows_conflict_and_keeps_input(client):
    org = f.OrganizationFactory(name="公開中の会")
    member = f.make_group_member(org)
    other = f.make_group_member(org, role="editor")
    loaded = org.version
    services.organization_submit_profile(
        user=other, organization=org, data=profile_data(name="先に保存した案"), version=loaded
    )
    login(client, member)
    response = client.post(
        reverse("organizations:edit", args=[org.pk]), profile_post(name="わたしの案", version=loaded)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ほかの人が先に保存しました" in html and "先に保存した案" in html
    assert response.context["form"]["name"].value() == "わたしの案"


def test_member_of_group_a_cannot_open_or_post_edit_of_group_b(client):
    a, b = f.OrganizationFactory(), f.OrganizationFactory()
    login(client, f.make_group_member(a))
    assert client.get(reverse("organizations:edit", args=[b.pk])).status_code == 403
    assert client.post(reverse("organizations:edit", args=[b.pk]), profile_post()).status_code == 403
    assert client.get(reverse("organizations:activity_create", args=[b.pk])).status_code == 403
    assert client.get(reverse("organizations:members", args=[b.pk])).status_code == 403


def test_claim_page_sends_claim_for_unmanaged_group(client):
    org = f.OrganizationFactory(name="猫の保護ネットワーク")
    login(client, f.UserFactory())
    found = client.get(reverse("organizations:claim_search"), {"q": "猫"})
    assert org in found.context["results"]
    response = client.post(reverse("organizations:claim", args=[org.pk]), {"message": "代表をしています"})
    assert response.status_code == 302
    assert ProfileRevision.objects.get(kind="claim").submitted_by.organization_ids == set()


def test_claim_of_managed_group_is_403(client, organization, group_member):
    login(client, f.UserFactory())
    assert client.get(reverse("organizations:claim", args=[organization.pk])).status_code == 403


# --- members ---------------------------------------------------------------------------------------


def test_representative_invites_and_removes_members(client, django_capture_on_commit_callbacks):
    org = f.OrganizationFactory()
    rep = f.make_group_member(org)
    editor = f.make_group_member(org, role="editor")
    login(client, rep)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:members", args=[org.pk]), {"email": "n@example.jp", "role": "editor"}
        )
    assert response.status_code == 302 and mail.outbox[-1].to == ["n@example.jp"]
    membership = OrganizationMembership.objects.get(user=editor)
    response = client.post(reverse("organizations:member_remove", args=[org.pk, membership.pk]))
    assert response.status_code == 302 and not OrganizationMembership.objects.filter(pk=membership.pk).exists()


def test_editor_cannot_invite_or_remove_through_the_page(client):
    org = f.OrganizationFactory()
    rep = f.make_group_member(org)
    editor = f.make_group_member(org, role="editor")
    login(client, editor)
    assert client.get(reverse("organizations:members", args=[org.pk])).status_code == 200
    assert client.post(reverse("organizations:members", args=[org.pk]), {"email": "x@example.jp"}).status_code == 403
    rep_membership = OrganizationMembership.objects.get(user=rep)
    assert client.post(reverse("organizations:member_remove", args=[org.pk, rep_membership.pk])).status_code == 403
    assert not Invitation.objects.exists()


# --- activities ------------------------------------------------------------------------------------


def _activity_post(**extra):
    data = {
        "title": "海岸清掃",
        "date_from": "2025-06-01",
        "place": "東海岸",
        "body": "50人で清掃しました。",
        "photos-TOTAL_FORMS": "4",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "4",
    }
    data.update(extra)
    return data


def test_member_adds_activity_with_photo_and_alt_text(client, organization, group_member):
    login(client, group_member)
    response = client.post(
        reverse("organizations:activity_create", args=[organization.pk]),
        _activity_post(**{"photos-0-image": png(), "photos-0-alt_text": "砂浜でごみを拾う様子"}),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.organization == organization
    assert activity.photos.get().alt_text == "砂浜でごみを拾う様子"


def test_photo_without_alt_text_or_of_wrong_type_is_refused(client, organization, group_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, group_member)
    url = reverse("organizations:activity_create", args=[organization.pk])
    response = client.post(url, _activity_post(**{"photos-0-image": png()}))
    assert response.status_code == 200 and "代替テキスト" in response.content.decode()
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client.post(url, _activity_post(**{"photos-0-image": pdf, "photos-0-alt_text": "資料"}))
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_more_photos_than_allowed_are_refused(client, organization, group_member):
    login(client, group_member)
    extra = {"photos-TOTAL_FORMS": "5"}
    for i in range(5):
        extra[f"photos-{i}-image"] = png(f"p{i}.png")
        extra[f"photos-{i}-alt_text"] = f"写真{i}"
    response = client.post(reverse("organizations:activity_create", args=[organization.pk]), _activity_post(**extra))
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_activity_edit_and_delete_by_member_only(client, organization, group_member):
    activity = f.ActivityFactory(organization=organization)
    login(client, f.make_group_member())
    assert client.get(reverse("organizations:activity_edit", args=[activity.pk])).status_code == 403
    assert client.post(reverse("organizations:activity_delete", args=[activity.pk])).status_code == 403
    login(client, group_member)
    response = client.post(
        reverse("organizations:activity_edit", args=[activity.pk]), _activity_post(title="名前を変えた活動")
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "名前を変えた活動"
    assert client.post(reverse("organizations:activity_delete", args=[activity.pk])).status_code == 302
    assert not Activity.objects.exists()


# --- departments -----------------------------------------------------------------------------------


def test_department_staff_edit_their_page(client, department, department_staff):
    login(client, department_staff)
    url = reverse("organizations:department_edit", args=[department.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"duties": "子育て支援の総合窓口", "policies": "", "version": department.version})
    assert response.status_code == 302
    assert "子育て支援の総合窓口" in client.get(department.get_absolute_url()).content.decode()


def test_department_edit_conflict_keeps_input(client, department, department_staff):
    login(client, department_staff)
    url = reverse("organizations:department_edit", args=[department.pk])
    services.department_update(user=department_staff, department=department, data={"duties": "先の版"}, version=1)
    response = client.post(url, {"duties": "わたしの版", "version": 1})
    assert response.status_code == 200
    assert "先の版" in response.content.decode() and response.context["form"]["duties"].value() == "わたしの版"


def test_others_cannot_edit_a_department(client, department):
    url = reverse("organizations:department_edit", args=[department.pk])
    login(client, f.make_department_staff())
    assert client.get(url).status_code == 403
    login(client, f.make_group_member())
    assert client.post(url, {"duties": "x"}).status_code == 403


# --- coordinators ---------------------------------------------------------------------------------


def test_review_page_shows_field_diff_and_approves(client, coordinator):
    org = f.OrganizationFactory(name="旧名の会", description="同じ紹介")
    member = f.make_group_member(org)
    revision = services.organization_submit_profile(
        user=member,
        organization=org,
        data=profile_data(name="新名の会", description="同じ紹介"),
        version=org.version,
    )
    login(client, coordinator)
    response = client.get(reverse("organizations:profile_review", args=[revision.pk]))
    diff = {str(row["label"]): row for row in response.context["diff"]}
    assert diff["団体名"]["changed"] and diff["団体名"]["old"] == "旧名の会" and diff["団体名"]["new"] == "新名の会"
    assert not diff["団体の紹介"]["changed"]
    response = client.post(reverse("organizations:profile_review", args=[revision.pk]), {"action": "approve"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "新名の会"


def test_return_without_reason_shows_error_and_with_reason_returns(client, coordinator):
    user = f.UserFactory()
    org = services.organization_create(user=user, data=profile_data())
    revision = org.revisions.get()
    login(client, coordinator)
    url = reverse("organizations:profile_review", args=[revision.pk])
    response = client.post(url, {"action": "return", "reason": ""})
    assert response.status_code == 200 and response.context["return_form"].errors["reason"]
    response = client.post(url, {"action": "return", "reason": "活動分野を見直してください"})
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.status == "returned"
    login(client, user)
    html = client.get(reverse("organizations:my_organizations")).content.decode()
    assert "活動分野を見直してください" in html


def test_review_pages_refuse_non_coordinators(client, group_member, department_staff):
    revision = ProfileRevision.objects.create(organization=f.OrganizationFactory(), data=profile_data())
    for user in (group_member, department_staff):
        login(client, user)
        assert client.get(reverse("organizations:profile_review_queue")).status_code == 403
        assert client.get(reverse("organizations:profile_review", args=[revision.pk])).status_code == 403
        assert (
            client.post(reverse("organizations:profile_review", args=[revision.pk]), {"action": "approve"}).status_code
            == 403
        )
    revision.refresh_from_db()
    assert revision.status == "pending"


def test_coordinator_invites_staff_through_the_page(
    client, coordinator, department, django_capture_on_commit_callbacks
):
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:invite"),
            {"email": "new@city.example.jp", "department": department.pk, "role": "staff"},
        )
    assert response.status_code == 302
    assert Invitation.objects.get().department == department
    assert mail.outbox[-1].to == ["new@city.example.jp"]


def test_staff_and_groups_cannot_invite_staff(client, department_staff, group_member):
    for user in (department_staff, group_member):
        login(client, user)
        assert client.get(reverse("organizations:invite")).status_code == 403


def test_coordinator_revokes_a_staff_invitation_from_the_page_and_the_link_says_so(client, coordinator, department):
    invitation = services.staff_invite(user=coordinator, department=department, email="typo@city.example.jp")
    login(client, coordinator)
    page = client.get(reverse("organizations:invite")).content.decode()
    revoke_url = reverse("organizations:invitation_revoke", args=[invitation.pk])
    assert revoke_url in page
    assert client.get(revoke_url).status_code == 405  # GET never writes
    response = client.post(revoke_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("organizations:invite")
    assert "取り消しました" in response.content.decode()
    assert "取消済み" in response.content.decode() and revoke_url not in response.content.decode()
    client.logout()
    response = client.get(reverse("organizations:invitation_accept", args=[invitation.token]))
    assert response.status_code == 410 and "取り消されました" in response.content.decode()


def test_representative_revokes_from_the_members_page_but_not_another_groups(client):
    org = f.OrganizationFactory()
    rep = f.make_group_member(org)
    invitation = services.member_invite(user=rep, organization=org, email="typo@example.jp")
    revoke_url = reverse("organizations:invitation_revoke", args=[invitation.pk])
    login(client, f.make_group_member(f.OrganizationFactory()))
    assert client.post(revoke_url).status_code == 403
    login(client, rep)
    assert revoke_url in client.get(reverse("organizations:members", args=[org.pk])).content.decode()
    response = client.post(revoke_url)
    assert response.status_code == 302 and response.url == reverse("organizations:members", args=[org.pk])
    invitation.refresh_from_db()
    assert invitation.revoked_by == rep
    page = client.get(reverse("organizations:members", args=[org.pk])).content.decode()
    assert "typo@example.jp への招待を取り消しました" in page  # the message, no longer in the pending list
    assert revoke_url not in page and "招待中" not in page


# --- invitations -----------------------------------------------------------------------------------


def test_department_invitation_from_link_to_edited_department_page(client, coordinator, department):
    invitation = services.staff_invite(user=coordinator, department=department, email="kacho@city.example.jp")
    url = reverse("organizations:invitation_accept", args=[invitation.token])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "family_name": "市役",
            "given_name": "一郎",
            "family_name_kana": "しやく",
            "given_name_kana": "いちろう",
            "password1": "kyodo-pass-2025",
            "password2": "kyodo-pass-2025",
        },
    )
    assert response.status_code == 302 and response.url == department.get_absolute_url()
    edit = client.post(
        reverse("organizations:department_edit", args=[department.pk]),
        {"duties": "招待された職員が書いた所管業務", "version": department.version},
    )
    assert edit.status_code == 302
    assert "招待された職員が書いた所管業務" in client.get(department.get_absolute_url()).content.decode()


def test_expired_invitation_link_shows_clear_japanese_message(client, coordinator, department):
    invitation = services.staff_invite(user=coordinator, department=department, email="late@city.example.jp")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    url = reverse("organizations:invitation_accept", args=[invitation.token])
    response = client.get(url)
    assert response.status_code == 410
    assert "有効期限" in response.content.decode() and "切れています" in response.content.decode()
    response = client.post(url, {"family_name": "a", "password1": "kyodo-pass-2025", "password2": "kyodo-pass-2025"})
    assert response.status_code == 410
    assert not department.memberships.exists()


def test_invitation_for_someone_else_is_refused_to_logged_in_user(client, coordinator, department):
    invitation = services.staff_invite(user=coordinator, department=department, email="target@city.example.jp")
    login(client, f.UserFactory(email="other@example.jp"))
    url = reverse("organizations:invitation_accept", args=[invitation.token])
    assert client.post(url).status_code == 403
    assert not department.memberships.exists()


def test_existing_account_is_asked_to_log_in_then_accepts(client, organization):
    rep = f.make_group_member(organization)
    friend = f.UserFactory(email="friend@example.jp")
    invitation = services.member_invite(user=rep, organization=organization, email="friend@example.jp")
    url = reverse("organizations:invitation_accept", args=[invitation.token])
    assert client.get(url).context["login_needed"]
    login(client, friend)
    response = client.post(url)
    assert response.status_code == 302
    assert organization.memberships.filter(user=friend, role="editor").exists()


def test_unknown_invitation_token_is_404(client):
    assert client.get(reverse("organizations:invitation_accept", args=["nope"])).status_code == 404


def test_group_page_lists_its_published_listings(client):
    org = f.OrganizationFactory()
    f.ListingFactory(owner=org.party, title="見守りの担い手募集")
    f.ListingFactory(owner=org.party, title="下書きのニーズ", status="draft")
    html = client.get(org.get_absolute_url()).content.decode()
    assert "見守りの担い手募集" in html and "下書きのニーズ" not in html


# --- uploaded images -------------------------------------------------------------------------------


def test_logo_and_photos_are_served_through_views_to_whoever_may_see_the_group(client):
    org = f.OrganizationFactory(is_published=False, logo=png("logo.png"))
    member = f.make_group_member(org)
    photo = ActivityPhoto.objects.create(activity=f.ActivityFactory(organization=org), image=png(), alt_text="清掃")
    logo_url = reverse("organizations:logo", args=[org.pk])
    photo_url = reverse("organizations:activity_photo", args=[photo.pk])
    assert client.get(logo_url).status_code == 404  # not published yet: not for the public
    assert client.get(photo_url).status_code == 404
    login(client, member)
    page = client.get(reverse("organizations:detail", args=[org.pk])).content.decode()
    assert f'src="{logo_url}"' in page and f'src="{photo_url}"' in page
    for url in (logo_url, photo_url):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")


def test_profile_review_shows_the_proposed_logo_as_a_thumbnail(client, coordinator):
    member = f.UserFactory()
    login(client, member)
    client.post(reverse("organizations:create"), profile_post(logo=png("logo.png")))
    revision = ProfileRevision.objects.get()
    client.force_login(coordinator)
    page = client.get(reverse("organizations:profile_review", args=[revision.pk])).content.decode()
    logo_url = reverse("organizations:revision_logo", args=[revision.pk])
    assert f'<img src="{logo_url}"' in page
    response = client.get(logo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.force_login(f.make_group_member())
    assert client.get(logo_url).status_code == 403


def test_department_page_says_how_to_ask_it_by_mail_or_through_a_coordinator(client):
    department = f.DepartmentFactory(name="子育て支援課", public_email="kosodate@city.example.jp")
    html = client.get(department.get_absolute_url()).content.decode()
    assert "この課に相談する" in html and 'href="mailto:kosodate@city.example.jp?subject=' in html
    member = f.make_group_member()
    client.force_login(member)
    html = client.get(department.get_absolute_url()).content.decode()
    ask = f"{reverse('matching:match_request')}?with={department.party_id}"
    assert f'href="{ask}"' in html
    page = client.get(ask).content.decode()
    assert f'value="{department.party_id}" id="id_others-c{department.party_id}" checked' in page
