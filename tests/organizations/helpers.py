"""Small helpers for the organizations tests: valid images and profile form data."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from organizations.models import ActivityField, CollaborationForm


def png(name="photo.png", size=(8, 8)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def profile_post(**overrides) -> dict:
    """POST data of the profile form, with an empty contact-person formset."""
    data = {
        "name": "NPO法人 子育てひろば",
        "name_kana": "こそだてひろば",
        "kind": "npo",
        "description": "子育て中の親子が集まれる居場所を運営しています。",
        "activities_summary": "子育てサロン、絵本の読み聞かせ",
        "public_email": "info@hiroba.example.jp",
        "activity_fields": [ActivityField.objects.get(number=13).pk],
        "open_forms": [CollaborationForm.objects.get(name="共催").pk],
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "5",
    }
    data.update(overrides)
    return data


def profile_data(**overrides) -> dict:
    """Revision data as the services take it."""
    data = {
        "name": "NPO法人 子育てひろば",
        "name_kana": "こそだてひろば",
        "kind": "npo",
        "area": None,
        "description": "子育て中の親子が集まれる居場所を運営しています。",
        "activities_summary": "子育てサロン",
        "founded_on": "2010-04-01",
        "member_count": 12,
        "website": "",
        "public_email": "info@hiroba.example.jp",
        "public_phone": "",
        "logo": "",
        "activity_fields": [ActivityField.objects.get(number=13).pk],
        "open_forms": [],
    }
    data.update(overrides)
    return data
