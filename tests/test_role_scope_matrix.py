"""Issue 24: who may do what, as a matrix of role × where the role is held, for the permissions of
services, enforcement, schools, reports and cases. Each row is the policy in one line: the roles
that may, and the places from which they may; every other role, and every place in another
district, may not. An account holds one role at one place, made with the accounts factories.

Places: `bureau` (the district bureau B1 itself), `dept` (one of its departments), `school` (one of
its schools), `other` (the other district's bureau), `other_school` (a school there)."""

from __future__ import annotations

from typing import Any

import pytest

from edugov.accounts.models import Role
from edugov.cases.permissions import can_act_on_case, can_view_case
from edugov.enforcement import permissions as enforcement
from edugov.reports import permissions as reports
from edugov.schools import permissions as schools
from edugov.services import permissions as services

pytestmark = pytest.mark.django_db

R = Role
BUREAU_PLACES = ("bureau", "dept")
SCHOOL_ROLES = {R.SCHOOL_ADMIN, R.LEGAL_VP}
WITHIN = {"bureau", "dept"}


def _spec(roles: set[str], where: set[str] = WITHIN, **exceptions: set[str]) -> dict[str, set[str]]:
    """The places each role may act from: `roles` from `where`, and `role=places` for the others."""
    allowed = {role: set(where) for role in roles}
    allowed.update(exceptions)
    return allowed


# permission → (what it is asked about, who may from where)
MATRIX: dict[str, tuple[str, Any, dict[str, set[str]]]] = {
    "services.can_read_services": ("bureau", services.can_read_services, _spec(
        {R.DEPARTMENT_HEAD, R.DEPARTMENT_STAFF, R.WINDOW_CLERK, R.BUREAU_LEADER, R.SUPERVISION_STAFF, R.AUDITOR,
         R.SYSADMIN})),
    "services.can_edit_catalogue": ("bureau", services.can_edit_catalogue, _spec(
        {R.DEPARTMENT_HEAD, R.DEPARTMENT_STAFF}, sysadmin={"bureau"})),
    "services.can_take_counter": ("bureau", services.can_take_counter, _spec(
        {R.WINDOW_CLERK, R.DEPARTMENT_STAFF, R.DEPARTMENT_HEAD})),
    "services.can_verify": ("bureau", services.can_verify, _spec({R.DEPARTMENT_HEAD, R.DEPARTMENT_STAFF})),
    "enforcement.can_read_enforcement": ("bureau", enforcement.can_read_enforcement, _spec(
        {R.ENFORCEMENT_OFFICER, R.DEPARTMENT_HEAD, R.BUREAU_LEADER, R.LEGAL_REVIEWER, R.AUDITOR, R.SUPERVISION_STAFF})),
    "enforcement.can_plan": ("bureau", enforcement.can_plan, _spec({R.ENFORCEMENT_OFFICER, R.DEPARTMENT_HEAD})),
    "enforcement.can_review": ("bureau", enforcement.can_review, _spec({R.LEGAL_REVIEWER})),
    "schools.can_appoint": ("bureau", schools.can_appoint, _spec(
        {R.DEPARTMENT_HEAD, R.DEPARTMENT_STAFF, R.BUREAU_LEADER})),
    "schools.can_read_school_lvps": ("school", schools.can_read_school_lvps, _spec(
        {R.DEPARTMENT_HEAD, R.DEPARTMENT_STAFF, R.BUREAU_LEADER, R.AUDITOR, R.SUPERVISION_STAFF},
        school_admin={"school"}, legal_vp={"school"})),
    "schools.can_log_class": ("school", schools.can_log_class, _spec(set(), school_admin={"school"},
                                                                     legal_vp={"school"})),
    "schools.can_evaluate": ("school", schools.can_evaluate, _spec(set(), school_admin={"school"})),
    "reports.can_read_report": ("bureau", reports.can_read_report, _spec(
        {R.DEPARTMENT_HEAD, R.DEPARTMENT_STAFF, R.BUREAU_LEADER, R.LEGAL_REVIEWER, R.AUDITOR})),
    "reports.can_write_report": ("bureau", reports.can_write_report, _spec(
        {R.DEPARTMENT_HEAD, R.DEPARTMENT_STAFF, R.BUREAU_LEADER})),
    "reports.can_review_legality": ("bureau", reports.can_review_legality, _spec({R.LEGAL_REVIEWER})),
    "reports.can_approve": ("bureau", reports.can_approve, _spec({R.BUREAU_LEADER})),
    # a case of the bureau handled by its department `dept`: any bureau role held there or at the
    # bureau itself (a role at the bureau covers its departments); nobody at a school or elsewhere
    "cases.can_view_case": ("case", can_view_case, _spec(
        {R.BUREAU_LEADER, R.AUDITOR, R.SYSADMIN, R.SUPERVISION_STAFF, R.DEPARTMENT_HEAD, R.DEPARTMENT_STAFF,
         R.WINDOW_CLERK, R.ENFORCEMENT_OFFICER, R.LEGAL_REVIEWER})),
    "cases.can_act_on_case (department staff's step)": (
        "case", lambda actor, case: can_act_on_case(actor, case, {R.DEPARTMENT_STAFF}, False),
        _spec({R.DEPARTMENT_STAFF})),
}


@pytest.fixture
def places(tree):
    from edugov.registries.tests.factories import SchoolFactory

    school = SchoolFactory(organisation__parent=tree.bureau, organisation__name="甲区矩阵小学")
    return {"bureau": tree.bureau, "dept": tree.dept, "school": school.organisation, "other": tree.other_bureau,
            "other_school": tree.other_district_school.organisation}


@pytest.fixture
def subjects(tree, places):
    from edugov.cases import actions as engine
    from tests.workflow_fixture import TEST_WORKFLOW  # noqa: F401  (registers kind "testcase")

    case = engine.case_open(actor=None, kind="testcase", organisation=tree.bureau, department=tree.dept, title="办件",
                            public=True)
    return {"bureau": tree.bureau, "school": places["school"], "case": case}


def _where(role: str) -> tuple[str, ...]:
    return ("school", "other_school") if role in SCHOOL_ROLES else ("bureau", "dept", "other")


@pytest.mark.parametrize("name", list(MATRIX))
def test_each_role_may_act_only_where_the_policy_says(name, places, subjects, staff_at):
    asked, check, allowed = MATRIX[name]
    wrong = []
    for role in Role.values:
        for place in _where(role):
            actor = staff_at(role, places[place])
            expected = place in allowed.get(role, set())
            if bool(check(actor, subjects[asked])) != expected:
                wrong.append(f"{role} at {place}: {'refused' if expected else 'allowed'}")
    assert not wrong, f"{name}: " + "; ".join(wrong)


def test_no_one_from_another_district_may_anything(places, subjects, staff_at):
    for name, (asked, check, _allowed) in MATRIX.items():
        for role in Role.values:
            place = "other_school" if role in SCHOOL_ROLES else "other"
            assert not check(staff_at(role, places[place]), subjects[asked]), f"{name}: {role} of another district"
