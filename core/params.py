"""Values a view reads by hand from a query string or form field (ids, months): malformed is a 400."""

import datetime

from django.core.exceptions import BadRequest

MAX_ID = 2**63 - 1  # the largest BigAutoField value


def id_param(value) -> int:
    """A database id; BadRequest when missing, not a plain ASCII number, or out of range."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        raise BadRequest("malformed id")
    return int(text)


def valid_ids(values) -> list[int]:
    """The values that are database ids, in order; anything else (junk, out of range) left out."""
    ids = []
    for value in values or []:
        text = str(value).strip()
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID:
            ids.append(int(text))
    return ids


def month_param(value, *, default: datetime.date) -> datetime.date:
    """The first day of a `YYYY-MM` month between 1900 and 2100; `default` when absent or malformed."""
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        first = datetime.date(year, month, 1)
    except ValueError:
        return default.replace(day=1)
    return first if 1900 <= first.year <= 2100 else default.replace(day=1)
