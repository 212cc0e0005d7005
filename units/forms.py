"""Forms of the operator workspace and of application review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lyushunkou.credit_codes import normalize_credit_code, validate_credit_code
from lyushunkou.models import Jurisdiction, User
from lyushunkou.widgets import DatePicker
from units.models import Commitment, DemonstrationApplication, Industry, ServiceStation, Unit
from units.uploads import ALLOWED


class CreditCodeField(forms.CharField):
    """Accepts what people paste (full-width, spaces, lower case) and names what is wrong."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("label", _("unified social credit code"))
        kwargs.setdefault("help_text", _("18 characters, as printed on the business licence."))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return normalize_credit_code(super().to_python(value))

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            validate_credit_code(value)


def street_choices() -> Any:
    return Jurisdiction.objects.filter(active=True).exclude(kind=Jurisdiction.Kind.DISTRICT)


class RegistrationForm(forms.Form):
    """An operator's account plus the unit they run (new, unclaimed, or claimed for review)."""

    username = forms.RegexField(
        label=_("username"),
        regex=r"^[\w.@+-]{3,150}$",
        help_text=_("3–150 letters, digits and @/./+/-/_."),
    )
    full_name = forms.CharField(label=_("full name"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=20)
    email = forms.EmailField(label=_("e-mail (optional)"), required=False)
    password1 = forms.CharField(label=_("password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("password again"), widget=forms.PasswordInput, strip=False)
    credit_code = CreditCodeField()
    name = forms.CharField(label=_("unit name"), max_length=200, required=False)
    industry = forms.ChoiceField(
        label=_("industry"), choices=[("", "---------"), *Industry.choices], required=False
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("jurisdiction"), queryset=Jurisdiction.objects.none(), required=False
    )
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    legal_representative = forms.CharField(
        label=_("legal representative"),
        max_length=50,
        required=False,
        help_text=_(
            "As on the business licence; for a registered unit it must match the register."
        ),
    )
    licence = forms.FileField(
        label=_("business licence"),
        required=False,
        help_text=_("A scan or photo of the business licence: PDF, JPG or PNG."),
    )
    claim_code = forms.CharField(
        label=_("claim code (optional)"),
        max_length=20,
        required=False,
        help_text=_(
            "If market-supervision staff gave you a claim code on a notice or letter, enter it: "
            "your unit is yours at once, without a licence review."
        ),
    )
    # A field people never see: a bot that fills every input gives itself away.
    website = forms.CharField(
        required=False,
        label="",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "tabindex": "-1",
                "class": "visually-hidden",
                "aria-hidden": "true",
            }
        ),
    )

    NEW_UNIT_FIELDS = ("name", "industry", "jurisdiction", "address", "legal_representative")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = street_choices()  # type: ignore[attr-defined]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken; choose another."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be accepted."), code="honeypot")
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = User(username=data.get("username", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        code = data.get("credit_code")
        self.existing_unit = Unit.objects.filter(credit_code=code).first() if code else None
        if code and self.existing_unit is None:
            for field in self.NEW_UNIT_FIELDS:
                if not data.get(field):
                    self.add_error(field, _("Required for a unit not yet in the register."))
        if code and not data.get("claim_code"):
            # Knowing a credit code proves nothing: the licence and its legal representative do.
            if self.existing_unit is not None and not data.get("legal_representative"):
                self.add_error(
                    "legal_representative",
                    _("Name the legal representative as on the business licence."),
                )
            if not data.get("licence"):
                self.add_error("licence", _("Upload the business licence (PDF, JPG or PNG)."))
        return data


class UnitProfileForm(forms.ModelForm[Unit]):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Unit
        fields = [
            "name",
            "industry",
            "address",
            "latitude",
            "longitude",
            "legal_representative",
            "contact_person",
            "contact_phone",
            "business_status",
        ]


class CommitmentForm(forms.ModelForm[Commitment]):
    """One form per kind; the kind is fixed by the instance (one commitment per kind)."""

    class Meta:
        model = Commitment
        fields = ["content", "return_scope", "return_days", "active"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.kind != Commitment.Kind.NO_REASON_RETURN:
            del self.fields["return_scope"], self.fields["return_days"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        is_return = self.instance.kind == Commitment.Kind.NO_REASON_RETURN
        if is_return and not data.get("return_days"):
            self.add_error("return_days", _("State how many days returns are accepted."))
        return data

    def validate_unique(self) -> None:
        # One commitment per kind is kept by updating in place (services.commitment_save).
        pass


class StationForm(forms.ModelForm[ServiceStation]):
    class Meta:
        model = ServiceStation
        fields = ["contact_person", "phone", "hours", "location", "active"]


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_("PDF, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED)}),
    )
    commitment = forms.ModelChoiceField(
        label=_("for the commitment (optional)"),
        queryset=Commitment.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if unit is None:  # an application's evidence backs the application as a whole
            del self.fields["commitment"]
        else:
            self.fields["commitment"].queryset = unit.commitments.all()  # type: ignore[attr-defined]


class ApplicationForm(forms.ModelForm[DemonstrationApplication]):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = DemonstrationApplication
        fields = ["year", "statement", "commitments_confirmed"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"] = forms.TypedChoiceField(
            label=_("year"),
            coerce=int,
            choices=[(y, str(y)) for y in (this_year, this_year + 1)],
            initial=this_year,
        )
        if self.instance.pk:
            self.fields["year"].disabled = True

    def validate_unique(self) -> None:
        pass  # the service reports a duplicate year with a message of its own


class ReasonForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveForm(NoteForm):
    valid_from = forms.DateField(label=_("valid from"), widget=DatePicker())
    valid_days = forms.IntegerField(label=_("validity (days)"), min_value=30, max_value=1095)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The certificate is issued after the public notice: by default it is valid from then.
        self.fields["valid_from"].initial = timezone.localdate() + dt.timedelta(
            days=settings.NOTICE_DAYS
        )
        self.fields["valid_days"].initial = 365

    def clean_valid_from(self) -> dt.date:
        value: dt.date = self.cleaned_data["valid_from"]
        if value < timezone.localdate() - dt.timedelta(days=30):
            raise forms.ValidationError(_("The validity cannot start more than 30 days ago."))
        return value


class VerifyCommitmentForm(forms.Form):
    """Staff confirm a self-discipline system from its evidence files (see services)."""

    seen = forms.DateTimeField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("what you checked"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Which evidence files you reviewed and what they show."),
    )
