"""Abstract bases shared by the portal's models."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import analyser
from core.fields import _Tidied
from core.search import search

# Caps for free text (characters): long enough for any real answer, short enough that a record's PDF
# with every field full renders in a few seconds (bench/pdf_max.py).
TEXT_SHORT = 2000  # one answer of a record sheet, reasons, notes
TEXT_LONG = 4000  # descriptions and bodies
TEXT_MINUTES = 20000  # meeting minutes


class CappedTextField(_Tidied, models.TextField):
    """A TextField whose max_length holds in full_clean() and every form, not only in the widget;
    tidied on save like core.fields.TidyTextField."""

    django_path = "core.models.CappedTextField"

    def __init__(self, *args, max_length: int = TEXT_SHORT, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(self.max_length))


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
    """Japanese search over a model's `search_text` column: every query word must occur, as typed, by
    its reading or by its dictionary form (see core.search.search)."""

    def search(self, query: str):
        return search(self, query)


class Analysed(models.Model):
    """A record whose texts are analysed when it is saved, never per request.

    `search_text` (the search column, see core.analyser.search_text) is built from `search_fields`;
    `text_words` (its content words, core.analyser.content_words, which partner suggestions compare)
    from `word_fields`.
    """

    search_text = models.TextField(editable=False, default="")
    text_words = models.JSONField(editable=False, default=dict)

    search_fields: tuple[str, ...] = ()
    word_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Structural, not business: the derived columns are kept in step with the texts they come from.
        self.analyse()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "text_words"}
        super().save(*args, **kwargs)

    def analyse(self):
        """Recompute the derived columns from the texts as they will be stored (pre_save tidies them);
        bulk loads that skip save() call it too."""
        texts = {f: str(self._meta.get_field(f).pre_save(self, False) or "") for f in self.search_fields}
        texts |= {
            f: str(self._meta.get_field(f).pre_save(self, False) or "") for f in self.word_fields if f not in texts
        }
        self.search_text = analyser.search_text(*(texts[f] for f in self.search_fields))
        self.text_words = analyser.content_words("\n".join(texts[f] for f in self.word_fields))


def reanalyse_rows(model, search_fields: tuple, word_fields: tuple) -> None:
    """Recompute `search_text` and `text_words` of every row of `model` (for data migrations, which see
    historical models without Analysed's methods)."""
    rows = list(model.objects.only(*dict.fromkeys((*search_fields, *word_fields))))
    for row in rows:
        row.search_text = analyser.search_text(*(getattr(row, f) or "" for f in search_fields))
        row.text_words = analyser.content_words("\n".join(getattr(row, f) or "" for f in word_fields))
    model.objects.bulk_update(rows, ["search_text", "text_words"], batch_size=500)


class JobRun(models.Model):
    """One run of a periodic job for one period (run_scheduler): at most one row per job and period.

    The row is claimed before the job runs and finished after it; a row left unfinished by a crashed
    scheduler is taken over by the next one that holds the job's lock (core.scheduler).
    """

    job = models.CharField(_("ジョブ"), max_length=60)
    period = models.CharField(_("期間"), max_length=40)
    instance = models.CharField(_("実行したインスタンス"), max_length=120)
    attempts = models.PositiveSmallIntegerField(_("試行回数"), default=1)
    started_at = models.DateTimeField(_("開始日時"))
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    outcome = models.TextField(_("結果"), blank=True)

    class Meta:
        verbose_name = _("定期ジョブの実行")
        verbose_name_plural = _("定期ジョブの実行")
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="unique_job_run_per_period")]

    def __str__(self):
        return f"{self.job} {self.period}"
