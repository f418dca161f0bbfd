"""Backup and restore on PostgreSQL: the restored database and media equal the original."""

import time
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from demo import factories as f

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64


def table_fingerprints(conn) -> dict[str, tuple[int, str]]:
    """Every public table's row count and an md5 of its rows (sorted by their text)."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608
            )
            result[table] = tuple(cursor.fetchone())
    return result


def connect(db: dict, name: str):
    return psycopg2.connect(
        dbname=name,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database_with_equal_rows_and_files(tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    project = f.CollaborationProjectFactory(title="バックアップの事業")
    f.AgreementFactory(project=project)
    f.ReviewPartFactory()
    org = f.OrganizationFactory(name="ロゴのある会")
    org.logo.save("logo.png", ContentFile(PNG))
    f.ContactPersonFactory(organization=org)
    f.ListingFactory(owner=org.party)

    call_command("backup", dir=str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    assert (folder / "database.dump").stat().st_size > 0

    db = connection.settings_dict
    fresh = f"{db['NAME']}_restore"
    admin = connect(db, "postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        url = f"postgres://{db.get('USER') or ''}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{fresh}"
        started = time.monotonic()
        call_command("restore", str(folder), database_url=url, media_root=str(tmp_path / "restored-media"))
        elapsed = time.monotonic() - started
        original = table_fingerprints(connection.connection)
        restored_conn = connect(db, fresh)
        try:
            restored = table_fingerprints(restored_conn)
        finally:
            restored_conn.close()
        assert original == restored
        assert original["projects_collaborationproject"][0] >= 1 and original["accounts_securityevent"] is not None
        restored_logo = tmp_path / "restored-media" / org.logo.name
        assert restored_logo.read_bytes() == PNG
        # A second restore into the (now full) database is refused.
        with pytest.raises(CommandError, match="not empty"):
            call_command("restore", str(folder), database_url=url, media_root=str(tmp_path / "again"))
        with capsys.disabled():
            print(f"\nrestore of {len(original)} tables took {elapsed:.2f}s")
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.close()


@pytest.mark.django_db
def test_backup_refuses_sqlite_with_a_clear_message(tmp_path):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("backup", dir=str(tmp_path))


def test_backup_folder_and_files_are_readable_by_the_owner_only(tmp_path, monkeypatch):
    """pg_dump is stood in for by a plain file write, which gets the same umask pg_dump would."""
    import os
    import stat

    from ops import backup

    def fake_pg_dump(cmd, env):
        Path(cmd[cmd.index("-f") + 1]).write_bytes(b"PGDMP")

    monkeypatch.setattr(backup, "_run", fake_pg_dump)
    media = tmp_path / "media"
    media.mkdir()
    (media / "logo.png").write_bytes(PNG)
    umask = os.umask(0o022)
    try:
        folder = backup.backup({"ENGINE": "postgresql", "NAME": "kyodo"}, tmp_path / "backups", media)
        assert os.umask(0o022) == 0o022  # the process umask is back
    finally:
        os.umask(umask)
    mode = lambda path: stat.S_IMODE(path.stat().st_mode)  # noqa: E731
    assert mode(tmp_path / "backups") == mode(folder) == 0o700
    assert {p.name: mode(p) for p in folder.iterdir()} == {
        "database.dump": 0o600,
        "media.tar.gz": 0o600,
        "manifest.json": 0o600,
    }
