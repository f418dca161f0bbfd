"""PDF rendering of the printed records (WeasyPrint with the Noto Sans CJK JP font from Debian).

WeasyPrint runs in a child process with a hard time limit (`PDF_RENDER_TIMEOUT`, plus a CPU-time
rlimit as a backstop), so a record that is slow to lay out costs one short-lived process, never a
web worker: the request gets PdfRenderError and the user a page saying what to do instead.
"""

import resource
import subprocess
import sys

from django.conf import settings


class PdfRenderError(Exception):
    """The PDF could not be made in time (or WeasyPrint failed)."""


def render_pdf(html: str) -> bytes:
    """A4 PDF of a print template, rendered by `python -m projects.pdf` within PDF_RENDER_TIMEOUT seconds."""
    timeout = settings.PDF_RENDER_TIMEOUT
    stylesheet = str(settings.BASE_DIR / "static" / "css" / "print-record.css")
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and module, no shell, no user arguments
            [sys.executable, "-m", "projects.pdf", stylesheet, str(settings.BASE_DIR), str(timeout)],
            input=html.encode(),
            capture_output=True,
            timeout=timeout,
            cwd=settings.BASE_DIR,
        )
    except subprocess.TimeoutExpired as exc:
        raise PdfRenderError(f"PDF rendering took longer than {timeout} s") from exc
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise PdfRenderError(done.stderr.decode(errors="replace")[-500:] or f"exit {done.returncode}")
    return done.stdout


def _main(stylesheet: str, base_url: str, seconds: str) -> None:
    """The child: HTML on stdin, PDF on stdout. Needs no Django, only WeasyPrint."""
    limit = int(float(seconds)) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))
    import weasyprint

    html = sys.stdin.buffer.read().decode()
    pdf = weasyprint.HTML(string=html, base_url=base_url).write_pdf(stylesheets=[weasyprint.CSS(filename=stylesheet)])
    sys.stdout.buffer.write(pdf)


if __name__ == "__main__":
    _main(*sys.argv[1:4])
