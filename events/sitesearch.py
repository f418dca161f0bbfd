"""The header search's section for exchange events (registered in apps.py)."""

from django.db.models import Value
from django.db.models.functions import Concat
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.search import filter_terms, query_terms
from core.sitesearch import Hit, Section

from .models import ExchangeEvent


def find_events(user, query: str, limit: int) -> list[Hit]:
    """Published events, newest first. Events have no analysed search column, so a word is matched as
    typed and by its reading form against their title, theme and place (not hiragana against kanji)."""
    rows = ExchangeEvent.objects.filter(status=ExchangeEvent.Status.PUBLISHED).annotate(
        search_blob=Concat("title", Value(" "), "theme", Value(" "), "place")
    )
    rows = filter_terms(rows, query_terms(query), column="search_blob", grams=False).order_by("-starts_at", "-id")
    return [
        Hit(e.title, e.get_absolute_url(), formats.date_format(timezone.localtime(e.starts_at), "SHORT_DATE_FORMAT"))
        for e in rows[:limit]
    ]


SECTIONS = [Section("events", _("交流の場（イベント）"), 40, find_events)]
