"""The public index and the listing page at scale: pinned query counts, the cached count, cheap choice lists."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.stamped import cached_count
from core.widgets import QuickSelect, options_html
from demo import factories as f
from listings import selectors, services
from listings.forms import InterestForm
from listings.models import Listing, ListingStatusChange
from listings.permissions import interest_party_choices
from organizations.models import ActivityField, CollaborationForm
from organizations.selectors import reference_choices

pytestmark = pytest.mark.django_db

# the newest listing change, rows, their fields
INDEX_QUERIES = 3
# the first request for these filters also counts the matches and lists the four reference filters'
# choices (one UNION ALL); both are then kept in the shared cache
INDEX_QUERIES_COUNTING = INDEX_QUERIES + 2
# listing, its fields, forms, attachments; the newest listing change and related listings (the second
# request takes them from the cache: one query fewer)
DETAIL_ANONYMOUS_QUERIES = 6
# + session, user, roles (one query), notices badge, the exchange events of the interest form
DETAIL_MEMBER_QUERIES = 11
# + session, user, roles, status history, notices badge, interests, exchange events; the suggestion panel
# (matching.suggestions, measured on its own) is left out here
DETAIL_COORDINATOR_QUERIES = 13


def _listings(n, **kw):
    fields = list(ActivityField.objects.all()[:2])
    forms = list(CollaborationForm.objects.all()[:2])
    return [
        f.ListingFactory(collaboration_forms=forms, activity_fields=fields, area=f.AreaFactory(), **kw)
        for _ in range(n)
    ]


def _mixed_listings(n):
    """Half of them (at least one) the city's, so both kinds of card are rendered; returns the department."""
    department = f.DepartmentFactory(parent=f.DivisionFactory())
    _listings(n // 2)
    _listings(n - n // 2, owner=department.party)
    return department


# --- pinned query counts: the same for 1 and for 50 rows ------------------------------------------


@pytest.mark.parametrize("rows", [1, 50])
def test_index_query_count_is_pinned_with_filters_and_search(client, rows, django_assert_num_queries):
    department = _mixed_listings(rows)
    field = ActivityField.objects.order_by("number").first()
    params = {"q": "地域 活動", "kind": "need", "field": field.pk, "department": department.pk, "open_now": "true"}
    with django_assert_num_queries(INDEX_QUERIES_COUNTING):
        client.get(reverse("listings:index"), params)
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(reverse("listings:index"), params)
    assert response.context["page"].paginator.count == rows - rows // 2


@pytest.mark.parametrize("rows", [1, 50])
def test_index_query_count_is_pinned_on_a_later_page(client, rows, django_assert_num_queries):
    _mixed_listings(rows)
    client.get(reverse("listings:index"), {"page": 2})
    with django_assert_num_queries(INDEX_QUERIES):
        response = client.get(reverse("listings:index"), {"page": 2})
    assert len(response.context["listings"]) == (min(20, rows - 20) if rows > 20 else rows)  # or the last page


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_count_is_pinned_for_visitors(client, rows, django_assert_num_queries):
    listing, *_ = _listings(rows)
    with django_assert_num_queries(DETAIL_ANONYMOUS_QUERIES):
        client.get(listing.get_absolute_url())
    with django_assert_num_queries(DETAIL_ANONYMOUS_QUERIES - 1):
        client.get(listing.get_absolute_url())


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_count_is_pinned_for_a_group_member(client, rows, django_assert_num_queries):
    listing, *_ = _listings(rows)
    member = f.make_group_member()
    f.OrganizationMembershipFactory(user=member, organization=f.OrganizationFactory())  # two parties to send from
    for _ in range(rows):
        f.ExchangeEventFactory()
    client.force_login(member)
    with django_assert_num_queries(DETAIL_MEMBER_QUERIES):
        response = client.get(listing.get_absolute_url())
    assert response.context["interest_form"] is not None


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_query_count_is_pinned_for_a_coordinator(client, coordinator, rows, django_assert_num_queries):
    listing, *_ = _listings(rows)
    for _ in range(rows):
        f.InterestFactory(listing=listing)
        f.ExchangeEventFactory()
        ListingStatusChange.objects.create(listing=listing, to_status=Listing.Status.PUBLISHED, actor=coordinator)
    client.force_login(coordinator)
    with django_assert_num_queries(DETAIL_COORDINATOR_QUERIES):
        response = client.get(listing.get_absolute_url())
    assert len(response.context["interests"]) == rows  # the suggestion panel loads after the page


# --- the index's count -------------------------------------------------------------------------


def _count_on_index(client, **params):
    return client.get(reverse("listings:index"), params).context["page"].paginator.count


def test_index_count_follows_every_change_of_a_listing(client, group_member, organization, coordinator):
    first, second, _third = (f.ListingFactory(owner=organization.party, title=f"海辺の清掃 {n}") for n in range(3))
    assert _count_on_index(client, q="清掃") == 3
    assert _count_on_index(client, q="清掃") == 3  # from the cache

    services.listing_close(actor=group_member, listing=first)
    assert _count_on_index(client, q="清掃") == 2

    draft = services.listing_create(
        actor=group_member, owner=organization.party, data={"kind": "need", "title": "公園の清掃", "body": "本文"}
    )
    services.listing_submit(actor=group_member, listing=draft)
    assert _count_on_index(client, q="清掃") == 2
    services.listing_publish(
        actor=coordinator, listing=draft, public_interest=True, fits_plans=True, department_agrees=True, note=""
    )
    assert _count_on_index(client, q="清掃") == 3

    second.title = "公園の草取り"  # e.g. in Django admin
    second.save()
    assert _count_on_index(client, q="清掃") == 2
    assert _count_on_index(client) == 3  # each set of filters has its own count


def test_index_count_is_cached_per_filters(client, field):
    f.ListingFactory(title="読み聞かせ", activity_fields=[field])
    f.ListingFactory(title="読み聞かせの会")

    def counted(**params):
        with CaptureQueriesContext(connection) as queries:
            count = _count_on_index(client, **params)
        return count, sum("COUNT(" in q["sql"] for q in queries.captured_queries)

    assert counted(q="読み聞かせ") == (2, 1)
    assert counted(q="読み聞かせ") == (2, 0)
    assert counted(q="読み聞かせ", field=field.pk) == (1, 1)
    assert counted(field=field.pk, q="読み聞かせ") == (1, 0)


def test_cached_count_is_keyed_by_the_newest_change(field):
    listing = f.ListingFactory(activity_fields=[field])
    rows = selectors.index_listings()
    assert cached_count(rows) == 1
    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.CLOSED)  # no updated_at: the cache holds
    assert cached_count(rows) == 1
    cache.clear()
    assert cached_count(rows) == 0


def test_index_search_matches_substrings_without_the_index_conditions(client):
    f.ListingFactory(title="子ども食堂のボランティア")
    f.ListingFactory(title="地域の清掃")
    page = client.get(reverse("listings:index"), {"q": "子ども　ぼらんてぃあ"}).context["page"]
    assert [listing.title for listing in page.object_list] == ["子ども食堂のボランティア"]
    assert page.paginator.count == 1


def test_index_search_still_applies_beside_a_malformed_filter(client):
    f.ListingFactory(title="子ども食堂のボランティア")
    f.ListingFactory(title="地域の清掃")
    response = client.get(reverse("listings:index"), {"q": "食堂", "field": "abc"})
    assert [listing.title for listing in response.context["page"].object_list] == ["子ども食堂のボランティア"]
    assert "abc" in response.context["filter"].form.errors["field"][0]


# --- the filter's choice lists -------------------------------------------------------------------


def test_index_filter_lists_sections_with_their_division_and_keeps_the_choice(client, department):
    other = f.DepartmentFactory(parent=department.parent, name="<b>課</b>")
    html = client.get(reverse("listings:index"), {"department": department.pk}).content.decode()
    assert f'<option value="{department.pk}" selected>{department.parent.name} {department.name}</option>' in html
    assert f'<option value="{other.pk}">{department.parent.name} &lt;b&gt;課&lt;/b&gt;</option>' in html
    assert f">{department.parent.name}</option>" not in html  # divisions are not listed


def test_index_ignores_an_unknown_choice(client):
    f.ListingFactory(title="どれでも")
    response = client.get(reverse("listings:index"), {"field": 999999})
    assert response.status_code == 200 and "どれでも" in response.content.decode()


def test_filter_choices_are_cached_per_language_and_forgotten_when_reference_data_changes(
    django_assert_num_queries,
):
    department = f.DepartmentFactory(parent=f.DivisionFactory(name="福祉部"), name="高齢福祉課")
    reference_choices()
    with django_assert_num_queries(0):
        choices = reference_choices()
    assert (department.pk, "福祉部 高齢福祉課") in choices["department"]
    with translation.override("en"):
        english = reference_choices()  # its own entry: labels are translated
    field = ActivityField.objects.order_by("number").first()
    assert dict(english["field"])[field.pk] != dict(choices["field"])[field.pk]

    department.name = "地域包括ケア推進課"
    department.save()
    assert (department.pk, "福祉部 地域包括ケア推進課") in reference_choices()["department"]
    department.delete()
    assert department.pk not in dict(reference_choices()["department"])


def test_filter_choices_come_in_their_usual_order():
    choices = reference_choices()
    assert [pk for pk, _ in choices["field"]] == list(
        ActivityField.objects.order_by("number").values_list("pk", flat=True)
    )
    assert [label for _, label in choices["form"]] == list(CollaborationForm.objects.values_list("name", flat=True))


def test_options_html_escapes_and_marks_the_selected_value():
    html = options_html([("", "すべて"), (1, "A&B"), ('"x"', "<i>")], {"1"})
    assert html == (
        '<option value="">すべて</option><option value="1" selected>A&amp;B</option>'
        '<option value="&quot;x&quot;">&lt;i&gt;</option>'
    )


# --- the interest form ---------------------------------------------------------------------------


def test_interest_form_lists_the_senders_parties_from_the_role_cache(
    group_member, organization, django_assert_num_queries
):
    listing = f.ListingFactory()
    other = f.OrganizationFactory(name="もう一つの会")
    f.OrganizationMembershipFactory(user=group_member, organization=other)
    choices = interest_party_choices(group_member, listing)
    assert dict(choices) == {organization.party_id: organization.name, other.party_id: "もう一つの会"}
    with django_assert_num_queries(0):
        form = InterestForm(parties=choices)
        assert form.fields["from_party"].widget.choices == choices


def test_interest_form_renders_events_with_one_query_and_validates_the_sender(
    group_member, organization, django_assert_num_queries
):
    f.ExchangeEventFactory(title="交流会 A")
    form = InterestForm(parties=[(organization.party_id, organization.name)])
    with django_assert_num_queries(1):
        html = str(form["origin_event"]) + str(form["from_party"])
    assert "交流会 A" in html and "（なし）" in html and organization.name in html
    assert 'name="from_party"' in html and 'id="id_origin_event"' in html

    stranger = f.OrganizationFactory()
    bound = InterestForm(
        {"from_party": stranger.party_id, "message": "こんにちは"}, parties=[(organization.party_id, "x")]
    )
    assert not bound.is_valid() and "from_party" in bound.errors


def test_quick_select_lists_a_model_choice_field_once_and_is_copied_without_it(django_assert_num_queries):
    from django import forms

    class Form(forms.Form):
        field = forms.ModelChoiceField(queryset=ActivityField.objects.all(), widget=QuickSelect)

    with django_assert_num_queries(0):
        form = Form()  # the form's fields and widgets are deep copies
    with django_assert_num_queries(1):
        html = str(form["field"])  # `required` and the options from one listing
    assert html.startswith('<select name="field" id="id_field" required>') and html.endswith("</option></select>")


# --- related listings ------------------------------------------------------------------------------


def test_related_listings_rank_by_shared_fields_and_forms(field, other_field, coforms):
    listing = f.ListingFactory(activity_fields=[field, other_field], collaboration_forms=coforms)
    one = f.ListingFactory(title="一つ共通", activity_fields=[field])
    three = f.ListingFactory(title="三つ共通", activity_fields=[field, other_field], collaboration_forms=[coforms[0]])
    f.ListingFactory(title="共通なし")
    f.ListingFactory(title="終了", activity_fields=[field], status=Listing.Status.CLOSED)
    related = selectors.related_listings(Listing.objects.with_related().get(pk=listing.pk))
    assert [r.title for r in related] == [three.title, one.title]
    assert [r.shared for r in related] == [3, 1]
