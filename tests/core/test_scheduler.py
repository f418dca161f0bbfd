"""Periodic jobs run once per period across schedulers, and a rerun of a period sends nothing twice."""

import datetime
import zlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from core import scheduler
from core.models import JobRun
from demo import factories as f
from notifications.models import Notification
from notifications.tasks import deliver_notice

pytestmark = pytest.mark.django_db

DIGESTS = scheduler.Job("send_digests", scheduler.DAILY)
RETRIES = scheduler.Job("retry_emails", scheduler.FREQUENT)


def test_a_job_runs_once_per_period_and_records_who_ran_it():
    user = f.UserFactory()
    f.NotificationFactory(recipient=user, email_status=Notification.EmailStatus.DIGEST)
    first = scheduler.run_job(DIGESTS, period="2026-12-06", instance="web-1:10")
    assert first.finished_at and first.instance == "web-1:10" and "digests sent: 1" in first.outcome
    f.NotificationFactory(recipient=user, email_status=Notification.EmailStatus.DIGEST)
    assert scheduler.run_job(DIGESTS, period="2026-12-06", instance="web-2:20") is None
    assert len(mail.outbox) == 1
    assert scheduler.run_job(DIGESTS, period="2026-12-07", instance="web-2:20").instance == "web-2:20"
    assert len(mail.outbox) == 2
    assert JobRun.objects.filter(job="send_digests").count() == 2


def test_a_run_left_unfinished_by_a_crashed_scheduler_is_taken_over():
    JobRun.objects.create(job="send_digests", period="2026-12-06", instance="web-1:10", started_at=timezone.now())
    run = scheduler.run_job(DIGESTS, period="2026-12-06", instance="web-2:20")
    assert run.instance == "web-2:20" and run.attempts == 2 and run.finished_at is not None


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(monkeypatch):
    monkeypatch.setattr("notifications.management.commands.send_digests.send_digests", lambda: 1 / 0)
    runs = scheduler.run_due([DIGESTS, RETRIES], interval=60, force=True)
    assert [r.job for r in runs] == ["send_digests", "retry_emails"]
    assert runs[0].outcome.startswith("failed: division by zero") and runs[1].finished_at


def test_daily_jobs_wait_for_the_daily_hour_and_frequent_ones_run_every_slot(settings):
    settings.SCHEDULER_DAILY_HOUR = 7
    early = timezone.make_aware(datetime.datetime(2026, 12, 6, 6, 59))
    late = early + datetime.timedelta(minutes=2)
    assert scheduler.period_of(DIGESTS, now=early, interval=300) is None
    assert scheduler.period_of(DIGESTS, now=early, interval=300, force=True) == "2026-12-06"
    assert scheduler.period_of(DIGESTS, now=late, interval=300) == "2026-12-06"
    seven = early + datetime.timedelta(minutes=1)
    slots = {scheduler.period_of(RETRIES, now=seven + datetime.timedelta(minutes=m), interval=300) for m in range(10)}
    assert len(slots) == 2


def _passes(length: float, n: int = 40) -> list[tuple[int, int]]:
    """(slot it began in, slot it ended in) of n passes of `length` seconds, interval 5 s."""
    now = timezone.make_aware(datetime.datetime(2026, 12, 6, 7, 0, 3, 300000))  # not on a boundary

    def slot(moment):
        return int(scheduler.period_of(RETRIES, now=moment, interval=5).split("-")[1])

    passes = []
    for _ in range(n):
        started, now = now, now + datetime.timedelta(seconds=length)
        passes.append((slot(started), slot(now)))
        now += datetime.timedelta(seconds=scheduler.seconds_to_next_pass(started, now, 5))
    return passes


def test_short_passes_begin_in_every_slot():
    """Sleeping a whole interval after each pass drifted by the pass's length until a slot had none."""
    starts = [began for began, _ended in _passes(0.7)]
    assert starts == list(range(starts[0], starts[0] + len(starts)))


@pytest.mark.parametrize("length", [4.96, 7.0, 12.0])
def test_a_pass_that_runs_into_a_later_slot_is_followed_at_once(length):
    """That slot gets its pass (a slot the pass spans whole was the other schedulers' to take)."""
    passes = _passes(length)
    for (began, ended), (next_began, _) in zip(passes, passes[1:], strict=False):
        assert next_began == (ended if ended != began else began + 1)


def test_the_command_sleeps_until_the_next_slot_not_a_whole_interval(monkeypatch):
    from notifications.management.commands import run_scheduler

    class Stop(Exception):
        pass

    began = timezone.make_aware(datetime.datetime(2026, 12, 6, 7, 0, 10))
    moments = iter([began, began + datetime.timedelta(seconds=2)])  # the pass took 2 s
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        raise Stop

    monkeypatch.setattr(run_scheduler, "timezone", SimpleNamespace(now=lambda: next(moments)))
    monkeypatch.setattr(run_scheduler, "time", SimpleNamespace(sleep=sleep))
    with pytest.raises(Stop):
        call_command("run_scheduler", "--interval", "60", stdout=StringIO())
    assert slept == [pytest.approx(48.05)]  # to 07:01:00, the next slot's start
    with pytest.raises(CommandError):
        call_command("run_scheduler", "--interval", "0", stdout=StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
def test_a_job_whose_lock_another_scheduler_holds_is_skipped():
    import psycopg2

    params = connection.get_connection_params()
    other = psycopg2.connect(**params)
    key = zlib.crc32(b"kyodo.scheduler.send_digests")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        assert scheduler.run_job(DIGESTS, period="2026-12-06", instance="web-2:20") is None
        assert not JobRun.objects.exists()
        with other.cursor() as cursor:  # released now, not whenever the server notices the closed socket
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    finally:
        other.close()
    assert scheduler.run_job(DIGESTS, period="2026-12-06", instance="web-2:20") is not None


def test_rerunning_the_scheduler_for_the_same_day_sends_nothing_twice():
    user = f.UserFactory()
    f.NotificationFactory(recipient=user, email_status=Notification.EmailStatus.DIGEST)
    f.NotificationFactory(recipient=user, email_status=Notification.EmailStatus.PENDING)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    meeting = f.MeetingFactory(starts_at=tomorrow.replace(hour=10))
    f.MatchParticipantFactory(match=meeting.match)
    call_command("run_scheduler", "--once", stdout=StringIO())
    sent = len(mail.outbox)
    assert sent >= 2
    call_command("run_scheduler", "--once", stdout=StringIO())
    assert len(mail.outbox) == sent
    # Even with the run records gone (restored backup, manual rerun) the jobs themselves send nothing again.
    JobRun.objects.all().delete()
    call_command("run_scheduler", "--once", stdout=StringIO())
    assert len(mail.outbox) == sent


def test_a_notice_already_sent_is_not_sent_again():
    notice = f.NotificationFactory(email_status=Notification.EmailStatus.PENDING)
    assert deliver_notice(notice.pk) is True
    assert deliver_notice(notice.pk) is False
    assert len(mail.outbox) == 1
