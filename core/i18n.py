"""Texts the portal writes into the database (notices, timeline entries) in both of its languages."""

from collections.abc import Callable

from django.utils import translation

# A text to store: a callable composing it with gettext, or plain text users typed.
Text = str | Callable[[], str]


def in_both_languages(text: Text) -> tuple[str, str]:
    """(Japanese, English) of a text the portal composes: a callable is run once in each language (the
    words it gettext's come out translated); a plain text, which users typed, is kept as it is."""
    if not callable(text):
        return text, ""
    with translation.override("ja"):
        japanese = str(text())
    with translation.override("en"):
        english = str(text())
    return japanese, english


def in_reader_language(japanese: str, english: str) -> str:
    """The stored text in the language of the page: the English one when there is one."""
    if english and not (translation.get_language() or "ja").startswith("ja"):
        return english
    return japanese
