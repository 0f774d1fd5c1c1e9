"""The two case kinds of government services, declared as data for the case engine.

- `service`: an application for a catalogue item. Acceptance is decided within 5 working days
  (行政许可法 art. 32); a one-time notice of missing materials pauses that clock until the
  applicant supplies them. Acceptance starts the item's statutory and promised limits (sized per
  item through the engine's `amounts`), which a hearing or an expert review pauses (art. 45). Where
  the law gives a hearing, the applicant is told of the right (5 working days to ask) and a hearing
  asked for is held within 20 working days (arts. 47, 48); no decision while the right is open.
- `rating_fix`: the rectification a negative rating opens for the responsible department, with a
  return visit, by a deadline; the department may appeal the rating to the supervision office."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Role
from edugov.cases.workflow import ClockSpec, Transition, Workflow, duty_workflow, register

WINDOW = frozenset({Role.WINDOW_CLERK, Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD})
DECIDERS = frozenset({Role.DEPARTMENT_HEAD})
OFFICE = frozenset({Role.SUPERVISION_STAFF})

ACCEPT = ClockSpec.of("licensing.acceptance", "accept", _("Decide acceptance (5 working days)"))
STATUTORY = ClockSpec.of("licensing.decision", "statutory", _("Statutory time limit"), remind_before=3)
PROMISED = ClockSpec.of("services.promised", "promised", _("Promised time limit"), remind_before=2)
RECTIFY = ClockSpec.of("services.rating_fix", "rectify", _("Rectify and visit the applicant again"))
# 行政许可法 arts. 47, 48: a licence touching major interests between the applicant and others: the
# applicant and interested parties are told of the right to a hearing, may ask within 5 (working)
# days, and a hearing asked for is held within 20; its time does not count (art. 45).
HEARING_REQUEST = ClockSpec.of("licensing.hearing_request", "hearing_request", _("The right to ask for a hearing"))
HEARING_HOLD = ClockSpec.of("licensing.hearing_hold", "hearing_hold", _("Hold the hearing asked for"))


def _hearing_right_passed(case: Any, data: Any, today: dt.date) -> str | None:
    """No decision while the applicant or an interested party told of the right to a hearing may
    still ask for one (行政许可法 art. 47)."""
    open_until = [c.due_on for c in case.clocks.all()
                  if c.name == "hearing_request" and c.stopped_on is None and c.due_on >= today]
    if open_until:
        return str(_("The applicant and interested parties may ask for a hearing until %(day)s (行政许可法 art. 47): "
                     "decide after that day, or hold the hearing they asked for.") % {"day": max(open_until).isoformat()})
    return None
DECISION_CLOCKS = ("statutory", "promised")

STATES = {
    "submitted": _("Submitted, awaiting acceptance"),
    "supplementing": _("Waiting for the applicant's materials (one-time notice)"),
    "accepted": _("Accepted, under review"),
    "hearing": _("Hearing (time limit paused)"),
    "expert": _("Expert review (time limit paused)"),
    "approved": _("Approved"),
    "denied": _("Denied"),
    "rejected": _("Not accepted"),
    "terminated": _("Terminated"),
    "revoked": _("Approval revoked"),
    "withdrawn": _("Withdrawn by the applicant"),
}
# Completed (办结): a decision was made or the application was closed with a written answer.
COMPLETED = ("approved", "denied", "rejected", "terminated", "revoked")




SERVICE = register(Workflow(
    kind="service", title=_("Service application"), states=STATES, initial="submitted",
    ledger_fields=frozenset({"certificate_number", "clerk_level", "decision", "kind", "late_reason", "level", "materials",
                             "method", "truthful", "until", "valid_until", "visit"}),
    terminal=frozenset({"approved", "denied", "rejected", "terminated", "revoked", "withdrawn"}),
    reference_suffix="审", open_clocks=(ACCEPT,),
    transitions=(
        Transition("accept", _("Accept"), ("submitted",), "accepted", roles=WINDOW,
                   stop_clocks=("accept",), start_clocks=(STATUTORY, PROMISED)),
        Transition("reject", _("Do not accept"), ("submitted",), "rejected", roles=WINDOW, required=("reason",),
                   field_labels={"reason": _("Reasons for not accepting")},
                   confirm=_("I confirm the application is not accepted, for the reasons given."), style="danger"),
        Transition("notify", _("One-time notice of missing materials"), ("submitted",), "supplementing", roles=WINDOW,
                   pause_clocks=("accept",)),
        Transition("supply", _("Materials supplied"), ("supplementing",), "submitted", assignee_may=False,
                   resume_clocks=("accept",)),
        Transition("offer_hearing", _("Tell of the right to a hearing"), ("accepted",), "accepted", roles=DECIDERS,
                   required=("reason",),
                   field_labels={"reason": _("Who was told of the right to a hearing, how, and why (major interests)")},
                   start_clocks=(HEARING_REQUEST,)),
        Transition("hearing", _("Hold a hearing"), ("accepted",), "hearing", roles=DECIDERS,
                   required=("reason",), field_labels={"reason": _("Why a hearing is held")},
                   pause_clocks=DECISION_CLOCKS, stop_clocks=("hearing_request",), start_clocks=(HEARING_HOLD,)),
        Transition("expert", _("Send for expert review"), ("accepted",), "expert", roles=DECIDERS,
                   required=("reason",), field_labels={"reason": _("What the experts are asked")},
                   pause_clocks=DECISION_CLOCKS),
        Transition("resume", _("Back to review"), ("hearing", "expert"), "accepted", roles=DECIDERS,
                   resume_clocks=DECISION_CLOCKS, stop_clocks=("hearing_hold",)),
        Transition("approve", _("Approve"), ("accepted",), "approved", roles=DECIDERS, assignee_may=False,
                   confirm=_("I confirm the approval and the certificate details."),
                   stop_clocks=(*DECISION_CLOCKS, "hearing_request"), guard=_hearing_right_passed),
        Transition("deny", _("Deny"), ("accepted",), "denied", roles=DECIDERS, assignee_may=False,
                   required=("reason",), field_labels={"reason": _("Reasons for the denial")},
                   confirm=_("I confirm the denial, for the reasons given."), style="danger",
                   stop_clocks=(*DECISION_CLOCKS, "hearing_request"), guard=_hearing_right_passed),
        Transition("terminate", _("Terminate (false commitment)"), ("submitted", "supplementing", "accepted"),
                   "terminated", roles=DECIDERS, assignee_may=False, required=("reason",),
                   field_labels={"reason": _("Reasons")}, style="danger"),
        # 行政许可法 art. 69: obtained by deception or a false commitment, or granted beyond the law
        Transition("revoke", _("Revoke the approval"), ("approved",), "revoked", roles=DECIDERS,
                   assignee_may=False, required=("reason",), field_labels={"reason": _("Reasons")}, style="danger",
                   confirm=_("I confirm the revocation: the licence stops having effect today.")),
        Transition("withdraw", _("Withdraw the application"), ("submitted", "supplementing", "accepted"), "withdrawn",
                   assignee_may=False),
    ),
    legal_review=True,
))

RATING_FIX = register(Workflow(
    kind="rating_fix", title=_("Rectification after a negative rating"), ledger_fields=frozenset({"measures", "return_visit"}),
    states={"open": _("Rectifying"), "appealed": _("Appeal before the supervision office"),
            "done": _("Rectified, applicant visited again"), "void": _("Rating set aside on appeal")},
    initial="open", terminal=frozenset({"done", "void"}), reference_suffix="评", open_clocks=(RECTIFY,),
    transitions=(
        Transition("rectify", _("Rectified: record the return visit"), ("open",), "done", roles=WINDOW,
                   required=("measures", "return_visit"),
                   field_labels={"measures": _("What was put right"),
                                 "return_visit": _("The return visit: when, how, what the applicant said")}),
        Transition("appeal", _("Appeal: the rating is malicious or mistaken"), ("open",), "appealed", roles=WINDOW,
                   required=("reason",), field_labels={"reason": _("Why the rating should be set aside")},
                   pause_clocks=("rectify",)),
        Transition("uphold", _("Set the rating aside"), ("appealed",), "void", roles=OFFICE, assignee_may=False,
                   required=("reason",), field_labels={"reason": _("The office's reasons")}),
        Transition("dismiss", _("Dismiss the appeal: rectify"), ("appealed",), "open", roles=OFFICE,
                   assignee_may=False, required=("reason",), field_labels={"reason": _("The office's reasons")},
                   resume_clocks=("rectify",)),
    ),
))


# A month's verification sample (告知承诺制) as a duty of each department with commitments in it:
# opened by `actions.verification_sample_draw`, closed when the department's last one is verified.
VERIFICATION_DUTY = register(duty_workflow(kind="verification_duty", title=_("Verify a commitment sample"),
                                           rule_id="services.verification",
                                           roles=frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}),
                                           reference_suffix="核查"))


def verification_key(draw_id: str, department_code: str) -> str:
    return f"services.verification:{draw_id}:{department_code}"
