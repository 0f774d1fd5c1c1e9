"""One form per write of the leadership's records."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.kernel.forms import ActorForm, DateField, ScopedChoiceField
from edugov.registries.models import School

from . import selectors
from .models import SessionKind


class SessionForm(ActorForm):
    kind = forms.ChoiceField(label=_("Meeting"), choices=SessionKind.choices)
    held_on = DateField(label=_("Held on"))
    topic = forms.CharField(label=_("What was studied"), max_length=200)
    chaired_by = forms.CharField(label=_("Chaired by"), max_length=60)
    first_topic = forms.BooleanField(label=_("Studied as the first item (第一议题)"), required=False)
    on_law = forms.BooleanField(label=_("The study was of law (学法)"), required=False)
    expected = forms.IntegerField(label=_("Members expected"), widget=forms.NumberInput(attrs={"min": 1}))
    attended = forms.IntegerField(label=_("Members present"), widget=forms.NumberInput(attrs={"min": 0}))


class LectureForm(ActorForm):
    held_on = DateField(label=_("Held on"))
    title = forms.CharField(label=_("Title"), max_length=200)
    school = ScopedChoiceField(selectors.lecture_schools_for, model=School, label=_("School"), required=False,
                               empty_label=_("— elsewhere: name the place —"))
    place = forms.CharField(label=_("Place (when not a school of the district)"), max_length=120, required=False)
    given_by = forms.CharField(label=_("Given by"), max_length=60, required=False)
    # the action bounds the audience (0 to MAX_AUDIENCE) and says so in one message
    audience = forms.IntegerField(label=_("Audience"), initial=0, widget=forms.NumberInput(attrs={"min": 0}))


class AccountForm(ActorForm):
    year = forms.IntegerField(label=_("Year accounted for"), min_value=2000, max_value=2100)
    person = forms.CharField(label=_("Who gave the account (name and post)"), max_length=80)
    delivered_on = DateField(label=_("Given on"))
    before = forms.CharField(label=_("Given before (the meeting or body)"), max_length=120)
    summary = forms.CharField(label=_("What the account said"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    assessment = forms.CharField(label=_("Assessment"), max_length=120, required=False)


class ReportForm(ActorForm):
    heard_on = DateField(label=_("Heard on"))
    subject = forms.CharField(label=_("What was reported"), max_length=200)
    reporter = forms.CharField(label=_("Reported by"), max_length=80)
    follow_up = forms.CharField(label=_("What the committee decided"), max_length=5000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))


FORMS: dict[str, type[ActorForm]] = {"session": SessionForm, "lecture": LectureForm, "account": AccountForm,
                                     "report": ReportForm}
