"""A group's requests about its personal data (APPI)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TEXT_LONG, TEXT_SHORT, CappedTextField, TimeStamped


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
