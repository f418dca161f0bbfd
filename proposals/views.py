"""Pages of the proposal programme: thin views that ask proposals.workflow, bind a form and call a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_coordinator_or_admin, party_ids_of
from core.downloads import file_response
from core.exceptions import ConflictError, PermissionDenied, TransitionError

from . import permissions, selectors, services, workflow
from .forms import CallForm, DecisionForm, DepartmentViewForm, NextStepForm, ProposalForm, ReviewForm
from .models import Call, Proposal, ProposalAttachment

# The call's moves that change its state, posted to call_action.
CALL_MOVES = {a.name for a in workflow.CALL_WORKFLOW.actions if a.target}


def _call_or_404(request, pk) -> Call:
    call = get_object_or_404(Call, pk=pk)
    if not permissions.can_view_call(request.user, call):
        raise Http404
    return call


def _proposal_or_404(request, pk) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "call", "applicant__organization", "applicant__department", "department", "theme__listing", "project"
        ),
        pk=pk,
    )
    if not permissions.can_view_proposal(request.user, proposal):
        raise Http404
    return proposal


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------
# Calls


def call_list(request):
    calls = permissions.calls_visible_to(request.user).annotate(
        n_submitted=Count("proposals", filter=~Q(proposals__status__in=["draft", "withdrawn"]))
    )
    return render(
        request,
        "proposals/call_list.html",
        {"calls": calls, "can_create": is_coordinator_or_admin(request.user)},
    )


def call_detail(request, pk):
    call = _call_or_404(request, pk)
    context = selectors.call_page(request.user, call)
    context["actions"] = workflow.allowed_actions(request.user, call)
    return render(request, "proposals/call_detail.html", context)


def _call_form_page(request, call: Call | None):
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        kwargs = {
            "actor": request.user,
            "data": {k: form.cleaned_data[k] for k in services.CALL_FIELDS},
            "themes": form.cleaned_data["themes"],
            "events": form.cleaned_data["events"],
            "reviewers": form.cleaned_data["reviewers"],
        }
        try:
            if call is None:
                call = services.call_create(criteria=form.cleaned_data["criteria_text"], **kwargs)
            else:
                criteria = None if form.fields["criteria_text"].disabled else form.cleaned_data["criteria_text"]
                call = services.call_update(call=call, criteria=criteria, **kwargs)
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, _("公募を保存しました。"))
            return redirect(call)
    return render(request, "proposals/call_form.html", {"form": form, "call": call})


@login_required
def call_create(request):
    _require(is_coordinator_or_admin(request.user))
    return _call_form_page(request, None)


@login_required
def call_edit(request, pk):
    call = _call_or_404(request, pk)
    _require(workflow.may(request.user, call, "edit"))
    if "edit" not in workflow.allowed_actions(request.user, call):
        messages.error(request, _("結果を公表した公募・審査中の公募は編集できません。"))
        return redirect(call)
    return _call_form_page(request, call)


@login_required
@require_POST
def call_action(request, pk, action):
    call = _call_or_404(request, pk)
    if action not in CALL_MOVES:
        raise Http404
    _require(workflow.may(request.user, call, action))
    try:
        services.call_move(actor=request.user, call=call, action=action)
        messages.success(request, _("公募の状態を更新しました。"))
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect(call)


@login_required
def call_summary(request, pk):
    """The review summary sheet (scores and comments of every reviewer) and the presentation schedule."""
    call = _call_or_404(request, pk)
    _require(permissions.can_view_scores(request.user, call))
    context = selectors.summary_sheet(call)
    can_schedule = "schedule" in workflow.allowed_actions(request.user, call)
    if request.method == "POST":
        _require(workflow.may(request.user, call, "schedule"))
        slots, errors = selectors.parse_schedule(request.POST, context["rows"])
        if not errors:
            try:
                services.presentation_schedule(actor=request.user, call=call, slots=slots)
            except TransitionError as e:
                errors.append(str(e))
            else:
                messages.success(request, _("公開プレゼンテーションの発表順を保存しました。"))
                return redirect("proposals:call_summary", pk=call.pk)
        context["schedule_errors"] = errors
    context |= {"call": call, "can_schedule": can_schedule}
    return render(request, "proposals/call_summary.html", context)


# ---------------------------------------------------------------------------------------------
# Proposals


@login_required
def proposal_mine(request):
    """The user's applications (drafts included), the proposals of their departments, and those to review."""
    return render(request, "proposals/proposal_mine.html", selectors.my_proposals(request.user))


def _save_attachment(request, form, proposal) -> bool:
    upload = form.cleaned_data.get("attachment")
    if not upload:
        return True
    try:
        services.proposal_add_attachment(actor=request.user, proposal=proposal, upload=upload)
    except Exception as e:  # noqa: BLE001 - a ValidationError of the file is shown next to the field
        form.add_error("attachment", getattr(e, "messages", [str(e)])[0])
        return False
    return True


@login_required
def proposal_create(request, pk):
    call = _call_or_404(request, pk)
    _require(bool(party_ids_of(request.user)))
    reason = workflow.accepting(call)
    if not reason and not permissions.eligible_party_ids(request.user, call):
        reason = _("この公募に応募できるのは登録団体だけです。")
    if reason:
        messages.error(request, reason)
        return redirect(call)
    form = ProposalForm(request.POST or None, request.FILES or None, call=call, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.PROPOSAL_FIELDS if k in form.cleaned_data}
        try:
            proposal = services.proposal_create(
                actor=request.user, call=call, applicant=form.cleaned_data["applicant"], data=data
            )
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            _save_attachment(request, form, proposal)
            messages.success(request, _("提案を下書きとして保存しました。内容を確かめて提出してください。"))
            return redirect(proposal)
    return render(request, "proposals/proposal_form.html", {"form": form, "call": call})


@login_required
def proposal_edit(request, pk):
    proposal = _proposal_or_404(request, pk)
    _require(permissions.is_applicant(request.user, proposal))
    if "edit" not in workflow.allowed_actions(request.user, proposal):
        messages.error(request, _("この提案は編集できません（提出済み、または締切後）。"))
        return redirect(proposal)
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        instance=proposal,
        call=proposal.call,
        user=request.user,
        initial={"version": proposal.version},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.PROPOSAL_FIELDS if k in form.cleaned_data}
        try:
            services.proposal_update(
                actor=request.user, proposal=proposal, data=data, version=form.cleaned_data.get("version")
            )
        except (TransitionError, ConflictError) as e:
            form.add_error(None, str(e))
        else:
            if _save_attachment(request, form, proposal):
                messages.success(request, _("提案を保存しました。"))
                return redirect(proposal)
    context = {"form": form, "call": proposal.call, "proposal": proposal, "attachments": proposal.attachments.all()}
    return render(request, "proposals/proposal_form.html", context)


@login_required
def proposal_detail(request, pk):
    proposal = _proposal_or_404(request, pk)
    user = request.user
    attachments = list(proposal.attachments.all())
    my_review = None
    if permissions.is_reviewer(user, proposal.call):
        my_review = proposal.reviews.filter(reviewer=user).prefetch_related("scores__criterion").first()
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "attachments": attachments,
            "actions": workflow.allowed_actions(user, proposal),
            "show_decision": permissions.can_view_decision(user, proposal),
            "is_coordinator": is_coordinator_or_admin(user),
            "my_review": my_review,
        },
    )


@login_required
@require_POST
def proposal_action(request, pk, action):
    proposal = _proposal_or_404(request, pk)
    if action not in ("submit", "withdraw", "start_review"):
        raise Http404
    _require(workflow.may(request.user, proposal, action))
    try:
        services.proposal_move(actor=request.user, proposal=proposal, action=action)
        messages.success(request, _("提案の状態を更新しました。"))
    except TransitionError as e:
        messages.error(request, str(e))
    return redirect(proposal)


@login_required
def proposal_attachment(request, pk, attachment_pk):
    proposal = _proposal_or_404(request, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal=proposal)
    return file_response(attachment.file, attachment.original_name)


@login_required
@require_POST
def proposal_attachment_delete(request, pk, attachment_pk):
    proposal = _proposal_or_404(request, pk)
    attachment = get_object_or_404(ProposalAttachment, pk=attachment_pk, proposal=proposal)
    _require(workflow.may(request.user, proposal, "remove_attachment"))
    try:
        services.proposal_remove_attachment(actor=request.user, attachment=attachment)
    except TransitionError as e:
        messages.error(request, str(e))
        return redirect(proposal)
    messages.success(request, _("添付ファイルを削除しました。"))
    return redirect("proposals:proposal_edit", pk=proposal.pk)


def _action_form_page(request, proposal, action, form, run, success, *, heading, button, **extra):
    """GET shows the form when the action is allowed now; POST runs the service."""
    _require(workflow.may(request.user, proposal, action))
    if action not in workflow.allowed_actions(request.user, proposal):
        try:
            workflow.check(request.user, proposal, action)
        except TransitionError as e:
            messages.error(request, str(e))
        return redirect(proposal)
    if request.method == "POST" and form.is_valid():
        try:
            run(form)
        except TransitionError as e:
            form.add_error(None, str(e))
        else:
            messages.success(request, success)
            return redirect(proposal)
    context = {"proposal": proposal, "call": proposal.call, "form": form, "heading": heading, "button": button}
    return render(request, "proposals/proposal_action_form.html", context | extra)


@login_required
def proposal_view(request, pk):
    proposal = _proposal_or_404(request, pk)
    form = DepartmentViewForm(request.POST or None, initial={"view": proposal.department_view})
    return _action_form_page(
        request,
        proposal,
        "state_view",
        form,
        lambda f: services.department_view_state(actor=request.user, proposal=proposal, view=f.cleaned_data["view"]),
        _("担当課の意見を記録しました。"),
        heading=_("担当課の意見を記入"),
        button=_("記録する"),
    )


@login_required
def proposal_review(request, pk):
    proposal = _proposal_or_404(request, pk)
    criteria = list(proposal.call.criteria.all())
    review = proposal.reviews.filter(reviewer=request.user).prefetch_related("scores").first()
    initial = {}
    if review:
        initial = {"conflict": review.conflict, "comment": review.comment}
        initial |= {f"c{s.criterion_id}": s.value for s in review.scores.all()}
    if review and review.conflict:
        messages.info(request, _("利害関係を申告したため、この提案の審査には加わりません。"))
        return redirect(proposal)
    form = ReviewForm(request.POST or None, criteria=criteria, initial=initial)
    return _action_form_page(
        request,
        proposal,
        "score",
        form,
        lambda f: services.review_save(
            actor=request.user,
            proposal=proposal,
            conflict=f.cleaned_data["conflict"],
            scores=f.scores(),
            comment=f.cleaned_data["comment"],
        ),
        _("審査を保存しました。"),
        heading=_("審査（採点）"),
        button=_("保存する"),
    )


@login_required
def proposal_decide(request, pk):
    proposal = _proposal_or_404(request, pk)
    form = DecisionForm(request.POST or None, initial={"amount": proposal.city_share_requested})
    _require(is_coordinator_or_admin(request.user))
    return _action_form_page(
        request,
        proposal,
        form.data.get("decision") if form.data.get("decision") in workflow.DECISIONS else "adopt",
        form,
        lambda f: services.proposal_decide(actor=request.user, proposal=proposal, **f.cleaned_data),
        _("審査結果を記録しました。"),
        heading=_("審査結果を記録する"),
        button=_("記録する"),
        show_budget=True,
    )


@login_required
def proposal_next_step(request, pk):
    proposal = _proposal_or_404(request, pk)
    form = NextStepForm(request.POST or None, initial={"next_step": proposal.next_step or None})
    return _action_form_page(
        request,
        proposal,
        "record_next_step",
        form,
        lambda f: services.next_step_record(
            actor=request.user, proposal=proposal, next_step=f.cleaned_data["next_step"]
        ),
        _("期間終了後の方向性を記録しました。"),
        heading=_("期間終了後の方向性"),
        button=_("記録する"),
    )
