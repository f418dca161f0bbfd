import datetime

import pytest
from django.utils import timezone

from proposals import services
from proposals.models import Proposal
from tests import factories as f
from tests.proposals.factories import CallFactory, ProposalFactory


class Cast:
    """Everyone around one call: a group, the department in charge, two reviewers, a coordinator."""

    def __init__(self):
        self.section = f.CoordinatingSectionFactory()
        self.coordinator = f.make_coordinator(self.section, email="coord@example.jp")
        self.org = f.OrganizationFactory(name="みどりの会")
        self.member = f.make_group_member(self.org, email="member@example.jp")
        self.other_org = f.OrganizationFactory(name="ひまわりの会")
        self.other_member = f.make_group_member(self.other_org, email="other@example.jp")
        self.dept = f.DepartmentFactory(parent=f.DivisionFactory(), name="子育て支援課")
        self.staff = f.make_department_staff(self.dept, email="staff@example.jp")
        self.other_dept = f.DepartmentFactory(parent=self.dept.parent, name="環境政策課")
        self.other_staff = f.make_department_staff(self.other_dept, email="otherstaff@example.jp")
        self.reviewer1 = f.make_department_staff(self.other_dept, email="rev1@example.jp")
        self.reviewer2 = f.make_department_staff(self.other_dept, email="rev2@example.jp")
        self.call = CallFactory()
        self.call.reviewers.set([self.reviewer1, self.reviewer2, self.coordinator])

    def proposal(self, **kwargs) -> Proposal:
        return ProposalFactory(call=self.call, applicant=self.org.party, department=self.dept, **kwargs)

    def submitted(self, **kwargs) -> Proposal:
        p = self.proposal(**kwargs)
        return services.proposal_move(actor=self.member, proposal=p, action="submit")

    def under_review(self, **kwargs) -> Proposal:
        p = self.submitted(**kwargs)
        services.department_view_state(actor=self.staff, proposal=p, view="課の事業と重なり、協働の意義がある")
        self.pass_deadline()
        return services.proposal_move(actor=self.coordinator, proposal=p, action="start_review")

    def pass_deadline(self):
        self.call.deadline = timezone.now() - datetime.timedelta(minutes=1)
        self.call.save(update_fields=["deadline"])


@pytest.fixture
def cast(db):
    return Cast()
