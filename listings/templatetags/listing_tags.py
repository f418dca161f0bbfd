from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.simple_tag
def party_url(party) -> str:
    """The public page of a party's organization or department ("" while that page is not routed)."""
    try:
        return party.entity.get_absolute_url()
    except NoReverseMatch:
        return ""
