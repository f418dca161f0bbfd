"""Malformed input is a 4xx, never a 500: every portal URL pattern (from the resolver), as every role,
with junk in the path ids, in each query-string key and in each POST field the view reads.

Which keys a view reads is observed, not listed: a first, clean request records every key looked up
in request.GET / request.POST (forms included), then each of those keys is sent again with junk.
Junk kinds rotate over keys and roles so the walk stays at a few thousand requests.
"""

import itertools
import sys

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from tests.security.scenario import ROLES, build_scenario
from tests.security.test_access_matrix import KWARGS, portal_url_names

JUNK = [
    "abc",
    "1\x00",
    "9" * 30,
    "x" * 5000,
    "2024-13-45",
    "9999-12",
    "0000-00-00T99:99",
    "-1",
    "1e309",
    "１２",
    "%s%n{0}",
]
PATH_JUNK = ["abc", "9" * 30, "%00", "x" * 300]
IGNORED_KEYS = {"csrfmiddlewaretoken"}


class KeyRecorder:
    """Records the keys a view reads from request.GET / request.POST (QueryDict lookups)."""

    def __init__(self):
        self.keys = set()

    def install(self, monkeypatch):
        recorder = self
        for name in ("get", "__getitem__", "getlist", "__contains__"):
            original = getattr(MultiValueDict, name)

            def spy(self, key, *args, _original=original, **kwargs):
                if isinstance(self, QueryDict) and isinstance(key, str):
                    recorder.keys.add(key)
                return _original(self, key, *args, **kwargs)

            monkeypatch.setattr(MultiValueDict, name, spy)


def _send(client, method, url, data):
    """Status code or the exception that escaped (a 500)."""
    with transaction.atomic():
        try:
            if method == "GET":
                response = client.get(url, data)
            else:
                response = client.post(url, data)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            result = response.status_code
        except Exception as exc:  # noqa: BLE001 - an escaped exception is the finding
            result = f"{type(exc).__name__}: {str(exc)[:150]}"
        transaction.set_rollback(True)
    return result


def _junk_path(url: str, kwargs: dict, junk: str) -> list[str]:
    """The URL with each path parameter in turn replaced by junk (the others kept valid)."""
    values = sorted({str(v) for v in kwargs.values()}, key=len, reverse=True)
    segments = url.split("/")
    out = []
    for i, segment in enumerate(segments):
        value = next((v for v in values if v and v in segment), None)
        if value is not None:
            out.append("/".join([*segments[:i], segment.replace(value, junk, 1), *segments[i + 1 :]]))
    return out


@pytest.fixture
def scenario(db):
    with override_settings(MFA_REQUIRED_FOR_PRIVILEGED=True):
        yield build_scenario()


def test_no_url_answers_junk_input_with_a_500(scenario, monkeypatch):
    recorder = KeyRecorder()
    recorder.install(monkeypatch)
    # Rendering is not input handling (tests/security/test_long_text.py covers it); keep the walk fast.
    import projects.views

    monkeypatch.setattr(projects.views, "render_pdf", lambda html: b"%PDF-1.7 walk")
    clients = {"anon": Client()}
    for role in ROLES[1:]:
        clients[role] = Client()
        clients[role].force_login(scenario.users[role])
    junk_cycle = itertools.cycle(JUNK)
    failures = []
    requests = 0

    def check(role, method, url, data):
        nonlocal requests
        requests += 1
        result = _send(clients[role], method, url, data)
        if not isinstance(result, int) or result >= 500:
            failures.append(f"{role} {method} {url[:120]} {str(data)[:120]}: {result}")
            print("FAIL", failures[-1], file=sys.stderr, flush=True)

    for name, _route in portal_url_names():
        kwargs = KWARGS.get(name, lambda s: {})(scenario)
        url = reverse(name, kwargs=kwargs)
        for n, junk in enumerate(PATH_JUNK):
            for i, bad_url in enumerate(_junk_path(url, kwargs, junk)):
                check(ROLES[(i + n) % len(ROLES)], "GET" if n % 2 else "POST", bad_url, {})
        for method in ("GET", "POST"):
            readers = {}  # key -> the roles whose request read it
            for role in ROLES:
                recorder.keys = set()
                check(role, method, url, {})
                keys = sorted(recorder.keys - IGNORED_KEYS)
                for key in keys:
                    readers.setdefault(key, []).append(role)
                if keys:  # every key at once
                    check(role, method, url, dict.fromkeys(keys, next(junk_cycle)))
            if method == "GET":  # each query key alone (forms' own fields validate POSTs; see above)
                for key, roles in sorted(readers.items()):
                    for i in range(2):
                        check(roles[i % len(roles)], method, url, {key: next(junk_cycle)})

    assert requests > 1000, f"the walk sent only {requests} requests"
    assert not failures, f"{len(failures)} requests failed:\n" + "\n".join(failures[:60])
