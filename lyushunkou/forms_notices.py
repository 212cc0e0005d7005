"""Forms for publishing notices and filtering the staff list of them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lyushunkou.models_notices import Notice, NoticeAttachment
from lyushunkou.uploads import ALLOWED
from lyushunkou.widgets import DatePicker


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service, which names the refused one."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("Body"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Markdown: **bold**, “- ” lists, [text](https://…) links. HTML is shown as text."
        ),
    )
    published_on = forms.DateField(label=_("Date"), widget=DatePicker())
    state = forms.ChoiceField(label=_("State"), choices=Notice.State.choices)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED)}),
        help_text=_("PDF, JPG or PNG."),
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Remove attachments"),
        queryset=NoticeAttachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, notice: Notice | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["remove_attachments"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        if notice is None:
            del self.fields["remove_attachments"]
        else:
            field.queryset = notice.attachments.all()


class NoticeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Title contains"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All")), *Notice.State.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
