"""One form per write about a case against the bureau."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.kernel.forms import DateInput

from .models import ChallengeKind, Outcome


class ChallengeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ChallengeKind.choices)
    contested = forms.CharField(label=_("Reference of the act contested (文号), if it was made in edugov"),
                                max_length=60, required=False)
    contested_text = forms.CharField(label=_("Act contested (as the application names it)"), max_length=300)
    applicant = forms.CharField(label=_("Applicant or plaintiff"), max_length=120)
    body = forms.CharField(label=_("Reconsideration body or court"), max_length=120)
    body_reference = forms.CharField(label=_("Its case number"), max_length=80, required=False)
    received_on = forms.DateField(label=_("Copy received on"), widget=DateInput)
    simplified = forms.BooleanField(label=_("Simplified procedure (answer within 5 working days)"), required=False)


class StepForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AnswerForm(StepForm):
    answer = forms.CharField(label=_("Written answer or defence: facts, evidence, legal basis"), max_length=10_000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    late_reason = forms.CharField(label=_("Why it is late (only after the last day)"), max_length=300, required=False)


class HearForm(StepForm):
    hearing_on = forms.DateField(label=_("Day of the hearing"), widget=DateInput)
    head_appeared = forms.ChoiceField(label=_("Did the responsible head appear in court?"),
                                      choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect)
    appeared = forms.CharField(label=_("Who appeared for the bureau"), max_length=120)
    reason = forms.CharField(label=_("Why the head could not appear (when not)"), max_length=300, required=False)


class DecideForm(StepForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    decided_on = forms.DateField(label=_("Day of the decision or judgment"), widget=DateInput)
    text = forms.CharField(label=_("Summary of the decision or judgment"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CorrectForm(StepForm):
    correction = forms.CharField(label=_("What the bureau changed"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))
