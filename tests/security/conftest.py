import pytest
from django.test import override_settings

from demo import factories as f
from tests.security.totp import give_totp


@pytest.fixture
def axes_on():
    """django-axes is off in test settings; these tests switch it on (and start from a clean slate)."""
    from axes.models import AccessAttempt

    with override_settings(AXES_ENABLED=True):
        AccessAttempt.objects.all().delete()
        yield


@pytest.fixture
def mfa_required():
    with override_settings(MFA_REQUIRED_FOR_PRIVILEGED=True):
        yield


@pytest.fixture
def coordinator_with_totp(db):
    user = f.make_coordinator(email="coord-mfa@example.jp")
    give_totp(user)
    return user
