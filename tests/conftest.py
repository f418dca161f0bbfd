import pytest
from django.core.cache import cache

from tests import factories as f


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def coordinator(db):
    return f.make_coordinator(email="coord@example.jp")


@pytest.fixture
def organization(db):
    return f.OrganizationFactory()


@pytest.fixture
def group_member(organization):
    return f.make_group_member(organization, email="member@example.jp")


@pytest.fixture
def department(db):
    return f.DepartmentFactory(parent=f.DivisionFactory())


@pytest.fixture
def department_staff(department):
    return f.make_department_staff(department, email="staff@example.jp")


@pytest.fixture
def admin_user(db):
    return f.UserFactory(email="admin@example.jp", is_staff=True, is_superuser=True)


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run only when DATABASE_URL points at PostgreSQL."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
