import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.validators import validate_document, validate_image

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
PDF = b"%PDF-1.4\n%..."


def test_accepts_png_and_pdf_with_matching_content():
    validate_image(SimpleUploadedFile("logo.PNG", PNG))
    validate_document(SimpleUploadedFile("plan.pdf", PDF))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("page.html", b"<html>", "file_type"),
        ("fake.png", b"<script>alert(1)</script>", "file_content"),
        ("fake.pdf", PNG, "file_content"),
        ("plan.pdf", PDF, "file_type"),  # a PDF is not an image
    ],
)
def test_rejects_wrong_type_or_content(name, content, code):
    validator = validate_image if code != "file_content" or name.endswith(".png") else validate_document
    with pytest.raises(ValidationError) as err:
        validator(SimpleUploadedFile(name, content))
    assert err.value.code == code


def test_rejects_files_over_the_limit(settings):
    settings.MAX_UPLOAD_SIZE = 10
    with pytest.raises(ValidationError) as err:
        validate_document(SimpleUploadedFile("big.pdf", PDF + b"x" * 20))
    assert err.value.code == "file_size"
    assert "上限" in err.value.messages[0]
