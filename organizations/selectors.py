"""Reads shared by the pages of groups and departments."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import CharField, Prefetch, Q, Value
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext as _

from core.i18n import in_reader_language
from core.japanese import GOJUON_ROWS, join_names

from .models import (
    ActivityField,
    ActivityPhoto,
    Area,
    CollaborationForm,
    Department,
    Organization,
    OrganizationMembership,
    ProfileRevision,
)

# The public profile fields a revision carries; applied to the organization on approval.
PROFILE_FIELDS = (
    "name",
    "name_kana",
    "kind",
    "area",
    "description",
    "activities_summary",
    "founded_on",
    "member_count",
    "website",
    "public_email",
    "public_phone",
    "logo",
    "activity_fields",
    "open_forms",
)
M2M_FIELDS = ("activity_fields", "open_forms")

GOJUON_INDEX = [row for row, _chars in GOJUON_ROWS]


def kana_row_q(row: str, field: str = "name_kana") -> Q:
    """Readings that start with a kana of the 50音 row (あ → あいうえお…); plain startswith, so it
    works the same on SQLite and PostgreSQL. Hiragana and full-width katakana readings both match."""
    chars = dict(GOJUON_ROWS).get(row, "")
    q = Q(pk__in=[])
    for char in chars:
        # Forms store hiragana; readings entered elsewhere (admin, imports) may be in katakana.
        for variant in (char, chr(ord(char) + 0x60)):
            q |= Q(**{f"{field}__startswith": variant})
    return q


# What a directory card shows (the search columns are long and never shown).
CARD_FIELDS = ("name", "name_kana", "kind", "description", "area__name", "area__name_en")


def directory_organizations():
    """Published groups with what a directory card shows."""
    return (
        Organization.objects.published().select_related("area").only(*CARD_FIELDS).prefetch_related("activity_fields")
    )


def profile_data_of(organization: Organization) -> dict:
    """The organization's current (published) profile in revision form."""
    data = {}
    for name in PROFILE_FIELDS:
        if name in M2M_FIELDS:
            data[name] = sorted(obj.pk for obj in getattr(organization, name).all())
        elif name == "area":
            data[name] = organization.area_id
        elif name == "founded_on":
            data[name] = organization.founded_on.isoformat() if organization.founded_on else None
        elif name == "logo":
            data[name] = organization.logo.name or ""
        else:
            data[name] = getattr(organization, name)
    return data


def pending_profile_revision(organization: Organization) -> ProfileRevision | None:
    return (
        organization.revisions.filter(kind=ProfileRevision.Kind.PROFILE, status=ProfileRevision.Status.PENDING)
        .order_by("-created_at", "-id")
        .first()
    )


def organization_for_page(queryset, pk):
    return (
        queryset.select_related("area")
        .prefetch_related(
            "activity_fields",
            "open_forms",
            Prefetch("activities__photos", queryset=ActivityPhoto.objects.order_by("id")),
        )
        .get(pk=pk)
    )


def department_tree(departments=None) -> list[tuple[Department, list[Department]]]:
    """Departments as 部 → 課: [(division, [sections…])], in the city's order.

    With a filtered queryset of sections, only divisions that keep a section are listed.
    """
    divisions = list(Department.objects.filter(parent__isnull=True).order_by("order", "name_kana", "id"))
    sections = departments if departments is not None else Department.objects.filter(parent__isnull=False)
    by_parent: dict[int, list[Department]] = {}
    for dept in sections.select_related("parent").order_by("order", "name_kana", "id"):
        if dept.parent_id:
            by_parent.setdefault(dept.parent_id, []).append(dept)
    if departments is None:
        return [(d, by_parent.get(d.pk, [])) for d in divisions]
    return [(d, by_parent[d.pk]) for d in divisions if d.pk in by_parent]


REFERENCE_CHOICES_SECONDS = 600
# The reference tables that filters list; a save or delete of any of them forgets their choices.
REFERENCE_MODELS = (ActivityField, CollaborationForm, Department, Area)


def _reference_choices_key(language: str) -> str:
    return f"organizations:reference-choices:{language}"


def reference_choices() -> dict[str, list[tuple[int, str]]]:
    """(id, label) choices of the reference filters (activity fields, forms, departments as 「部 課」,
    areas) in their usual order and the reader's language, kept in the shared cache: on the listing
    index ~900 departments and translated labels cost a fifth of the page, on the directory three
    queries. A save or delete of a field, form, department or area forgets them (organizations.apps);
    a bulk update, which sends no signal, shows after REFERENCE_CHOICES_SECONDS."""
    key = _reference_choices_key(get_language() or settings.LANGUAGE_CODE)
    choices = cache.get(key)
    if choices is None:
        choices = _reference_choices()
        cache.set(key, choices, REFERENCE_CHOICES_SECONDS)
    return choices


def forget_reference_choices(**kwargs):
    """Signal receiver: the reference data changed. Forgotten at once and again after the commit: a
    request between the two would otherwise cache the old lists from before the commit."""

    def forget():
        cache.delete_many([_reference_choices_key(code) for code, _name in settings.LANGUAGES])

    forget()
    transaction.on_commit(forget)


def _reference_choices() -> dict[str, list[tuple[int, str]]]:
    """The four lists from one UNION ALL query."""
    text = CharField()
    empty = Value("", output_field=text)
    parts = [
        ActivityField.objects.values_list(
            Value("field", output_field=text), "pk", "short_name", empty, "number", empty, empty
        ),
        CollaborationForm.objects.values_list(
            Value("form", output_field=text), "pk", "name", empty, "order", empty, empty
        ),
        Department.objects.filter(parent__isnull=False).values_list(
            Value("department", output_field=text), "pk", "name", "parent__name", "order", empty, empty
        ),
        Area.objects.values_list(
            Value("area", output_field=text), "pk", "name", empty, "order", "name_kana", "name_en"
        ),
    ]
    first, *rest = (part.order_by() for part in parts)
    rows = sorted(first.union(*rest, all=True), key=lambda r: (r[0], r[4], r[5], r[1]))
    choices: dict[str, list[tuple[int, str]]] = {"field": [], "form": [], "department": [], "area": []}
    for key, pk, name, parent_name, _order, _kana, name_en in rows:
        if key in ("field", "form"):
            name = gettext(name)  # reference labels are translated (organizations/reference.py)
        elif key == "area":
            name = in_reader_language(name, name_en)
        choices[key].append((pk, f"{parent_name} {name}" if parent_name else name))
    return choices


def activity_field_choices() -> list[tuple[int, str]]:
    """(id, short label) of the activity fields in their number order (see reference_choices)."""
    return reference_choices()["field"]


def pending_revisions():
    """The coordinators' review queue: oldest first."""
    return (
        ProfileRevision.objects.filter(status=ProfileRevision.Status.PENDING)
        .select_related("organization", "submitted_by")
        .order_by("created_at", "id")
    )


def memberships_of(user):
    """A user's groups, with the latest state of review, for the 団体の管理 page."""
    return (
        OrganizationMembership.objects.filter(user=user)
        .select_related("organization__area")
        .order_by("organization__name_kana", "organization_id")
    )


def _display(name: str, value, lookups) -> str:
    if value in (None, "", []):
        return ""
    if name in ("activity_fields", "open_forms"):
        return join_names(lookups[name].get(pk, "?") for pk in value)
    if name == "area":
        return lookups["area"].get(value, "?")
    if name == "kind":
        return str(dict(Organization.Kind.choices).get(value, value))
    if name == "logo":
        return _("画像あり（%(name)s）") % {"name": value.rsplit("/", 1)[-1]}
    return str(value)


def revision_diff(revision: ProfileRevision) -> list[dict]:
    """Field by field: the published value, the proposed value, and whether it changed.

    A group never published is compared with an empty profile, so every filled field shows as new.
    """
    organization = revision.organization
    published = profile_data_of(organization) if organization.is_published else {}
    lookups = _lookups()
    rows = []
    for name in PROFILE_FIELDS:
        old = _display(name, published.get(name), lookups)
        new = _display(name, revision.data.get(name), lookups)
        rows.append(
            {
                "label": Organization._meta.get_field(name).verbose_name,
                "old": old,
                "new": new,
                "changed": old != new,
                "name": name,
            }
        )
    return rows


def _lookups() -> dict:
    return {
        "activity_fields": {af.pk: str(af) for af in ActivityField.objects.all()},
        "open_forms": {cf.pk: str(cf) for cf in CollaborationForm.objects.all()},
        "area": {area.pk: str(area) for area in Area.objects.all()},
    }


def profile_rows(data: dict) -> list[dict]:
    """A profile in revision form as readable rows (label, value), e.g. to show a conflicting edit."""
    lookups = _lookups()
    return [
        {"label": Organization._meta.get_field(name).verbose_name, "value": _display(name, data.get(name), lookups)}
        for name in PROFILE_FIELDS
    ]
