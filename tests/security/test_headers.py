"""ASVS 3: production headers and cookies, `check --deploy`, and error pages without internals."""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory, override_settings

from accounts.models import SecurityEvent
from demo.factories import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEYS = [
    "DEBUG",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
]


def production_settings() -> dict:
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    module = importlib.import_module("config.settings.production")
    return {key: getattr(module, key) for key in PRODUCTION_KEYS}


@pytest.fixture
def production():
    with override_settings(**production_settings()):
        yield


@pytest.mark.django_db
def test_production_response_carries_the_security_headers(client, production):
    response = client.get("/privacy/", secure=True)
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 31536000 and "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_content_security_policy_forbids_inline_script_plugins_base_and_framing(client, production):
    csp = client.get("/privacy/", secure=True)["Content-Security-Policy"]
    directives = {d.strip().split()[0]: d.strip().split()[1:] for d in csp.split(";") if d.strip()}
    script = directives.get("script-src", directives.get("default-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives.get("style-src", [])


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_in_production(client, production):
    response = client.get("/privacy/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(client, production):
    from demo import factories as f

    f.UserFactory(email="cookie@example.jp")
    client.get("/accounts/login/", secure=True)
    response = client.post("/accounts/login/", {"login": "cookie@example.jp", "password": DEMO_PASSWORD}, secure=True)
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] in ("Lax", "Strict")
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] in ("Lax", "Strict")


def test_check_deploy_reports_nothing_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "kyodo.example.jp",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "SITE_URL": "https://kyodo.example.jp",
    }
    result = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_in_production():
    assert production_settings()["DEBUG"] is False


# --- error pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_404_is_japanese_and_helpful(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "ページが見つかりません" in html and 'href="/"' in html
    assert "Traceback" not in html and "urlpatterns" not in html


def test_500_is_japanese_and_shows_no_internals():
    from core.views import server_error

    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "エラーが発生しました" in html and "お問い合わせ" in html
    assert "Traceback" not in html and "django" not in html.lower()


@pytest.mark.django_db
def test_500_page_renders_without_the_database():
    """500.html does not extend base.html, so it still works when the database is down."""
    from django.template.loader import get_template

    source = get_template("500.html").template.source
    assert "{% extends" not in source and "{% url" not in source


@pytest.mark.django_db
def test_403_is_japanese_logged_and_says_what_to_do(client, group_member):
    client.force_login(group_member)
    response = client.get("/coordination/users/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "権限がありません" in html and "お問い合わせ" in html
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PERMISSION_DENIED)
    assert event.user == group_member and event.path == "/coordination/users/"


@pytest.mark.django_db
def test_400_for_a_forged_host_is_japanese(client):
    response = client.get("/privacy/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "リクエストを処理できませんでした" in response.content.decode()


def test_uploads_are_capped_at_10_mb():
    assert django_settings.MAX_UPLOAD_SIZE == 10 * 1024 * 1024


# --- caching of personal data ----------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_for_a_logged_in_user_are_private_and_not_stored(client, coordinator, organization):
    client.force_login(coordinator)
    for url in ("/mypage/", organization.get_absolute_url(), "/coordination/users/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


@pytest.mark.django_db
def test_public_pages_for_visitors_stay_cacheable(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
