"""Texts the portal writes into the database are kept in Japanese and English; each reader sees theirs."""

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from demo import factories as f
from matching.models import TimelineEntry
from matching.services import match_hold
from notifications.services import notify

pytestmark = pytest.mark.django_db


def test_a_notice_composed_by_the_portal_reads_in_the_readers_language():
    user = f.UserFactory()
    with translation.override("ja"):  # written during a Japanese user's request
        (notice,) = notify(
            recipients=[user], kind="match", title=lambda: _("マッチングの依頼：%(title)s") % {"title": "X"}
        )
    assert notice.title == "マッチングの依頼：X"
    with translation.override("en"):
        assert notice.shown_title == "Matching request: X"
    with translation.override("ja"):
        assert notice.shown_title == "マッチングの依頼：X"


def test_a_notice_with_typed_text_is_shown_as_typed():
    (notice,) = notify(recipients=[f.UserFactory()], kind="match", title="手入力の件名", body="本文")
    with translation.override("en"):
        assert (notice.shown_title, notice.shown_body) == ("手入力の件名", "本文")


def test_the_match_timeline_reads_in_english():
    coordinator = f.make_coordinator(f.CoordinatingSectionFactory())
    match = f.MatchFactory(stage="pre_meeting", coordinator=coordinator)
    with translation.override("ja"):
        match_hold(match=match, actor=coordinator, note="来月まで待つ")
    entry = TimelineEntry.objects.get(match=match)
    assert entry.text.startswith("段階を「事前打ち合わせ」から「保留」に変更しました。")
    with translation.override("en"):
        assert "段階" not in entry.shown_text and entry.shown_text.endswith("\n来月まで待つ")


def test_an_area_shows_its_english_name_on_english_pages():
    area = f.AreaFactory(name="北部地区", name_en="North")
    with translation.override("en"):
        assert str(area) == "North"
    with translation.override("ja"):
        assert str(area) == "北部地区"


def test_the_event_calendar_heading_and_weekdays_are_english(client):
    client.cookies["django_language"] = "en"
    html = client.get("/events/?month=2026-12").content.decode()
    assert "Calendar for December 2026" in html
    assert '<th scope="col">Sun</th>' in html and "のカレンダー" not in html
