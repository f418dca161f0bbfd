"""Open data: the public listings and the public directory as CSV files in the style the national
guidelines describe (自治体標準オープンデータセット): UTF-8 with BOM, one header row, ISO dates, the
city's 全国地方公共団体コード in every row, a licence, and a data dictionary (every column described).

Only what the portal already shows the public: published listings and published organizations.
No contact persons, no user names, no e-mail addresses or telephone numbers.

The scheduler writes every file once a night (`export_open_data`) with its row count and SHA-256,
so the download page can say when the data was last updated and downloaders can check the file.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.site import absolute_url
from core.spreadsheets import csv_text
from listings.models import Listing
from organizations.models import Organization

SEP = ";"
# Readings are stored in hiragana; the standard's 名称_カナ column is katakana.
KATAKANA = str.maketrans({chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)})
STORAGE_DIR = "opendata"


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    format: str = ""


@dataclass(frozen=True)
class Dataset:
    name: str
    filename: str
    url_name: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[], list[list]]

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def csv(self) -> bytes:
        return csv_text(self.header, self.rows(), bom=True).encode("utf-8")


CODE = Column("全国地方公共団体コード", _("市の全国地方公共団体コード（6桁）"), _("数字6桁"))
TEXT = _("文字列")
LIST = _("文字列（複数のときは「;」区切り）")
DATE = _("日付（YYYY-MM-DD）")


def _iso(value) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if hasattr(value, "date") else value.isoformat()


def _absolute(name: str, obj) -> str:
    """The public page of obj as an absolute URL from SITE_URL."""
    return absolute_url(reverse(name, args=[obj.pk]))


def listing_rows() -> list[list]:
    code = settings.LOCAL_GOVERNMENT_CODE
    qs = Listing.objects.published().with_related().order_by("id")
    return [
        [
            code,
            li.pk,
            li.display_kind,
            li.owner.get_kind_display(),
            li.owner.name,
            li.title,
            li.body,
            li.problem,
            SEP.join(f.name for f in li.activity_fields.all()),
            SEP.join(f.name for f in li.collaboration_forms.all()),
            li.area.name if li.area else "",
            _iso(li.period_start),
            _iso(li.period_end),
            _iso(li.published_at),
            _absolute("listings:detail", li),
        ]
        for li in qs
    ]


def directory_rows() -> list[list]:
    code = settings.LOCAL_GOVERNMENT_CODE
    qs = (
        Organization.objects.published()
        .select_related("area")
        .prefetch_related("activity_fields", "open_forms")
        .order_by("name_kana", "id")
    )
    return [
        [
            code,
            org.pk,
            org.name,
            org.name_kana.translate(KATAKANA),
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


DATASETS = {
    "listings": Dataset(
        name="listings",
        filename="listings.csv",
        url_name="stats:opendata_listings",
        title=_("公開中のニーズ・シーズ"),
        description=_("団体と市の担当課が掲載しているニーズ・シーズ（協働テーマ・協働メニュー）"),
        columns=[
            CODE,
            Column("ID", _("ポータルでの番号（変わりません）"), _("整数")),
            Column("種別", _("ニーズ・シーズ（担当課のものは協働テーマ・協働メニュー）"), TEXT),
            Column("掲載者区分", _("団体 または 市の担当課"), TEXT),
            Column("掲載者名", _("掲載した団体または担当課の名称"), TEXT),
            Column("タイトル", _("掲載のタイトル"), TEXT),
            Column("内容", _("掲載の本文"), TEXT),
            Column("解決したい地域の課題", _("掲載者が解決したい地域の課題"), TEXT),
            Column("活動分野", _("特定非営利活動促進法の別表の活動分野"), LIST),
            Column("想定する協働の形態", _("共催・後援・委託など、想定する協働の形態"), LIST),
            Column("地区", _("対象の地区（空欄は指定なし）"), TEXT),
            Column("期間_開始日", _("募集・提供の期間の開始日（空欄は指定なし）"), DATE),
            Column("期間_終了日", _("募集・提供の期間の終了日（空欄は随時・継続）"), DATE),
            Column("公開日", _("ポータルで公開した日"), DATE),
            Column("URL", _("ポータルの掲載ページ"), _("URL")),
        ],
        rows=listing_rows,
    ),
    "organizations": Dataset(
        name="organizations",
        filename="organizations.csv",
        url_name="stats:opendata_directory",
        title=_("団体名簿"),
        description=_("公開している団体の名称・種別・活動分野など（連絡先の個人情報は含みません）"),
        columns=[
            CODE,
            Column("ID", _("ポータルでの番号（変わりません）"), _("整数")),
            Column("名称", _("団体の名称"), TEXT),
            Column("名称_カナ", _("団体の名称のよみ（全角カタカナ）。この列の50音順に並べています"), TEXT),
            Column("団体の種別", _("NPO法人・任意団体・自治会・町内会など"), TEXT),
            Column("活動分野", _("特定非営利活動促進法の別表の活動分野"), LIST),
            Column("関心のある協働の形態", _("団体が関心を持つ協働の形態"), LIST),
            Column("主な活動地区", _("主に活動している地区"), TEXT),
            Column("団体の紹介", _("団体の紹介文"), TEXT),
            Column("主な活動内容", _("主な活動の内容"), TEXT),
            Column("設立年月日", _("団体の設立年月日"), DATE),
            Column("会員数", _("会員数（空欄は非公開）"), _("整数")),
            Column("ウェブサイト", _("団体のウェブサイト"), _("URL")),
            Column("公開日", _("ポータルで公開した日"), DATE),
            Column("URL", _("ポータルの団体ページ"), _("URL")),
        ],
        rows=directory_rows,
    ),
}


def storage_path(dataset: Dataset) -> str:
    return f"{STORAGE_DIR}/{dataset.filename}"


def export(dataset: Dataset):
    """Write one file to the shared storage and record its row count and checksum."""
    from .models import OpenDataFile

    rows = dataset.rows()
    data = csv_text(dataset.header, rows, bom=True).encode("utf-8")
    path = storage_path(dataset)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(data))
    record, _created = OpenDataFile.objects.update_or_create(
        name=dataset.name,
        defaults={
            "rows": len(rows),
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "generated_at": timezone.now(),
        },
    )
    return record


def export_all() -> list:
    return [export(dataset) for dataset in DATASETS.values()]
