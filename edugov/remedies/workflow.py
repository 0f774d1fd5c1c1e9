"""Reconsideration and litigation against the bureau as data for the case engine. The answer's
clock opens with the case: 10 working days from receipt of the application's copy, 5 in the
simplified procedure (行政复议法 2023 arts. 48, 54, 88); a defence within 15 days of receipt of the
complaint's copy (行政诉讼法 art. 67). Every step goes through `actions.py` (the answer builds the
evidence bundle; the decision records the outcome and, after a loss, what the bureau changed)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Role
from edugov.cases.workflow import ClockSpec, Transition, Workflow, register

HANDLERS = frozenset({Role.LEGAL_REVIEWER, Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER})
OPENERS = frozenset({Role.LEGAL_REVIEWER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER})
FIELDS = frozenset({"applicant", "appeared", "body", "body_reference", "bundle_sha256", "contested", "corrected",
                    "decided_on", "entries", "head_appeared", "hearing_on", "late_reason", "outcome", "simplified"})

ANSWER = ClockSpec.of("reconsideration.answer", "answer", remind_before=3)
DEFENCE = ClockSpec.of("litigation.defence", "defence", remind_before=5)

RECONSIDERATION = register(Workflow(
    kind="reconsideration", title=_("Reconsideration against the bureau"),
    states={"received": _("Copy received: to answer"), "answered": _("Answered: awaiting the decision"),
            "decided": _("Decided against the bureau: to correct"), "closed": _("Closed")},
    initial="received", terminal=frozenset({"closed"}), reference_suffix="复应", open_roles=OPENERS,
    open_clocks=(ANSWER,), legal_review=True, ledger_fields=FIELDS,
    transitions=(
        Transition("answer", _("Submit the answer and the evidence"), ("received",), "answered", roles=HANDLERS,
                   stop_clocks=("answer",)),
        Transition("decide", _("Record the decision"), ("answered",), "decided", roles=HANDLERS),
        Transition("close", _("Close"), ("decided",), "closed", roles=HANDLERS),
        Transition("correct", _("Record what the bureau changed"), ("decided",), "closed", roles=HANDLERS,
                   required=("correction",), field_labels={"correction": _("What the bureau changed")}),
    ),
))

LITIGATION = register(Workflow(
    kind="litigation", title=_("Lawsuit against the bureau"),
    states={"received": _("Complaint received: to defend"), "defended": _("Defence submitted: awaiting the hearing"),
            "heard": _("Heard: awaiting the judgment"), "decided": _("Judged against the bureau: to correct"),
            "closed": _("Closed")},
    initial="received", terminal=frozenset({"closed"}), reference_suffix="诉应", open_roles=OPENERS,
    open_clocks=(DEFENCE,), legal_review=True, ledger_fields=FIELDS,
    transitions=(
        Transition("answer", _("Submit the defence and the evidence"), ("received",), "defended", roles=HANDLERS,
                   stop_clocks=("defence",)),
        Transition("hear", _("Record the hearing"), ("defended",), "heard", roles=HANDLERS),
        Transition("decide", _("Record the judgment"), ("defended", "heard"), "decided", roles=HANDLERS),
        Transition("close", _("Close"), ("decided",), "closed", roles=HANDLERS),
        Transition("correct", _("Record what the bureau changed"), ("decided",), "closed", roles=HANDLERS,
                   required=("correction",), field_labels={"correction": _("What the bureau changed")}),
    ),
))

KINDS = ("reconsideration", "litigation")
