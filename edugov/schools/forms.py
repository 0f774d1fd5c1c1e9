"""The forms of legal vice-principal appointments: every person and school is chosen within the
actor's own district (scoped fields), so another district's id is a form error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from edugov.kernel.forms import ActorForm, ScopedChoiceField
from edugov.registries.models import Person, School

from . import selectors


class AppointForm(ActorForm):
    person = ScopedChoiceField(selectors.legal_vps_for, model=Person, label=_("Legal vice-principal"))
    school = ScopedChoiceField(selectors.schools_to_appoint_for, model=School, label=_("School"))
    starts_on = forms.DateField(label=_("Starts on"))


class ReplaceForm(ActorForm):
    person = ScopedChoiceField(selectors.legal_vps_for, model=Person, label=_("Legal vice-principal"))
    on = forms.DateField(label=_("On"))
    reason = forms.CharField(label=_("Reason"), max_length=500)
