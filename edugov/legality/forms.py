"""One form per write of legality review. Ids are resolved within the actor's bureau (ScopedChoiceField)
or within the case the URL names (`CommentAnswerForm`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from edugov.accounts.selectors import bureau_of
from edugov.cases.models import Case
from edugov.kernel.forms import ActorForm, DateInput, ScopedChoiceField

from . import selectors
from .models import Adoption, Adviser, AdviserKind, NormativeDocument, SubjectKind
from .permissions import can_work_on_legality

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _bureau(actor: Any) -> Any:
    return bureau_of(actor, lambda b: can_work_on_legality(actor, b))


def _scoped(fn: Any, model: Any) -> Any:
    def scope(actor: Any) -> QuerySet[Any]:
        bureau = _bureau(actor)
        return fn(bureau) if bureau is not None else model.objects.none()
    return scope


def _serving(bureau: Any) -> QuerySet[Adviser]:
    return selectors.advisers_serving(bureau, timezone.localdate())


class AdviserForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=AdviserKind.choices)
    firm = forms.CharField(label=_("Law firm (for a retained firm)"), max_length=120, required=False)
    term_start = forms.DateField(label=_("Term starts"), widget=DateInput)
    term_end = forms.DateField(label=_("Term ends"), widget=DateInput)
    scope = forms.CharField(label=_("Scope of the engagement"), max_length=300, required=False)


class OpinionAskForm(ActorForm):
    adviser = ScopedChoiceField(_scoped(_serving, Adviser), model=Adviser, label=_("Legal adviser"))
    subject_kind = forms.ChoiceField(label=_("The opinion is about"), choices=SubjectKind.choices)
    subject = ScopedChoiceField(_scoped(selectors.subject_cases, Case), model=Case, required=False,
                                label=_("The matter in edugov (if any)"))
    question = forms.CharField(label=_("Question"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class NormativeDraftForm(ActorForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Purpose and main content"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label=_("Text of the draft"), max_length=100_000, widget=forms.Textarea(attrs={"rows": 6}))
    market_related = forms.BooleanField(label=_("Closely related to businesses' operations (30 days' comment and a "
                                                "fair-competition review)"), required=False)
    replaces = ScopedChoiceField(_scoped(selectors.in_force, NormativeDocument), model=NormativeDocument,
                                 required=False, label=_("A new version of (if any)"))


class DecisionCatalogueForm(forms.Form):
    year = forms.IntegerField(label=_("Catalogue year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Decision"), max_length=200)
    description = forms.CharField(label=_("What is to be decided and why"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class CataloguePublishForm(forms.Form):
    year = forms.IntegerField(label=_("Catalogue year"), min_value=2000, max_value=2100)
    confirmed = forms.BooleanField(label=_("The Party committee has agreed; publish the catalogue."), required=True)


class ContractForm(forms.Form):
    title = forms.CharField(label=_("Contract"), max_length=200)
    counterparty = forms.CharField(label=_("Other party"), max_length=120)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2, min_value=0, required=False)


class CleanupForm(forms.Form):
    """One choice per document in force (keep, amend, repeal) and the reason for a repeal."""

    note = forms.CharField(label=_("Basis and scope of the clean-up"), max_length=300)

    def __init__(self, *args: Any, documents: list[NormativeDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = documents
        for doc in documents:
            self.fields[f"outcome_{doc.pk}"] = forms.ChoiceField(
                label=str(doc), choices=[("keep", _("Keep in force")), ("amend", _("To be amended")),
                                         ("repeal", _("Repeal"))], initial="keep")
            self.fields[f"reason_{doc.pk}"] = forms.CharField(label=_("Reason for repealing %(doc)s") % {"doc": doc.title},
                                                              max_length=300, required=False)

    def outcomes(self) -> dict[int, str]:
        return {d.pk: self.cleaned_data[f"outcome_{d.pk}"] for d in self.documents}

    def reasons(self) -> dict[int, str]:
        return {d.pk: self.cleaned_data.get(f"reason_{d.pk}", "") for d in self.documents}


# ---- the steps of a case (the URL names the case and the step) ---------------------------------------

class StepForm(forms.Form):
    """What every step carries: the version of the case the page showed (two clerks, one case)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)



class ConsultForm(StepForm):
    channel = forms.CharField(label=_("Where the draft is published and how to comment"), max_length=200)


class FairCompetitionForm(StepForm):
    fair_competition = forms.CharField(label=_("Fair-competition review (for a document concerning businesses' "
                                               "operations): what was checked, the conclusion"),
                                       max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(StepForm):
    passed = forms.ChoiceField(label=_("Lawful?"), choices=[("yes", _("Lawful: may proceed")),
                                                            ("no", _("Return for revision"))], widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("Written opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DiscussForm(StepForm):
    meeting = forms.CharField(label=_("Meeting (集体审议)"), max_length=200)
    discussed_on = forms.DateField(label=_("Day of the meeting"), widget=DateInput)


class IssueForm(StepForm):
    effective_on = forms.DateField(label=_("Takes effect on"), widget=DateInput)
    confirmed = forms.BooleanField(label=_("I confirm the document is signed; it is numbered and published now."),
                                   required=False)


class FileForm(StepForm):
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput)
    filing_body = forms.CharField(label=_("Filed with"), max_length=120)


class WithdrawForm(StepForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    confirmed = forms.BooleanField(label=_("I confirm; this cannot be undone."), required=False)


class ParticipationForm(StepForm):
    participation = forms.CharField(label=_("Public participation: what was heard and what was adopted"),
                                    max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AssessForm(StepForm):
    expert_argument = forms.CharField(label=_("Expert argument (or why none is needed)"), max_length=2000,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    risk_assessment = forms.CharField(label=_("Risk assessment (or why none is needed)"), max_length=2000,
                                      widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(StepForm):
    meeting = forms.CharField(label=_("Leadership meeting that discussed it"), max_length=200, required=False)
    decided_on = forms.DateField(label=_("Day of the meeting"), widget=DateInput)
    text = forms.CharField(label=_("What was decided"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class EvaluateForm(StepForm):
    evaluation = forms.CharField(label=_("Findings of the post-decision evaluation"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class ContractTextForm(StepForm):
    text = forms.FileField(label=_("Text of the contract (PDF, Word or image)"))


class SignForm(StepForm):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)
    signed_copy = forms.FileField(label=_("Signed copy (scan)"))


class AnswerForm(StepForm):
    answer = forms.CharField(label=_("The adviser's written answer"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    answered_on = forms.DateField(label=_("Dated"), widget=DateInput)


class ConcludeForm(StepForm):
    followed = forms.ChoiceField(label=_("Was the opinion followed?"), choices=YES_NO, widget=forms.RadioSelect)
    note = forms.CharField(label=_("How it was followed, or why not"), max_length=300)


class CommentAddForm(StepForm):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    text = forms.CharField(label=_("Opinion received (without the name of who sent it)"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CommentAnswerForm(StepForm):
    comment = forms.ModelChoiceField(label=_("Comment"), queryset=None)  # type: ignore[arg-type]
    adoption = forms.ChoiceField(label=_("Adopted?"), choices=Adoption.choices)
    answer = forms.CharField(label=_("Answer (published with the comment)"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.queryset = selectors.comments_of(case).filter(answered_on__isnull=True)  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = selectors.GONE
