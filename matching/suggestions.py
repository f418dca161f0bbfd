"""Suggested partners for a published listing.

Candidates are found in the database first: parties sharing an activity field or a collaboration form
with the listing, directly or through their own published listings (up to MAX_CANDIDATES), and
parties whose own texts (a group's description, a department's duties) contain the listing's most
specific words (up to MAX_TEXT_CANDIDATES), so that a group whose description answers a theme can be
suggested even when it shares little else. Only that
bounded set is scored in Python. Everything is fetched with three queries of plain rows (candidates
and exclusions; the candidates' rows and newest listings; their fields and forms), never one query
per candidate.

Texts are compared by their content words (core.analyser.content_words, stored on each record when it
is saved): nouns and compounds, verbs and adjectives by their dictionary forms, so 子ども/子供/こども
and つながり/繋がり meet. Words are weighted by how rare they are among the candidates (IDF); words that
most candidates share say nothing and are dropped. The reasons name the source's own fields, forms,
area and words as the source writes them.
"""

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import BooleanField, CharField, F, IntegerField, Value, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.analyser import is_reading_char
from core.japanese import join_names, normalize
from core.lookups import AnyOf, JSONKeys, json_keys
from core.search import Term, filter_terms
from listings.models import Listing
from organizations.models import Department, Organization, Party

from .models import DismissedSuggestion, Match, MatchParticipant

MAX_CANDIDATES = 100
MAX_TEXT_CANDIDATES = 30
MAX_QUERY_WORDS = 6  # of the source's words, the longest, looked up to find candidates by text
TRIGRAM = 3
ROWS_PER_WORD = 200
_VERB_ENDINGS = set("うくぐすずつづぬふぶぷむゆるい")
MAX_LISTINGS_PER_PARTY = 3
WEIGHT_FIELD = 3.0
WEIGHT_FORM = 2.0
WEIGHT_SAME_AREA = 2.0
WEIGHT_CITYWIDE = 1.0
WEIGHT_TEXT = 30.0
MAX_WORDS = 4
MIN_WORDS_ALONE = 2  # words a candidate sharing no field or form must share to be suggested
COMMON_SHARE = 0.5  # a word more than this share of the candidates have says nothing


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
    """What one side brings to the comparison: fields, forms, areas and content words."""

    fields: set = field(default_factory=set)
    forms: set = field(default_factory=set)
    areas: set = field(default_factory=set)
    words: dict = field(default_factory=dict)  # normalised key -> as written (None for candidates: only keys are read)
    listings: list = field(default_factory=list)  # dicts with id, title, fields, forms


def reason_words(source_words: dict[str, str], shared: set[str], idf: dict[str, float]) -> list[str]:
    """The rarest shared words as the source writes them; a word inside one already named is left out
    (市民後見人 names 後見人 too)."""
    chosen: list[str] = []
    for key in sorted(shared, key=lambda k: (-idf[k], -len(source_words[k]), k)):
        surface = source_words[key]
        if surface and not any(surface in other for other in chosen):
            chosen = [other for other in chosen if other not in surface] + [surface]
        if len(chosen) == MAX_WORDS:
            break
    return chosen


def _query_words(words: dict[str, str]) -> list[str]:
    """The source's words to look candidates up by: the longest (most specific) nouns, of three characters
    or more so that PostgreSQL's trigram index finds them (外来種, 市民後見人, 農福連携). Kana-only words
    and dictionary forms of verbs and adjectives (取り組む, 関わる: they end in an u-row kana or い) are
    common in every text and would only make the lookup slow."""
    keys = [normalize(k) for k in words]
    keys = [k for k in keys if len(k) >= TRIGRAM and k[-1] not in _VERB_ENDINGS and not all(map(is_reading_char, k))]
    return sorted(dict.fromkeys(keys), key=lambda k: (-len(k), k))[:MAX_QUERY_WORDS]


def _source_profile(listing) -> _Profile:
    """The listing in hand; its fields and forms come from its prefetch cache when the page has one."""
    return _Profile(
        fields={f.pk for f in listing.activity_fields.all()},
        forms={f.pk for f in listing.collaboration_forms.all()},
        areas={listing.area_id} if listing.area_id else set(),
        words=listing.text_words,
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
    """Parties of `side` to score, without those dismissed or already matched for the listing: up to
    MAX_CANDIDATES sharing the most fields and forms with the source (directly, or through their
    published listings) and up to MAX_TEXT_CANDIDATES whose texts contain the most of the source's
    words. One query: the weights are summed and ranked in the database."""
    excluded = [
        _weighted(DismissedSuggestion.objects.filter(listing=listing), EXCLUDED, "party_id"),
        _weighted(MatchParticipant.objects.filter(match__listings=listing), EXCLUDED, "party_id"),
    ]
    # The other side's published listings a party shares through (a group's: its published seeds),
    # their owners read from the side's own rows rather than from every party.
    eligible = Listing.objects.published()
    own_rows = Department.objects.all()
    if side == Party.Kind.ORGANIZATION:
        # A group's own fields and forms count most; each shared through one of its published seeds
        # (what it can offer) adds 1.
        published = {"organization__is_published": True}
        own_rows = Organization.objects.filter(is_published=True)
        eligible = eligible.filter(kind=Listing.Kind.SEED)
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
    eligible = eligible.filter(owner_id__in=own_rows.values("party_id"))
    through_listings = None  # SQL of rows (party_id, w): shared through the other side's listings
    if source.fields or source.forms:
        # The link rows of both kinds first, joined to the eligible listings once (not once per kind:
        # reading and hashing every published listing is most of this query's time).
        links_sql, links_params = _union(
            [
                _weighted(
                    Listing.activity_fields.through.objects.filter(activityfield_id__in=source.fields),
                    listing_weights[0],
                    "listing_id",
                ),
                _weighted(
                    Listing.collaboration_forms.through.objects.filter(collaborationform_id__in=source.forms),
                    listing_weights[1],
                    "listing_id",
                ),
            ]
        )
        eligible_sql, eligible_params = _sql(eligible.order_by().values("id", "owner_id"))
        through_listings = (
            f"SELECT e.owner_id AS party_id, x.w FROM ({links_sql}) x "  # noqa: S608 (compiled ORM SQL)
            f"JOIN ({eligible_sql}) e ON e.id = x.listing_id",
            (*links_params, *eligible_params),
        )
    by_text = []
    for number, word in enumerate(_query_words(source.words), start=1):
        term = [Term(word, (word,))]
        # The parties' own texts only: their listings are ten times as many rows to read.
        by_text.append(_weighted(filter_terms(own_rows, term, grams=False), number, "party_id"))
    selects = []  # (SQL of rows party_id, w; its parameters; how many parties it may bring)
    if through_listings:
        sql, params = _union(excluded + sharing)
        # The union's columns are named after its first part: w and party_id.
        select = f"SELECT u.party_id, u.w FROM ({sql}) u UNION ALL {through_listings[0]}"  # noqa: S608 (ORM SQL)
        selects.append((select, (*params, *through_listings[1]), MAX_CANDIDATES))
    if by_text:
        # Each word weighs 1 / the number of parties that have it, so that rare words find candidates;
        # w holds the word's number here, or EXCLUDED. A word is read in at most ROWS_PER_WORD rows: one
        # found in more is common and weighs next to nothing anyway.
        sql, params = _union(excluded)
        parts, params = [sql], list(params)
        for number, part in enumerate(by_text):
            part_sql, part_params = _sql(part)
            parts.append(f"SELECT * FROM ({part_sql} LIMIT {ROWS_PER_WORD}) p{number}")  # noqa: S608 (ORM SQL)
            params += part_params
        select = (
            "SELECT d.party_id, CASE WHEN d.word < 0 THEN d.word "  # noqa: S608 (compiled ORM SQL)
            "ELSE 1.0 / COUNT(*) OVER (PARTITION BY d.word) END AS w "
            f"FROM (SELECT DISTINCT u.w AS word, u.party_id FROM ({' UNION ALL '.join(parts)}) u) d"
        )
        selects.append((select, params, MAX_TEXT_CANDIDATES))
    if not selects:
        return []
    ranked, params = [], []
    for number, (select, select_params, limit) in enumerate(selects):
        ranked.append(
            f"SELECT party_id FROM (SELECT t.party_id FROM ({select}) t WHERE t.party_id <> %s "  # noqa: S608 (ORM SQL)
            f"GROUP BY t.party_id HAVING SUM(t.w) > 0 ORDER BY SUM(t.w) DESC, t.party_id LIMIT %s) r{number}"
        )
        params += [*select_params, listing.owner_id, limit]
    with connections[own_rows.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(ranked), params)
        return list(dict.fromkeys(party_id for (party_id,) in cursor.fetchall()))


def _union(parts) -> tuple[str, tuple]:
    first, *rest = parts
    return _sql(first.union(*rest, all=True))


def _sql(qs) -> tuple[str, tuple]:
    """A queryset's SQL and parameters, compiled for the database it reads."""
    return qs.query.get_compiler(using=qs.db).as_sql()


def _rows(qs) -> list[tuple]:
    """A values_list queryset's rows as the cursor returns them: the rows here are too many (~1,500 per
    suggestion) to pay Django's converters on each value, and none of their columns needs one."""
    try:
        sql, params = _sql(qs)
    except EmptyResultSet:  # e.g. no candidates: the ORM would not have queried either
        return []
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _candidate_profiles(ids: list[int], side: str, citywide: set[int]) -> dict[int, dict]:
    """The candidates' own rows and their newest published listings (seeds only for groups): one
    UNION ALL query of the same eight columns, then one for all their fields and forms."""
    kind = CharField()
    area_citywide = ("area_id", "area__is_citywide")
    if side == Party.Kind.ORGANIZATION:
        own = Organization.objects.filter(AnyOf(F("party_id"), ids)).values_list(
            Value("org", output_field=kind),
            "id",
            "party_id",
            "name",
            Value("", output_field=kind),
            JSONKeys("text_words"),
            *area_citywide,
        )
        listings = Listing.objects.published().filter(AnyOf(F("owner_id"), ids), kind=Listing.Kind.SEED)
    else:
        own = Department.objects.filter(AnyOf(F("party_id"), ids)).values_list(
            Value("dept", output_field=kind),
            "id",
            "party_id",
            "name",
            "parent__name",
            JSONKeys("text_words"),
            Value(None, output_field=IntegerField()),
            Value(False, output_field=BooleanField()),
        )
        listings = Listing.objects.published().filter(AnyOf(F("owner_id"), ids))
    newest_first = [F("published_at").desc(), F("id").desc()]  # as listing_published_newest_idx
    newest = listings.annotate(rank=Window(RowNumber(), partition_by=[F("owner_id")], order_by=newest_first))
    listings = Listing.objects.filter(pk__in=newest.filter(rank__lte=MAX_LISTINGS_PER_PARTY).values("pk"))
    listing_rows = listings.values_list(
        Value("listing", output_field=kind), "id", "owner_id", "title", "kind", JSONKeys("text_words"), *area_citywide
    )
    candidates: dict[int, dict] = {}
    listing_ids, org_ids = [], {}
    rows = _rows(own.order_by().union(listing_rows.order_by(), all=True))
    for tag, pk, party_id, name, extra, words, area_id, is_citywide in rows:
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
                words=dict.fromkeys(json_keys(words)),
            ),
        }
    by_listing = {}
    for tag, pk, party_id, title, _kind, words, area_id, _citywide in rows:
        if tag != "listing" or party_id not in candidates:
            continue
        row = {"id": pk, "title": title, "fields": set(), "forms": set()}
        profile = candidates[party_id]["profile"]
        if area_id:
            profile.areas.add(area_id)
        profile.words.update(dict.fromkeys(json_keys(words)))
        profile.listings.append(row)
        by_listing[pk] = (row, profile)
        listing_ids.append(pk)
    links = [
        _tagged(
            Listing.activity_fields.through.objects.filter(AnyOf(F("listing_id"), listing_ids)),
            LISTING_FIELD,
            "listing_id",
            "activityfield_id",
        ),
        _tagged(
            Listing.collaboration_forms.through.objects.filter(AnyOf(F("listing_id"), listing_ids)),
            LISTING_FORM,
            "listing_id",
            "collaborationform_id",
        ),
    ]
    if org_ids:
        links += [
            _tagged(
                Organization.activity_fields.through.objects.filter(AnyOf(F("organization_id"), list(org_ids))),
                ORG_FIELD,
                "organization_id",
                "activityfield_id",
            ),
            _tagged(
                Organization.open_forms.through.objects.filter(AnyOf(F("organization_id"), list(org_ids))),
                ORG_FORM,
                "organization_id",
                "collaborationform_id",
            ),
        ]
    if listing_ids or org_ids:
        for tag, owner_id, ref in _rows(links[0].union(*links[1:], all=True)):
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

    # Document frequency of every word among the candidates; words most of them have are dropped.
    df: Counter = Counter()
    for cand in candidates.values():
        df.update(cand["profile"].words.keys())
    n_docs = len(candidates) + 1
    idf = {
        k: math.log((n_docs + 1) / (df[k] + 1)) + 0.1 for k in {*df, *source.words} if df[k] <= COMMON_SHARE * n_docs
    }
    # math.fsum: the same sum in whatever order the words come, so equal scores stay equal.
    source_norm = math.sqrt(math.fsum(idf[k] ** 2 for k in source.words if k in idf)) or 1.0

    # Reasons name only what the source has: its own fields, forms and area.
    field_names = {f.pk: str(f) for f in listing.activity_fields.all()}
    form_names = {f.pk: str(f) for f in listing.collaboration_forms.all()}
    area_names = {listing.area_id: listing.area.name} if listing.area_id else {}
    scored = []
    for pid, cand in candidates.items():
        profile = cand["profile"]
        shared_fields = source.fields & profile.fields
        shared_forms = source.forms & profile.forms
        shared_words = {k for k in source.words.keys() & profile.words.keys() if k in idf}
        text_score = 0.0
        if shared_words:
            cand_norm = math.sqrt(math.fsum(idf[k] ** 2 for k in profile.words if k in idf))
            text_score = math.fsum(idf[k] ** 2 for k in shared_words) / (source_norm * cand_norm)
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
        if not (shared_fields or shared_forms or len(shared_words) >= MIN_WORDS_ALONE):
            continue  # one word in common (地域) is a coincidence, not a reason
        scored.append((score, pid, cand, shared_fields, shared_forms, shared_words, same_area, is_citywide, best))
    scored.sort(key=lambda s: (-s[0], s[1]))
    top = [s for s in scored if s[0] > 0][:limit]

    results = []
    for score, pid, cand, shared_fields, shared_forms, shared_words, same_area, is_citywide, best in top:
        reasons = []
        if shared_fields:
            names = join_names(sorted(field_names[f] for f in shared_fields))
            reasons.append(_("共通の活動分野：%(names)s") % {"names": names})
        if shared_forms:
            names = join_names(sorted(form_names[f] for f in shared_forms))
            reasons.append(_("双方が想定する協働の形態：%(names)s") % {"names": names})
        if same_area:
            names = join_names(sorted(area_names[a] for a in same_area))
            reasons.append(_("同じ地区：%(names)s") % {"names": names})
        elif is_citywide and (source.areas or cand["profile"].areas):
            reasons.append(_("市全域が対象"))
        words = reason_words(source.words, shared_words, idf)
        if words:
            reasons.append(_("共通する言葉：%(words)s") % {"words": join_names(words)})
        results.append(
            Suggestion(
                party_id=pid,
                kind=cand["kind"],
                name=cand["name"],
                url=reverse(cand["url"][0], args=[cand["url"][1]]),
                score=round(score, 1),
                reasons=reasons,
                listing_id=best["id"] if best else None,
                listing_title=best["title"] if best else "",
            )
        )
    return results


def suggest_partners(listing: Listing, limit: int = 10) -> list[Suggestion]:
    """Ranked partner candidates for a published listing, without those dismissed for it."""
    if listing.status != Listing.Status.PUBLISHED:
        return []
    return suggest(listing, limit=limit)


SUGGESTION_CACHE_SECONDS = 60 * 60


def _suggestion_inputs_version(listing: Listing) -> str:
    """What the ranking of `listing` reads, summed up in one query: the newest change and the row
    count of listings, groups and departments, and this listing's dismissals and matched parties.
    Any save (or delete) of an input changes it, so a cached ranking is never served stale."""
    tables = [Listing._meta.db_table, Organization._meta.db_table, Department._meta.db_table]
    parts = [f"(SELECT MAX(updated_at) FROM {t})::text, (SELECT COUNT(*) FROM {t})::text" for t in tables]  # noqa: S608
    dismissed = DismissedSuggestion._meta.db_table
    participants = MatchParticipant._meta.db_table
    match_listings = Match.listings.through._meta.db_table
    sql = (
        f"SELECT {', '.join(parts)}, "  # noqa: S608 (table names from the models, values as parameters)
        f"(SELECT COUNT(*) FROM {dismissed} WHERE listing_id = %s)::text, "
        f"(SELECT COUNT(*) FROM {participants} p JOIN {match_listings} ml ON ml.match_id = p.match_id "
        "WHERE ml.listing_id = %s)::text"
    )
    if connection.vendor != "postgresql":
        sql = sql.replace("::text", "")
    with connection.cursor() as cursor:
        cursor.execute(sql, [listing.pk, listing.pk])
        return "|".join(str(value) for value in cursor.fetchone())


def cached_suggest_partners(listing: Listing, limit: int = 10) -> list[Suggestion]:
    """suggest_partners through the shared cache: keyed on the listing, the language (reasons are
    translated) and the version of every input, so a change anywhere misses at once."""
    if listing.status != Listing.Status.PUBLISHED:
        return []
    version = _suggestion_inputs_version(listing)
    digest = hashlib.sha256(version.encode()).hexdigest()[:32]
    key = f"suggestions:{listing.pk}:{limit}:{get_language()}:{digest}"
    suggestions = cache.get(key)
    if suggestions is None:
        suggestions = suggest(listing, limit=limit)
        cache.set(key, suggestions, SUGGESTION_CACHE_SECONDS)
    return suggestions
