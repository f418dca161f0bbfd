"""The parties of collaboration (organizations and city departments) and the reference data."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.fields import PhoneField, TidyCharField
from core.i18n import in_reader_language
from core.models import TEXT_LONG, TEXT_SHORT, Analysed, CappedTextField, SearchQuerySet, TimeStamped, Versioned
from core.validators import GeneratedName, validate_image


class ActivityField(models.Model):
    """One of the 20 activity fields of the NPO Act's annex (特定非営利活動促進法 別表)."""

    number = models.PositiveSmallIntegerField(_("号"), unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("略称"), max_length=30)

    class Meta:
        verbose_name = _("活動分野")
        verbose_name_plural = _("活動分野")
        ordering = ["number"]

    def __str__(self):
        return gettext(self.short_name)  # the rows hold Japanese; reference.py marks them for translation


class CollaborationForm(models.Model):
    """One of the forms of collaboration (協働の形態), with the plain-language definition."""

    code = models.SlugField(_("コード"), unique=True)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    description = CappedTextField(_("説明"), max_length=TEXT_LONG)
    example = CappedTextField(_("例"), blank=True, max_length=TEXT_LONG)
    aliases = models.CharField(
        _("別名"), max_length=200, blank=True, help_text=_("読み込み時に受け付ける別名（、区切り）")
    )
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("協働の形態")
        verbose_name_plural = _("協働の形態")
        ordering = ["order"]

    def __str__(self):
        return gettext(self.name)


class Area(models.Model):
    """A district of the city (地区); 市全域 covers all of them."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    name_kana = models.CharField(_("よみがな"), max_length=100, blank=True)
    # The city names its districts; English pages show this name when it is set.
    name_en = models.CharField(_("英語の名称"), max_length=50, blank=True)
    is_citywide = models.BooleanField(_("市全域"), default=False)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["order", "name_kana"]

    def __str__(self):
        return in_reader_language(self.name, self.name_en)


class Party(models.Model):
    """A side of a collaboration: exactly one organization or one department.

    Listings, interests, matches, projects and events name their sides through Party, so that a
    match or project can mix groups, departments, universities and companies.
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("団体")
        DEPARTMENT = "department", _("担当課")

    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("当事者")
        verbose_name_plural = _("当事者")

    def __str__(self):
        return str(self.entity)

    @property
    def entity(self):
        """The Organization or Department this party stands for."""
        return self.organization if self.kind == self.Kind.ORGANIZATION else self.department

    @property
    def name(self) -> str:
        return self.entity.name

    @property
    def is_department(self) -> bool:
        return self.kind == self.Kind.DEPARTMENT


class PartyEntity(Analysed, TimeStamped):
    """Shared by Organization and Department: its Party row and its analysed texts."""

    party = models.OneToOneField(Party, on_delete=models.PROTECT, editable=False, related_name="%(class)s")

    party_kind = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Structural, not business: every entity has its party row.
        if not self.party_id:
            self.party = Party.objects.create(kind=self.party_kind)
        super().save(*args, **kwargs)


class ReviewStatus(models.TextChoices):
    """Coordinator review of a public profile."""

    DRAFT = "draft", _("下書き")
    PENDING = "pending", _("申請中")
    PUBLISHED = "published", _("公開")
    RETURNED = "returned", _("差戻し")


class OrganizationQuerySet(SearchQuerySet):
    def published(self):
        return self.filter(is_published=True)


class Organization(PartyEntity, Versioned):
    """A civic group, NPO, neighbourhood association, company, university … (団体)."""

    class Kind(models.TextChoices):
        NPO = "npo", _("NPO法人")
        VOLUNTARY = "voluntary", _("任意団体")
        NEIGHBORHOOD = "neighborhood", _("自治会・町内会")
        COMPANY = "company", _("企業")
        UNIVERSITY = "university", _("大学・教育機関")
        PUBLIC_INTEREST = "public_interest", _("公益法人")
        SOCIAL_WELFARE = "social_welfare", _("社会福祉法人")
        OTHER = "other", _("その他")

    party_kind = Party.Kind.ORGANIZATION
    search_fields = ("name", "name_kana", "description", "activities_summary")
    word_fields = ("name", "description", "activities_summary")

    name = TidyCharField(_("団体名"), max_length=200)
    name_kana = models.CharField(_("団体名（よみがな）"), max_length=200, help_text=_("ひらがなで入力してください。"))
    kind = models.CharField(_("団体の種別"), max_length=20, choices=Kind.choices)
    activity_fields = models.ManyToManyField(ActivityField, verbose_name=_("活動分野"), blank=True)
    open_forms = models.ManyToManyField(
        CollaborationForm, verbose_name=_("関心のある協働の形態"), blank=True, related_name="open_organizations"
    )
    area = models.ForeignKey(Area, verbose_name=_("主な活動地区"), on_delete=models.PROTECT, null=True, blank=True)
    description = CappedTextField(_("団体の紹介"), blank=True, max_length=TEXT_LONG)
    activities_summary = CappedTextField(_("主な活動内容"), blank=True, max_length=TEXT_LONG)
    founded_on = models.DateField(_("設立年月日"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("会員数"), null=True, blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    public_email = models.EmailField(_("公開用メールアドレス"), blank=True)
    public_phone = PhoneField(_("公開用電話番号"), max_length=30, blank=True)
    logo = models.ImageField(_("ロゴ画像"), upload_to=GeneratedName("logos"), blank=True, validators=[validate_image])
    is_published = models.BooleanField(_("公開中"), default=False, editable=False)
    review_status = models.CharField(
        _("審査状況"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["text_words"])  # derived, recomputed on save
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        ordering = ["name_kana", "id"]
        indexes = [
            models.Index(fields=["is_published", "name_kana"]),
            # The newest change stamps the directory's cached counts (core.stamped).
            models.Index(fields=["updated_at"], name="organization_updated_at_idx"),
            # Suggestions join published groups by id to their party: read from the index, not the rows.
            models.Index(
                fields=["id"], include=["party"], condition=Q(is_published=True), name="org_published_party_idx"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.pk])


class Department(PartyEntity, Versioned):
    """A section of city hall: a 部 (division) or a 課 (section) under one."""

    party_kind = Party.Kind.DEPARTMENT
    search_fields = ("name", "name_kana", "duties", "policies")
    word_fields = ("name", "duties", "policies")

    name = TidyCharField(_("名称"), max_length=100)
    name_kana = models.CharField(_("よみがな"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上位の部"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    duties = CappedTextField(_("所管業務"), blank=True, max_length=TEXT_LONG)
    policies = CappedTextField(_("協働したい施策・計画"), blank=True, max_length=TEXT_LONG)
    public_email = models.EmailField(_("公開用メールアドレス"), blank=True)
    public_phone = PhoneField(_("公開用電話番号"), max_length=30, blank=True)
    location = TidyCharField(_("所在地（庁舎・階）"), max_length=100, blank=True)
    is_coordinating_section = models.BooleanField(
        _("協働の調整部署"),
        default=False,
        help_text=_("市民自治推進課・市民活動サポートセンターなど、コーディネーターの所属"),
    )
    order = models.PositiveIntegerField(_("表示順"), default=0)

    history = HistoricalRecords(excluded_fields=["text_words"])  # derived, recomputed on save
    objects = SearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("担当課")
        verbose_name_plural = _("担当課")
        ordering = ["order", "name_kana", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="department_unique_name_in_parent"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="department_not_own_parent"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def is_division(self) -> bool:
        """A 部: a top-level unit with sections under it."""
        return self.parent_id is None

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} {self.name}" if self.parent_id else self.name

    def get_absolute_url(self):
        return reverse("organizations:department_detail", args=[self.pk])


class OrganizationMembership(TimeStamped):
    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("代表者")
        EDITOR = "editor", _("編集者")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_memberships"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.EDITOR)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("団体の構成員")
        verbose_name_plural = _("団体の構成員")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="unique_org_membership")]

    def __str__(self):
        return f"{self.organization} / {self.user} ({self.get_role_display()})"


class DepartmentMembership(TimeStamped):
    class Role(models.TextChoices):
        MANAGER = "manager", _("所属長（承認者）")
        STAFF = "staff", _("担当者")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="department_memberships")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.STAFF)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("担当課の職員")
        verbose_name_plural = _("担当課の職員")
        constraints = [models.UniqueConstraint(fields=["user", "department"], name="unique_dept_membership")]

    def __str__(self):
        return f"{self.department} / {self.user} ({self.get_role_display()})"


class ContactPerson(TimeStamped):
    """A private contact of an organization: never on public pages."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="contact_persons")
    name = TidyCharField(_("氏名"), max_length=100)
    name_kana = models.CharField(_("氏名（よみがな）"), max_length=100, blank=True)
    title = models.CharField(_("役職"), max_length=100, blank=True)
    phone = PhoneField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    is_primary = models.BooleanField(_("主たる連絡先"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("連絡担当者")
        verbose_name_plural = _("連絡担当者")
        ordering = ["-is_primary", "id"]

    def __str__(self):
        return self.name


class ProfileRevision(TimeStamped):
    """A proposed profile (new or edited) awaiting coordinator review.

    The Organization row keeps the last published version public while the proposal is reviewed;
    approving applies `data` to it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("申請中")
        APPROVED = "approved", _("承認")
        RETURNED = "returned", _("差戻し")
        SUPERSEDED = "superseded", _("再申請により置換")

    class Kind(models.TextChoices):
        PROFILE = "profile", _("団体情報の登録・変更")
        CLAIM = "claim", _("既存団体の管理者申請")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="revisions")
    kind = models.CharField(_("申請の種類"), max_length=20, choices=Kind.choices, default=Kind.PROFILE)
    data = models.JSONField(_("申請内容"))
    message = CappedTextField(_("申請者からのメッセージ"), blank=True, max_length=TEXT_LONG)
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("申請者")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("審査者"),
    )
    reviewed_at = models.DateTimeField(_("審査日時"), null=True, blank=True)
    return_reason = CappedTextField(_("差戻しの理由"), blank=True, max_length=TEXT_SHORT)

    class Meta:
        verbose_name = _("団体情報の申請")
        verbose_name_plural = _("団体情報の申請")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organization} ({self.get_status_display()})"


class Activity(TimeStamped):
    """An activity report shown on the group's public page (活動紹介)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="activities")
    title = TidyCharField(_("タイトル"), max_length=200)
    date_from = models.DateField(_("実施日（開始）"))
    date_to = models.DateField(_("実施日（終了）"), null=True, blank=True)
    place = models.CharField(_("場所"), max_length=200, blank=True)
    body = CappedTextField(_("内容"), max_length=TEXT_LONG)

    class Meta:
        verbose_name = _("活動紹介")
        verbose_name_plural = _("活動紹介")
        ordering = ["-date_from", "-id"]

    def __str__(self):
        return self.title


class ActivityPhoto(models.Model):
    MAX_PER_ACTIVITY = 4

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("写真"), upload_to=GeneratedName("activity-photos"), validators=[validate_image])
    alt_text = models.CharField(_("写真の説明（代替テキスト）"), max_length=200)

    class Meta:
        verbose_name = _("活動写真")
        verbose_name_plural = _("活動写真")

    def __str__(self):
        return self.alt_text


class Invitation(TimeStamped):
    """An e-mailed invitation to join a department (staff, coordinators) or an organization."""

    email = models.EmailField(_("招待先メールアドレス"))
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    role = models.CharField(_("役割"), max_length=20)
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField(_("有効期限"))
    accepted_at = models.DateTimeField(_("受諾日時"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("招待")
        verbose_name_plural = _("招待")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, organization__isnull=True)
                | Q(department__isnull=True, organization__isnull=False),
                name="invitation_one_target",
            )
        ]

    def __str__(self):
        return self.email

    @property
    def is_pending(self) -> bool:
        """Still usable: neither accepted, revoked nor expired."""
        return not (self.accepted_at or self.revoked_at) and self.expires_at > timezone.now()
