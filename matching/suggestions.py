"""Suggested partners for a published listing.

Candidates are found in the database first (parties sharing an activity field or a collaboration form
with the listing, directly or through their own published listings), bounded to MAX_CANDIDATES; only
that bounded set is scored in Python. Everything is fetched with three UNION ALL queries of plain
rows (candidates and exclusions; the candidates' rows and newest listings; their fields and forms),
never one query per candidate. The reasons name only the source's own fields, forms and area, which
the listing page has already loaded.

Text similarity uses character bigrams of the normalised text (core.japanese.normalize), so Japanese
works without a tokenizer; bigrams are weighted by how rare they are among the candidates (IDF), and
function-word bigrams made of hiragana only (して, ます …) are ignored.
"""

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import BooleanField, CharField, F, IntegerField, Value, Window
from django.db.models.functions import RowNumber
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from listings.models import Listing
from organizations.models import Department, Organization, Party

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


def _source_profile(listing) -> _Profile:
    """The listing in hand; its fields and forms come from its prefetch cache when the page has one."""
    return _Profile(
        fields={f.pk for f in listing.activity_fields.all()},
        forms={f.pk for f in listing.forms.all()},
        areas={listing.area_id} if listing.area_id else set(),
        texts=[listing.title, listing.body, listing.problem],
    )


def _tagged(qs, tag: int, *columns):
    """values_list rows (tag, *columns) for a UNION ALL, without ordering."""
    return qs.order_by().values_list(Value(tag, output_field=IntegerField()), *columns)


# Tags of the link rows of _candidate_profiles.
ORG_FIELD, ORG_FORM, LISTING_FIELD, LISTING_FORM = range(1, 5)
# A party already dismissed or matched for the listing: outweighs anything it shares.
EXCLUDED = -1_000_000


def _weighted(qs, weight: int, party: str):
    return qs.order_by().annotate(w=Value(weight, output_field=IntegerField())).values_list("w", party)


def _ranked_candidates(listing, source: _Profile, side: str) -> list[int]:
    """Up to MAX_CANDIDATES parties of `side` sharing a field or form with the source (directly, or
    through their published listings), best first, without those dismissed or already matched for
    the listing: one query, the weights summed in the database."""
    excluded = [
        _weighted(DismissedSuggestion.objects.filter(listing=listing), EXCLUDED, "party_id"),
        _weighted(MatchParticipant.objects.filter(match__listings=listing), EXCLUDED, "party_id"),
    ]
    if not (source.fields or source.forms):
        # Nothing to compare by: the newest parties of that side, for the texts to rank.
        skip = {listing.owner_id, *(party_id for _w, party_id in excluded[0].union(excluded[1], all=True))}
        if side == Party.Kind.ORGANIZATION:
            newest = Organization.objects.filter(is_published=True).order_by("-published_at", "id")
            newest = newest.values_list("party_id", flat=True)
        else:
            newest = Listing.objects.published().filter(owner__kind=side).order_by("-published_at", "id")
            newest = newest.values_list("owner_id", flat=True)
        return [pid for pid in newest[: MAX_CANDIDATES + len(skip)] if pid not in skip][:MAX_CANDIDATES]
    on_listing = {"listing__status": Listing.Status.PUBLISHED, "listing__owner__kind": side}
    if side == Party.Kind.ORGANIZATION:
        # A group's own fields and forms count most; each shared through one of its published seeds
        # (what it can offer) adds 1.
        published = {"organization__is_published": True}
        on_listing |= {"listing__kind": Listing.Kind.SEED, "listing__owner__organization__is_published": True}
        owner, listing_weights = "organization__party_id", (1, 1)
        sharing = [
            _weighted(
                Organization.activity_fields.through.objects.filter(activityfield_id__in=source.fields, **published),
                int(WEIGHT_FIELD),
                owner,
            ),
            _weighted(
                Organization.open_forms.through.objects.filter(collaborationform_id__in=source.forms, **published),
                int(WEIGHT_FORM),
                owner,
            ),
        ]
    else:
        sharing, listing_weights = [], (int(WEIGHT_FIELD), int(WEIGHT_FORM))
    sharing += [
        _weighted(
            Listing.activity_fields.through.objects.filter(activityfield_id__in=source.fields, **on_listing),
            listing_weights[0],
            "listing__owner_id",
        ),
        _weighted(
            Listing.forms.through.objects.filter(collaborationform_id__in=source.forms, **on_listing),
            listing_weights[1],
            "listing__owner_id",
        ),
    ]
    first, *rest = excluded + sharing
    rows = first.union(*rest, all=True)
    sql, params = rows.query.sql_with_params()
    # The union's columns are named after its first part: w and party_id.
    ranked = (
        f"SELECT u.party_id FROM ({sql}) u WHERE u.party_id <> %s GROUP BY u.party_id "  # noqa: S608 (compiled ORM SQL)
        "HAVING SUM(u.w) > 0 ORDER BY SUM(u.w) DESC, u.party_id LIMIT %s"
    )
    with connections[rows.db].cursor() as cursor:
        cursor.execute(ranked, [*params, listing.owner_id, MAX_CANDIDATES])
        return [party_id for (party_id,) in cursor.fetchall()]


def _candidate_profiles(ids: list[int], side: str, citywide: set[int]) -> dict[int, dict]:
    """The candidates' own rows and their newest published listings (seeds only for groups): one
    UNION ALL query of the same ten columns, then one for all their fields and forms."""
    kind = CharField()
    area_citywide = ("area_id", "area__is_citywide", "updated_at")
    if side == Party.Kind.ORGANIZATION:
        own = Organization.objects.filter(party_id__in=ids).values_list(
            Value("org", output_field=kind),
            "id",
            "party_id",
            "name",
            Value("", output_field=kind),
            "description",
            "activities_summary",
            *area_citywide,
        )
        listings = Listing.objects.published().filter(owner_id__in=ids, kind=Listing.Kind.SEED)
    else:
        own = Department.objects.filter(party_id__in=ids).values_list(
            Value("dept", output_field=kind),
            "id",
            "party_id",
            "name",
            "parent__name",
            "duties",
            "policies",
            Value(None, output_field=IntegerField()),
            Value(False, output_field=BooleanField()),
            "updated_at",
        )
        listings = Listing.objects.published().filter(owner_id__in=ids)
    newest_first = [F("published_at").desc(nulls_last=True), F("id").desc()]
    newest = listings.annotate(rank=Window(RowNumber(), partition_by=[F("owner_id")], order_by=newest_first))
    listings = Listing.objects.filter(pk__in=newest.filter(rank__lte=MAX_LISTINGS_PER_PARTY).values("pk"))
    listing_rows = listings.values_list(
        Value("listing", output_field=kind), "id", "owner_id", "title", "kind", "body", "problem", *area_citywide
    )
    candidates: dict[int, dict] = {}
    listing_ids, org_ids = [], {}
    rows = list(own.order_by().union(listing_rows.order_by(), all=True))
    for tag, pk, party_id, name, extra, text1, text2, area_id, is_citywide, updated_at in rows:
        if is_citywide:
            citywide.add(area_id)
        if tag == "listing":
            continue
        if tag == "org":
            org_ids[pk] = party_id
        candidates[party_id] = {
            "kind": side,
            "name": f"{extra} {name}" if extra else name,
            "url": ("organizations:detail" if tag == "org" else "organizations:department_detail", pk),
            "profile": _Profile(
                areas={area_id} if area_id else set(),
                gram_parts=[((tag, pk, updated_at), (name, text1, text2))],
            ),
        }
    by_listing = {}
    for tag, pk, party_id, title, _kind, body, problem, area_id, _citywide, updated_at in rows:
        if tag != "listing" or party_id not in candidates:
            continue
        row = {"id": pk, "title": title, "fields": set(), "forms": set()}
        profile = candidates[party_id]["profile"]
        if area_id:
            profile.areas.add(area_id)
        profile.gram_parts.append((("listing", pk, updated_at), (title, body, problem)))
        profile.listings.append(row)
        by_listing[pk] = (row, profile)
        listing_ids.append(pk)
    links = [
        _tagged(
            Listing.activity_fields.through.objects.filter(listing_id__in=listing_ids),
            LISTING_FIELD,
            "listing_id",
            "activityfield_id",
        ),
        _tagged(
            Listing.forms.through.objects.filter(listing_id__in=listing_ids),
            LISTING_FORM,
            "listing_id",
            "collaborationform_id",
        ),
    ]
    if org_ids:
        links += [
            _tagged(
                Organization.activity_fields.through.objects.filter(organization_id__in=org_ids),
                ORG_FIELD,
                "organization_id",
                "activityfield_id",
            ),
            _tagged(
                Organization.open_forms.through.objects.filter(organization_id__in=org_ids),
                ORG_FORM,
                "organization_id",
                "collaborationform_id",
            ),
        ]
    if listing_ids or org_ids:
        for tag, owner_id, ref in links[0].union(*links[1:], all=True):
            if tag in (ORG_FIELD, ORG_FORM):
                profile, row = candidates[org_ids[owner_id]]["profile"], None
            else:
                row, profile = by_listing[owner_id]
            key = "fields" if tag in (ORG_FIELD, LISTING_FIELD) else "forms"
            getattr(profile, key).add(ref)
            if row is not None:
                row[key].add(ref)
    return candidates


def suggest(listing, limit: int = 10) -> list[Suggestion]:
    """Three queries on a page that has prefetched the listing's fields and forms and its area."""
    source = _source_profile(listing)
    side = Party.Kind.ORGANIZATION if listing.owner.kind == Party.Kind.DEPARTMENT else Party.Kind.DEPARTMENT
    citywide = {listing.area_id} if listing.area_id and listing.area.is_citywide else set()
    candidates = _candidate_profiles(_ranked_candidates(listing, source, side), side, citywide)
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

    # Reasons name only what the source has: its own fields, forms and area.
    field_names = {f.pk: str(f) for f in listing.activity_fields.all()}
    form_names = {f.pk: str(f) for f in listing.forms.all()}
    area_names = {listing.area_id: listing.area.name} if listing.area_id else {}
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
