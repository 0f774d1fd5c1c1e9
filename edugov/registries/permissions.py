"""Registry access. One condition per line; the role × scope table in tests covers each."""

from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within, has_role_over, reading_paths

EDITORS = {Role.SYSADMIN, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}
PEOPLE_READERS = {Role.SYSADMIN, Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF,
                  Role.SUPERVISION_STAFF, Role.AUDITOR, Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER}


def can_view_school(actor: User | None, school_org: Organisation) -> bool:
    return can_read_within(actor, school_org)


def can_edit_school(actor: User | None, school_org: Organisation) -> bool:
    if can_read_within(actor, school_org, EDITORS):
        return True
    return has_role_over(actor, school_org, {Role.SCHOOL_ADMIN})


def can_view_institution(actor: User | None, bureau: Organisation) -> bool:
    return can_read_within(actor, bureau, EDITORS | PEOPLE_READERS | {Role.WINDOW_CLERK})


def can_edit_institution(actor: User | None, bureau: Organisation) -> bool:
    return can_read_within(actor, bureau, EDITORS)


def can_view_people(actor: User | None, org: Organisation) -> bool:
    return can_read_within(actor, org, PEOPLE_READERS)


def can_edit_people(actor: User | None, org: Organisation) -> bool:
    return can_read_within(actor, org, EDITORS)


def can_unmask_people(actor: User | None, org: Organisation) -> bool:
    """Full identity numbers and phones: the system administrator only (personnel matters)."""
    return has_role_over(actor, org, {Role.SYSADMIN})


def can_import(actor: User | None, bureau: Organisation) -> bool:
    return can_read_within(actor, bureau, EDITORS)


def registry_paths(actor: User | None) -> list[str]:
    return reading_paths(actor)
