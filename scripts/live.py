"""A throw-away portal for scripts: a temporary SQLite database with demo data, served by gunicorn on a
free loopback port with test settings (static files through WhiteNoise, e-mail in memory)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(*args, env):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT)  # noqa: S603


def wait_until_up(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the portal did not start at {url}")


@contextmanager
def demo_portal(*, scale: int = 1, prefix: str = "kyodo-live-", extra_env: dict | None = None):
    """Yield the base URL of a portal serving seed_demo data; everything is removed afterwards. The
    script's own process gets the same settings, so it may call django.setup() to read the data."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"sqlite:///{tmp}/portal.sqlite3",
        MEDIA_ROOT=f"{tmp}/media",
        **(extra_env or {}),
    )
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MEDIA_ROOT", *(extra_env or {}))})
    print(f"database {tmp}/portal.sqlite3: migrate and seed_demo --scale {scale}", flush=True)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("seed_demo", "--scale", str(scale), env=env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # gunicorn as in production (sync workers, a hard request timeout), not the development server
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=ROOT,
        # To a file, never an unread pipe: a full pipe blocks the workers once they log enough.
        stdout=subprocess.DEVNULL,
        stderr=open(f"{tmp}/server.log", "w"),  # noqa: SIM115 (closed with the process)
    )
    try:
        wait_until_up(base)
        yield base
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)
