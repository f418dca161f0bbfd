"""ASVS 16: the change history of objects (shown to coordinators), append-only history tables on
PostgreSQL, and the security log (personal-data views, retention)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.security import log_personal_data_view
from core.history import object_history
from demo import factories as f


def edit(obj, user, **changes):
    for k, v in changes.items():
        setattr(obj, k, v)
    obj._history_user = user
    obj.save()


@pytest.mark.django_db
def test_history_says_who_changed_what_and_when(coordinator):
    org = f.OrganizationFactory(name="旧い名前の会")
    edit(org, coordinator, name="新しい名前の会", description="紹介文を更新")
    entries = object_history(org)
    assert entries[0].who == str(coordinator)
    changed = {c.field: (c.old, c.new) for c in entries[0].changes}
    assert changed["団体名"] == ("旧い名前の会", "新しい名前の会")
    assert "団体の紹介" in changed
    assert entries[-1].created
    assert entries[0].when <= timezone.now()


@pytest.mark.django_db
def test_history_shows_choice_labels_not_codes(coordinator):
    project = f.CollaborationProjectFactory()
    edit(project, coordinator, outcome="good")
    changed = {c.field: (c.old, c.new) for c in object_history(project)[0].changes}
    assert changed["成果"] == ("", "成果が上がっている")


@pytest.mark.django_db
def test_history_page_is_for_coordinators_only(client, coordinator, group_member):
    org = group_member.organization_memberships.first().organization
    edit(org, group_member, name="<b>太字</b>の会")
    url = f"/coordination/history/organizations.organization/{org.pk}/"
    assert client.get(url).status_code == 302
    client.force_login(group_member)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "変更履歴" in html and "&lt;b&gt;太字&lt;/b&gt;の会" in html and "<b>太字</b>" not in html


@pytest.mark.django_db
def test_history_page_refuses_models_without_history_and_unknown_models(client, coordinator):
    client.force_login(coordinator)
    assert client.get(f"/coordination/history/accounts.user/{coordinator.pk}/").status_code == 404
    assert client.get("/coordination/history/nope.nothing/1/").status_code == 404


@pytest.mark.django_db
def test_admin_shows_the_history_of_an_agreement(client, admin_user):
    agreement = f.AgreementFactory()
    client.force_login(admin_user)
    response = client.get(f"/admin/projects/agreement/{agreement.pk}/history/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_coordinator_viewing_personal_data_is_logged_but_the_group_itself_is_not(rf, coordinator, group_member):
    contact = f.ContactPersonFactory()
    request = rf.get("/groups/1/")
    request.user = coordinator
    event = log_personal_data_view(request, contact)
    assert event.kind == SecurityEvent.Kind.PERSONAL_DATA_VIEW
    assert event.user == coordinator and event.object_label == f"organizations.ContactPerson:{contact.pk}"
    request.user = group_member
    assert log_personal_data_view(request, contact) is None


@pytest.mark.django_db
def test_security_log_never_keeps_secrets_in_detail(rf):
    from accounts.security import log_event

    event = log_event("login", request=rf.get("/"), detail={"password": "x", "token": "y", "reason": "ok"})
    assert event.detail == {"reason": "ok"}


@pytest.mark.django_db
def test_purge_removes_only_entries_older_than_the_retention(settings):
    assert settings.SECURITY_LOG_RETENTION_DAYS >= 365
    old = SecurityEvent.objects.create(kind="login", created_at=timezone.now() - datetime.timedelta(days=401))
    recent = SecurityEvent.objects.create(kind="login", created_at=timezone.now() - datetime.timedelta(days=300))
    call_command("purge_security_log")
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=recent.pk).exists()
    call_command("purge_security_log", days=30)
    assert not SecurityEvent.objects.filter(pk=recent.pk).exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_history_tables_refuse_update_and_delete_on_postgresql():
    from ops.history_guards import install_history_guards

    assert "organizations_historicalorganization" in install_history_guards()
    org = f.OrganizationFactory(name="監査の会")
    table = org.history.model._meta.db_table
    for sql in (f"UPDATE {table} SET name = '改ざん'", f"DELETE FROM {table}"):  # noqa: S608 - model table name
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert org.history.count() == 1 and org.history.first().name == "監査の会"
    # New history rows are still written.
    org.name = "監査の会2"
    org.save()
    assert org.history.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_history_table_is_guarded_on_postgresql():
    from django.apps import apps

    from ops.history_guards import TRIGGER_NAME, history_tables

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name = %s", [TRIGGER_NAME]
        )
        guarded = {row[0] for row in cursor.fetchall()}
    assert set(history_tables(apps.get_models())) <= guarded


@pytest.mark.django_db
def test_coordinator_opening_a_group_with_contacts_is_in_the_security_log(client, coordinator, group_member):
    org = group_member.organization_memberships.first().organization
    f.ContactPersonFactory(organization=org)
    client.force_login(group_member)
    client.get(f"/groups/{org.pk}/")
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.PERSONAL_DATA_VIEW).exists()
    client.force_login(coordinator)
    client.get(f"/groups/{org.pk}/")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PERSONAL_DATA_VIEW)
    assert event.user == coordinator and event.path == f"/groups/{org.pk}/"
    assert event.object_label == f"organizations.Organization:{org.pk}"
