from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DataRequest


class DataRequestForm(forms.ModelForm):
    class Meta:
        model = DataRequest
        fields = ["kind", "body"]
        labels = {"kind": _("申出の種類"), "body": _("訂正・削除してほしい内容")}
        help_texts = {"body": _("どの情報を、どのように訂正・削除してほしいかを具体的に書いてください（4000字以内）。")}
        widgets = {"kind": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 6, "maxlength": 4000})}
        error_messages = {
            "body": {"required": _("内容を入力してください。"), "max_length": _("4000字以内で入力してください。")},
            "kind": {"required": _("申出の種類を選んでください。")},
        }


class DataRequestResolveForm(forms.Form):
    status = forms.ChoiceField(
        label=_("対応の結果"),
        choices=[(DataRequest.Status.DONE, _("対応済み")), (DataRequest.Status.REJECTED, _("対応しない"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("対応の結果を選んでください。")},
    )
    resolution = forms.CharField(
        label=_("対応内容（対応しない場合はその理由）"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("対応内容を入力してください。"),
            "max_length": _("4000字以内で入力してください。"),
        },
    )
