"""Forms of the public site."""

from __future__ import annotations

from django import forms


class CareForm(forms.Form):
    """适老化 on or off, and the page to go back to."""

    care = forms.CharField(required=False, max_length=3)  # "on" (the checkbox, or the button's value) or anything else
    next = forms.CharField(required=False, max_length=500)
