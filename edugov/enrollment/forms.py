"""One form per write of the enrollment pages (issue 24). The parent's application keeps its page's
field names (the template and the browser's picture checks know them); every field is optional
here because the action checks the application as a whole and says, in the family's words, which
answer to fix. Staff steps are named by their URL; an intake is chosen among those the actor
manages, a slot among the application's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.cases.forms import DomainStepForm
from edugov.kernel.forms import DateField, MultipleFileField

from . import actions
from .models import Category, DocumentKind, Rating, SpecialKind

YES_NO = [("yes", _("yes")), ("no", _("no"))]
_TEXT = ("child_name", "child_id_number", "household", "guardian_name", "guardian_id_number", "guardian_phone",
         "second_guardian_name", "second_guardian_phone", "address", "community")


class ApplicationForm(forms.Form):
    """The application as the page posts it (to save a draft or to submit)."""

    category = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                      choices=[("", ""), *Category.choices])
    private_choices = forms.TypedMultipleChoiceField(required=False, coerce=int)
    consent = forms.BooleanField(required=False)
    idempotency_key = forms.CharField(required=False, max_length=64)

    def __init__(self, *args: Any, private_school_ids: list[int], complete: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.complete = complete  # a submission needs the answers; a draft does not
        for name in _TEXT:
            self.fields[name] = forms.CharField(required=False, max_length=200)
        for q in actions.QUESTIONS:
            self.fields[q] = forms.ChoiceField(required=False, choices=[("", ""), *YES_NO])
        self.fields["private_choices"].choices = [(i, str(i)) for i in private_school_ids]  # type: ignore[attr-defined]
        for kind in DocumentKind.values:
            self.fields[f"doc_{kind}"] = forms.FileField(required=False)

    def clean(self) -> dict[str, Any]:
        """A submission says which question is unanswered, in the question's words (the page has no
        "category" to choose). The third question is asked only when both earlier answers are no."""
        d = super().clean() or {}
        if self.complete and self._category() is None:
            household, home = d.get("q_household"), d.get("q_home")
            if not household:
                self.add_error("q_household", _("Please answer the first question: is the child's household "
                                                "registration in the zone of your home?"))
            elif not home:
                self.add_error("q_home", _("Please answer the second question: does the family own its home in "
                                           "the zone?"))
            else:
                self.add_error("q_permit", _("Neither the household registration nor the home is in the zone: "
                                             "please answer the third question (residence permit and proof of "
                                             "work)."))
        return d

    def _category(self) -> int | None:
        """The category the answers decide, or None while they do not decide it yet."""
        d = self.cleaned_data
        household, home, permit = (d.get(q) for q in actions.QUESTIONS)
        if not household or not home:
            return None
        if household == "yes" or home == "yes":  # the third question does not apply
            return actions.category_from(household == "yes", home == "yes", False)
        return actions.category_from(False, False, permit == "yes") if permit else None

    def application(self) -> actions.Form:
        """The action's form. The family's plain-words answers decide the category."""
        d = self.cleaned_data
        category = self._category()
        if category is None:
            category = d["category"]
        return actions.Form(**{name: d[name] for name in _TEXT}, category=category,
                            private_choices=list(d["private_choices"]), consent=d["consent"])

    def uploads(self) -> dict[str, Any]:
        return {k: self.cleaned_data[f"doc_{k}"] for k in DocumentKind.values if self.cleaned_data.get(f"doc_{k}")}


class ResubmitForm(forms.Form):
    """New pictures of the documents the review returned."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in DocumentKind.values:
            self.fields[f"doc_{kind}"] = forms.FileField(required=False)

    def uploads(self) -> dict[str, Any]:
        return {k: self.cleaned_data[f"doc_{k}"] for k in DocumentKind.values if self.cleaned_data.get(f"doc_{k}")}


class BookForm(forms.Form):
    slot = forms.IntegerField(error_messages={"required": _("Please choose a time.")})  # resolved within the intake


class AcceptPlaceForm(forms.Form):
    confirmed = forms.BooleanField(error_messages={
        "required": _("Please tick the box to confirm that you accept the place.")})


class AppealForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000)


class SurveyForm(forms.Form):
    level = forms.TypedChoiceField(coerce=int, choices=Rating.choices, error_messages={
        "required": _("Please choose one of the five levels."),
        "invalid_choice": _("Please choose one of the five levels.")})


class TrackForm(forms.Form):
    code = forms.CharField(max_length=40, required=False)
    child_id_number = forms.CharField(max_length=30, required=False)


class SpecialRequestForm(forms.Form):
    kind = forms.ChoiceField(required=False, choices=[("", ""), *SpecialKind.choices])
    child_name = forms.CharField(required=False, max_length=60)
    child_id_number = forms.CharField(required=False, max_length=30)
    reason = forms.CharField(required=False, max_length=4000)
    documents = MultipleFileField()


class StepForm(DomainStepForm):
    """A staff step of an application, named by its URL: the version the page showed, and what the
    step asks for (a reason, the bureau's decision, what is wrong with each document)."""

    decision = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in DocumentKind.values:
            self.fields[f"problem_{kind}"] = forms.CharField(required=False, max_length=300)

    def problems(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(f"problem_{k}", "") for k in DocumentKind.values}


class SpecialStepForm(DomainStepForm):
    """A step of a deferral or placement request: what its declaration asks for, and a note."""

    decision = forms.CharField(required=False, max_length=2000)
    assessment = forms.CharField(required=False, max_length=2000)
    placement = forms.CharField(required=False, max_length=40)
    answer = forms.CharField(required=False, max_length=2000)


class IntakeForm(forms.Form):
    """Which of the actor's intakes an act is for (a hidden field on each intake's row)."""

    intake = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)

    def __init__(self, *args: Any, intake_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intake"].choices = [(i, str(i)) for i in intake_ids]  # type: ignore[attr-defined]
        self.fields["intake"].error_messages["invalid_choice"] = _("You may not manage this intake.")


class ConfirmedIntakeForm(IntakeForm):
    confirmed = forms.BooleanField(error_messages={"required": _("Please tick the confirmation box.")})
    public_value = forms.CharField(required=False, max_length=200)


class SlotForm(IntakeForm):
    day = DateField()
    time = forms.CharField(max_length=40, required=False)
    place = forms.CharField(max_length=200, required=False)
    capacity = forms.IntegerField(min_value=0, max_value=10000, required=False)


class RecordsImportForm(IntakeForm):
    file = forms.FileField(error_messages={"required": _("Please choose an .xlsx file.")})
