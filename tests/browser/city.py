"""A small city for the browser tests, built through the factories and the apps' services, so the
pages show what real use produces: published groups and listings, an exchange event, a match with
a pre-meeting, and projects at each record stage (事前確認シート, 協働事業確認書, ふりかえりシート)."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from demo import factories as f
from organizations.models import CollaborationForm, DepartmentMembership, OrganizationMembership


def build_people():
    coordinator = f.make_coordinator(email="coord@example.jp", family_name="調整", given_name="花子")
    org = f.OrganizationFactory(name="NPO法人みなと子ども食堂ネット", name_kana="みなとこどもしょくどうねっと")
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
    )


def build_city():
    from matching import services as matching
    from projects import services as projects
    from tests.projects.conftest import agree, submit_all_pre_parts

    people = build_people()
    commission = CollaborationForm.objects.get(code="commission")
    people.need = f.ListingFactory(
        owner=people.org.party, title="子ども食堂の会場を探しています", collaboration_forms=[commission]
    )
    people.theme = f.ListingFactory(
        owner=people.dept.party, kind="need", title="地域で子どもの居場所を増やしたい", collaboration_forms=[commission]
    )
    people.seed = f.ListingFactory(owner=people.dept.party, kind="seed", title="公民館の会議室を貸し出せます")
    people.event = f.ExchangeEventFactory(title="子育て分野 意見交換会")

    match = matching.match_propose(
        actor=people.coordinator,
        title="子どもの居場所づくり",
        parties=[people.org.party, people.dept.party],
        listings=[people.theme],
    )
    matching.match_send_to_participants(match=match, actor=people.coordinator)
    matching.match_respond(match=match, actor=people.group_rep, party=people.org.party, accept=True)
    matching.match_respond(match=match, actor=people.dept_staff, party=people.dept.party, accept=True)
    match.refresh_from_db()
    people.match = match
    people.meeting = matching.meeting_schedule(
        match=match,
        actor=people.coordinator,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="市民活動サポートセンター 会議室A",
        agenda="目的の共有と役割分担",
    )

    def new_project(title):
        return projects.project_create(
            actor=people.coordinator,
            title=title,
            parties=[people.dept.party, people.org.party],
            forms=[commission],
            fiscal_year_start=2025,
            budget_total=500000,
            city_share=300000,
            origin="both",
        )

    people.pre_project = new_project("子ども食堂ネットワークづくり")
    people.agreement_project = new_project("放課後の学習支援")
    submit_all_pre_parts(people.agreement_project, people)
    projects.pre_sheet_confirm(
        actor=people.coordinator,
        sheet=people.agreement_project.pre_sheet,
        purpose_shared=True,
        chosen_form=commission,
        note="",
        version=None,
    )
    projects.agreement_draft(actor=people.coordinator, project=people.agreement_project)
    people.review_project = new_project("親子の居場所サロン")
    agree(people.review_project, people)
    projects.project_start(actor=people.coordinator, project=people.review_project)
    projects.review_open(actor=people.coordinator, project=people.review_project)
    return people
