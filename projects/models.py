"""Collaboration projects and their three official records, check-ins and follow-up."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.japanese import fiscal_year_label
from core.models import TEXT_LONG, TEXT_SHORT, CappedTextField, TimeStamped, Versioned
from matching.models import Match
from organizations.models import CollaborationForm, Department, Party


class Origin(models.TextChoices):
    CITY = "city", _("市が発案")
    GROUP = "group", _("団体が発案")
    BOTH = "both", _("双方のやりとりから")
    OTHER = "other", _("その他")


class Outcome(models.TextChoices):
    GOOD = "good", _("成果が上がっている")
    POOR = "poor", _("成果は上がっていない")
    UNSURE = "unsure", _("どちらとも言えない")


class NextStep(models.TextChoices):
    DEPARTMENT = "department", _("担当課の事業として継続")
    GROUP = "group", _("団体の自主事業として継続")
    OTHER_FORM = "other_form", _("別の協働の形態で継続")
    REDUCED = "reduced", _("縮小")
    ENDED = "ended", _("終了")


class CollaborationProject(TimeStamped, Versioned):
    """A collaboration that the parties carry out together, from preparation to follow-up."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("準備中")
        AGREED = "agreed", _("確認書締結済")
        IN_PROGRESS = "in_progress", _("実施中")
        REVIEWING = "reviewing", _("ふりかえり中")
        COMPLETED = "completed", _("完了")
        FOLLOW_UP = "follow_up", _("アフターフォロー")

    class Route(models.TextChoices):
        """How the project came to the portal (きっかけ); who thought of it is `origin` (発案)."""

        DIRECT = "direct", _("コーディネーターが直接登録")
        MATCH = "match", _("マッチングの成立")
        PROPOSAL = "proposal", _("協働事業提案制度での採択")
        IMPORTED = "imported", _("過去記録から読込")

    title = models.CharField(_("事業名"), max_length=200)
    match = models.OneToOneField(
        Match, verbose_name=_("元のマッチング"), on_delete=models.PROTECT, null=True, blank=True, related_name="project"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("担当課"), on_delete=models.PROTECT, null=True, blank=True, related_name="projects"
    )
    forms = models.ManyToManyField(CollaborationForm, verbose_name=_("協働の形態"), blank=True)
    summary = CappedTextField(_("概要"), blank=True, max_length=TEXT_LONG)
    fiscal_year_start = models.PositiveSmallIntegerField(_("開始年度"))
    fiscal_year_end = models.PositiveSmallIntegerField(_("終了年度"), null=True, blank=True)
    budget_total = models.PositiveBigIntegerField(_("事業額（円）"), null=True, blank=True)
    city_share = models.PositiveBigIntegerField(_("市負担額（円）"), null=True, blank=True)
    origin = models.CharField(_("発案"), max_length=10, choices=Origin.choices, blank=True)
    route = models.CharField(_("きっかけ"), max_length=10, choices=Route.choices, default=Route.DIRECT, editable=False)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("担当コーディネーター"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_projects",
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.PREPARING, editable=False, db_index=True
    )
    outcome = models.CharField(_("成果"), max_length=10, choices=Outcome.choices, blank=True)
    continuation = models.CharField(_("継続状況"), max_length=20, choices=NextStep.choices, blank=True)
    started_on = models.DateField(_("開始日"), null=True, blank=True)
    completed_on = models.DateField(_("完了日"), null=True, blank=True)
    is_imported = models.BooleanField(_("過去記録から読込"), default=False, editable=False)
    import_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("協働事業")
        verbose_name_plural = _("協働事業")
        ordering = ["-fiscal_year_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(city_share__isnull=True)
                | models.Q(budget_total__isnull=True)
                | models.Q(city_share__lte=models.F("budget_total")),
                name="project_city_share_within_budget",
            )
        ]
        # The coordinators' dashboard: 準備中 projects, oldest first (overdue 事前確認シート parts).
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(status="preparing"),
                name="project_preparing_created_idx",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.pk])

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year_start)


class ProjectParticipant(models.Model):
    project = models.ForeignKey(CollaborationProject, on_delete=models.CASCADE, related_name="participants")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="project_participations")

    class Meta:
        verbose_name = _("協働事業の参加者")
        verbose_name_plural = _("協働事業の参加者")
        constraints = [models.UniqueConstraint(fields=["project", "party"], name="unique_project_participant")]

    def __str__(self):
        return f"{self.project} / {self.party}"


class PartStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("提出済み")
    RETURNED = "returned", _("差戻し")


class SheetPart(TimeStamped, Versioned):
    """One participant's part of a joint sheet (事前確認・ふりかえり): its own `sheet` and `participant`
    foreign keys and questions, and this status with who submitted it and why it was returned
    (projects.workflow's part workflows move it)."""

    status = models.CharField(_("状態"), max_length=20, choices=PartStatus.choices, default=PartStatus.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    return_reason = CappedTextField(_("差戻しの理由"), blank=True, max_length=TEXT_SHORT)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.sheet} / {self.participant.party}"


class PreConfirmationSheet(TimeStamped, Versioned):
    """事前確認シート: one part per participant, plus the joint section the coordinator completes."""

    project = models.OneToOneField(CollaborationProject, on_delete=models.PROTECT, related_name="pre_sheet")
    purpose_shared = models.BooleanField(_("目的が共有されている"), null=True, blank=True)
    chosen_form = models.ForeignKey(
        CollaborationForm,
        verbose_name=_("選んだ協働の形態"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    coordinator_note = CappedTextField(_("コーディネーターの所見"), blank=True, max_length=TEXT_SHORT)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("事前確認シート")
        verbose_name_plural = _("事前確認シート")

    def __str__(self):
        return f"{self.project} 事前確認シート"


class PreConfirmationPart(SheetPart):
    sheet = models.ForeignKey(PreConfirmationSheet, on_delete=models.PROTECT, related_name="parts")
    participant = models.ForeignKey(ProjectParticipant, on_delete=models.PROTECT, related_name="pre_parts")
    local_problem = CappedTextField(_("地域の課題"), blank=True, max_length=TEXT_SHORT)
    purpose = CappedTextField(_("目的"), blank=True, max_length=TEXT_SHORT)
    beneficiaries = CappedTextField(_("受益者"), blank=True, max_length=TEXT_SHORT)
    public_interest = CappedTextField(_("公益性"), blank=True, max_length=TEXT_SHORT)
    contribution = CappedTextField(_("自らが提供できること"), blank=True, max_length=TEXT_SHORT)
    expectations = CappedTextField(_("相手に期待すること"), blank=True, max_length=TEXT_SHORT)
    form_in_mind = models.ForeignKey(
        CollaborationForm,
        verbose_name=_("想定する協働の形態"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    roles = CappedTextField(_("役割分担の案"), blank=True, max_length=TEXT_SHORT)
    schedule = CappedTextField(_("スケジュール"), blank=True, max_length=TEXT_SHORT)
    costs = CappedTextField(_("費用の見込み"), blank=True, max_length=TEXT_SHORT)
    risks = CappedTextField(_("想定されるリスク"), blank=True, max_length=TEXT_SHORT)
    track_record = CappedTextField(_("活動実績（団体）"), blank=True, max_length=TEXT_SHORT)
    members_info = CappedTextField(_("会員・体制（団体）"), blank=True, max_length=TEXT_SHORT)
    finances = CappedTextField(_("財務状況（団体）"), blank=True, max_length=TEXT_SHORT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("事前確認シート（各当事者）")
        verbose_name_plural = _("事前確認シート（各当事者）")
        constraints = [models.UniqueConstraint(fields=["sheet", "participant"], name="unique_pre_part")]
        # The dashboards' parts still to submit: few of all parts, most are submitted.
        indexes = [
            models.Index(
                fields=["sheet"],
                condition=models.Q(status__in=[PartStatus.DRAFT, PartStatus.RETURNED]),
                name="pre_part_open_sheet_idx",
            )
        ]


class Agreement(TimeStamped, Versioned):
    """協働事業確認書. Fixed once every participant confirmed; a change is a new version (変更確認書)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        CONFIRMING = "confirming", _("確認中")
        FIXED = "fixed", _("締結済み")
        SUPERSEDED = "superseded", _("変更により失効")

    project = models.ForeignKey(CollaborationProject, on_delete=models.PROTECT, related_name="agreements")
    number = models.PositiveSmallIntegerField(_("版"), default=1)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    purpose = CappedTextField(_("目的"), max_length=TEXT_SHORT)
    content = CappedTextField(_("事業内容"), max_length=TEXT_LONG)
    period_start = models.DateField(_("期間（開始）"))
    period_end = models.DateField(_("期間（終了）"))
    forms = models.ManyToManyField(CollaborationForm, verbose_name=_("協働の形態"), blank=True)
    budget_total = models.PositiveBigIntegerField(_("事業額（円）"), null=True, blank=True)
    city_share = models.PositiveBigIntegerField(_("市負担額（円）"), null=True, blank=True)
    cost_note = CappedTextField(_("経費の分担"), blank=True, max_length=TEXT_SHORT)
    responsibility = CappedTextField(_("責任分担・事故対応"), blank=True, max_length=TEXT_SHORT)
    personal_data = CappedTextField(_("個人情報の取扱い"), blank=True, max_length=TEXT_SHORT)
    ownership = CappedTextField(_("成果物の帰属"), blank=True, max_length=TEXT_SHORT)
    meeting_frequency = models.CharField(_("定例の打ち合わせ"), max_length=100, blank=True)
    interim_review_on = models.DateField(_("中間評価の時期"), null=True, blank=True)
    amendment_termination = CappedTextField(_("変更・解除の手続き"), blank=True, max_length=TEXT_SHORT)
    change_reason = CappedTextField(_("変更の理由"), blank=True, max_length=TEXT_SHORT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    fixed_at = models.DateTimeField(_("締結日時"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("協働事業確認書")
        verbose_name_plural = _("協働事業確認書")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_agreement_version")]
        # The coordinators' dashboard: agreements in 確認中 for too long, oldest first.
        indexes = [
            models.Index(
                fields=["updated_at", "id"], condition=models.Q(status="confirming"), name="agreement_confirming_idx"
            )
        ]

    def __str__(self):
        label = _("協働事業確認書") if self.number == 1 else _("変更確認書")
        return f"{self.project} {label}（第{self.number}版）"


class AgreementRole(models.Model):
    class Assignee(models.TextChoices):
        CITY = "city", _("市")
        GROUP = "group", _("団体")
        JOINT = "joint", _("共同")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="roles")
    task = models.CharField(_("作業"), max_length=300)
    assignee = models.CharField(_("担当"), max_length=10, choices=Assignee.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("役割分担")
        verbose_name_plural = _("役割分担")
        ordering = ["order", "id"]

    def __str__(self):
        return self.task


class AgreementConfirmation(models.Model):
    """A participant's authorised person confirmed one version of the agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="confirmations")
    participant = models.ForeignKey(ProjectParticipant, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("確認日時"))

    class Meta:
        verbose_name = _("確認書の確認")
        verbose_name_plural = _("確認書の確認")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "participant"], name="unique_agreement_confirmation")
        ]

    def __str__(self):
        return f"{self.agreement} / {self.participant.party}"


class CheckIn(TimeStamped):
    """A regular check-in during the work; `is_interim_review` marks the 中間評価."""

    project = models.ForeignKey(CollaborationProject, on_delete=models.CASCADE, related_name="checkins")
    held_on = models.DateField(_("実施日"))
    is_interim_review = models.BooleanField(_("中間評価"), default=False)
    done = CappedTextField(_("実施したこと"), max_length=TEXT_SHORT)
    issues = CappedTextField(_("課題"), blank=True, max_length=TEXT_SHORT)
    next_steps = CappedTextField(_("次に行うこと"), blank=True, max_length=TEXT_SHORT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("進捗確認")
        verbose_name_plural = _("進捗確認")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.project} {self.held_on}"


class ReviewSheet(TimeStamped, Versioned):
    """ふりかえりシート: each participant evaluates separately; the coordinator records agreed points."""

    project = models.OneToOneField(CollaborationProject, on_delete=models.PROTECT, related_name="review_sheet")
    agreed_improvements = CappedTextField(_("合意した改善点"), blank=True, max_length=TEXT_SHORT)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finalized_at = models.DateTimeField(_("確定日時"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ふりかえりシート")
        verbose_name_plural = _("ふりかえりシート")

    def __str__(self):
        return f"{self.project} ふりかえりシート"


def score_field(label):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class ReviewPart(SheetPart):
    sheet = models.ForeignKey(ReviewSheet, on_delete=models.PROTECT, related_name="parts")
    participant = models.ForeignKey(ProjectParticipant, on_delete=models.PROTECT, related_name="review_parts")
    goal_achievement = score_field(_("目標の達成度"))
    goal_comment = CappedTextField(_("達成度についてのコメント"), blank=True, max_length=TEXT_SHORT)
    equal_standing = score_field(_("対等な関係"))
    shared_goal = score_field(_("目的の共有"))
    role_split = score_field(_("役割分担"))
    information_sharing = score_field(_("情報共有"))
    trust = score_field(_("信頼関係"))
    went_well = CappedTextField(_("良かった点"), blank=True, max_length=TEXT_SHORT)
    problems = CappedTextField(_("課題・問題点"), blank=True, max_length=TEXT_SHORT)
    improvements = CappedTextField(_("改善策"), blank=True, max_length=TEXT_SHORT)
    handover = CappedTextField(_("申し送り事項"), blank=True, max_length=TEXT_SHORT)
    next_step = models.CharField(_("今後の方向性"), max_length=20, choices=NextStep.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ふりかえりシート（各当事者）")
        verbose_name_plural = _("ふりかえりシート（各当事者）")
        constraints = [models.UniqueConstraint(fields=["sheet", "participant"], name="unique_review_part")]
        indexes = [
            models.Index(
                fields=["sheet"],
                condition=models.Q(status__in=[PartStatus.DRAFT, PartStatus.RETURNED]),
                name="review_part_open_sheet_idx",
            )
        ]


class FollowUp(TimeStamped):
    """アフターフォロー at about 1, 2 and 3 years after completion."""

    project = models.ForeignKey(CollaborationProject, on_delete=models.CASCADE, related_name="follow_ups")
    years_after = models.PositiveSmallIntegerField(_("完了後の年数"))
    due_on = models.DateField(_("予定日"))
    recorded_on = models.DateField(_("記録日"), null=True, blank=True)
    continued = models.BooleanField(_("継続している"), null=True, blank=True)
    continuation = models.CharField(_("継続の形"), max_length=20, choices=NextStep.choices, blank=True)
    budget_note = models.CharField(_("予算"), max_length=300, blank=True)
    contact_kept = models.BooleanField(_("連絡を継続している"), null=True, blank=True)
    note = CappedTextField(_("メモ"), blank=True, max_length=TEXT_SHORT)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("通知日時"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("アフターフォロー")
        verbose_name_plural = _("アフターフォロー")
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["project", "years_after"], name="unique_follow_up_year")]
        # The coordinators' dashboard and the reminders: follow-ups not recorded yet, by due date.
        indexes = [
            models.Index(
                fields=["due_on", "id"], condition=models.Q(recorded_on__isnull=True), name="follow_up_open_due_idx"
            )
        ]

    def __str__(self):
        return f"{self.project} {self.years_after}年後"


class CaseStudy(TimeStamped):
    """A completed project published as a public case page (事例), with every participant's consent."""

    project = models.OneToOneField(CollaborationProject, on_delete=models.PROTECT, related_name="case_study")
    summary = CappedTextField(_("概要"), max_length=TEXT_LONG)
    contributions = CappedTextField(_("各当事者が持ち寄ったもの"), blank=True, max_length=TEXT_LONG)
    is_published = models.BooleanField(_("公開中"), default=False, editable=False)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("協働事例")
        verbose_name_plural = _("協働事例")

    def __str__(self):
        return f"{self.project} 事例"


class CaseStudyConsent(models.Model):
    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="consents")
    participant = models.ForeignKey(ProjectParticipant, on_delete=models.PROTECT, related_name="+")
    consented_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    consented_at = models.DateTimeField(_("同意日時"))

    class Meta:
        verbose_name = _("事例公開への同意")
        verbose_name_plural = _("事例公開への同意")
        constraints = [models.UniqueConstraint(fields=["case_study", "participant"], name="unique_case_consent")]

    def __str__(self):
        return f"{self.case_study} / {self.participant.party}"
