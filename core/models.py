"""Abstract bases shared by the portal's models."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
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


class SecurityEvent(models.Model):
    """The security log (ASVS 16): who did what, from where, when (UTC). Never a password or token."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("ログイン成功")
        LOGIN_FAILED = "login_failed", _("ログイン失敗")
        MFA_FAILED = "mfa_failed", _("2段階認証コードの誤り")
        LOCKOUT = "lockout", _("ロックアウト")
        LOGOUT = "logout", _("ログアウト")
        PERMISSION_DENIED = "permission_denied", _("権限のないアクセス")
        PERSONAL_DATA_VIEW = "personal_data_view", _("個人情報の閲覧")
        SESSION_EXPIRED = "session_expired", _("セッションの期限切れ")
        USER_DEACTIVATED = "user_deactivated", _("利用者の停止")
        USER_ANONYMIZED = "user_anonymized", _("利用者の匿名化")
        DATA_EXPORT = "data_export", _("団体データの書き出し")

    kind = models.CharField(_("種類"), max_length=30, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("利用者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("入力されたログインID"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)
    path = models.CharField(_("パス"), max_length=500, blank=True)
    object_label = models.CharField(_("対象"), max_length=200, blank=True)
    detail = models.JSONField(_("詳細"), default=dict, blank=True)
    created_at = models.DateTimeField(_("日時（UTC）"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("セキュリティログ")
        verbose_name_plural = _("セキュリティログ")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username or self.user_id or ''}"


class DataRequest(TimeStamped):
    """A group's request to correct or delete its data (APPI), handled by a coordinator."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("訂正")
        DELETION = "deletion", _("削除（利用停止）")

    class Status(models.TextChoices):
        OPEN = "open", _("受付")
        DONE = "done", _("対応済み")
        REJECTED = "rejected", _("対応しない")

    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("団体"), on_delete=models.PROTECT, related_name="data_requests"
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    body = CappedTextField(_("内容"), max_length=TEXT_LONG)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.OPEN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申出者"), on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("対応者"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("対応日時"), null=True, blank=True)
    resolution = CappedTextField(_("対応内容"), blank=True, max_length=TEXT_SHORT)

    class Meta:
        verbose_name = _("個人情報の訂正・削除の申出")
        verbose_name_plural = _("個人情報の訂正・削除の申出")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.organization} {self.get_kind_display()}（{self.get_status_display()}）"


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
