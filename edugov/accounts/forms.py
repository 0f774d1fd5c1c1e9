from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from edugov.kernel.forms import ActorForm, DateInput, ScopedChoiceField
from edugov.kernel.rules import Rule

from . import selectors
from .models import NotifyBy, User


class StaffLoginForm(AuthenticationForm):
    username = forms.CharField(label=_("User name"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": _("The user name or password is not correct. Note that too many failed attempts "
                           "lock the account for a while."),
        "inactive": _("This account has been disabled."),
    }


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class PhoneCodeForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))
    code = forms.CharField(label=_("SMS code"), max_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class OtpForm(forms.Form):
    token = forms.CharField(label=_("Six-digit code from your authenticator app"), max_length=6,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                          "autofocus": True}))


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(label=_("Enrolment code from your system administrator"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}))


class LegalSettingsForm(forms.Form):
    """A district's legal settings: the bodies its remedy sentences and petition answers name, and
    a count for each local rule (blank: the installation's)."""

    reconsideration_body = forms.CharField(label=_("Administrative reconsideration body"), max_length=120,
                                           required=False, help_text=_("e.g. 示范市江州区人民政府 (行政复议法 art. 24)"))
    court = forms.CharField(label=_("Court for administrative cases"), max_length=120, required=False,
                            help_text=_("The people's court that hears administrative cases against the bureau"))
    review_body = forms.CharField(label=_("Petition review body (复查)"), max_length=120, required=False,
                                  help_text=_("The body one level above the bureau (信访工作条例 art. 35)"))
    recheck_body = forms.CharField(label=_("Petition re-review body (复核)"), max_length=120, required=False,
                                   help_text=_("The body above the review body (信访工作条例 art. 36)"))

    def __init__(self, *args: Any, local_rules: list[Rule], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule_fields: list[tuple[str, Rule]] = []
        for rule in local_rules:
            name = "local__" + rule.id.replace(".", "__")
            self.fields[name] = forms.IntegerField(
                label=rule.title, required=False, min_value=1, max_value=366,
                help_text=_("%(source)s; the installation's count: %(n)d") % {"source": rule.basis, "n": rule.count})
            self.rule_fields.append((name, rule))

    def local_counts(self) -> dict[str, object]:
        return {rule.id: self.cleaned_data[name] for name, rule in self.rule_fields
                if self.cleaned_data.get(name) is not None}


class AbsenceForm(ActorForm):
    """A person away and the colleague who stands in (请假/外出与代理人)."""

    user = ScopedChoiceField(selectors.absence_people, model=User, label=_("Who is away"))
    stand_in = ScopedChoiceField(selectors.stand_in_choices, model=User, label=_("Stand-in"),
                                 help_text=_("Sees, acts on and is reminded of the cases assigned to the person "
                                             "while they are away"))
    starts_on = forms.DateField(label=_("First day away"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day away (inclusive)"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), max_length=120, required=False,
                             help_text=_("e.g. annual leave, training (no medical details)"))


class NotifyByForm(forms.Form):
    notify_by = forms.ChoiceField(label=_("Reminders also by"), choices=NotifyBy.choices, required=False,
                                  widget=forms.RadioSelect)
