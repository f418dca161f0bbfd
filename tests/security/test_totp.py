"""ASVS 6.8: second-factor codes cannot be guessed or replayed.

Wrong TOTP codes count in django-axes' counters with wrong passwords (10 per account or address lock
for 15 minutes), each is in the security log, and a used code is refused a second time. The
cross-process versions (two workers sharing Redis) are in test_shared_cache.py.
"""

import time

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import SecurityEvent
from demo import factories as f
from demo.factories import DEMO_PASSWORD
from tests.security.totp import give_totp, totp_code

LOGIN = "/accounts/login/"
MFA = "/accounts/2fa/authenticate/"


def wrong_code() -> str:
    return f"{(int(totp_code()) + 1) % 10**6:06d}"


def start_login(client, user, address="10.5.0.1"):
    response = client.post(LOGIN, {"login": user.email, "password": DEMO_PASSWORD}, REMOTE_ADDR=address)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate") == MFA
    return response


def post_code(client, code, address="10.5.0.1"):
    return client.post(MFA, {"code": code}, REMOTE_ADDR=address)


@pytest.fixture
def member_with_totp(db):
    user = f.UserFactory(email="totp-user@example.jp")
    give_totp(user)
    return user


@pytest.mark.django_db
def test_ten_wrong_codes_lock_the_account_and_then_even_the_right_code_is_refused(client, member_with_totp, axes_on):
    start_login(client, member_with_totp)
    statuses = [post_code(client, wrong_code()).status_code for _ in range(10)]
    assert statuses == [200] * 9 + [429]
    response = post_code(client, totp_code())
    assert response.status_code == 429
    assert "ログインを一時的に制限しています" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The account is locked for its password too, from any address.
    other = Client()
    response = other.post(LOGIN, {"login": member_with_totp.email, "password": DEMO_PASSWORD}, REMOTE_ADDR="10.5.9.9")
    assert response.status_code == 429


@pytest.mark.django_db
def test_nine_wrong_codes_do_not_lock_and_the_right_code_then_logs_in(client, member_with_totp, axes_on):
    start_login(client, member_with_totp)
    for _ in range(9):
        assert post_code(client, wrong_code()).status_code == 200
    assert post_code(client, totp_code()).status_code == 302
    assert client.session["_auth_user_id"] == str(member_with_totp.pk)


@pytest.mark.django_db
def test_wrong_passwords_and_wrong_codes_add_up_to_one_limit(client, member_with_totp, axes_on):
    for _ in range(5):
        client.post(LOGIN, {"login": member_with_totp.email, "password": "wrong-password"}, REMOTE_ADDR="10.5.0.1")
    start_login(client, member_with_totp)
    statuses = [post_code(client, wrong_code()).status_code for _ in range(5)]
    assert statuses == [200] * 4 + [429]


@pytest.mark.django_db
def test_ten_wrong_codes_from_one_address_lock_that_address_for_other_accounts(axes_on):
    users = [f.UserFactory(email=f"guess{n}@example.jp") for n in range(4)]
    for user in users:
        give_totp(user)
    for user in users[:3]:
        client = Client()
        start_login(client, user, address="10.6.6.6")
        for _ in range(4):
            post_code(client, wrong_code(), address="10.6.6.6")
    # 12 failures from 10.6.6.6 over three accounts: the address is locked for a fourth account ...
    response = Client().post(LOGIN, {"login": users[3].email, "password": DEMO_PASSWORD}, REMOTE_ADDR="10.6.6.6")
    assert response.status_code == 429
    # ... but not from elsewhere (4 failures per account stay under the account limit).
    client = Client()
    start_login(client, users[3], address="10.6.6.7")
    assert post_code(client, totp_code(), address="10.6.6.7").status_code == 302


@pytest.mark.django_db
def test_every_wrong_code_is_in_the_security_log_without_the_code(client, member_with_totp, axes_on):
    start_login(client, member_with_totp)
    codes = [wrong_code() for _ in range(3)]
    for code in codes:
        post_code(client, code)
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.MFA_FAILED)
    assert events.count() == 3
    event = events.first()
    assert (event.user, event.username, event.ip_address) == (member_with_totp, member_with_totp.email, "10.5.0.1")
    assert event.detail == {"type": "totp", "reauthentication": False}
    assert not any(code in str(e.detail) + e.path for e in events for code in codes)


@pytest.mark.django_db
def test_wrong_codes_are_logged_even_with_lockout_switched_off(client, member_with_totp):
    start_login(client, member_with_totp)
    post_code(client, wrong_code())
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.MFA_FAILED, user=member_with_totp).count() == 1


@pytest.mark.django_db
def test_a_used_code_is_refused_a_second_time(client, member_with_totp):
    left_in_window = 30 - time.time() % 30
    if left_in_window < 10:  # the first use must fall in the code's own window
        time.sleep(left_in_window + 0.5)
    code = totp_code()
    start_login(client, member_with_totp)
    assert post_code(client, code).status_code == 302
    client.post("/accounts/logout/")
    start_login(client, member_with_totp)
    response = post_code(client, code)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_replay_guard_outlasts_the_time_a_code_is_valid():
    """allauth remembers a used code for one period; with any tolerance a code would stay valid
    longer than it is remembered, so the tolerance must stay 0."""
    from allauth.mfa import app_settings

    assert app_settings.TOTP_TOLERANCE == 0 and app_settings.TOTP_PERIOD == 30


@pytest.mark.django_db
def test_wrong_codes_when_confirming_a_change_count_and_lock_too(client, member_with_totp, axes_on):
    client.force_login(member_with_totp)
    statuses = [client.post("/accounts/2fa/reauthenticate/", {"code": wrong_code()}).status_code for _ in range(10)]
    assert statuses == [200] * 9 + [429]
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.MFA_FAILED, user=member_with_totp)
    assert events.count() == 10 and events.first().detail["reauthentication"] is True
