"""Japanese search that understands variants and readings, index-backed on PostgreSQL.

`search(queryset, query)` is the one entry point (SearchQuerySet.search and the list filters call
it). Each word of the query must occur (AND); a word occurs when any of its forms
(core.analyser.query_forms) is a substring of `search_text`, which holds for each text its
normalised surface, its reading in hiragana and its words' dictionary forms. So こそだて, ｺｿﾀﾞﾃ and
子育て find the same records, 子供 finds 子ども, and full- and half-width forms are one.
`query_terms(query)` tells a results page what each word was matched as.

Every form is a substring of `search_text`. On SQLite
that is `instr`, scanning every row, which is fine for a city. On PostgreSQL the same filter
(`LIKE '%word%'`) is served by two GIN indexes per searched table, created by the apps'
`*_search_index` migrations through `search_index_operations()`:

- `pg_trgm` (`gin_trgm_ops`) serves words of three or more characters: the database's ctype
  (C.UTF-8 or a UTF-8 language locale) treats kanji and kana as letters, so their trigrams are
  indexed like Latin ones.
- Trigrams cannot serve one- and two-character words (子育, 猫 …), and Japanese users type those
  all the time. For them `kyodo_search_grams(search_text)`, the array of every character and
  every pair of adjacent characters, is indexed with GIN and queried with `@>`: a word of one or
  two characters is a substring exactly when it is one of these grams.

The `LIKE` filter always stays in the query, so results are the same on every database; the
index conditions only let PostgreSQL find the candidate rows without reading the whole table.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections
from django.db.migrations import RunPython
from django.db.models import F, Lookup, Q

from core.analyser import query_forms
from core.japanese import normalize_words
from core.lookups import AnyOf

# plpgsql over the characters from regexp_split_to_array: about eight times faster than a set-based
# SQL function (generate_series + substr), which made seeding 30,000 listings crawl. Duplicates are
# harmless: GIN keeps each key once.
GRAMS_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION kyodo_search_grams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
DECLARE
    chars text[] := regexp_split_to_array(t, '');
    grams text[] := '{}';
BEGIN
    IF t = '' THEN
        RETURN grams;
    END IF;
    FOR i IN 1 .. cardinality(chars) - 1 LOOP
        grams := grams || (chars[i] || chars[i + 1]);
    END LOOP;
    RETURN chars || grams;
END
$$
"""
# Words up to this length use the grams index; longer ones the trigram index.
GRAM_MAX = 2
# kyodo_search_grams() of a stored text costs about 0.2 ms, a hundred times a LIKE on it: declared
# at the default cost (100), the planner evaluated it row by row as a filter (2.2 s for 地域 over
# 30,000 listings) instead of reading the index that holds it precomputed (0.1 s).
GRAMS_FUNCTION_COST_SQL = "ALTER FUNCTION kyodo_search_grams(text) COST 10000"


class HasSearchGram(Lookup):
    """`kyodo_search_grams(column) @> ARRAY[word]`: the form the grams index serves."""

    lookup_name = "kyodo_has_search_gram"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"kyodo_search_grams({lhs}) @> ARRAY[{rhs}]::text[]", [*lhs_params, *rhs_params]


@dataclass(frozen=True)
class Term:
    """One word of a query (normalised) and the forms it is matched as (see core.analyser.query_forms)."""

    word: str
    forms: tuple[str, ...]


def query_terms(query: str) -> list[Term]:
    """The words of a query (full-width spaces separate too), each with its forms."""
    terms = []
    for word in dict.fromkeys(normalize_words(query)):
        forms = query_forms(word)
        if forms:
            terms.append(Term(word, forms))
    return terms


def _contains(grams: bool, column: str, form: str) -> Q:
    condition = Q(**{f"{column}__contains": form})
    if grams and len(form) <= GRAM_MAX:
        condition &= Q(HasSearchGram(F(column), form))
    return condition


def filter_terms(queryset, terms: list[Term], column: str = "search_text", grams: bool = True):
    """Keep rows whose `column` contains, for every term, at least one of its forms.

    `grams=False` leaves out the grams index condition, for a page that walks an ordered index and
    stops after one page (see listings.filters)."""
    grams = grams and connections[queryset.db].vendor == "postgresql"
    for term in terms:
        if grams and len(term.forms) > 1 and any(len(form) <= GRAM_MAX for form in term.forms):
            queryset = queryset.filter(AnyOf(F("pk"), _union_of_forms(queryset, term, column)))
            continue
        condition = Q()
        for form in term.forms:
            condition |= _contains(grams, column, form)
        queryset = queryset.filter(condition)
    return queryset


def _union_of_forms(queryset, term: Term, column: str):
    """The ids of rows holding any of the term's forms, one index-served SELECT per form.

    In one WHERE, an OR of a grams condition and a trigram condition is rechecked row by row
    (trigram matches are always rechecked), and the recheck computes kyodo_search_grams() of every
    candidate's text: 子育 OR こそだて took 0.2 s, 地域 AND (清掃 OR せいそう) 4 s over 30,000 listings.
    Each SELECT of the UNION uses its own index alone (0.08 s and 0.3 s)."""
    rows = queryset.model._base_manager.using(queryset.db).order_by()
    union = None
    for form in term.forms:
        ids = rows.filter(_contains(True, column, form)).values("pk")
        union = ids if union is None else union.union(ids, all=True)
    return union


def search(queryset, query: str, column: str = "search_text", grams: bool = True):
    """Records of `queryset` matching every word of `query` (as typed, by reading or dictionary form).

    Reading-aware: こそだて finds 子育て, 子供 finds 子ども and こども. The one search function of the
    portal: listing and directory search, admin and type-ahead widgets call it.
    """
    return filter_terms(queryset, query_terms(query), column, grams)


def search_index_operations(table: str, column: str = "search_text") -> list[RunPython]:
    """Migration operations creating both search indexes of `table` (no-ops except on PostgreSQL)."""
    trigram = f"{table}_{column}_trgm"
    grams = f"{table}_{column}_grams"

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(GRAMS_FUNCTION_SQL)
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{trigram}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
        )
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{grams}" ON "{table}" USING gin (kyodo_search_grams("{column}"))'
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        # The function and the extension may serve other tables' indexes: they stay.
        schema_editor.execute(f'DROP INDEX IF EXISTS "{trigram}"')
        schema_editor.execute(f'DROP INDEX IF EXISTS "{grams}"')

    return [RunPython(forwards, backwards, elidable=False)]


@contextmanager
def search_indexes_suspended(using: str = "default"):
    """Drop the search indexes for a bulk load and build them again at the end (PostgreSQL only).

    Building a GIN index over loaded rows is several times faster than updating it row by row:
    seed_demo --scale 20 inserts 36,000 searchable rows. Use inside the loading transaction.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND (indexname LIKE %s OR indexname LIKE %s)",
            ["%\\_search\\_text\\_trgm", "%\\_search\\_text\\_grams"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        # Django's foreign keys are checked at commit; PostgreSQL builds no index on a table with such
        # checks pending, so run them now (they would run at commit anyway) and defer again after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
