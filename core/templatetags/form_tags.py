"""Form helpers for templates that lay out filter forms by hand (see core.widgets)."""

from django import template

from core.widgets import options_html

register = template.Library()


@register.filter
def select_options(bound_field):
    """The <option> elements of a choice field, the bound value selected, rendered in Python."""
    value = bound_field.value()
    return options_html(bound_field.field.choices, {"" if value is None else str(value)})
