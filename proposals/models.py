"""The collaboration proposal programme (協働事業提案制度): calls, applications, review and adoption.

A coordinator opens a Call (公募); groups (or departments) send Proposals; the department in charge
states its view; the call's committee scores each proposal on the call's criteria; a coordinator
records the decision. An adopted proposal becomes a CollaborationProject (projects app). States and
who may move them are declared once, in proposals/workflow.py.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.japanese import fiscal_year_label
from core.models import TEXT_LONG, TEXT_SHORT, CappedTextField, TimeStamped, Versioned
from core.validators import GeneratedName, validate_document
from events.models import ExchangeEvent
from listings.models import Listing
from organizations.models import Department, Party
from projects.models import CollaborationProject, NextStep


class CallType(models.TextChoices):
    ADMINISTRATION = "administration", _("行政提案型")
    CITIZEN = "citizen", _("市民提案型")
    COURSE = "course", _("コース（市が定める名称）")


class Call(TimeStamped, Versioned):
    """One call for proposals (公募) of a fiscal year, or a year-round (通年) call with rolling review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("準備中")
        OPEN = "open", _("募集中")
        CLOSED = "closed", _("審査中")
        DECIDED = "decided", _("結果公表")

    title = models.CharField(_("名称"), max_length=200)
    call_type = models.CharField(_("種類"), max_length=20, choices=CallType.choices)
    course_name = models.CharField(
        _("コース名"), max_length=100, blank=True, help_text=_("種類が「コース」のとき。例: 育成コース")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    year_round = models.BooleanField(_("通年募集（随時審査）"), default=False)
    description = CappedTextField(_("募集の内容"), max_length=TEXT_LONG)
    eligibility = CappedTextField(_("応募できる団体"), max_length=TEXT_SHORT)
    groups_only = models.BooleanField(
        _("登録団体のみ応募できる"),
        default=True,
        help_text=_("外すと、市の課も提案者として応募できます（行政提案型のテーマの協働相手など）。"),
    )
    briefing_on = models.DateField(_("説明会"), null=True, blank=True)
    exchange_period = models.CharField(_("意見交換会の期間"), max_length=100, blank=True)
    deadline = models.DateTimeField(_("提案の締切"), null=True, blank=True, help_text=_("通年募集では空欄"))
    presentation_on = models.DateField(_("公開プレゼンテーション"), null=True, blank=True)
    decision_on = models.DateField(_("結果の決定"), null=True, blank=True)
    cap_per_project = models.PositiveBigIntegerField(_("1事業あたりの上限額（円）"))
    cap_total = models.PositiveBigIntegerField(_("公募全体の予算額（円）"))
    events = models.ManyToManyField(
        ExchangeEvent, verbose_name=_("この公募の説明会・意見交換会"), blank=True, related_name="proposal_calls"
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("審査委員"), blank=True, related_name="proposal_calls_reviewed"
    )
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    status_changed_at = models.DateTimeField(_("状態の変更日時"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("公募")
        verbose_name_plural = _("公募")
        ordering = ["-fiscal_year", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cap_per_project__lte=models.F("cap_total")), name="call_caps"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:call_detail", args=[self.pk])

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def type_label(self) -> str:
        return (
            self.course_name if self.call_type == CallType.COURSE and self.course_name else self.get_call_type_display()
        )


class CallTheme(models.Model):
    """A theme of a 行政提案型 call: a published collaboration theme (a department's need)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="themes")
    listing = models.ForeignKey(Listing, verbose_name=_("協働テーマ"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("公募テーマ")
        verbose_name_plural = _("公募テーマ")
        constraints = [models.UniqueConstraint(fields=["call", "listing"], name="call_theme_once")]

    def __str__(self):
        return self.listing.title


class Criterion(models.Model):
    """A review criterion of a call with its weight; each reviewer scores it 1–5."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("審査項目"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("配点の重み"), default=1, validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    class Meta:
        verbose_name = _("審査項目")
        verbose_name_plural = _("審査項目")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class RejectionReason(models.TextChoices):
    PUBLIC_INTEREST = "public_interest", _("公益性が十分でない")
    FEASIBILITY = "feasibility", _("実現性・実施体制に課題がある")
    ROLES = "roles", _("協働の役割分担が明確でない")
    BUDGET = "budget", _("予算の範囲を超える")
    DEPARTMENT = "department", _("担当課との調整が整っていない")
    OTHER = "other", _("その他")


class Proposal(TimeStamped, Versioned):
    """An application to a call, by a group (or a department for a 行政提案型 theme)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("提出済み")
        WITHDRAWN = "withdrawn", _("取下げ")
        REVIEWING = "reviewing", _("審査中")
        ADOPTED = "adopted", _("採択")
        CONDITIONAL = "conditional", _("条件付き採択")
        REJECTED = "rejected", _("不採択")

    call = models.ForeignKey(Call, verbose_name=_("公募"), on_delete=models.PROTECT, related_name="proposals")
    applicant = models.ForeignKey(Party, verbose_name=_("提案者"), on_delete=models.PROTECT, related_name="proposals")
    theme = models.ForeignKey(
        CallTheme, verbose_name=_("テーマ"), on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("担当課"), on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("事業名"), max_length=200)
    purpose = CappedTextField(_("目的"), blank=True, max_length=TEXT_SHORT)
    content = CappedTextField(_("事業内容"), blank=True, max_length=TEXT_LONG)
    local_problem = CappedTextField(_("地域の課題"), blank=True, max_length=TEXT_SHORT)
    beneficiaries = CappedTextField(_("受益者"), blank=True, max_length=TEXT_SHORT)
    public_interest = CappedTextField(_("公益性"), blank=True, max_length=TEXT_SHORT)
    roles = CappedTextField(_("役割分担"), blank=True, max_length=TEXT_SHORT)
    schedule = CappedTextField(_("スケジュール"), blank=True, max_length=TEXT_SHORT)
    track_record = CappedTextField(_("団体の活動実績"), blank=True, max_length=TEXT_SHORT)
    budget_total = models.PositiveBigIntegerField(_("事業額（円）"), null=True, blank=True)
    city_share_requested = models.PositiveBigIntegerField(_("市負担額の要望（円）"), null=True, blank=True)
    term_year = models.PositiveSmallIntegerField(_("実施年次"), choices=[(1, _("1年目")), (2, _("2年目"))], default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("1年目の提案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="continuations",
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("取下げ日時"), null=True, blank=True, editable=False)
    # The department in charge's view, stated before review.
    department_view = CappedTextField(_("担当課の意見"), blank=True, editable=False, max_length=TEXT_SHORT)
    department_view_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    department_view_at = models.DateTimeField(_("担当課の意見の日時"), null=True, blank=True, editable=False)
    # 公開プレゼンテーション
    presentation_order = models.PositiveSmallIntegerField(_("発表順"), null=True, blank=True, editable=False)
    presentation_at = models.DateTimeField(_("発表時刻"), null=True, blank=True, editable=False)
    # The decision
    adopted_amount = models.PositiveBigIntegerField(_("採択額（市負担額・円）"), null=True, blank=True, editable=False)
    conditions = CappedTextField(_("採択の条件"), blank=True, editable=False, max_length=TEXT_SHORT)
    rejection_category = models.CharField(
        _("不採択の理由（区分）"), max_length=20, choices=RejectionReason.choices, blank=True, editable=False
    )
    rejection_reason = CappedTextField(_("不採択の理由"), blank=True, editable=False, max_length=TEXT_SHORT)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True, editable=False)
    # After adoption: the project and, at the end of the term, the next step.
    project = models.ForeignKey(
        CollaborationProject,
        verbose_name=_("協働事業"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="proposals",
    )
    next_step = models.CharField(
        _("期間終了後の方向性"), max_length=20, choices=NextStep.choices, blank=True, editable=False
    )
    next_step_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    next_step_at = models.DateTimeField(_("方向性の記録日時"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["call", "presentation_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(city_share_requested__isnull=True)
                | models.Q(budget_total__isnull=True)
                | models.Q(city_share_requested__lte=models.F("budget_total")),
                name="proposal_city_share_within_budget",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:proposal_detail", args=[self.pk])

    @property
    def is_adopted(self) -> bool:
        return self.status in (self.Status.ADOPTED, self.Status.CONDITIONAL)

    @property
    def is_decided(self) -> bool:
        return self.is_adopted or self.status == self.Status.REJECTED


class ProposalAttachment(TimeStamped):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("ファイル"), upload_to=GeneratedName("proposal-files"), validators=[validate_document])
    original_name = models.CharField(_("元のファイル名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")

    def __str__(self):
        return self.original_name


class Review(TimeStamped):
    """One committee member's review of one proposal: a declared conflict of interest, or scores."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    conflict = models.BooleanField(_("利害関係あり（審査に加わらない）"), default=False)
    comment = CappedTextField(_("講評"), blank=True, max_length=TEXT_SHORT)

    class Meta:
        verbose_name = _("審査")
        verbose_name_plural = _("審査")
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="review_once_per_reviewer")]

    def __str__(self):
        return f"{self.proposal} / {self.reviewer}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("評点"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        verbose_name = _("評点")
        verbose_name_plural = _("評点")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="score_range"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"
