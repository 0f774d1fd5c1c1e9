"""One form per write of the schools app (issue 24): every person and school is chosen within the
actor's own district (scoped fields), so another district's id is a form error; each form posts
to its own URL and the action's refusals come back as the form's errors (kernel.forms.submit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import User
from edugov.kernel.forms import ActorForm, DateField, ScopedChoiceField, ScopedMultipleChoiceField
from edugov.registries.models import Person, School

from . import selectors
from .models import AppointmentKind, CharterRevision, ParentChannelKind, ParentOpinion


def _person_label(person: Person) -> str:
    return f"{person.name}（{person.agency_name}）"


class AppointForm(ActorForm):
    person = ScopedChoiceField(selectors.legal_vps_for, model=Person, label=_("Legal vice-principal"), empty_label=None)
    school = ScopedChoiceField(selectors.schools_to_appoint_for, model=School, label=_("School"), empty_label=None)
    kind = forms.ChoiceField(label=_("Appointed as"), choices=AppointmentKind.choices, required=False,
                             initial=AppointmentKind.VICE_PRINCIPAL)
    starts_on = DateField(label=_("Term starts on"))

    def clean_kind(self) -> str:
        return str(self.cleaned_data.get("kind") or AppointmentKind.VICE_PRINCIPAL)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].label_from_instance = _person_label  # type: ignore[attr-defined]


class ReplaceForm(ActorForm):
    person = ScopedChoiceField(selectors.legal_vps_for, model=Person, label=_("New legal vice-principal"), empty_label=None)
    on = DateField(label=_("From"))
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].label_from_instance = _person_label  # type: ignore[attr-defined]


class ClassForm(forms.Form):
    on = DateField(label=_("Date"))
    topic = forms.CharField(label=_("Topic"), max_length=200)
    class_name = forms.CharField(label=_("Class"), max_length=100)
    hours = forms.CharField(label=_("Class hours"), max_length=10, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    photo = forms.FileField(label=_("Photo (optional)"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))


class EvaluateForm(forms.Form):
    school_year = forms.IntegerField(label=_("School year"), min_value=2000, max_value=2100)
    staff = forms.IntegerField(label=_("Score from the staff (0–100)"), min_value=0, max_value=100)
    students = forms.IntegerField(label=_("Score from the students (0–100)"), min_value=0, max_value=100)
    parents = forms.IntegerField(label=_("Score from the parents (0–100)"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("Evaluation"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class EndForm(forms.Form):
    on = DateField(label=_("Ends on"))
    reason = forms.CharField(label=_("Reason"), max_length=500)


# -- the special school ------------------------------------------------------------------------

class AdmitForm(ActorForm):
    school = ScopedChoiceField(selectors.special_school_queryset, model=School, label=_("Special school"), empty_label=None)
    student_name = forms.CharField(label=_("Student"), max_length=60,
                                   widget=forms.TextInput(attrs={"autocomplete": "off"}))
    admitted_on = DateField(label=_("Admitted on"))
    assigned = ScopedMultipleChoiceField(selectors.special_colleagues, model=User, label=_("Staff assigned"),
                                         required=False, widget=forms.CheckboxSelectMultiple)


class ReleaseForm(forms.Form):
    on = DateField(label=_("Released on"))


class FollowUpForm(forms.Form):
    on = DateField(label=_("Date"))
    method = forms.CharField(label=_("How"), max_length=60,
                             widget=forms.TextInput(attrs={"placeholder": _("home visit, phone, school")}))
    note = forms.CharField(label=_("What was found"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReoffenceForm(forms.Form):
    on = DateField(label=_("Date"))
    description = forms.CharField(label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label=_("Reported by"), max_length=100)


# -- demonstration schools and legal education -----------------------------------------------------

class DemoApplyForm(ActorForm):
    school = ScopedChoiceField(selectors.schools_for_education, model=School, label=_("School"), empty_label=None)
    case_title = forms.CharField(label=_("Rule-of-law case"), max_length=200, required=False)
    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    teacher = forms.CharField(label=_("Teacher"), max_length=60)
    officer = forms.CharField(label=_("Police or judicial officer (dual-teacher course)"), max_length=60,
                              required=False)


class QuizForm(forms.Form):
    campaign = forms.CharField(label=_("Campaign"), max_length=100)
    file = forms.FileField(label=_("File (columns: school code, participants, enrolled students)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)


# ---- the school's own rule of law (issue 32): one form per write ----------------------------------

class CharterSubmitForm(ActorForm):
    school = ScopedChoiceField(selectors.rule_of_law_schools_for, model=School, label=_("School"))
    summary = forms.CharField(label=_("What the revision changes"), max_length=300)
    adopted_on = DateField(label=_("Adopted by the school (教代会) on"))
    submitted_on = DateField(label=_("Submitted on"))


class CharterDecideForm(ActorForm):
    revision = ScopedChoiceField(selectors.charters_waiting_for, model=CharterRevision, label=_("Revision"))
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Approve (核准)")), ("no", _("Return for changes"))])
    decided_on = DateField(label=_("Decided on"))
    note = forms.CharField(label=_("The bureau's opinion"), max_length=300, required=False)


class CharterPublishForm(ActorForm):
    revision = ScopedChoiceField(selectors.charters_to_publish_for, model=CharterRevision,
                                 label=_("Approved revision"))
    published_on = DateField(label=_("Published on"))


class LessonForm(ActorForm):
    school = ScopedChoiceField(selectors.rule_of_law_schools_for, model=School, label=_("School"))
    held_on = DateField(label=_("Date"))
    class_name = forms.CharField(label=_("Class or grade"), max_length=60)
    topic = forms.CharField(label=_("Topic"), max_length=120)
    teacher = forms.CharField(label=_("Taught by"), max_length=60)


class ConstitutionWeekForm(ActorForm):
    school = ScopedChoiceField(selectors.rule_of_law_schools_for, model=School, label=_("School"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    morning_reading = forms.BooleanField(label=_("Took part in the morning reading (宪法晨读)"), required=False)
    participants = forms.IntegerField(label=_("Students and teachers who took part"),
                                      widget=forms.NumberInput(attrs={"min": 1}))
    activities = forms.CharField(label=_("What the school held"), max_length=300)


class ParentMeetingForm(ActorForm):
    school = ScopedChoiceField(selectors.rule_of_law_schools_for, model=School, label=_("School"))
    kind = forms.ChoiceField(label=_("Channel"), choices=ParentChannelKind.choices)
    held_on = DateField(label=_("Date"))
    topic = forms.CharField(label=_("Topic"), max_length=200)
    attended = forms.IntegerField(label=_("Families present"), widget=forms.NumberInput(attrs={"min": 1}))


class ParentOpinionForm(ActorForm):
    school = ScopedChoiceField(selectors.rule_of_law_schools_for, model=School, label=_("School"))
    kind = forms.ChoiceField(label=_("Channel"), choices=ParentChannelKind.choices)
    received_on = DateField(label=_("Received on"))
    summary = forms.CharField(label=_("What the families said"), max_length=300)
    response = forms.CharField(label=_("What the school did (when done)"), max_length=300, required=False)
    answered_on = DateField(label=_("Answered on"), required=False)


class OpinionAnswerForm(ActorForm):
    opinion = ScopedChoiceField(selectors.opinions_unanswered_for, model=ParentOpinion, label=_("Opinion"))
    response = forms.CharField(label=_("What the school did"), max_length=300)
    answered_on = DateField(label=_("Answered on"))


RULE_OF_LAW_FORMS: dict[str, type[ActorForm]] = {
    "charter": CharterSubmitForm, "decide": CharterDecideForm, "publish": CharterPublishForm, "lesson": LessonForm,
    "week": ConstitutionWeekForm, "meeting": ParentMeetingForm, "opinion": ParentOpinionForm,
    "answer": OpinionAnswerForm}
