"""Open data: the public listings and the public directory as CSV, in the column style of Japanese
municipal open data (自治体標準オープンデータセット: one header row, UTF-8, ISO dates).

Only what the portal already shows the public: published listings and published organizations.
No contact persons, no user names, no e-mail addresses or telephone numbers.
"""

from core.site import absolute_url
from listings.models import Listing
from organizations.models import Organization

from .links import optional_url

SEP = ";"

LISTING_HEADER = [
    "ID",
    "種別",
    "掲載者区分",
    "掲載者名",
    "タイトル",
    "内容",
    "解決したい地域の課題",
    "活動分野",
    "想定する協働の形態",
    "地区",
    "期間_開始日",
    "期間_終了日",
    "公開日",
    "URL",
]

DIRECTORY_HEADER = [
    "ID",
    "名称",
    "名称_カナ",
    "団体の種別",
    "活動分野",
    "関心のある協働の形態",
    "主な活動地区",
    "団体の紹介",
    "主な活動内容",
    "設立年月日",
    "会員数",
    "ウェブサイト",
    "公開日",
    "URL",
]


def _iso(value) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if hasattr(value, "date") else value.isoformat()


def _absolute(name: str, obj) -> str:
    """The public page of obj as an absolute URL from SITE_URL ("" while that page does not exist)."""
    path = optional_url(name, obj.pk)
    return absolute_url(path) if path else ""


def listing_rows() -> list[list]:
    qs = Listing.objects.published().with_related().order_by("id")
    return [
        [
            li.pk,
            li.display_kind,
            li.owner.get_kind_display(),
            li.owner.name,
            li.title,
            li.body,
            li.problem,
            SEP.join(f.name for f in li.activity_fields.all()),
            SEP.join(f.name for f in li.forms.all()),
            li.area.name if li.area else "",
            _iso(li.period_start),
            _iso(li.period_end),
            _iso(li.published_at),
            _absolute("listings:detail", li),
        ]
        for li in qs
    ]


def directory_rows() -> list[list]:
    qs = (
        Organization.objects.published()
        .select_related("area")
        .prefetch_related("activity_fields", "open_forms")
        .order_by("name_kana", "id")
    )
    return [
        [
            org.pk,
            org.name,
            org.name_kana,
            org.get_kind_display(),
            SEP.join(f.name for f in org.activity_fields.all()),
            SEP.join(f.name for f in org.open_forms.all()),
            org.area.name if org.area else "",
            org.description,
            org.activities_summary,
            _iso(org.founded_on),
            org.member_count if org.member_count is not None else "",
            org.website,
            _iso(org.published_at),
            _absolute("organizations:detail", org),
        ]
        for org in qs
    ]
