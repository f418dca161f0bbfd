"""Writes of collaboration projects and their records; every state change goes through here.

The project lifecycle is one state machine (`_move`): 準備中 → 確認書締結済 → 実施中 → ふりかえり中 →
完了 → アフターフォロー. Each service checks who acts, saves who and when (simple-history keeps the
row's history with `_history_user`), and raises TransitionError with the reason in Japanese.
"""

import datetime
import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.roles import coordinators, members_of
from core.exceptions import PermissionDenied, TransitionError
from core.i18n import Text
from core.japanese import fiscal_year, fiscal_year_range, join_names
from core.locking import lock_version
from notifications.models import NoticeKind
from notifications.services import notify
from organizations.models import Party

from . import permissions
from .models import (
    Agreement,
    AgreementConfirmation,
    AgreementRole,
    CaseStudy,
    CaseStudyConsent,
    CheckIn,
    CollaborationProject,
    FollowUp,
    PartStatus,
    PreConfirmationPart,
    PreConfirmationSheet,
    ProjectParticipant,
    ReviewPart,
    ReviewSheet,
)
from .workflow import AGREEMENT, PRE_PART, PROJECT_LIFECYCLE, REVIEW_PART

Status = CollaborationProject.Status

PRE_PART_FIELDS = [
    "local_problem",
    "purpose",
    "beneficiaries",
    "public_interest",
    "contribution",
    "expectations",
    "form_in_mind",
    "roles",
    "schedule",
    "costs",
    "risks",
    "track_record",
    "members_info",
    "finances",
]
# What a part must hold to be submitted (a draft may be saved with any of them blank).
PRE_PART_SUBMIT_REQUIRED = ("purpose", "contribution")
REVIEW_PART_FIELDS = [
    "goal_achievement",
    "goal_comment",
    "equal_standing",
    "shared_goal",
    "role_split",
    "information_sharing",
    "trust",
    "went_well",
    "problems",
    "improvements",
    "handover",
    "next_step",
]
SCORE_MAX = 5  # review scores run 1 (low) to 5 (high)


class OutsidePeriodError(TransitionError):
    """A start or completion date outside the agreement's period, not confirmed by the coordinator."""


def score_text(value) -> str | None:
    """A review score with its scale, as people read it: 「4 / 5」."""
    return None if value is None else f"{value} / {SCORE_MAX}"


REVIEW_SCORE_FIELDS = [
    "goal_achievement",
    "equal_standing",
    "shared_goal",
    "role_split",
    "information_sharing",
    "trust",
]
REVIEW_PART_SUBMIT_REQUIRED = (*REVIEW_SCORE_FIELDS, "next_step")
AGREEMENT_FIELDS = [
    "purpose",
    "content",
    "period_start",
    "period_end",
    "budget_total",
    "city_share",
    "cost_note",
    "responsibility",
    "personal_data",
    "ownership",
    "meeting_frequency",
    "interim_review_on",
    "amendment_termination",
    "change_reason",
]
# The group's record, members and finances are asked of groups only, never of departments.
GROUP_ONLY_PRE_PART_FIELDS = ("track_record", "members_info", "finances")
FOLLOW_UP_YEARS = (1, 2, 3)


def pre_part_fields(party) -> list[str]:
    """The questions of a participant's part of the 事前確認シート (asked, saved and shown)."""
    if party.is_department:
        return [name for name in PRE_PART_FIELDS if name not in GROUP_ONLY_PRE_PART_FIELDS]
    return PRE_PART_FIELDS


def _record(obj, actor, reason: str):
    """Tell simple-history who made this change and why (the request middleware is absent in commands)."""
    obj._history_user = actor
    obj._change_reason = reason


def _move(project: CollaborationProject, action: str, *, actor, reason: str, extra_fields=()):
    """Make the lifecycle's move `action` (checked by PROJECT_LIFECYCLE) and record who and why, in one
    save with the fields the move sets (`extra_fields`), so that the history shows the action once."""
    PROJECT_LIFECYCLE.move(actor, project, action)
    project.version += 1
    _record(project, actor, reason)
    project.save(update_fields=["status", "version", "updated_at", *extra_fields])


def _require(condition: bool, message: str):
    if not condition:
        raise PermissionDenied(message)


def _participants(project):
    return list(project.participants.select_related("party__organization", "party__department"))


def _notify_project(project, *, title: Text, body: Text = "", url: str = "", authorised_only=False, coordinator=True):
    recipients = list(members_of([p.party_id for p in _participants(project)], signing_only=authorised_only))
    if coordinator and project.coordinator_id:
        recipients.append(project.coordinator)
    notify(
        recipients=recipients, kind=NoticeKind.PROJECT, title=title, body=body, url=url or project.get_absolute_url()
    )


def _open_pre_sheet(project: CollaborationProject):
    sheet, _created = PreConfirmationSheet.objects.get_or_create(project=project)
    existing = set(sheet.parts.values_list("participant_id", flat=True))
    PreConfirmationPart.objects.bulk_create(
        PreConfirmationPart(sheet=sheet, participant=p) for p in project.participants.all() if p.pk not in existing
    )
    return sheet


# ---------------------------------------------------------------------------------------------
# Creating projects


# A theme's title that recruits (「プレーパークの運営を担う団体を募集します」) names no project.
RECRUITING_TAIL = re.compile(r"を(募集|求め)(します|しています|しております|ます|中)?[。．.！!]*$")


def project_title_from(theme_title: str) -> str:
    """A project's default name from the theme or match it came from: a recruiting sentence is cut to
    what is to be done (「プレーパークの運営を担う団体を募集します」 → 「プレーパークの運営」)."""
    title = theme_title.strip()
    tail = RECRUITING_TAIL.search(title)
    if tail is None:
        return title
    wanted = title[: tail.start()]  # プレーパークの運営を担う団体
    for particle in ("を", "の"):
        head = wanted.rpartition(particle)[0].strip()
        if head:
            return head
    return title


@transaction.atomic
def project_create_from_match(*, match, actor) -> CollaborationProject:
    """The project that a 成立 match starts: its accepted participants, coordinator and listings' forms.

    Called when a match reaches 成立 (matching.signals.match_established); matching has checked the
    transition.
    """
    participants = list(match.participants.select_related("party__department").filter(response="accepted"))
    department = next((p.party.department for p in participants if p.party.kind == Party.Kind.DEPARTMENT), None)
    project = CollaborationProject(
        title=project_title_from(match.title),
        match=match,
        department=department,
        summary=match.summary,
        fiscal_year_start=fiscal_year(match.closed_at.date() if match.closed_at else match.updated_at.date()),
        origin="both",
        route=CollaborationProject.Route.MATCH,
        coordinator=match.coordinator,
        created_by=actor,
    )
    _record(project, actor, "マッチング成立により作成")
    project.save()
    ProjectParticipant.objects.bulk_create(ProjectParticipant(project=project, party=p.party) for p in participants)
    forms = {
        form
        for listing in match.listings.prefetch_related("collaboration_forms")
        for form in listing.collaboration_forms.all()
    }
    project.forms.set(forms)
    _open_pre_sheet(project)
    return project


def start_project_on_establish(sender, *, match, actor, **kwargs):
    """matching.signals.match_established receiver (connected in ProjectsConfig.ready)."""
    project_create_from_match(match=match, actor=actor)


@transaction.atomic
def project_create(
    *,
    actor,
    title: str,
    parties: list,
    department=None,
    forms=(),
    summary: str = "",
    fiscal_year_start: int,
    fiscal_year_end: int | None = None,
    budget_total: int | None = None,
    city_share: int | None = None,
    origin: str = "",
    route: str = CollaborationProject.Route.DIRECT,
) -> CollaborationProject:
    """A coordinator enters a project that began outside the portal, with its participants, or the
    adoption of a proposal starts one (route PROPOSAL)."""
    _require(permissions.can_create_project(actor), _("協働事業を登録できるのはコーディネーターです。"))
    parties = list({p.pk: p for p in parties}.values())
    if len(parties) < 2:
        raise TransitionError(_("協働事業には2者以上の当事者が必要です。"))
    if department is None:
        department = next((p.department for p in parties if p.kind == Party.Kind.DEPARTMENT), None)
    project = CollaborationProject(
        title=title,
        department=department,
        summary=summary,
        fiscal_year_start=fiscal_year_start,
        fiscal_year_end=fiscal_year_end,
        budget_total=budget_total,
        city_share=city_share,
        origin=origin,
        route=route,
        coordinator=actor,
        created_by=actor,
    )
    project.full_clean()
    _record(
        project,
        actor,
        "協働事業提案の採択により作成"
        if route == CollaborationProject.Route.PROPOSAL
        else "コーディネーターが直接登録",
    )
    project.save()
    ProjectParticipant.objects.bulk_create(ProjectParticipant(project=project, party=p) for p in parties)
    project.forms.set(forms)
    _open_pre_sheet(project)
    return project


@transaction.atomic
def project_extend_term(*, actor, project: CollaborationProject, fiscal_year_end: int, reason: str):
    """A later year of the same project (e.g. a 2年目 proposal adopted) moves its end fiscal year on,
    never back; agreements drafted or changed afterwards default to the longer period."""
    _require(permissions.can_manage_project(actor, project), _("事業の期間を延ばせるのはコーディネーターです。"))
    project = CollaborationProject.objects.select_for_update().get(pk=project.pk)
    if fiscal_year_end < project.fiscal_year_start:
        raise TransitionError(_("終了年度は開始年度より前にできません。"))
    if project.fiscal_year_end is not None and project.fiscal_year_end >= fiscal_year_end:
        return project
    project.fiscal_year_end = fiscal_year_end
    project.version += 1
    _record(project, actor, reason)
    project.save(update_fields=["fiscal_year_end", "version", "updated_at"])
    return project


@transaction.atomic
def project_rename(*, actor, project: CollaborationProject, title: str, version: int | None) -> CollaborationProject:
    """Give the project its own name (事業名); the history records who renamed it and when."""
    current = lock_version(CollaborationProject, project.pk, version)
    _require(
        permissions.can_rename_project(actor, current),
        _("事業名を変更できるのは当事者の代表者・所属長とコーディネーターです。"),
    )
    current.title = title.strip()
    current.full_clean(validate_unique=False, validate_constraints=False)
    current.version += 1
    _record(current, actor, "事業名の変更")
    current.save(update_fields=["title", "version", "updated_at"])
    return current


# ---------------------------------------------------------------------------------------------
# 事前確認シート


def _save_part(part, *, actor, data: dict, version, fields, workflow):
    """Lock and update a sheet part, once its workflow lets `actor` save it."""
    part = lock_version(type(part), part.pk, version)
    workflow.check(actor, part, "save")
    for name in fields:
        if name in data:
            setattr(part, name, data[name])
    part.version += 1
    part.full_clean()
    return part


@transaction.atomic
def pre_part_save(*, actor, part: PreConfirmationPart, data: dict, version: int | None, submit: bool = False):
    """Save one participant's part of the 事前確認シート as a draft, or submit it."""
    part = _save_part(
        part, actor=actor, data=data, version=version, fields=pre_part_fields(part.participant.party), workflow=PRE_PART
    )
    project = part.sheet.project
    update = [*PRE_PART_FIELDS, "version", "updated_at"]
    if submit:
        if not all(getattr(part, name).strip() for name in PRE_PART_SUBMIT_REQUIRED):
            raise TransitionError(_("提出するには「目的」と「自らが提供できること」を記入してください。"))
        part.status = PartStatus.SUBMITTED
        part.submitted_by = actor
        part.submitted_at = timezone.now()
        part.return_reason = ""
        update += ["status", "submitted_by", "submitted_at", "return_reason"]
    _record(part, actor, "提出" if submit else "下書き保存")
    part.save(update_fields=update)
    if submit:
        _notify_project(
            project,
            title=lambda: _("事前確認シートが提出されました: %(p)s") % {"p": part.participant.party.name},
            url=reverse("projects:pre_sheet", args=[project.pk]),
        )
    return part


def _return_part(part, actor, reason: str, title: Text, url_name: str):
    """Return a locked, submitted sheet part to its party with the reason, and tell its members."""
    if not reason.strip():
        raise TransitionError(_("差戻しの理由を記入してください。"))
    part.status = PartStatus.RETURNED
    part.return_reason = reason
    part.version += 1
    _record(part, actor, "差戻し")
    part.save(update_fields=["status", "return_reason", "version", "updated_at"])
    notify(
        recipients=list(members_of([part.participant.party_id])),
        kind=NoticeKind.PROJECT,
        title=title,
        body=reason,
        url=reverse(url_name, args=[part.sheet.project_id]),
    )
    return part


@transaction.atomic
def pre_part_return(*, actor, part: PreConfirmationPart, reason: str):
    """A coordinator returns a submitted part so its party can correct it."""
    part = PreConfirmationPart.objects.select_for_update().get(pk=part.pk)
    PRE_PART.check(actor, part, "return")
    return _return_part(part, actor, reason, lambda: _("事前確認シートが差し戻されました"), "projects:pre_sheet")


def _unsubmitted_parties(parts) -> list[str]:
    return [p.participant.party.name for p in parts if p.status != PartStatus.SUBMITTED]


@transaction.atomic
def pre_sheet_confirm(
    *, actor, sheet: PreConfirmationSheet, purpose_shared: bool, chosen_form, note: str, version: int | None
):
    """The coordinator completes the joint section and confirms the sheet once every part is submitted."""
    _require(permissions.can_manage_project(actor, sheet.project), _("共同欄はコーディネーターが記入します。"))
    sheet = lock_version(PreConfirmationSheet, sheet.pk, version)
    if sheet.confirmed_at:
        raise TransitionError(_("事前確認シートはすでに確認済みです。"))
    parts = list(sheet.parts.select_related("participant__party__organization", "participant__party__department"))
    missing = _unsubmitted_parties(parts)
    if missing:
        raise TransitionError(_("まだ提出されていない当事者があります: %(p)s") % {"p": join_names(missing)})
    if not purpose_shared:
        raise TransitionError(_("目的が共有されていることを確認してから確定してください。"))
    sheet.purpose_shared = purpose_shared
    sheet.chosen_form = chosen_form
    sheet.coordinator_note = note
    sheet.confirmed_by = actor
    sheet.confirmed_at = timezone.now()
    sheet.version += 1
    _record(sheet, actor, "共同欄の記入と確認")
    sheet.save()
    return sheet


# ---------------------------------------------------------------------------------------------
# 協働事業確認書


def _assignee_for(party) -> str:
    return AgreementRole.Assignee.CITY if party.kind == Party.Kind.DEPARTMENT else AgreementRole.Assignee.GROUP


def agreement_default_period(
    project: CollaborationProject, *, today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The first agreement's period, to be edited: within the theme's period (the match's listings) and
    the project's fiscal years, never starting before today; it ends with the theme's period or, when
    that gives none (or one already over), with the fiscal year."""
    today = today or timezone.localdate()
    fy_start = fiscal_year_range(project.fiscal_year_start)[0]
    fy_end = fiscal_year_range(project.fiscal_year_end or project.fiscal_year_start)[1]
    listings = list(project.match.listings.only("period_start", "period_end")) if project.match_id else []
    start = max([today, fy_start, *(x.period_start for x in listings if x.period_start)])
    ends = [x.period_end for x in listings if x.period_end and x.period_end >= start]
    end = min(ends) if ends else fy_end
    if end < start:
        end = fiscal_year_range(fiscal_year(start))[1]
    return start, end


@transaction.atomic
def agreement_draft(*, actor, project: CollaborationProject) -> Agreement:
    """The first 協働事業確認書, pre-filled from the confirmed 事前確認シート."""
    project = CollaborationProject.objects.select_for_update().get(pk=project.pk)
    PROJECT_LIFECYCLE.check(actor, project, "draft_agreement")
    if project.agreements.exists():
        raise TransitionError(_("確認書はすでに作成されています。"))
    sheet = PreConfirmationSheet.objects.filter(project=project).first()
    parts = (
        list(sheet.parts.select_related("participant__party__organization", "participant__party__department"))
        if sheet
        else []
    )
    missing = _unsubmitted_parties(parts) if parts else [_("全員")]
    if missing:
        raise TransitionError(
            _("すべての当事者の事前確認シートが提出されるまで確認書は作成できません（未提出: %(p)s）。")
            % {"p": join_names(missing)}
        )
    if not sheet.confirmed_at:
        raise TransitionError(_("コーディネーターが事前確認シートを確認してから確認書を作成できます。"))

    def joined(attr):
        return "\n".join(f"【{p.participant.party.name}】{getattr(p, attr)}" for p in parts if getattr(p, attr))

    start, end = agreement_default_period(project)
    agreement = Agreement(
        project=project,
        number=1,
        purpose=joined("purpose"),
        content=joined("contribution") or project.summary,
        period_start=start,
        period_end=end,
        budget_total=project.budget_total,
        city_share=project.city_share,
        cost_note=joined("costs"),
        responsibility=_(
            "事業の実施中に生じた事故については、各当事者がそれぞれの役割の範囲で責任を負い、誠実に協議する。"
        ),
        personal_data=_("事業で知り得た個人情報は、関係法令と市の条例に従い適正に取り扱う。"),
        ownership=_("成果物は当事者の共有とし、利用にあたっては互いに協議する。"),
        meeting_frequency=_("毎月1回"),
        amendment_termination=_("内容を変更・解除するときは、当事者が協議のうえ変更確認書を取り交わす。"),
        created_by=actor,
    )
    _record(agreement, actor, "事前確認シートから作成")
    agreement.save()
    forms = [sheet.chosen_form] if sheet.chosen_form else list(project.forms.all())
    agreement.forms.set(forms)
    AgreementRole.objects.bulk_create(
        AgreementRole(
            agreement=agreement, task=p.roles or p.contribution, assignee=_assignee_for(p.participant.party), order=i
        )
        for i, p in enumerate(parts)
        if (p.roles or p.contribution)
    )
    return agreement


@transaction.atomic
def agreement_save(*, actor, agreement: Agreement, data: dict, roles: list[dict], forms=None, version: int | None):
    """Save a draft agreement with its role split. Sent or fixed agreements never change."""
    project = agreement.project
    agreement = lock_version(Agreement, agreement.pk, version)
    agreement.project = project
    AGREEMENT.check(actor, agreement, "edit")
    for name in AGREEMENT_FIELDS:
        if name in data:
            setattr(agreement, name, data[name])
    agreement.version += 1
    agreement.full_clean()
    if agreement.city_share is not None and agreement.budget_total is not None:
        if agreement.city_share > agreement.budget_total:
            raise TransitionError(_("市負担額は事業額を超えられません。"))
    _record(agreement, actor, "確認書の編集")
    agreement.save()
    if forms is not None:
        agreement.forms.set(forms)
    agreement.roles.all().delete()
    AgreementRole.objects.bulk_create(
        AgreementRole(agreement=agreement, task=r["task"], assignee=r["assignee"], order=i)
        for i, r in enumerate(roles)
        if r.get("task")
    )
    return agreement


@transaction.atomic
def agreement_send(*, actor, agreement: Agreement) -> Agreement:
    """作成中 → 確認中: each participant's authorised person is asked to confirm."""
    project = CollaborationProject.objects.select_for_update().get(pk=agreement.project_id)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement.project = project
    AGREEMENT.check(actor, agreement, "send")
    if not agreement.roles.exists():
        raise TransitionError(_("役割分担を1行以上記入してから確認に回してください。"))
    if agreement.number > 1 and not agreement.change_reason.strip():
        raise TransitionError(_("変更確認書には変更の理由を記入してください。"))
    agreement.status = Agreement.Status.CONFIRMING
    agreement.version += 1
    _record(agreement, actor, "確認依頼")
    agreement.save(update_fields=["status", "version", "updated_at"])
    _notify_project(
        agreement.project,
        title=lambda: _("協働事業確認書の確認をお願いします: %(t)s") % {"t": agreement.project.title},
        url=reverse("projects:agreement", args=[agreement.project_id]),
        authorised_only=True,
        coordinator=False,
    )
    return agreement


@transaction.atomic
def agreement_confirm(*, actor, agreement: Agreement, participant: ProjectParticipant) -> Agreement:
    """A participant's authorised person confirms; when all have, the agreement is fixed (締結)."""
    # The project first (the order project_complete locks in), so a completion cannot slip in between.
    project = CollaborationProject.objects.select_for_update().get(pk=agreement.project_id)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement.project = project
    if participant.project_id != agreement.project_id:
        raise PermissionDenied(_("この事業の当事者ではありません。"))
    _require(
        permissions.can_confirm_for(actor, participant),
        _("確認できるのは当事者の代表者（団体）または所属長（担当課）です。"),
    )
    AGREEMENT.check(actor, agreement, "confirm")
    if agreement.confirmations.filter(participant=participant).exists():
        raise TransitionError(_("この当事者はすでに確認しています。"))
    AgreementConfirmation.objects.create(
        agreement=agreement, participant=participant, confirmed_by=actor, confirmed_at=timezone.now()
    )
    confirmed = set(agreement.confirmations.values_list("participant_id", flat=True))
    if confirmed >= set(agreement.project.participants.values_list("pk", flat=True)):
        _fix_agreement(agreement, actor=actor)
    return agreement


def _fix_agreement(agreement: Agreement, *, actor):
    project = CollaborationProject.objects.select_for_update().get(pk=agreement.project_id)
    for old in project.agreements.filter(status=Agreement.Status.FIXED).exclude(pk=agreement.pk):
        old.status = Agreement.Status.SUPERSEDED
        old.version += 1
        _record(old, actor, "変更確認書の締結により失効")
        old.save(update_fields=["status", "version", "updated_at"])
    agreement.status = Agreement.Status.FIXED
    agreement.fixed_at = timezone.now()
    agreement.version += 1
    _record(agreement, actor, "全当事者の確認により締結")
    agreement.save(update_fields=["status", "fixed_at", "version", "updated_at"])
    # The project carries the figures of the agreement in force.
    project.budget_total = agreement.budget_total
    project.city_share = agreement.city_share
    project.forms.set(agreement.forms.all())
    if project.status == Status.PREPARING:
        pre = PreConfirmationSheet.objects.filter(project=project).first()
        missing = (
            _unsubmitted_parties(
                pre.parts.select_related("participant__party__organization", "participant__party__department")
            )
            if pre
            else ["?"]
        )
        if missing:
            raise TransitionError(_("事前確認シートが提出されていない当事者があるため締結できません。"))
        _move(project, "agree", actor=actor, reason="協働事業確認書の締結", extra_fields=("budget_total", "city_share"))
    else:
        project.version += 1
        _record(project, actor, "変更確認書の締結")
        project.save(update_fields=["budget_total", "city_share", "version", "updated_at"])
    _notify_project(
        project,
        title=lambda: _("協働事業確認書が締結されました: %(t)s") % {"t": str(agreement)},
        url=reverse("projects:agreement", args=[project.pk]),
    )


@transaction.atomic
def agreement_amend(*, actor, agreement: Agreement, change_reason: str) -> Agreement:
    """A change after fixing: a new version (変更確認書) copied from the fixed one, to confirm again."""
    # The project first (the order project_complete locks in): its status is read under the lock.
    project = CollaborationProject.objects.select_for_update().get(pk=agreement.project_id)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    agreement.project = project
    AGREEMENT.check(actor, agreement, "amend")
    if project.agreements.filter(number__gt=agreement.number).exists():
        raise TransitionError(_("作成中または確認中の変更確認書がすでにあります。"))
    if not change_reason.strip():
        raise TransitionError(_("変更の理由を記入してください。"))
    new = Agreement(
        project=project,
        number=agreement.number + 1,
        change_reason=change_reason,
        created_by=actor,
        **{name: getattr(agreement, name) for name in AGREEMENT_FIELDS if name != "change_reason"},
    )
    # A project extended since (a 2年目 adopted) proposes the longer period; the parties may change it.
    new.period_end = max(new.period_end, fiscal_year_range(project.fiscal_year_end or project.fiscal_year_start)[1])
    _record(new, actor, "変更確認書の作成")
    new.save()
    new.forms.set(agreement.forms.all())
    AgreementRole.objects.bulk_create(
        AgreementRole(agreement=new, task=r.task, assignee=r.assignee, order=r.order) for r in agreement.roles.all()
    )
    return new


@transaction.atomic
def agreement_withdraw(*, actor, agreement: Agreement) -> None:
    """Withdraw a 変更確認書 made by mistake, before it is fixed: the fixed version stays in force.

    The change and any confirmations it had are removed; simple-history keeps them (who, when, why).
    """
    CollaborationProject.objects.select_for_update().get(pk=agreement.project_id)
    agreement = Agreement.objects.select_for_update().select_related("project").get(pk=agreement.pk)
    AGREEMENT.check(actor, agreement, "withdraw")
    for confirmation in agreement.confirmations.all():
        _record(confirmation, actor, "変更確認書の取下げ")
        confirmation.delete()
    _record(agreement, actor, "変更確認書の取下げ")
    agreement.delete()


# ---------------------------------------------------------------------------------------------
# During the work


def agreement_in_force(project: CollaborationProject) -> Agreement | None:
    """The fixed agreement whose period the work should keep to (the newest version)."""
    return project.agreements.filter(status=Agreement.Status.FIXED).order_by("-number").first()


def _confirm_within_agreement(project, day: datetime.date, *, confirmed: bool, message: str):
    """A start or completion outside the agreement's period is recorded only when confirmed."""
    agreement = agreement_in_force(project)
    if agreement is None or confirmed or agreement.period_start <= day <= agreement.period_end:
        return
    raise OutsidePeriodError(
        message
        % {
            "day": date_format(day, "Y/m/d"),
            "start": date_format(agreement.period_start, "Y/m/d"),
            "end": date_format(agreement.period_end, "Y/m/d"),
        }
    )


@transaction.atomic
def project_start(
    *,
    actor,
    project: CollaborationProject,
    started_on: datetime.date | None = None,
    outside_period_confirmed: bool = False,
):
    """確認書締結済 → 実施中: only once the agreement is fixed; a start outside the agreement's period
    only when the coordinator confirms it (`outside_period_confirmed`)."""
    project = CollaborationProject.objects.select_for_update().get(pk=project.pk)
    PROJECT_LIFECYCLE.check(actor, project, "start")
    if not project.agreements.filter(status=Agreement.Status.FIXED).exists():
        raise TransitionError(_("協働事業確認書が締結されるまで事業を開始できません。"))
    project.started_on = started_on or timezone.localdate()
    _confirm_within_agreement(
        project,
        project.started_on,
        confirmed=outside_period_confirmed,
        message=_(
            "開始日（%(day)s）が協働事業確認書の期間（%(start)s〜%(end)s）の外です。"
            "このまま開始する場合は「確認書の期間外でも記録する」にチェックしてください。"
        ),
    )
    _move(project, "start", actor=actor, reason="事業の開始", extra_fields=("started_on",))
    _notify_project(project, title=lambda: _("協働事業が始まりました: %(t)s") % {"t": project.title})
    return project


@transaction.atomic
def checkin_add(
    *,
    actor,
    project: CollaborationProject,
    held_on: datetime.date,
    done: str,
    issues: str = "",
    next_steps: str = "",
    is_interim_review: bool = False,
) -> CheckIn:
    """A check-in (or the 中間評価) during the work."""
    # Locked so that a form sent twice (double click, resend) is seen as the duplicate it is.
    project = CollaborationProject.objects.select_for_update().get(pk=project.pk)
    PROJECT_LIFECYCLE.check(actor, project, "checkin")
    fields = {
        "held_on": held_on,
        "done": done,
        "issues": issues,
        "next_steps": next_steps,
        "is_interim_review": is_interim_review,
    }
    duplicate = CheckIn.objects.filter(project=project, **fields).first()
    if duplicate is not None:
        return duplicate
    checkin = CheckIn(project=project, author=actor, **fields)
    checkin.full_clean()
    _record(checkin, actor, "中間評価" if is_interim_review else "進捗確認")
    checkin.save()
    return checkin


# ---------------------------------------------------------------------------------------------
# ふりかえりシート


@transaction.atomic
def review_open(*, actor, project: CollaborationProject) -> ReviewSheet:
    """実施中 → ふりかえり中: one review part per participant."""
    project = CollaborationProject.objects.select_for_update().get(pk=project.pk)
    PROJECT_LIFECYCLE.check(actor, project, "open_review")
    _move(project, "open_review", actor=actor, reason="ふりかえりの開始")
    sheet, _created = ReviewSheet.objects.get_or_create(project=project)
    ReviewPart.objects.bulk_create(ReviewPart(sheet=sheet, participant=p) for p in project.participants.all())
    _notify_project(
        project,
        title=lambda: _("ふりかえりシートの記入をお願いします: %(t)s") % {"t": project.title},
        url=reverse("projects:review_sheet", args=[project.pk]),
    )
    return sheet


@transaction.atomic
def review_part_save(*, actor, part: ReviewPart, data: dict, version: int | None, submit: bool = False):
    """Save one participant's evaluation as a draft, or submit it."""
    part = _save_part(part, actor=actor, data=data, version=version, fields=REVIEW_PART_FIELDS, workflow=REVIEW_PART)
    update = [*REVIEW_PART_FIELDS, "version", "updated_at"]
    if submit:
        if any(getattr(part, name) in (None, "") for name in REVIEW_PART_SUBMIT_REQUIRED):
            raise TransitionError(_("提出するには、すべての評価（1〜5）と今後の方向性を選んでください。"))
        part.status = PartStatus.SUBMITTED
        part.submitted_by = actor
        part.submitted_at = timezone.now()
        part.return_reason = ""
        update += ["status", "submitted_by", "submitted_at", "return_reason"]
    _record(part, actor, "提出" if submit else "下書き保存")
    part.save(update_fields=update)
    return part


@transaction.atomic
def review_part_return(*, actor, part: ReviewPart, reason: str):
    """A coordinator returns a submitted evaluation, with the reason, so its party can correct it."""
    part = ReviewPart.objects.select_for_update().get(pk=part.pk)
    REVIEW_PART.check(actor, part, "return")
    return _return_part(part, actor, reason, lambda: _("ふりかえりシートが差し戻されました"), "projects:review_sheet")


@transaction.atomic
def project_complete(
    *,
    actor,
    project: CollaborationProject,
    agreed_improvements: str,
    outcome: str,
    continuation: str = "",
    completed_on: datetime.date | None = None,
    version: int | None = None,
    outside_period_confirmed: bool = False,
) -> CollaborationProject:
    """ふりかえり中 → 完了: the coordinator records the agreed points; follow-ups at 1, 2, 3 years.
    A completion date outside the agreement's period needs `outside_period_confirmed`."""
    project = CollaborationProject.objects.select_for_update().get(pk=project.pk)
    PROJECT_LIFECYCLE.check(actor, project, "complete")
    open_change = project.agreements.filter(status__in=(Agreement.Status.DRAFT, Agreement.Status.CONFIRMING)).first()
    if open_change is not None:
        raise TransitionError(
            _(
                "変更確認書（第%(n)s版）が「%(s)s」のため事業を完了できません。"
                "各当事者の確認で締結されてから完了してください。"
            )
            % {"n": open_change.number, "s": open_change.get_status_display()}
        )
    sheet = lock_version(ReviewSheet, project.review_sheet.pk, version)
    missing = _unsubmitted_parties(
        sheet.parts.select_related("participant__party__organization", "participant__party__department")
    )
    if missing:
        raise TransitionError(_("まだふりかえりを提出していない当事者があります: %(p)s") % {"p": join_names(missing)})
    if not agreed_improvements.strip():
        raise TransitionError(_("合意した改善点を記入してください。"))
    if not outcome:
        raise TransitionError(_("成果を選んでください。"))
    _confirm_within_agreement(
        project,
        completed_on or timezone.localdate(),
        confirmed=outside_period_confirmed,
        message=_(
            "完了日（%(day)s）が協働事業確認書の期間（%(start)s〜%(end)s）の外です。"
            "このまま完了する場合は「確認書の期間外でも記録する」にチェックしてください。"
        ),
    )
    sheet.agreed_improvements = agreed_improvements
    sheet.finalized_by = actor
    sheet.finalized_at = timezone.now()
    sheet.version += 1
    _record(sheet, actor, "合意した改善点の記録")
    sheet.save()
    project.outcome = outcome
    project.continuation = continuation
    project.completed_on = completed_on or timezone.localdate()
    project.fiscal_year_end = project.fiscal_year_end or fiscal_year(project.completed_on)
    _move(
        project,
        "complete",
        actor=actor,
        reason="ふりかえりの確定と事業の完了",
        extra_fields=("outcome", "continuation", "completed_on", "fiscal_year_end"),
    )
    FollowUp.objects.bulk_create(
        FollowUp(project=project, years_after=n, due_on=_years_later(project.completed_on, n)) for n in FOLLOW_UP_YEARS
    )
    return project


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# ---------------------------------------------------------------------------------------------
# アフターフォロー


@transaction.atomic
def follow_up_record(
    *,
    actor,
    follow_up: FollowUp,
    recorded_on: datetime.date,
    continued: bool | None,
    continuation: str = "",
    budget_note: str = "",
    contact_kept: bool | None = None,
    note: str = "",
) -> FollowUp:
    """The coordinator records how the project is doing 1, 2 or 3 years after completion."""
    project = CollaborationProject.objects.select_for_update().get(pk=follow_up.project_id)
    PROJECT_LIFECYCLE.check(actor, project, "record_follow_up")
    follow_up.recorded_on = recorded_on
    follow_up.continued = continued
    follow_up.continuation = continuation
    follow_up.budget_note = budget_note
    follow_up.contact_kept = contact_kept
    follow_up.note = note
    follow_up.recorded_by = actor
    follow_up.full_clean()
    follow_up.save()
    if project.status == Status.COMPLETED:
        _move(project, "record_follow_up", actor=actor, reason="アフターフォローの記録")
    if continuation:
        project.continuation = continuation
        _record(project, actor, "アフターフォローの記録")
        project.save(update_fields=["continuation", "updated_at"])
    return follow_up


def follow_up_send_reminders(*, today: datetime.date | None = None) -> int:
    """Remind the coordinator of each follow-up that is due and not yet recorded (once per follow-up)."""

    today = today or timezone.localdate()
    due = list(
        FollowUp.objects.filter(due_on__lte=today, recorded_on__isnull=True, reminded_at__isnull=True)
        .select_related("project__coordinator")
        .order_by("due_on", "pk")
    )
    if not due:
        return 0
    everyone = None
    now = timezone.now()
    reminded = 0
    for fu in due:
        with transaction.atomic():
            # Claim the follow-up first: a second run (or one on another server) finds nothing to do.
            if not FollowUp.objects.filter(pk=fu.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            if fu.project.coordinator_id and fu.project.coordinator.is_active:
                recipients = [fu.project.coordinator]
            else:
                if everyone is None:
                    everyone = list(coordinators())
                recipients = everyone
            notify(
                recipients=recipients,
                kind=NoticeKind.PROJECT,
                title=lambda fu=fu: (
                    _("アフターフォローの時期です（%(n)s年後）: %(t)s") % {"n": fu.years_after, "t": fu.project.title}
                ),
                body=lambda fu=fu: _("予定日: %(d)s") % {"d": fu.due_on.isoformat()},
                url=fu.project.get_absolute_url(),
            )
            reminded += 1
    return reminded


# ---------------------------------------------------------------------------------------------
# 事例


@transaction.atomic
def case_study_prepare(*, actor, project: CollaborationProject, summary: str, contributions: str = "") -> CaseStudy:
    """The coordinator drafts a case page for a completed project; consents restart when it changes."""
    _require(permissions.can_manage_project(actor, project), _("事例はコーディネーターが作成します。"))
    project = CollaborationProject.objects.get(pk=project.pk)
    if project.status not in (Status.COMPLETED, Status.FOLLOW_UP):
        raise TransitionError(_("完了した事業だけを事例として公開できます。"))
    if not summary.strip():
        raise TransitionError(_("概要を記入してください。"))
    case, created = CaseStudy.objects.select_for_update().get_or_create(
        project=project, defaults={"summary": summary, "contributions": contributions}
    )
    if not created and (case.summary, case.contributions) != (summary, contributions):
        case.summary, case.contributions = summary, contributions
        case.is_published = False
        case.published_at = None
        case.save()
        case.consents.all().delete()
    if created:
        _notify_project(
            project,
            title=lambda: _("事例公開への同意をお願いします: %(t)s") % {"t": project.title},
            url=project.get_absolute_url(),
            authorised_only=True,
            coordinator=False,
        )
    return case


@transaction.atomic
def case_study_consent(*, actor, case_study: CaseStudy, participant: ProjectParticipant) -> CaseStudy:
    """A participant's authorised person consents; with every consent the case page is published."""
    if participant.project_id != case_study.project_id:
        raise PermissionDenied(_("この事業の当事者ではありません。"))
    _require(
        permissions.can_confirm_for(actor, participant),
        _("同意できるのは当事者の代表者（団体）または所属長（担当課）です。"),
    )
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    if case_study.consents.filter(participant=participant).exists():
        raise TransitionError(_("この当事者はすでに同意しています。"))
    CaseStudyConsent.objects.create(
        case_study=case_study, participant=participant, consented_by=actor, consented_at=timezone.now()
    )
    consented = set(case_study.consents.values_list("participant_id", flat=True))
    if consented >= set(case_study.project.participants.values_list("pk", flat=True)):
        case_study.is_published = True
        case_study.published_at = timezone.now()
        case_study.save(update_fields=["is_published", "published_at", "updated_at"])
    return case_study
