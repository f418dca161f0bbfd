"""In-portal notices, their e-mail delivery, and each user's delivery preference per kind."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import in_reader_language
from core.models import TEXT_LONG, CappedTextField


class NoticeKind(models.TextChoices):
    REVIEW = "review", _("審査結果")
    INTEREST = "interest", _("相談・関心表明")
    REPLY = "reply", _("返信")
    MATCH = "match", _("マッチング")
    MEETING = "meeting", _("打ち合わせ")
    PROJECT = "project", _("協働事業")
    FOLLOWED = "followed", _("フォロー中の新着")
    SYSTEM = "system", _("お知らせ")


class Notification(models.Model):
    class EmailStatus(models.TextChoices):
        NONE = "none", _("送信しない")
        PENDING = "pending", _("送信待ち")
        DIGEST = "digest", _("まとめて送信")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("種類"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("件名"), max_length=200)
    body = CappedTextField(_("本文"), blank=True, max_length=TEXT_LONG)
    # The same in English when the portal composed them (blank for texts users typed).
    title_en = models.CharField(_("件名（英語）"), max_length=200, blank=True, editable=False)
    body_en = CappedTextField(_("本文（英語）"), blank=True, max_length=TEXT_LONG, editable=False)
    url = models.CharField(_("リンク"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)
    email_status = models.CharField(_("メール"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE)
    email_attempts = models.PositiveSmallIntegerField(_("送信試行回数"), default=0)
    emailed_at = models.DateTimeField(_("メール送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title

    @property
    def shown_title(self) -> str:
        return in_reader_language(self.title, self.title_en)

    @property
    def shown_body(self) -> str:
        return in_reader_language(self.body, self.body_en)


class NotificationPreference(models.Model):
    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("すぐにメール")
        DIGEST = "digest", _("1日1回まとめてメール")
        PORTAL = "portal", _("ポータル内のみ")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("種類"), max_length=20, choices=NoticeKind.choices)
    delivery = models.CharField(_("受け取り方"), max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        verbose_name = _("通知の設定")
        verbose_name_plural = _("通知の設定")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_notification_preference")]

    def __str__(self):
        return f"{self.user} {self.kind}: {self.delivery}"
