"""ASVS 7: new session key at login, logout ends the server session, idle and absolute limits,
deactivating a user ends all their sessions."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.middleware import SESSION_SEEN, SESSION_STARTED
from accounts.models import SecurityEvent
from demo import factories as f
from demo.factories import DEMO_PASSWORD

LOGIN = "/accounts/login/"


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def age_session(client, *, idle=0, started=0):
    session = client.session
    now = int(time.time())
    session[SESSION_SEEN] = now - idle
    session[SESSION_STARTED] = now - started
    session.save()


@pytest.mark.django_db
def test_session_key_changes_at_login(client):
    user = f.UserFactory(email="fix@example.jp")
    client.get(LOGIN)
    session = client.session
    session["planted"] = "by-attacker"
    session.save()
    before = session.session_key
    client.post(LOGIN, {"login": user.email, "password": DEMO_PASSWORD})
    assert logged_in(client)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


@pytest.mark.django_db
def test_logout_deletes_the_session_on_the_server(client, group_member):
    client.force_login(group_member)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    # Replaying the old cookie does not log anyone in.
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not logged_in(replay)
    assert replay.get("/coordination/users/").status_code == 302


@pytest.mark.django_db
def test_coordinator_is_logged_out_after_30_idle_minutes(client, coordinator):
    client.force_login(coordinator)
    age_session(client, idle=29 * 60)
    assert client.get("/privacy/").status_code == 200 and logged_in(client)
    age_session(client, idle=31 * 60)
    response = client.get("/privacy/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not logged_in(client)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SESSION_EXPIRED, user=coordinator).exists()


@pytest.mark.django_db
def test_admin_is_logged_out_after_30_idle_minutes(client, admin_user):
    client.force_login(admin_user)
    age_session(client, idle=31 * 60)
    client.get("/privacy/")
    assert not logged_in(client)


@pytest.mark.django_db
def test_group_member_stays_logged_in_after_an_idle_hour_but_not_after_five(client, group_member):
    client.force_login(group_member)
    age_session(client, idle=60 * 60)
    assert client.get("/privacy/").status_code == 200 and logged_in(client)
    age_session(client, idle=5 * 60 * 60)
    client.get("/privacy/")
    assert not logged_in(client)


@pytest.mark.django_db
def test_activity_keeps_the_session_alive_until_the_absolute_lifetime(client, group_member, settings):
    client.force_login(group_member)
    age_session(client, idle=0, started=settings.SESSION_ABSOLUTE_TIMEOUT - 60)
    assert client.get("/privacy/").status_code == 200 and logged_in(client)
    age_session(client, idle=0, started=settings.SESSION_ABSOLUTE_TIMEOUT + 60)
    client.get("/privacy/")
    assert not logged_in(client)


@pytest.mark.django_db
def test_idle_clock_is_refreshed_by_requests(client, coordinator):
    client.force_login(coordinator)
    age_session(client, idle=20 * 60)
    client.get("/privacy/")
    assert int(time.time()) - client.session[SESSION_SEEN] < 5


@pytest.mark.django_db
def test_deactivating_a_user_ends_all_their_sessions(coordinator, group_member):
    phone, laptop = Client(), Client()
    phone.force_login(group_member)
    laptop.force_login(group_member)
    other = Client()
    other.force_login(f.make_group_member())
    services.user_deactivate(actor=coordinator, user=group_member)
    assert not logged_in(phone) and not logged_in(laptop)
    assert logged_in(other)
    assert phone.get("/coordination/users/").status_code == 302


@pytest.mark.django_db
def test_session_of_a_user_deactivated_elsewhere_is_flushed_on_next_request(client, group_member):
    client.force_login(group_member)
    key = client.session.session_key
    type(group_member).objects.filter(pk=group_member.pk).update(is_active=False)
    client.get("/privacy/")
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_only_coordinators_may_deactivate(group_member):
    other = f.make_group_member()
    with pytest.raises(services.PermissionDenied):
        services.user_deactivate(actor=group_member, user=other)
    other.refresh_from_db()
    assert other.is_active
