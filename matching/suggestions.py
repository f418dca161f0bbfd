"""Suggested partners for a published listing.

Candidates are found in the database first (parties sharing an activity field or a collaboration form
with the listing, directly or through their own published listings), bounded to MAX_CANDIDATES; only
that bounded set is scored in Python. Every piece of data is fetched with a fixed number of
`values()` queries, never one query per candidate.

Text similarity uses character bigrams of the normalised text (core.japanese.normalize), so Japanese
works without a tokenizer; bigrams are weighted by how rare they are among the candidates (IDF), and
function-word bigrams made of hiragana only (して, ます …) are ignored.
"""

import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, CharField, F, IntegerField, Value, Window
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from listings.models import Listing
from organizations.models import ActivityField, Area, CollaborationForm, Department, Organization, Party

from .models import DismissedSuggestion, MatchParticipant

MAX_CANDIDATES = 100
MAX_LISTINGS_PER_PARTY = 3
WEIGHT_FIELD = 3.0
WEIGHT_FORM = 2.0
WEIGHT_SAME_AREA = 2.0
WEIGHT_CITYWIDE = 1.0
WEIGHT_TEXT = 12.0
MAX_WORDS = 4
MIN_WORD_IDF = 0.6  # mean IDF of a common word's bigrams; lower means most candidates share it
MAX_TEXT = 600  # characters of each text that are compared

_WORD_CHAR = re.compile(r"[\w\u3005\u30fc]")


_PARTICLES = set("のはがをにへとでやもか")


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch == "々"


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


@dataclass
class Suggestion:
    party_id: int
    kind: str
    name: str
    url: str
    score: float
    reasons: list[str] = field(default_factory=list)
    listing_id: int | None = None
    listing_title: str = ""


@dataclass
class _Profile:
    """What one side brings to the comparison: fields, forms, areas and text."""

    fields: set = field(default_factory=set)
    forms: set = field(default_factory=set)
    areas: set = field(default_factory=set)
    texts: list = field(default_factory=list)
    listings: list = field(default_factory=list)  # dicts with id, title, fields, forms
    gram_parts: list = field(default_factory=list)  # (cache key, texts) of each record compared


def _safe_reverse(name, pk):
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


# A pair of word characters of which at least one is not hiragana (grammar is hiragana: して, ます,
# いただけ; content words rarely are only that). Checked before katakana are folded, so カタカナ words
# still count.
_PAIR_OK = re.compile(r"[^\W\u3041-\u309f]\w|\w[^\W\u3041-\u309f]")
_KATA_TO_HIRA = {c: c - 0x60 for c in range(ord("ァ"), ord("ヶ") + 1)}
_GRAM_CACHE: dict = {}
_GRAM_CACHE_MAX = 100_000


def fast_normalize(text: str) -> str:
    """core.japanese.normalize with str.translate instead of a Python loop (same result, tested)."""
    return "".join(unicodedata.normalize("NFKC", text or "").translate(_KATA_TO_HIRA).lower().split())


def _compact_and_norm(text: str) -> tuple[str, str]:
    compact = "".join(unicodedata.normalize("NFKC", text or "").split())
    norm = fast_normalize(compact)
    return (compact, norm) if len(norm) == len(compact) else (norm, norm)


def bigrams(text: str) -> set[str]:
    """Character bigrams of the normalised text, without punctuation and hiragana-only (grammar) pairs."""
    compact = "".join(unicodedata.normalize("NFKC", text or "").split())
    kept = "".join(filter(_PAIR_OK.fullmatch, set(map(str.__add__, compact, compact[1:]))))
    folded = fast_normalize(kept)
    if len(folded) != len(kept):  # a rare character changed length when folded
        norm = fast_normalize(compact)
        return {p for p in map(str.__add__, norm, norm[1:]) if _PAIR_OK.fullmatch(p)}
    return {folded[i : i + 2] for i in range(0, len(folded), 2)}


def cached_bigrams(key, texts) -> set[str]:
    """Bigrams of a record's texts, kept in-process by (model, pk, updated_at): rows rarely change, and
    the same groups and departments are candidates for many listings."""
    grams = _GRAM_CACHE.get(key)
    if grams is None:
        if len(_GRAM_CACHE) >= _GRAM_CACHE_MAX:
            _GRAM_CACHE.clear()
        grams = _GRAM_CACHE[key] = frozenset(bigrams("\n".join(t[:MAX_TEXT] for t in texts if t)))
    return grams


def common_words(text: str, shared: set[str], idf: dict[str, float]) -> list[str]:
    """Runs of the original text whose bigrams are all shared: what a person reads as common words."""
    compact, norm = _compact_and_norm(text)
    runs, start = [], None
    for i in range(len(norm) - 1):
        if norm[i : i + 2] in shared:
            if start is None:
                start = i
        elif start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(norm) - 1))
    scored = {}
    for a, b in runs:  # bigrams a..b-1 are shared, so characters a..b form the run
        weight = sum(idf.get(norm[i : i + 2], 0.0) for i in range(a, b))
        if weight / (b - a) < MIN_WORD_IDF:  # shared by most candidates (地域, 皆さん): says nothing
            continue
        # Particles at either end (の生活, 障害の) are not part of the word; okurigana right after a kanji
        # are (取り組 → 取り組み).
        while a <= b and _is_hiragana(compact[a]):
            a += 1
        while b >= a and compact[b] in _PARTICLES:
            b -= 1
        if b >= a and _is_kanji(compact[b]):
            end = b
            while end + 1 < len(compact) and end - b < 3 and _is_hiragana(compact[end + 1]):
                if compact[end + 1] in _PARTICLES:
                    break
                end += 1
            b = end
        word = compact[a : b + 1]
        if len(word) >= 2 and weight > 0:
            scored[word] = max(scored.get(word, 0.0), weight)
    return [w for w, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))][:MAX_WORDS]


def _links(field_through, form_through, owner: str, ids) -> list[tuple[str, int, int]]:
    """("fields" | "forms", owner id, field or form id) rows of two M2M tables, in one UNION ALL query."""
    fields = field_through.objects.filter(**{f"{owner}__in": ids}).values_list(
        Value("fields", output_field=CharField()), owner, "activityfield_id"
    )
    forms = form_through.objects.filter(**{f"{owner}__in": ids}).values_list(
        Value("forms", output_field=CharField()), owner, "collaborationform_id"
    )
    return list(fields.order_by().union(forms.order_by(), all=True))


LISTING_VALUES = ("id", "owner_id", "kind", "title", "body", "problem", "area_id", "updated_at")


def _listing_rows(qs, order_by):
    """The listings of qs with their field and form ids: two queries whatever the number of rows (the
    links are selected with qs as a subquery, not with a long list of ids)."""
    rows = {r["id"]: {**r, "fields": set(), "forms": set()} for r in qs.order_by(*order_by).values(*LISTING_VALUES)}
    if rows:
        ids = qs.order_by().values("id")
        for key, lid, ref in _links(Listing.activity_fields.through, Listing.forms.through, "listing_id", ids):
            rows[lid][key].add(ref)
    return rows


def _source_profile(listing) -> _Profile:
    """The listing in hand; its fields and forms come from its prefetch cache when the page has one."""
    return _Profile(
        fields={f.pk for f in listing.activity_fields.all()},
        forms={f.pk for f in listing.forms.all()},
        areas={listing.area_id} if listing.area_id else set(),
        texts=[listing.title, listing.body, listing.problem],
    )


def _excluded_party_ids(listing) -> set[int]:
    dismissed = DismissedSuggestion.objects.filter(listing=listing).values_list("party_id", flat=True)
    in_match = MatchParticipant.objects.filter(match__listings=listing).values_list("party_id", flat=True)
    return {listing.owner_id, *dismissed.order_by().union(in_match.order_by())}


def _ranked_ids(counts: Counter, excluded: set[int]) -> list[int]:
    return [pid for pid, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if pid not in excluded][
        :MAX_CANDIDATES
    ]


def _organization_candidates(source: _Profile, excluded: set[int]) -> dict[int, dict]:
    """Published organizations sharing a field or form with the source, directly or through a seed."""
    counts: Counter = Counter()
    orgs = Organization.objects.filter(is_published=True)
    if source.fields or source.forms:
        # One UNION ALL of the three ways to share something; each row adds its weight.
        by_field = Organization.activity_fields.through.objects.filter(
            activityfield_id__in=source.fields, organization__is_published=True
        ).values_list("organization__party_id", Value(1, output_field=IntegerField()))
        by_form = Organization.open_forms.through.objects.filter(
            collaborationform_id__in=source.forms, organization__is_published=True
        ).values_list("organization__party_id", Value(2, output_field=IntegerField()))
        # Each field or form shared through one of the group's published seeds adds 1.
        on_listing = {
            "listing__status": Listing.Status.PUBLISHED,
            "listing__kind": Listing.Kind.SEED,
            "listing__owner__organization__is_published": True,
        }
        by_listing_field = Listing.activity_fields.through.objects.filter(
            activityfield_id__in=source.fields, **on_listing
        ).values_list("listing__owner_id", Value(3, output_field=IntegerField()))
        by_listing_form = Listing.forms.through.objects.filter(
            collaborationform_id__in=source.forms, **on_listing
        ).values_list("listing__owner_id", Value(3, output_field=IntegerField()))
        weights = {1: WEIGHT_FIELD, 2: WEIGHT_FORM, 3: 1}
        sources = by_field.order_by().union(
            by_form.order_by(), by_listing_field.order_by(), by_listing_form.order_by(), all=True
        )
        for pid, source_kind in sources:
            counts[pid] += weights[source_kind]
    else:
        for pid in orgs.order_by("-published_at", "id").values_list("party_id", flat=True)[:MAX_CANDIDATES]:
            counts[pid] += 0
    ids = _ranked_ids(counts, excluded)
    info = {
        r["party_id"]: r
        for r in orgs.filter(party_id__in=ids).values(
            "id", "party_id", "name", "area_id", "description", "activities_summary", "updated_at"
        )
    }
    org_to_party = {r["id"]: r["party_id"] for r in info.values()}
    profiles = {
        pid: _Profile(
            areas={r["area_id"]} if r["area_id"] else set(),
            texts=[r["name"], r["description"], r["activities_summary"]],
            gram_parts=[(("org", r["id"], r["updated_at"]), (r["name"], r["description"], r["activities_summary"]))],
        )
        for pid, r in info.items()
    }
    if org_to_party:
        links = _links(
            Organization.activity_fields.through, Organization.open_forms.through, "organization_id", list(org_to_party)
        )
        for key, oid, ref in links:
            getattr(profiles[org_to_party[oid]], key).add(ref)
    candidates = {
        pid: {
            "kind": Party.Kind.ORGANIZATION,
            "name": r["name"],
            "url": ("organizations:detail", r["id"]),  # reversed for the top few only
            "profile": profiles[pid],
        }
        for pid, r in info.items()
    }
    _attach_listings(candidates, Listing.Kind.SEED)
    return candidates


def _department_candidates(source: _Profile, excluded: set[int]) -> dict[int, dict]:
    """Departments whose published themes or menu items share a field or form with the source."""
    counts: Counter = Counter()
    if source.fields or source.forms:
        # One UNION ALL over the two link tables; the listing side is read from a covering index.
        on_listing = {"listing__status": Listing.Status.PUBLISHED, "listing__owner__kind": Party.Kind.DEPARTMENT}
        by_field = Listing.activity_fields.through.objects.filter(
            activityfield_id__in=source.fields, **on_listing
        ).values_list("listing__owner_id", Value(1, output_field=IntegerField()))
        by_form = Listing.forms.through.objects.filter(collaborationform_id__in=source.forms, **on_listing).values_list(
            "listing__owner_id", Value(2, output_field=IntegerField())
        )
        weights = {1: WEIGHT_FIELD, 2: WEIGHT_FORM}
        for pid, source_kind in by_field.order_by().union(by_form.order_by(), all=True):
            counts[pid] += weights[source_kind]
    else:
        listings = Listing.objects.published().filter(owner__kind=Party.Kind.DEPARTMENT)
        for pid in listings.order_by("-published_at", "id").values_list("owner_id", flat=True)[:MAX_CANDIDATES]:
            counts[pid] += 0
    ids = _ranked_ids(counts, excluded)
    info = {
        r["party_id"]: r
        for r in Department.objects.filter(party_id__in=ids).values(
            "id", "party_id", "name", "parent__name", "duties", "policies", "updated_at"
        )
    }
    candidates = {
        pid: {
            "kind": Party.Kind.DEPARTMENT,
            "name": f"{r['parent__name']} {r['name']}" if r["parent__name"] else r["name"],
            "url": ("organizations:department_detail", r["id"]),
            "profile": _Profile(
                texts=[r["name"], r["duties"], r["policies"]],
                gram_parts=[(("dept", r["id"], r["updated_at"]), (r["name"], r["duties"], r["policies"]))],
            ),
        }
        for pid, r in info.items()
    }
    _attach_listings(candidates, None)
    return candidates


def _attach_listings(candidates: dict[int, dict], kind: str | None):
    """Add each candidate's published listings (of `kind`, or all) to its profile."""
    if not candidates:
        return
    qs = Listing.objects.published().filter(owner_id__in=candidates)
    if kind:
        qs = qs.filter(kind=kind)
    newest_first = [F("published_at").desc(nulls_last=True), F("id").desc()]
    qs = qs.annotate(rank=Window(RowNumber(), partition_by=[F("owner_id")], order_by=newest_first)).filter(
        rank__lte=MAX_LISTINGS_PER_PARTY
    )
    rows = _listing_rows(qs, newest_first)
    for row in rows.values():
        pid = row["owner_id"]
        profile = candidates[pid]["profile"]
        profile.fields |= row["fields"]
        profile.forms |= row["forms"]
        if row["area_id"]:
            profile.areas.add(row["area_id"])
        profile.texts += [row["title"], row["body"], row["problem"]]
        profile.gram_parts.append(
            (("listing", row["id"], row["updated_at"]), (row["title"], row["body"], row["problem"]))
        )
        profile.listings.append(row)


def _reference_names() -> tuple[dict, dict, dict, set]:
    """Names of every activity field, form and area, and the citywide areas: one small UNION ALL query."""
    kind = CharField()
    fields = ActivityField.objects.values_list(
        Value("field", output_field=kind), "pk", "short_name", Value(False, output_field=BooleanField())
    )
    forms = CollaborationForm.objects.values_list(
        Value("form", output_field=kind), "pk", "name", Value(False, output_field=BooleanField())
    )
    areas = Area.objects.values_list(Value("area", output_field=kind), "pk", "name", "is_citywide")
    names: dict[str, dict] = {"field": {}, "form": {}, "area": {}}
    citywide = set()
    for key, pk, name, is_citywide in fields.order_by().union(forms.order_by(), areas.order_by(), all=True):
        names[key][pk] = name if key == "area" else _(name)  # reference labels are translated
        if is_citywide:
            citywide.add(pk)
    return names["field"], names["form"], names["area"], citywide


def suggest(listing, limit: int = 10) -> list[Suggestion]:
    source = _source_profile(listing)
    excluded = _excluded_party_ids(listing)
    if listing.owner.kind == Party.Kind.DEPARTMENT:
        candidates = _organization_candidates(source, excluded)
    else:
        candidates = _department_candidates(source, excluded)
    if not candidates:
        return []

    source_text = "\n".join(t for t in source.texts if t)
    source_grams = bigrams(source_text)
    cand_grams = {
        pid: frozenset().union(*(cached_bigrams(key, texts) for key, texts in c["profile"].gram_parts))
        for pid, c in candidates.items()
    }
    df: Counter = Counter()
    for grams in cand_grams.values():
        df.update(grams & source_grams)
    n_docs = len(cand_grams) + 1
    idf = {g: math.log((n_docs + 1) / (df[g] + 1)) + 0.1 for g in source_grams}
    source_weight = math.sqrt(sum(idf.values())) or 1.0

    field_names, form_names, area_names, citywide = _reference_names()
    scored = []
    for pid, cand in candidates.items():
        profile = cand["profile"]
        shared_fields = source.fields & profile.fields
        shared_forms = source.forms & profile.forms
        shared_grams = source_grams & cand_grams[pid]
        cand_weight = math.sqrt(sum(idf.get(g, 0.1) for g in cand_grams[pid] & source_grams) or 0.0)
        text_score = sum(idf[g] for g in shared_grams) / (source_weight * max(cand_weight, 1.0)) if shared_grams else 0
        score = WEIGHT_FIELD * len(shared_fields) + WEIGHT_FORM * len(shared_forms) + WEIGHT_TEXT * text_score
        same_area = source.areas & profile.areas - citywide
        is_citywide = bool((source.areas | profile.areas) & citywide)
        if same_area:
            score += WEIGHT_SAME_AREA
        elif is_citywide and (source.areas or profile.areas):
            score += WEIGHT_CITYWIDE
        best = max(
            profile.listings,
            key=lambda r: (len(source.fields & r["fields"]) + len(source.forms & r["forms"]), r["id"]),
            default=None,
        )
        scored.append((score, pid, cand, shared_fields, shared_forms, shared_grams, same_area, is_citywide, best))
    scored.sort(key=lambda s: (-s[0], s[1]))
    top = [s for s in scored if s[0] > 0][:limit]

    results = []
    for score, pid, cand, shared_fields, shared_forms, shared_grams, same_area, is_citywide, best in top:
        reasons = []
        if shared_fields:
            names = "、".join(sorted(field_names[f] for f in shared_fields))
            reasons.append(_("共通の活動分野：%(names)s") % {"names": names})
        if shared_forms:
            names = "、".join(sorted(form_names[f] for f in shared_forms))
            reasons.append(_("双方が想定する協働の形態：%(names)s") % {"names": names})
        if same_area:
            names = "、".join(sorted(area_names[a] for a in same_area))
            reasons.append(_("同じ地区：%(names)s") % {"names": names})
        elif is_citywide and (source.areas or cand["profile"].areas):
            reasons.append(_("市全域が対象"))
        words = common_words(source_text, shared_grams, idf)
        if words:
            reasons.append(_("共通する言葉：%(words)s") % {"words": "、".join(words)})
        results.append(
            Suggestion(
                party_id=pid,
                kind=cand["kind"],
                name=cand["name"],
                url=_safe_reverse(*cand["url"]),
                score=round(score, 1),
                reasons=reasons,
                listing_id=best["id"] if best else None,
                listing_title=best["title"] if best else "",
            )
        )
    return results


def group_by_kind(suggestions):
    grouped = defaultdict(list)
    for s in suggestions:
        grouped[s.kind].append(s)
    return grouped
