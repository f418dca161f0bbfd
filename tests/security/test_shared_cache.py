"""Security state kept in the cache holds across worker processes: production refuses a per-process
cache, and two real processes sharing Redis see one rate limit and one set of used TOTP codes."""

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from core.checks import shared_cache
from tests.security.totp import DEMO_TOTP_SECRET, totp_code

ROOT = Path(__file__).resolve().parents[2]
# The cache the test settings use when it is Redis (CI), else db 9 of the machine's Redis.
_CACHE_URL = os.environ.get("CACHE_URL", "").strip()
REDIS_URL = (
    _CACHE_URL if _CACHE_URL.startswith("redis") else os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
)


@pytest.fixture(scope="module")
def redis_url():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"Redis at {REDIS_URL} is not reachable ({exc}); start it (see .ci/run)"
        if os.environ.get("CI") or os.environ.get("REDIS_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL


def run_worker(cache_url: str, *args: str):
    """One separate Python process with its own cache client, like one gunicorn worker."""
    env = {**os.environ, "CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-m", "tests.security.cache_worker", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_reset_limit_of_five_a_minute_holds_across_two_workers_on_redis(redis_url):
    email = f"{uuid.uuid4().hex}@example.jp"
    first = run_worker(redis_url, "reset_password", email, "4")
    second = run_worker(redis_url, "reset_password", email, "4")
    assert (first, second) == (4, 1)


def test_a_per_process_cache_would_let_each_worker_send_its_own_five():
    """Why production refuses locmem: the same two workers on it allow 8 of 8 requests."""
    email = f"{uuid.uuid4().hex}@example.jp"
    assert run_worker("locmemcache://", "reset_password", email, "4") == 4
    assert run_worker("locmemcache://", "reset_password", email, "4") == 4


def test_totp_code_used_on_one_worker_is_refused_on_the_other(redis_url):
    user_id = str(10**9 + uuid.uuid4().int % 10**9)  # a fresh "user" so no earlier run interferes
    left_in_window = 30 - time.time() % 30
    if left_in_window < 20:  # both workers must start and check within the code's 30-second window
        time.sleep(left_in_window + 0.5)
    code = totp_code()
    assert run_worker(redis_url, "totp", user_id, DEMO_TOTP_SECRET, code) is True
    assert run_worker(redis_url, "totp", user_id, DEMO_TOTP_SECRET, code) is False


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_production_refuses_a_cache_that_workers_do_not_share(backend):
    with override_settings(PRODUCTION=True, CACHES={"default": {"BACKEND": backend, "LOCATION": "x"}}):
        assert [error.id for error in shared_cache(None)] == ["core.E001"]


def test_production_accepts_redis_and_development_accepts_anything():
    redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    with override_settings(PRODUCTION=True, CACHES=redis):
        assert shared_cache(None) == []
    assert settings.PRODUCTION is False and shared_cache(None) == []


def test_production_settings_require_the_shared_cache():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "SECRET_KEY": "x" * 50}
    env.pop("CACHE_URL", None)
    env.pop("REDIS_URL", None)
    done = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0 and "core.E001" in done.stderr
