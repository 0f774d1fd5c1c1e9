"""One form per write of the yearly report (issue 24): each posts to its own URL; the actions'
refusals come back as the form's errors (kernel.forms.submit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class CreateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              error_messages={"invalid": _("Choose a year such as 2024.")})


class SaveForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 24}), required=False, help_text=_(
        "“# ” starts a heading 一、, “## ” a heading （一）, “### ” a heading 1.; {{figure.key}} is replaced by the "
        "figure."))
    version = forms.IntegerField(widget=forms.HiddenInput)


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    """The legal department's review, or the leader's decision (with the confirmation box)."""

    agree = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes", choices=[
        ("yes", _("Agree: send to the leader")), ("no", _("Return to the drafters"))])
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class ApproveForm(ReviewForm):
    agree = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes", choices=[
        ("yes", _("Approve and freeze")), ("no", _("Return to the drafters"))])
    confirmed = forms.BooleanField(
        label=_("I approve: the figures and the document are frozen and their hashes go into the ledger."),
        required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("agree") and not data.get("confirmed"):
            self.add_error("confirmed", _("Please tick the confirmation box: an approved report is frozen."))
        return data


class PublishForm(forms.Form):
    """Publishing takes no input: the button is the form."""


class OgiPublishForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    problems = forms.CharField(label=_("Main problems and improvements"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 4}))
    other = forms.CharField(label=_("Other matters to report"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    confirmed = forms.BooleanField(label=_("Publish: the tables are frozen as they stand today."), required=True)
