"""Abstract bases shared by the portal's models."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.japanese import normalize_words


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """Optimistic locking: services save only if the version the user edited is still current."""

    version = models.PositiveIntegerField(_("版"), default=1, editable=False)

    class Meta:
        abstract = True


class SearchQuerySet(models.QuerySet):
    """Japanese substring search over a model's normalised `search_text` column.

    Every word of the query (NFKC, kana-folded, lower-cased) must occur; one- and two-character
    words work because this is a substring match, not a tokenizer.
    """

    def search(self, query: str):
        qs = self
        for word in normalize_words(query):
            qs = qs.filter(search_text__contains=word)
        return qs
