"""Background jobs of the projects app (django-tasks)."""

from django_tasks import task


@task()
def import_records_file(name: str, actor_id: int | None, create_departments: bool) -> str:
    """A large confirmed import (see projects.importer.run_pending): all or nothing, progress in the cache."""
    from django.contrib.auth import get_user_model

    from .importer import run_pending

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return run_pending(name, actor=actor, create_departments=create_departments).summary()
