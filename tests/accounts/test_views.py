import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from demo import factories as f
from organizations.models import Organization
from tests.organizations.helpers import profile_post

pytestmark = pytest.mark.django_db

PASSWORD = "kyodo-pass-2025"


def _sign_up(client, email="hiroba@example.jp", **extra):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "family_name": "佐藤",
        "given_name": "花子",
        "family_name_kana": "サトウ",
        "given_name_kana": "ﾊﾅｺ",
    }
    data.update(extra)
    return client.post(reverse("account_signup"), data)


def _confirmation_link(email: str) -> str:
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_account_pages_are_japanese_and_use_the_portal_layout(client, name):
    html = client.get(reverse(name)).content.decode()
    assert '<html lang="ja">' in html and "本文へ移動" in html
    assert html.count("<h1") == 1


def test_logged_in_account_pages_render(client):
    client.force_login(f.UserFactory())
    for name in ("account_email", "account_change_password", "account_logout", "accounts:profile"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert response.content.decode().count("<h1") == 1


def test_sign_up_asks_names_and_readings_and_sends_verification(client):
    response = _sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(email="hiroba@example.jp")
    assert (user.family_name, user.given_name) == ("佐藤", "花子")
    assert (user.family_name_kana, user.given_name_kana) == ("さとう", "はなこ")
    assert not EmailAddress.objects.get(user=user).verified
    assert "/accounts/confirm-email/" in mail.outbox[-1].body


def test_sign_up_without_names_shows_japanese_errors_and_keeps_input(client):
    response = _sign_up(client, family_name="", family_name_kana="abc漢字")
    assert response.status_code == 200
    form = response.context["form"]
    assert "family_name" in form.errors and "family_name_kana" in form.errors
    assert "ひらがな" in " ".join(form.errors["family_name_kana"])
    assert form["email"].value() == "hiroba@example.jp"
    assert not User.objects.exists()


def test_unverified_user_cannot_log_in(client):
    _sign_up(client)
    response = client.post(reverse("account_login"), {"login": "hiroba@example.jp", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_profile_edit_updates_names(client):
    user = f.UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "family_name": "鈴木",
            "given_name": "一郎",
            "family_name_kana": "すずき",
            "given_name_kana": "イチロウ",
            "phone": "0467-00-0000",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "鈴木 一郎" and user.given_name_kana == "いちろう"


def test_profile_requires_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_password_reset_sends_mail_through_django_backend(client):
    f.UserFactory(email="forgot@example.jp")
    response = client.post(reverse("account_reset_password"), {"email": "forgot@example.jp"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["forgot@example.jp"]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[-1].body).group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200 and "新しいパスワードの設定" in page.content.decode()


def test_full_path_from_sign_up_to_published_group_page(client, coordinator):
    # 1. sign up and verify the e-mail from the link in the mail
    _sign_up(client, email="new-group@example.jp")
    link = _confirmation_link("new-group@example.jp")
    assert client.get(link).status_code == 200
    client.post(link)
    assert EmailAddress.objects.get(email="new-group@example.jp").verified
    # 2. log in; users land on /mypage/
    response = client.post(reverse("account_login"), {"login": "new-group@example.jp", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/mypage/"
    # 3. create the profile
    response = client.post(reverse("organizations:create"), profile_post(name="みなと子育てひろば"))
    assert response.status_code == 302
    org = Organization.objects.get(name="みなと子育てひろば")
    client.logout()
    assert client.get(org.get_absolute_url()).status_code == 404  # not public yet
    # 4. a coordinator approves it from the queue
    client.force_login(coordinator)
    queue = client.get(reverse("organizations:profile_review_queue")).content.decode()
    assert "みなと子育てひろば" in queue
    revision = org.revisions.get()
    client.post(reverse("organizations:profile_review", args=[revision.pk]), {"action": "approve"})
    client.logout()
    # 5. the public page and the directory show it
    page = client.get(org.get_absolute_url())
    assert page.status_code == 200 and "みなと子育てひろば" in page.content.decode()
    directory = client.get(reverse("organizations:directory"), {"q": "子育"}).content.decode()
    assert "みなと子育てひろば" in directory


def test_signup_links_to_the_privacy_policy_and_marks_required_fields(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert f'<a href="{reverse("portal:privacy")}">個人情報の取扱い</a>に同意' in html
    assert "asteriskField" in html and "* は必須項目です。" in html
