import pytest
from django.core.cache import cache
from django.utils import translation

from demo import factories as f
from organizations.models import ActivityField, CollaborationForm
from organizations.reference import load_reference_data


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _japanese():
    """Each test starts in the portal's language: a test client request in English leaves English
    active in the thread (LocaleMiddleware activates, nothing deactivates), and a later test's
    service messages would come out in English."""
    translation.activate("ja")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (browser tests, parallel-save tests) flush the database when they end,
    which also wipes the reference rows the data migration loaded; put them back before each one."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if transactional:
        request.getfixturevalue("transactional_db")
        load_reference_data(ActivityField, CollaborationForm)


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
def fields(db):
    """The activity fields (reference data) by number."""
    return {af.number: af for af in ActivityField.objects.all()}


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
