"""Pages of the survey. Thin: ask `surveys.workflow`, bind the form, call the service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ConflictError, PermissionDenied, TransitionError
from core.spreadsheets import XLSX_CONTENT_TYPE

from . import selectors, services, workflow
from .answers_io import export_answers
from .forms import OptionsForm, QuestionnaireForm, ReopenForm, SurveyOpenForm, default_deadline
from .models import ProjectAnswer, Survey, SurveyOption, SurveyResponse
from .questions import DEPARTMENT_QUESTIONS, PROJECT_QUESTIONS, QUESTIONS, with_other


def _coordinator_only(user):
    if not workflow.can_view_progress(user):
        raise PermissionDenied


@login_required
def index(request):
    """Coordinators: every survey with its 回収状況 and the form to open one. Staff: their questionnaires."""
    context = {"mine": list(selectors.responses_to_answer(request.user).select_related("survey", "department"))}
    if workflow.can_open_survey(request.user):
        context["surveys"] = selectors.surveys_with_counts()
        context["open_form"] = SurveyOpenForm(initial={"deadline": default_deadline()})
    else:
        context["answered"] = list(
            SurveyResponse.objects.for_departments(request.user.department_ids)
            .submitted()
            .select_related("survey", "department")
            .order_by("-survey__fiscal_year", "id")
        )
    return render(request, "surveys/survey_index.html", context)


@login_required
def survey_open(request):
    if not workflow.can_open_survey(request.user):
        raise PermissionDenied
    form = SurveyOpenForm(request.POST or None, initial={"deadline": default_deadline()})
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_open(actor=request.user, **form.cleaned_data)
        except TransitionError as e:
            form.add_error("fiscal_year", str(e))
        else:
            messages.success(request, _("調査を開始し、各課に通知しました。"))
            return redirect("surveys:detail", pk=survey.pk)
    return render(request, "surveys/survey_open.html", {"form": form})


@login_required
def detail(request, pk):
    """回収状況 of one survey (coordinators)."""
    _coordinator_only(request.user)
    survey = get_object_or_404(Survey, pk=pk)
    responses, counts = selectors.progress(survey)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "responses": responses,
            "counts": [(status, label, counts.get(status, 0)) for status, label in SurveyResponse.Status.choices],
            "actions": workflow.allowed_actions(request.user, survey),
            "can_remind": survey.is_open and any(r.status != SurveyResponse.Status.SUBMITTED for r in responses),
        },
    )


@login_required
@require_POST
def close(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    try:
        services.survey_close(actor=request.user, survey=survey)
        messages.success(request, _("調査を締め切りました。"))
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def remind(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    try:
        n = services.survey_remind(actor=request.user, survey=survey)
        messages.success(request, _("未提出の%(n)s課に督促を送りました。") % {"n": n})
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect("surveys:detail", pk=survey.pk)


@login_required
def response(request, pk):
    """A department's questionnaire: its members answer, save a draft and submit; coordinators read."""
    resp = get_object_or_404(SurveyResponse.objects.select_related("survey", "department__parent"), pk=pk)
    if not workflow.can_view_response(request.user, resp):
        raise PermissionDenied
    project_answers = selectors.project_answers_of(resp)
    actions = workflow.allowed_actions(request.user, resp)
    form = QuestionnaireForm(request.POST or None, response=resp, project_answers=project_answers)
    if request.method == "POST":
        submit = "submit" in request.POST
        try:
            workflow.check(request.user, resp, "response_submit" if submit else "response_save")
        except TransitionError as e:
            messages.error(request, str(e))
        else:
            if form.is_valid():
                service = services.response_submit if submit else services.response_save
                try:
                    service(
                        actor=request.user,
                        response=resp,
                        answers=form.department_answers(),
                        project_answers=form.project_answer_data(),
                        respondent=form.cleaned_data["respondent"],
                        expected_version=form.cleaned_data["version"],
                    )
                except ValidationError as e:
                    form.add_service_errors(e)
                except (TransitionError, ConflictError) as e:
                    messages.error(request, str(e))
                else:
                    messages.success(request, _("回答を提出しました。") if submit else _("下書きを保存しました。"))
                    return redirect("surveys:response", pk=resp.pk)
    return render(
        request,
        "surveys/response_form.html",
        {
            "resp": resp,
            "form": form,
            "actions": actions,
            "editable": "response_save" in actions,
            "reopen_form": ReopenForm() if "response_reopen" in actions else None,
            "events": resp.events.select_related("actor"),
        },
    )


@login_required
@require_POST
def start(request, pk):
    """A member of the department starts answering: the questionnaire counts as 開封済み."""
    resp = get_object_or_404(SurveyResponse.objects.select_related("survey"), pk=pk)
    try:
        services.response_view(actor=request.user, response=resp)
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect("surveys:response", pk=resp.pk)


@login_required
@require_POST
def reopen(request, pk):
    resp = get_object_or_404(SurveyResponse.objects.select_related("survey"), pk=pk)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            workflow.check(request.user, resp, "response_reopen")
            raise ValidationError(form.errors["reason"])
        services.response_reopen(actor=request.user, response=resp, reason=form.cleaned_data["reason"])
        messages.success(request, _("回答を差し戻しました。"))
    except ValidationError:
        messages.error(request, _("差し戻す理由を入力してください。"))
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect("surveys:response", pk=resp.pk)


@login_required
def free_text(request, pk):
    """The free-text answers (and その他 texts) by question: for coordinators, never public."""
    _coordinator_only(request.user)
    survey = get_object_or_404(Survey, pk=pk)
    responses = list(survey.responses.submitted().select_related("department"))
    project_answers = list(
        ProjectAnswer.objects.filter(response__in=responses).select_related("project", "response__department")
    )
    sections = []
    for q in PROJECT_QUESTIONS + DEPARTMENT_QUESTIONS:
        key = q.code if q.kind == "text" else f"{q.code}_other"
        source = project_answers if q.scope == "project" else responses
        items = [
            (
                r.response.department if q.scope == "project" else r.department,
                getattr(r, "project", None),
                r.answers[key],
            )
            for r in source
            if r.answers.get(key)
        ]
        title = q.label if q.kind == "text" else _("%(q)s（その他の内容）") % {"q": q.label}
        sections.append((title, items))
    return render(request, "surveys/free_text.html", {"survey": survey, "sections": sections})


@login_required
def export(request, pk):
    """The survey's answers in the import layout (sheets 事業別 and 課別)."""
    _coordinator_only(request.user)
    survey = get_object_or_404(Survey, pk=pk)
    response = HttpResponse(export_answers(survey), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.fiscal_year}.xlsx"'
    return response


@login_required
def options(request):
    """Coordinators edit the options offered by the surveys opened from now on."""
    _coordinator_only(request.user)
    stored = {}
    for o in SurveyOption.objects.order_by("order", "id"):
        stored.setdefault(o.question, []).append(o.label)
    posted = OptionsForm(request.POST or None)
    if request.method == "POST" and posted.is_valid():
        try:
            services.options_set(
                actor=request.user, question=posted.cleaned_data["question"], labels=posted.label_list()
            )
        except ValidationError as e:
            posted.add_error("labels", e.messages)
        else:
            messages.success(request, _("選択肢を保存しました。"))
            return redirect("surveys:options")
    forms_ = []
    for code, _label in SurveyOption.QUESTION_CHOICES:
        bound = posted if posted.is_bound and posted.data.get("question") == code else None
        form = bound or OptionsForm(initial={"question": code, "labels": "\n".join(stored.get(code, []))})
        forms_.append((QUESTIONS[code], with_other(code, stored.get(code, [])), form))
    return render(request, "surveys/options.html", {"forms": forms_})
