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
