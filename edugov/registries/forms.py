from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.kernel.errors import ValidationFailed
from edugov.kernel.forms import DateInput
from edugov.kernel.validators import validate_credit_code, validate_identity_number, validate_mobile

from .models import Institution, Person, PersonKind, School


def _wrap(fn: Any, value: str) -> str:
    try:
        return fn(value)
    except ValidationFailed as exc:
        raise forms.ValidationError(exc.message) from None


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "code", "level", "is_private", "address", "enrolled_students", "principal",
                  "contact_phone", "credit_code", "permit_number", "permit_valid_until"]
        widgets = {"permit_valid_until": DateInput()}

    def clean_credit_code(self) -> str:
        value = self.cleaned_data.get("credit_code", "")
        return _wrap(validate_credit_code, value) if value else ""


class SchoolContactForm(forms.ModelForm):
    """What a school administrator may change about their own school."""

    class Meta:
        model = School
        fields = ["address", "principal", "contact_phone", "enrolled_students"]


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = ["name", "credit_code", "kind", "status", "permit_number", "permit_valid_until",
                  "legal_representative", "address", "contact_phone"]
        widgets = {"permit_valid_until": DateInput()}

    def clean_credit_code(self) -> str:
        return _wrap(validate_credit_code, self.cleaned_data.get("credit_code", ""))


class PersonForm(forms.ModelForm):
    identity_number = forms.CharField(label=_("identity number"), max_length=18)
    phone = forms.CharField(label=_("mobile number"), max_length=20, required=False)

    class Meta:
        model = Person
        fields = ["kind", "name", "identity_number", "phone", "title", "certificate_number", "enforcement_field",
                  "certificate_valid_until", "sending_agency", "agency_name"]
        widgets = {"certificate_valid_until": DateInput()}

    def clean_identity_number(self) -> str:
        return _wrap(validate_identity_number, self.cleaned_data.get("identity_number", ""))

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        return _wrap(validate_mobile, value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == PersonKind.ENFORCEMENT_OFFICER:
            for f in ("certificate_number", "certificate_valid_until"):
                if not data.get(f):
                    self.add_error(f, _("An enforcement officer needs a certificate number and its expiry date."))
        if kind == PersonKind.LEGAL_VP and not data.get("sending_agency"):
            self.add_error("sending_agency", _("A legal vice-principal needs the sending agency."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    good_rows_only = forms.BooleanField(
        label=_("Import the valid rows and give me the rejected ones back as a file"), required=False)


def cell_to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "True" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return {"是": "True", "否": "", "true": "True", "false": ""}.get(text.lower() if text.isascii() else text, text)
