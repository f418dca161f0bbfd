"""`AnyOf`: a column among a list of ids or a subquery's rows, in the form PostgreSQL plans best;
`JSONKeys`: the keys of a JSON object column, without its values."""

import json

from django.core.exceptions import EmptyResultSet
from django.db.models import Func, Lookup, TextField


class AnyOf(Lookup):
    """`filter(AnyOf(F("listing_id"), ids))` or `filter(AnyOf(F("pk"), queryset))`.

    On PostgreSQL a list is one array parameter (`= ANY(%s)`): Django's `__in` prepares and binds every
    id on its own, 1.6 ms of Python for 400 ids, several times per partner suggestion. A subquery
    becomes `= ANY(ARRAY(subquery))`, which runs once, as an InitPlan: written as `IN (a UNION ALL)`,
    the planner joined the union to the directory's ordered scan row by row (18,672 comparisons for
    21 groups of 子育). Elsewhere (SQLite) it is a plain IN. Lists hold ids (ints) and are not prepared;
    a queryset selecting whole rows is narrowed to its primary key, as `__in` does. For columns that are
    never NULL (ids): `exclude(AnyOf(...))` does not add the `OR column IS NULL` that `exclude(__in=)` does.
    """

    lookup_name = "kyodo_any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        if hasattr(self.rhs, "query") and not self.rhs.query.has_select_fields:
            return self.rhs.values("pk")
        return self.rhs

    def _is_list(self) -> bool:
        return isinstance(self.rhs, (list, tuple, set))

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self._is_list():
            if not self.rhs:
                raise EmptyResultSet
            return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*lhs_params, *self.rhs]
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self._is_list():
            return f"{lhs} = ANY(%s)", [*lhs_params, [int(value) for value in self.rhs]]
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


class JSONKeys(Func):
    """The keys of a JSON object column, for a row read through a plain cursor (`json_keys`).

    Partner suggestions need only which words each candidate has, not how it writes them: decoding
    ~500 whole objects per suggestion was a tenth of its time. A text array on PostgreSQL, which the
    driver reads in C; a JSON array on SQLite.
    """

    template = "(SELECT json_group_array(key) FROM json_each(%(expressions)s))"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "ARRAY(SELECT jsonb_object_keys(%(expressions)s))"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def json_keys(value) -> list[str]:
    """A `JSONKeys` value as the cursor returned it."""
    return json.loads(value) if isinstance(value, str) else value or []
