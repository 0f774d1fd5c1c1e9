from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class CheckFileForm(forms.Form):
    """The PDF a holder was given, compared with the one issued (nothing is stored)."""
    file = forms.FileField(label=_("The PDF you hold"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        limit = settings.EDUGOV["ATTACHMENT_MAX_BYTES"]
        if upload.size and upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB; an issued document is much smaller.")
                                        % {"mb": limit // (1024 * 1024)})
        data: bytes = upload.read(limit + 1)
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("This is not a PDF file; please choose the PDF of the document."))
        return data
