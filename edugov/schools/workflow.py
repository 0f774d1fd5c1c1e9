"""A legal vice-principal short of the school year's class hours, as a duty on the workbench:
opened from March by `tasks.open_hours_duties` for each appointment still under 4 hours, closed
when the school records the session that reaches them (actions.session_record)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Role
from edugov.cases.workflow import duty_workflow, register

HOURS_DUTY = register(duty_workflow(kind="legal_vp_hours_duty", title=_("Legal vice-principal's class hours"),
                                    rule_id="schools.legal_vp_hours",
                                    roles=frozenset({Role.SCHOOL_ADMIN, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}),
                                    reference_suffix="法副"))


def hours_key(appointment_id: int, school_year: int) -> str:
    return f"legal_vp.hours:{appointment_id}:{school_year}"
