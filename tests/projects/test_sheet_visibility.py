"""Who reads which part of a sheet: one rule (permissions.readable_parts) for the page, the print view and the PDF.

事前確認シート: another party's part is shown once it is submitted. ふりかえりシート: another party's answers
(and the comparison table) only once every party has submitted, so nobody anchors on the other's scores.
Coordinators read every part.
"""

import io

import pypdf
import pytest
from django.urls import reverse

from demo import factories as f
from projects import permissions, services
from projects.models import PartStatus, ProjectParticipant

from .conftest import PRE_DATA, REVIEW_DATA, agree, part_of

pytestmark = pytest.mark.django_db

SECRET = "DRAFTMEMO7Q"  # ASCII, so that it survives PDF text extraction intact


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return "".join(page.extract_text() for page in reader.pages)


def read(client, user, name, project, document=None) -> str:
    """The text a user reads on the sheet page, its print view or its PDF."""
    client.force_login(user)
    if name == "print_pdf":
        return pdf_text(client.get(reverse("projects:print_pdf", args=[project.pk, document])))
    args = [project.pk, document] if document else [project.pk]
    response = client.get(reverse(f"projects:{name}", args=args))
    assert response.status_code == 200
    return response.content.decode()


PRE_PAGES = [("pre_sheet", None), ("print", "pre-sheet"), ("print_pdf", "pre-sheet")]
REVIEW_PAGES = [("review_sheet", None), ("print", "review"), ("print_pdf", "review")]


# --- ふりかえりシート ---------------------------------------------------------------------------------


def _reviewing(project, people):
    """A project under review where the department has saved a draft holding SECRET (not submitted)."""
    agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    services.review_open(actor=people.coordinator, project=project)
    project.refresh_from_db()
    dept_part = project.review_sheet.parts.get(participant__party=people.dept.party)
    services.review_part_save(
        actor=people.dept_staff, part=dept_part, data={**REVIEW_DATA, "problems": SECRET}, version=None
    )
    return dept_part, project.review_sheet.parts.get(participant__party=people.org.party)


@pytest.mark.parametrize(("name", "document"), REVIEW_PAGES)
def test_review_draft_is_hidden_from_the_other_party_on_page_print_and_pdf(client, project, people, name, document):
    _reviewing(project, people)
    assert SECRET not in read(client, people.group_editor, name, project, document)
    # Its own party and the coordinator read it.
    assert SECRET in read(client, people.dept_staff, name, project, document)
    assert SECRET in read(client, people.coordinator, name, project, document)


@pytest.mark.parametrize(("name", "document"), REVIEW_PAGES)
def test_a_submitted_review_stays_hidden_until_every_party_has_submitted(client, project, people, name, document):
    dept_part, org_part = _reviewing(project, people)
    services.review_part_save(actor=people.dept_staff, part=dept_part, data={}, version=None, submit=True)
    assert SECRET not in read(client, people.group_editor, name, project, document)
    services.review_part_save(actor=people.group_editor, part=org_part, data=REVIEW_DATA, version=None, submit=True)
    assert SECRET in read(client, people.group_editor, name, project, document)


@pytest.mark.parametrize("name", ["review_sheet", "print"])
def test_review_comparison_only_once_every_party_has_submitted(client, project, people, name):
    dept_part, org_part = _reviewing(project, people)
    url = reverse(f"projects:{name}", args=[project.pk, "review"] if name == "print" else [project.pk])
    for user in (people.group_editor, people.coordinator):
        client.force_login(user)
        assert client.get(url).context["comparison"] is None
    services.review_part_save(actor=people.dept_staff, part=dept_part, data={}, version=None, submit=True)
    services.review_part_save(actor=people.group_editor, part=org_part, data=REVIEW_DATA, version=None, submit=True)
    client.force_login(people.group_editor)
    assert client.get(url).context["comparison"]


def test_a_returned_review_is_hidden_again_from_the_other_party(client, project, people):
    dept_part, org_part = _reviewing(project, people)
    services.review_part_save(actor=people.dept_staff, part=dept_part, data={}, version=None, submit=True)
    services.review_part_save(actor=people.group_editor, part=org_part, data=REVIEW_DATA, version=None, submit=True)
    services.review_part_return(actor=people.coordinator, part=dept_part, reason="課題をもう少し具体的に")
    assert SECRET not in read(client, people.group_editor, "print", project, "review")


# --- 事前確認シート -----------------------------------------------------------------------------------


@pytest.fixture
def third_party(project):
    """A third party, NPO B, with a draft holding SECRET (not submitted)."""
    org_b = f.OrganizationFactory(name="B団体")
    member_b = f.make_group_member(org_b, email="b-member@example.jp")
    ProjectParticipant.objects.create(project=project, party=org_b.party)
    services._open_pre_sheet(project)
    part_b = part_of(project, org_b.party)
    services.pre_part_save(actor=member_b, part=part_b, data={**PRE_DATA, "risks": SECRET}, version=None)
    return member_b, part_b


@pytest.mark.parametrize(("name", "document"), PRE_PAGES)
def test_pre_sheet_draft_is_hidden_from_the_other_parties(client, project, people, third_party, name, document):
    member_b, part_b = third_party
    part_b.refresh_from_db()
    assert part_b.status == PartStatus.DRAFT
    assert SECRET not in read(client, people.group_editor, name, project, document)
    assert SECRET not in read(client, people.dept_staff, name, project, document)
    assert SECRET in read(client, member_b, name, project, document)
    assert SECRET in read(client, people.coordinator, name, project, document)


@pytest.mark.parametrize(("name", "document"), PRE_PAGES)
def test_pre_sheet_part_is_shown_to_the_other_parties_once_submitted(
    client, project, people, third_party, name, document
):
    member_b, part_b = third_party
    services.pre_part_save(actor=member_b, part=part_b, data={}, version=None, submit=True)
    assert SECRET in read(client, people.group_editor, name, project, document)
    # Returned for correction, it is a draft again.
    services.pre_part_return(actor=people.coordinator, part=part_b, reason="リスクを具体的に")
    assert SECRET not in read(client, people.group_editor, name, project, document)


def test_pre_sheet_page_says_why_a_part_is_not_shown(client, project, people, third_party):
    page = read(client, people.group_editor, "pre_sheet", project)
    assert "B団体" in page and "提出した後に表示されます" in page


# --- the rule itself ----------------------------------------------------------------------------


def test_readable_parts_rule(project, people, third_party):
    member_b, part_b = third_party
    submit_org = part_of(project, people.org.party)
    services.pre_part_save(actor=people.group_editor, part=submit_org, data=PRE_DATA, version=None, submit=True)
    parts = list(project.pre_sheet.parts.select_related("participant").order_by("participant_id"))
    by_party = {p.participant.party_id: p for p in parts}
    dept, org, b = by_party[people.dept.party.pk], by_party[people.org.party.pk], by_party[part_b.participant.party_id]

    assert permissions.readable_parts(people.coordinator, parts) == parts
    # The department reads its own draft and NPO A's submitted part, not NPO B's draft.
    assert set(permissions.readable_parts(people.dept_staff, parts)) == {dept, org}
    # Blind (ふりかえり): until everyone has submitted, only its own part.
    assert permissions.readable_parts(people.dept_staff, parts, blind=True) == [dept]
    assert permissions.readable_parts(people.coordinator, parts, blind=True) == parts
    assert b not in permissions.readable_parts(people.group_editor, parts, blind=True)
    assert not permissions.can_compare_review(parts)
    assert not permissions.can_compare_review([])


def test_review_scores_show_their_scale(client, project, people):
    dept_part, org_part = _reviewing(project, people)
    services.review_part_save(actor=people.dept_staff, part=dept_part, data={}, version=None, submit=True)
    services.review_part_save(actor=people.group_editor, part=org_part, data=REVIEW_DATA, version=None, submit=True)
    client.force_login(people.group_editor)
    response = client.get(reverse("projects:review_sheet", args=[project.pk]))
    goal = response.context["comparison"][0]
    assert "4 / 5" in goal.values
    assert "4 / 5" in response.content.decode()
