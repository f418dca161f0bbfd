"""The pages the benchmark drives, each resolved against the seeded database.

A scenario gives the URL one simulated user requests and the demo login it requests it as. When a
page or the data it needs is not there (an app still being built, a demo step not yet seeding
it), the scenario raises Skip and the benchmark prints {"page": …, "skipped": reason} for it.
Objects are picked deterministically (by id), so runs on the same seed measure the same rows.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Max, Min, Q
from django.urls import NoReverseMatch, reverse

COORDINATOR = "coordinator@example.jp"
# A two-character Japanese word: trigram indexes cannot serve it, the grams index must.
TWO_CHARACTER_QUERY = "子育"


class Skip(Exception):
    """The page or the data it needs does not exist (yet)."""


@dataclass
class Page:
    name: str
    url: str
    user_email: str | None  # None: anonymous


def _url(name, *args, query: dict | None = None) -> str:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch as exc:
        raise Skip(f"no URL named {name}") from exc
    return f"{url}?{urlencode(query)}" if query else url


def _middle(qs, what: str):
    """The row in the middle of qs (ordered by id): typical, and the same on every run."""
    ids = list(qs.order_by("id").values_list("id", flat=True))
    if not ids:
        raise Skip(f"no {what} in the demo data")
    return ids[len(ids) // 2]


def directory_search() -> Page:
    from organizations.models import ActivityField

    field = ActivityField.objects.filter(number=13).first()  # 子どもの健全育成
    query = {"q": TWO_CHARACTER_QUERY}
    if field:
        query["activity_field"] = field.pk
    return Page("directory-search", _url("organizations:directory", query=query), None)


def listing_index() -> Page:
    from listings.models import Listing

    published = Listing.objects.published()
    if not published.exists():
        raise Skip("no published listings in the demo data")
    # The activity field most listings carry, so that page 2 exists at every scale.
    field = (
        published.values("activity_fields")
        .exclude(activity_fields=None)
        .annotate(n=Count("id"))
        .order_by("-n", "activity_fields")
        .first()
    )
    query = {"q": "地域", "kind": Listing.Kind.NEED}
    if field:
        query["field"] = field["activity_fields"]
    query["page"] = 2
    return Page("listing-index", _url("listings:index", query=query), None)


def listing_detail() -> Page:
    from listings.models import Listing

    pk = _middle(Listing.objects.published(), "published listing")
    return Page("listing-detail", _url("listings:detail", pk), COORDINATOR)


def dashboard() -> Page:
    return Page("dashboard", _url("stats:dashboard"), COORDINATOR)


def pipeline_board() -> Page:
    return Page("pipeline-board", _url("matching:board"), COORDINATOR)


def statistics() -> Page:
    from projects.models import CollaborationProject

    span = CollaborationProject.objects.aggregate(first=Min("fiscal_year_start"), last=Max("fiscal_year_start"))
    if span["first"] is None:
        raise Skip("no projects in the demo data")
    query = {"fy_from": span["first"], "fy_to": span["last"]}
    return Page("statistics", _url("stats:table", "form-share", query=query), COORDINATOR)


def project_detail() -> Page:
    from projects.models import CollaborationProject

    complete = CollaborationProject.objects.filter(
        Q(pre_sheet__isnull=False) & Q(agreements__isnull=False) & Q(review_sheet__isnull=False)
    ).distinct()
    pk = _middle(complete, "project with all three records")
    return Page("project-detail", _url("projects:detail", pk), COORDINATOR)


def public_home() -> Page:
    return Page("public-home", _url("portal:home"), None)


def api_listings() -> Page:
    """The API's busiest list: published listings filtered like the listing page, a full page of 50."""
    from listings.models import Listing

    if not Listing.objects.published().exists():
        raise Skip("no published listings in the demo data")
    return Page("api-listings", _url("api:listing-list", query={"q": "地域", "page_size": 50}), None)


# In the order they are printed; "suggest" (a function, not a page) is measured in-process.
PAGES = [
    ("directory-search", directory_search),
    ("listing-index", listing_index),
    ("listing-detail", listing_detail),
    ("dashboard", dashboard),
    ("pipeline-board", pipeline_board),
    ("statistics", statistics),
    ("project-detail", project_detail),
    ("public-home", public_home),
    ("api-listings", api_listings),
]


def suggest_listings(n: int = 50) -> list:
    """n published listings spread evenly over the table, for timing suggest_partners alone."""
    from listings.models import Listing

    ids = list(Listing.objects.published().order_by("id").values_list("id", flat=True))
    if not ids:
        raise Skip("no published listings in the demo data")
    step = max(1, len(ids) // n)
    chosen = ids[::step][:n]
    by_id = Listing.objects.with_related().in_bulk(chosen)  # loaded as the listing page loads it
    return [by_id[pk] for pk in chosen]


def _listing_detail_as(email: str | None) -> Page:
    page = listing_detail()
    return Page(page.name, page.url, email)


def _dashboard_as(email: str) -> Page:
    return Page("dashboard", _url("stats:dashboard"), email)


def mixed() -> list[tuple[int, Page]]:
    """A realistic day: about 70% public pages (searches included), 30% logged-in pages of every role
    (coordinators, department staff, group representatives): (weight, page) pairs."""
    public = [
        (20, public_home()),
        (15, listing_index()),
        (10, directory_search()),
        (10, Page("listing-index-plain", _url("listings:index"), None)),
        (10, _listing_detail_as(None)),
        (5, Page("statistics-public", statistics().url, None)),
    ]
    logged_in = [
        (5, dashboard()),
        (3, pipeline_board()),
        (3, listing_detail()),
        (3, project_detail()),
        (6, _dashboard_as("kosodate@example.jp")),
        (6, _dashboard_as("npo@example.jp")),
        (4, _listing_detail_as("npo@example.jp")),
    ]
    return public + logged_in
