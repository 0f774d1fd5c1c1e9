"""The penalty case (行政处罚) as data for the case engine.

立案 (within the limitation) → investigation → prior notice (陈述申辩, hearing where the law gives
it) → 法制审核 for major decisions → decision within 90 days of filing (a hearing pauses the clock;
collective discussion for serious ones) → service within 7 working days → payment within 15 days
→ (unpaid: reminder, then the court) → execution → archive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Role
from edugov.cases.workflow import ClockSpec, Transition, Workflow, register
from edugov.kernel import rules

OFFICERS = frozenset({Role.ENFORCEMENT_OFFICER, Role.DEPARTMENT_HEAD})
DECIDERS = frozenset({Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER})
REVIEWERS = frozenset({Role.LEGAL_REVIEWER})

DECIDE = ClockSpec.of("penalty.decision", "decide", _("Decide within 90 days of filing"), remind_before=5)
STATEMENT = ClockSpec.of("penalty.statement", "statement", _("Statement and defence"))
HEARING_REQUEST = ClockSpec.of("penalty.hearing_request", "hearing_request", _("The party may ask for a hearing"))
PARTY_WINDOWS = ("statement", "hearing_request")


def _party_heard(case: Any, data: Any, today: dt.date) -> str | None:
    """No decision while the party may still state a case, defend or ask for a hearing (行政处罚法
    arts. 44, 45, 62, 64), unless they waived it in writing (enforcement.actions.penalty_record_waiver)
    or asked for the hearing (either stops the window's clock)."""
    open_until = [c.due_on for c in case.clocks.all()
                  if c.name in PARTY_WINDOWS and c.stopped_on is None and c.due_on >= today]
    if open_until:
        return str(_("The party may state a case and defend, or ask for a hearing, until %(day)s (行政处罚法 "
                     "arts. 44, 45, 62, 64): decide after that day, or record the party's written waiver first.")
                   % {"day": max(open_until).isoformat()})
    return None
REVIEW = ClockSpec.of("penalty.legal_review", "review", _("Legal review"), remind_before=2)
# After the decision (issue 25 item 6): serve it within 7 working days (arts. 61, 85); the party pays
# within 15 days of receipt (art. 67); unpaid, a reminder (催告), and 10 working days after it is served
# an application to the court (行政强制法 arts. 54, 69), within 3 months of the end of the periods for
# reconsideration and lawsuit (art. 53). The payment and court clocks are sized by the action from the
# day of service (enforcement.actions.penalty_serve, penalty_remind).
SERVICE = ClockSpec.of("penalty.service", "service", _("Serve the decision"))
PAYMENT = ClockSpec.of("penalty.payment", "payment", _("The party pays"))
REMINDER_WAIT = ClockSpec.of("penalty.reminder_wait", "reminder_wait", _("Wait after the reminder"))
COURT = ClockSpec.of("penalty.court_enforcement", "court", _("Apply to the court for enforcement"), remind_before=10)


def _prior_notice(case: Any, actor: Any, at: dt.datetime, data: Any) -> None:
    """The prior notice is given in writing (行政处罚法 art. 44): its document, dated by the step."""
    from .documents import issue_prior_notice

    issue_prior_notice(case.penalty, str(data.get("intended") or ""), actor=actor, at=at)


def _hearing_notice(case: Any, actor: Any, at: dt.datetime, data: Any) -> None:
    from .documents import issue_hearing_notice

    issue_hearing_notice(case.penalty, actor=actor, at=at)


def _court_ready(case: Any, data: Any, today: dt.date) -> str | None:
    """Not before the reminder's 10 working days are over (行政强制法 art. 54) and the party's periods
    for reconsideration and lawsuit have ended unused (art. 53)."""
    waits = [c.due_on for c in case.clocks.all() if c.name == "reminder_wait" and c.due_on >= today]
    if waits:
        return str(_("The party has until %(day)s after the reminder (行政强制法 art. 54); apply to the court after "
                     "that day.") % {"day": max(waits).isoformat()})
    remedy_end = remedy_periods_end(getattr(getattr(case, "penalty", None), "served_on", None))
    if remedy_end is None:
        return str(_("Record the day the decision was served first."))
    if remedy_end >= today:
        return str(_("The party may still apply for reconsideration or sue until %(day)s (行政强制法 art. 53): "
                     "apply to the court after that day.") % {"day": remedy_end.isoformat()})
    return None


def remedy_periods_end(served_on: dt.date | None) -> dt.date | None:
    """The last day the party may challenge the decision: the later of reconsideration (60 days) and a
    lawsuit (6 months), both from receipt."""
    if served_on is None:
        return None
    return max(rules.get("reconsideration.application").deadline(served_on).date,
               rules.get("litigation.filing").deadline(served_on).date)

STATES = {
    "filed": _("Filed (立案)"),
    "investigating": _("Investigation and evidence"),
    "notified": _("Prior notice given"),
    "hearing": _("Hearing"),
    "review": _("Legal review"),
    "reviewed": _("Reviewed: ready for decision"),
    "decided": _("Decided"),
    "served": _("Served"),
    "reminded": _("Reminder served (催告)"),
    "court": _("Court enforcement applied for"),
    "executed": _("Executed"),
    "archived": _("Archived"),
    "dropped": _("Not penalised (case closed)"),
}





PENALTY = register(Workflow(
    kind="penalty", title=_("Administrative penalty"), states=STATES, initial="filed",
    ledger_fields=frozenset({"act_on", "application", "checks", "collective", "fine", "harm", "how", "inspection",
                             "intended", "item", "late_fee", "major", "party", "received_on", "remedy_end", "reminder",
                             "taken_down", "types"}),
    terminal=frozenset({"archived", "dropped"}), reference_suffix="罚", open_roles=OFFICERS, open_clocks=(DECIDE,),
    transitions=(
        Transition("investigate", _("Start the investigation"), ("filed",), "investigating", roles=OFFICERS),
        Transition("notify", _("Give the prior notice"), ("investigating",), "notified", roles=OFFICERS,
                   required=("intended",), field_labels={"intended": _("Intended penalty and its grounds")},
                   start_clocks=(STATEMENT, HEARING_REQUEST), effect=_prior_notice),
        Transition("request_hearing", _("Hearing requested"), ("notified",), "hearing", roles=OFFICERS,
                   pause_clocks=("decide",), stop_clocks=PARTY_WINDOWS, effect=_hearing_notice),
        Transition("end_hearing", _("Hearing held"), ("hearing",), "notified", roles=OFFICERS,
                   required=("record",), field_labels={"record": _("Hearing record")}, resume_clocks=("decide",)),
        # the party's windows keep running during the review: it does not cut them short
        Transition("submit_review", _("Submit for legal review"), ("notified",), "review", roles=OFFICERS,
                   start_clocks=(REVIEW,)),
        # The review's outcomes are done by enforcement.actions.penalty_legal_review, which records the review.
        Transition("review_agree", _("Review: agree"), ("review",), "reviewed", roles=REVIEWERS, assignee_may=False,
                   stop_clocks=("review",)),
        Transition("review_correct", _("Review: correct and resubmit"), ("review",), "investigating", roles=REVIEWERS,
                   assignee_may=False, stop_clocks=("review",)),
        Transition("review_refer", _("Review: refer for collective discussion"), ("review",), "reviewed",
                   roles=REVIEWERS, assignee_may=False, stop_clocks=("review",)),
        # Deciding goes through enforcement.actions.penalty_decide (amount checked against the item).
        Transition("decide", _("Decide"), ("reviewed", "notified"), "decided", roles=DECIDERS, assignee_may=False,
                   stop_clocks=("decide", *PARTY_WINDOWS), guard=_party_heard, start_clocks=(SERVICE,)),
        Transition("drop", _("Close without penalty"), ("investigating", "notified", "reviewed"), "dropped",
                   roles=DECIDERS, assignee_may=False, required=("reason",), field_labels={"reason": _("Reason")},
                   confirm=_("I confirm the case is closed without a penalty.")),
        # through enforcement.actions.penalty_serve (the day of receipt sizes the payment clock)
        Transition("serve", _("Record service of the decision"), ("decided",), "served", roles=OFFICERS,
                   stop_clocks=("service",), start_clocks=(PAYMENT,)),
        # through enforcement.actions.penalty_remind (unpaid after the payment period)
        Transition("remind", _("Serve a reminder (催告)"), ("served",), "reminded", roles=OFFICERS,
                   required=("reminder",), field_labels={"reminder": _("The reminder: what it asks, how it was served")},
                   stop_clocks=("payment",), start_clocks=(REMINDER_WAIT, COURT)),
        # through enforcement.actions.penalty_apply_court
        Transition("apply_court", _("Apply to the court for enforcement"), ("reminded",), "court", roles=DECIDERS,
                   assignee_may=False, required=("application",),
                   field_labels={"application": _("The application: the court, the day, its case number")},
                   stop_clocks=("reminder_wait", "court"), guard=_court_ready),
        Transition("execute", _("Record execution"), ("served", "reminded", "court"), "executed", roles=OFFICERS,
                   required=("how",), field_labels={"how": _("How it was executed")},
                   stop_clocks=("payment", "reminder_wait", "court")),
        Transition("archive", _("Archive"), ("executed",), "archived", roles=OFFICERS,
                   confirm=_("I confirm the file is complete and archive it.")),
    ),
    legal_review=True,
))

INSPECTION_STATES = {
    "started": _("Started (启动)"),
    "investigating": _("Investigation and evidence (调查取证)"),
    "deciding": _("Review and decision (审查决定)"),
    "serving": _("Service and execution (送达执行)"),
    "archived": _("Archived (归档)"),
}

# An inspection's five stages of the full-process record (全过程记录), on the case engine (issue 24).
# The team's membership and certificates are checked by the inspection's own actions, which move
# the case; the page of an inspection is the enforcement app's (the on-site record, one stage a time).
INSPECTION = register(Workflow(
    kind="inspection",
    title=_("Inspection"),
    states=INSPECTION_STATES,
    initial="started",
    terminal=frozenset({"archived"}),
    transitions=(
        Transition("arrive", _("Arrival recorded"), ("started",), "investigating", roles=OFFICERS),
        Transition("sign_off", _("On-site record signed off"), ("investigating",), "deciding", roles=OFFICERS),
        Transition("decide_serve", _("Findings decided: a notice to serve"), ("deciding",), "serving", roles=OFFICERS),
        Transition("decide_archive", _("Findings decided: archived"), ("deciding",), "archived", roles=OFFICERS),
        Transition("archive", _("Notices served: archived"), ("serving",), "archived", roles=OFFICERS),
    ),
    reference_suffix="检",
    ledger_fields=frozenset({"target", "outing", "campaign"}),
))
