"""The annual collaboration survey: one Survey per fiscal year, one SurveyResponse per department,
one ProjectAnswer per project the department is asked about. States and who may change them are
declared in `surveys.workflow`; every change goes through `surveys.services` and leaves a SurveyEvent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.japanese import fiscal_year_label
from core.models import TEXT_SHORT, CappedTextField, TimeStamped, Versioned
from organizations.models import Department
from projects.models import CollaborationProject

from .questions import QUESTIONS


class SurveyOption(models.Model):
    """One choice of a survey question, editable by coordinators for the next surveys."""

    QUESTION_CHOICES = [(q.code, q.label) for q in QUESTIONS.values() if q.is_choice and q.code != "wanted_forms"]

    question = models.CharField(_("質問"), max_length=40, choices=QUESTION_CHOICES)
    label = models.CharField(_("選択肢"), max_length=200)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("調査の選択肢")
        verbose_name_plural = _("調査の選択肢")
        ordering = ["question", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "label"], name="survey_option_unique_label")]

    def __str__(self):
        return f"{self.get_question_display()}: {self.label}"


class Survey(TimeStamped):
    """The survey of one fiscal year's collaboration (the year surveyed, not the year it is sent)."""

    class Status(models.TextChoices):
        OPEN = "open", _("回答受付中")
        CLOSED = "closed", _("締切済み")

    fiscal_year = models.PositiveSmallIntegerField(_("調査対象年度"), unique=True)
    deadline = models.DateField(_("回答期限"))
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False)
    # {question code: [option labels]} as offered when the survey was opened (その他 included).
    options = models.JSONField(_("選択肢"), default=dict, editable=False)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    closed_at = models.DateTimeField(_("締切日時"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("協働事業実態調査")
        verbose_name_plural = _("協働事業実態調査")
        ordering = ["-fiscal_year"]

    def __str__(self):
        return str(_("%(year)s 協働事業実態調査") % {"year": fiscal_year_label(self.fiscal_year)})

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=SurveyResponse.Status.SUBMITTED)

    def for_departments(self, department_ids):
        return self.filter(department_id__in=department_ids)


class SurveyResponse(TimeStamped, Versioned):
    """One department's questionnaire in one survey; its category (①–④) is fixed when it is sent."""

    class Status(models.TextChoices):
        NOT_OPENED = "not_opened", _("未開封")
        OPENED = "opened", _("開封済み")
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("提出済み")

    class Category(models.IntegerChoices):
        CURRENT = 1, _("① 現在も協働を実施している課")
        LAST_YEAR_ONLY = 2, _("② 直近1年間のみ協働を実施している課")
        PAST_ONLY = 3, _("③ 過去に協働を実施していたが、現在は協働がみられない課")
        NEVER = 4, _("④ 一度も協働を実施したことのない課")

    survey = models.ForeignKey(Survey, verbose_name=_("調査"), on_delete=models.CASCADE, related_name="responses")
    department = models.ForeignKey(
        Department, verbose_name=_("担当課"), on_delete=models.PROTECT, related_name="survey_responses"
    )
    category = models.PositiveSmallIntegerField(_("属性"), choices=Category.choices)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.NOT_OPENED, editable=False, db_index=True
    )
    answers = models.JSONField(_("課の回答"), default=dict, blank=True)
    respondent = models.CharField(_("回答者"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    last_reminded_at = models.DateTimeField(_("最終督促日時"), null=True, blank=True, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("調査の回答（課）")
        verbose_name_plural = _("調査の回答（課）")
        ordering = ["survey", "department__order", "department__name_kana", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "department"], name="survey_response_unique_department"),
            models.CheckConstraint(condition=models.Q(category__gte=1, category__lte=4), name="survey_category_1_4"),
        ]

    def __str__(self):
        return f"{self.survey} / {self.department}"

    @property
    def has_record(self) -> bool:
        """協働実績有り: the department collaborated up to the surveyed year (①–③)."""
        return self.category != self.Category.NEVER


class ProjectAnswer(models.Model):
    """The answers about one project of the department (prefilled from the project when shown)."""

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("課の回答"), on_delete=models.CASCADE, related_name="project_answers"
    )
    project = models.ForeignKey(
        CollaborationProject, verbose_name=_("協働事業"), on_delete=models.PROTECT, related_name="survey_answers"
    )
    answers = models.JSONField(_("回答"), default=dict, blank=True)

    class Meta:
        verbose_name = _("調査の回答（事業別）")
        verbose_name_plural = _("調査の回答（事業別）")
        ordering = ["response", "project__title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "project"], name="survey_project_answer_unique"),
        ]

    def __str__(self):
        return f"{self.response} / {self.project}"


class SurveyEvent(models.Model):
    """Who did what to a survey or a department's answer, and when (the log of every state change)."""

    class Action(models.TextChoices):
        OPENED = "survey_open", _("調査を開始")
        CLOSED = "survey_close", _("調査を締切")
        VIEWED = "response_view", _("回答を開封")
        SAVED = "response_save", _("下書きを保存")
        SUBMITTED = "response_submit", _("回答を提出")
        REOPENED = "response_reopen", _("提出済みの回答を差し戻し")
        REMINDED = "response_remind", _("督促")
        IMPORTED = "response_import", _("過去の調査から読込")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="events")
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = CappedTextField(_("理由・メモ"), blank=True, max_length=TEXT_SHORT)
    at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("調査の記録")
        verbose_name_plural = _("調査の記録")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"
