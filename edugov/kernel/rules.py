"""The rules registry (issue 25): every time limit the platform enforces, declared once, with the
event that starts it and its legal basis, or, for a rule the bureau sets itself, its source.

Workflows take their clocks from here (`cases.workflow.ClockSpec.of`), documents and the workbench
read the same entries, `docs/legal-rules.md` is generated from them (`edugov rules docs`), and
`edugov rules list|deadline` answers from them (INTERFACES.md, "Legal rules"). Nothing else counts
days: a module that needs "5 working days" asks for the rule by its id.

Counting (INTERFACES.md): from the day after the event (民法典 art. 201); months and years end on the
corresponding day or the month's last day (art. 202); a natural-day, month or year period whose
last day is a rest day ends on the next working day (art. 203); working-day periods skip rest days
and count 调休 working days (kernel.calendar).

A local rule's count may be set per installation in `EDUGOV["LOCAL_RULES"]` ({"penalty.statement": 3})
and per district in its legal settings (accounts.LegalSettings, read by accounts.selectors.rule_of),
the district's over the installation's; a statutory rule's may not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .calendar import Deadline, LegalCalendar, Pause, get_calendar, months_later
from .errors import ValidationFailed

Unit = Literal["working_days", "natural_days", "months", "years"]
Label = str | Promise
CALENDAR_UNIT = {"working_days": "working", "natural_days": "natural", "months": "months"}


@dataclass(frozen=True)
class Rule:
    id: str
    title: Label
    count: int
    unit: Unit
    starts_on: Label  # the event the period runs from
    basis: Label  # the law and article; for a local rule, its source
    local: bool = False  # set by the bureau (or a policy document), not by a statute
    sized_per_case: bool = False  # the count is the most a case may get (a catalogue item sets its own)
    note: Label = ""
    term: bool = False  # how long something lasts (a publication's term), not a time to act: see `ends`
    party: bool = False  # the party's time (to ask, state, pay), not the bureau's: never overdue on a workbench

    def deadline(self, event: dt.date, calendar: LegalCalendar | None = None, pauses: Sequence[Pause] = (),
                 count: int | None = None) -> Deadline:
        """The last day of the period for an event on `event`."""
        cal = calendar or get_calendar()
        n = self.count if count is None else count
        if self.unit == "years":
            return cal.add_months(event, 12 * n, pauses)
        return cal.deadline(event, n, CALENDAR_UNIT[self.unit], pauses)  # type: ignore[arg-type]

    def ends(self, event: dt.date) -> dt.date:
        """The last day of a term (`term=True`): the corresponding day, not moved to a working day, since
        nobody has to act by then (民法典 art. 202; art. 203 is for acts)."""
        if self.unit in ("months", "years"):
            return months_later(event, self.calendar_count)
        if self.unit == "natural_days":
            return event + dt.timedelta(days=self.count)
        return self.deadline(event).date

    @property
    def calendar_unit(self) -> str:
        """The unit in the legal calendar's terms (years are counted as months)."""
        return "months" if self.unit == "years" else CALENDAR_UNIT[self.unit]

    @property
    def calendar_count(self) -> int:
        return 12 * self.count if self.unit == "years" else self.count

    @property
    def period_text(self) -> str:
        """The period as a document states it: 5个工作日, 15日, 3个月, 2年."""
        words = {"working_days": _("%(n)d working days"), "natural_days": _("%(n)d days"),
                 "months": _("%(n)d months"), "years": _("%(n)d years")}
        return str(words[self.unit]) % {"n": self.count}


_registry: dict[str, Rule] = {}


def register(*rules: Rule) -> None:
    for rule in rules:
        if rule.id in _registry and _registry[rule.id] != rule:
            raise ValueError(f"rule {rule.id} declared twice")
        _registry[rule.id] = rule


def get(rule_id: str, local: Mapping[str, int] | None = None) -> Rule:
    """The rule, with its local count where the rule is local and one is set: the district's
    (`local`, from its legal settings: accounts.selectors.rule_of) over the installation's."""
    try:
        rule = _registry[rule_id]
    except KeyError:
        raise ValidationFailed(_("There is no legal rule “%(id)s”.") % {"id": rule_id}) from None
    if not rule.local:
        return rule
    counts = {**(settings.EDUGOV.get("LOCAL_RULES", {}) or {}), **(local or {})}
    if rule_id in counts:
        return replace(rule, count=int(counts[rule_id]))
    return rule


def check_local_counts(counts: Mapping[str, object]) -> dict[str, int]:
    """Counts a district sets for its local rules, checked: each names a local rule and is a whole
    number from 1 to 366 (a statute's count is not the district's to change)."""
    clean: dict[str, int] = {}
    for rule_id, value in counts.items():
        rule = get(rule_id)
        if not rule.local:
            raise ValidationFailed(_("“%(id)s” is set by %(basis)s; a district cannot change it.")
                                   % {"id": rule_id, "basis": rule.basis})
        try:
            n = int(str(value))
        except ValueError:
            n = 0
        if not 1 <= n <= 366:
            raise ValidationFailed(_("The count of “%(title)s” must be a whole number from 1 to 366.")
                                   % {"title": rule.title})
        clean[rule_id] = n
    return clean


def all_rules() -> list[Rule]:
    return [get(rule_id) for rule_id in sorted(_registry)]


def deadline(rule_id: str, event: dt.date, calendar: LegalCalendar | None = None) -> Deadline:
    return get(rule_id).deadline(event, calendar)


def as_json(rules: Iterable[Rule]) -> dict[str, list[dict[str, object]]]:
    """INTERFACES.md's shape of `edugov rules list --format json`."""
    return {"rules": [{"id": r.id, "title": str(r.title), "count": r.count, "unit": r.unit,
                       "starts_on": str(r.starts_on), "basis": str(r.basis), "local": r.local} for r in rules]}


# -- the rules ---------------------------------------------------------------------------------
# Statutes as in force on 2026-12-01. 行政处罚法 (2021) art. 85, 行政许可法 art. 82, 行政强制法
# art. 69, 行政复议法 (2023) art. 88 and 政府信息公开条例 (2019) make the short periods named in them
# working days.

LICENSING = "《中华人民共和国行政许可法》"
PENALTY = "《中华人民共和国行政处罚法》"
COERCION = "《中华人民共和国行政强制法》"
PETITION = "《信访工作条例》（2022）"
OGI = "《中华人民共和国政府信息公开条例》（2019）"
RECONSIDERATION = "《中华人民共和国行政复议法》（2023）"
LITIGATION = "《中华人民共和国行政诉讼法》"
CREDIT_REPAIR = "《信用修复管理办法》（国家发展和改革委员会，2026年4月1日起施行）"
NORMATIVE_37 = "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）"
NORMATIVE_115 = "《国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见》（国办发〔2018〕115号）"
BUSINESS_ENV = "《优化营商环境条例》"
MAJOR_DECISIONS = "《重大行政决策程序暂行条例》（国务院令第713号）"
# 国务院令第825号, signed 17 December 2025, published by Xinhua on 23 December 2025; its article on how soon a report is
# answered was not read here: the bureau's published reporting method sets the counts (local rules)
ENFORCEMENT_SUPERVISION = "《行政执法监督条例》（国务院令第825号，2025年12月公布）"
REPORTING_METHOD = format_lazy(_("the bureau's published reporting method under {}"), ENFORCEMENT_SUPERVISION)
POLICY_118 = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"

register(
    # 行政许可 (licensing)
    Rule("licensing.acceptance", _("Accept the application, or tell at once everything missing"), 5, "working_days",
         _("receipt of the application"), f"{LICENSING}第三十二条、第八十二条",
         note=_("A missed notice means the application was accepted on receipt (art. 32).")),
    Rule("licensing.decision", _("Decide on a licence"), 20, "working_days", _("acceptance of the application"),
         f"{LICENSING}第四十二条、第八十二条", sized_per_case=True,
         note=_("The catalogue item may set a shorter statutory period; hearings, expert review and "
                "inspection do not count (art. 45).")),
    Rule("licensing.decision_extension", _("Extend the licensing decision (head's approval, reason told)"), 10,
         "working_days", _("the end of the decision period"), f"{LICENSING}第四十二条"),
    Rule("licensing.service", _("Issue and serve the licence"), 10, "working_days", _("the decision to grant"),
         f"{LICENSING}第四十四条"),
    Rule("licensing.hearing_request", _("Ask for a licensing hearing"), 5, "working_days",
         _("notice of the right to a hearing"), f"{LICENSING}第四十七条、第八十二条", party=True),
    Rule("licensing.hearing_hold", _("Hold the licensing hearing"), 20, "working_days", _("the request for a hearing"),
         f"{LICENSING}第四十七条、第八十二条"),
    Rule("services.promised", _("The bureau's promised time limit"), 20, "working_days", _("acceptance of the application"),
         _("the service catalogue (承诺时限), set per item by the bureau"), local=True, sized_per_case=True),
    Rule("services.rating_fix", _("Put right what a negative rating found and visit the applicant again"), 5,
         "working_days", _("the negative rating"),
         _("the bureau's rule for 好差评 rectification"), local=True),
    Rule("services.false_commitment", _("Excluded from the commitment scheme after a false commitment"), 3, "years",
         _("the finding that the commitment was false"),
         _("the bureau's rules for 证明事项告知承诺制 (under 国办发〔2020〕42号, which sets no count)"),
         local=True, term=True),
    Rule("services.verification", _("Verify the commitments drawn in a month's sample"), 20, "working_days",
         _("the sample's draw"),
         _("the bureau's verification plan (国办发〔2020〕42号 leaves the timing to each department)"), local=True),
    Rule("services.visit_rating", _("Rate a counter visit with the receipt's code"), 7, "natural_days",
         _("the visit"), _("the bureau's rule for 一次一评 (the receipt says so)"), local=True, party=True),
    # 行政处罚 (penalties)
    Rule("penalty.statement", _("State a case and defend (陈述、申辩)"), 5, "working_days",
         _("service of the prior notice (事先告知书)"),
         _("the bureau's prior-notice template; the law gives the right (行政处罚法 arts. 44–45) but no count"),
         local=True, party=True),
    Rule("penalty.hearing_request", _("Ask for a penalty hearing"), 5, "working_days",
         _("notice of the right to a hearing"), f"{PENALTY}第六十四条、第八十五条", party=True),
    Rule("penalty.hearing_notice", _("Notify the hearing's time and place before it"), 7, "working_days",
         _("the notice of the hearing (the hearing is held no earlier than the period's end)"),
         f"{PENALTY}第六十四条、第八十五条"),
    Rule("penalty.decision", _("Decide the penalty case"), 90, "natural_days", _("filing the case (立案)"),
         f"{PENALTY}第六十条", note=_("A hearing pauses the count in this platform; other rules may extend it.")),
    Rule("penalty.decision_extension", _("Extend the 90 days to decide (once, the bureau's head approving)"), 30,
         "natural_days", _("the end of the 90 days"),
         _("the law, regulation or rule the case falls under (行政处罚法 art. 60 defers to them); the count is "
           "the most the district allows"), local=True, sized_per_case=True,
         note=_("Only where such a rule allows it: the approval names it.")),
    Rule("penalty.legal_review", _("Legal review of a major enforcement decision (法制审核)"), 10, "working_days",
         _("submission for legal review"),
         _("the bureau's rules for legal review of major enforcement decisions, under 国办发〔2018〕118号, which "
           "sets no count"), local=True),
    Rule("penalty.legal_review_extension", _("Extend the legal review (once)"), 3, "working_days",
         _("the end of the legal review period"), _("the bureau's rules for legal review"), local=True),
    Rule("penalty.service", _("Serve the decision on an absent party"), 7, "working_days", _("the decision"),
         f"{PENALTY}第六十一条、第八十五条"),
    Rule("penalty.payment", _("Pay the fine"), 15, "natural_days", _("receipt of the decision"), f"{PENALTY}第六十七条", party=True),
    Rule("penalty.reminder_wait", _("Wait after the reminder (催告) before applying to the court"), 10,
         "working_days", _("service of the reminder"), f"{COERCION}第五十四条、第六十九条", party=True),
    Rule("penalty.court_enforcement", _("Apply to the court for enforcement"), 3, "months",
         _("the end of the periods for reconsideration and lawsuit, the decision unperformed"),
         f"{COERCION}第五十三条"),
    Rule("penalty.limitation", _("Discover the act (limitation)"), 2, "years",
         _("the act, or its end when it continued"), f"{PENALTY}第三十六条",
         note=_("5 years where life, health or financial safety was harmed and there were consequences.")),
    Rule("penalty.limitation_harm", _("Discover the act (limitation, harm to life, health or financial safety)"), 5,
         "years", _("the act, or its end when it continued"), f"{PENALTY}第三十六条"),
    Rule("publication.penalty", _("Publish the penalty decision"), 7, "working_days", _("the decision"),
         POLICY_118, local=True, note=_("A policy of the State Council's General Office, not a statute.")),
    Rule("publication.licensing", _("Publish the licensing decision"), 7, "working_days", _("the decision"),
         POLICY_118, local=True, note=_("A policy of the State Council's General Office, not a statute.")),
    Rule("inspection.reinspection", _("Re-inspect after a rectification notice"), 5, "working_days",
         _("the notice's deadline"), _("the bureau's 双随机、一公开 inspection rules"), local=True),
    Rule("publication.inspection", _("Publish the inspection's result"), 20, "working_days",
         _("the end of the inspection"), _("the 双随机、一公开 rules the bureau applies"), local=True),
    # how long a published penalty stays up: the longest publication term of the credit-repair measures in
    # force (they replaced 《失信行为纠正后的信用信息修复管理办法（试行）》, 国家发展改革委令第58号, 2023);
    # the shortest terms (3 months, 1 year) are when the party may apply for credit repair
    Rule("publication.penalty_term", _("Keep a penalty decision published (general)"), 1, "years",
         _("the decision"), CREDIT_REPAIR, term=True,
         note=_("General dishonesty information: at least 3 months, at most 1 year; the article number is to be "
                "confirmed against the official text.")),
    Rule("publication.penalty_term_serious", _("Keep a penalty decision published (serious)"), 3, "years",
         _("the decision"), CREDIT_REPAIR, term=True,
         note=_("Serious dishonesty information (a permit revoked, a person barred from the trade): at least 1 year, "
                "at most 3 years.")),
    Rule("publication.inspection_term", _("Keep an inspection's result published"), 1, "years",
         _("publication of the result"),
         _("the 双随机、一公开 rules the bureau applies (a result is not dishonesty information; kept no longer "
           "than a general penalty)"), local=True, term=True),
    # 信访 (petitions) and the hotline
    Rule("petition.acceptance", _("Decide whether to accept the petition and tell the petitioner"), 15,
         "natural_days", _("receipt of the petition"), f"{PETITION}（受理告知）",
         note=_("Article number to be confirmed against the official text.")),
    Rule("petition.handling", _("Handle the petition"), 60, "natural_days", _("acceptance"),
         f"{PETITION}（办理期限）", note=_("Article number to be confirmed against the official text.")),
    Rule("petition.handling_extension", _("Extend the handling (approved, petitioner told)"), 30, "natural_days",
         _("the end of the handling period"), f"{PETITION}（办理期限）"),
    Rule("petition.review_request", _("Ask for a review (复查)"), 30, "natural_days",
         _("receipt of the written answer"), f"{PETITION}第三十五条", party=True),
    Rule("petition.review", _("Answer the review (复查)"), 30, "natural_days", _("receipt of the request"),
         f"{PETITION}第三十五条"),
    Rule("petition.recheck_request", _("Ask for a re-review (复核)"), 30, "natural_days",
         _("receipt of the review's answer"), f"{PETITION}第三十六条", party=True),
    Rule("petition.recheck", _("Answer the re-review (复核)"), 30, "natural_days", _("receipt of the request"),
         f"{PETITION}第三十六条"),
    Rule("complaint.finish", _("Finish a hotline complaint (3233)"), 3, "working_days", _("intake"),
         _("the bureau's 3233 work mode for the supervision hotline"), local=True),
    Rule("complaint.reopen", _("Reopen a closed hotline matter"), 15, "natural_days", _("the closing"),
         _("the supervision hotline's rules (the tracking page says so)"), local=True, party=True),
    Rule("workbench.escalation", _("Escalate an overdue matter to the supervision office (督办)"), 3, "working_days",
         _("the missed due date"), _("the bureau's rules for supervising deadlines (督查督办)"), local=True),
    Rule("complaint.return_visit", _("Call back a dissatisfied complainant (回访)"), 3, "working_days",
         _("the rating"), _("the supervision hotline's rules"), local=True),
    Rule("complaint.recontact", _("Re-contact the complainants of a month's sample"), 10, "working_days",
         _("the sample's draw"), _("the supervision hotline's rules"), local=True),
    # 政府信息公开 (disclosure on request)
    Rule("ogi.correction_notice", _("Ask once for what the request lacks"), 7, "working_days",
         _("receipt of the request"), f"{OGI}第三十条"),
    Rule("ogi.reply", _("Answer a disclosure request"), 20, "working_days", _("receipt of the request"),
         f"{OGI}第三十三条"),
    Rule("ogi.third_party", _("A third party's opinion on disclosure (not counted in the answer period)"), 15,
         "working_days", _("receipt of the request for its opinion"), f"{OGI}第三十二条、第三十三条", party=True),
    Rule("ogi.annual_report", _("Publish the yearly report on government information disclosure"), 1, "months",
         _("the end of the reported year"), f"{OGI}第四十九条",
         note=_("By 31 January of the following year, to the department in charge of disclosure and to the public.")),
    Rule("ogi.reply_extension", _("Extend the answer (approved, requester told)"), 20, "working_days",
         _("the end of the answer period"), f"{OGI}第三十三条"),
    # remedies against the bureau
    Rule("reconsideration.application", _("Apply for administrative reconsideration"), 60, "natural_days",
         _("knowing of the act"), f"{RECONSIDERATION}第二十条", party=True),
    Rule("reconsideration.answer", _("Answer the reconsideration application"), 10, "working_days",
         _("receipt of the application's copy"), f"{RECONSIDERATION}第四十八条、第八十八条"),
    Rule("reconsideration.answer_simplified", _("Answer the reconsideration application (simplified procedure)"),
         5, "working_days", _("receipt of the application's copy"), f"{RECONSIDERATION}第五十四条、第八十八条"),
    Rule("litigation.filing", _("File an administrative lawsuit"), 6, "months", _("knowing of the act"),
         f"{LITIGATION}第四十六条", party=True),
    Rule("litigation.defence", _("Submit the defence and the evidence"), 15, "natural_days",
         _("receipt of the complaint's copy"), f"{LITIGATION}第六十七条"),
    # the bureau's own rules of its other work
    Rule("enrollment.review", _("Review an enrollment application"), 3, "working_days", _("submission"),
         _("the intake's published policy"), local=True),
    Rule("enrollment.appeal_answer", _("Answer an enrollment appeal"), 5, "working_days", _("the appeal"),
         _("the intake's published policy"), local=True),
    Rule("enrollment.deferral_decision", _("Decide a deferral request"), 10, "working_days", _("the request"),
         _("the intake's published policy"), local=True),
    Rule("enrollment.placement_decision", _("Assess and decide a placement"), 15, "working_days", _("the request"),
         _("the intake's published policy"), local=True),
    Rule("schools.legal_vp_term", _("A legal vice-principal's term"), 3, "years", _("the start of the term"),
         "《中小学法治副校长聘任与管理办法》（教育部令第52号）", term=True,
         note=_("The measures set the term and allow renewal; the article number is to be confirmed against the "
                "official text.")),
    Rule("schools.legal_vp_hours", _("A legal vice-principal's class hours of the school year"), 12, "months",
         _("the day before the school year begins (31 August)"),
         "《中小学法治副校长聘任与管理办法》（教育部令第52号）",
         note=_("At least 4 class hours each school year; the bureau follows up from March those still short, "
                "due by the school year's end. The article number is to be confirmed against the official text.")),
    # reports of enforcement misconduct (行政执法监督举报, issue 32)
    Rule("misconduct_report.acceptance", _("Decide whether to accept a report of enforcement misconduct"), 5,
         "working_days", _("receipt of the report"),
         REPORTING_METHOD, local=True,
         note=_("The statute's own time limit, if it sets one, is to be confirmed against the official text.")),
    Rule("misconduct_report.result", _("Tell the reporter the result of a misconduct report"), 30, "natural_days",
         _("acceptance of the report"), REPORTING_METHOD,
         local=True, note=_("The reporter is told the result (向举报人反馈处理结果); a report forwarded to the "
                            "enforcement supervision body is answered when its result comes back.")),
    Rule("oversight.rectification", _("Rectify a patrol finding"), 5, "working_days", _("the patrol"),
         _("the bureau's online patrol rules"), local=True),
    Rule("risk.ledger", _("File a school's monthly risk and dispute ledger"), 1, "months",
         _("the first day of the month"),
         _("the bureau's screening arrangement (风险隐患和矛盾纠纷排查): a ledger each month"), local=True,
         note=_("Due on the month's last day (moved to the next working day); the bureau chases from then.")),
    # legality review (issue 28): normative documents, major administrative decisions, the legal adviser, contracts
    Rule("normative_docs.comment_period", _("Public comment on a draft normative document (at least)"), 7,
         "working_days", _("publication of the draft for comment"), f"{NORMATIVE_37}（公开征求意见）", party=True,
         note=_("The public's time, a least: the draft goes to legality review only after it. "
                "The section is cited as the notice words it; it has no articles.")),
    Rule("normative_docs.comment_period_market", _("Public comment on a draft closely related to businesses' "
                                                   "operations (at least)"), 30, "natural_days",
         _("publication of the draft for comment"), f"{BUSINESS_ENV}第六十二条", party=True,
         note=_("Documents closely related to market players' production and operation; the article number is to "
                "be confirmed against the official text.")),
    Rule("normative_docs.legality_review", _("Legality review of a normative document (合法性审核)"), 15,
         "working_days", _("submission for legality review"), f"{NORMATIVE_115}（审核时限）", local=True,
         note=_("The guideline: generally no less than 5 and no more than 15 working days; a policy of the State "
                "Council's General Office, not a statute.")),
    Rule("normative_docs.filing", _("File a normative document with the district government (备案)"), 30,
         "natural_days", _("publication of the document"),
         _("the municipality's rules on normative documents (the count differs between places: 15 or 30 days "
           "from publication); set per district"), local=True,
         note=_("The demo district files within 30 days; a district whose rules say 15 sets 15 in its legal "
                "settings.")),
    Rule("major_decisions.comment_period", _("Public comment on a draft major administrative decision (at least)"),
         30, "natural_days", _("publication of the draft for comment"), f"{MAJOR_DECISIONS}第十五条", party=True,
         note=_("Shorter only when urgent, with the reason stated (art. 15); departments follow the regulation "
                "by reference (art. 44).")),
    Rule("major_decisions.legality_review", _("Legality review of a major decision (time kept for it)"), 7,
         "working_days", _("submission for legality review"), f"{MAJOR_DECISIONS}第二十七条",
         note=_("The regulation keeps at least 7 working days for the review: the draft is discussed after the "
                "review, never without it (art. 25).")),
    Rule("legal_adviser.opinion", _("The legal adviser's written opinion"), 5, "working_days", _("the request"),
         _("the bureau's legal adviser rules and the advisers' engagement terms"), local=True),
    Rule("contracts.legality_review", _("Legality review of a contract before signing"), 5, "working_days",
         _("submission of the contract text"), _("the bureau's contract management rules"), local=True),
    Rule("report.submission", _("Submit the yearly rule-of-law report to the district's Party committee and "
                                "government and to the department above"), 2, "months",
         _("the end of the reported year"), "《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）第二十四条",
         note=_("Before 1 March of the following year: the last day of February, a fixed day, not moved when it is "
                "a rest day. The article "
                "numbers of this rule and of publication are to be confirmed against the official text (one "
                "district's disclosure catalogue numbers the publication article 24).")),
    Rule("report.publication", _("Publish the yearly rule-of-law report"), 3, "months", _("the end of the reported year"),
         "《法治政府建设与责任落实督察工作规定》第二十五条",
         note=_("Before 1 April of the following year: 31 March, a fixed day, not moved when it is a rest day.")),
)
