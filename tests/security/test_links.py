"""ASVS 5/14: every absolute link comes from SITE_URL, never from the request's Host header.

The probe sent `Host: 127.0.0.1:6666` (an allowed host name on another port) with a password-reset
request and the mailed link pointed there.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from core.checks import site_url
from demo import factories as f

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://kyodo.example.jp"
FORGED = {"HTTP_HOST": "127.0.0.1:6666"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def links_in_last_mail() -> list[str]:
    message = mail.outbox[-1]
    assert "6666" not in message.body + message.subject
    return re.findall(r"https?://\S+", message.body)


def test_password_reset_mail_links_to_site_url_whatever_the_host_header(client):
    user = f.UserFactory(email="reset-host@example.jp")
    client.post(reverse("account_reset_password"), {"email": user.email}, **FORGED)
    links = links_in_last_mail()
    assert any(link.startswith(f"{SITE}/accounts/password/reset/key/") for link in links)
    assert all(link.startswith(SITE) for link in links)


def test_reset_request_for_an_unknown_address_mails_site_url_links(client):
    client.post(reverse("account_reset_password"), {"email": "nobody-host@example.jp"}, **FORGED)
    links = links_in_last_mail()
    assert links and all(link.startswith(SITE) for link in links)


def sign_up(client, email):
    password = "kyodo-pass-2025"
    data = {"email": email, "password1": password, "password2": password, "family_name": "佐藤"}
    data |= {"given_name": "花子", "family_name_kana": "さとう", "given_name_kana": "はなこ"}
    return client.post(reverse("account_signup"), data, **FORGED)


def test_sign_up_confirmation_and_already_exists_mails_link_to_site_url(client):
    sign_up(client, "new-host@example.jp")
    links = links_in_last_mail()
    assert any(link.startswith(f"{SITE}/accounts/confirm-email/") for link in links)
    assert all(link.startswith(SITE) for link in links)
    f.UserFactory(email="taken-host@example.jp")
    sign_up(client, "taken-host@example.jp")
    links = links_in_last_mail()
    assert links and all(link.startswith(SITE) for link in links)


def test_allauth_mails_name_the_site_domain_not_the_host_header(client):
    user = f.UserFactory(email="domain-host@example.jp")
    client.post(reverse("account_reset_password"), {"email": user.email}, **FORGED)
    assert "127.0.0.1" not in mail.outbox[-1].body


def test_open_data_links_use_site_url(client):
    f.ListingFactory()
    f.OrganizationFactory()
    for name in ("stats:opendata_listings", "stats:opendata_directory"):
        body = client.get(reverse(name), **FORGED).content.decode()
        assert "6666" not in body
        links = re.findall(r"https?://[^\s,\"]+", body)
        assert links and all(link.startswith(SITE) for link in links), name


def test_login_redirect_from_an_event_is_relative(client):
    event = f.ExchangeEventFactory()
    response = client.post(reverse("events:event_detail", args=[event.pk]), {}, **FORGED)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("value", ["", "kyodo.example.jp", "https://", "https://kyodo.example.jp/portal/"])
def test_production_refuses_a_missing_or_malformed_site_url(value):
    with override_settings(PRODUCTION=True, SITE_URL=value):
        assert [error.id for error in site_url(None)] == ["core.E002"]


def test_production_accepts_the_portal_address():
    with override_settings(PRODUCTION=True, SITE_URL="https://kyodo.city.example.jp"):
        assert site_url(None) == []


def production_value(expression: str, **env) -> str:
    environment = {**os.environ, "SECRET_KEY": secrets.token_urlsafe(50), **env}
    for name in ("BEHIND_PROXY", "CONN_MAX_AGE"):
        if name not in env:
            environment.pop(name, None)
    code = f"import config.settings.production as p; print({expression})"
    done = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip()


def test_forwarded_proto_is_trusted_only_behind_the_proxy():
    assert production_value("p.SECURE_PROXY_SSL_HEADER") == "None"
    assert production_value("p.SECURE_PROXY_SSL_HEADER", BEHIND_PROXY="true") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_production_keeps_database_connections_and_checks_them():
    db = "p.DATABASES['default']"
    assert production_value(f"{db}['CONN_MAX_AGE'], {db}['CONN_HEALTH_CHECKS']") == "60 True"
