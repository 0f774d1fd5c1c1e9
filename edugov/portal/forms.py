"""Forms of the public site."""

from __future__ import annotations

from django import forms


class CareForm(forms.Form):
    """适老化 on or off, and the page to go back to."""

    care = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=500)
