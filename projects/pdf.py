"""PDF rendering of the printed records (WeasyPrint with the Noto Sans CJK JP font from Debian)."""

from django.conf import settings


def render_pdf(html: str) -> bytes:
    """A4 PDF of a print template. The print stylesheet is applied from the static folder."""
    import weasyprint  # imported here: loading pango/harfbuzz is only needed when a PDF is asked for

    stylesheet = weasyprint.CSS(filename=str(settings.BASE_DIR / "static" / "css" / "print-record.css"))
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[stylesheet])
