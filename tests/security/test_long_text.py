"""Long text cannot stall the site: free text is capped (model and form), the PDF layout breaks long
unbroken Japanese, and a PDF that cannot be made in time costs a child process, not the worker."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from core.models import TEXT_SHORT, CappedTextField
from demo import factories as f

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
PORTAL_APPS = {
    "core", "accounts", "organizations", "listings", "matching", "projects", "notifications", "stats", "proposals",
    "surveys",
}  # fmt: skip


SYSTEM_TEXT = {"core.JobRun.outcome"}  # written by the scheduler, never by a user


def test_every_free_text_field_of_the_portal_has_a_cap():
    uncapped = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in PORTAL_APPS and not model.__name__.startswith("Historical")
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
        and field.editable
        and not (isinstance(field, CappedTextField) and field.max_length)
        and f"{model._meta.label}.{field.name}" not in SYSTEM_TEXT
    ]
    assert uncapped == []


def test_the_model_refuses_text_over_the_cap_even_without_a_form():
    part = f.PreConfirmationPartFactory()
    part.purpose = "あ" * (TEXT_SHORT + 1)
    with pytest.raises(ValidationError) as caught:
        part.full_clean()
    assert "purpose" in caught.value.message_dict


def test_the_sheet_form_says_in_japanese_that_the_text_is_too_long_and_keeps_it(client):
    from tests.projects.test_end_to_end import part_post

    part = f.PreConfirmationPartFactory()
    member = f.make_group_member(part.participant.party.organization)
    client.force_login(member)
    too_long = "区切りのない長い文章" * 250  # 2,500 characters
    response = client.post(
        reverse("projects:pre_sheet", args=[part.sheet.project.pk]),
        part_post(part, {"purpose": too_long}, submit=False),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2000 文字以下" in page or "2000文字以下" in page
    assert too_long in page  # the input is kept
    part.refresh_from_db()
    assert part.purpose != too_long


def test_the_print_layout_breaks_long_unbroken_text_without_measuring_it():
    """table-layout: fixed keeps WeasyPrint linear (auto layout took 65 s for one 2,000-character cell)."""
    css = (ROOT / "static" / "css" / "print-record.css").read_text()
    table = re.search(r"\.print-record table \{([^}]*)\}", css).group(1)
    cells = re.search(r"\.print-record th, \.print-record td \{([^}]*)\}", css).group(1)
    assert "table-layout: fixed" in table
    assert "overflow-wrap: anywhere" in cells


def test_a_pdf_that_cannot_be_made_in_time_gives_a_japanese_page_with_what_to_do(client, settings):
    settings.PDF_RENDER_TIMEOUT = 0.001  # the child cannot even start in time
    project = f.project_with_full_records()
    client.force_login(f.make_coordinator())
    response = client.get(reverse("projects:print_pdf", args=[project.pk, "review"]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "PDFを作成できませんでした" in page
    assert reverse("projects:print", args=[project.pk, "review"]) in page  # print from the browser instead
    assert "PDFに保存" in page


def test_the_pdf_is_rendered_in_a_child_process(monkeypatch, settings):
    """The request worker never runs WeasyPrint itself: render_pdf hands the HTML to a child process."""
    import subprocess

    from projects import pdf

    calls = []

    def fake_run(args, **kwargs):
        calls.append((args, kwargs))
        return subprocess.CompletedProcess(args, 0, stdout=b"%PDF-1.7 fake", stderr=b"")

    monkeypatch.setattr(pdf.subprocess, "run", fake_run)
    assert pdf.render_pdf("<p>x</p>") == b"%PDF-1.7 fake"
    ((args, kwargs),) = calls
    assert args[1:3] == ["-m", "projects.pdf"] and kwargs["timeout"] == settings.PDF_RENDER_TIMEOUT
