"""Reads of the organisation tree, limited to what the actor may see: the access functions every
app's selectors build on.

Scope always comes from the actor's grants. A page that works on one bureau takes it from
`access_bureau`; a code in the request (``?org=``) may only choose among the bureaus the actor
already reads, and naming any other is answered 404 (the same as a bureau that does not exist, so
the answer does not tell an outsider which codes are real)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from edugov.kernel import rules
from edugov.kernel.validators import as_pk

from .models import Absence, Grant, LegalSettings, Organisation, OrgKind, Role, User
from .permissions import active_grants, reading_paths


def bureaus_for(actor: User | None, allowed: Callable[[Organisation], bool] | None = None) -> list[Organisation]:
    """The district bureaus the actor reads in (and that `allowed`, the app's permission, grants)."""
    paths = reading_paths(actor)
    return [b for b in Organisation.objects.filter(kind=OrgKind.BUREAU).order_by("path")
            if any(p.startswith(b.path) or b.path.startswith(p) for p in paths) and (allowed is None or allowed(b))]


def bureau_of(actor: User | None, allowed: Callable[[Organisation], bool]) -> Organisation | None:
    """The first district bureau the actor reads and that `allowed` grants: the scope of a
    bureau-wide page when the request names none."""
    found = bureaus_for(actor, allowed)
    return found[0] if found else None


def access_bureau(actor: User | None, allowed: Callable[[Organisation], bool], code: str | None = None) -> Organisation:
    """The bureau a bureau-wide page works on: the one `code` names when it is among the actor's
    (404 otherwise), else the actor's first; 403 when the actor may not use the page at all."""
    mine = bureaus_for(actor, allowed)
    if code:
        chosen = next((b for b in mine if b.code == code.strip()), None)
        if chosen is None:
            raise Http404(_("No such organisation among yours."))
        return chosen
    if not mine:
        raise PermissionDenied(_("This page is not among your duties."))
    return mine[0]


def access_organisation(actor: User | None, allowed: Callable[[Organisation], bool], code: str | None,
                        default: Organisation) -> Organisation:
    """An organisation named by `code` (any level), when `allowed` grants it to the actor; 404
    otherwise. `default` (from the actor's grants) when no code is given."""
    if not code:
        if not allowed(default):
            raise PermissionDenied(_("This page is not among your duties."))
        return default
    org = Organisation.objects.filter(code=code.strip()).first()
    if org is None or not allowed(org):
        raise Http404(_("No such organisation among yours."))
    return org


def confirmed_device(user: User) -> TOTPDevice | None:
    """The staff member's enrolled authenticator."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolling_device(user: User, pk: object) -> TOTPDevice | None:
    """The device this session unlocked with an enrolment code, not yet confirmed."""
    return TOTPDevice.objects.filter(user=user, confirmed=False, pk=as_pk(pk)).first() if as_pk(pk) else None


def legal_settings_of(org: Organisation) -> LegalSettings:
    """The legal settings of the district `org` belongs to (unsaved and empty when none are set)."""
    codes = [c for c in org.path.split("/") if c]
    paths = ["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes) + 1)]
    found = LegalSettings.objects.filter(organisation__path__in=paths).select_related("organisation").first()
    return found if found is not None else LegalSettings(organisation=org.bureau or org)


def local_rules_of(org: Organisation | None) -> dict[str, int]:
    """The counts the district of `org` sets for its local rules (over the installation's)."""
    if org is None:
        return {}
    return {k: int(v) for k, v in (legal_settings_of(org).local_rules or {}).items()}


def rule_of(org: Organisation | None, rule_id: str) -> rules.Rule:
    """The rule as it applies in the district of `org`: a local rule with the district's count."""
    return rules.get(rule_id, local=local_rules_of(org))


def _headed_paths(actor: User | None) -> list[str]:
    return [g.organisation.path for g in active_grants(actor) if g.role in (Role.DEPARTMENT_HEAD, Role.SYSADMIN)]


def _staff_under(paths: list[str]) -> QuerySet[User]:
    """Active staff holding a role other than legal vice-principal within the subtrees."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(organisation__path__startswith=path)
    grants = Grant.objects.filter(q, active=True).exclude(role=Role.LEGAL_VP).values("user_id")
    return User.objects.filter(pk__in=grants, is_active=True, kind="staff")


def absence_people(actor: User | None) -> QuerySet[User]:
    """Whose absence the actor may record: their own, and, for a unit's head, the unit's staff."""
    if actor is None or not actor.is_authenticated:
        return User.objects.none()
    return User.objects.filter(Q(pk=actor.pk) | Q(pk__in=_staff_under(_headed_paths(actor)).values("pk"))).order_by(
        "full_name", "username")


def stand_in_choices(actor: User | None) -> QuerySet[User]:
    """Who may be named a stand-in on the actor's form: staff of the actor's units and the heads and
    leaders above them (the action checks the pair against the absent person's own units)."""
    if actor is None or not actor.is_authenticated:
        return User.objects.none()
    paths = [g.organisation.path for g in active_grants(actor) if g.role != Role.LEGAL_VP]
    ancestors = {"/" + "/".join(p.strip("/").split("/")[:i]) + "/" for p in paths
                 for i in range(1, len(p.strip("/").split("/")) + 1)}
    leads = Grant.objects.filter(active=True, organisation__path__in=ancestors,
                                 role__in=(Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER)).values("user_id")
    same = Grant.objects.filter(active=True, organisation__path__in=paths).exclude(role=Role.LEGAL_VP).values("user_id")
    return User.objects.filter(Q(pk__in=same) | Q(pk__in=leads), is_active=True).order_by("full_name", "username")


def absences_for(actor: User | None) -> QuerySet[Absence]:
    """Absences the actor is part of or heads: their own, those they stand in for, their unit's."""
    if actor is None or not actor.is_authenticated:
        return Absence.objects.none()
    return (Absence.objects.filter(Q(user=actor.pk) | Q(stand_in=actor.pk) | Q(user__in=_staff_under(
        _headed_paths(actor)).values("pk"))).select_related("user", "stand_in"))


def access_absence(actor: User, pk: object) -> Absence:
    from edugov.kernel.access import access

    return access(absences_for(actor), pk, lambda a: True, _("You may not see this absence."))


def own_unit(actor: User | None, organisation: Organisation) -> Organisation | None:
    """The actor's own unit under `organisation` (a department or school below it, by the actor's
    active grants): the handling unit of a case the actor starts there; None when the actor works at
    the organisation itself."""
    from .permissions import active_grants

    for g in active_grants(actor):
        if g.organisation.path.startswith(organisation.path) and g.organisation_id != organisation.pk:
            return g.organisation
    return None
