from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import User
from edugov.kernel.forms import ActorForm, ScopedChoiceField, ScopedMultipleChoiceField

from . import selectors
from .models import Case, ContactChannel
from .workflow import Transition


class DomainStepForm(forms.Form):
    """What any step of a domain's case may carry, the step named by its URL: the version of the
    case the page showed (two clerks, one case), the confirmation of an irreversible step, a reason
    and a note. Each field is optional here and judged by the step's action, whose message names
    what is missing; a domain adds the fields of its own steps."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirmed = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=2000)
    note = forms.CharField(required=False, max_length=4000)


class TransitionForm(forms.Form):
    """One step of a workflow: the fields its declaration requires, a note, the confirmation box
    of an irreversible step, and the version of the case the clerk saw (two clerks, one case)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    confirmed = forms.BooleanField(label=_("I confirm this step; it cannot be undone."), required=False)

    def __init__(self, *args: Any, transition: Transition, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", transition.name)
        super().__init__(*args, **kwargs)
        self.transition = transition
        for name in transition.required:
            if name != "note":
                label = str(transition.field_labels.get(name, name))  # a lazy label, in the request's language
                self.fields[name] = forms.CharField(label=label, max_length=2000)
        self.fields["note"].required = "note" in transition.required
        if transition.confirm:
            self.fields["confirmed"].label = str(transition.confirm)
        else:
            del self.fields["confirmed"]
        self.order_fields([n for n in transition.required if n != "note"] + ["note", "confirmed", "version"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.transition.confirm and not data.get("confirmed"):
            self.add_error("confirmed", _("Please tick the confirmation box for “%(step)s”.")
                           % {"step": self.transition.label})
        return data

    def step_data(self) -> dict[str, Any]:
        """What the step records: its declared fields and the note."""
        return {n: self.cleaned_data[n] for n in self.fields if n not in ("version", "confirmed")}


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    with_party = forms.TypedChoiceField(label=_("Contacted"), coerce=lambda v: v == "1", initial="1",
                                        choices=[("1", _("The complainant or applicant themself")),
                                                 ("0", _("Someone else (say whom)"))], widget=forms.RadioSelect)
    reached = forms.BooleanField(label=_("Reached (the call was answered, the meeting took place)"), required=False,
                                 initial=True)
    counterpart = forms.CharField(label=_("With whom"), max_length=60, required=False)
    outcome = forms.CharField(label=_("Outcome"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class AssignForm(ActorForm):
    """Give one or several cases to a handler (派单/改派), each case resolved among those the actor
    sees, the handler among those the actor may assign to; blank: back to the unit's queue."""

    cases = ScopedMultipleChoiceField(selectors.open_cases_for, model=Case, label=_("Cases"),
                                      error_messages={"required": _("Tick the cases first.")})
    assignee = ScopedChoiceField(selectors.assignable_people, model=User, label=_("Handler"), required=False,
                                 empty_label=_("— back to the unit's queue —"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class ClaimForm(ActorForm):
    """Take one or several cases from the unit's queue."""

    cases = ScopedMultipleChoiceField(selectors.open_cases_for, model=Case, label=_("Cases"),
                                      error_messages={"required": _("Tick the cases first.")})
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
