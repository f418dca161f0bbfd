"""AnyOf selects the same rows as `__in`, for a list of ids and for a subquery, on every database;
JSONKeys reads an object's keys alike on both."""

import pytest
from django.db import connection
from django.db.models import F

from core.lookups import AnyOf, JSONKeys, json_keys
from demo import factories as f
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_any_of_a_list_of_ids():
    first, _second, third = f.OrganizationFactory.create_batch(3)
    chosen = Organization.objects.filter(AnyOf(F("pk"), [first.pk, third.pk]))
    assert set(chosen) == {first, third}
    assert set(Organization.objects.filter(AnyOf(F("pk"), {str(first.pk)}))) == {first}  # ids as text, as a form sends


def test_any_of_nothing_selects_nothing():
    f.OrganizationFactory()
    assert list(Organization.objects.filter(AnyOf(F("pk"), []))) == []


def test_any_of_a_subquery_and_a_union():
    first, second, third = f.OrganizationFactory.create_batch(3)
    union = (
        Organization.objects.filter(pk=first.pk)
        .order_by()
        .values("pk")
        .union(Organization.objects.filter(pk=third.pk).order_by().values("pk"), all=True)
    )
    chosen = Organization.objects.filter(AnyOf(F("pk"), union))
    assert set(chosen) == {first, third}
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(" in str(chosen.query)
    assert set(Organization.objects.exclude(AnyOf(F("pk"), union))) == {second}


def test_any_of_a_queryset_of_whole_rows_selects_by_primary_key():
    first, _second, third = f.OrganizationFactory.create_batch(3)
    rows = Organization.objects.filter(pk__in=[first.pk, third.pk])  # every column, as __in accepts it
    assert set(Organization.objects.filter(AnyOf(F("pk"), rows))) == {first, third}


def test_json_keys_reads_the_words_a_row_has_without_their_surfaces():
    group = f.OrganizationFactory(description="子どもの居場所づくりと市民後見人の養成")
    empty = f.OrganizationFactory()
    Organization.objects.filter(pk=empty.pk).update(text_words={})
    keys = dict(Organization.objects.filter(pk__in=[group.pk, empty.pk]).values_list("pk", JSONKeys("text_words")))
    assert sorted(json_keys(keys[group.pk])) == sorted(group.text_words) != []
    assert "市民後見人" in json_keys(keys[group.pk])
    assert json_keys(keys[empty.pk]) == []
