"""The project lifecycle (`CollaborationProject.status`), the agreement (`Agreement.status`) and the
parts of the 事前確認シート and ふりかえりシート (`status` of each part): who may make which move, and
when. Services check every move here; the project, agreement and sheet pages ask `allowed_actions`
which buttons and forms to show. Conditions on the data (every part submitted, an agreement fixed)
stay in the services as TransitionErrors."""

from django.utils.translation import gettext_lazy as _

from accounts.roles import authorised_party_ids_of, coordinator_action, is_coordinator_or_admin
from core.workflow import Action, Workflow

from . import permissions
from .models import Agreement, CollaborationProject, PartStatus

Status = CollaborationProject.Status
A = Agreement.Status
PHASE_MESSAGE = _(
    "確認書は準備中の事業で、変更確認書は確認書締結済・実施中・ふりかえり中の事業でだけ確認に回し、確認できます"
    "（完了した事業の確認書は変更できません）。"
)
# The first agreement is made and fixed while the project is being prepared; a change agreement
# (変更確認書) while the agreement is in force and the project not yet completed.
FIRST_AGREEMENT_STATUSES = (Status.PREPARING,)
CHANGE_AGREEMENT_STATUSES = (Status.AGREED, Status.IN_PROGRESS, Status.REVIEWING)


def _viewer(user, project) -> bool:
    return permissions.can_view_project(user, project)


def _signs_for(user, project) -> bool:
    """Signs for one of the project's participants (a group's representative, a department's manager)."""
    mine = authorised_party_ids_of(user)
    return any(p.party_id in mine for p in project.participants.all())


PROJECT_LIFECYCLE = Workflow(
    "project_lifecycle",
    field="status",
    states=Status,
    actions=[
        coordinator_action(
            "draft_agreement",
            (Status.PREPARING,),
            None,
            _("確認書を作成する"),
            denied=_("確認書の作成はコーディネーターが行います。"),
            wrong_state=_("準備中の事業でだけ確認書を作成できます。変更は変更確認書で行ってください。"),
        ),
        Action(
            "agree",
            (Status.PREPARING,),
            Status.AGREED,
            lambda user, project: _signs_for(user, project),
            _("確認書の締結"),
            _("最後に確認した当事者の代表者・所属長（全当事者の確認で）"),
            denied=_("確認できるのは当事者の代表者（団体）または所属長（担当課）です。"),
        ),
        coordinator_action(
            "start",
            (Status.AGREED,),
            Status.IN_PROGRESS,
            _("事業を開始する"),
            denied=_("事業の開始はコーディネーターが記録します。"),
            wrong_state=_("確認書締結済の事業だけを開始できます（現在: %(state)s）。"),
        ),
        Action(
            "checkin",
            (Status.IN_PROGRESS, Status.REVIEWING),
            None,
            _viewer,
            _("進捗確認を記録する"),
            _("当事者の構成員、コーディネーター・管理者"),
            denied=_("この事業の進捗を記録する権限がありません。"),
            wrong_state=_("進捗確認は実施中の事業について記録します（現在: %(state)s）。"),
        ),
        coordinator_action(
            "open_review",
            (Status.IN_PROGRESS,),
            Status.REVIEWING,
            _("ふりかえりを始める"),
            denied=_("ふりかえりの開始はコーディネーターが行います。"),
            wrong_state=_("実施中の事業でだけふりかえりを始められます（現在: %(state)s）。"),
        ),
        coordinator_action(
            "complete",
            (Status.REVIEWING,),
            Status.COMPLETED,
            _("事業を完了する"),
            denied=_("事業の完了はコーディネーターが記録します。"),
            wrong_state=_("ふりかえり中の事業だけを完了にできます（現在: %(state)s）。"),
        ),
        coordinator_action(
            "record_follow_up",
            (Status.COMPLETED,),
            Status.FOLLOW_UP,
            _("アフターフォローを記録する"),
            denied=_("アフターフォローはコーディネーターが記録します。"),
            wrong_state=_("完了した事業だけにアフターフォローを記録できます。"),
        ),
        coordinator_action(
            "record_follow_up",
            (Status.FOLLOW_UP,),
            None,
            _("アフターフォローを記録する"),
            denied=_("アフターフォローはコーディネーターが記録します。"),
            wrong_state=_("完了した事業だけにアフターフォローを記録できます。"),
        ),
        coordinator_action(
            "publish_case",
            (Status.COMPLETED, Status.FOLLOW_UP),
            None,
            _("事例として公開する"),
            denied=_("事例の公開はコーディネーターが準備します。"),
            wrong_state=_("完了した事業だけを事例にできます。"),
        ),
    ],
)


def _is_change(agreement) -> bool:
    return agreement.number > 1


def _in_agreement_phase(agreement) -> bool:
    """The first agreement while the project is prepared; a change agreement while it is in force."""
    phase = FIRST_AGREEMENT_STATUSES if agreement.number == 1 else CHANGE_AGREEMENT_STATUSES
    return agreement.project.status in phase


def _project_not_completed(agreement) -> bool:
    return agreement.project.status in CHANGE_AGREEMENT_STATUSES


def _agreement_editor(user, agreement) -> bool:
    return is_coordinator_or_admin(user) or permissions.is_participant(user, agreement.project)


def _signatory(user, agreement) -> bool:
    return _signs_for(user, agreement.project)


AGREEMENT = Workflow(
    "agreement",
    field="status",
    states=A,
    actions=[
        Action(
            "edit",
            (A.DRAFT,),
            None,
            _agreement_editor,
            _("編集する"),
            _("当事者の構成員、コーディネーター・管理者"),
            denied=_("この確認書を編集する権限がありません。"),
            wrong_state=_("「%(state)s」の確認書は変更できません。変更する場合は変更確認書を作成してください。"),
        ),
        coordinator_action(
            "send",
            (A.DRAFT,),
            A.CONFIRMING,
            _("確認に回す"),
            denied=_("確認の依頼はコーディネーターが行います。"),
            wrong_state=_("作成中の確認書だけを確認に回せます。"),
            when=_in_agreement_phase,
            when_label=PHASE_MESSAGE,
        ),
        Action(
            "confirm",
            (A.CONFIRMING,),
            None,
            _signatory,
            _("当事者として確認する"),
            _("当事者の代表者・所属長"),
            denied=_("確認できるのは当事者の代表者（団体）または所属長（担当課）です。"),
            wrong_state=_("確認中の確認書だけを確認できます（現在: %(state)s）。"),
            when=_in_agreement_phase,
            when_label=PHASE_MESSAGE,
            to_label=_("全当事者の確認で締結済み（前の版は変更により失効）"),
        ),
        coordinator_action(
            "amend",
            (A.FIXED,),
            None,
            _("変更確認書を作成する"),
            denied=_("変更確認書の作成はコーディネーターが行います。"),
            wrong_state=_("締結済みの確認書だけを変更できます。"),
            when=_project_not_completed,
            when_label=_("完了した事業の確認書は変更できません。"),
            to_label=_("新しい版（作成中）"),
        ),
        coordinator_action(
            "withdraw",
            (A.DRAFT, A.CONFIRMING),
            None,
            _("変更確認書を取り下げる"),
            denied=_("変更確認書の取下げはコーディネーターが行います。"),
            wrong_state=_("「%(state)s」の変更確認書は取り下げられません。"),
            when=_is_change,
            when_label=_("取り下げられるのは変更確認書だけです。"),
            to_label=_("削除（締結済みの前の版が有効のまま）"),
        ),
    ],
)


def _own_part(user, part) -> bool:
    return permissions.can_edit_part(user, part)


def _pre_sheet_open(part) -> bool:
    return part.sheet.project.status == Status.PREPARING and not part.sheet.confirmed_at


def _review_sheet_open(part) -> bool:
    return part.sheet.project.status == Status.REVIEWING and not part.sheet.finalized_at


def _part_workflow(name, sheet_open, closed_message, closed_for_return):
    return Workflow(
        name,
        field="status",
        states=PartStatus,
        actions=[
            Action(
                "save",
                (PartStatus.DRAFT, PartStatus.RETURNED),
                None,
                _own_part,
                _("下書き保存・提出"),
                _("その当事者の構成員"),
                denied=_("この部分を編集できるのは、その当事者の担当者だけです。"),
                wrong_state=_(
                    "提出済みのため編集できません。修正が必要な場合はコーディネーターに差戻しを依頼してください。"
                ),
                when=sheet_open,
                when_label=closed_message,
                to_label=_("提出で提出済み"),
            ),
            coordinator_action(
                "return",
                (PartStatus.SUBMITTED,),
                PartStatus.RETURNED,
                _("差し戻す"),
                denied=_("差戻しはコーディネーターが行います。"),
                wrong_state=_("提出済みの部分だけを差し戻せます。"),
                when=sheet_open,
                when_label=closed_for_return,
            ),
        ],
    )


PRE_PART = _part_workflow(
    "pre_confirmation_part",
    _pre_sheet_open,
    _("事前確認シートは確認済みのため編集できません。"),
    _("事前確認シートは確認済みのため差し戻せません。"),
)
REVIEW_PART = _part_workflow(
    "review_part",
    _review_sheet_open,
    _("ふりかえりは終了しています。"),
    _("提出済みで確定前の部分だけを差し戻せます。"),
)
