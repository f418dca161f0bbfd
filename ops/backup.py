"""Backup and restore: `pg_dump -Fc` of the database plus a tar of MEDIA_ROOT in backups/<UTC time>/.

Used by `make backup` / `make restore FILE=backups/<time>` (the `backup` and `restore` commands).
"""

import datetime
import json
import os
import shutil
import subprocess  # noqa: S404 - runs pg_dump/pg_restore with fixed arguments
import tarfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

DUMP_NAME = "database.dump"
MEDIA_NAME = "media.tar.gz"
MANIFEST_NAME = "manifest.json"


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict):
    if shutil.which(cmd[0]) is None:
        raise CommandError(f"{cmd[0]} not found: install the PostgreSQL client (apt-get install postgresql-client).")
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{cmd[0]} failed: {result.stderr.strip()}")


@contextmanager
def _private_files():
    """Create everything (pg_dump's file too) readable by the owner only: 0700 folders, 0600 files.
    A backup holds all personal data; the umask closes the window a chmod afterwards would leave."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def backup(db: dict, out_dir: Path, media_root: Path) -> Path:
    """Write the dump, the media tar and a manifest into a new folder under `out_dir`."""
    if "postgresql" not in db["ENGINE"]:
        raise CommandError("make backup needs PostgreSQL (DATABASE_URL=postgres://…).")
    with _private_files():
        return _backup(db, out_dir, media_root)


def _backup(db: dict, out_dir: Path, media_root: Path) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(out_dir) / stamp
    n = 1
    while target.exists():
        n += 1
        target = Path(out_dir) / f"{stamp}-{n}"
    target.mkdir(parents=True)
    args, env = _pg_args(db)
    _run(["pg_dump", "-Fc", "--no-owner", "-f", str(target / DUMP_NAME), *args, db["NAME"]], env)
    files = 0
    with tarfile.open(target / MEDIA_NAME, "w:gz") as tar:
        media_root = Path(media_root)
        if media_root.exists():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(media_root)))
                    files += 1
    manifest = {"created_utc": stamp, "database": db["NAME"], "media_files": files}
    (target / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2))
    return target


def _is_empty(db: dict) -> bool:
    import psycopg2

    conn = psycopg2.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
            return cursor.fetchone()[0] == 0
    finally:
        conn.close()


def restore(source: Path, db: dict, media_root: Path) -> float:
    """Restore a backup folder into an empty database and MEDIA_ROOT; returns the seconds it took."""
    source = Path(source)
    if not (source / DUMP_NAME).exists():
        raise CommandError(f"{source} has no {DUMP_NAME}: give a folder written by `make backup`.")
    if "postgresql" not in db["ENGINE"]:
        raise CommandError("make restore needs PostgreSQL (DATABASE_URL=postgres://…).")
    if not _is_empty(db):
        raise CommandError(f"Database {db['NAME']} is not empty: restore only into a new, empty database.")
    started = time.monotonic()
    args, env = _pg_args(db)
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "-d",
            db["NAME"],
            *args,
            str(source / DUMP_NAME),
        ],
        env,
    )
    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    if (source / MEDIA_NAME).exists():
        with tarfile.open(source / MEDIA_NAME, "r:gz") as tar:
            tar.extractall(media_root, filter="data")
    return time.monotonic() - started


def default_media_root() -> Path:
    return Path(settings.MEDIA_ROOT)
