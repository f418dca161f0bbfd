"""Screenshots of the main pages with demo data, at desktop (1280 px) and phone (375 px) width.

    make screenshots            # or: .venv/bin/python scripts/screenshots.py [--scale 1] [--out screenshots]

Builds a temporary SQLite database, loads `seed_demo`, serves the portal on a free loopback port
(test settings: static files through WhiteNoise, e-mail in memory) and drives Debian's Chromium.
Pages whose URL does not exist yet are listed and left out.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.live import demo_portal  # noqa: E402


def pages():
    """(file name, user e-mail or None, path) for each main page; built from the demo data."""
    from django.urls import NoReverseMatch, reverse

    from listings.models import Listing
    from organizations.models import Organization

    def first_pk(queryset):
        obj = queryset.order_by("pk").first()
        return obj.pk if obj else None

    def lazy(model_path, **filters):
        module, name = model_path.rsplit(".", 1)
        from importlib import import_module

        model = getattr(import_module(module), name)
        return first_pk(model.objects.filter(**filters))

    coordinator = "coordinator@example.jp"
    group = "npo@example.jp"
    staff = "kosodate@example.jp"
    listing = first_pk(Listing.objects.filter(status="published"))
    organization = first_pk(Organization.objects.filter(is_published=True))
    wanted = [
        ("01-home", None, "portal:home", []),
        ("02-directory", None, "organizations:directory", []),
        ("03-group", None, "organizations:detail", [organization]),
        ("04-listings", None, "listings:index", []),
        ("05-listing", None, "listings:detail", [listing]),
        ("06-menu", None, "listings:menu", []),
        ("07-events", None, "events:event_list", []),
        ("08-login", None, "account_login", []),
        ("09-signup", None, "account_signup", []),
        ("10-dashboard-group", group, "stats:dashboard", []),
        ("11-dashboard-staff", staff, "stats:dashboard", []),
        ("12-dashboard-coordinator", coordinator, "stats:dashboard", []),
        ("13-board", coordinator, "matching:board", []),
        ("14-matches", coordinator, "matching:match_list", []),
        ("15-match", coordinator, "matching:match_detail", [lambda: lazy("matching.models.Match")]),
        ("16-projects", coordinator, "projects:list", []),
        ("17-project", coordinator, "projects:detail", [lambda: lazy("projects.models.CollaborationProject")]),
        ("18-pre-sheet", coordinator, "projects:pre_sheet", [lambda: lazy("projects.models.CollaborationProject")]),
        ("19-agreement", coordinator, "projects:agreement", [lambda: lazy("projects.models.CollaborationProject")]),
        (
            "20-review-sheet",
            coordinator,
            "projects:review_sheet",
            [lambda: lazy("projects.models.CollaborationProject")],
        ),
        ("21-stats", coordinator, "stats:index", []),
        ("22-profile-review", coordinator, "organizations:profile_review_queue", []),
        ("23-listing-review", coordinator, "listings:review_queue", []),
        ("24-my-listings", group, "listings:mine", []),
        ("25-notifications", group, "notifications:list", []),
        ("26-cases", None, "projects:case_list", []),
        ("27-opendata", None, "stats:opendata", []),
    ]
    result, missing = [], []
    for name, user, url_name, args in wanted:
        args = [a() if callable(a) else a for a in args]
        if any(a is None for a in args):
            missing.append(f"{name} (no object)")
            continue
        try:
            result.append((name, user, reverse(url_name, args=args)))
        except NoReverseMatch:
            missing.append(f"{name} ({url_name})")
    return result, missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    options = parser.parse_args()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)

    with demo_portal(scale=options.scale, prefix="kyodo-screens-") as base:
        import django

        django.setup()
        from playwright.sync_api import sync_playwright

        from accounts.models import User
        from tests.browser.support import DESKTOP, PHONE, launch_chromium, log_in_by_cookie

        todo, missing = pages()
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        written = 0
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for width_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                contexts = {}
                for name, email, path in todo:
                    if email not in contexts:
                        context = browser.new_context(viewport=viewport, locale="ja-JP")
                        if email:
                            log_in_by_cookie(context, base, User.objects.get(email=email))
                        contexts[email] = context
                    page = contexts[email].new_page()
                    response = page.goto(base + path, wait_until="networkidle")
                    target = out / f"{name}-{width_name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    status = response.status if response else "?"
                    print(f"  {target.relative_to(out.parent) if out.parent in target.parents else target}  {status}")
                    written += 1
                    page.close()
                for context in contexts.values():
                    context.close()
            browser.close()
        print(f"{written} screenshots in {out}")
        if missing:
            print("not taken (page not there yet): " + ", ".join(missing))


if __name__ == "__main__":
    main()
