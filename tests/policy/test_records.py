"""The parts of the 事前確認シート and ふりかえりシート, and the agreement: role × state × action. The
workflow, the service and the sheet page agree with the table; a department is never asked, and
nobody is shown, the group-only questions for a department's part."""

import pytest
from django.urls import reverse

from demo import factories as f
from projects import services
from projects.models import Agreement, CollaborationProject, PartStatus, PreConfirmationPart
from projects.workflow import AGREEMENT, PRE_PART
from tests.policy.support import actor, client_for, page_text, service_allows

S = CollaborationProject.Status
pytestmark = pytest.mark.django_db
ROLES = ("own_member", "other_participant", "coordinator", "admin", "outsider", "anonymous")


@pytest.fixture
def people():
    org, dept = f.OrganizationFactory(), f.DepartmentFactory()
    return {
        "own_member": f.make_group_member(org, role="editor"),
        "other_participant": f.make_department_staff(dept),
        "coordinator": f.make_coordinator(),
        "admin": f.UserFactory(is_staff=True, is_superuser=True),
        "outsider": f.make_group_member(f.OrganizationFactory()),
        "anonymous": None,
        "org": org,
        "dept": dept,
    }


def _pre_part(people, status, *, sheet_open=True):
    project = f.CollaborationProjectFactory(status=S.PREPARING if sheet_open else S.AGREED, department=people["dept"])
    sheet = f.PreConfirmationSheetFactory(project=project)
    mine = f.PreConfirmationPartFactory(
        sheet=sheet,
        participant=f.ProjectParticipantFactory(project=project, party=people["org"].party),
        status=status,
        contribution="会場",
    )
    f.PreConfirmationPartFactory(
        sheet=sheet, participant=f.ProjectParticipantFactory(project=project, party=people["dept"].party)
    )
    return PreConfirmationPart.objects.select_related("sheet__project", "participant__party").get(pk=mine.pk)


def _pre_expected(role, status, sheet_open):
    if not sheet_open:
        return set()
    if role == "own_member" and status in (PartStatus.DRAFT, PartStatus.RETURNED):
        return {"save"}
    if role in ("coordinator", "admin") and status == PartStatus.SUBMITTED:
        return {"return"}
    return set()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", list(PartStatus))
@pytest.mark.parametrize("sheet_open", [True, False])
def test_pre_sheet_part_service_and_page_agree_with_the_table(people, role, status, sheet_open):
    user = people[role]
    part = _pre_part(people, status, sheet_open=sheet_open)
    expected = _pre_expected(role, status, sheet_open)
    assert PRE_PART.allowed_actions(actor(user), part) == expected

    save = service_allows(
        lambda: services.pre_part_save(actor=actor(user), part=part, data={"purpose": "改"}, version=None)
    )
    give_back = service_allows(lambda: services.pre_part_return(actor=actor(user), part=part, reason="不足"))
    assert {a for a, ok in (("save", save), ("return", give_back)) if ok} == expected

    page = page_text(client_for(user), reverse("projects:pre_sheet", args=[part.sheet.project_id]))
    shown = set()
    if f'name="part" value="{part.pk}"' in page:
        shown.add("save")
    if f'action="{reverse("projects:pre_part_return", args=[part.sheet.project_id, part.pk])}"' in page:
        shown.add("return")
    assert shown == expected


def test_a_departments_part_never_asks_or_shows_the_group_only_questions(people):
    project = f.CollaborationProjectFactory(status=S.PREPARING, department=people["dept"])
    sheet = f.PreConfirmationSheetFactory(project=project)
    dept_part = f.PreConfirmationPartFactory(
        sheet=sheet,
        participant=f.ProjectParticipantFactory(project=project, party=people["dept"].party),
        status=PartStatus.SUBMITTED,
        track_record="実績の記入（誤り）",
        members_info="体制の記入（誤り）",
        finances="財務の記入（誤り）",
    )
    group_part = f.PreConfirmationPartFactory(
        sheet=sheet,
        participant=f.ProjectParticipantFactory(project=project, party=people["org"].party),
        track_record="10年の活動",
    )
    url = reverse("projects:pre_sheet", args=[project.pk])
    for role in ("coordinator", "own_member", "other_participant"):
        page = page_text(client_for(people[role]), url)
        assert "（誤り）" not in page, role
    own = page_text(client_for(people["own_member"]), url)
    assert f'name="part{group_part.pk}-track_record"' in own  # the group is asked
    dept_part.status = PartStatus.DRAFT
    dept_part.save()
    staff = page_text(client_for(people["other_participant"]), url)
    assert f'name="part{dept_part.pk}-purpose"' in staff and f'name="part{dept_part.pk}-track_record"' not in staff
    services.pre_part_save(
        actor=people["other_participant"], part=dept_part, data={"finances": "入れない"}, version=None
    )
    dept_part.refresh_from_db()
    assert dept_part.finances == "財務の記入（誤り）"  # not saved: not asked of departments


AGREEMENT_EXPECTED = {
    # (status, project status): {role: actions}
    (Agreement.Status.DRAFT, S.PREPARING): {
        "coordinator": {"edit", "send"},
        "admin": {"edit", "send"},
        "own_member": {"edit"},
        "other_participant": {"edit"},
        "signer": {"edit"},
    },
    (Agreement.Status.CONFIRMING, S.PREPARING): {"signer": {"confirm"}},
    (Agreement.Status.FIXED, S.IN_PROGRESS): {"coordinator": {"amend"}, "admin": {"amend"}},
    (Agreement.Status.FIXED, S.COMPLETED): {},
    (Agreement.Status.DRAFT, S.COMPLETED): {
        "coordinator": {"edit"},
        "admin": {"edit"},
        "own_member": {"edit"},
        "other_participant": {"edit"},
        "signer": {"edit"},
    },
}


@pytest.mark.parametrize("key", list(AGREEMENT_EXPECTED), ids=lambda k: f"{k[0]}-{k[1]}")
def test_agreement_actions_follow_the_table(people, key):
    status, project_status = key
    people["signer"] = f.make_group_member(people["org"])  # the representative signs
    project = f.CollaborationProjectFactory(status=project_status, department=people["dept"])
    for party in (people["org"].party, people["dept"].party):
        f.ProjectParticipantFactory(project=project, party=party)
    agreement = f.AgreementFactory(project=project, status=status)
    buttons = {
        "send": f'action="{reverse("projects:agreement_send", args=[project.pk])}"',
        "amend": f'action="{reverse("projects:agreement_amend", args=[project.pk])}"',
    }
    for role in (*ROLES, "signer"):
        expected = AGREEMENT_EXPECTED[key].get(role, set())
        assert AGREEMENT.allowed_actions(actor(people[role]), agreement) == expected, role
        page = page_text(client_for(people[role]), reverse("projects:agreement", args=[project.pk]))
        assert {a for a, marker in buttons.items() if marker in page} == expected & set(buttons), role
