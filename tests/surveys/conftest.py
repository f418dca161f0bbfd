import datetime

import pytest

from organizations.models import CollaborationForm, DepartmentMembership
from surveys import services
from tests import factories as f

FY = 2024


@pytest.fixture
def setting(db):
    """Two sections: 協働課 collaborating in FY2024 and before (①), 未協働課 never (④); their people."""
    division = f.DivisionFactory(name="市民部")
    active = f.DepartmentFactory(name="協働課", parent=division)
    never = f.DepartmentFactory(name="未協働課", parent=division)
    project = f.CollaborationProjectFactory(
        title="子育てサロン",
        department=active,
        fiscal_year_start=FY - 1,
        fiscal_year_end=FY,
        forms=[CollaborationForm.objects.get(name="共催")],
    )
    f.ProjectParticipantFactory(project=project, party=f.OrganizationFactory(name="子育てネット").party)

    class S:
        pass

    s = S()
    s.active, s.never, s.project = active, never, project
    s.coordinator = f.make_coordinator(email="coord@example.jp")
    s.staff = f.make_department_staff(active, email="staff@example.jp")
    s.manager = f.make_department_staff(active, role=DepartmentMembership.Role.MANAGER, email="kacho@example.jp")
    s.never_staff = f.make_department_staff(never, email="never@example.jp")
    s.group_member = f.make_group_member(email="npo@example.jp")
    s.admin = f.UserFactory(email="admin@example.jp", is_staff=True, is_superuser=True)
    return s


@pytest.fixture
def survey(setting):
    return services.survey_open(
        actor=setting.coordinator, fiscal_year=FY, deadline=datetime.date.today() + datetime.timedelta(days=30)
    )
