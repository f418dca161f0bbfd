"""Two representatives removing each other at the same moment must not leave the group without one:
member_remove locks the group before it counts the representatives. Each removal waits at a barrier
after the check; with the lock the second request cannot reach it, so the barrier breaks and at
least one removal is rolled back (without the lock both pass the check and both delete)."""

import threading

import pytest
from django.db import connection

from demo import factories as f
from organizations import services
from organizations.models import OrganizationMembership


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reps_cannot_remove_each_other_concurrently(monkeypatch):
    org = f.OrganizationFactory()
    r1 = f.make_group_member(org, email="r1@example.jp")
    r2 = f.make_group_member(org, email="r2@example.jp")
    m1 = OrganizationMembership.objects.get(user=r1, organization=org)
    m2 = OrganizationMembership.objects.get(user=r2, organization=org)

    barrier = threading.Barrier(2, timeout=3)  # with the lock the second waits: the barrier breaks
    original = OrganizationMembership.delete

    def slow_delete(self, *a, **kw):
        barrier.wait()  # both requests have passed the "last representative" check
        return original(self, *a, **kw)

    monkeypatch.setattr(OrganizationMembership, "delete", slow_delete)
    errors = []

    def act(user, membership):
        try:
            services.member_remove(
                user=type(user).objects.get(pk=user.pk),
                membership=OrganizationMembership.objects.select_related("organization").get(pk=membership.pk),
            )
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            connection.close()

    t1 = threading.Thread(target=act, args=(r1, m2))
    t2 = threading.Thread(target=act, args=(r2, m1))
    t1.start(), t2.start()
    t1.join(), t2.join()
    reps = OrganizationMembership.objects.filter(organization=org, role="representative").count()
    assert reps >= 1, f"the group has {reps} representatives (errors: {errors})"
