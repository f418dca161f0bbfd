"""No lost input: optimistic locking with core.locking (lock_version, the one version check)."""

import threading

import pytest
from django.db import connection, connections

from core.exceptions import ConflictError
from core.locking import save_with_version
from demo import factories as f
from organizations.models import Organization


@pytest.mark.django_db
def test_second_writer_of_the_same_version_gets_a_conflict_with_the_current_row():
    org = f.OrganizationFactory(description="元の紹介")
    mine, theirs = Organization.objects.get(pk=org.pk), Organization.objects.get(pk=org.pk)
    theirs.description = "相手の変更"
    save_with_version(theirs, expected_version=1, update_fields=["description"])
    assert theirs.version == 2
    mine.description = "私の変更"
    with pytest.raises(ConflictError) as caught:
        save_with_version(mine, expected_version=1, update_fields=["description"])
    assert caught.value.current.description == "相手の変更"
    assert mine.description == "私の変更"  # the user's input is kept for the form
    org.refresh_from_db()
    assert org.description == "相手の変更" and org.version == 2


@pytest.mark.django_db
def test_saved_version_is_recorded_in_history():
    org = f.OrganizationFactory(description="一")
    org.description = "二"
    save_with_version(org, expected_version=1, update_fields=["description"])
    assert org.history.count() == 2
    assert org.history.first().description == "二" and org.history.first().version == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_hundred_parallel_saves_lose_no_update():
    org = f.OrganizationFactory(description="start")
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(20)

    def worker(n):
        try:
            try:
                barrier.wait(timeout=10)
            except threading.BrokenBarrierError:
                pass
            instance = Organization.objects.get(pk=org.pk)
            instance.description = f"writer {n}"
            try:
                save_with_version(instance, expected_version=instance.version, update_fields=["description"])
            except ConflictError:
                outcome = "conflict"
            else:
                outcome = "ok"
            with lock:
                results.append((outcome, n))
        finally:
            connections.close_all()

    threads = []
    for n in range(100):
        threads.append(threading.Thread(target=worker, args=(n,)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    successes = sum(1 for r in results if r[0] == "ok")
    conflicts = sum(1 for r in results if r[0] == "conflict")
    org.refresh_from_db()
    assert connection.vendor == "postgresql"
    assert successes + conflicts == 100 and successes >= 1
    assert org.version == successes + 1
    # Every success left exactly one history row (plus the creation).
    assert org.history.count() == successes + 1
    print(f"100 writers: {successes} saves, {conflicts} conflicts, final version {org.version}")
