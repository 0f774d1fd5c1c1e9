"""One form per write of the oversight pages (issue 24): each register entry, patrol, ledger,
closure and decision posts to its own URL through its own form; a school is chosen within the
actor's bureau (a scoped field), and the action's refusals come back as the form's errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.models import Case
from edugov.kernel.forms import ActorForm, DateField, ScopedChoiceField, ScopedMultipleChoiceField
from edugov.registries.models import School

from . import selectors
from .models import (
    Channel,
    Decision,
    DecisionCategory,
    DisciplineKind,
    Liaison,
    LiaisonKind,
    Mediation,
    MediationOutcome,
    RiskItem,
    RiskLevel,
)


class PublicationForm(forms.Form):
    published_on = DateField(label=_("Published on"))
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.CharField(label=_("Information category"), max_length=40)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)


class InquiryForm(forms.Form):
    received_on = DateField(label=_("Received on"))
    summary = forms.CharField(label=_("What was asked"), max_length=200)
    answered_on = DateField(label=_("Answered on"))
    problem_solved = forms.BooleanField(label=_("A concrete problem was solved"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)


REGISTER_FORMS: dict[str, type[forms.Form]] = {"publication": PublicationForm, "inquiry": InquiryForm}


class PatrolForm(ActorForm):
    school = ScopedChoiceField(selectors.patrol_schools_for, model=School, label=_("School"), empty_label=None)
    on = DateField(label=_("Date"))
    checked = forms.CharField(label=_("What was checked"), max_length=200)
    finding = forms.CharField(label=_("What was found (empty: nothing wrong)"), max_length=300, required=False)


class MonthForm(forms.Form):
    """The month a ledger, a chase or an analysis is for (the page's month, carried by the form)."""

    month = forms.DateField(widget=forms.HiddenInput(), input_formats=["%Y-%m", "%Y-%m-%d"])

    def clean_month(self) -> dt.date:
        month: dt.date = self.cleaned_data["month"]
        return month.replace(day=1)


class RiskRowForm(forms.Form):
    """One row of a school's monthly ledger; a row without a category is left out."""

    category = forms.CharField(label=_("Risk category"), max_length=40, required=False)
    level = forms.ChoiceField(label=_("Risk level"), choices=RiskLevel.choices, required=False)
    people = forms.CharField(label=_("People involved"), max_length=120, required=False)
    measures = forms.CharField(label=_("Measures taken"), max_length=300, required=False)
    responsible = forms.CharField(label=_("Responsible person"), max_length=60, required=False)


RiskRowFormSet = forms.formset_factory(RiskRowForm, extra=5, max_num=20, validate_max=True)


class CloseRectificationForm(forms.Form):
    note = forms.CharField(label=_("How it was rectified"), max_length=300)


class CloseRiskForm(forms.Form):
    """Closing a risk takes no more than the button (the URL names the item)."""


class AnalyseForm(MonthForm):
    """The bureau's countermeasure for each risk of the month, one field per risk."""

    def __init__(self, *args: Any, items: Iterable[RiskItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"cm_{item.pk}"] = forms.CharField(
                label=_("The bureau's countermeasure"), max_length=300, required=False,
                initial=item.countermeasure)

    @property
    def rows(self) -> list[tuple[RiskItem, forms.BoundField]]:
        """Each risk beside its countermeasure field, for the page's table."""
        return [(i, self[f"cm_{i.pk}"]) for i in self.items]

    def countermeasures(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data[f"cm_{i.pk}"] for i in self.items if self.cleaned_data.get(f"cm_{i.pk}")}


class DecisionForm(ActorForm):
    category = forms.ChoiceField(label=_("Decision category"), choices=DecisionCategory.choices)
    matter = forms.CharField(label=_("Matter"), max_length=200)
    meeting = forms.CharField(label=_("Meeting"), max_length=120)
    met_on = DateField(label=_("Meeting date"))
    # the action asks for the adviser's opinion with its own words; the form must not answer first
    legal_opinion = forms.CharField(label=_("Legal adviser's review opinion"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    fair_competition = forms.CharField(label=_("Fair-competition review (where it applies)"), required=False,
                                       max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.CharField(label=_("The decision made"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    major_decision = ScopedChoiceField(selectors.major_decision_cases_for, model=Case, required=False,
                                       label=_("The major administrative decision it made (if it is one)"))


class ExecutionForm(forms.Form):
    execution = forms.CharField(label=_("How it was executed"), max_length=500)
    on = DateField(label=_("Executed on"))


class LiaisonForm(ActorForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=LiaisonKind.choices)
    name = forms.CharField(label=_("Name of the area or link"), max_length=80)
    holder = forms.CharField(label=_("Leader who covers it (for an area)"), max_length=80, required=False)
    department = ScopedChoiceField(selectors.departments_for, model=Organisation, label=_("Department (for a link)"),
                                   required=False)
    schools = ScopedMultipleChoiceField(selectors.patrol_schools_for, model=School, label=_("Schools"),
                                        widget=forms.SelectMultiple(attrs={"size": 12}))
    since = DateField(label=_("Since"))


class VisitForm(ActorForm):
    liaison = ScopedChoiceField(selectors.liaisons_for, model=Liaison, label=_("Area or link"))
    school = ScopedChoiceField(selectors.patrol_schools_for, model=School, label=_("School"))
    visited_on = DateField(label=_("Visited on"))
    visitors = forms.CharField(label=_("Who visited"), max_length=120)
    checked = forms.CharField(label=_("What was checked"), max_length=200)
    found = forms.CharField(label=_("What was found (empty: nothing wrong; a finding opens a rectification)"),
                            max_length=300, required=False)


# ---- misconduct reports, the discipline group, mediation (issue 32) -------------------------------

REPORT_CHANNELS = [("phone", _("Telephone")), ("letter", _("Letter")), ("visit", _("In person"))]


class MisconductReportForm(ActorForm):
    """A report a receiving unit enters (telephone, letter, visit)."""

    channel = forms.ChoiceField(label=_("How it came"), choices=REPORT_CHANNELS)
    received_on = DateField(label=_("Received on"))
    receiver = ScopedChoiceField(selectors.report_receivers_for, model=Organisation, label=_("Receiving unit"))
    officer_unit = ScopedChoiceField(selectors.reported_units_for, model=Organisation, label=_("Unit of the officer"))
    officer_named = forms.CharField(label=_("Officer (name or certificate number, as given)"), max_length=80,
                                    required=False)
    happened_on = DateField(label=_("When it happened"), required=False)
    what = forms.CharField(label=_("What the officer did"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    anonymous = forms.BooleanField(label=_("The reporter gave no name"), required=False)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=60, required=False)
    reporter_phone = forms.CharField(label=_("Reporter's mobile (to be told the result)"), max_length=20,
                                     required=False)


class PublicMisconductForm(forms.Form):
    """A member of the public reports online."""

    officer_unit = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Where the officer works"))
    officer_named = forms.CharField(label=_("The officer (name or certificate number, if you know it)"),
                                    max_length=80, required=False)
    happened_on = DateField(label=_("When it happened"), required=False)
    what = forms.CharField(label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=60, required=False)
    reporter_phone = forms.CharField(label=_("Your mobile, to be told the result"), max_length=20, required=False)

    def __init__(self, *args: Any, bureau: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer_unit"].queryset = selectors.public_reported_units(bureau)  # type: ignore[attr-defined]


class MisconductChannelForm(ActorForm):
    phone = forms.CharField(label=_("Telephone for reports"), max_length=40)
    address = forms.CharField(label=_("Postal address for letters"), max_length=200)
    receivers = ScopedMultipleChoiceField(selectors.reported_units_for, model=Organisation,
                                          label=_("Units that receive reports"))
    supervisor = forms.CharField(label=_("Enforcement supervision body (行政执法监督机构)"), max_length=120)
    published_on = DateField(label=_("Published on"))


class DisciplineNoticeForm(ActorForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=DisciplineKind.choices)
    on = DateField(label=_("Date"))
    subject = forms.CharField(label=_("Meeting or matter"), max_length=200, required=False)
    decision = ScopedChoiceField(selectors.executed_decisions_for, model=Decision, required=False,
                                 label=_("三重一大 matter notified (for a decision)"))
    attended_by = forms.CharField(label=_("Who of the group attended or received it"), max_length=80)
    note = forms.CharField(label=_("What the group said"), max_length=300, required=False)


class MediationForm(ActorForm):
    school = ScopedChoiceField(selectors.mediation_schools_for, model=School, label=_("School"))
    family = forms.CharField(label=_("Family party"), max_length=80)
    subject = forms.CharField(label=_("What the dispute is about"), max_length=200)
    started_on = DateField(label=_("Mediation started on"))
    mediator = forms.CharField(label=_("Mediator"), max_length=80)
    community = forms.CharField(label=_("Community that took part (社区), if any"), max_length=80, required=False)


class MediationConcludeForm(ActorForm):
    mediation = ScopedChoiceField(selectors.pending_mediations_for, model=Mediation, label=_("Mediation"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[(MediationOutcome.AGREED, _("Agreement reached")),
                                                             (MediationOutcome.FAILED, _("No agreement"))])
    agreement = forms.CharField(label=_("What was agreed, or why not"), max_length=300)
    concluded_on = DateField(label=_("Concluded on"))


class MediationFollowUpForm(ActorForm):
    mediation = ScopedChoiceField(selectors.agreements_to_follow_for, model=Mediation, label=_("Agreement"))
    followed_up_on = DateField(label=_("Followed up on"))
    follow_up = forms.CharField(label=_("What the follow-up found"), max_length=300)


ACCOUNTABILITY_FORMS: dict[str, type[ActorForm]] = {
    "report": MisconductReportForm, "channel": MisconductChannelForm, "notice": DisciplineNoticeForm,
    "mediation": MediationForm, "conclude": MediationConcludeForm, "follow_up": MediationFollowUpForm}
