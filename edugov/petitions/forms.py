from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.forms import DomainStepForm
from edugov.kernel.errors import ValidationFailed
from edugov.kernel.forms import DateField
from edugov.kernel.validators import validate_mobile
from edugov.registries.models import Institution, School, initials_q

from .models import DESCRIPTION_MAX, NAME_MAX, SUBJECT_MAX, Category, Channel, Nature, Rating, Resolution


class IntakeForm(forms.Form):
    """One form for the operator's hotline intake and the public web form (which hides a few fields)."""

    complainant_name = forms.CharField(label=_("Complainant's name"), max_length=NAME_MAX, required=False)
    complainant_phone = forms.CharField(label=_("Complainant's mobile number"), max_length=20, required=False)
    subject = forms.CharField(label=_("School or institution concerned"), max_length=SUBJECT_MAX,
                              widget=forms.TextInput(attrs={"list": "subjects", "autocomplete": "off"}),
                              help_text=_("Type a few characters of the name or its pinyin initials."))
    # The typed text may also be pinyin initials: resolve_subject() matches them when unambiguous.
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    nature = forms.ChoiceField(label=_("Kind"), choices=Nature.choices, initial=Nature.COMPLAINT)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6}), max_length=DESCRIPTION_MAX)
    is_key = forms.BooleanField(label=_("Key complaint (needs a face-to-face meeting)"), required=False)
    # the operator's intake only: the web form and Open311 set their own channel, never a clerk
    channel = forms.ChoiceField(label=_("How it came in"), required=False, choices=[
        (v, label) for v, label in Channel.choices if v not in (Channel.WEB, Channel.OPEN311)])
    identity_disclosure = forms.BooleanField(label=_("I agree that my name is shown to the school or institution"),
                                             required=False)
    attachment = forms.FileField(label=_("Evidence (photo, PDF or Word; optional)"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)

    def __init__(self, *args: Any, bureau: Organisation, public: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bureau = bureau
        self.fields["category"].queryset = Category.objects.filter(organisation=bureau, is_active=True)
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        self.fields["complainant_name"].widget.attrs["autofocus"] = True
        if public:
            del self.fields["is_key"]
            self.fields["complainant_phone"].help_text = _(
                "Optional. With a number you get the result by SMS; without one, keep the query code.")

    def clean_complainant_phone(self) -> str:
        value = self.cleaned_data.get("complainant_phone", "")
        if not value:
            return ""
        try:
            return validate_mobile(value)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_subject(self) -> str:
        return self.cleaned_data["subject"].strip()

    def resolve_subject(self) -> dict[str, Any]:
        """The registry record the typed name matches exactly, or the text as it was typed."""
        name = self.cleaned_data["subject"]
        schools = School.objects.filter(organisation__path__startswith=self.bureau.path)
        school = schools.filter(name=name).first()
        if school is None and name.isascii() and name.isalpha():
            by_initials = list(schools.filter(initials=name.upper())[:2]) or list(schools.filter(initials_q(name))[:2])
            school = by_initials[0] if len(by_initials) == 1 else None
        if school:
            return {"school": school}
        institution = Institution.objects.filter(name=name, organisation=self.bureau).first()
        if institution:
            return {"institution": institution}
        return {"subject_text": name}


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Query code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class TrackDocumentForm(forms.Form):
    code = forms.CharField(max_length=20)
    document = forms.CharField(max_length=20)


class RateForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(label=_("How satisfied are you with the handling?"), coerce=int,
                                    choices=Rating.choices, widget=forms.RadioSelect)
    resolution = forms.ChoiceField(label=_("Has the problem itself been solved?"), choices=Resolution.choices,
                                   widget=forms.RadioSelect)


class Open311KeyForm(forms.Form):
    """The api_key of an Open311 call, wherever the specification puts it."""

    api_key = forms.CharField(required=False)

    def key(self) -> str:
        return self.cleaned_data.get("api_key", "") if self.is_valid() else ""


class ServiceRequestForm(Open311KeyForm):
    """POST requests.{fmt} (GeoReport v2): the fields edugov reads. The checks keep the
    specification's order of answers (403, then 400 for a missing field, 404 for an unknown
    service_code), so they are made by the view from `problem()` rather than by field errors; the
    lengths are the petition actions' to judge (their messages name the limits)."""

    service_code = forms.CharField(required=False)
    description = forms.CharField(required=False, strip=False)
    address_string = forms.CharField(required=False)
    lat = forms.CharField(required=False)
    long = forms.CharField(required=False)
    phone = forms.CharField(required=False)
    first_name = forms.CharField(required=False)
    last_name = forms.CharField(required=False)

    def problem(self) -> str | None:
        """The first missing field, in the specification's words; None when the request is complete."""
        data = self.cleaned_data
        for name in ("service_code", "description"):
            if not data.get(name, "").strip():
                return str(_("%(name)s is required") % {"name": name})
        if not (data.get("address_string") or (data.get("lat") and data.get("long"))):
            return str(_("address_string (a school's or institution's name) or lat and long is required"))
        return None


class PetitionStepForm(DomainStepForm):
    """What any step of a hotline case may carry: the step is named by its URL, each field is
    optional here and judged by the step's action (whose message names what is missing); units
    are resolved within the case's scope by `selectors.resolve_unit`."""

    agency = forms.CharField(required=False, max_length=200)
    unit = forms.CharField(required=False, max_length=20)
    better_unit = forms.CharField(required=False, max_length=20)
    result = forms.CharField(required=False, max_length=4000)
    override_reason = forms.CharField(required=False, max_length=500)
    # the acts that change no state
    days = forms.IntegerField(required=False, min_value=1, max_value=30)
    outcome = forms.CharField(required=False, max_length=500)
    task = forms.CharField(required=False, max_length=300)
    working_days = forms.IntegerField(required=False, min_value=1, max_value=10)
    part = forms.CharField(required=False, max_length=20)
    answer = forms.CharField(required=False, max_length=4000)
    agree = forms.ChoiceField(required=False, choices=[("yes", "yes"), ("no", "no")])
    received_on = DateField(required=False)


class ComplainantActForm(forms.Form):
    """A complainant's act on their own matter, by its query code (reopen, ask for a review)."""

    code = forms.CharField(max_length=20)
    reason = forms.CharField(required=False, max_length=2000)


class RecontactCheckForm(forms.Form):
    check = forms.CharField(max_length=20)
    closure_true = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")], error_messages={
        "required": _("Please say whether the closure was true."),
        "invalid_choice": _("Please say whether the closure was true.")})
    note = forms.CharField(required=False, max_length=1000)


class RecontactDrawForm(forms.Form):
    confirmed = forms.BooleanField(error_messages={
        "required": _("Please tick the confirmation box: a month's sample is drawn once.")})
    public_value = forms.CharField(required=False, max_length=200)
