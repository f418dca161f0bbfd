from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.japanese import fiscal_year, fiscal_year_label

from .tables import default_range

FIRST_FY = 2000
MAX_SPAN = 30


def fiscal_year_choices():
    last = fiscal_year(timezone.localdate()) + 1
    return [(fy, fiscal_year_label(fy)) for fy in range(last, FIRST_FY - 1, -1)]


class FiscalYearRangeForm(forms.Form):
    """From / to fiscal year of a statistics page; unbound or empty means the last five years."""

    fy_from = forms.TypedChoiceField(label=_("開始年度"), coerce=int, choices=fiscal_year_choices, required=False)
    fy_to = forms.TypedChoiceField(label=_("終了年度"), coerce=int, choices=fiscal_year_choices, required=False)

    def clean(self):
        data = super().clean()
        default_from, default_to = default_range()
        fy_to = data.get("fy_to") or default_to
        fy_from = data.get("fy_from") or min(default_from, fy_to)
        if fy_from > fy_to:
            raise forms.ValidationError(_("開始年度は終了年度と同じか、それより前にしてください。"))
        if fy_to - fy_from >= MAX_SPAN:
            raise forms.ValidationError(_("年度の範囲は%(n)s年度以内にしてください。") % {"n": MAX_SPAN})
        data["fy_from"], data["fy_to"] = fy_from, fy_to
        return data

    def fiscal_years(self) -> tuple[int, int]:
        """The chosen range when valid, else the default range."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["fy_from"], self.cleaned_data["fy_to"]
        return default_range()


class SurveyCompareForm(forms.Form):
    """Two survey years to show side by side."""

    a = forms.TypedChoiceField(label=_("比較する年度"), coerce=int, choices=fiscal_year_choices)
    b = forms.TypedChoiceField(label=_("比較する年度"), coerce=int, choices=fiscal_year_choices)
