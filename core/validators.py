"""Upload checks (the extension and the file's first bytes must agree, and the size is capped) and
the check that names carry no emoji."""

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from core.japanese import join_names

MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
IMAGE_EXTENSIONS = ("png", "jpg", "jpeg")
DOCUMENT_EXTENSIONS = ("pdf", "png", "jpg", "jpeg")


def _check(upload, allowed):
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if ext not in allowed:
        raise ValidationError(
            _("ファイルの種類が対応していません（対応形式: %(types)s）。"),
            code="file_type",
            params={"types": join_names(e.upper() for e in allowed)},
        )
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("ファイルが大きすぎます（上限 %(limit)s）。"),
            code="file_size",
            params={"limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
        )
    pos = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8)
    upload.seek(pos)
    if not any(head.startswith(m) for m in MAGIC[ext]):
        raise ValidationError(_("ファイルの中身が拡張子と一致しません。"), code="file_content")


def validate_image(upload):
    """PNG or JPEG, checked by extension and content."""
    _check(upload, IMAGE_EXTENSIONS)


def validate_document(upload):
    """PDF, PNG or JPEG, checked by extension and content."""
    _check(upload, DOCUMENT_EXTENSIONS)


def upload_details(upload) -> dict:
    """What an attachment row keeps about its upload besides the file: the name, declared type and size."""
    return {
        "original_name": upload.name[:255],
        "content_type": getattr(upload, "content_type", "") or "application/octet-stream",
        "size": upload.size,
    }


@deconstructible
class GeneratedName:
    """upload_to that stores every file under a random name, keeping only the extension."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename):
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        return f"{self.folder}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, GeneratedName) and other.folder == self.folder


SPREADSHEET_MAGIC = {"xlsx": (b"PK\x03\x04",), "csv": None}


def validate_spreadsheet(upload):
    """An import file: .csv (text, no NUL bytes) or .xlsx (a zip), at most MAX_UPLOAD_SIZE."""
    ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if ext not in SPREADSHEET_MAGIC:
        raise ValidationError(_(".csv か .xlsx のファイルを選んでください。"), code="file_type")
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("ファイルが大きすぎます（上限 %(limit)s）。"),
            code="file_size",
            params={"limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
        )
    pos = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(pos)
    magic = SPREADSHEET_MAGIC[ext]
    if (magic and not any(head.startswith(m) for m in magic)) or (magic is None and b"\x00" in head):
        raise ValidationError(_("ファイルの中身が拡張子と一致しません。"), code="file_content")


# Characters shown as emoji by default (Unicode's Emoji_Presentation), and the joiners and selectors
# that build emoji sequences. Text symbols common in Japanese names (★ ♪ ☆ ※) are not among them.
EMOJI = re.compile(
    "["
    "\U0001f000-\U0001faff"  # mahjong, cards, enclosed supplements, pictographs, emoticons, transport …
    "\U0001fc00-\U0001ffff"
    "\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1"
    "\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705"
    "\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55"
    "\ufe0f\u200d\u20e3"  # emoji presentation selector, zero-width joiner, keycap
    "\U000e0020-\U000e007f"  # tag sequences (flags of regions)
    "]"
)


def validate_no_emoji(value):
    """Names and titles are read aloud, sorted and printed on official papers: no emoji."""
    if value and EMOJI.search(str(value)):
        raise ValidationError(_("絵文字は使えません。文字だけで入力してください。"), code="emoji")


def refuse_emoji(form, *names: str) -> None:
    """Add `validate_no_emoji` to the form's fields `names` (those present), so the message stands
    next to the field."""
    for name in names:
        if name in form.fields:
            form.fields[name].validators.append(validate_no_emoji)
