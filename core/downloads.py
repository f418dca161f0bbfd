"""Serving uploaded files from views that have already checked permission.

    from core.downloads import file_response
    return file_response(attachment.file, filename=attachment.original_name)

Files are sent as attachments (`Content-Disposition: attachment`) with `nosniff`, so an uploaded file
is never rendered by the browser as a page. Only PNG/JPEG images may be shown inline (logos, activity
photos: `inline_images=True`); anything else is always an attachment, whatever its name says.
"""

from pathlib import PurePosixPath

from django.http import FileResponse, Http404

from core.validators import CONTENT_TYPES

INLINE_TYPES = {"image/png", "image/jpeg"}


def file_response(field_file, filename: str | None = None, *, inline_images: bool = False) -> FileResponse:
    if not field_file:
        raise Http404
    ext = PurePosixPath(field_file.name).suffix.lower().lstrip(".")
    content_type = CONTENT_TYPES.get(ext, "application/octet-stream")
    inline = inline_images and content_type in INLINE_TYPES
    name = filename or PurePosixPath(field_file.name).name
    if not name.lower().endswith(f".{ext}") and ext:
        name = f"{name}.{ext}"
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=not inline, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if not inline else "private, max-age=300"
    return response
