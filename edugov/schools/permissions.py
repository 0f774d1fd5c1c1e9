from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within, has_role_over

APPOINTERS = {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}


def can_appoint(actor: User | None, bureau: Organisation) -> bool:
    """The bureau's departments appoint, adjust and end appointments."""
    return can_read_within(actor, bureau, APPOINTERS)


def can_read_school_lvps(actor: User | None, school_org: Organisation) -> bool:
    return has_role_over(actor, school_org, {Role.SCHOOL_ADMIN, Role.LEGAL_VP}) or can_read_within(
        actor, school_org, APPOINTERS | {Role.AUDITOR, Role.SUPERVISION_STAFF})


def can_log_class(actor: User | None, school_org: Organisation) -> bool:
    return has_role_over(actor, school_org, {Role.SCHOOL_ADMIN, Role.LEGAL_VP})


def can_evaluate(actor: User | None, school_org: Organisation) -> bool:
    return has_role_over(actor, school_org, {Role.SCHOOL_ADMIN})
