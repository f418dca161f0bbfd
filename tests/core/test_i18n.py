"""English UI: the public pages render in English, and the English catalogue is complete."""

import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

from core.history import TYPE_LABELS
from demo import factories as f
from organizations.models import CollaborationForm

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# page -> English strings that must appear (nav, headings, page-specific labels)
ENGLISH_PAGES = {
    # the header menu's short labels keep it on one row at 1280 px
    "/": ["Home", "Groups", "Departments", "Needs & seeds", "Ways to collaborate", "Events", "Skip to main content"],
    # the reference data (activity fields, forms of collaboration) in English too
    "/listings/": ["Find needs and seeds", "Keyword", "Activity field", "Form of collaboration", "Children and youth"],
    "/menu/": ["Co-hosting", "The city and a group both host one event or project", "Endorsement"],
    "/groups/": ["Find groups", "Type of group", "Activity district"],
    "/accounts/login/": ["Log in", "Forgot your password?"],
}

# Japanese UI labels (all marked for translation) that must not survive in English
JAPANESE_LABELS = [
    "ホーム",
    "団体をさがす",
    "ニーズ・シーズ",
    "協働でできること",
    "交流の場",
    "ログイン",
    "本文へ移動",
    "キーワード",
    "子どもの健全育成",
    "共催",
]


def _visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
@pytest.mark.parametrize("url", list(ENGLISH_PAGES))
def test_public_pages_render_in_english(client, url):
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    text = _visible_text(html)
    for english in ENGLISH_PAGES[url]:
        assert english in text, f"{url}: missing {english!r}"
    for japanese in JAPANESE_LABELS:
        assert japanese not in text, f"{url}: untranslated {japanese!r}"


@pytest.mark.django_db
def test_japanese_stays_the_default(client):
    text = _visible_text(client.get("/").content.decode())
    assert "ホーム" in text and "Skip to main content" not in text


def _po_entries(path):
    """Minimal .po parser: yields dicts with flags, msgid, msgid_plural and msgstr values."""
    entries, entry, field = [], None, None

    def unquote(s):
        return s[1:-1].encode("raw_unicode_escape").decode("unicode_escape")

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgid": "", "msgid_plural": None, "msgstr": {}, "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            target, key = field
            if key is None:
                entry[target] += unquote(line)
            else:
                entry[target][key] += unquote(line)
        else:
            keyword, _, value = line.partition(" ")
            if keyword in ("msgid", "msgid_plural", "msgctxt"):
                entry[keyword] = unquote(value)
                field = (keyword, None)
            elif keyword == "msgstr":
                entry["msgstr"][0] = unquote(value)
                field = ("msgstr", 0)
            elif keyword.startswith("msgstr["):
                index = int(keyword[7:-1])
                entry["msgstr"][index] = unquote(value)
                field = ("msgstr", index)
    return [e for e in entries if not e["obsolete"]]


def test_english_catalogue_is_complete():
    entries = _po_entries(PO_FILE)
    messages = [e for e in entries if e["msgid"]]
    assert len(messages) > 1000
    empty = [e["msgid"] for e in messages if not all(e["msgstr"].values()) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not empty, f"untranslated: {empty[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    plurals = [e for e in messages if e["msgid_plural"] is not None]
    assert plurals and all(set(e["msgstr"]) == {0, 1} for e in plurals)


def test_english_catalogue_keeps_placeholders():
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    for entry in _po_entries(PO_FILE):
        if not entry["msgid"]:
            continue
        expected = sorted(placeholder.findall(entry["msgid"]))
        for english in entry["msgstr"].values():
            assert sorted(placeholder.findall(english)) == expected, entry["msgid"]


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo (used where gettext is not installed) carries every translation in the .po."""
    with PO_FILE.with_suffix(".mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for entry in _po_entries(PO_FILE):
        if not entry["msgid"]:
            continue
        if entry.get("msgctxt"):
            assert catalogue.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
        elif entry["msgid_plural"] is None:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"][0], entry["msgid"]
        else:
            assert catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 2) == entry["msgstr"][1], entry["msgid"]


def test_dates_follow_the_language():
    when = datetime.datetime(2025, 4, 1, 9, 30)
    with translation.override("ja"):
        assert date_format(when, "DATE_FORMAT") == "2025年4月1日"
        assert date_format(when, "DATETIME_FORMAT") == "2025年4月1日 09:30"
    with translation.override("en"):
        assert date_format(when, "DATE_FORMAT") == "April 1, 2025"
        assert date_format(when, "DATETIME_FORMAT") == "April 1, 2025, 09:30"


@pytest.mark.django_db
def test_lists_of_names_are_joined_in_the_language(client):
    forms = CollaborationForm.objects.filter(code__in=["co_hosting", "endorsement"]).order_by("order")
    listing = f.ListingFactory(collaboration_forms=list(forms))
    client.cookies["django_language"] = "en"
    assert "Co-hosting, Endorsement" in client.get(listing.get_absolute_url()).content.decode()
    client.cookies["django_language"] = "ja"
    assert "共催、後援" in client.get(listing.get_absolute_url()).content.decode()


def test_a_delete_button_and_a_deletion_in_the_history_read_differently():
    """削除 is both the button ("Delete") and what the history records ("Deleted"): a context keeps them apart."""
    with translation.override("en"):
        assert translation.gettext("削除") == "Delete"
        assert str(TYPE_LABELS["-"]) == "Deleted"
    with translation.override("ja"):
        assert translation.gettext("削除") == str(TYPE_LABELS["-"]) == "削除"
