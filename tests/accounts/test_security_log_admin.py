"""Admins read the security log in the Django admin: filtered and searched, never edited."""

import pytest
from django.urls import reverse

from accounts.models import SecurityEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(admin_client):
    """A failed login; admin_client's own login is in the log too."""
    return SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN_FAILED, username="intruder@example.jp")


def test_admins_filter_the_log_by_kind_and_search_it(admin_client, failed):
    url = reverse("admin:accounts_securityevent_changelist")
    assert SecurityEvent.objects.filter(kind="login").exists()
    shown = admin_client.get(url, {"kind__exact": "login_failed"}).context["cl"].result_list
    assert [e.username for e in shown] == ["intruder@example.jp"]
    found = admin_client.get(url, {"q": "intruder"}).context["cl"].result_list
    assert [e.kind for e in found] == ["login_failed"]


def test_the_log_is_read_only_even_for_admins(admin_client, failed):
    event = failed
    change = reverse("admin:accounts_securityevent_change", args=[event.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and 'name="username"' not in page.content.decode()  # shown, not a field
    assert admin_client.post(change, {"username": "rewritten"}).status_code == 403
    delete = reverse("admin:accounts_securityevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    event.refresh_from_db()
    assert event.username == "intruder@example.jp"
