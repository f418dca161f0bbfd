"""Development e-mail: printed and listed on /dev/mail/ under `make run`; allauth speaks as the portal."""

import io

import pytest
from django.core import mail
from django.core.mail import get_connection, send_mail
from django.test import override_settings
from django.urls import reverse

from core.devmail import sent_mails
from demo import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def dev_mail(tmp_path, settings):
    settings.DEV_MAIL_DIR = str(tmp_path)
    settings.EMAIL_BACKEND = "core.devmail.DevMailBackend"
    return tmp_path


def test_dev_backend_keeps_every_message(dev_mail):
    send_mail(
        "招待のお知らせ", "次のリンクを開いてください。\nhttp://127.0.0.1:8000/invitations/abc/", None, ["a@example.jp"]
    )
    [kept] = sent_mails()
    assert kept.subject == "招待のお知らせ"
    assert kept.to == "a@example.jp"
    assert "http://127.0.0.1:8000/invitations/abc/" in kept.body


def test_dev_backend_prints_to_the_terminal(dev_mail):
    stream = io.StringIO()
    connection = get_connection("core.devmail.DevMailBackend", stream=stream)
    send_mail("お知らせ", "本文", None, ["b@example.jp"], connection=connection)
    assert "b@example.jp" in stream.getvalue()


@override_settings(DEBUG=True)
def test_coordinator_sees_sent_mails_with_working_links(client, dev_mail):
    send_mail("職員の招待", "http://127.0.0.1:8000/invitations/tok/", None, ["new@example.jp"])
    client.force_login(f.make_coordinator())
    html = client.get(reverse("portal:dev_mail")).content.decode()
    assert "職員の招待" in html and "new@example.jp" in html
    assert '<a href="http://127.0.0.1:8000/invitations/tok/"' in html


@override_settings(DEBUG=True)
def test_group_member_may_not_read_sent_mails(client, dev_mail):
    client.force_login(f.make_group_member())
    assert client.get(reverse("portal:dev_mail")).status_code == 403


@override_settings(DEBUG=True)
def test_sent_mails_page_asks_anonymous_to_log_in(client, dev_mail):
    response = client.get(reverse("portal:dev_mail"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_sent_mails_page_does_not_exist_outside_development(client, dev_mail):
    client.force_login(f.make_coordinator())
    assert client.get(reverse("portal:dev_mail")).status_code == 404


def test_signup_confirmation_mail_speaks_as_the_portal_not_the_host(client, settings):
    client.post(
        reverse("account_signup"),
        {
            "email": "hiroba@example.jp",
            "password1": "kyodo-pass-2025",
            "password2": "kyodo-pass-2025",
            "family_name": "佐藤",
            "given_name": "花子",
            "family_name_kana": "さとう",
            "given_name_kana": "はなこ",
        },
    )
    [message] = mail.outbox
    assert message.subject == f"[{settings.PORTAL_NAME}] メールアドレスの確認のお願い"
    assert settings.PORTAL_NAME in message.body and settings.CITY_NAME in message.body
    assert "testserver です" not in message.body and "こんにちは" not in message.body
    assert "/accounts/confirm-email/" in message.body


def test_signup_confirmation_mail_is_english_for_english_users(client, settings):
    client.post(reverse("set_language"), {"language": "en"})
    client.post(
        reverse("account_signup"),
        {
            "email": "hiroba@example.jp",
            "password1": "kyodo-pass-2025",
            "password2": "kyodo-pass-2025",
            "family_name": "Sato",
            "given_name": "Hanako",
            "family_name_kana": "さとう",
            "given_name_kana": "はなこ",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    [message] = mail.outbox
    assert "Please confirm your e-mail address" in message.subject
    assert "Open the link below" in message.body
