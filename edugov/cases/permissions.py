"""Case access, one condition per line."""

from __future__ import annotations

from collections.abc import Iterable

from edugov.accounts.models import Role, User
from edugov.accounts.permissions import can_read_within, has_role_over

from .models import Case, CasePart

STAFF = {Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN}
OVERSIGHT = {Role.BUREAU_LEADER, Role.AUDITOR, Role.SYSADMIN, Role.SUPERVISION_STAFF}


def can_view_case(actor: User | None, case: Case) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    if case.assignee_id == actor.pk:
        return True
    if case.department is not None and has_role_over(actor, case.department, set(Role.values) - {Role.LEGAL_VP}):
        return True
    if can_read_within(actor, case.organisation, OVERSIGHT):  # held at a department, it covers the bureau
        return True
    if has_role_over(actor, case.organisation, {Role.DEPARTMENT_HEAD}):
        return True
    if case.workflow.legal_review and can_read_within(actor, case.organisation, {Role.LEGAL_REVIEWER}):
        return True
    return any(has_role_over(actor, part.organisation, STAFF) for part in case.parts.all())


def can_answer_part(actor: User | None, part: CasePart) -> bool:
    """Staff of the assisting unit answer its part."""
    return actor is not None and actor.is_authenticated and has_role_over(actor, part.organisation, STAFF)


def can_act_on_case(actor: User | None, case: Case, roles: Iterable[str], assignee_may: bool) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    if assignee_may and case.assignee_id == actor.pk:
        return True
    scope = case.department or case.organisation
    return has_role_over(actor, scope, roles) or can_read_within(actor, case.organisation, set(roles) & OVERSIGHT)


def can_comment_on_case(actor: User | None, case: Case) -> bool:
    return can_view_case(actor, case) and not has_role_over(actor, case.organisation, {Role.AUDITOR})


def can_open_case(actor: User | None, organisation: object, roles: Iterable[str]) -> bool:
    return has_role_over(actor, organisation, roles)  # type: ignore[arg-type]
