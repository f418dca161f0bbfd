"""The header search's sections for groups and departments (registered in apps.py)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.search import search
from core.sitesearch import Hit, Section

from .models import Department, Organization


def find_groups(user, query: str, limit: int) -> list[Hit]:
    rows = search(Organization.objects.published(), query).only("id", "name", "kind").order_by("name_kana", "id")
    return [Hit(o.name, o.get_absolute_url(), o.get_kind_display()) for o in rows[:limit]]


def find_departments(user, query: str, limit: int) -> list[Hit]:
    rows = search(Department.objects.select_related("parent"), query).order_by("order", "name_kana", "id")
    return [
        Hit(d.name, reverse("organizations:department_detail", args=[d.pk]), d.parent.name if d.parent else "")
        for d in rows[:limit]
    ]


SECTIONS = [
    Section(
        "groups",
        pgettext_lazy("search section", "団体"),
        10,
        find_groups,
        lambda q: reverse("organizations:directory") + "?" + urlencode({"q": q}),
    ),
    Section(
        "departments",
        _("市の担当課"),
        20,
        find_departments,
        lambda q: reverse("organizations:department_list") + "?" + urlencode({"q": q}),
    ),
]
