"""Development e-mail: every message is printed to the terminal and kept as an .eml file.

`make run` (config.settings.local) uses this backend so a newcomer sees what the portal sends —
notices, invitations, digests and allauth's mails — and can follow their links from the
development-only page /dev/mail/. The web server and `db_worker` are separate processes, so the
copies live in files (DEV_MAIL_DIR), not in memory. Production never uses it.
"""

import email
import email.policy
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.utils import timezone

KEEP = 200  # newest messages kept on disk; older ones are removed when a new one arrives


def mail_dir() -> Path:
    return Path(settings.DEV_MAIL_DIR)


class DevMailBackend(ConsoleBackend):
    """The console backend, plus one .eml file per message in DEV_MAIL_DIR."""

    def write_message(self, message):
        super().write_message(message)
        folder = mail_dir()
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{timezone.now():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        (folder / name).write_bytes(message.message().as_bytes())
        for old in sorted(folder.glob("*.eml"))[:-KEEP]:
            old.unlink(missing_ok=True)


@dataclass
class SentMail:
    id: str
    sent_at: datetime
    sender: str
    to: str
    subject: str
    body: str


def _read(path: Path) -> SentMail:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    part = msg.get_body(preferencelist=("plain", "html"))
    stamp = datetime.strptime(path.name.split("-", 1)[0], "%Y%m%dT%H%M%S%f")
    return SentMail(
        id=path.stem,
        sent_at=stamp.replace(tzinfo=UTC),
        sender=str(msg.get("From", "")),
        to=str(msg.get("To", "")),
        subject=str(msg.get("Subject", "")),
        body=part.get_content() if part is not None else "",
    )


def sent_mails(limit: int = 50) -> list[SentMail]:
    """The newest messages first."""
    folder = mail_dir()
    if not folder.is_dir():
        return []
    return [_read(p) for p in sorted(folder.glob("*.eml"), reverse=True)[:limit]]
