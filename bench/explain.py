"""Print EXPLAIN (ANALYZE) of the Japanese search on the bench database (for the README).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kyodo_bench .venv/bin/python -m bench.explain

Run it after `make bench` has seeded the database. Each query is the queryset the page builds
(`.search(q)` on the published rows), so the plans are the ones the portal runs.
"""

import os
import sys

from bench.run import DEFAULT_DATABASE_URL, ROOT


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    os.environ.setdefault("SECRET_KEY", "explain-only")
    os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from listings.models import Listing
    from organizations.models import Organization

    cases = [
        ("directory, two characters (grams index)", Organization.objects.published().search("子育")),
        ("directory, one character (grams index)", Organization.objects.published().search("猫")),
        ("directory, three characters (trigram index)", Organization.objects.published().search("子育て")),
        ("listings, two words", Listing.objects.published().search("地域 清掃")),
        ("listings, four characters (trigram index)", Listing.objects.published().search("見守り活動")),
        ("directory, a reading (こそだて)", Organization.objects.published().search("こそだて")),
        ("directory, two spellings (子ども: 子ども or 子供)", Organization.objects.published().search("子ども")),
        (
            "directory, kanji with reading (子育て: 子育て or こそだて)",
            Organization.objects.published().search("子育て"),
        ),
        ("listings, two words with variants (子供 居場所)", Listing.objects.published().search("子供 居場所")),
    ]
    for title, qs in cases:
        print(f"-- {title}: {qs.count()} rows")
        print(qs.order_by().values("id").explain(analyze=True))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
