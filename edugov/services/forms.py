from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.cases.forms import DomainStepForm
from edugov.kernel.forms import ActorForm, DateField, DateInput, ScopedMultipleChoiceField, XlsxImportForm
from edugov.registries.models import Institution, School

from . import selectors
from .models import (
    ApplicantKind,
    InstitutionType,
    ItemType,
    ItemVersion,
    MaterialForm,
    OutreachTopic,
    RatingLevel,
    StatutoryUnit,
    TraineeKind,
    VerificationMethod,
)


class ApplicationForm(forms.Form):
    """The application: who applies, then one line per material of the published checklist."""

    applicant_kind = forms.ChoiceField(label=_("Who applies"), choices=ApplicantKind.choices, widget=forms.RadioSelect,
                                       initial=ApplicantKind.INSTITUTION)
    institution_name = forms.CharField(label=_("Institution (full registered name)"), max_length=120, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30, required=False)
    name = forms.CharField(label=_("Name of the applicant or contact person"), max_length=60, required=False)
    id_number = forms.CharField(label=_("Identity number"), max_length=30, required=False)
    id_valid_until = DateField(label=_("Identity card valid until"), required=False,
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

    def uploads(self) -> dict[int, Any]:
        """The file chosen for each material line (the lines left empty are not in it)."""
        return {m["id"]: self.cleaned_data[f"m_{m['id']}"] for m in self.version.snapshot["materials"]
                if self.cleaned_data.get(f"m_{m['id']}")}

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
    statutory_days = forms.IntegerField(label=_("Statutory limit (0 = on the spot)"), min_value=0,
                                        max_value=250)
    statutory_unit = forms.ChoiceField(label=_("Unit of the statutory limit"), choices=StatutoryUnit.choices,
                                       initial=StatutoryUnit.WORKING_DAYS, required=False,
                                       help_text=_("As the statute counts: 行政许可法's days are working days (art. 82); "
                                                   "民办教育促进法 art. 17 counts 正式设立 in months"))
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
        self.fields["department"].choices = departments  # type: ignore[attr-defined]


MATERIAL_FORMS = MaterialForm.choices
RATING_CHOICES = [(v, label) for v, label in RatingLevel.choices]


# -- one form per write (issue 24) -------------------------------------------------------------

class SupplyForm(forms.Form):
    """The applicant supplies what the one-time notice lists: a file per outstanding material."""

    def __init__(self, *args: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"m_{line.material_id}"] = forms.FileField(label=line.name, required=False,
                                                                   help_text=line.problem)

    def uploads(self) -> dict[int, Any]:
        return {line.material_id: self.cleaned_data[f"m_{line.material_id}"] for line in self.lines
                if self.cleaned_data.get(f"m_{line.material_id}")}


class RateForm(forms.Form):
    level = forms.ChoiceField(label=_("The service"), choices=RatingLevel.choices, widget=forms.RadioSelect,
                              error_messages={"required": _("Please choose a rating.")})
    clerk_level = forms.ChoiceField(label=_("The clerk (optional)"), choices=RatingLevel.choices, required=False,
                                    widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))


class RateVisitForm(forms.Form):
    code = forms.CharField(label=_("Code on your receipt"), max_length=40,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))
    level = forms.ChoiceField(label=_("How was the service?"), choices=RatingLevel.choices, widget=forms.RadioSelect,
                              error_messages={"required": _("Please choose a rating.")})
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    confirmed = forms.BooleanField(label=_("I withdraw this application."), error_messages={
        "required": _("Please tick the box to confirm that you withdraw the application.")})


class PublishForm(forms.Form):
    note = forms.CharField(label=_("What changed (shown with the version)"), required=False, max_length=200)
    confirmed = forms.BooleanField(label=_("I confirm the guide is correct and may be published."),
                                   error_messages={"required": _("Please tick the confirmation box.")})


class WithdrawItemForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
    confirmed = forms.BooleanField(label=_("I confirm: no new applications will be accepted."),
                                   error_messages={"required": _("Please tick the confirmation box.")})


class ImportForm(XlsxImportForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Import items (.xlsx, the export's columns)")


class MaterialRowForm(forms.Form):
    """One material of an item's checklist; a row without a name is left out."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Material"), required=False, max_length=200)
    form = forms.ChoiceField(label=_("Form"), choices=MaterialForm.choices, initial=MaterialForm.ELECTRONIC,
                             required=False)
    # the catalogue says what a number of copies may be (1 to 20), with the row's number
    copies = forms.IntegerField(label=_("Copies"), initial=1, required=False,
                                widget=forms.TextInput(attrs={"size": 2, "inputmode": "numeric"}))
    required = forms.BooleanField(label=_("Required"), initial=True, required=False)
    commitment_allowed = forms.BooleanField(label=_("A commitment may replace it"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


MaterialFormSet = forms.formset_factory(MaterialRowForm, extra=3, max_num=100, validate_max=True)


class CounterVisitForm(forms.Form):
    """A visit without an application: the button is all (the URL names the item)."""


class StepForm(DomainStepForm):
    """What any step of a service application may carry: the step is named by its URL; each field
    is optional here and judged by the step's action. The materials a notice lists or the counter
    receives are chosen among the application's own lines."""

    method = forms.CharField(required=False, max_length=200)
    certificate_number = forms.CharField(required=False, max_length=60)
    valid_from = DateField(required=False)
    valid_until = DateField(required=False)
    late_reason = forms.CharField(required=False, max_length=2000)
    material = forms.TypedMultipleChoiceField(required=False, coerce=int)
    received = forms.TypedMultipleChoiceField(required=False, coerce=int)

    def __init__(self, *args: Any, material_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(i, str(i)) for i in material_ids]
        self.fields["material"].choices = choices  # type: ignore[attr-defined]
        self.fields["received"].choices = choices  # type: ignore[attr-defined]
        for i in material_ids:
            self.fields[f"problem-{i}"] = forms.CharField(required=False, max_length=500)

    def problems(self) -> dict[int, str]:
        return {i: self.cleaned_data.get(f"problem-{i}", "") for i in self.cleaned_data["material"]}


class DrawSampleForm(forms.Form):
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    public_value = forms.CharField(label=_("Public value (at the draw; optional, e.g. a lottery result announced "
                                           "after the commitment)"), required=False, max_length=200)


class VerificationForm(forms.Form):
    # the drawn commitment, resolved within the bureau by selectors.resolve_verification
    verification = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label=_("Method"), choices=[("", "—"), *VerificationMethod.choices], required=False)
    truthful = forms.ChoiceField(label=_("Was the commitment true?"), widget=forms.RadioSelect, choices=[
        ("yes", _("True")), ("no", _("False: terminate or revoke, and enter in the credit record"))],
        error_messages={"required": _("Please say whether the commitment was true.")})
    note = forms.CharField(label=_("What was found"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


# ---- the business environment (issue 31) ----------------------------------------------------------

class OutreachForm(ActorForm):
    sent_on = DateField(label=_("Sent on"))
    topic = forms.ChoiceField(label=_("Policy area"), choices=OutreachTopic.choices)
    title = forms.CharField(label=_("What was sent"), max_length=200)
    channel = forms.CharField(label=_("How (meeting, visit, message)"), max_length=60)
    schools = ScopedMultipleChoiceField(selectors.outreach_schools_for, model=School, required=False,
                                        label=_("Private schools and kindergartens"),
                                        widget=forms.SelectMultiple(attrs={"size": 10}))
    institutions = ScopedMultipleChoiceField(selectors.outreach_institutions_for, model=Institution, required=False,
                                             label=_("Training institutions"),
                                             widget=forms.SelectMultiple(attrs={"size": 10}))


class FreeTrainingForm(forms.Form):
    held_on = DateField(label=_("Held on"))
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("Who was trained"), choices=TraineeKind.choices)
    institution_type = forms.ChoiceField(label=_("From which institutions"), choices=InstitutionType.choices)
    trainees = forms.IntegerField(label=_("People trained"), widget=forms.NumberInput(attrs={"min": 1}))
    institutions = forms.IntegerField(label=_("Institutions that sent them"), widget=forms.NumberInput(attrs={"min": 1}))
    hours = forms.DecimalField(label=_("Hours"), max_digits=4, decimal_places=1,
                               widget=forms.NumberInput(attrs={"min": "0.5", "step": "0.5"}))
