"""The access-matrix scenario: group A and group B, the department in charge and another department,
a coordinator and an admin, with one object of every kind on A's side (and a few on B's for IDOR).
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from demo import factories as f
from organizations.models import ActivityPhoto, DepartmentMembership, OrganizationMembership, ProfileRevision
from privacy.models import DataRequest
from tests.organizations.helpers import png
from tests.security.totp import give_totp

ROLES = ["anon", "member_a", "member_b", "dept", "other_dept", "coord", "admin"]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Scenario:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    b: dict = field(default_factory=dict)  # B's objects, for IDOR checks

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def _side(org, dept, *, listing_title):
    """One side's chain: listing with attachment, interest, match with meeting, project with records."""
    from events.models import EventRegistration
    from matching.models import Match, MatchParticipant
    from projects.models import ProjectParticipant

    out = {}
    listing = f.ListingFactory(owner=org.party, title=listing_title)
    out["listing"] = listing
    from listings.models import ListingAttachment

    attachment = ListingAttachment(
        listing=listing, original_name="資料.pdf", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("資料.pdf", ContentFile(PDF), save=False)
    attachment.save()
    out["attachment"] = attachment
    out["interest"] = f.InterestFactory(listing=listing, from_party=dept.party)
    match = f.MatchFactory(stage=Match.Stage.PRE_MEETING)
    for party in (org.party, dept.party):
        f.MatchParticipantFactory(match=match, party=party, response=MatchParticipant.Response.ACCEPTED)
    out["match"] = match
    out["meeting"] = f.MeetingFactory(match=match)
    project = f.CollaborationProjectFactory(department=dept, match=None)
    part_org = ProjectParticipant.objects.create(project=project, party=org.party)
    part_dept = ProjectParticipant.objects.create(project=project, party=dept.party)
    sheet = f.PreConfirmationSheetFactory(project=project)
    out["pre_part"] = f.PreConfirmationPartFactory(sheet=sheet, participant=part_org)
    f.PreConfirmationPartFactory(sheet=sheet, participant=part_dept)
    out["agreement"] = f.AgreementFactory(project=project)
    review = f.ReviewSheetFactory(project=project)
    out["review_part"] = f.ReviewPartFactory(sheet=review, participant=part_org)
    f.ReviewPartFactory(sheet=review, participant=part_dept)
    out["follow_up"] = f.FollowUpFactory(project=project)
    out["project"] = project
    event = f.ExchangeEventFactory()
    out["event"] = event
    out["registration"] = EventRegistration.objects.create(event=event, party=org.party)
    out["activity"] = f.ActivityFactory(organization=org)
    out["photo"] = ActivityPhoto.objects.create(activity=out["activity"], image=png("photo.png"), alt_text="清掃の様子")
    org.logo = png("logo.png")
    org.save(update_fields=["logo"])
    out["revision"] = ProfileRevision.objects.create(organization=org, data={"name": org.name})
    return out


def build_scenario() -> Scenario:
    s = Scenario()
    division = f.DivisionFactory(name="健康福祉部")
    dept = f.DepartmentFactory(parent=division, name="子育て支援課")
    other_dept = f.DepartmentFactory(parent=division, name="環境政策課")
    section = f.CoordinatingSectionFactory()
    org_a = f.OrganizationFactory(name="Aの会")
    org_b = f.OrganizationFactory(name="Bの会")
    s.users["member_a"] = f.make_group_member(org_a, email="a@example.jp")
    s.users["member_b"] = f.make_group_member(org_b, email="b@example.jp")
    s.users["dept"] = f.make_department_staff(dept, role=DepartmentMembership.Role.MANAGER, email="d@example.jp")
    s.users["other_dept"] = f.make_department_staff(other_dept, email="od@example.jp")
    s.users["coord"] = f.make_coordinator(section, email="c@example.jp")
    s.users["admin"] = f.UserFactory(email="root@example.jp", is_staff=True, is_superuser=True)
    for key in ("coord", "admin"):
        give_totp(s.users[key])

    s.objects.update(org_a=org_a, org_b=org_b, dept=dept, other_dept=other_dept, section=section)
    s.objects.update(_side(org_a, dept, listing_title="Aの掲載"))
    s.b.update(_side(org_b, other_dept, listing_title="Bの掲載"))
    s.objects["membership_a"] = OrganizationMembership.objects.get(user=s.users["member_a"])
    s.b["membership"] = OrganizationMembership.objects.get(user=s.users["member_b"])
    s.objects["notification"] = f.NotificationFactory(recipient=s.users["member_a"], title="Aへのお知らせ")
    s.objects["data_request"] = DataRequest.objects.create(
        organization=org_a, kind="correction", body="訂正してください", requested_by=s.users["member_a"]
    )
    s.objects["bystander"] = f.UserFactory(email="leaver@example.jp")
    from organizations.models import Invitation

    s.objects["invitation"] = Invitation.objects.create(
        email="new@example.jp",
        department=dept,
        role="staff",
        token="matrix-token-0123456789",
        invited_by=s.users["coord"],
        expires_at=timezone.now() + datetime.timedelta(days=3),
    )
    from projects.models import CaseStudy

    s.objects["case"] = CaseStudy.objects.create(
        project=s.objects["project"], summary="Aの事例", is_published=True, published_at=timezone.now()
    )
    from surveys.services import survey_open

    s.objects["survey"] = survey_open(
        actor=s.users["coord"],
        fiscal_year=s.objects["project"].fiscal_year_start,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    s.objects["survey_response"] = s.objects["survey"].responses.get(department=dept)
    s.objects.update(_proposal_side(org_a, dept, s.b, org_b, other_dept))
    from api.models import CalendarToken

    s.objects["calendar_token"] = CalendarToken.objects.create(user=s.users["member_a"])
    return s


def _proposal_side(org_a, dept, b, org_b, other_dept):
    """An open call with A's submitted proposal (department in charge: dept) and B's, each with a file."""
    from proposals.models import Proposal, ProposalAttachment
    from tests.proposals.factories import CallFactory, ProposalFactory

    call = CallFactory()
    out = {"call": call}
    for side, org, department in ((out, org_a, dept), (b, org_b, other_dept)):
        proposal = ProposalFactory(
            call=call, applicant=org.party, department=department, status=Proposal.Status.SUBMITTED
        )
        attachment = ProposalAttachment(
            proposal=proposal, original_name="計画書.pdf", content_type="application/pdf", size=len(PDF)
        )
        attachment.file.save("計画書.pdf", ContentFile(PDF), save=False)
        attachment.save()
        side.update(proposal=proposal, proposal_attachment=attachment)
    return out
