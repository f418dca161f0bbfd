"""Exchange events (交流の場) and the parties registered for them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TEXT_LONG, TEXT_SHORT, CappedTextField, TimeStamped
from organizations.models import ActivityField, Party


class ExchangeEventQuerySet(models.QuerySet):
    def public(self):
        """Published events and, marked 中止, called-off ones (so that nobody comes to them)."""
        return self.filter(status__in=[ExchangeEvent.Status.PUBLISHED, ExchangeEvent.Status.CANCELLED])


class ExchangeEvent(TimeStamped):
    """An exchange event (交流の場) where groups and departments meet."""

    class Kind(models.TextChoices):
        BRIEFING = "briefing", _("説明会")
        EXCHANGE = "exchange", _("意見交換会")
        PRESENTATION = "presentation", _("分野別発表会＆交流会")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        PUBLISHED = "published", _("公開")
        CANCELLED = "cancelled", _("中止")

    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    theme = models.CharField(_("テーマ"), max_length=200, blank=True)
    description = CappedTextField(_("内容"), blank=True, max_length=TEXT_LONG)
    activity_fields = models.ManyToManyField(ActivityField, verbose_name=_("活動分野"), blank=True)
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    place = models.CharField(_("会場"), max_length=200)
    capacity = models.PositiveIntegerField(_("定員"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("中止日時"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    cancel_reason = CappedTextField(_("中止の理由"), blank=True, max_length=TEXT_SHORT)

    objects = ExchangeEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("交流の場")
        verbose_name_plural = _("交流の場")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.pk])


class EventRegistration(TimeStamped):
    """A group or department registered to attend or present at an exchange event."""

    class Role(models.TextChoices):
        ATTEND = "attend", _("参加")
        PRESENT = "present", _("発表")

    event = models.ForeignKey(ExchangeEvent, on_delete=models.CASCADE, related_name="registrations")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="event_registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    role = models.CharField(_("参加の形"), max_length=10, choices=Role.choices, default=Role.ATTEND)
    note = models.CharField(_("発表内容・備考"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("交流の場への参加申込")
        verbose_name_plural = _("交流の場への参加申込")
        constraints = [models.UniqueConstraint(fields=["event", "party"], name="unique_event_registration")]

    def __str__(self):
        return f"{self.event} / {self.party}"
