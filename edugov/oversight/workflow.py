"""A patrol finding's rectification, declared as data for the case engine (issue 24): the school
has 5 working days to put it right (a bureau rule of the online patrols, not a statute); the
clock is the engine's, so the finding is on the school's and the supervision office's workbench
with its deadline, reminded before it falls due and counted overdue after."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Role
from edugov.cases.workflow import ClockSpec, Transition, Workflow, duty_workflow, register

RECTIFY_CLOCK = ClockSpec.of("oversight.rectification", "rectify", _("Rectify (5 working days)"))

RECTIFICATION = register(Workflow(
    kind="rectification",
    title=_("Rectification of a patrol finding"),
    states={"open": _("To rectify"), "closed": _("Rectified")},
    initial="open",
    terminal=frozenset({"closed"}),
    transitions=(
        Transition("close", _("Rectified: close"), ("open",), "closed", roles=frozenset({Role.SCHOOL_ADMIN}),
                   assignee_may=False, required=("note",), field_labels={"note": _("How it was rectified")},
                   stop_clocks=("rectify",)),
    ),
    reference_suffix="督改",
    open_clocks=(RECTIFY_CLOCK,),
    ledger_fields=frozenset({"school", "finding", "closed_on"}),
))


# A school's monthly risk ledger as a duty on the workbench: opened by `tasks.open_ledger_duties`
# at the month's start, closed by the school's filing (screening.submit_ledger).
LEDGER_DUTY = register(duty_workflow(kind="ledger_duty", title=_("Monthly risk ledger"), rule_id="risk.ledger",
                                     roles=frozenset({Role.SCHOOL_ADMIN}), reference_suffix="台账"))


def ledger_key(school_code: str, month: object) -> str:
    return f"risk.ledger:{school_code}:{month:%Y-%m}"
