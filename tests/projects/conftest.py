"""A project between an NPO and a city department, with the people who act for each side."""

from types import SimpleNamespace

import pytest

from demo import factories as f
from organizations.models import CollaborationForm, DepartmentMembership, OrganizationMembership
from projects import services


@pytest.fixture
def people(db):
    coordinator = f.make_coordinator(email="project-coord@example.jp")
    org = f.OrganizationFactory(name="NPO法人みどり子育ての会", name_kana="みどりこそだてのかい")
    dept = f.DepartmentFactory(
        name="子育て支援課", name_kana="こそだてしえんか", parent=f.DivisionFactory(name="こども育成部")
    )
    return SimpleNamespace(
        coordinator=coordinator,
        org=org,
        dept=dept,
        group_rep=f.make_group_member(org, email="rep@example.jp"),
        group_editor=f.make_group_member(org, role=OrganizationMembership.Role.EDITOR, email="editor@example.jp"),
        dept_staff=f.make_department_staff(dept, email="staff@example.jp"),
        dept_manager=f.make_department_staff(dept, role=DepartmentMembership.Role.MANAGER, email="manager@example.jp"),
        outsider=f.make_group_member(f.OrganizationFactory(), email="outsider@example.jp"),
    )


@pytest.fixture
def project(people):
    return services.project_create(
        actor=people.coordinator,
        title="子ども食堂ネットワークづくり",
        parties=[people.dept.party, people.org.party],
        forms=[CollaborationForm.objects.get(code="commission")],
        fiscal_year_start=2025,
        budget_total=500000,
        city_share=300000,
        origin="both",
    )


def part_of(project, party):
    return project.pre_sheet.parts.get(participant__party=party)


PRE_DATA = {
    "local_problem": "子どもの居場所が足りない。",
    "purpose": "地域で子どもを見守る場をつくる。",
    "contribution": "会場と広報",
    "roles": "会場の確保と広報",
    "costs": "会場費は市",
}


def submit_all_pre_parts(project, people):
    services.pre_part_save(
        actor=people.dept_staff, part=part_of(project, people.dept.party), data=PRE_DATA, version=None, submit=True
    )
    services.pre_part_save(
        actor=people.group_editor,
        part=part_of(project, people.org.party),
        data={**PRE_DATA, "contribution": "食堂の運営とボランティア", "roles": "食堂の運営"},
        version=None,
        submit=True,
    )


def agree(project, people):
    """Take a project to 確認書締結済: both parts submitted, sheet confirmed, agreement fixed."""
    submit_all_pre_parts(project, people)
    services.pre_sheet_confirm(
        actor=people.coordinator,
        sheet=project.pre_sheet,
        purpose_shared=True,
        chosen_form=CollaborationForm.objects.get(code="commission"),
        note="",
        version=None,
    )
    agreement = services.agreement_draft(actor=people.coordinator, project=project)
    services.agreement_send(actor=people.coordinator, agreement=agreement)
    for p in project.participants.all():
        user = people.dept_manager if p.party_id == people.dept.party_id else people.group_rep
        services.agreement_confirm(actor=user, agreement=agreement, participant=p)
    project.refresh_from_db()
    agreement.refresh_from_db()
    return agreement


REVIEW_DATA = {
    "goal_achievement": 4,
    "equal_standing": 4,
    "shared_goal": 5,
    "role_split": 4,
    "information_sharing": 4,
    "trust": 5,
    "went_well": "毎月の打ち合わせ",
    "next_step": "department",
}
