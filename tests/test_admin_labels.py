"""The admin reads in Japanese: distinct section names, third-party models named, how to make a
coordinator explained (issue #17, item 9)."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

JAPANESE = re.compile(r"[ぁ-んァ-ヶ一-龠]")


def test_admin_sections_have_distinct_japanese_names():
    with translation.override("ja"):
        names = {}
        for model in admin.site._registry:
            config = model._meta.app_config
            names.setdefault(str(config.verbose_name), set()).add(config.label)
    duplicates = {name: labels for name, labels in names.items() if len(labels) > 1}
    assert duplicates == {}


def test_every_model_in_the_admin_has_a_japanese_name():
    with translation.override("ja"):
        english = [
            f"{model._meta.app_config.verbose_name} / {model._meta.verbose_name_plural}"
            for model in admin.site._registry
            if not JAPANESE.search(str(model._meta.verbose_name_plural))
            or not JAPANESE.search(str(model._meta.app_config.verbose_name))
        ]
    assert english == []


@pytest.mark.django_db
def test_admin_index_explains_how_a_user_becomes_a_coordinator(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "コーディネーターにするには" in html and "協働の調整部署" in html
    assert "Axes" not in html and "Tasks Database Backend" not in html
