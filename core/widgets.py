"""<select> elements for long choice lists and filter forms: rendered in Python, their choices listed once."""

import copy
from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe


def options_html(choices, selected) -> str:
    """<option> elements for (value, label) pairs; values whose text is in `selected` are selected.

    Django renders each option of a Select with its own template, and a template loop is not much
    faster: for the ~900 departments of the index's filter or the ~300 exchange events of the interest
    form that cost more than the rest of the page.
    """
    parts = []
    for value, label in choices:
        value = "" if value is None else str(value)
        mark = " selected" if value in selected else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 (every value and label is escaped above)


class QuickSelect(forms.Select):
    """A single-choice <select> rendered in Python (flat choices only, no option groups).

    Its choices are listed once, when first read: a ModelChoiceField's widget would otherwise run the
    queryset twice while rendering (once for the `required` attribute, once for the options).
    """

    def __init__(self, attrs=None, choices=()):
        self._listed = None
        super().__init__(attrs, choices)

    @property
    def choices(self):
        if self._listed is None:
            # Through iter(): list() would first ask a ModelChoiceIterator for its length (a COUNT query).
            self._listed = list(iter(self._source))
        return self._listed

    @choices.setter
    def choices(self, value):
        self._source = value
        self._listed = None

    def __deepcopy__(self, memo):
        # Like ChoiceWidget.__deepcopy__, without listing the choices (that would run a queryset).
        obj = copy.copy(self)
        obj.attrs = self.attrs.copy()
        obj.choices = copy.copy(self._source)
        memo[id(self)] = obj
        return obj

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        options = options_html(self.choices, set(self.format_value(value)))
        return mark_safe(f'<select name="{escape(name)}"{final_attrs}>{options}</select>')  # noqa: S308 (escaped)


class SharedChoices(BaseChoiceIterator):
    """Choices loaded for one request, shared as they are: Django normalises plain lists and deep-copies
    them for every form, which for ~900 departments cost more than rendering them."""

    def __init__(self, choices):
        self.choices = tuple(choices)

    def __iter__(self):
        return iter(self.choices)

    def __len__(self):
        return len(self.choices)

    def __deepcopy__(self, memo):
        return self
