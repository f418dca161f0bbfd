import datetime

import pytest
from django.core import mail

from core.exceptions import ConflictError, PermissionDenied, TransitionError
from demo import factories as f
from listings import services
from listings.models import Follow, Listing, ListingStatusChange
from notifications.models import Notification

S = Listing.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(organization):
    return f.ListingFactory(owner=organization.party, status=S.DRAFT, published_at=None)


def _publish(coordinator, listing, **kw):
    args = {"public_interest": True, "fits_plans": True, "department_agrees": False, "note": ""} | kw
    return services.listing_publish(actor=coordinator, listing=listing, **args)


def test_create_puts_listing_in_draft_and_records_who(group_member, organization, field, coforms):
    listing = services.listing_create(
        actor=group_member,
        owner=organization.party,
        data={"kind": "seed", "title": "絵本の読み聞かせ", "body": "保育園や図書館で読み聞かせができます。"},
        activity_fields=[field],
        collaboration_forms=coforms,
    )
    assert listing.status == S.DRAFT
    assert listing.created_by == group_member
    assert list(listing.activity_fields.all()) == [field]
    change = listing.status_changes.get()
    assert (change.from_status, change.to_status, change.actor) == ("", S.DRAFT, group_member)


def test_create_refuses_a_party_the_user_does_not_belong_to(group_member):
    stranger = f.OrganizationFactory()
    with pytest.raises(PermissionDenied):
        services.listing_create(
            actor=group_member, owner=stranger.party, data={"kind": "need", "title": "x", "body": "y"}
        )


def test_department_staff_creates_a_theme_for_their_department(department_staff, department):
    listing = services.listing_create(
        actor=department_staff,
        owner=department.party,
        data={"kind": "need", "title": "放課後の居場所づくり", "body": "一緒に取り組む団体を探しています。"},
    )
    assert listing.display_kind == "協働テーマ"


def test_update_refuses_a_stale_version(group_member, draft):
    services.listing_update(actor=group_member, listing=draft, version=draft.version, data={"title": "新しい題"})
    with pytest.raises(ConflictError) as exc:
        services.listing_update(actor=group_member, listing=draft, version=draft.version, data={"title": "古い題"})
    assert exc.value.current.title == "新しい題"
    draft.refresh_from_db()
    assert draft.title == "新しい題" and draft.version == 2


def test_update_refused_once_published(group_member, organization):
    listing = f.ListingFactory(owner=organization.party)
    with pytest.raises(TransitionError, match="編集できません"):
        services.listing_update(actor=group_member, listing=listing, version=listing.version, data={"title": "x"})


def test_submit_moves_draft_to_pending_and_records_change(group_member, draft):
    services.listing_submit(actor=group_member, listing=draft)
    draft.refresh_from_db()
    assert draft.status == S.PENDING
    assert draft.status_changes.last().actor == group_member


def test_submit_by_someone_else_is_refused(department_staff, draft):
    with pytest.raises(PermissionDenied):
        services.listing_submit(actor=department_staff, listing=draft)


def test_submit_of_published_listing_is_an_illegal_move(group_member, organization):
    listing = f.ListingFactory(owner=organization.party)
    with pytest.raises(TransitionError, match="審査を申請できません"):
        services.listing_submit(actor=group_member, listing=listing)


def test_publish_records_checklist_and_tells_the_owner(
    coordinator, group_member, draft, django_capture_on_commit_callbacks
):
    services.listing_submit(actor=group_member, listing=draft)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(coordinator, draft, department_agrees=True, note="公益性あり")
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED and draft.published_at
    assert (draft.screen_public_interest, draft.screen_fits_plans, draft.screen_department_agrees) == (True, True, True)
    assert draft.screen_note == "公益性あり"
    assert Notification.objects.get(recipient=group_member).kind == "review"
    assert mail.outbox[0].to == [group_member.email]


def test_only_coordinators_publish(group_member, department_staff, draft):
    services.listing_submit(actor=group_member, listing=draft)
    for user in (group_member, department_staff):
        with pytest.raises(PermissionDenied):
            _publish(user, draft)
    draft.refresh_from_db()
    assert draft.status == S.PENDING


def test_publish_without_public_interest_is_refused(coordinator, group_member, draft):
    services.listing_submit(actor=group_member, listing=draft)
    with pytest.raises(TransitionError, match="公益性"):
        _publish(coordinator, draft, public_interest=False)


def test_publish_of_a_draft_is_an_illegal_move(coordinator, draft):
    with pytest.raises(TransitionError, match="審査中の掲載だけ"):
        _publish(coordinator, draft)


def test_return_needs_a_reason_and_notifies_owner(coordinator, group_member, draft):
    services.listing_submit(actor=group_member, listing=draft)
    with pytest.raises(TransitionError, match="理由"):
        services.listing_return(actor=coordinator, listing=draft, reason="  ")
    services.listing_return(actor=coordinator, listing=draft, reason="会員向けの内容に見えます。")
    draft.refresh_from_db()
    assert draft.status == S.RETURNED and draft.return_reason == "会員向けの内容に見えます。"
    assert draft.status_changes.last().note == "会員向けの内容に見えます。"
    assert Notification.objects.filter(recipient=group_member, kind="review").exists()


def test_return_by_a_group_member_is_refused(group_member, draft):
    services.listing_submit(actor=group_member, listing=draft)
    with pytest.raises(PermissionDenied):
        services.listing_return(actor=group_member, listing=draft, reason="x")


def test_returned_listing_can_be_resubmitted(coordinator, group_member, draft):
    services.listing_submit(actor=group_member, listing=draft)
    services.listing_return(actor=coordinator, listing=draft, reason="追記してください")
    services.listing_submit(actor=group_member, listing=draft)
    draft.refresh_from_db()
    assert draft.status == S.PENDING


def test_owner_and_coordinator_close_published_listing(coordinator, group_member, organization):
    mine = f.ListingFactory(owner=organization.party)
    services.listing_close(actor=group_member, listing=mine)
    mine.refresh_from_db()
    assert mine.status == S.CLOSED and mine.closed_at
    other = f.ListingFactory()
    services.listing_close(actor=coordinator, listing=other)
    with pytest.raises(TransitionError):
        services.listing_close(actor=coordinator, listing=other)


def test_close_by_stranger_is_refused(department_staff, organization):
    listing = f.ListingFactory(owner=organization.party)
    with pytest.raises(PermissionDenied):
        services.listing_close(actor=department_staff, listing=listing)


def test_expire_closes_only_published_listings_past_their_end():
    today = datetime.date(2026, 4, 10)
    past = f.ListingFactory(period_end=datetime.date(2026, 4, 9))
    current = f.ListingFactory(period_end=today)
    ongoing = f.ListingFactory(period_end=None)
    draft_past = f.ListingFactory(status=S.DRAFT, period_end=datetime.date(2026, 1, 1))
    assert services.listings_expire(today=today) == 1
    statuses = dict(Listing.objects.values_list("pk", "status"))
    assert statuses[past.pk] == S.CLOSED
    assert statuses[current.pk] == statuses[ongoing.pk] == S.PUBLISHED
    assert statuses[draft_past.pk] == S.DRAFT
    change = ListingStatusChange.objects.get(listing=past)
    assert change.actor is None and change.note == "掲載期間の終了"
    assert services.listings_expire(today=today) == 0


def test_expire_listings_command_runs(capsys):
    from django.core.management import call_command

    f.ListingFactory(period_end=datetime.date(2020, 1, 1))
    call_command("expire_listings")
    assert "listings closed: 1" in capsys.readouterr().out


def test_interest_goes_to_owner_members_and_coordinators(
    coordinator, group_member, organization, department_staff, department, django_capture_on_commit_callbacks
):
    listing = f.ListingFactory(owner=organization.party)
    with django_capture_on_commit_callbacks(execute=True):
        interest = services.interest_send(
            actor=department_staff, listing=listing, from_party=department.party, message="関心があります"
        )
    assert interest.sender == department_staff
    assert set(Notification.objects.filter(kind="interest").values_list("recipient", flat=True)) == {
        coordinator.pk,
        group_member.pk,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, group_member.email])


def test_interest_in_an_unpublished_listing_is_refused(department_staff, department, organization):
    listing = f.ListingFactory(owner=organization.party, status=S.DRAFT)
    with pytest.raises(TransitionError):
        services.interest_send(actor=department_staff, listing=listing, from_party=department.party, message="x")


def test_interest_from_a_party_not_ones_own_or_from_the_owner_is_refused(group_member, organization, department):
    listing = f.ListingFactory(owner=organization.party)
    with pytest.raises(PermissionDenied):
        services.interest_send(actor=group_member, listing=listing, from_party=department.party, message="x")
    with pytest.raises(PermissionDenied):
        services.interest_send(actor=group_member, listing=listing, from_party=organization.party, message="x")


def test_first_owner_reply_sets_answered_at_and_tells_the_sender(
    group_member, organization, department_staff, department
):
    interest = f.InterestFactory(listing=f.ListingFactory(owner=organization.party), from_party=department.party)
    services.interest_reply(actor=department_staff, interest=interest, body="補足です")
    interest.refresh_from_db()
    assert interest.answered_at is None
    services.interest_reply(actor=group_member, interest=interest, body="ありがとうございます")
    interest.refresh_from_db()
    first = interest.answered_at
    assert first is not None
    services.interest_reply(actor=group_member, interest=interest, body="追伸")
    interest.refresh_from_db()
    assert interest.answered_at == first
    assert Notification.objects.filter(recipient=department_staff, kind="reply").count() == 2
    assert Notification.objects.filter(recipient=group_member, kind="reply").count() == 1


def test_coordinator_and_strangers_cannot_reply(coordinator, organization, department):
    interest = f.InterestFactory(listing=f.ListingFactory(owner=organization.party), from_party=department.party)
    for user in (coordinator, f.make_group_member()):
        with pytest.raises(PermissionDenied):
            services.interest_reply(actor=user, interest=interest, body="x")


def test_followers_hear_of_published_themes_in_their_field(
    coordinator, department_staff, department, field, other_field
):
    fan = f.make_group_member()
    dept_fan = f.make_group_member()
    bystander = f.make_group_member()
    services.follows_set(user=fan, activity_fields=[field], departments=[])
    services.follows_set(user=dept_fan, activity_fields=[], departments=[department])
    services.follows_set(user=bystander, activity_fields=[other_field], departments=[])
    theme = f.ListingFactory(owner=department.party, status=S.PENDING, published_at=None, activity_fields=[field])
    _publish(coordinator, theme)
    followed = set(Notification.objects.filter(kind="followed").values_list("recipient", flat=True))
    assert followed == {fan.pk, dept_fan.pk}


def test_follows_set_replaces_and_is_for_group_members_only(group_member, department_staff, field, other_field):
    services.follows_set(user=group_member, activity_fields=[field], departments=[])
    services.follows_set(user=group_member, activity_fields=[other_field], departments=[])
    assert list(Follow.objects.filter(user=group_member).values_list("activity_field", flat=True)) == [other_field.pk]
    with pytest.raises(PermissionDenied):
        services.follows_set(user=department_staff, activity_fields=[field], departments=[])


def test_attachment_is_stored_under_a_generated_name(group_member, draft, pdf_upload):
    attachment = services.listing_add_attachment(actor=group_member, listing=draft, upload=pdf_upload)
    assert attachment.original_name == "企画書.pdf"
    assert "企画書" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    services.listing_remove_attachment(actor=group_member, attachment=attachment)
    assert not draft.attachments.exists()


def test_attachment_with_wrong_content_is_rejected(group_member, draft):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.listing_add_attachment(actor=group_member, listing=draft, upload=fake)


class TestWithdraw:
    """審査中 → 下書き by the owner, so a posting under review can be changed."""

    def test_owner_takes_a_pending_listing_back_to_draft_and_may_edit_it(self, group_member, draft):
        from listings.workflow import LISTING_REVIEW

        services.listing_submit(actor=group_member, listing=draft)
        listing = services.listing_withdraw(actor=group_member, listing=draft)
        assert Listing.objects.get(pk=draft.pk).status == S.DRAFT
        change = listing.status_changes.order_by("-id").first()
        assert (change.from_status, change.to_status, change.actor) == (S.PENDING, S.DRAFT, group_member)
        assert LISTING_REVIEW.can(group_member, listing, "edit")
        assert not LISTING_REVIEW.can(group_member, listing, "withdraw")

    @pytest.mark.parametrize("who", ["coordinator", "other_member"])
    def test_only_the_owner_may_withdraw(self, request, group_member, draft, coordinator, who):
        services.listing_submit(actor=group_member, listing=draft)
        actor = coordinator if who == "coordinator" else f.make_group_member()
        with pytest.raises(PermissionDenied):
            services.listing_withdraw(actor=actor, listing=draft)
        assert Listing.objects.get(pk=draft.pk).status == S.PENDING

    @pytest.mark.parametrize("status", [S.DRAFT, S.RETURNED, S.PUBLISHED, S.CLOSED])
    def test_only_a_pending_listing_can_be_withdrawn(self, group_member, organization, status):
        listing = f.ListingFactory(owner=organization.party, status=status)
        with pytest.raises(TransitionError, match="審査中の掲載だけ"):
            services.listing_withdraw(actor=group_member, listing=listing)
        assert Listing.objects.get(pk=listing.pk).status == status
