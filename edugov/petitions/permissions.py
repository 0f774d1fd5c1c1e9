"""Who may do what on the supervision hotline (督导热线)."""

from __future__ import annotations

from edugov.accounts.models import Role, User
from edugov.accounts.permissions import has_role

BULLETIN_READERS = {Role.SUPERVISION_STAFF, Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.AUDITOR, Role.SYSADMIN}


def is_hotline_office(actor: User | None) -> bool:
    """The supervision office records calls, triages, routes, draws the re-contact sample."""
    return has_role(actor, {Role.SUPERVISION_STAFF})


def can_read_bulletin(actor: User | None) -> bool:
    return has_role(actor, BULLETIN_READERS)


def can_see_complainant(actor: User | None, identity_disclosure: bool) -> bool:
    """The complainant stays unknown to the school or institution complained about, unless they agreed."""
    return identity_disclosure or not has_role(actor, {Role.SCHOOL_ADMIN, Role.LEGAL_VP})


def can_extend_petition(actor: User | None) -> bool:
    return has_role(actor, {Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD})


def can_add_part(actor: User | None) -> bool:
    return is_hotline_office(actor) or has_role(actor, {Role.DEPARTMENT_HEAD})
