import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from demo import factories as f
from notifications import services, tasks
from notifications.models import NoticeKind, Notification, NotificationPreference

pytestmark = pytest.mark.django_db

FAILING_BACKEND = "tests.notifications.failing_backend.EmailBackend"
LIST_QUERIES = 6  # one query for all of the user's roles (accounts.User.load_roles)


@pytest.fixture
def user():
    return f.UserFactory(email="taro@example.jp")


def _prefer(user, kind, delivery):
    NotificationPreference.objects.create(user=user, kind=kind, delivery=delivery)


def test_notify_creates_notice_and_sends_email_after_commit(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = services.notify(recipients=[user], kind=NoticeKind.REVIEW, title="公開されました", url="/x/")
    notice.refresh_from_db()
    assert notice.email_status == Notification.EmailStatus.SENT and notice.email_attempts == 1
    assert mail.outbox[0].subject.endswith("公開されました")
    assert "/x/" in mail.outbox[0].body


def test_notify_skips_inactive_and_duplicate_recipients(user):
    inactive = f.UserFactory(is_active=False)
    notices = services.notify(recipients=[user, user, inactive, None], kind=NoticeKind.SYSTEM, title="t")
    assert [n.recipient for n in notices] == [user]


def test_portal_only_preference_sends_no_email(user, django_capture_on_commit_callbacks):
    _prefer(user, NoticeKind.INTEREST, NotificationPreference.Delivery.PORTAL)
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = services.notify(recipients=[user], kind=NoticeKind.INTEREST, title="関心表明")
    assert notice.email_status == Notification.EmailStatus.NONE
    assert mail.outbox == []


def test_digest_collects_a_users_notices_into_one_email(user, django_capture_on_commit_callbacks):
    _prefer(user, NoticeKind.INTEREST, NotificationPreference.Delivery.DIGEST)
    other = f.UserFactory()
    _prefer(other, NoticeKind.INTEREST, NotificationPreference.Delivery.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            services.notify(recipients=[user], kind=NoticeKind.INTEREST, title=f"関心表明{i}")
        services.notify(recipients=[other], kind=NoticeKind.INTEREST, title="他の人へ")
    assert mail.outbox == []
    call_command("send_digests")
    assert len(mail.outbox) == 2
    mine = next(m for m in mail.outbox if m.to == [user.email])
    assert all(f"関心表明{i}" in mine.body for i in range(3)) and "他の人へ" not in mine.body
    assert not Notification.objects.filter(email_status=Notification.EmailStatus.DIGEST).exists()
    call_command("send_digests")
    assert len(mail.outbox) == 2


def test_failed_email_keeps_the_notice_and_is_retried(user, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        (notice,) = services.notify(recipients=[user], kind=NoticeKind.REPLY, title="返信がありました")
    notice.refresh_from_db()
    assert notice.email_status == Notification.EmailStatus.PENDING and notice.email_attempts == 1
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_emails")
    notice.refresh_from_db()
    assert notice.email_status == Notification.EmailStatus.SENT and notice.email_attempts == 2
    assert len(mail.outbox) == 1


def test_email_gives_up_after_max_attempts_but_notice_stays(user, settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    notice = f.NotificationFactory(recipient=user, email_status=Notification.EmailStatus.PENDING)
    for _ in range(tasks.MAX_ATTEMPTS + 2):
        tasks.retry_pending()
    notice.refresh_from_db()
    assert notice.email_status == Notification.EmailStatus.FAILED
    assert notice.email_attempts == tasks.MAX_ATTEMPTS


def test_failed_digest_is_kept_for_the_next_run(user, settings):
    notice = f.NotificationFactory(recipient=user, email_status=Notification.EmailStatus.DIGEST)
    settings.EMAIL_BACKEND = FAILING_BACKEND
    assert tasks.send_digests() == 0
    notice.refresh_from_db()
    assert notice.email_status == Notification.EmailStatus.DIGEST and notice.email_attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.send_digests() == 1


def test_list_shows_own_notices_and_marks_one_read(client, user):
    mine = f.NotificationFactory(recipient=user, title="私へのお知らせ")
    f.NotificationFactory(title="他人へのお知らせ")
    client.force_login(user)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "私へのお知らせ" in html and "他人へのお知らせ" not in html
    client.post(reverse("notifications:read", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_cannot_mark_someone_elses_notice_read(client, user):
    other = f.NotificationFactory()
    client.force_login(user)
    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_read_is_post_only(client, user):
    notice = f.NotificationFactory(recipient=user)
    client.force_login(user)
    assert client.get(reverse("notifications:read", args=[notice.pk])).status_code == 405


def test_mark_all_read_clears_the_nav_badge(client, user):
    for _ in range(3):
        f.NotificationFactory(recipient=user)
    client.force_login(user)
    assert client.get(reverse("notifications:list")).context["unread_notification_count"] == 3
    client.post(reverse("notifications:read_all"))
    assert client.get(reverse("notifications:list")).context["unread_notification_count"] == 0


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("notifications:list")).status_code == 302
    assert client.get(reverse("notifications:preferences")).status_code == 302


def test_preferences_page_saves_a_choice_per_kind(client, user):
    client.force_login(user)
    data = {kind: NotificationPreference.Delivery.IMMEDIATE for kind in NoticeKind.values}
    data[NoticeKind.INTEREST] = NotificationPreference.Delivery.DIGEST
    data[NoticeKind.FOLLOWED] = NotificationPreference.Delivery.PORTAL
    client.post(reverse("notifications:preferences"), data)
    assert services.preferences_of(user)[NoticeKind.INTEREST] == "digest"
    assert services.preferences_of(user)[NoticeKind.FOLLOWED] == "portal"
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "1日1回まとめてメール" in page


def test_preferences_refuse_unknown_values(user):
    with pytest.raises(ValueError):
        services.preferences_set(user=user, deliveries={"interest": "carrier-pigeon"})


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_is_pinned(client, user, rows, django_assert_num_queries):
    for _ in range(rows):
        f.NotificationFactory(recipient=user)
    client.force_login(user)
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("notifications:list"))


def test_scheduler_once_runs_retries_expiry_and_digests(user, settings):
    import datetime

    from listings.models import Listing

    pending = f.NotificationFactory(recipient=user, email_status=Notification.EmailStatus.PENDING, email_attempts=1)
    f.NotificationFactory(recipient=user, email_status=Notification.EmailStatus.DIGEST)
    expired = f.ListingFactory(period_end=datetime.date(2020, 1, 1))
    call_command("run_scheduler", "--once")
    pending.refresh_from_db()
    expired.refresh_from_db()
    assert pending.email_status == Notification.EmailStatus.SENT
    assert expired.status == Listing.Status.CLOSED
    assert len(mail.outbox) == 2


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client, user):
    notice = f.NotificationFactory(recipient=user, url="/listings/")
    client.force_login(user)
    response = client.post(reverse("notifications:read", args=[notice.pk]), {"next": notice.url})
    assert response.status_code == 302 and response["Location"] == "/listings/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_read_refuses_to_redirect_off_site(client, user):
    notice = f.NotificationFactory(recipient=user)
    client.force_login(user)
    response = client.post(reverse("notifications:read", args=[notice.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")
