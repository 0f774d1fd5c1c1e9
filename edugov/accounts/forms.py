from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
