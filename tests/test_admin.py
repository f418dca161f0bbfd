"""Every model is in the admin, and each changelist and add page loads for a superuser."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests import factories as f


@pytest.fixture
def admin_client_with_data(client, admin_user):
    f.ListingFactory()
    f.CollaborationProjectFactory()
    client.force_login(admin_user)
    return client


def registered_models():
    return sorted(admin.site._registry, key=lambda m: m._meta.label)


def test_every_portal_model_is_registered():
    from django.apps import apps

    ours = {"accounts", "organizations", "listings", "matching", "projects", "notifications", "surveys"}
    inlined = {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in ours
        and not m.__name__.startswith("Historical")
        and m not in admin.site._registry
        and m not in inlined
    ]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m._meta.label)
def test_admin_changelist_and_add_pages_load(admin_client_with_data, admin_user, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client_with_data.get(changelist).status_code == 200
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    request = RequestFactory().get(add)
    request.user = admin_user
    expected = 200 if admin.site._registry[model].has_add_permission(request) else 403
    assert admin_client_with_data.get(add).status_code == expected
