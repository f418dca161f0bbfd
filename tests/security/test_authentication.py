"""ASVS 6: password rules, lockout, two-factor for coordinators and admins, reset links, re-authentication."""

import re
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from accounts.middleware import SEEN_RESOLUTION, SESSION_SEEN
from accounts.models import SecurityEvent
from demo import factories as f
from demo.factories import DEMO_PASSWORD
from organizations import services as org_services
from organizations.models import DepartmentMembership
from tests.security.totp import give_totp, totp_code

LOGIN = "/accounts/login/"


def login_post(client, email, password, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


# --- passwords ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_shorter_than_8_characters_is_refused():
    with pytest.raises(ValidationError):
        validate_password("kx7-qpz")


@pytest.mark.django_db
def test_passphrase_of_64_characters_and_more_is_accepted():
    validate_password("みなと市の海辺で子どもたちと一緒にごみを拾う会を毎月第二土曜日に開いています" * 2)
    validate_password("correct horse battery staple " * 4)


@pytest.mark.django_db
def test_common_password_is_refused():
    with pytest.raises(ValidationError):
        validate_password("password123")


@pytest.mark.django_db
def test_no_composition_rules_lowercase_or_digits_only_is_fine():
    validate_password("umibenogominaku")
    validate_password("5820419375028461")


# --- lockout (django-axes through allauth's login form) -----------------------------------------


@pytest.mark.django_db
def test_ten_failed_logins_lock_the_account_for_fifteen_minutes(client, axes_on):
    user = f.UserFactory(email="target@example.jp")
    for _ in range(10):
        response = login_post(client, user.email, "wrong-password", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    # Even the right password from another address is refused while locked.
    response = login_post(client, user.email, DEMO_PASSWORD, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    assert "ログインを一時的に制限しています" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_nine_failures_do_not_lock_and_the_right_password_then_works(client, axes_on):
    user = f.UserFactory(email="nine@example.jp")
    for _ in range(9):
        assert login_post(client, user.email, "wrong-password").status_code == 200
    response = login_post(client, user.email, DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_ten_failures_from_one_address_lock_that_address_for_every_account(client, axes_on):
    f.UserFactory(email="other@example.jp")
    for n in range(10):
        login_post(client, f"guess{n}@example.jp", "wrong-password", REMOTE_ADDR="10.9.9.9")
    response = login_post(client, "other@example.jp", DEMO_PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    response = login_post(client, "other@example.jp", DEMO_PASSWORD, REMOTE_ADDR="10.9.9.10")
    assert response.status_code == 302


@pytest.mark.django_db
def test_lockout_page_is_the_same_for_existing_and_unknown_accounts(axes_on):
    from django.test import Client

    f.UserFactory(email="exists@example.jp")
    pages = []
    for n, email in enumerate(["exists@example.jp", "nobody@example.jp"]):
        client = Client()
        for _ in range(10):
            response = login_post(client, email, "wrong-password", REMOTE_ADDR=f"10.1.1.{n}")
        html = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", response.content.decode())
        pages.append((response.status_code, html))
    assert pages[0] == pages[1]
    assert pages[0][0] == 429


@pytest.mark.django_db
def test_failed_login_message_does_not_say_whether_the_account_exists(client):
    f.UserFactory(email="exists@example.jp")
    known = login_post(client, "exists@example.jp", "wrong-password").content.decode()
    unknown = login_post(client, "nobody@example.jp", "wrong-password").content.decode()
    strip = lambda html: html.replace("exists@", "X@").replace("nobody@", "X@")  # noqa: E731
    # The error text shown is identical (CSRF tokens differ, so compare the error block only).
    assert "正しくありません" in known or "not correct" in known
    assert strip(known).count("正しくありません") == strip(unknown).count("正しくありません")


@pytest.mark.django_db
def test_lockout_and_failures_are_in_the_security_log_without_the_password(client, axes_on):
    f.UserFactory(email="logme@example.jp")
    for _ in range(10):
        login_post(client, "logme@example.jp", "secret-guess-xyz", REMOTE_ADDR="10.2.2.2")
    kinds = list(SecurityEvent.objects.values_list("kind", flat=True))
    assert kinds.count(SecurityEvent.Kind.LOGIN_FAILED) >= 10
    assert SecurityEvent.Kind.LOCKOUT in kinds
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOCKOUT).first()
    assert event.username == "logme@example.jp"
    assert event.ip_address == "10.2.2.2"
    for e in SecurityEvent.objects.all():
        assert "secret-guess-xyz" not in str(e.detail) + e.username + e.path


@pytest.mark.django_db
def test_successful_login_is_logged_with_user_and_address(client):
    user = f.UserFactory(email="ok@example.jp")
    login_post(client, user.email, DEMO_PASSWORD, REMOTE_ADDR="10.3.3.3")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN)
    assert event.user == user and event.ip_address == "10.3.3.3"
    assert event.created_at.utcoffset().total_seconds() == 0


# --- two-factor ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_coordinator_without_authenticator_is_sent_to_totp_setup(client, coordinator, mfa_required):
    client.force_login(coordinator)
    response = client.get("/mypage/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_member_who_joins_the_coordinating_section_must_set_up_totp_at_once(client, mfa_required):
    section = f.CoordinatingSectionFactory()
    inviter = f.make_coordinator(section=section, email="inviter@example.jp")
    user = f.make_group_member(email="newcoord@example.jp")
    client.force_login(user)  # an ordinary member: no second factor needed at login
    invitation = org_services.staff_invite(user=inviter, department=section, email=user.email)
    assert client.post(reverse("organizations:invitation_accept", args=[invitation.token])).status_code == 302
    response = client.get(reverse("matching:board"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_role_granted_elsewhere_is_picked_up_within_a_minute(client, mfa_required):
    user = f.make_group_member(email="promoted@example.jp")
    client.force_login(user)
    assert client.get("/mypage/").status_code == 200
    DepartmentMembership.objects.create(user=user, department=f.CoordinatingSectionFactory(), role="staff")
    session = client.session
    session[SESSION_SEEN] = int(time.time()) - SEEN_RESOLUTION  # an admin granted it a minute ago
    session.save()
    response = client.get("/mypage/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_admin_without_authenticator_is_sent_to_totp_setup_even_for_the_admin_site(client, admin_user, mfa_required):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_setup_logout_and_static_pages_stay_reachable_without_authenticator(client, coordinator, mfa_required):
    client.force_login(coordinator)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200 or "reauthenticate" in response["Location"]
    assert client.get("/privacy/").status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_group_member_is_offered_but_not_forced_two_factor(client, group_member, mfa_required):
    client.force_login(group_member)
    response = client.get("/privacy/")
    assert response.status_code == 200
    response = client.get("/coordination/users/")
    assert response.status_code == 403  # refused for lack of rights, not redirected to MFA set-up


@pytest.mark.django_db
def test_coordinator_login_asks_for_the_totp_code_and_then_lets_in(client, coordinator_with_totp, mfa_required):
    response = login_post(client, coordinator_with_totp.email, DEMO_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator_with_totp.pk)
    assert client.get("/coordination/users/").status_code == 200


@pytest.mark.django_db
def test_coordinator_cannot_remove_the_required_authenticator(client, coordinator_with_totp, mfa_required):
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    totp = Authenticator.objects.get(user=coordinator_with_totp)
    assert get_adapter().can_delete_authenticator(totp) is False
    member = f.make_group_member()
    assert get_adapter().can_delete_authenticator(give_totp(member)) is True


@pytest.mark.django_db
def test_admin_site_login_form_is_replaced_by_the_portal_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@override_settings(MFA_SUPPORTED_TYPES=["totp", "recovery_codes"])
def test_recovery_codes_are_enabled():
    from allauth.mfa import app_settings

    assert "recovery_codes" in app_settings.SUPPORTED_TYPES


# --- password reset and re-authentication --------------------------------------------------------


def _reset_link(client, email):
    mail.outbox.clear()
    client.post(reverse("account_reset_password"), {"email": email})
    body = mail.outbox[0].body
    return next(word for word in body.split() if "/accounts/password/reset/key/" in word)


@pytest.mark.django_db
def test_password_reset_link_works_once(client):
    user = f.UserFactory(email="reset@example.jp")
    link = _reset_link(client, user.email)
    path = link.split("://", 1)[-1].split("/", 1)[-1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    new = "umibe-no-gomi-hiroi-2026"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    # The same link again: refused (the token hashes the old password).
    response = client.get("/" + path, follow=True)
    assert "無効" in response.content.decode() or "invalid" in response.content.decode().lower()


@pytest.mark.django_db
def test_password_reset_link_expires_after_a_few_hours(settings):
    assert 60 * 60 <= settings.PASSWORD_RESET_TIMEOUT <= 60 * 60 * 6
    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    user = f.UserFactory()
    gen = PasswordResetTokenGenerator()
    import datetime

    stale = gen._num_seconds(gen._now() - datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
    token = gen._make_token_with_timestamp(user, stale, gen.secret)
    assert gen.check_token(user, gen.make_token(user))
    assert not gen.check_token(user, token)


@pytest.mark.django_db
def test_changing_email_asks_for_the_password_again(client, group_member):
    client.force_login(group_member)
    session = client.session
    session.pop("account_authenticated_at", None)
    session["account_authenticated_at"] = 0
    session.save()
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.jp"})
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]


@pytest.mark.django_db
def test_activating_two_factor_asks_for_the_password_again(client, group_member):
    client.force_login(group_member)
    session = client.session
    session["account_authenticated_at"] = 0
    session.save()
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


# --- sign-up does not reveal which addresses exist ----------------------------------------------


@pytest.mark.django_db
def test_sign_up_hashes_the_password_once_whether_or_not_the_address_exists(client, monkeypatch):
    """Same work, so the same time: counted as hasher calls, not measured (the suite never times)."""
    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher())
    calls = []
    original = hasher.encode
    monkeypatch.setattr(hasher, "encode", lambda self, *args, **kw: calls.append(1) or original(self, *args, **kw))
    f.UserFactory(email="taken@example.jp")
    hashes = {}
    for email in ("taken@example.jp", "fresh@example.jp"):
        calls.clear()
        mail.outbox.clear()
        password = "kyodo-pass-2025"
        data = {"email": email, "password1": password, "password2": password, "family_name": "佐藤"}
        data |= {"given_name": "花子", "family_name_kana": "さとう", "given_name_kana": "はなこ"}
        response = client.post(reverse("account_signup"), data)
        hashes[email] = (len(calls), response.status_code, response["Location"], len(mail.outbox))
    assert (
        hashes["taken@example.jp"]
        == hashes["fresh@example.jp"]
        == (1, 302, reverse("account_email_verification_sent"), 1)
    )
