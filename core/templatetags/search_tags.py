"""{% search_terms query %}: what a results page searched for, word by word (core.search.query_terms)."""

from django import template

from core.analyser import is_reading_char
from core.search import query_terms

register = template.Library()


@register.inclusion_tag("core/includes/search_terms.html")
def search_terms(query):
    terms = [
        {
            "word": term.word,
            "also": [form for form in term.forms if form != term.word],
            "by_reading": all(is_reading_char(ch) for ch in term.word),
        }
        for term in query_terms(str(query or ""))
    ]
    return {"terms": terms}
