"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Every test under tests/browser/ is marked `browser`, runs in a transactional database whose
reference data (activity fields, forms of collaboration) is restored after each test, and is
skipped with a clear reason when /usr/bin/chromium is absent. One browser serves the whole
session; each test gets a fresh context (cookies, viewport) and page.
"""

import os
from pathlib import Path

import pytest

from tests.browser.support import CHROMIUM, DESKTOP, launch_chromium

HERE = Path(__file__).resolve().parent
SKIP_REASON = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)"


def pytest_collection_modifyitems(config, items):
    browser_items, others = [], []
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
            if not CHROMIUM.exists():
                if os.environ.get("BROWSER_TESTS_REQUIRED"):
                    raise pytest.UsageError(f"BROWSER_TESTS_REQUIRED is set but {SKIP_REASON}")
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))
            browser_items.append(item)
        else:
            others.append(item)
    # Browser tests run last: they flush the database and keep an event loop alive.
    items[:] = others + browser_items


@pytest.fixture(scope="session")
def browser():
    # Sync Playwright keeps an asyncio loop on this thread, which makes Django refuse ORM calls
    # made by the test itself (SynchronousOnlyOperation). The tests are synchronous: allow it here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = launch_chromium(playwright)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


FAILURES = Path(os.environ.get("BROWSER_FAILURE_DIR", "/tmp/browser-failures"))


def _record_failure(request, contexts):
    """On failure: a screenshot of every open page and the start of its text, to see what went wrong."""
    FAILURES.mkdir(parents=True, exist_ok=True)
    for c, context in enumerate(contexts):
        for p, page in enumerate(context.pages):
            target = FAILURES / f"{request.node.name[:80]}-{c}-{p}.png"
            try:
                page.screenshot(path=str(target), full_page=True)
                text = page.locator("main").inner_text(timeout=2000)[:1500]
            except Exception as error:  # noqa: BLE001 - best effort while reporting a failure
                text = f"(page unreadable: {error})"
            print(f"\n--- page {c}-{p} at {page.url} (screenshot {target}):\n{text}")


@pytest.fixture
def new_context(request, browser, live_server):
    """Factory for browser contexts (one per test or per person in a journey); all closed after."""
    contexts = []

    def make(viewport=DESKTOP, user=None):
        context = browser.new_context(
            viewport=viewport, locale="ja-JP", base_url=live_server.url, accept_downloads=True
        )
        context.set_default_timeout(10_000)
        if user is not None:
            from tests.browser.support import log_in_by_cookie

            log_in_by_cookie(context, live_server.url, user)
        contexts.append(context)
        return context

    yield make
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        _record_failure(request, contexts)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
