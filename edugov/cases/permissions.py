"""Case access, one condition per line."""

from __future__ import annotations

from collections.abc import Iterable

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import (
    active_grants,
    can_read_within,
    has_role,
    has_role_over,
    standing_in_for,
)

from .models import Case, CasePart, Recusal

STAFF = {Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN}
OVERSIGHT = {Role.BUREAU_LEADER, Role.AUDITOR, Role.SYSADMIN, Role.SUPERVISION_STAFF}
# who routes and assigns a unit's cases (派单/改派)
ASSIGNERS = {Role.DEPARTMENT_HEAD, Role.SUPERVISION_STAFF, Role.BUREAU_LEADER, Role.SYSADMIN}


def handles(actor: User, case: Case) -> bool:
    """The case is the actor's: assigned to them, or to someone they stand in for today."""
    return case.assignee_id is not None and (case.assignee_id == actor.pk
                                             or case.assignee_id in standing_in_for(actor))


def can_view_case(actor: User | None, case: Case) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    if case.workflow.need_to_know:
        return in_the_know(actor, case)
    if handles(actor, case):
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


NEED_TO_KNOW = {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.LEGAL_REVIEWER}


def in_the_know(actor: User, case: Case) -> bool:
    """A need-to-know case (a report of an officer's misconduct) is seen by its handler and by the
    members of its handling unit, never by anyone whose unit is recused from it, and by nobody else:
    neither the leaders' nor the supervision office's nor an auditor's bureau-wide reading covers it."""
    if recused_from(actor, case) is not None:
        return False
    if handles(actor, case):
        return True
    return case.department is not None and any(
        g.role in NEED_TO_KNOW and g.organisation.path.startswith(case.department.path) for g in active_grants(actor))


def can_answer_part(actor: User | None, part: CasePart) -> bool:
    """Staff of the assisting unit answer its part."""
    return actor is not None and actor.is_authenticated and has_role_over(actor, part.organisation, STAFF)


def can_act_on_case(actor: User | None, case: Case, roles: Iterable[str], assignee_may: bool) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    if case.workflow.need_to_know and not in_the_know(actor, case):  # no step, not even accepting, from outside
        return False
    if assignee_may and handles(actor, case):
        return True
    scope = case.department or case.organisation
    if has_role_over(actor, scope, roles) or can_read_within(actor, case.organisation, set(roles) & OVERSIGHT):
        return True
    # the legal office reviews for the whole bureau (法制审核, 合法性审查): its steps, on the kinds it reads
    return (Role.LEGAL_REVIEWER in roles and case.workflow.legal_review
            and can_read_within(actor, case.organisation, {Role.LEGAL_REVIEWER}))


def can_comment_on_case(actor: User | None, case: Case) -> bool:
    return can_view_case(actor, case) and not has_role_over(actor, case.organisation, {Role.AUDITOR})


def can_open_case(actor: User | None, organisation: object, roles: Iterable[str]) -> bool:
    return has_role_over(actor, organisation, roles)  # type: ignore[arg-type]


def can_assign(actor: User | None) -> bool:
    """Holds a role that routes and assigns cases somewhere (the bulk form is shown)."""
    return has_role(actor, ASSIGNERS)


def can_assign_case(actor: User | None, case: Case) -> bool:
    """A unit's head assigns within the unit; a leader, the supervision office and the system
    administrator bureau-wide (their grant at a department reads the whole bureau). A need-to-know
    case is assigned by the head of its handling unit only."""
    scope = case.department or case.organisation
    if case.workflow.need_to_know:
        return (actor is not None and case.department is not None and in_the_know(actor, case)
                and has_role_over(actor, case.department, {Role.DEPARTMENT_HEAD}))
    return (has_role_over(actor, scope, ASSIGNERS) or has_role_over(actor, case.organisation, ASSIGNERS)
            or can_read_within(actor, case.organisation, ASSIGNERS - {Role.DEPARTMENT_HEAD}))


def can_claim_case(actor: User | None, case: Case) -> bool:
    """Staff of the case's unit take an open case from the unit's queue (认领)."""
    scope = case.department or case.organisation
    return case.is_open and has_role_over(actor, scope, set(Role.values) - {Role.LEGAL_VP, Role.AUDITOR})


def recused_units(case: Case) -> list[Recusal]:
    return list(case.recusals.select_related("organisation"))


def recused_from(actor: User | None, case: Case) -> Recusal | None:
    """The recusal that keeps `actor` from answering or closing `case`: one of their grants lies in a
    recused unit (the school complained of, the department whose staff it concerns). The whole
    person is recused, whatever other grants they hold: their unit is the subject."""
    recusals = recused_units(case)
    if actor is None or not recusals:
        return None
    for grant in active_grants(actor):
        for r in recusals:
            if grant.organisation.path.startswith(r.organisation.path):
                return r
    return None


def recused_unit(case: Case, unit: Organisation) -> Recusal | None:
    """The recusal that keeps `unit` (or a unit above it that is recused) from being given `case`."""
    return next((r for r in recused_units(case) if unit.path.startswith(r.organisation.path)), None)


def can_read_case_record(actor: User | None, key: str) -> bool:
    """A case named by its id (kernel.subjects): those who see the case, and its applicant (who
    receives the documents of their own matter)."""
    if actor is None or not actor.is_authenticated or not key.isdigit():
        return False
    case = Case.objects.filter(pk=int(key)).select_related("organisation", "department").first()
    return case is not None and (case.applicant_id == actor.pk or can_view_case(actor, case))
