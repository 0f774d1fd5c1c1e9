"""Reads of enrollment records, limited to what the actor may see: the access functions its pages
use (kernel.access's shape: lookup, scope and permission in one call)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.cases.models import Case
from edugov.cases.permissions import can_view_case
from edugov.kernel.access import access

from .models import Application, Intake, IntakeState, SpecialRequest
from .workflow import DEFERRAL, ENROLLMENT, PLACEMENT


def access_published_intake(pk: object) -> Intake:
    """A published enrollment policy: anyone may read it; a draft is not there at all."""
    intake = access(Intake.objects.select_related("organisation"), pk, lambda i: True, "")
    if intake.state == IntakeState.DRAFT:
        raise Http404(_("This enrollment policy is not published."))
    return intake


def access_own_application(actor: User, pk: object, for_: str = "read") -> Application:
    """A family's own application (the account that submitted it)."""
    return access(Application.objects.select_related("case", "intake", "school", "appeal"), pk,
                  lambda a: a.account_id == actor.pk, _("This application is not yours."))


def access_application_case(actor: User, pk: object, for_: str = "read") -> Application:
    """The application behind an enrollment case, for the staff who may see the case."""
    case = access(Case.objects.filter(kind=ENROLLMENT.kind), pk, lambda c: can_view_case(actor, c),
                  _("You may not see this case."))
    return Application.objects.select_related("case", "intake").get(case=case)


def access_special_case(actor: User, pk: object, for_: str = "read") -> tuple[Case, SpecialRequest]:
    """A deferral or placement case and its request, for the staff who may see the case."""
    case = access(Case.objects.filter(kind__in=(DEFERRAL.kind, PLACEMENT.kind)), pk, lambda c: can_view_case(actor, c),
                  _("You may not see this case."))
    return case, SpecialRequest.objects.get(case=case)
