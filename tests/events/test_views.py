import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo import factories as f
from events.models import EventRegistration

pytestmark = pytest.mark.django_db


def test_public_event_list_and_month_calendar(client):
    event = f.ExchangeEventFactory(title="子育て分野の意見交換会")
    f.ExchangeEventFactory(title="下書きの会", status="draft")
    page = client.get(reverse("events:event_list"))
    assert page.status_code == 200
    assert "子育て分野の意見交換会" in page.content.decode() and "下書きの会" not in page.content.decode()
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    page = client.get(reverse("events:event_list"), {"month": month})
    days = [d for week in page.context["weeks"] for d, evs in week if evs]
    assert days == [timezone.localtime(event.starts_at).date()]
    assert client.get(reverse("events:event_list"), {"month": "bad"}).status_code == 200
    assert client.get(event.get_absolute_url()).status_code == 200


def test_draft_events_are_hidden_from_the_public(client, coordinator):
    draft = f.ExchangeEventFactory(status="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(coordinator)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_registering_to_present_and_the_capacity(client, group_member, organization, department_staff, department):
    event = f.ExchangeEventFactory(capacity=1)
    client.force_login(group_member)
    response = client.post(
        event.get_absolute_url(), {"party": organization.party_id, "role": "present", "note": "活動紹介"}
    )
    assert response.status_code == 302
    assert EventRegistration.objects.get().role == "present"
    client.force_login(department_staff)
    page = client.get(event.get_absolute_url())
    assert "定員に達しました" in page.content.decode()
    response = client.post(event.get_absolute_url(), {"party": department.party_id, "role": "attend"})
    assert "定員（1）に達したため申し込めません。" in response.content.decode()


def test_registration_preselects_the_only_party_and_lets_a_member_of_two_choose(client, group_member, organization):
    event = f.ExchangeEventFactory()
    client.force_login(group_member)
    form = client.get(event.get_absolute_url()).context["form"]
    assert form["party"].value() == organization.party_id
    assert "---------" not in str(form["party"])
    second = f.OrganizationFactory()
    f.OrganizationMembershipFactory(organization=second, user=group_member)
    client.force_login(group_member)
    form = client.get(event.get_absolute_url()).context["form"]
    assert form["party"].value() is None and "---------" in str(form["party"])


def test_coordinator_creates_an_event_and_records_its_outcomes(client, coordinator, organization, fields):
    client.force_login(coordinator)
    starts = timezone.localtime() + datetime.timedelta(days=20)
    response = client.post(
        reverse("events:event_create"),
        {
            "kind": "briefing",
            "title": "協働マッチング説明会",
            "theme": "協働の始め方",
            "starts_at": starts.strftime("%Y-%m-%dT14:00"),
            "place": "市民活動サポートセンター",
            "capacity": "30",
            "activity_fields": [fields[19].pk],
            "publish": "on",
        },
    )
    assert response.status_code == 302
    past = f.ExchangeEventFactory(starts_at=timezone.now() - datetime.timedelta(days=2))
    EventRegistration.objects.create(event=past, party=organization.party)
    interest = f.InterestFactory(from_party=organization.party)
    page = client.get(reverse("matching:event_outcomes", args=[past.pk]))
    assert interest in page.context["form"].fields["interests"].queryset
    client.post(reverse("matching:event_outcomes", args=[past.pk]), {"interests": [interest.pk]})
    interest.refresh_from_db()
    assert interest.origin_event == past


def test_event_management_is_for_coordinators(client, group_member):
    client.force_login(group_member)
    assert client.get(reverse("events:event_create")).status_code == 403
    event = f.ExchangeEventFactory()
    assert client.get(reverse("matching:event_outcomes", args=[event.pk])).status_code == 403


def test_a_called_off_event_stays_listed_marked_and_says_why(client, coordinator):
    event = f.ExchangeEventFactory(title="意見交換会（子育て）")
    client.force_login(coordinator)
    detail = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:event_cancel", args=[event.pk]) in detail
    assert client.get(reverse("events:event_cancel", args=[event.pk])).status_code == 405
    blank = client.post(reverse("events:event_cancel", args=[event.pk]), {"reason": "  "})
    assert blank.status_code == 200  # the page again, the form open with the error next to the field
    assert blank.context["cancel_form"].errors["reason"] == ["中止の理由を記入してください。"]
    assert '<details id="cancel-event" class="mt-3" open>' in blank.content.decode()
    event.refresh_from_db()
    assert event.status == "published"
    response = client.post(reverse("events:event_cancel", args=[event.pk]), {"reason": "会場の都合により"})
    assert response.status_code == 302
    client.logout()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "この交流の場は中止になりました。" in page and "会場の都合により" in page
    assert "ログインすると団体・担当課として申し込めます。" not in page
    listing = client.get(reverse("events:event_list")).content.decode()
    assert "意見交換会（子育て）" in listing and "中止" in listing
