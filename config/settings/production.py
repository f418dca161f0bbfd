"""Production settings: everything secure by default; configure through the environment."""

from .base import *  # noqa: F401,F403
from .base import BEHIND_PROXY, DATABASES, LOGGING, MEDIA_STORAGE, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
# gunicorn workers keep their database connection for a minute, checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# core.checks: rate limits and used TOTP codes must hold across workers (REDIS_URL), links need SITE_URL.
PRODUCTION = True
# The portal's public address, e.g. https://kyodo.city.example.jp: required (core.checks).
SITE_URL = env("SITE_URL", default="")

# X-Forwarded-Proto is believed only from our own proxy: a directly exposed server would let any client
# claim HTTPS. Behind the proxy, set BEHIND_PROXY=true (also used for the client address).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Probes and metrics are asked for over plain HTTP on the private network (deploy/nginx).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")
LOGGING["loggers"]["portal.request"]["level"] = env("REQUEST_LOG_LEVEL", default="INFO")
