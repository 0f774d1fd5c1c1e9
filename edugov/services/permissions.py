"""Who may do what in government services, one condition per function."""

from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within, has_role_over

from .models import Application, ServiceItem

EDITORS = {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}
READERS = EDITORS | {Role.WINDOW_CLERK, Role.BUREAU_LEADER, Role.SUPERVISION_STAFF, Role.AUDITOR, Role.SYSADMIN}


def can_read_services(actor: User | None, bureau: Organisation) -> bool:
    return can_read_within(actor, bureau, READERS)


def can_edit_catalogue(actor: User | None, bureau: Organisation) -> bool:
    """Department heads and staff keep their bureau's catalogue; the system administrator too."""
    return can_read_within(actor, bureau, EDITORS) or has_role_over(actor, bureau, {Role.SYSADMIN})


def can_edit_item(actor: User | None, item: ServiceItem) -> bool:
    return has_role_over(actor, item.department, EDITORS) or has_role_over(actor, item.organisation, {Role.SYSADMIN})


def can_publish_item(actor: User | None, item: ServiceItem) -> bool:
    """A change reaches the public guide on a department head's or a leader's word."""
    return has_role_over(actor, item.department, {Role.DEPARTMENT_HEAD}) or \
        has_role_over(actor, item.organisation, {Role.BUREAU_LEADER})


def can_take_counter(actor: User | None, bureau: Organisation) -> bool:
    return can_read_within(actor, bureau, {Role.WINDOW_CLERK, Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD})


def can_verify(actor: User | None, bureau: Organisation) -> bool:
    """Commitment samples are drawn and checked by department heads and staff."""
    return can_read_within(actor, bureau, EDITORS)


def is_applicant(actor: User | None, application: Application) -> bool:
    """The applicant's account, or (for an application made at the counter) the member of the
    public signed in with the mobile number the application gave."""
    if actor is None or not actor.is_authenticated:
        return False
    case = application.case
    if case.applicant_id == actor.pk:
        return True
    return bool(actor.is_public and case.applicant_id is None and actor.phone_index
                and case.contact_phone_index == actor.phone_index)


def can_keep_business_env(actor: User | None, bureau: Organisation) -> bool:
    """Policy outreach and free training for private institutions: the departments and the leaders."""
    return can_read_within(actor, bureau, EDITORS | {Role.BUREAU_LEADER})
