import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

# gunicorn runs no system checks; run the production ones here so a worker with a per-process cache
# (or another unsafe setting) refuses to start instead of serving.
from core.checks import raise_for_production_errors  # noqa: E402

raise_for_production_errors()
