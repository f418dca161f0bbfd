"""Needs and seeds posted by groups and departments, and the interest shown in them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import TidyCharField
from core.models import TEXT_LONG, TEXT_SHORT, Analysed, CappedTextField, SearchQuerySet, TimeStamped, Versioned
from core.validators import GeneratedName, validate_document
from organizations.models import ActivityField, Area, CollaborationForm, Department, Party


class ListingQuerySet(SearchQuerySet):
    def published(self):
        return self.filter(status=Listing.Status.PUBLISHED)

    def open_now(self, today=None):
        today = today or timezone.localdate()
        return self.published().filter(Q(period_end__isnull=True) | Q(period_end__gte=today))

    def with_related(self):
        return self.select_related("owner__organization", "owner__department__parent", "area").prefetch_related(
            "activity_fields", "collaboration_forms"
        )


class Listing(Analysed, TimeStamped, Versioned):
    """A need (ニーズ) or seed (シーズ) of a group or a department.

    A department's need is shown as a collaboration theme (協働テーマ), a department's seed as a
    menu item of what the city can offer (協働メニュー).
    """

    class Kind(models.TextChoices):
        NEED = "need", _("ニーズ")
        SEED = "seed", _("シーズ")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        PENDING = "pending", _("審査中")
        RETURNED = "returned", _("差戻し")
        PUBLISHED = "published", _("公開")
        CLOSED = "closed", _("終了")

    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices)
    owner = models.ForeignKey(Party, verbose_name=_("掲載者"), on_delete=models.PROTECT, related_name="listings")
    title = TidyCharField(_("タイトル"), max_length=200)
    body = CappedTextField(_("内容"), max_length=TEXT_LONG)
    problem = CappedTextField(_("解決したい地域の課題"), blank=True, max_length=TEXT_SHORT)
    activity_fields = models.ManyToManyField(ActivityField, verbose_name=_("活動分野"), blank=True)
    collaboration_forms = models.ManyToManyField(CollaborationForm, verbose_name=_("想定する協働の形態"), blank=True)
    area = models.ForeignKey(Area, verbose_name=_("地区"), on_delete=models.PROTECT, null=True, blank=True)
    period_start = models.DateField(_("期間（開始）"), null=True, blank=True)
    period_end = models.DateField(_("期間（終了）"), null=True, blank=True, help_text=_("空欄は随時・継続"))
    budget_note = TidyCharField(_("予算・費用について"), max_length=500, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True
    )
    # Coordinator's screening checklist, drawn from the papers.
    screen_public_interest = models.BooleanField(_("会員のみでなく不特定多数の利益（公益性）がある"), default=False)
    screen_fits_plans = models.BooleanField(_("市の計画・施策に沿っている"), default=False)
    screen_department_agrees = models.BooleanField(_("担当課が明記され、同意している"), default=False)
    screen_note = CappedTextField(_("審査メモ"), blank=True, max_length=TEXT_SHORT)
    return_reason = CappedTextField(_("差戻しの理由"), blank=True, max_length=TEXT_SHORT)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("終了日時"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )

    search_fields = word_fields = ("title", "body", "problem")

    history = HistoricalRecords(excluded_fields=["text_words"])  # derived, recomputed on save
    objects = ListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("ニーズ・シーズ")
        verbose_name_plural = _("ニーズ・シーズ")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            # Suggestions count shared fields/forms per owner over every published listing: this lets
            # PostgreSQL read owner ids from the index instead of scanning the wide listing rows.
            models.Index(
                fields=["id"],
                include=["owner", "kind"],
                condition=Q(status="published"),
                name="listing_published_owner_idx",
            ),
            # Suggestions read each candidate's newest published listings: owner by owner, newest first,
            # from the index alone.
            models.Index(
                fields=["owner", "-published_at", "-id"],
                include=["kind"],
                condition=Q(status="published"),
                name="listing_published_newest_idx",
            ),
            # The newest change of any listing: the public index's cached counts are keyed by it.
            models.Index(fields=["updated_at"], name="listing_updated_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="listing_period_ordered",
            ),
            # Published means dated: lists and suggestions order a party's listings by this date.
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="listing_published_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("listings:detail", args=[self.pk])

    @property
    def is_department_listing(self) -> bool:
        return self.owner.kind == Party.Kind.DEPARTMENT

    @property
    def display_kind(self) -> str:
        """協働テーマ / 協働メニュー for a department, ニーズ / シーズ for a group."""
        if self.is_department_listing:
            return DEPARTMENT_KIND_LABELS[self.kind]
        return self.get_kind_display()


# How city staff name their two kinds (DOMAIN.md: a department's need is a collaboration theme, its
# seed a menu item of what the city can give).
DEPARTMENT_KIND_LABELS = {Listing.Kind.NEED: _("協働テーマ"), Listing.Kind.SEED: _("協働メニュー")}
DEPARTMENT_KIND_CHOICES = [
    (Listing.Kind.NEED, _("協働テーマ（一緒に取り組みたいこと）")),
    (Listing.Kind.SEED, _("協働メニュー（市が提供できること）")),
]


def speaks_as_department(user) -> bool:
    """City staff who act for no group see 協働テーマ / 協働メニュー, not ニーズ / シーズ."""
    return bool(user.is_authenticated and user.department_ids and not user.organization_ids)


class ListingAttachment(TimeStamped):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("ファイル"), upload_to=GeneratedName("listing-files"), validators=[validate_document])
    original_name = models.CharField(_("元のファイル名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")

    def __str__(self):
        return self.original_name


class ListingStatusChange(models.Model):
    """Who moved a listing from one status to another, and when."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("変更前"), max_length=20, choices=Listing.Status.choices, blank=True)
    to_status = models.CharField(_("変更後"), max_length=20, choices=Listing.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("日時"), default=timezone.now)
    note = CappedTextField(_("メモ"), blank=True, max_length=TEXT_SHORT)

    class Meta:
        verbose_name = _("状態の変更履歴")
        verbose_name_plural = _("状態の変更履歴")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.listing}: {self.from_status} → {self.to_status}"


class Interest(TimeStamped):
    """A consultation or expression of interest (相談・関心表明) about a listing; a thread follows."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="interests")
    from_party = models.ForeignKey(
        Party, verbose_name=_("送信者"), on_delete=models.PROTECT, related_name="interests_sent"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = CappedTextField(_("メッセージ"), max_length=TEXT_LONG)
    contribution = CappedTextField(_("提供できること"), blank=True, max_length=TEXT_SHORT)
    origin_event = models.ForeignKey(
        "events.ExchangeEvent",
        verbose_name=_("きっかけの交流の場"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interests",
    )
    answered_at = models.DateTimeField(_("初回返信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("相談・関心表明")
        verbose_name_plural = _("相談・関心表明")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.from_party} → {self.listing}"


class InterestMessage(TimeStamped):
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = CappedTextField(_("本文"), max_length=TEXT_LONG)

    class Meta:
        verbose_name = _("返信")
        verbose_name_plural = _("返信")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:30]


class Follow(TimeStamped):
    """A user follows an activity field or a department to hear of new themes and seeds."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    activity_field = models.ForeignKey(ActivityField, on_delete=models.CASCADE, null=True, blank=True)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        verbose_name = _("フォロー")
        verbose_name_plural = _("フォロー")
        constraints = [
            models.CheckConstraint(
                condition=Q(activity_field__isnull=False, department__isnull=True)
                | Q(activity_field__isnull=True, department__isnull=False),
                name="follow_one_target",
            ),
            models.UniqueConstraint(fields=["user", "activity_field"], name="unique_follow_field"),
            models.UniqueConstraint(fields=["user", "department"], name="unique_follow_department"),
        ]

    def __str__(self):
        return f"{self.user} → {self.activity_field or self.department}"
