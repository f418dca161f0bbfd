from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections

from ops.backup import backup, default_media_root


class Command(BaseCommand):
    help = "Back up the PostgreSQL database (pg_dump -Fc) and MEDIA_ROOT into backups/<UTC time>/."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "backups"))
        parser.add_argument("--media-root", default=None)

    def handle(self, *args, dir, media_root=None, **options):
        db = connections["default"].settings_dict
        target = backup(db, Path(dir), Path(media_root) if media_root else default_media_root())
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
