"""ASVS 5: every upload is allow-listed (extension + magic bytes, 10 MB) and stored under a generated
name; downloads are attachments with nosniff, only PNG/JPEG may be shown inline."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from core.downloads import file_response
from core.validators import GeneratedName, validate_document, validate_image, validate_spreadsheet

PORTAL_APPS = {"core", "accounts", "organizations", "listings", "matching", "projects", "notifications", "stats"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n" + b"0" * 32


def portal_file_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PORTAL_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.fields:
            if isinstance(field, models.FileField):
                yield model, field


def test_the_portal_has_upload_fields_to_check():
    assert len(list(portal_file_fields())) >= 3


@pytest.mark.parametrize("model,field", list(portal_file_fields()), ids=lambda x: getattr(x, "name", str(x)))
def test_every_model_file_field_validates_type_and_size_and_uses_generated_names(model, field):
    assert any(v in (validate_image, validate_document) for v in field.validators), f"{model.__name__}.{field.name}"
    if isinstance(field, models.ImageField):
        assert validate_image in field.validators
    assert isinstance(field.upload_to, GeneratedName)


def portal_form_file_fields():
    for app in sorted(PORTAL_APPS):
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for name in dir(module):
            form = getattr(module, name)
            base_fields = getattr(form, "base_fields", None)
            if not isinstance(base_fields, dict) or getattr(form, "__module__", "") != module.__name__:
                continue
            for field_name, field in base_fields.items():
                from django import forms

                if isinstance(field, forms.FileField):
                    yield f"{app}.{name}.{field_name}", form, field_name, field


def _model_field(form, field_name):
    meta = getattr(form, "_meta", None)
    model = getattr(meta, "model", None)
    if model is None:
        return None
    try:
        return model._meta.get_field(field_name)
    except Exception:  # noqa: BLE001
        return None


@pytest.mark.parametrize(
    "label,form,field_name,field",
    list(portal_form_file_fields()) or [("none", None, None, None)],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_every_form_file_field_validates_type_and_size(label, form, field_name, field):
    """A plain form field carries a core validator; a ModelForm field is checked by its model field."""
    if field is None:
        pytest.skip("no form file fields yet")
    allowed = (validate_image, validate_document, validate_spreadsheet)
    model_field = _model_field(form, field_name)
    validators = list(field.validators) + list(getattr(model_field, "validators", []))
    assert any(v in allowed for v in validators), label


def test_generated_name_drops_the_uploaded_name():
    name = GeneratedName("listing-files")(None, "../../etc/passwd<script>.pdf")
    assert name.startswith("listing-files/") and name.endswith(".pdf")
    assert "passwd" not in name and "script" not in name and ".." not in name


def test_html_disguised_as_pdf_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>"))
    with pytest.raises(ValidationError):
        validate_document(SimpleUploadedFile("page.html", b"%PDF-1.7"))


@pytest.fixture
def stored(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.storage import default_storage

    def make(name, content):
        from django.db.models.fields.files import FieldFile

        saved = default_storage.save(name, ContentFile(content))
        return FieldFile(None, models.FileField(), saved)

    return make


def test_download_is_an_attachment_with_nosniff(stored):
    response = file_response(stored("listing-files/abc.pdf", PDF), "事業計画.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_unknown_stored_type_is_never_sent_as_html(stored):
    response = file_response(stored("listing-files/x.html", b"<script>alert(1)</script>"), inline_images=True)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_images_are_inline_only_when_asked_and_only_png_or_jpeg(stored):
    logo = stored("logos/l.png", PNG)
    assert file_response(logo, inline_images=True)["Content-Disposition"].startswith("inline")
    assert file_response(logo)["Content-Disposition"].startswith("attachment")
    pdf = stored("listing-files/p.pdf", PDF)
    assert file_response(pdf, inline_images=True)["Content-Disposition"].startswith("attachment")


def test_missing_file_is_404(stored):
    from django.db.models.fields.files import FieldFile
    from django.http import Http404

    with pytest.raises(Http404):
        file_response(FieldFile(None, models.FileField(), "listing-files/gone.pdf"))


@pytest.mark.django_db
def test_listing_attachment_download_is_an_attachment_with_nosniff(client, tmp_path, settings):
    from demo import factories as f
    from listings.models import ListingAttachment

    settings.MEDIA_ROOT = tmp_path
    listing = f.ListingFactory()
    attachment = ListingAttachment(
        listing=listing, original_name="計画.pdf", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("計画.pdf", ContentFile(PDF), save=False)
    attachment.save()
    response = client.get(f"/listings/{listing.pk}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_listing_attachment_type_is_the_checked_one_not_the_uploaders_claim(client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from demo import factories as f
    from listings import services

    settings.MEDIA_ROOT = tmp_path
    organization = f.OrganizationFactory()
    member = f.make_group_member(organization)
    listing = f.ListingFactory(owner=organization.party, status="draft")
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="text/html")  # what the browser claimed
    attachment = services.listing_add_attachment(actor=member, listing=listing, upload=upload)
    client.force_login(member)
    response = client.get(f"/listings/{listing.pk}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"  # a draft's file is nobody's to cache
    assert "sandbox" in response["Content-Security-Policy"]
