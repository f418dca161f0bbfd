"""Test settings: fast hashing, in-memory e-mail and cache (or Redis at CACHE_URL), tasks run at once."""

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, cache_settings, env

DEBUG = False
if "demo" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS.append("demo")  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# CACHE_URL=redis://… runs the tests against Redis (CI does so for tests/security); one process
# only, since tests clear the cache between them.
CACHES = {"default": cache_settings(env("CACHE_URL", default="locmemcache://"))}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / ".test-media"
AXES_ENABLED = False

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Other apps' tests log coordinators in with force_login; tests/security enable this where needed.
MFA_REQUIRED_FOR_PRIVILEGED = False
# A shared CI machine can be slow: tests of the PDF time limit set their own, lower value.
PDF_RENDER_TIMEOUT = 120
