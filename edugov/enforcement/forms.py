"""One form per write of the enforcement pages (issue 24): planning a campaign, its draw, each
stage of an inspection on site, each step of a penalty case, the catalogue's import and claims.
Each step is named by its URL; ids are chosen within the bureau (a matter, an item) or resolved
within the inspection (a finding); the action's refusals come back as the form's errors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.cases.forms import DomainStepForm
from edugov.kernel.forms import (
    ActorForm,
    DateField,
    MultipleFileField,
    ScopedChoiceField,
    ScopedMultipleChoiceField,
    XlsxImportForm,
)
from edugov.registries.models import Person

from . import selectors
from .models import (
    REVIEW_POINTS,
    AssessmentResult,
    CampaignKind,
    EnforcementItem,
    FindingKind,
    InspectionMatter,
    PenaltyType,
    ReviewOutcome,
    TrainingKind,
    TrainingSession,
)

YES_NO = [("yes", _("yes")), ("no", _("no"))]


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    matter = forms.ModelChoiceField(label=_("Matter (random-inspection list)"), queryset=InspectionMatter.objects.none(),
                                    empty_label=None)
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(label=_("Ends on"))
    full_coverage = forms.BooleanField(label=_("Every target (full coverage, e.g. a 双减 campaign)"), required=False)
    # the bounds are the action's rules, with its words; the inputs carry them for the browser
    ratio = forms.DecimalField(label=_("Share drawn (%)"), decimal_places=1, initial=5,
                               widget=forms.NumberInput(attrs={"min": 1, "max": 100}))
    high_risk_ratio = forms.DecimalField(label=_("Share drawn of high-risk or complained-of targets (%)"),
                                         decimal_places=1, initial=20,
                                         widget=forms.NumberInput(attrs={"min": 1, "max": 100}))
    team_size = forms.IntegerField(label=_("Inspectors per team"), initial=2, max_value=20,
                                   widget=forms.NumberInput(attrs={"min": 2, "max": 6}))
    cap = forms.IntegerField(label=_("Outings per inspector at most"), min_value=1, max_value=50, initial=3)
    per_outing = forms.IntegerField(label=_("Targets per outing"), min_value=1, max_value=50, initial=8)
    agencies = forms.CharField(label=_("Agencies taking part (joint operations)"), max_length=200, required=False)

    def __init__(self, *args: Any, matters: QuerySet[InspectionMatter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters  # type: ignore[attr-defined]

    def campaign(self) -> dict[str, Any]:
        """The action's arguments: shares as fractions (5 % → 0.050)."""
        d = dict(self.cleaned_data)
        for key in ("ratio", "high_risk_ratio"):
            d[key] = (d[key] / 100).quantize(Decimal("0.001"))
        return d


class CommitForm(forms.Form):
    confirmed = forms.BooleanField(label=_("I confirm: the target roster and the officers are frozen now and the "
                                           "commitment is published."),
                                   error_messages={"required": _("Please tick the confirmation box: the commitment "
                                                                 "is published and cannot be withdrawn.")})


class DrawForm(forms.Form):
    public_value = forms.CharField(label=_("Public value (optional, e.g. a lottery result announced after today)"),
                                   max_length=200, required=False)
    confirmed = forms.BooleanField(label=_("I confirm the draw: it is published and cannot be repeated."),
                                   error_messages={"required": _("Please tick the confirmation box: a draw cannot be "
                                                                 "repeated.")})


# -- an inspection on site, one stage at a time ------------------------------------------------

class VersionForm(forms.Form):
    """The version of the record the page showed (two officers on one record: the second is told)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ArriveForm(VersionForm):
    place = forms.CharField(max_length=200, required=False)
    certificates_shown = forms.BooleanField(required=False)


class RecordForm(VersionForm):
    """The checklist (one answer per item of the matter's list), the people met, the evidence."""

    people_met = forms.CharField(max_length=200, required=False)
    evidence = MultipleFileField()

    def __init__(self, *args: Any, checklist: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checklist = list(checklist)
        for i, _item in enumerate(self.checklist):
            self.fields[f"c{i}"] = forms.ChoiceField(required=False, choices=[
                ("", ""), ("yes", _("Compliant")), ("no", _("Not compliant")), ("na", _("Not applicable"))])

    def answers(self) -> dict[str, str]:
        return {item: self.cleaned_data.get(f"c{i}", "") for i, item in enumerate(self.checklist)}


class DecideForm(VersionForm):
    finding = forms.MultipleChoiceField(required=False, choices=[
        (k, label) for k, label in FindingKind.choices if k != FindingKind.PENALTY])
    deadline = DateField(required=False)
    interviewee = forms.CharField(max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, _label in FindingKind.choices:  # what each finding says (the page asks for the notice's)
            self.fields[f"note_{kind}"] = forms.CharField(max_length=500, required=False)

    def findings(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for kind in self.cleaned_data["finding"]:
            f: dict[str, Any] = {"kind": kind, "note": self.cleaned_data.get(f"note_{kind}", "")}
            if kind == FindingKind.RECTIFICATION:
                f["deadline"] = self.cleaned_data["deadline"]
            if kind == FindingKind.INTERVIEW:
                f["interviewee"] = self.cleaned_data["interviewee"]
            out.append(f)
        return out


class FindingForm(forms.Form):
    finding = forms.IntegerField(widget=forms.HiddenInput)  # resolved within the inspection


class ReinspectForm(FindingForm):
    rectified = forms.ChoiceField(choices=YES_NO, error_messages={
        "required": _("Please say whether it was rectified."), "invalid_choice": _("Please say whether it was rectified.")})
    note = forms.CharField(max_length=500, required=False)


class OpenPenaltyForm(forms.Form):
    item = forms.ModelChoiceField(queryset=EnforcementItem.objects.none(), empty_label=None, error_messages={
        "invalid_choice": _("Choose an enforcement item this bureau has claimed.")})
    party_name = forms.CharField(max_length=200, required=False)
    facts = forms.CharField(max_length=4000, required=False)
    party_is_person = forms.BooleanField(required=False)
    act_on = DateField(error_messages={"required": _("Give the date of the act, or of its end when it continued "
                                                     "(行政处罚法 art. 36).")})
    harm = forms.BooleanField(required=False)

    def __init__(self, *args: Any, items: QuerySet[EnforcementItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]


# -- a penalty case ----------------------------------------------------------------------------

class LegalReviewForm(forms.Form):
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices, required=False)
    opinion = forms.CharField(max_length=4000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in REVIEW_POINTS:
            self.fields[f"check_{key}"] = forms.ChoiceField(choices=YES_NO, required=False)

    def checks(self) -> dict[str, bool]:
        return {key: self.cleaned_data[f"check_{key}"] == "yes" for key in REVIEW_POINTS
                if self.cleaned_data.get(f"check_{key}") in ("yes", "no")}


class PenaltyDecisionForm(forms.Form):
    types = forms.MultipleChoiceField(choices=PenaltyType.choices, required=False)
    # the action reads the amounts (a blank or a wrong number is its refusal, with the item's range)
    fine = forms.CharField(max_length=20, required=False)
    confiscated = forms.CharField(max_length=20, required=False)
    decision_text = forms.CharField(max_length=8000, required=False)
    collective_discussion = forms.CharField(max_length=2000, required=False)


class ServeForm(forms.Form):
    served_on = DateField(required=False)


class ReminderForm(ServeForm):
    reminder = forms.CharField(max_length=1000, required=False)


class CourtApplicationForm(forms.Form):
    application = forms.CharField(max_length=1000, required=False)


class DecisionExtensionForm(forms.Form):
    days = forms.IntegerField(required=False, min_value=1, max_value=366)
    basis = forms.CharField(max_length=300, required=False)
    reason = forms.CharField(max_length=1000, required=False)


class WaiverForm(forms.Form):
    waiver = forms.CharField(max_length=500, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False)


class PenaltyStepForm(DomainStepForm):
    """An engine step of a penalty case: what its declaration asks for (the intended penalty, the
    hearing record, a reason, how it was executed) and a note."""

    intended = forms.CharField(max_length=4000, required=False)
    record = forms.CharField(max_length=8000, required=False)
    how = forms.CharField(max_length=2000, required=False)


# -- the catalogue -----------------------------------------------------------------------------

class ItemsImportForm(XlsxImportForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("Import the city catalogue (.xlsx)")


class ItemClaimForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)  # resolved within the bureau's catalogue


class ItemReleaseForm(ItemClaimForm):
    reason = forms.CharField(max_length=500, required=False)


# ---- officers' training (issue 31) ----------------------------------------------------------------

class TrainingPlanForm(forms.Form):
    title = forms.CharField(label=_("Title of the plan"), max_length=200)
    approved_on = DateField(label=_("Approved on"))
    required_hours = forms.IntegerField(label=_("Hours required of each officer"), initial=60,
                                        widget=forms.NumberInput(attrs={"min": 1}))
    content = forms.CharField(label=_("What the plan sets out"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


def _hours_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=4, decimal_places=1,
                              widget=forms.NumberInput(attrs={"min": "0.5", "step": "0.5"}))


class TrainingSessionForm(ActorForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[c for c in TrainingKind.choices if c[0] != "self_study"])
    held_on = DateField(label=_("Held on"))
    topic = forms.CharField(label=_("Topic"), max_length=200)
    hours = _hours_field(_("Hours"))
    teacher = forms.CharField(label=_("Taught or led by"), max_length=80, required=False)
    attendees = ScopedMultipleChoiceField(selectors.training_officers_for, model=Person, label=_("Who attended"),
                                          widget=forms.CheckboxSelectMultiple)


class TrainingAttendanceForm(ActorForm):
    session = ScopedChoiceField(selectors.training_sessions_for, model=TrainingSession, label=_("Session"))
    officers = ScopedMultipleChoiceField(selectors.training_officers_for, model=Person, label=_("Officers to add"),
                                         widget=forms.CheckboxSelectMultiple)


class SelfStudyForm(ActorForm):
    officer = ScopedChoiceField(selectors.training_officers_for, model=Person, label=_("Officer"))
    studied_on = DateField(label=_("Date"))
    topic = forms.CharField(label=_("What was studied"), max_length=200)
    hours = _hours_field(_("Hours"))


class AssessmentForm(ActorForm):
    officer = ScopedChoiceField(selectors.training_officers_for, model=Person, label=_("Officer"))
    result = forms.ChoiceField(label=_("Result"), choices=AssessmentResult.choices)
    score = forms.IntegerField(label=_("Score (0–100, if scored)"), required=False,
                               widget=forms.NumberInput(attrs={"min": 0, "max": 100}))
    assessed_on = DateField(label=_("Assessed on"))
    note = forms.CharField(label=_("Remarks (required when not competent)"), max_length=300, required=False)


TRAINING_FORMS: dict[str, type[forms.Form]] = {"plan": TrainingPlanForm, "session": TrainingSessionForm,
                                               "attendance": TrainingAttendanceForm, "self_study": SelfStudyForm,
                                               "assessment": AssessmentForm}
