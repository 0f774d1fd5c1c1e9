"""The case kinds of school enrollment, declared as data for the case engine.

- `enrollment`: a submitted application. Staff review it online, then a second reviewer checks
  it (复审); either may return it with the exact reasons and the parent corrects and resubmits.
  A verified application is placed by the assignment engine; the parent accepts the place or
  appeals within the published window.
- `enrollment_appeal`: an appeal against a placement, answered within 5 working days."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Role
from edugov.cases.workflow import ClockSpec, Transition, Workflow, register

REVIEWERS = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD})
SECOND = frozenset({Role.DEPARTMENT_HEAD})
REVIEW = ClockSpec.of("enrollment.review", "review", _("Review the application (3 working days)"))
ANSWER = ClockSpec.of("enrollment.appeal_answer", "answer", _("Answer the appeal (5 working days)"))

STATES = {
    "submitted": _("Submitted, waiting for review"),
    "checked": _("First review passed, waiting for the second review"),
    "offline": _("To be checked in person (appointment)"),
    "referred": _("Referred to the bureau for a decision"),
    "returned": _("Returned to the parent for correction"),
    "verified": _("Verified, waiting for the assignment"),
    "placed": _("Placed"),
    "unplaced": _("Not placed"),
    "accepted": _("Place accepted"),
    "withdrawn": _("Withdrawn"),
    "closed": _("Closed with the intake"),
}





ENROLLMENT = register(Workflow(
    kind="enrollment", title=_("School enrollment application"), states=STATES, initial="submitted",
    ledger_fields=frozenset({
        "applicants", "applications", "capacity", "child", "closed", "closes_at", "day", "decision", "draft", "level",
        "lottery", "opens_at", "place", "placed", "plans", "proposals", "purpose", "rated", "ratings", "reasons", "records",
        "reschedules", "result_sha256", "rounds", "slot", "time", "year", "zones"}),
    terminal=frozenset({"accepted", "withdrawn", "closed"}), reference_suffix="学", open_clocks=(REVIEW,),
    transitions=(
        Transition("check", _("Pass the first review"), ("submitted",), "checked", roles=REVIEWERS),
        Transition("verify", _("Pass the second review"), ("checked",), "verified", roles=SECOND, assignee_may=False,
                   stop_clocks=("review",)),
        Transition("return", _("Return for correction"), ("submitted", "checked", "offline", "referred"), "returned",
                   roles=REVIEWERS, stop_clocks=("review",)),
        Transition("offline", _("Check in person"), ("submitted", "checked"), "offline", roles=REVIEWERS,
                   required=("reason",), field_labels={"reason": _("What cannot be checked online")},
                   pause_clocks=("review",)),
        Transition("offline_pass", _("Checked in person: in order"), ("offline",), "checked", roles=REVIEWERS,
                   resume_clocks=("review",)),
        Transition("refer", _("Refer to the bureau for a decision"), ("submitted", "checked"), "referred",
                   roles=REVIEWERS, required=("reason",), field_labels={"reason": _("What the bureau is asked to decide")},
                   pause_clocks=("review",)),
        Transition("referral_pass", _("The bureau admits the application"), ("referred",), "checked", roles=SECOND,
                   assignee_may=False, required=("decision",), field_labels={"decision": _("The bureau's decision")},
                   resume_clocks=("review",)),
        Transition("resubmit", _("Corrected and resubmitted"), ("returned",), "submitted", assignee_may=False,
                   start_clocks=(REVIEW,)),
        Transition("place", _("Placed by the assignment"), ("verified",), "placed", assignee_may=False),
        Transition("leave_unplaced", _("Not placed by the assignment"), ("verified",), "unplaced", assignee_may=False),
        Transition("accept", _("Accept the place"), ("placed",), "accepted", assignee_may=False),
        Transition("close", _("Close with the intake"), ("placed", "unplaced"), "closed", assignee_may=False),
        Transition("withdraw", _("Withdraw the application"), ("submitted", "returned", "checked"), "withdrawn",
                   assignee_may=False),
    ),

))

APPEAL = register(Workflow(
    kind="enrollment_appeal", title=_("Enrollment appeal"),
    states={"open": _("Appeal received"), "upheld": _("Appeal upheld: placement changed"),
            "dismissed": _("Appeal dismissed")},
    initial="open", terminal=frozenset({"upheld", "dismissed"}), reference_suffix="诉", open_clocks=(ANSWER,),
    transitions=(
        Transition("uphold", _("Uphold the appeal"), ("open",), "upheld", roles=SECOND, required=("answer",),
                   field_labels={"answer": _("Answer to the parent")}),
        Transition("dismiss", _("Dismiss the appeal"), ("open",), "dismissed", roles=SECOND, required=("answer",),
                   field_labels={"answer": _("Answer to the parent")}),
    ),
))




DECIDE = ClockSpec.of("enrollment.deferral_decision", "decide", _("Decide (10 working days)"))
ASSESS = ClockSpec.of("enrollment.placement_decision", "decide", _("Assess and decide (15 working days)"))
PLACEMENTS = {"随班就读": "regular_class", "特殊教育学校": "special_school", "送教上门": "home_teaching"}


def _placement_named(case: object, data: object, today: object = None) -> str | None:
    value = str(dict(data).get("placement", "") or "").strip()  # type: ignore[call-overload]
    if value not in PLACEMENTS and value not in PLACEMENTS.values():
        return str(_("Please name the placement: 随班就读, 特殊教育学校 or 送教上门."))
    return None


DEFERRAL = register(Workflow(
    kind="enrollment_deferral", title=_("Deferred entry (缓学)"), ledger_fields=frozenset({"decision"}),
    states={"submitted": _("Submitted"), "granted": _("Deferral granted"), "refused": _("Deferral refused")},
    initial="submitted", terminal=frozenset({"granted", "refused"}), reference_suffix="缓", open_clocks=(DECIDE,),
    transitions=(
        Transition("grant", _("Grant the deferral"), ("submitted",), "granted", roles=SECOND, assignee_may=False,
                   required=("decision",), field_labels={"decision": _("Decision and until when")}),
        Transition("refuse", _("Refuse the deferral"), ("submitted",), "refused", roles=SECOND, assignee_may=False,
                   required=("decision",), field_labels={"decision": _("Reasons")}, style="danger"),
    ),
))

PLACEMENT = register(Workflow(
    kind="enrollment_placement", title=_("Placement of a child with a disability"),
    ledger_fields=frozenset({"assessment", "decision", "placement"}),
    states={"submitted": _("Submitted"), "assessed": _("Assessed by the expert committee"),
            "decided": _("Placement decided")},
    initial="submitted", terminal=frozenset({"decided"}), reference_suffix="安", open_clocks=(ASSESS,),
    transitions=(
        Transition("assess", _("Record the expert committee's assessment"), ("submitted",), "assessed",
                   roles=REVIEWERS, required=("assessment",), field_labels={"assessment": _("Assessment")}),
        Transition("decide", _("Decide the placement"), ("assessed",), "decided", roles=SECOND, assignee_may=False,
                   required=("placement", "decision"),
                   field_labels={"placement": _("Placement (随班就读, 特殊教育学校 or 送教上门)"),
                                 "decision": _("Decision and the school")},
                   guard=_placement_named),
    ),
))
