"""A patrol finding's rectification, declared as data for the case engine (issue 24): the school
has 5 working days to put it right (a bureau rule of the online patrols, not a statute); the
clock is the engine's, so the finding is on the school's and the supervision office's workbench
with its deadline, reminded before it falls due and counted overdue after."""

from __future__ import annotations

import datetime as dt
from typing import Any

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


# A report of an enforcement officer's misconduct (行政执法监督举报, issue 32): received by the legal office
# or the discipline group (never the officer's own unit, recused from intake), accepted or not within
# the rule's working days, then handled, or forwarded to the enforcement supervision body, until the
# reporter is told the result. Only the handling unit sees it (need to know).
def _forwarded(case: Any, actor: Any, at: dt.datetime, data: Any) -> None:
    from .misconduct import record_forwarding

    record_forwarding(case, str(data.get("agency") or ""), at)


def _concluded(upheld: bool) -> Any:
    def effect(case: Any, actor: Any, at: dt.datetime, data: Any) -> None:
        from .misconduct import record_result

        record_result(case, str(data.get("result") or ""), upheld, at)
    return effect


MISCONDUCT_HANDLERS = frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.LEGAL_REVIEWER})
ACCEPT_REPORT = ClockSpec.of("misconduct_report.acceptance", "accept")
REPORT_RESULT = ClockSpec.of("misconduct_report.result", "result")

MISCONDUCT_REPORT = register(Workflow(
    kind="misconduct_report",
    title=_("Report of enforcement misconduct"),
    states={"received": _("Received"), "handling": _("Accepted, being looked into"),
            "forwarded": _("Forwarded to the supervision body"), "closed": _("Reporter told the result"),
            "not_accepted": _("Not accepted")},
    initial="received",
    terminal=frozenset({"closed", "not_accepted"}),
    transitions=(
        Transition("accept", _("Accept"), ("received",), "handling", roles=MISCONDUCT_HANDLERS,
                   stop_clocks=("accept",), start_clocks=(REPORT_RESULT,)),
        Transition("not_accept", _("Not accepted"), ("received",), "not_accepted", roles=MISCONDUCT_HANDLERS,
                   decides=True, required=("reason",), field_labels={"reason": _("Reason given to the reporter")},
                   stop_clocks=("accept",), confirm=_("I confirm the reporter is told why it is not accepted."),
                   style="danger"),
        Transition("forward", _("Forward to the supervision body"), ("handling",), "forwarded",
                   roles=MISCONDUCT_HANDLERS, required=("agency",),
                   field_labels={"agency": _("Body it is forwarded to")},
                   confirm=_("I confirm the report and its material are forwarded to the body named."),
                   effect=_forwarded),
        Transition("close_upheld", _("Substantiated: tell the reporter the result"), ("handling", "forwarded"),
                   "closed", roles=MISCONDUCT_HANDLERS, decides=True, required=("result",),
                   field_labels={"result": _("Result told to the reporter (what was done about the officer)")},
                   stop_clocks=("result",), confirm=_("I confirm the reporter has been told this result."),
                   effect=_concluded(True)),
        Transition("close_unfounded", _("Not substantiated: tell the reporter the result"), ("handling", "forwarded"),
                   "closed", roles=MISCONDUCT_HANDLERS, decides=True, required=("result",),
                   field_labels={"result": _("Result told to the reporter (what was found)")},
                   stop_clocks=("result",), confirm=_("I confirm the reporter has been told this result."),
                   effect=_concluded(False)),
    ),
    reference_suffix="监举",
    open_roles=MISCONDUCT_HANDLERS,
    open_clocks=(ACCEPT_REPORT,),
    need_to_know=True,
    ledger_fields=frozenset({"channel", "officer_unit", "receiver", "anonymous", "told_on", "forwarded_on"}),
))
