"""Abstract bases shared by the portal's models."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.japanese import normalize_words
from core.search import filter_words

# Caps for free text (characters): long enough for any real answer, short enough that a record's PDF
# with every field full renders in a few seconds (bench/pdf_max.py).
TEXT_SHORT = 2000  # one answer of a record sheet, reasons, notes
TEXT_LONG = 4000  # descriptions and bodies
TEXT_MINUTES = 20000  # meeting minutes


class CappedTextField(models.TextField):
    """A TextField whose max_length holds in full_clean() and every form, not only in the widget."""

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
    """Japanese substring search over a model's normalised `search_text` column.

    Every word of the query (NFKC, kana-folded, lower-cased) must occur; one- and two-character
    words work because this is a substring match, not a tokenizer.
    """

    def search(self, query: str):
        # On PostgreSQL the same filter is served by GIN indexes (see core.search).
        return filter_words(self, normalize_words(query))


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
