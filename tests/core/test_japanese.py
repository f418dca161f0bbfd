import datetime

import pytest

from core.japanese import era_year, fiscal_year, fiscal_year_label, gojuon_row, normalize, normalize_words, wareki_date


@pytest.mark.parametrize(
    ("day", "fy"),
    [(datetime.date(2025, 4, 1), 2025), (datetime.date(2026, 3, 31), 2025), (datetime.date(2026, 1, 5), 2025)],
)
def test_fiscal_year_runs_april_to_march(day, fy):
    assert fiscal_year(day) == fy


@pytest.mark.parametrize(
    ("fy", "label"),
    [(2021, "令和3年度"), (2019, "令和元年度"), (2025, "令和7年度"), (2018, "平成30年度"), (1989, "平成元年度")],
)
def test_fiscal_year_label_uses_the_era(fy, label):
    assert fiscal_year_label(fy) == label


def test_era_year_before_heisei_is_showa():
    assert era_year(1988) == "昭和63"


def test_normalize_folds_width_kana_and_case():
    assert normalize("ＮＰＯ法人　カンキョウ") == normalize("npo法人かんきょう") == "npo法人かんきょう"
    assert normalize("ｺｿﾀﾞﾃ") == "こそだて"


def test_normalize_words_splits_on_full_width_space():
    assert normalize_words("子育　カンキョウ ") == ["子育", "かんきょう"]


@pytest.mark.parametrize(
    ("reading", "row"), [("あおぞら", "あ"), ("ガッコウ", "か"), ("ぱんだ", "は"), ("ゆめ", "や"), ("ABC", "他")]
)
def test_gojuon_row(reading, row):
    assert gojuon_row(reading) == row


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2026, 12, 4), "令和8年12月4日"),
        (datetime.date(2019, 5, 1), "令和元年5月1日"),
        (datetime.date(2019, 4, 30), "平成31年4月30日"),
        (datetime.date(1989, 1, 7), "昭和64年1月7日"),
    ],
)
def test_wareki_date_follows_the_era_change_day(day, text):
    assert wareki_date(day) == text


def test_fiscal_year_label_is_fy2025_on_english_pages_and_parses_back():
    from django.utils import translation

    from core.japanese import parse_fiscal_year

    with translation.override("en"):
        assert fiscal_year_label(2025) == "FY2025"
    assert parse_fiscal_year("FY2025") == parse_fiscal_year("fy2025") == 2025
