"""Readiness checks behind /readyz; each answers "ok", "not used" or what is wrong, in a word."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

_migrated = False  # once every migration is applied, a running instance never needs to look again


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return "ok"


def _migrations() -> str:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "ok" if _migrated else "pending"


def _cache() -> str:
    probe = uuid.uuid4().hex
    try:
        cache.set("readyz-probe", probe, 10)
        return "ok" if cache.get("readyz-probe") == probe else "not working"
    except Exception:  # any client error means the cache is not usable
        return "unreachable"


def _worker() -> str:
    from core.tasks import uses_database_queue, worker_last_seen

    if not uses_database_queue():
        return "not used"
    seen = worker_last_seen()
    if seen is None or (timezone.now() - seen).total_seconds() > settings.WORKER_SEEN_SECONDS:
        return "not seen"
    return "ok"


def readiness() -> dict[str, str]:
    database = _database()
    if database != "ok":
        return {"database": database, "migrations": "unknown", "cache": _cache(), "worker": "unknown"}
    return {"database": database, "migrations": _migrations(), "cache": _cache(), "worker": _worker()}
