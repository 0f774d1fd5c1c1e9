"""The hotline's two case kinds, declared as data for the case engine.

- `complaint` (投诉/举报/咨询 through the supervision hotline): the 3233 work mode, finish within
  3 working days counted from intake (a send-back does not stop the clock).
- `petition` (信访, 信访工作条例): decide acceptance within 15 days of receipt, finish within 60 days
  of acceptance."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Role
from edugov.cases.workflow import ClockSpec, Transition, Workflow, duty_workflow, register

OFFICE = frozenset({Role.SUPERVISION_STAFF})
UNIT = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.SCHOOL_ADMIN, Role.SUPERVISION_STAFF})

STATES = {
    "received": _("Received"),
    "triaged": _("Valid, awaiting routing"),
    "handling": _("Being handled"),
    "closed": _("Closed"),
    "invalid": _("Not accepted"),
    "transferred": _("Transferred to another agency"),
}
PETITION_STATES = {**STATES, "review": _("Under review (复查)"), "rereview": _("Under re-review (复核)"),
                   "final": _("Final after re-review")}
REVIEW_CLOCK = ClockSpec.of("petition.review", "review", _("The review body answers (30 days)"))
REREVIEW_CLOCK = ClockSpec.of("petition.recheck", "rereview", _("The re-review body answers (30 days)"))
FINISH_3233 = ClockSpec.of("complaint.finish", "finish", _("Finish (3233: 3 working days)"))
ACCEPT_PETITION = ClockSpec.of("petition.acceptance", "accept", _("Decide acceptance (15 days)"))
FINISH_PETITION = ClockSpec.of("petition.handling", "finish", _("Finish (60 days from acceptance)"))




def _transitions(on_valid_start: tuple[ClockSpec, ...], on_valid_stop: tuple[str, ...]) -> tuple[Transition, ...]:
    return (
        Transition("mark_valid", _("Accept as valid"), ("received",), "triaged", roles=OFFICE, assignee_may=False,
                   start_clocks=on_valid_start, stop_clocks=on_valid_stop),
        Transition("mark_invalid", _("Not accepted"), ("received",), "invalid", roles=OFFICE, assignee_may=False,
                   required=("reason",), field_labels={"reason": _("Reason")},
                   confirm=_("I confirm that this matter is not accepted."), style="danger"),
        Transition("transfer", _("Transfer to another agency"), ("received",), "transferred", roles=OFFICE,
                   assignee_may=False, required=("agency",), field_labels={"agency": _("Agency")},
                   confirm=_("I confirm the transfer to the agency named.")),
        Transition("route", _("Route to a unit"), ("triaged",), "handling", roles=OFFICE, assignee_may=False),
        Transition("send_back", _("Send back: not ours"), ("handling",), "triaged", roles=UNIT,
                   required=("reason", "suggested_unit"),
                   field_labels={"reason": _("Reason"), "suggested_unit": _("Better unit")}),
        Transition("close", _("Close with the result"), ("handling",), "closed", roles=UNIT, decides=True,
                   required=("result",), field_labels={"result": _("Result given to the complainant")},
                   confirm=_("I confirm the complainant has been given this result.")),
        Transition("reopen", _("Reopen"), ("closed",), "handling", roles=OFFICE, assignee_may=False,
                   start_clocks=(FINISH_3233,)),
    )


# What the hotline's actions record beyond the engine (intake, routing, ratings, return visits).
HOTLINE_FIELDS = frozenset({
    "agency", "agree", "before", "better_unit", "body", "case", "category", "duplicate_of", "from", "key", "nature",
    "override_reason", "rating", "received_on", "resolution", "result", "return_visit_due", "subject", "suggested", "suggested_unit",
    "suggestion_taken"})

COMPLAINT = register(Workflow(
    kind="complaint", title=_("Hotline complaint"), states=STATES, initial="received", ledger_fields=HOTLINE_FIELDS,
    terminal=frozenset({"closed", "invalid", "transferred"}), reference_suffix="督",
    open_roles=OFFICE, open_clocks=(FINISH_3233,), transitions=_transitions((), ()),
))

PETITION = register(Workflow(
    kind="petition", title=_("Formal petition"), states=PETITION_STATES, initial="received", ledger_fields=HOTLINE_FIELDS,
    terminal=frozenset({"closed", "invalid", "transferred", "final"}), reference_suffix="访",
    open_roles=OFFICE, open_clocks=(ACCEPT_PETITION,),
    transitions=_transitions((FINISH_PETITION,), ("accept",)) + (
        # 信访工作条例 arts. 35, 36: a review (复查) is asked of the body one level up within 30 days of
        # receiving the written answer, and answered by it within 30 days; then a re-review (复核) by the
        # body above that, the same way; after it the same matter is not accepted again. Neither body
        # is the bureau (they are the district's legal settings): the office forwards the request and
        # records the body's answer, and the clock shows the body's time.
        Transition("request_review", _("Review requested"), ("closed",), "review", roles=OFFICE,
                   assignee_may=False, start_clocks=(REVIEW_CLOCK,)),
        Transition("answer_review", _("Record the review body's answer"), ("review",), "closed", roles=OFFICE,
                   assignee_may=False, required=("result",), field_labels={"result": _("Review decision")},
                   stop_clocks=("review",)),
        Transition("request_rereview", _("Re-review requested"), ("closed",), "rereview", roles=OFFICE,
                   assignee_may=False, start_clocks=(REREVIEW_CLOCK,)),
        Transition("answer_rereview", _("Record the re-review body's answer"), ("rereview",), "final", roles=OFFICE,
                   assignee_may=False, required=("result",), field_labels={"result": _("Re-review decision")},
                   stop_clocks=("rereview",)),
    ),
))

KINDS = (COMPLAINT.kind, PETITION.kind)


# The call back to a dissatisfied complainant (回访), due within the rule's working days of the
# rating: opened by `actions.petition_rate`, closed by `actions.petition_return_visit`, on the
# supervision office's workbench like any other matter.
RETURN_VISIT_DUTY = register(duty_workflow(kind="return_visit_duty", title=_("Return visit to a dissatisfied "
                                                                           "complainant"),
                                           rule_id="complaint.return_visit",
                                           roles=frozenset({Role.SUPERVISION_STAFF}), reference_suffix="回访"))


def return_visit_key(petition_id: int) -> str:
    return f"complaint.return_visit:{petition_id}"


# A month's re-contact sample as a duty of the hotline's office: opened by
# `closure.draw_recontact_sample`, closed when the last complainant of the sample is re-contacted.
RECONTACT_DUTY = register(duty_workflow(kind="recontact_duty", title=_("Re-contact a month's sample"),
                                        rule_id="complaint.recontact", roles=frozenset({Role.SUPERVISION_STAFF}),
                                        reference_suffix="抽访"))


def recontact_key(draw_id: str) -> str:
    return f"complaint.recontact:{draw_id}"
