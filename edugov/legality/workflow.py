"""The four legality-review workflows as data for the case engine. Every step is taken through an
action of `actions.py` (the step's record is kept beside the case), so each kind's case page sends
its steps to `legality:step`; the states make the order of the law structural: a normative document
reaches "issued" only from "discussed", which it reaches only from a passed review; a major decision
is decided only from "reviewed"; a contract is signed only from "reviewed".

Time limits come from the rules registry (kernel.rules): the comment periods (the public's time, a
least), the legality reviews, the filing of a normative document, the adviser's opinion."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Role
from edugov.cases.workflow import ClockSpec, Transition, Workflow, register

DRAFTERS = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.LEGAL_REVIEWER, Role.BUREAU_LEADER})
REVIEWERS = frozenset({Role.LEGAL_REVIEWER})
LEADERS = frozenset({Role.BUREAU_LEADER})
HEADS = frozenset({Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER})

NORMATIVE_COMMENT = ClockSpec.of("normative_docs.comment_period", "comment", _("Open for public comment"))
NORMATIVE_COMMENT_MARKET = ClockSpec.of("normative_docs.comment_period_market", "comment",
                                        _("Open for public comment"))
NORMATIVE_REVIEW = ClockSpec.of("normative_docs.legality_review", "review", remind_before=3)
FILING = ClockSpec.of("normative_docs.filing", "filing", remind_before=5)

NORMATIVE = register(Workflow(
    kind="normative_doc", title=_("Normative document"),
    states={"drafting": _("Drafting"), "consultation": _("Open for public comment"),
            "review": _("Legality review"), "reviewed": _("Reviewed: for collective discussion"),
            "discussed": _("Discussed: to be signed and issued"), "issued": _("Issued: to be filed"),
            "filed": _("Filed (in force)"), "withdrawn": _("Withdrawn")},
    initial="drafting", terminal=frozenset({"filed", "withdrawn"}), reference_suffix="规审", open_roles=DRAFTERS,
    transitions=(
        # the comment clock is sized by the action (30 days for a document close to businesses)
        Transition("consult", _("Publish the draft for comment"), ("drafting",), "consultation", roles=DRAFTERS,
                   start_clocks=(NORMATIVE_COMMENT,)),
        Transition("submit_review", _("Submit for legality review"), ("consultation", "drafting"), "review",
                   roles=DRAFTERS, stop_clocks=("comment",), start_clocks=(NORMATIVE_REVIEW,)),
        Transition("review_pass", _("Review: lawful"), ("review",), "reviewed", roles=REVIEWERS, assignee_may=False,
                   stop_clocks=("review",)),
        Transition("review_return", _("Review: return for revision"), ("review",), "drafting", roles=REVIEWERS,
                   assignee_may=False, stop_clocks=("review",)),
        Transition("discuss", _("Record the collective discussion"), ("reviewed",), "discussed", roles=HEADS,
                   assignee_may=False),
        Transition("issue", _("Sign, number and publish"), ("discussed",), "issued", roles=LEADERS, assignee_may=False,
                   start_clocks=(FILING,),
                   confirm=_("I confirm the document is signed; it is numbered and published now.")),
        Transition("file", _("Record the filing (备案)"), ("issued",), "filed", roles=DRAFTERS, stop_clocks=("filing",)),
        Transition("withdraw", _("Withdraw the draft"), ("drafting", "consultation", "review", "reviewed"),
                   "withdrawn", roles=HEADS, assignee_may=False, required=("reason",),
                   field_labels={"reason": _("Reason")}, confirm=_("I confirm the draft is withdrawn.")),
    ),
    legal_review=True,
    ledger_fields=frozenset({"channel_text", "closes_on", "comment", "adoption", "effective_on", "filed_on",
                             "filing_body", "number", "note", "opinion", "passed", "meeting", "discussed_on", "market_related",
                             "fair_competition", "replaces", "received_on"}),
))

DECISION_COMMENT = ClockSpec.of("major_decisions.comment_period", "comment", _("Open for public comment"))
DECISION_REVIEW = ClockSpec.of("major_decisions.legality_review", "review", remind_before=2)

MAJOR_DECISION = register(Workflow(
    kind="major_decision", title=_("Major administrative decision"),
    states={"catalogued": _("In the year's catalogue"), "consultation": _("Open for public comment"),
            "consulted": _("Comment closed: expert argument and risk assessment"),
            "assessed": _("Assessed: for legality review"), "review": _("Legality review"),
            "reviewed": _("Reviewed: for the leadership meeting"), "decided": _("Decided: to be published"),
            "published": _("Published"), "withdrawn": _("Withdrawn")},
    initial="catalogued", terminal=frozenset({"published", "withdrawn"}), reference_suffix="决策",
    open_roles=DRAFTERS,
    transitions=(
        Transition("consult", _("Publish the draft for comment"), ("catalogued",), "consultation", roles=DRAFTERS,
                   start_clocks=(DECISION_COMMENT,)),
        Transition("close_consultation", _("Close the comment and report on it"), ("consultation",), "consulted",
                   roles=DRAFTERS, stop_clocks=("comment",)),
        Transition("assess", _("Record the expert argument and the risk assessment"), ("consulted",), "assessed",
                   roles=DRAFTERS),
        Transition("submit_review", _("Submit for legality review"), ("assessed",), "review", roles=DRAFTERS,
                   start_clocks=(DECISION_REVIEW,)),
        Transition("review_pass", _("Review: lawful"), ("review",), "reviewed", roles=REVIEWERS, assignee_may=False,
                   stop_clocks=("review",)),
        Transition("review_return", _("Review: return for revision"), ("review",), "assessed", roles=REVIEWERS,
                   assignee_may=False, stop_clocks=("review",)),
        Transition("decide", _("Decide at the leadership meeting"), ("reviewed",), "decided", roles=LEADERS,
                   assignee_may=False),
        Transition("publish", _("Publish the decision"), ("decided",), "published", roles=DRAFTERS),
        Transition("withdraw", _("Take it off the catalogue"), ("catalogued", "consultation", "consulted", "assessed"),
                   "withdrawn", roles=LEADERS, assignee_may=False, required=("reason",),
                   field_labels={"reason": _("Reason")}, confirm=_("I confirm the decision is taken off the catalogue.")),
    ),
    legal_review=True,
    ledger_fields=frozenset({"channel_text", "closes_on", "comment", "adoption", "decided_on", "decision", "evaluation",
                             "expert_argument", "meeting", "opinion", "participation", "passed", "published_on",
                             "risk_assessment", "year", "received_on"}),
))

CONTRACT_REVIEW = ClockSpec.of("contracts.legality_review", "review", remind_before=1)

CONTRACT = register(Workflow(
    kind="contract", title=_("Contract"),
    states={"drafting": _("Drafting"), "review": _("Legality review"), "reviewed": _("Reviewed: may be signed"),
            "signed": _("Signed"), "withdrawn": _("Withdrawn")},
    initial="drafting", terminal=frozenset({"signed", "withdrawn"}), reference_suffix="合审", open_roles=DRAFTERS,
    transitions=(
        Transition("submit_review", _("Submit the text for legality review"), ("drafting",), "review", roles=DRAFTERS,
                   start_clocks=(CONTRACT_REVIEW,)),
        Transition("review_pass", _("Review: may be signed"), ("review",), "reviewed", roles=REVIEWERS,
                   assignee_may=False, stop_clocks=("review",)),
        Transition("review_return", _("Review: return for revision"), ("review",), "drafting", roles=REVIEWERS,
                   assignee_may=False, stop_clocks=("review",)),
        Transition("sign", _("Record the signing"), ("reviewed",), "signed", roles=HEADS, assignee_may=False),
        Transition("withdraw", _("Withdraw"), ("drafting", "review", "reviewed"), "withdrawn", roles=HEADS,
                   assignee_may=False, required=("reason",), field_labels={"reason": _("Reason")},
                   confirm=_("I confirm the contract will not be signed.")),
    ),
    legal_review=True,
    ledger_fields=frozenset({"amount", "counterparty", "opinion", "passed", "signed_on"}),
))

OPINION_CLOCK = ClockSpec.of("legal_adviser.opinion", "opinion", remind_before=1)

OPINION = register(Workflow(
    kind="legal_opinion", title=_("Legal adviser's opinion"),
    states={"asked": _("Asked"), "answered": _("Answered: was it followed?"), "concluded": _("Concluded")},
    initial="asked", terminal=frozenset({"concluded"}), reference_suffix="顾", open_roles=DRAFTERS,
    open_clocks=(OPINION_CLOCK,),
    transitions=(
        Transition("answer", _("Record the adviser's answer"), ("asked",), "answered", roles=REVIEWERS,
                   stop_clocks=("opinion",)),
        Transition("conclude", _("Record whether it was followed"), ("answered",), "concluded", roles=DRAFTERS),
    ),
    legal_review=True,
    ledger_fields=frozenset({"adviser", "answer", "followed", "subject_kind", "subject"}),
))

KINDS = ("normative_doc", "major_decision", "contract", "legal_opinion")
