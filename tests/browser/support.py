"""Helpers shared by the browser tests and scripts/screenshots.py."""

import functools
import json
import re
from pathlib import Path

from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = Path(__file__).resolve().parent / "assets" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def session_cookie_value(user, *, mfa=False):
    """A logged-in session for `user` stored in the database, as its cookie value.

    With mfa=True the session also records a TOTP authentication, as allauth does after the
    second step of a login, so pages that require two-factor login for coordinators open.
    """
    from django.test import Client

    client = Client()
    client.force_login(user)
    if mfa:
        mark_session_mfa_verified(client)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def mark_session_mfa_verified(client):
    import time

    session = client.session
    methods = list(session.get("account_authentication_methods", []))
    methods.append({"method": "mfa", "type": "totp", "at": time.time()})
    session["account_authentication_methods"] = methods
    session.save()


def log_in_by_cookie(context, base_url, user, *, mfa=None):
    """Put a logged-in session cookie into a Playwright context (skips typing the login form)."""
    if mfa is None:
        mfa = bool(getattr(user, "is_coordinator", False) or user.is_superuser)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie_value(user, mfa=mfa), "url": base_url}]
    )


@functools.cache
def axe_source():
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page):
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page and return its violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # The portal's CSP forbids inline scripts, so add_script_tag(path=...) is refused. The
        # DevTools protocol's evaluate is exempt from CSP: run axe's source through it.
        page.evaluate(axe_source())
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        AXE_TAGS,
    )


def format_violations(violations):
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            lines.append(f"    {json.dumps(node['target'], ensure_ascii=False)}: {node['failureSummary'][:300]}")
    return "\n".join(lines)


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core found WCAG violations on {page.url}:\n{format_violations(violations)}"


def horizontal_overflow(page):
    """(scrollWidth, clientWidth) of the document; scrollWidth > clientWidth means sideways scrolling."""
    return page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def assert_no_horizontal_scroll(page):
    scroll_width, client_width = horizontal_overflow(page)
    if scroll_width > client_width:
        culprits = page.evaluate(
            """(limit) => Array.from(document.querySelectorAll('body *'))
                 .filter(el => el.getBoundingClientRect().right > limit + 1)
                 .slice(0, 8)
                 .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                      + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))""",
            client_width,
        )
        raise AssertionError(
            f"{page.url} scrolls sideways at {client_width}px: scrollWidth {scroll_width}; widest: {culprits}"
        )


def field_feedback(page, field_name):
    """The validation message a person sees at a form field.

    The server's message (Bootstrap's .invalid-feedback beside the field, or referenced by its
    aria-describedby) comes first; when the browser itself refused to send the form (a `required`
    field without `novalidate`), its own message at the field is returned. "" when there is none.
    """
    page.wait_for_load_state()
    field = page.locator(f"[name='{field_name}']").first
    for ident in (field.get_attribute("aria-describedby") or "").split():
        box = page.locator(f"[id='{ident}'].invalid-feedback")
        if box.count():
            return box.first.inner_text()
    container = field.locator("xpath=ancestor::*[contains(@class,'mb-3') or contains(@class,'form-group')][1]")
    box = container.locator(".invalid-feedback")
    if box.count():
        return box.first.inner_text()
    return field.evaluate("el => el.validationMessage")


def by_label(page, text):
    """The form field whose label reads `text` (crispy-forms adds " *" to required fields' labels)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(text) + r"\s*\*?\s*$"))
