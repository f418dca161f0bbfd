"""Every page of the portal in English: no Japanese left but what users typed.

The access matrix's scenario (one object of every kind) is built once, and a Japanese user's
requests add notices and timeline entries; every named URL is then requested as a coordinator and
anonymously with English chosen. In the visible text of each HTML page (with the labels of
aria-label, title, placeholder and alt) no kana or kanji may remain once the values users typed are
masked: every text stored in the database except the reference data and the texts the portal writes
itself (notices, the match timeline), which must come out in English. Text marked lang="ja" is
Japanese on purpose (the language switcher, the 50音 index of readings, the open-data standard's
column names).
"""

import html
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from matching.services import match_hold, match_request
from tests.security.scenario import build_scenario
from tests.security.test_access_matrix import KWARGS, portal_url_names

# Kana and kanji (full-width punctuation between values, ・ included, is a cosmetic leftover, not checked).
JAPANESE = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u3400-\u9fff\uff66-\uff9f]+")
SYSTEM_WRITTEN = {
    "organizations.ActivityField",
    "organizations.CollaborationForm",
    "notifications.Notification",
    "matching.TimelineEntry",
}
# The API (JSON), probes and files: not pages.
SKIP = (
    "api:",
    "healthz",
    "readyz",
    "metrics",
    "projects:print_pdf",
    "stats:download",
    "stats:survey_report_download",
    "stats:opendata_listings",
    "stats:opendata_directory",
    "surveys:export",
    "privacy:group_data_export",
)
LABEL_ATTRS = re.compile(r'\s(?:aria-label|title|placeholder|alt)="([^"]*)"')
MARKED_JAPANESE = re.compile(r'<(\w+)\b[^>]*\blang="ja"[^>]*>.*?</\1>', re.S)
MIN_MASK = 3  # shorter stored values ("市") would hide untranslated words


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def typed_values() -> list[str]:
    """Every Japanese text stored in the database but the system-written ones (and each of its lines),
    longest first."""
    values = set()
    for model in apps.get_models():
        if model._meta.label in SYSTEM_WRITTEN or not model._meta.managed:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for text in (t for value in row for t in _strings(value)):
                if JAPANESE.search(text):
                    values.update(v.strip() for v in [text, *text.splitlines()])
    values.update(str(user) for user in get_user_model().objects.all())  # names shown as 姓 名
    return sorted((v for v in values if len(v) >= MIN_MASK), key=len, reverse=True)


def page_text(content: str) -> str:
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S | re.I)
    content = MARKED_JAPANESE.sub(" ", content)
    labels = " ".join(LABEL_ATTRS.findall(content))
    return html.unescape(re.sub(r"<[^>]+>", " ", content) + " " + labels)


def leftover_japanese(text: str, typed: list[str]) -> list[str]:
    """The Japanese left in `text` once the typed values are masked, each with a little context."""
    for value in typed:
        text = text.replace(value, " ")
    text = " ".join(text.split())
    return sorted({text[max(0, m.start() - 25) : m.end() + 10] for m in JAPANESE.finditer(text)})


@pytest.fixture
def english_pages(db):
    with override_settings(MFA_REQUIRED_FOR_PRIVILEGED=False):
        with translation.override("ja"):  # a Japanese user's requests write the notices and the timeline
            scenario = build_scenario()
            match_request(
                actor=scenario.users["member_a"], party=scenario.org_a.party, other_parties=[scenario.dept.party]
            )
            match_hold(match=scenario.match, actor=scenario.users["coord"], note="")
        clients = {"anon": Client(), "coord": Client()}
        clients["coord"].force_login(scenario.users["coord"])
        for client in clients.values():
            client.cookies["django_language"] = "en"
        yield scenario, clients


def test_every_page_reads_in_english(english_pages):
    scenario, clients = english_pages
    typed = typed_values()
    found = {}
    for name, _route in portal_url_names():
        if name.startswith(SKIP):
            continue
        url = reverse(name, kwargs=KWARGS.get(name, lambda s: {})(scenario))
        for role, client in clients.items():
            response = client.get(url)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            left = leftover_japanese(page_text(response.content.decode()), typed)
            if left:
                found[f"{role} {url}"] = left
    assert not found, "\n".join(f"{page}: {runs}" for page, runs in sorted(found.items()))


def test_the_check_finds_japanese_the_portal_wrote_and_spares_typed_and_marked_text():
    assert [run.strip() for run in leftover_japanese("Total 合計", ["Aの会"])] == ["Total 合計"]
    assert leftover_japanese("Group: Aの会", ["Aの会"]) == []
    assert leftover_japanese(page_text('<a lang="ja" href="/i18n/">日本語</a> English'), []) == []
