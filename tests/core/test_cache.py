"""The Redis cache degrades to misses while Redis is unreachable (core.cache.TolerantRedisCache)."""

import pytest

from core.cache import TolerantRedisCache


@pytest.fixture
def unreachable():
    # Port 1 on the loopback: nothing listens, the connection is refused at once.
    return TolerantRedisCache("redis://127.0.0.1:1/0", {})


def test_reads_are_misses_and_writes_are_dropped(unreachable):
    assert unreachable.get("count", "default") == "default"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("count") is False
    unreachable.set("count", 3)
    assert unreachable.add("count", 3) is False
    assert unreachable.get_or_set("count", lambda: 42) == 42
    unreachable.delete("count")


def test_incr_behaves_as_for_a_missing_key(unreachable):
    with pytest.raises(ValueError):
        unreachable.incr("attempts")


def test_logins_are_refused_while_the_cache_is_unreachable(client, settings, django_user_model):
    """allauth's login rate limit cannot take its lock in the cache: it fails closed (429)."""
    django_user_model.objects.create_user(email="member@example.jp", password="correct-horse-battery")
    settings.CACHES = {"default": {"BACKEND": "core.cache.TolerantRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    response = client.post("/accounts/login/", {"login": "member@example.jp", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
