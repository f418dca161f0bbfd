"""Project pages: thin views that check permission, bind the form, call a service, redirect or render."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_coordinator_or_admin
from core.exceptions import ConflictError, PermissionDenied, TransitionError
from core.params import id_param

from . import permissions, sections, selectors, services
from .forms import (
    AgreementForm,
    AmendForm,
    CaseStudyForm,
    CheckInForm,
    CompleteForm,
    FollowUpForm,
    PreConfirmationPartForm,
    PreSheetConfirmForm,
    ProjectCreateForm,
    ProjectFilterForm,
    ProjectTitleForm,
    ReturnForm,
    ReviewPartForm,
    RoleFormSet,
    StartForm,
    roles_from,
)
from .models import (
    Agreement,
    CaseStudy,
    CollaborationProject,
    FollowUp,
    PreConfirmationPart,
    PreConfirmationSheet,
    ProjectParticipant,
    ReviewPart,
    ReviewSheet,
)
from .pdf import PdfRenderError, render_pdf
from .services import PRE_PART_FIELDS, REVIEW_PART_FIELDS, REVIEW_SCORE_FIELDS, score_text
from .workflow import AGREEMENT, PRE_PART, PROJECT_LIFECYCLE, REVIEW_PART

logger = logging.getLogger(__name__)

PARTY_RELATED = ("participant__party__organization", "participant__party__department")


def _project_or_404(request, pk, *, loader=None) -> CollaborationProject:
    try:
        project = (loader or selectors.project_for_detail)(pk)
    except CollaborationProject.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_project(request.user, project):
        raise Http404
    return project


def _simple_project(pk):
    return CollaborationProject.objects.prefetch_related(
        Prefetch(
            "participants",
            queryset=ProjectParticipant.objects.select_related("party__organization", "party__department"),
        )
    ).get(pk=pk)


def _with_version(request, current_version: int, prefix: str = ""):
    """The user's own input with the version they have now seen, so a deliberate second save can succeed."""
    data = request.POST.copy()
    data[f"{prefix}-version" if prefix else "version"] = str(current_version)
    return data


def _save_part(request, part, form_class, save, fields, **form_kwargs):
    """Bind a sheet part's form (事前確認シート or ふりかえりシート) and save it through the service `save`.

    Returns (form, conflict, saved). On a version conflict the form is bound again to the user's own
    input with the current version, and `conflict` is the part as it is now, shown beside the form.
    """
    prefix = f"part{part.pk}"
    submit = "submit" in request.POST
    form_kwargs["submitting"] = submit
    form = form_class(request.POST, instance=part, prefix=prefix, **form_kwargs)
    if not form.is_valid():
        return form, None, False
    data = {k: v for k, v in form.cleaned_data.items() if k in fields}
    try:
        save(actor=request.user, part=part, data=data, version=form.cleaned_data["version"], submit=submit)
    except ConflictError as e:
        form = form_class(
            _with_version(request, e.current.version, prefix), instance=part, prefix=prefix, **form_kwargs
        )
        form.is_valid()
        form.add_error(None, str(e))
        return form, e.current, False
    except TransitionError as e:
        form.add_error(None, str(e))
        return form, None, False
    messages.success(request, _("提出しました。") if submit else _("下書きを保存しました。"))
    return form, None, True


def _rows(obj, fields):
    rows = []
    for name in fields:
        field = obj._meta.get_field(name)
        value = getattr(obj, f"get_{name}_display")() if field.choices else getattr(obj, name)
        if name in REVIEW_SCORE_FIELDS:
            value = score_text(value)
        rows.append((str(field.verbose_name), "" if value is None else value))
    return rows


# ---------------------------------------------------------------------------------------------
# List, create, detail


@login_required
def project_list(request):
    is_coordinator = is_coordinator_or_admin(request.user)
    years = (
        CollaborationProject.objects.order_by("-fiscal_year_start")
        .values_list("fiscal_year_start", flat=True)
        .distinct()
        if is_coordinator
        else []
    )
    form = ProjectFilterForm(request.GET or None, years=years)
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.project_list(
        request.user,
        status=filters.get("status") or "",
        fiscal_year=filters.get("fiscal_year") if is_coordinator else None,
        department_id=filters["department"].pk if is_coordinator and filters.get("department") else None,
    )
    return render(
        request,
        "projects/collaborationproject_list.html",
        {"projects": projects[:200], "filter_form": form, "is_coordinator": is_coordinator, "count": projects.count()},
    )


@login_required
def project_create(request):
    if not permissions.can_create_project(request.user):
        raise PermissionDenied
    form = ProjectCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = services.project_create(
                actor=request.user,
                title=d["title"],
                parties=form.parties(),
                department=d["department"],
                forms=d["forms"],
                summary=d["summary"],
                fiscal_year_start=d["fiscal_year_start"],
                fiscal_year_end=d["fiscal_year_end"],
                budget_total=d["budget_total"],
                city_share=d["city_share"],
                origin=d["origin"],
            )
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("協働事業を登録しました。"))
            return redirect(project)
    return render(request, "projects/collaborationproject_form.html", {"form": form})


@login_required
def project_detail(request, pk):
    project = _project_or_404(request, pk)
    user = request.user
    manage = permissions.can_manage_project(user, project)
    participants = list(project.participants.all())
    sheet = getattr(project, "pre_sheet", None)
    pre_parts = selectors.sheet_parts(sheet, participants)
    review_sheet = getattr(project, "review_sheet", None)
    review_parts = selectors.sheet_parts(review_sheet, participants)
    agreements = list(project.agreements.all())
    current = agreements[-1] if agreements else None
    interim_on = next((a.interim_review_on for a in reversed(agreements) if a.status == Agreement.Status.FIXED), None)
    case = getattr(project, "case_study", None)
    context = {
        "project": project,
        "participants": participants,
        "fiscal_years": selectors.fiscal_years(project),
        "pre_sheet": sheet,
        "pre_parts": pre_parts,
        "agreements": agreements,
        "current_agreement": current,
        "review_sheet": review_sheet,
        "review_parts": review_parts,
        "checkins": list(project.checkins.all()),
        "follow_ups": list(project.follow_ups.all()),
        "next_step": selectors.next_step(project, pre_parts=pre_parts, review_parts=review_parts, agreement=current),
        "can_manage": manage,
        "can_rename": permissions.can_rename_project(user, project),
        "actions": PROJECT_LIFECYCLE.allowed_actions(user, project),
        "checkin_form": CheckInForm(initial={"held_on": timezone.localdate()}),
        "start_form": StartForm(initial={"started_on": timezone.localdate()}),
        "interim_review_on": interim_on,
        "agreement_in_force": next((a for a in reversed(agreements) if a.status == Agreement.Status.FIXED), None),
        "interim_done": any(c.is_interim_review for c in project.checkins.all()),
        "interim_due": interim_on is not None and interim_on <= timezone.localdate(),
        "case_study": case,
        "sections": sections.render_all(request, project),
        "history": list(project.history.select_related("history_user").order_by("-history_date", "-history_id")[:20]),
        "Status": CollaborationProject.Status,
    }
    return render(request, "projects/collaborationproject_detail.html", context)


@login_required
def project_rename(request, pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    if not permissions.can_rename_project(request.user, project):
        raise PermissionDenied
    form = ProjectTitleForm(request.POST or None, initial={"title": project.title, "version": project.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.project_rename(
                actor=request.user,
                project=project,
                title=form.cleaned_data["title"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as e:
            form.add_error("title", e.message_dict.get("title", e.messages))
        except ConflictError as e:
            form = ProjectTitleForm(_with_version(request, e.current.version))
            form.add_error(None, str(e))
        else:
            messages.success(request, _("事業名を変更しました。"))
            return redirect(project)
    return render(request, "projects/collaborationproject_rename.html", {"project": project, "form": form})


@login_required
@require_POST
def project_start(request, pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    form = StartForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("started_on", []):
            messages.error(request, _("開始日：%(error)s") % {"error": error})
        return redirect(project)
    try:
        services.project_start(actor=request.user, project=project, **form.cleaned_data)
        messages.success(request, _("事業を開始しました。"))
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect(project)


@login_required
@require_POST
def checkin_create(request, pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    if not permissions.can_view_project(request.user, project):
        raise PermissionDenied
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.checkin_add(actor=request.user, project=project, **form.cleaned_data)
            messages.success(request, _("進捗確認を記録しました。"))
        except TransitionError as e:
            messages.error(request, str(e))
    else:
        messages.error(
            request,
            _("進捗確認を記録できませんでした: %(e)s")
            % {"e": " ".join(m for errs in form.errors.values() for m in errs)},
        )
    return redirect(project)


@login_required
def follow_up_record(request, pk, follow_up_pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    follow_up = get_object_or_404(FollowUp, pk=follow_up_pk, project=project)
    if not permissions.can_record_follow_up(request.user, project):  # the state is checked on saving
        raise PermissionDenied
    form = FollowUpForm(request.POST or None, instance=follow_up, initial={"recorded_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_record(actor=request.user, follow_up=follow_up, **form.cleaned_data)
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("アフターフォローを記録しました。"))
            return redirect(project)
    return render(request, "projects/followup_form.html", {"project": project, "follow_up": follow_up, "form": form})


# ---------------------------------------------------------------------------------------------
# 事前確認シート


def _pre_parts(user, sheet) -> list:
    """The sheet's parts, each marked `readable` (permissions.readable_parts) and, if so, given its rows."""
    parts = list(sheet.parts.select_related(*PARTY_RELATED, "form_in_mind", "submitted_by").order_by("participant_id"))
    readable = {p.pk for p in permissions.readable_parts(user, parts)}
    for part in parts:
        part.readable = part.pk in readable
        part.rows = _rows(part, services.pre_part_fields(part.participant.party)) if part.readable else []
        part.actions = PRE_PART.allowed_actions(user, part)
    return parts


def _pre_sheet_context(request, project, bound=None, conflict=None):
    sheet = PreConfirmationSheet.objects.select_related("chosen_form", "confirmed_by").get(project=project)
    sheet.project = project
    parts = _pre_parts(request.user, sheet)
    editable_phase = project.status == CollaborationProject.Status.PREPARING and not sheet.confirmed_at
    for part in parts:
        part.editable = "save" in part.actions
        if part.editable:
            if bound is not None and bound.instance.pk == part.pk:
                part.form = bound
            else:
                part.form = PreConfirmationPartForm(
                    instance=part,
                    initial={"version": part.version},
                    prefix=f"part{part.pk}",
                    party=part.participant.party,
                )
    manage = permissions.can_manage_project(request.user, project)
    return {
        "project": project,
        "sheet": sheet,
        "parts": parts,
        "can_manage": manage,
        "all_submitted": permissions.all_parts_submitted(parts),
        "confirm_form": PreSheetConfirmForm(
            initial={
                "version": sheet.version,
                "purpose_shared": sheet.purpose_shared,
                "chosen_form": sheet.chosen_form_id,
                "coordinator_note": sheet.coordinator_note,
            }
        )
        if manage and editable_phase
        else None,
        "return_form": ReturnForm(),
        "conflict": conflict,
        "conflict_rows": _rows(conflict, PRE_PART_FIELDS) if conflict else None,
    }


@login_required
def pre_sheet(request, pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    if not PreConfirmationSheet.objects.filter(project=project).exists():
        raise Http404
    bound = conflict = None
    if request.method == "POST":
        part = get_object_or_404(
            PreConfirmationPart.objects.select_related(*PARTY_RELATED, "sheet__project"),
            pk=id_param(request.POST.get("part")),
            sheet__project=project,
        )
        if not permissions.can_edit_part(request.user, part):
            raise PermissionDenied
        bound, conflict, saved = _save_part(
            request,
            part,
            PreConfirmationPartForm,
            services.pre_part_save,
            services.pre_part_fields(part.participant.party),
            party=part.participant.party,
        )
        if saved:
            return redirect("projects:pre_sheet", pk=project.pk)
    context = _pre_sheet_context(request, project, bound=bound, conflict=conflict)
    return render(request, "projects/preconfirmationsheet_detail.html", context, status=409 if conflict else 200)


@login_required
@require_POST
def pre_sheet_confirm(request, pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    if not permissions.can_manage_project(request.user, project):
        raise PermissionDenied
    sheet = get_object_or_404(PreConfirmationSheet, project=project)
    form = PreSheetConfirmForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.pre_sheet_confirm(
                actor=request.user,
                sheet=sheet,
                purpose_shared=d["purpose_shared"],
                chosen_form=d["chosen_form"],
                note=d["coordinator_note"],
                version=d["version"],
            )
            messages.success(request, _("事前確認シートを確認しました。"))
        except (TransitionError, ConflictError) as e:
            messages.error(request, str(e))
    else:
        messages.error(request, _("選んだ協働の形態を入力してください。"))
    return redirect("projects:pre_sheet", pk=project.pk)


@login_required
@require_POST
def pre_part_return(request, pk, part_pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    if not permissions.can_manage_project(request.user, project):
        raise PermissionDenied
    part = get_object_or_404(
        PreConfirmationPart.objects.select_related("sheet__project"), pk=part_pk, sheet__project=project
    )
    form = ReturnForm(request.POST)
    try:
        services.pre_part_return(actor=request.user, part=part, reason=form.data.get("reason", ""))
        messages.success(request, _("差し戻しました。"))
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect("projects:pre_sheet", pk=project.pk)


# ---------------------------------------------------------------------------------------------
# 協働事業確認書


def _agreement_context(request, project, agreement, form=None, formset=None, conflict=None):
    user = request.user
    versions = list(project.agreements.order_by("number"))
    actions = AGREEMENT.allowed_actions(user, agreement) if agreement is not None else set()
    if agreement is not None and agreement.number != versions[-1].number:
        actions = set()  # an older version is read only (the services refuse it by its status)
    editable = "edit" in actions
    if editable and form is None:
        form = AgreementForm(instance=agreement, initial={"version": agreement.version})
        formset = RoleFormSet(
            initial=[{"task": r.task, "assignee": r.assignee} for r in agreement.roles.all()], prefix="roles"
        )
    confirmations = {c.participant_id: c for c in agreement.confirmations.all()} if agreement else {}
    participants = list(project.participants.all())
    for p in participants:
        p.confirmation = confirmations.get(p.pk)
        p.can_confirm = "confirm" in actions and p.confirmation is None and permissions.can_confirm_for(user, p)
    previous = next((v for v in versions if agreement and v.number == agreement.number - 1), None)
    manage = permissions.can_manage_project(user, project)
    sheet = PreConfirmationSheet.objects.filter(project=project).first()
    return {
        "project": project,
        "agreement": agreement,
        "versions": versions,
        "participants": participants,
        "form": form if editable else None,
        "formset": formset if editable else None,
        "can_manage": manage,
        "can_draft": not versions and PROJECT_LIFECYCLE.can(user, project, "draft_agreement"),
        "sheet_confirmed": bool(sheet and sheet.confirmed_at),
        "can_send": "send" in actions,
        "can_withdraw": "withdraw" in actions,
        "can_amend": "amend" in actions,
        "amend_form": AmendForm(),
        "changes": selectors.agreement_changes(previous, agreement) if previous else None,
        "previous": previous,
        "conflict": conflict,
    }


@login_required
def agreement(request, pk, number=None):
    project = _project_or_404(request, pk, loader=_simple_project)
    current = selectors.agreement_with_related(project, number)
    if number is not None and current is None:
        raise Http404
    form = formset = conflict = None
    if request.method == "POST":
        if current is None or not permissions.can_edit_agreement(request.user, current):
            raise PermissionDenied
        form = AgreementForm(request.POST, instance=current)
        formset = RoleFormSet(request.POST, prefix="roles")
        if form.is_valid() and formset.is_valid():
            try:
                services.agreement_save(
                    actor=request.user,
                    agreement=current,
                    data=form.service_data(),
                    roles=roles_from(formset),
                    forms=form.cleaned_data["forms"],
                    version=form.cleaned_data["version"],
                )
            except ConflictError as e:
                conflict = selectors.agreement_with_related(project, e.current.number)
                form = AgreementForm(_with_version(request, e.current.version), instance=current)
                form.is_valid()
                form.add_error(None, str(e))
            except TransitionError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("確認書を保存しました。"))
                return redirect("projects:agreement", pk=project.pk)
        current = selectors.agreement_with_related(project, current.number)
    context = _agreement_context(request, project, current, form=form, formset=formset, conflict=conflict)
    return render(request, "projects/agreement_detail.html", context, status=409 if conflict else 200)


def _agreement_action(request, pk, action):
    project = _project_or_404(request, pk, loader=_simple_project)
    try:
        action(project)
    except (TransitionError, ConflictError) as e:
        messages.error(request, str(e))
    return redirect("projects:agreement", pk=project.pk)


def _latest_agreement(project) -> Agreement:
    """The newest version for an agreement button; a TransitionError (shown as a message) if there is none."""
    agreement = selectors.agreement_with_related(project)
    if agreement is None:
        raise TransitionError(_("この事業にはまだ協働事業確認書がありません。"))
    return agreement


@login_required
@require_POST
def agreement_draft(request, pk):
    def act(project):
        services.agreement_draft(actor=request.user, project=project)
        messages.success(request, _("事前確認シートから確認書を作成しました。"))

    return _agreement_action(request, pk, act)


@login_required
@require_POST
def agreement_send(request, pk):
    def act(project):
        services.agreement_send(actor=request.user, agreement=_latest_agreement(project))
        messages.success(request, _("各当事者に確認を依頼しました。"))

    return _agreement_action(request, pk, act)


@login_required
@require_POST
def agreement_confirm(request, pk):
    def act(project):
        participant = get_object_or_404(
            ProjectParticipant, pk=id_param(request.POST.get("participant")), project=project
        )
        services.agreement_confirm(actor=request.user, agreement=_latest_agreement(project), participant=participant)
        messages.success(request, _("確認書を確認しました。"))

    return _agreement_action(request, pk, act)


@login_required
@require_POST
def agreement_amend(request, pk):
    def act(project):
        form = AmendForm(request.POST)
        services.agreement_amend(
            actor=request.user,
            agreement=_latest_agreement(project),
            change_reason=form.data.get("change_reason", ""),
        )
        messages.success(request, _("変更確認書を作成しました。内容を修正して確認に回してください。"))

    return _agreement_action(request, pk, act)


@login_required
@require_POST
def agreement_withdraw(request, pk):
    def act(project):
        services.agreement_withdraw(actor=request.user, agreement=_latest_agreement(project))
        messages.success(request, _("変更確認書を取り下げました。締結済みの確認書が引き続き有効です。"))

    return _agreement_action(request, pk, act)


# ---------------------------------------------------------------------------------------------
# ふりかえりシート


def _review_parts(user, sheet):
    """(all parts, the parts whose answers `user` may read with their rows, the comparison or None).

    One rule for the page, the print view and the PDF: permissions.readable_parts (blind: another party's
    answers only once everyone has submitted) and permissions.can_compare_review.
    """
    parts = list(sheet.parts.select_related(*PARTY_RELATED, "submitted_by").order_by("participant_id"))
    visible = permissions.readable_parts(user, parts, blind=True)
    for part in visible:
        part.rows = _rows(part, REVIEW_PART_FIELDS)
    comparison = selectors.review_comparison(parts) if permissions.can_compare_review(parts) else None
    return parts, visible, comparison


@login_required
def review_sheet(request, pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    sheet = ReviewSheet.objects.filter(project=project).select_related("finalized_by").first()
    manage = permissions.can_manage_project(request.user, project)
    if sheet is None:
        return render(
            request,
            "projects/reviewsheet_detail.html",
            {
                "project": project,
                "sheet": None,
                "can_open": PROJECT_LIFECYCLE.can(request.user, project, "open_review"),
            },
        )
    bound = conflict = None
    if request.method == "POST":
        part = get_object_or_404(
            ReviewPart.objects.select_related(*PARTY_RELATED, "sheet__project"),
            pk=id_param(request.POST.get("part")),
            sheet=sheet,
        )
        if not permissions.can_edit_part(request.user, part):
            raise PermissionDenied
        bound, conflict, saved = _save_part(
            request, part, ReviewPartForm, services.review_part_save, REVIEW_PART_FIELDS
        )
        if saved:
            return redirect("projects:review_sheet", pk=project.pk)
    parts, visible_parts, comparison = _review_parts(request.user, sheet)
    all_submitted = permissions.all_parts_submitted(parts)
    sheet.project = project
    for part in parts:
        part.actions = REVIEW_PART.allowed_actions(request.user, part)
        part.editable = "save" in part.actions
        if part.editable:
            part.form = (
                bound
                if bound is not None and bound.instance.pk == part.pk
                else ReviewPartForm(instance=part, initial={"version": part.version}, prefix=f"part{part.pk}")
            )
    context = {
        "project": project,
        "sheet": sheet,
        "parts": parts,
        "visible_parts": visible_parts,
        "all_submitted": all_submitted,
        "comparison": comparison,
        "can_manage": manage,
        "return_form": ReturnForm(),
        "returnable_parts": [p for p in parts if "return" in p.actions],
        "complete_form": CompleteForm(
            initial={
                "version": sheet.version,
                "completed_on": timezone.localdate(),
                "agreed_improvements": sheet.agreed_improvements,
            }
        )
        if PROJECT_LIFECYCLE.can(request.user, project, "complete")
        else None,
        "conflict": conflict,
        "conflict_rows": _rows(conflict, REVIEW_PART_FIELDS) if conflict else None,
    }
    return render(request, "projects/reviewsheet_detail.html", context, status=409 if conflict else 200)


@login_required
@require_POST
def review_open(request, pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    try:
        services.review_open(actor=request.user, project=project)
        messages.success(request, _("ふりかえりを開始しました。"))
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect("projects:review_sheet", pk=project.pk)


@login_required
@require_POST
def review_complete(request, pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    if not permissions.can_manage_project(request.user, project):
        raise PermissionDenied
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("合意した改善点・成果・完了日を入力してください。"))
        return redirect("projects:review_sheet", pk=project.pk)
    try:
        services.project_complete(actor=request.user, project=project, **form.cleaned_data)
        messages.success(request, _("ふりかえりを確定し、事業を完了しました。"))
        return redirect(project)
    except (TransitionError, ConflictError) as e:
        messages.error(request, str(e))
    return redirect("projects:review_sheet", pk=project.pk)


@login_required
@require_POST
def review_part_return(request, pk, part_pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    if not permissions.can_manage_project(request.user, project):
        raise PermissionDenied
    part = get_object_or_404(ReviewPart.objects.select_related("sheet__project"), pk=part_pk, sheet__project=project)
    form = ReturnForm(request.POST)
    try:
        services.review_part_return(actor=request.user, part=part, reason=form.data.get("reason", ""))
        messages.success(request, _("差し戻しました。"))
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect("projects:review_sheet", pk=project.pk)


# ---------------------------------------------------------------------------------------------
# Print (HTML and PDF)


def _print_context(request, project, document):
    context = {"project": project, "participants": list(project.participants.all()), "document": document}
    if document == "pre-sheet":
        sheet = get_object_or_404(
            PreConfirmationSheet.objects.select_related("chosen_form", "confirmed_by"), project=project
        )
        context.update(title=_("事前確認シート"), sheet=sheet, parts=_pre_parts(request.user, sheet))
    elif document == "agreement":
        number = request.GET.get("number")
        agreement = selectors.agreement_with_related(project, int(number) if number and number.isdigit() else None)
        if agreement is None:
            raise Http404
        confirmations = {c.participant_id: c for c in agreement.confirmations.all()}
        for p in context["participants"]:
            p.confirmation = confirmations.get(p.pk)
        context.update(
            title=_("協働事業確認書") if agreement.number == 1 else _("協働事業変更確認書"), agreement=agreement
        )
    elif document == "review":
        sheet = get_object_or_404(ReviewSheet.objects.select_related("finalized_by"), project=project)
        parts, visible_parts, comparison = _review_parts(request.user, sheet)
        context.update(
            title=_("ふりかえりシート"), sheet=sheet, parts=parts, visible_parts=visible_parts, comparison=comparison
        )
    else:
        raise Http404
    context["printed_on"] = timezone.localdate()
    return context


@login_required
def print_html(request, pk, document):
    project = _project_or_404(request, pk, loader=_simple_project)
    context = _print_context(request, project, document)
    context["for_screen"] = True
    return render(request, "projects/print/document.html", context)


@login_required
def print_pdf(request, pk, document):
    project = _project_or_404(request, pk, loader=_simple_project)
    context = _print_context(request, project, document)
    html = render_to_string("projects/print/document.html", context, request=request)
    try:
        pdf = render_pdf(html)
    except PdfRenderError:
        logger.warning("PDF of project %s (%s) could not be rendered in time", project.pk, document, exc_info=True)
        print_url = reverse("projects:print", args=[project.pk, document])
        if request.GET.get("number"):
            print_url += "?" + urlencode({"number": request.GET["number"]})
        return render(
            request,
            "projects/print/pdf_failed.html",
            {
                "project": project,
                "title": context["title"],
                "seconds": settings.PDF_RENDER_TIMEOUT,
                "print_url": print_url,
            },
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"project-{project.pk}-{document}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------------------------------------
# 事例


@login_required
def case_study_edit(request, pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    case = CaseStudy.objects.filter(project=project).prefetch_related("consents").first()
    manage = permissions.can_manage_project(request.user, project)
    form = CaseStudyForm(request.POST or None, instance=case) if manage else None
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.case_study_prepare(actor=request.user, project=project, **form.cleaned_data)
            except TransitionError as e:
                form.add_error(None, str(e))
            else:
                messages.success(request, _("事例を保存しました。各当事者の同意を待っています。"))
                return redirect("projects:case_edit", pk=project.pk)
    consents = {c.participant_id: c for c in case.consents.all()} if case else {}
    participants = list(project.participants.all())
    for p in participants:
        p.consent = consents.get(p.pk)
        p.can_consent = case is not None and p.consent is None and permissions.can_confirm_for(request.user, p)
    return render(
        request,
        "projects/casestudy_form.html",
        {"project": project, "case": case, "form": form, "participants": participants},
    )


@login_required
@require_POST
def case_study_consent(request, pk):
    project = _project_or_404(request, pk, loader=_simple_project)
    case = get_object_or_404(CaseStudy, project=project)
    participant = get_object_or_404(ProjectParticipant, pk=id_param(request.POST.get("participant")), project=project)
    try:
        services.case_study_consent(actor=request.user, case_study=case, participant=participant)
        messages.success(request, _("事例の公開に同意しました。"))
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect("projects:case_edit", pk=project.pk)


def case_list(request):
    cases = (
        CaseStudy.objects.filter(is_published=True)
        .select_related("project__department__parent")
        .prefetch_related(
            "project__forms",
            Prefetch(
                "project__participants",
                queryset=ProjectParticipant.objects.select_related("party__organization", "party__department"),
            ),
        )
        .order_by("-published_at")
    )
    return render(request, "projects/casestudy_list.html", {"cases": cases})


def case_detail(request, pk):
    case = get_object_or_404(
        CaseStudy.objects.filter(is_published=True)
        .select_related("project__department__parent", "project__review_sheet")
        .prefetch_related(
            "project__forms",
            Prefetch(
                "project__participants",
                queryset=ProjectParticipant.objects.select_related("party__organization", "party__department"),
            ),
        ),
        pk=pk,
    )
    review = getattr(case.project, "review_sheet", None)
    return render(request, "projects/casestudy_detail.html", {"case": case, "project": case.project, "review": review})
