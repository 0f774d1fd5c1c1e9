"""One form per write about a disclosure request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.kernel.forms import DateInput

from .models import RefusalReason, ReplyForm, RequestChannel, RequesterKind


class ReceiveForm(forms.Form):
    channel = forms.ChoiceField(label=_("Received by"), choices=RequestChannel.choices)
    requester_kind = forms.ChoiceField(label=_("Requester"), choices=RequesterKind.choices)
    requester = forms.CharField(label=_("Name of the requester"), max_length=60)
    identity = forms.CharField(label=_("Identity number (a person) or credit code (an organisation)"), max_length=30,
                               required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    description = forms.CharField(label=_("Information requested"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)


class StepForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CorrectionForm(StepForm):
    what = forms.CharField(label=_("What is unclear and what to correct (all at once)"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CorrectedForm(StepForm):
    corrected_on = forms.DateField(label=_("Corrected request received on"), widget=DateInput)
    description = forms.CharField(label=_("Information requested, as corrected"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class LapseForm(StepForm):
    confirmed = forms.BooleanField(label=_("I confirm the requester did not correct the request within the period "
                                           "given."), required=False)


class ConsultForm(StepForm):
    third_party = forms.CharField(label=_("Third party consulted"), max_length=120)


class ConsultedForm(StepForm):
    opinion = forms.CharField(label=_("The third party's opinion (or that it gave none within 15 working days)"),
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(StepForm):
    reason = forms.CharField(label=_("Reason for extending the answer by 20 working days (the requester is told)"),
                             max_length=300)


class ReplyFormForm(StepForm):
    form = forms.ChoiceField(label=_("Form of the reply (政府信息公开条例 art. 36)"),
                             choices=[("", "—"), *ReplyForm.choices], required=False)
    refusal_reason = forms.ChoiceField(label=_("Ground for not disclosing (when all or part is not disclosed)"),
                                       choices=[("", "—"), *RefusalReason.choices], required=False)
    text = forms.CharField(label=_("Text of the reply"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))
    late_reason = forms.CharField(label=_("Why it is late (only after the last day)"), max_length=300, required=False)
