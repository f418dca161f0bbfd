from django_tasks import task

from .services import listings_expire


@task()
def expire_listings():
    """Close published listings whose period has ended (run daily)."""
    return listings_expire()
