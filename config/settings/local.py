"""Developer settings used by `make run`: DEBUG on, e-mail to the console."""

from .base import *  # noqa: F401,F403
from .base import CACHE_URL, cache_settings, env

DEBUG = env.bool("DEBUG", default=True)

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# runserver, db_worker and run_scheduler are separate processes: a database cache (created by
# `make run` with createcachetable) is shared by all of them and needs no server.
CACHES = {"default": cache_settings(CACHE_URL or "dbcache://kyodo_cache")}
