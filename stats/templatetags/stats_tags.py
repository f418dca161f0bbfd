from decimal import Decimal

from django import template

from core.japanese import fiscal_year_label

register = template.Library()


@register.filter
def fy_label(fy) -> str:
    """2021 → 令和3年度 (FY2021 in English)."""
    return fiscal_year_label(int(fy))


@register.filter
def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
