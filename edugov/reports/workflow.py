"""The yearly report's approval, declared as data for the case engine (issue 24): the draft goes to
the legal department, then to the leader, either may send it back with what must change; approval
freezes the figures and the documents; publication ends it. The clock is the publication deadline
(before 1 April of the following year: 法治政府建设与责任落实督察工作规定, art. 25), so an unpublished
report is on the workbench and counted late like any other matter. Who may act is checked by the
report's own actions (its permissions read a role anywhere in the bureau); they move the case."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Role
from edugov.cases.workflow import ClockSpec, Transition, Workflow, duty_workflow, register

WRITERS = frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER})
LEGAL = frozenset({Role.LEGAL_REVIEWER})
LEADER = frozenset({Role.BUREAU_LEADER})
# the rule counts from the year's end; each report's clock is sized at its opening to end there
PUBLISH_CLOCK = ClockSpec.of("report.publication", "publish", _("Publish (before 1 April of the following year)"),
                             remind_before=10)

STATES = {
    "draft": _("Draft"),
    "legal_review": _("With the legal department"),
    "leader_review": _("With the leader"),
    "approved": _("Approved and frozen"),
    "published": _("Published"),
}

REPORT = register(Workflow(
    kind="report",
    title=_("Yearly rule-of-law report"),
    states=STATES,
    initial="draft",
    terminal=frozenset({"published"}),
    transitions=(
        Transition("submit", _("Send to the legal department"), ("draft",), "legal_review", roles=WRITERS),
        Transition("legal_agree", _("The legal department agrees"), ("legal_review",), "leader_review", roles=LEGAL),
        Transition("legal_return", _("The legal department sends it back"), ("legal_review",), "draft", roles=LEGAL,
                   required=("note",), field_labels={"note": _("What must change")}),
        Transition("approve", _("The leader approves (figures and documents frozen)"), ("leader_review",), "approved",
                   roles=LEADER),
        Transition("leader_return", _("The leader sends it back"), ("leader_review",), "draft", roles=LEADER,
                   required=("note",), field_labels={"note": _("What must change")}),
        Transition("publish", _("Publish"), ("approved",), "published", roles=WRITERS | LEADER,
                   stop_clocks=("publish",)),
    ),
    reference_suffix="报",
    open_clocks=(PUBLISH_CLOCK,),
    ledger_fields=frozenset({"year", "figures", "docx_sha256", "pdf_sha256", "late", "body_sha256"}),
))


# Submitting the report before 1 March (rule report.submission) as a duty on the workbench, opened
# by `tasks.open_report_duties` in January and marked done with how and when it was sent.
SUBMISSION_DUTY = register(duty_workflow(kind="report_duty", title=_("Yearly report: submit it"),
                                         rule_id="report.submission", roles=WRITERS | LEADER,
                                         reference_suffix="报送"))
