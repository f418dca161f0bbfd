"""APPI: the privacy page, a group's data export, correction/deletion requests, anonymising users."""

import csv
import io
import json

import pytest

from accounts import services as account_services
from accounts.models import SecurityEvent
from core.exceptions import PermissionDenied, TransitionError
from demo import factories as f
from organizations.models import OrganizationMembership
from privacy import services
from privacy.models import DataRequest


@pytest.fixture
def org_with_data(organization):
    f.ContactPersonFactory(organization=organization, name='=HYPERLINK("http://evil")', email="c@example.jp")
    f.ActivityFactory(organization=organization)
    f.ListingFactory(owner=organization.party, title="@SUM(A1:A9) 見守り")
    return organization


@pytest.mark.django_db
def test_privacy_page_states_purpose_retention_and_contact(client):
    html = client.get("/privacy/").content.decode()
    for words in ("利用目的", "保存期間", "連絡担当者", "ログイン記録", "お問い合わせ窓口", "市民自治推進課", "訂正"):
        assert words in html


@pytest.mark.django_db
def test_representative_downloads_all_group_data_as_json(client, org_with_data, group_member):
    client.force_login(group_member)
    response = client.get(f"/my/groups/{org_with_data.pk}/data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["organization"]["name"] == org_with_data.name
    assert data["contact_persons"][0]["email"] == "c@example.jp"
    assert data["members"][0]["email"] == group_member.email
    assert len(data["listings"]) == 1 and len(data["activities"]) == 1
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DATA_EXPORT, user=group_member).exists()


@pytest.mark.django_db
def test_group_csv_neutralises_formula_injection(client, org_with_data, group_member):
    client.force_login(group_member)
    response = client.get(f"/my/groups/{org_with_data.pk}/data.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    values = [row[3] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in values
    assert "'@SUM(A1:A9) 見守り" in values
    assert not any(v.startswith(("=", "+", "@")) for v in values)


@pytest.mark.django_db
def test_editor_and_other_groups_cannot_download_or_request(client, org_with_data):
    editor = f.make_group_member(org_with_data, role=OrganizationMembership.Role.EDITOR)
    stranger = f.make_group_member()
    for user in (editor, stranger):
        client.force_login(user)
        assert client.get(f"/my/groups/{org_with_data.pk}/data.json").status_code == 403
        assert client.get(f"/my/groups/{org_with_data.pk}/data/").status_code == 403
        assert (
            client.post(
                f"/my/groups/{org_with_data.pk}/data-requests/new/", {"kind": "deletion", "body": "x"}
            ).status_code
            == 403
        )
    assert not DataRequest.objects.exists()


@pytest.mark.django_db
def test_coordinator_may_download_a_groups_data(client, org_with_data, coordinator):
    client.force_login(coordinator)
    assert client.get(f"/my/groups/{org_with_data.pk}/data.csv").status_code == 200


@pytest.mark.django_db
def test_representative_requests_correction_and_coordinator_resolves_it(
    client, organization, group_member, coordinator
):
    client.force_login(group_member)
    response = client.post(
        f"/my/groups/{organization.pk}/data-requests/new/",
        {"kind": "correction", "body": "連絡先の電話番号を訂正してください。"},
    )
    assert response.status_code == 302
    request = DataRequest.objects.get()
    assert request.status == DataRequest.Status.OPEN and request.requested_by == group_member
    assert coordinator.notifications.filter(title__contains="訂正").exists()

    client.force_login(coordinator)
    assert organization.name in client.get("/coordination/data-requests/").content.decode()
    response = client.post(
        f"/coordination/data-requests/{request.pk}/", {"status": "done", "resolution": "訂正しました。"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == DataRequest.Status.DONE and request.resolved_by == coordinator
    assert group_member.notifications.filter(title__contains="対応済み").exists()
    with pytest.raises(TransitionError):
        services.data_request_resolve(actor=coordinator, data_request=request, status="rejected", resolution="x")


@pytest.mark.django_db
def test_data_request_form_errors_are_japanese_and_keep_input(client, organization, group_member):
    client.force_login(group_member)
    response = client.post(f"/my/groups/{organization.pk}/data-requests/new/", {"kind": "", "body": "残す文"})
    html = response.content.decode()
    assert response.status_code == 200 and "申出の種類を選んでください" in html and "残す文" in html


@pytest.mark.django_db
def test_only_coordinators_see_and_resolve_requests(client, organization, group_member):
    request = services.data_request_create(actor=group_member, organization=organization, kind="deletion", body="削除")
    client.force_login(group_member)
    assert client.get("/coordination/data-requests/").status_code == 403
    assert (
        client.post(f"/coordination/data-requests/{request.pk}/", {"status": "done", "resolution": "x"}).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.data_request_resolve(actor=group_member, data_request=request, status="done", resolution="x")


@pytest.mark.django_db
def test_coordinator_anonymises_a_departed_user_and_records_stay_linked(client, coordinator, group_member):
    from organizations.models import ProfileRevision

    org = group_member.organization_memberships.first().organization
    revision = ProfileRevision.objects.create(organization=org, data={"name": "x"}, submitted_by=group_member)
    client.force_login(coordinator)
    response = client.post(f"/coordination/users/{group_member.pk}/anonymize/", {"confirm": "on"})
    assert response.status_code == 302
    group_member.refresh_from_db()
    assert group_member.family_name == "退会済み" and group_member.given_name == "利用者"
    assert group_member.email == f"anonymized-{group_member.pk}@invalid.example"
    assert not group_member.is_active and group_member.anonymized_at is not None
    assert not group_member.has_usable_password()
    revision.refresh_from_db()
    assert revision.submitted_by_id == group_member.pk
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.USER_ANONYMIZED, user=coordinator).exists()
    with pytest.raises(TransitionError):
        account_services.user_anonymize(actor=coordinator, user=group_member)


@pytest.mark.django_db
def test_anonymised_placeholders_are_unique(coordinator):
    a, b = f.UserFactory(), f.UserFactory()
    account_services.user_anonymize(actor=coordinator, user=a)
    account_services.user_anonymize(actor=coordinator, user=b)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.email != b.email


@pytest.mark.django_db
def test_group_member_cannot_anonymise_and_coordinator_cannot_anonymise_admin(
    client, group_member, coordinator, admin_user
):
    client.force_login(group_member)
    assert client.post(f"/coordination/users/{coordinator.pk}/anonymize/", {"confirm": "on"}).status_code == 403
    with pytest.raises(PermissionDenied):
        account_services.user_anonymize(actor=coordinator, user=admin_user)
    coordinator.refresh_from_db()
    assert coordinator.anonymized_at is None


@pytest.mark.django_db
def test_anonymise_asks_for_confirmation(client, coordinator, group_member):
    client.force_login(coordinator)
    response = client.post(f"/coordination/users/{group_member.pk}/anonymize/", {})
    assert response.status_code == 200 and "確認のチェックを入れてください" in response.content.decode()
    group_member.refresh_from_db()
    assert group_member.anonymized_at is None
