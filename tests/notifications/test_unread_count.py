"""The navigation's unread count comes from the shared cache and follows every change at once."""

import pytest
from django.urls import reverse

from demo import factories as f
from notifications import services

pytestmark = pytest.mark.django_db


def _badge(client):
    return client.get(reverse("notifications:list")).context["unread_notification_count"]


@pytest.fixture
def reader(client):
    user = f.UserFactory()
    client.force_login(user)
    return user


def test_count_is_read_from_the_cache_once_counted(client, reader, django_assert_num_queries):
    f.NotificationFactory(recipient=reader)
    assert services.unread_count(reader) == 1
    with django_assert_num_queries(0):
        assert services.unread_count(reader) == 1


def test_a_new_notice_shows_at_once(client, reader):
    assert _badge(client) == 0
    services.notify(recipients=[reader], kind="system", title="新しいお知らせ")
    assert _badge(client) == 1


def test_reading_one_and_reading_all_show_at_once(client, reader):
    first, *_rest = [f.NotificationFactory(recipient=reader) for _ in range(3)]
    assert _badge(client) == 3
    services.notice_mark_read(user=reader, notice=first)
    assert _badge(client) == 2
    services.notices_mark_all_read(user=reader)
    assert _badge(client) == 0


def test_a_deleted_notice_and_another_users_notice(client, reader):
    notice = f.NotificationFactory(recipient=reader)
    assert _badge(client) == 1
    f.NotificationFactory()  # someone else's
    assert _badge(client) == 1
    notice.delete()
    assert _badge(client) == 0
