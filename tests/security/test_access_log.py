"""Reset keys, confirmation keys and invitation tokens never reach gunicorn's access log.

A real gunicorn (production settings, the repository's gunicorn.conf.py) serves the URLs; the test
reads the log it wrote.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ["3-cv2x1w-0123456789abcdef0123456789abcdef", "Mjk6Y29uZmlybWF0aW9uLWtleS1zZWNyZXQ", "tok3n-Secret-Value"]
URLS = [
    f"/accounts/password/reset/key/{SECRETS[0]}/",
    f"/accounts/confirm-email/{SECRETS[1]}/",
    f"/invitations/{SECRETS[2]}/",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_keys_in_urls_are_redacted_in_the_gunicorn_access_log(tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "CACHE_URL": "dbcache://kyodo_cache",  # shared, and needs no server for this test
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    errors = (tmp_path / "error.log").open("w")
    server = subprocess.Popen(  # noqa: S603 - fixed command
        [*command, "--access-logfile", str(log)], cwd=ROOT, env=env, stdout=errors, stderr=errors
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:  # not listening or not answering yet
                time.sleep(0.2)
        for url in URLS:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=10)  # noqa: S310
            except urllib.error.HTTPError:
                pass  # the status does not matter (no database here); the log line does
    finally:
        server.terminate()
        server.wait(timeout=20)
        errors.close()
    text = log.read_text()
    assert text.count("[redacted]") == len(URLS), text
    assert not any(secret in text for secret in SECRETS), text
