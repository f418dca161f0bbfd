"""Japanese text helpers: fiscal years with the era, search normalisation, lists of names."""

import datetime
import re
import unicodedata

from django.utils import translation
from django.utils.translation import pgettext

# (first western year of the era, era name); FY of the era's first year is 元年度.
ERAS = [(2019, "令和"), (1989, "平成"), (1926, "昭和")]
GOJUON_ROWS = [
    ("あ", "あいうえおぁぃぅぇぉゔ"),
    ("か", "かきくけこがぎぐげご"),
    ("さ", "さしすせそざじずぜぞ"),
    ("た", "たちつてとだぢづでどっ"),
    ("な", "なにぬねの"),
    ("は", "はひふへほばびぶべぼぱぴぷぺぽ"),
    ("ま", "まみむめも"),
    ("や", "やゆよゃゅょ"),
    ("ら", "らりるれろ"),
    ("わ", "わをんゎ"),
]


def fiscal_year(day: datetime.date) -> int:
    """The Japanese fiscal year (April to March) a date falls in, as a western year."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(fy: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of fiscal year `fy`."""
    return datetime.date(fy, 4, 1), datetime.date(fy + 1, 3, 31)


def era_year(year: int) -> str:
    """A western year in the Japanese era, e.g. 2019 -> 令和元, 2025 -> 令和7."""
    for start, name in ERAS:
        if year >= start:
            n = year - start + 1
            return f"{name}{'元' if n == 1 else n}"
    return str(year)


# The first day of each era, for dates (an era changes mid-year: 平成31年4月30日, 令和元年5月1日).
ERA_STARTS = [
    (datetime.date(2019, 5, 1), "令和"),
    (datetime.date(1989, 1, 8), "平成"),
    (datetime.date(1926, 12, 25), "昭和"),
]


def wareki_date(day: datetime.date) -> str:
    """A date as officials write it on records: 2026-12-04 -> 令和8年12月4日 (令和元年 for the first)."""
    for start, name in ERA_STARTS:
        if day >= start:
            n = day.year - start.year + 1
            return f"{name}{'元' if n == 1 else n}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def fiscal_year_label(fy: int) -> str:
    """令和7年度 for 2025: how officials name a fiscal year (FY2025 when the page is in English)."""
    if not (translation.get_language() or "ja").startswith("ja"):
        return f"FY{fy}"
    return f"{era_year(fy)}年度"


def kata_to_hira(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def normalize(text: str) -> str:
    """Fold what should not hide a match: width (NFKC), katakana vs hiragana, case, spaces.

    Search columns join normalised fields with "|" so that no query word matches across two fields.
    """
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(kata_to_hira(text).lower().split())


def gojuon_row(reading: str) -> str:
    """The 50音 index row (あ, か, … わ) a reading sorts under; '他' when not kana."""
    first = normalize(reading)[:1]
    for row, chars in GOJUON_ROWS:
        if first and first in chars:
            return row
    return "他"


def normalize_words(query: str) -> list[str]:
    """The words of a search query, each normalised; full-width spaces separate words too."""
    return [w for w in (normalize(p) for p in unicodedata.normalize("NFKC", query or "").split()) if w]


ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和"}


def parse_fiscal_year(value) -> int:
    """A fiscal year as officials write it, as a western year.

    2019, "2019", "FY2019", "2019年度", "令和元年度", "令和1年度", "R1", "R01年度", "H31", "平成31年度" → 2019.
    Full-width digits and letters are accepted. Raises ValueError for anything else.
    """
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        text = str(value)
    else:
        text = unicodedata.normalize("NFKC", str(value or "")).strip().replace(" ", "")
    if text[:2].upper() == "FY":
        text = text[2:]
    for suffix in ("年度", "年"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    if text.isdigit() and len(text) == 4:
        return int(text)
    era = None
    if text[:1].upper() in ERA_LETTERS:
        era, number = ERA_LETTERS[text[:1].upper()], text[1:]
    else:
        for _start, name in ERAS:
            if text.startswith(name):
                era, number = name, text[len(name) :]
                break
    if era is None:
        raise ValueError(f"unknown year: {value!r}")
    n = 1 if number == "元" else int(number) if number.isdigit() else 0
    if n < 1:
        raise ValueError(f"unknown year: {value!r}")
    start = next(s for s, name in ERAS if name == era)
    return start + n - 1


# Full-width letters and digits (Ａ１), and runs of half-width katakana (ﾉｳﾊｳ, with their sound marks):
# the parts of NFKC that are always safe in Japanese text. Full-width punctuation and brackets （）「」
# stay as written.
_NFKC_SAFE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+|[\uff61-\uff9f]+")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u30fc\uff0d\uff70]")


def tidy_text(text: str) -> str:
    """Text as the portal stores it: ﾉｳﾊｳ → ノウハウ, ＡＢＣ１２３ → ABC123; everything else unchanged."""
    return _NFKC_SAFE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text) if text else text


def tidy_phone(text: str) -> str:
    """A phone number as stored: half-width digits, hyphens for any dash (０４６７－８２ー１１１１ → 0467-82-1111)."""
    return _DASHES.sub("-", unicodedata.normalize("NFKC", text)).strip() if text else text


def join_names(names) -> str:
    """Names as a list in running text: 「、」 in Japanese, ", " in English. The one list separator of
    code and templates (the template filter `join_names` calls it)."""
    return pgettext("list separator", "、").join(str(name) for name in names)
