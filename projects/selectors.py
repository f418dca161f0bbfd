"""Reads shared by the project views: list querysets, the next step, version diffs, review comparison."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.japanese import join_names

from .models import (
    Agreement,
    AgreementRole,
    CollaborationProject,
    PartStatus,
    ReviewPart,
)
from .permissions import projects_visible_to
from .services import AGREEMENT_FIELDS, REVIEW_SCORE_FIELDS, score_text
from .templatetags.projects_tags import wareki, yen

PARTY_RELATED = ("party__organization", "party__department")
SCORE_GAP = 2


def project_list(user, *, status: str = "", fiscal_year: int | None = None, department_id: int | None = None):
    from .models import ProjectParticipant

    qs = (
        projects_visible_to(user)
        .select_related("department__parent")
        .prefetch_related(
            "forms",
            Prefetch("participants", queryset=ProjectParticipant.objects.select_related(*PARTY_RELATED)),
        )
    )
    if status:
        qs = qs.filter(status=status)
    if fiscal_year:
        qs = qs.filter(fiscal_year_start__lte=fiscal_year).exclude(fiscal_year_end__lt=fiscal_year)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs


def project_for_detail(pk: int) -> CollaborationProject:
    """The project with what its page shows: the sheets and case study joined, the lists prefetched."""
    from .models import CheckIn, ProjectParticipant

    return (
        CollaborationProject.objects.select_related(
            "department__parent", "coordinator", "match", "pre_sheet", "review_sheet", "case_study"
        )
        .prefetch_related(
            "forms",
            Prefetch("participants", queryset=ProjectParticipant.objects.select_related(*PARTY_RELATED)),
            Prefetch("agreements", queryset=Agreement.objects.order_by("number")),
            Prefetch("checkins", queryset=CheckIn.objects.select_related("author")),
            "follow_ups",
        )
        .get(pk=pk)
    )


def sheet_parts(sheet, participants) -> list:
    """A sheet's parts (事前確認シート or ふりかえりシート), each given its participant from the project's
    already loaded `participants`, so that the parties' names cost no join."""
    if sheet is None:
        return []
    by_id = {p.pk: p for p in participants}
    parts = list(sheet.parts.order_by("participant_id"))
    for part in parts:
        part.participant = by_id[part.participant_id]
    return parts


def fiscal_years(project) -> list[int]:
    end = project.fiscal_year_end or project.fiscal_year_start
    return list(range(project.fiscal_year_start, max(end, project.fiscal_year_start) + 1))


def current_agreement(project) -> Agreement | None:
    """The newest version (it may be a draft change while an older version is still in force)."""
    agreements = list(project.agreements.all())
    return agreements[-1] if agreements else None


def next_step(project, *, pre_parts=None, review_parts=None, agreement=None) -> str:
    """What the project waits for, in one sentence for its page."""
    S = CollaborationProject.Status
    if project.status == S.PREPARING:
        if pre_parts is not None:
            missing = [p.participant.party.name for p in pre_parts if p.status != PartStatus.SUBMITTED]
            if missing:
                return _("事前確認シートの提出待ち: %(p)s") % {"p": join_names(missing)}
        sheet = getattr(project, "pre_sheet", None)
        if sheet is not None and not sheet.confirmed_at:
            return _("コーディネーターによる事前確認シートの確認（共同欄）")
        if agreement is None:
            return _("コーディネーターによる協働事業確認書の作成")
        if agreement.status == Agreement.Status.DRAFT:
            return _("確認書の記入と確認依頼")
        return _("各当事者の代表者・所属長による確認書の確認")
    if project.status == S.AGREED:
        return _("事業の開始")
    if project.status == S.IN_PROGRESS:
        return _("進捗確認・中間評価、終了後にふりかえりの開始")
    if project.status == S.REVIEWING:
        if review_parts is not None:
            missing = [p.participant.party.name for p in review_parts if p.status != PartStatus.SUBMITTED]
            if missing:
                return _("ふりかえりシートの提出待ち: %(p)s") % {"p": join_names(missing)}
        return _("コーディネーターによる合意した改善点の記録と完了")
    if project.status in (S.COMPLETED, S.FOLLOW_UP):
        pending = [f for f in project.follow_ups.all() if not f.recorded_on]
        if pending:
            return _("アフターフォロー（%(n)s年後、%(d)s）") % {"n": pending[0].years_after, "d": pending[0].due_on}
        return _("なし（アフターフォロー完了）")
    return ""


def agreement_with_related(project, number: int | None = None) -> Agreement | None:
    from .models import AgreementConfirmation

    qs = project.agreements.prefetch_related(
        "forms",
        Prefetch("roles", queryset=AgreementRole.objects.order_by("order", "id")),
        Prefetch(
            "confirmations",
            queryset=AgreementConfirmation.objects.select_related(
                "confirmed_by", "participant__party__organization", "participant__party__department"
            ),
        ),
    ).select_related("created_by")
    if number is not None:
        return qs.filter(number=number).first()
    return qs.order_by("-number").first()


@dataclass
class Change:
    label: str
    before: str
    after: str


def _display(agreement, name):
    value = getattr(agreement, name)
    if value is None or value == "":
        return "—"
    if name in ("budget_total", "city_share"):
        return yen(value)  # 300,000円, ¥300,000 in English
    if isinstance(value, datetime.date):
        return wareki(value)  # 令和8年12月4日, the locale's date in English
    return str(value)


def agreement_changes(before: Agreement, after: Agreement) -> list[Change]:
    """Field by field, what a 変更確認書 changed compared with the previous version."""
    changes = []
    for name in AGREEMENT_FIELDS:
        if name == "change_reason":
            continue
        if getattr(before, name) != getattr(after, name):
            label = str(Agreement._meta.get_field(name).verbose_name)
            changes.append(Change(label, _display(before, name), _display(after, name)))
    old_forms = join_names(f.name for f in before.forms.all()) or "—"
    new_forms = join_names(f.name for f in after.forms.all()) or "—"
    if old_forms != new_forms:
        changes.append(Change(_("協働の形態"), old_forms, new_forms))

    def roles(a):
        return "\n".join(f"{r.task}（{r.get_assignee_display()}）" for r in a.roles.all()) or "—"

    if roles(before) != roles(after):
        changes.append(Change(_("役割分担"), roles(before), roles(after)))
    return changes


@dataclass
class ComparisonRow:
    label: str
    values: list
    differs: bool


def review_comparison(parts: list[ReviewPart]) -> list[ComparisonRow]:
    """The parties' answers side by side; scores differing by 2 or more and a different next step are marked."""
    rows = []
    for name in REVIEW_SCORE_FIELDS:
        scores = [getattr(p, name) for p in parts]
        known = [s for s in scores if s is not None]
        differs = bool(known) and max(known) - min(known) >= SCORE_GAP
        label = str(ReviewPart._meta.get_field(name).verbose_name)
        rows.append(ComparisonRow(label, [score_text(s) for s in scores], differs))
    steps = [p.get_next_step_display() for p in parts]
    rows.append(ComparisonRow(str(ReviewPart._meta.get_field("next_step").verbose_name), steps, len(set(steps)) > 1))
    for name in ("goal_comment", "went_well", "problems", "improvements", "handover"):
        rows.append(
            ComparisonRow(str(ReviewPart._meta.get_field(name).verbose_name), [getattr(p, name) for p in parts], False)
        )
    return rows
