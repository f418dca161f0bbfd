"""Coordinated matches between parties, their pre-meetings and timeline."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import in_reader_language
from core.models import TEXT_LONG, TEXT_MINUTES, TEXT_SHORT, CappedTextField, TimeStamped, Versioned
from events.models import ExchangeEvent
from listings.models import Interest, Listing
from organizations.models import Party


class DismissedSuggestion(TimeStamped):
    """A coordinator ruled out a suggested partner for a listing; it is not suggested again."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="dismissed_suggestions")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("除外した候補")
        verbose_name_plural = _("除外した候補")
        constraints = [models.UniqueConstraint(fields=["listing", "party"], name="unique_dismissed_suggestion")]

    def __str__(self):
        return f"{self.listing} × {self.party}"


class Match(TimeStamped, Versioned):
    """A pairing of two or more parties that a coordinator brokers until it succeeds or ends."""

    class Stage(models.TextChoices):
        PROPOSED = "proposed", _("提案")
        AWAITING = "awaiting", _("参加者の承諾待ち")
        PRE_MEETING = "pre_meeting", _("事前打ち合わせ")
        NEGOTIATING = "negotiating", _("協議中")
        ESTABLISHED = "established", _("成立")
        FAILED = "failed", _("不成立")
        ON_HOLD = "on_hold", _("保留")

    class FailureReason(models.TextChoices):
        PURPOSE = "purpose", _("目的の不一致")
        ROLES = "roles", _("役割分担")
        BUDGET = "budget", _("予算")
        TIMING = "timing", _("時期")
        GROUP_CAPACITY = "group_capacity", _("団体の体制")
        DEPARTMENT = "department", _("担当課の事情")
        OTHER = "other", _("その他")

    CLOSED_STAGES = (Stage.ESTABLISHED, Stage.FAILED)

    title = models.CharField(_("件名"), max_length=200)
    stage = models.CharField(
        _("段階"), max_length=20, choices=Stage.choices, default=Stage.PROPOSED, editable=False, db_index=True
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当コーディネーター"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_matches",
    )
    listings = models.ManyToManyField(Listing, verbose_name=_("元のニーズ・シーズ"), blank=True, related_name="matches")
    origin_interest = models.ForeignKey(
        Interest, verbose_name=_("元の相談"), on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    origin_event = models.ForeignKey(
        ExchangeEvent,
        verbose_name=_("きっかけの交流の場"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
    )
    summary = CappedTextField(_("概要"), blank=True, max_length=TEXT_LONG)
    failure_reason = models.CharField(_("不成立の理由"), max_length=20, choices=FailureReason.choices, blank=True)
    failure_note = CappedTextField(_("不成立の詳細"), blank=True, max_length=TEXT_SHORT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    last_event_at = models.DateTimeField(_("最終更新"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    stage_before_hold = models.CharField(
        _("保留前の段階"), max_length=20, choices=Stage.choices, blank=True, editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("マッチング")
        verbose_name_plural = _("マッチング")
        ordering = ["-last_event_at"]
        indexes = [
            # The pipeline board: each column's first cards (stalest first) and its open count.
            models.Index(fields=["stage", "last_event_at", "id"], name="match_stage_last_event"),
            # The board's closed columns count only the recently closed.
            models.Index(fields=["stage", "closed_at"], name="match_stage_closed"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matching:match_detail", args=[self.pk])


class MatchParticipant(TimeStamped):
    class Response(models.TextChoices):
        PENDING = "pending", _("回答待ち")
        ACCEPTED = "accepted", _("承諾")
        DECLINED = "declined", _("辞退")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="participants")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="match_participations")
    response = models.CharField(_("回答"), max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("回答日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("マッチングの参加者")
        verbose_name_plural = _("マッチングの参加者")
        constraints = [models.UniqueConstraint(fields=["match", "party"], name="unique_match_participant")]

    def __str__(self):
        return f"{self.match} / {self.party}"


class Meeting(TimeStamped, Versioned):
    """A pre-meeting (事前打ち合わせ) or coordination meeting (調整会議) of a match."""

    class Kind(models.TextChoices):
        PRE_MEETING = "pre_meeting", _("事前打ち合わせ")
        COORDINATION = "coordination", _("調整会議")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("予定")
        HELD = "held", _("開催済み")
        CANCELLED = "cancelled", _("中止")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices, default=Kind.PRE_MEETING)
    starts_at = models.DateTimeField(_("開始日時"), db_index=True)
    ends_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    place = models.CharField(_("場所"), max_length=200, blank=True)
    online_url = models.URLField(_("オンライン会議のURL"), blank=True)
    attendees = CappedTextField(_("出席者（各当事者から）"), blank=True, max_length=TEXT_SHORT)
    agenda = CappedTextField(_("議題"), blank=True, max_length=TEXT_SHORT)
    minutes = CappedTextField(_("議事録"), blank=True, max_length=TEXT_MINUTES)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("打ち合わせ")
        verbose_name_plural = _("打ち合わせ")
        ordering = ["starts_at"]

    def __str__(self):
        return f"{self.match} {self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("matching:meeting_detail", args=[self.pk])


class ActionItem(TimeStamped):
    """A next action from a meeting's minutes, with its owner and due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(_("内容"), max_length=300)
    owner = models.ForeignKey(
        Party, verbose_name=_("担当"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("期限"), null=True, blank=True)
    done = models.BooleanField(_("完了"), default=False)

    class Meta:
        verbose_name = _("次の行動")
        verbose_name_plural = _("次の行動")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description


class TimelineEntry(models.Model):
    """One entry of a match's timeline: who did what, when."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", _("提案")
        RESPONSE = "response", _("回答")
        STAGE = "stage", _("段階の変更")
        MEETING = "meeting", _("打ち合わせ")
        MINUTES = "minutes", _("議事録")
        NOTE = "note", _("メモ")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("日時"), default=timezone.now)
    text = CappedTextField(_("内容"), max_length=TEXT_LONG)
    # The same in English when the portal composed it (blank for notes users typed).
    text_en = CappedTextField(_("内容（英語）"), blank=True, max_length=TEXT_LONG, editable=False)
    coordinator_only = models.BooleanField(_("コーディネーターのみ"), default=False)

    class Meta:
        verbose_name = _("経過")
        verbose_name_plural = _("経過")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.text[:30]}"

    @property
    def shown_text(self) -> str:
        return in_reader_language(self.text, self.text_en)
