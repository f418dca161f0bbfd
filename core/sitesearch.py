"""The header's one search box: a results page with a section per kind of record.

Core imports no feature app, so each app registers its section (`register`) from its AppConfig.ready;
a section's `find(user, query, limit)` returns at most `limit` hits of what that user may see, through
core.search (reading-aware: こそだて finds 子育て), and `more_url` opens the app's own list filtered by
the same words.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.shortcuts import render
from django.utils.functional import Promise
from django.views.decorators.http import require_safe

SECTION_LIMIT = 5
QUERY_MAX = 100  # longer queries are cut: each word is one more filter


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    order: int
    find: Callable[..., list[Hit]]
    more_url: Callable[[str], str] | None = None


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or replace, on a reload) a section of the results page."""
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


@require_safe
def search_page(request):
    """GET ?q=…: the first hits of every section, each with a link to the full list. Works without JS."""
    query = request.GET.get("q", "")
    if not isinstance(query, str) or "\x00" in query:
        raise BadRequest("malformed query")
    query = " ".join(query.split())[:QUERY_MAX]
    results = []
    if query:
        for section in sections():
            hits = section.find(request.user, query, SECTION_LIMIT + 1)
            results.append(
                {
                    "section": section,
                    "hits": hits[:SECTION_LIMIT],
                    "more": len(hits) > SECTION_LIMIT,
                    "more_url": section.more_url(query) if section.more_url else "",
                }
            )
    return render(
        request,
        "core/site_search.html",
        {"query": query, "results": results, "found": any(r["hits"] for r in results)},
    )
