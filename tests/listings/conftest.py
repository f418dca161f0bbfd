import pytest

from organizations.models import ActivityField, CollaborationForm


@pytest.fixture
def field(db):
    return ActivityField.objects.get(number=13)


@pytest.fixture
def other_field(db):
    return ActivityField.objects.get(number=7)


@pytest.fixture
def coforms(db):
    return list(CollaborationForm.objects.all()[:2])


@pytest.fixture
def pdf_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("企画書.pdf", b"%PDF-1.4\n% demo\n", content_type="application/pdf")
