from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.kernel.forms import DateInput

from .models import ApplicantKind, ItemType, ItemVersion, MaterialForm, RatingLevel


class ApplicationForm(forms.Form):
    """The application: who applies, then one line per material of the published checklist."""

    applicant_kind = forms.ChoiceField(label=_("Who applies"), choices=ApplicantKind.choices, widget=forms.RadioSelect,
                                       initial=ApplicantKind.INSTITUTION)
    institution_name = forms.CharField(label=_("Institution (full registered name)"), max_length=120, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30, required=False)
    name = forms.CharField(label=_("Name of the applicant or contact person"), max_length=60, required=False)
    id_number = forms.CharField(label=_("Identity number"), max_length=30, required=False)
    id_valid_until = forms.DateField(label=_("Identity card valid until"), required=False,
                                     widget=DateInput())
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, version: ItemVersion, counter: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version, self.counter = version, counter
        if not self.is_bound:
            self.initial["idempotency_key"] = secrets.token_hex(16)
        self.lines = []
        for m in version.snapshot["materials"]:
            mid = m["id"]
            label = m["name"] + ("" if m["required"] else str(_("(if applicable)")))
            self.fields[f"m_{mid}"] = forms.FileField(label=label, required=False)
            names = {"file": f"m_{mid}"}
            if counter:
                self.fields[f"recv_{mid}"] = forms.BooleanField(label=_("Seen at the counter (paper)"), required=False)
                names["recv"] = f"recv_{mid}"
            if m["commitment_allowed"]:
                self.fields[f"commit_{mid}"] = forms.BooleanField(label=_("Replace by my commitment"), required=False)
                names["commit"] = f"commit_{mid}"
            self.lines.append({"material": m, **{k: self[v] for k, v in names.items()}})
        if any(m["commitment_allowed"] for m in version.snapshot["materials"]):
            self.fields["signed"] = forms.BooleanField(label=_("I have read the commitment above and sign it"),
                                                       required=False)

    def material_ids(self, prefix: str) -> list[int]:
        return [m["id"] for m in self.version.snapshot["materials"] if self.cleaned_data.get(f"{prefix}_{m['id']}")]


class ItemForm(forms.Form):
    code = forms.CharField(label=_("Item code"), max_length=40)
    name = forms.CharField(label=_("Item name"), max_length=120)
    item_type = forms.ChoiceField(label=_("Item type"), choices=ItemType.choices)
    department = forms.ChoiceField(label=_("Accepting department"))
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 4}))
    steps = forms.CharField(label=_("How it is handled"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    statutory_days = forms.IntegerField(label=_("Statutory limit (working days, 0 = on the spot)"), min_value=0,
                                        max_value=250)
    promised_days = forms.IntegerField(label=_("Promised limit (working days, 0 = on the spot)"), min_value=0,
                                       max_value=250)
    address = forms.CharField(label=_("Where to apply"), max_length=200)
    phone = forms.CharField(label=_("Enquiry phone"), max_length=40)
    complaint_phone = forms.CharField(label=_("Complaint phone"), max_length=40)
    fee = forms.CharField(label=_("Fee"), max_length=120, initial="不收费")
    fee_basis = forms.CharField(label=_("Basis of the fee"), max_length=200, required=False)
    visits_needed = forms.TypedChoiceField(label=_("Visits needed"), coerce=int,
                                           choices=[(0, _("none: fully online")), (1, _("at most one"))])
    in_center = forms.BooleanField(label=_("Handled at the district service centre"), required=False, initial=True)
    private_school = forms.BooleanField(label=_("A private-school matter"), required=False)
    permit_years = forms.IntegerField(label=_("Validity of the permit (years)"), min_value=1, max_value=10,
                                      required=False)
    faq = forms.CharField(label=_("Frequently asked questions"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                          help_text=_("One question per paragraph: the question on the first line, the answer below."))
    edits = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, departments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = departments


MATERIAL_FORMS = MaterialForm.choices
RATING_CHOICES = [(v, label) for v, label in RatingLevel.choices]
