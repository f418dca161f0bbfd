import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.analyser import is_reading_char
from core.japanese import kata_to_hira


def fold_reading(value: str) -> str:
    """A reading as stored: hiragana whatever kana the user typed (ｶﾀｶﾅ, カタカナ); words (a family and a
    given name in one field) separated by one half-width space."""
    return " ".join(kata_to_hira(unicodedata.normalize("NFKC", value or "")).split())


class ReadingInput(forms.TextInput):
    """A よみがな input with a place for the analyser's suggestion (see offer_reading)."""

    template_name = "core/widgets/reading_input.html"


class ReadingField(forms.CharField):
    """A よみがな: kana typed in any width folds to hiragana; anything but hiragana, ー and a space
    between words is refused."""

    widget = ReadingInput
    default_error_messages = {"reading": _("よみがなは、ひらがなで入力してください（のばす音は「ー」）。")}

    def to_python(self, value):
        return fold_reading(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if not all(is_reading_char(ch) for ch in value.replace(" ", "")):
            raise ValidationError(self.error_messages["reading"], code="reading")


def offer_reading(form, source: str, target: str) -> None:
    """While the user types the name in `source`, htmx asks the analyser for its reading and offers it
    under the `target` reading field (a datalist the field can pick from); the user can correct it."""
    target_id = form[target].auto_id
    form.fields[target].widget.attrs["list"] = f"{target_id}-readings"
    form.fields[source].widget.attrs.update(
        {
            "hx-get": f"{reverse('core:reading_suggestion')}?for={target_id}",
            "hx-trigger": "input changed delay:400ms, change",
            "hx-target": f"#{target_id}-reading",
            "hx-swap": "outerHTML",
        }
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("この操作は取り消せないことを確認しました"),
        error_messages={"required": _("確認のチェックを入れてください。")},
    )


# The browser's date-and-time picker; the format is the one `datetime-local` reads back.
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
