from pathlib import Path

import environ
from django.core.management.base import BaseCommand
from django.db import connections

from ops.backup import default_media_root, restore


class Command(BaseCommand):
    help = "Restore a backup folder (from `backup`) into an EMPTY PostgreSQL database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("source", help="backups/<UTC time>")
        parser.add_argument("--database-url", default=None, help="target database (default: DATABASE_URL)")
        parser.add_argument("--media-root", default=None)

    def handle(self, *args, source, database_url=None, media_root=None, **options):
        db = environ.Env.db_url_config(database_url) if database_url else connections["default"].settings_dict
        seconds = restore(Path(source), db, Path(media_root) if media_root else default_media_root())
        self.stdout.write(self.style.SUCCESS(f"Restored {source} into {db['NAME']} in {seconds:.1f}s"))
