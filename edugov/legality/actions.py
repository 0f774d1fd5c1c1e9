"""Every write of legality review, one action per act, each through the case engine's one
transition function where it moves a case, each with its ledger entry.

What the law forbids is refused here, whatever page, API or job calls: a normative document is not
sent to review before its comment period has ended and every comment is answered, nor issued without
a passed legality review and a collective discussion; a major decision is not decided without a
passed review and the leadership meeting; a contract is not signed without a passed review and the
signed copy; an adviser's opinion is asked of an adviser whose term covers the day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.accounts.selectors import own_unit, rule_of
from edugov.audit.ledger import record
from edugov.cases.actions import case_attach, case_open, case_transition
from edugov.cases.models import Case
from edugov.kernel import ledger_port, numbering, publishing
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.validators import not_after, required_text

from .models import (
    Adoption,
    Adviser,
    AdviserKind,
    Catalogue,
    Cleanup,
    Contract,
    DocStatus,
    MajorDecision,
    NormativeDocument,
    Opinion,
    PublicComment,
    SubjectKind,
)
from .permissions import can_keep_advisers, can_publish_catalogue, can_work_on_legality

# What this module's own entries record (case steps declare theirs in workflow.py).
ledger_port.declare("legality", ("name", "kind", "term_start", "term_end", "year", "published_on", "done_on",
                                 "kept", "to_amend", "repealed"))


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _day(at: dt.datetime | None) -> dt.date:
    return timezone.localdate(_now(at))


def _check(actor: User | None, org: Organisation) -> None:
    if actor is not None and not can_work_on_legality(actor, org):
        raise PermissionDenied(_("Legality review is the work of the bureau's departments and legal office."))


# ---- legal advisers and their opinions -----------------------------------------------------------

@transaction.atomic
def adviser_add(*, actor: User | None, organisation: Organisation, name: str, kind: str, firm: str,
                term_start: dt.date, term_end: dt.date, scope: str = "") -> Adviser:
    if actor is not None and not can_keep_advisers(actor, organisation):
        raise PermissionDenied(_("The legal office keeps the list of legal advisers."))
    name = required_text(name, "name", _("Please give the adviser's name."))
    if kind not in AdviserKind.values:
        raise ValidationFailed(_("Choose whether the adviser is on the staff or a retained firm."), field="kind")
    if kind == AdviserKind.FIRM and not (firm or "").strip():
        raise ValidationFailed(_("Please give the law firm retained."), field="firm")
    if term_end < term_start:
        raise ValidationFailed(_("The term ends after it starts."), field="term_end")
    adviser = Adviser.objects.create(organisation=organisation, name=name[:60], kind=kind, firm=(firm or "").strip()[:120],
                                     term_start=term_start, term_end=term_end, scope=(scope or "").strip()[:300],
                                     created_by=actor)
    record(actor=actor, action="legality.add", target=adviser, organisation=organisation,
           after={"name": adviser.name, "kind": kind, "term_start": term_start, "term_end": term_end})
    return adviser


@transaction.atomic
def opinion_ask(*, actor: User | None, organisation: Organisation, adviser: Adviser, subject_kind: str, question: str,
                subject: Case | None = None, at: dt.datetime | None = None) -> Opinion:
    """Ask the adviser for a written opinion (on a decision, a document, a contract, an enforcement
    decision or a dispute); the answer is due by the rule `legal_adviser.opinion`."""
    _check(actor, organisation)
    today = _day(at)
    if adviser.organisation_id != organisation.pk or not adviser.serving_on(today):
        raise ValidationFailed(_("%(name)s's engagement does not cover %(day)s; ask an adviser whose term does.")
                               % {"name": adviser, "day": today.isoformat()}, field="adviser")
    if subject_kind not in SubjectKind.values:
        raise ValidationFailed(_("Choose what the opinion is about."), field="subject_kind")
    question = required_text(question, "question", _("Please write the question for the adviser."))
    if subject is not None and not subject.organisation.path.startswith(organisation.path):
        raise ValidationFailed(_("That matter is not the bureau's."), field="subject")
    case = case_open(actor=actor, kind="legal_opinion", organisation=organisation, title=question[:120],
                     department=own_unit(actor, organisation), at=at)
    opinion = Opinion.objects.create(case=case, organisation=organisation, adviser=adviser, subject_kind=subject_kind,
                                     subject=subject, question=question, asked_on=today)
    record(actor=actor, action="legal_opinion.record", target=case, organisation=organisation, at=_now(at),
           after={"adviser": str(adviser), "subject_kind": subject_kind,
                  "subject": subject.reference if subject else None})
    return opinion


@transaction.atomic
def opinion_answer(*, actor: User | None, opinion: Opinion, answer: str, answered_on: dt.date | None = None,
                   at: dt.datetime | None = None, expected_version: int | None = None) -> Opinion:
    """The legal office records the adviser's written answer (the date on it)."""
    answer = required_text(answer, "answer", _("Please write the adviser's answer."))
    day = answered_on or _day(at)
    not_after(day, _day(at), "answered_on")
    if day < opinion.asked_on:
        raise ValidationFailed(_("The answer is dated on or after the request."), field="answered_on")
    case_transition(actor=actor, case=opinion.case, transition="answer", data={"answer": answer[:2000]}, at=at,
                    expected_version=expected_version)
    opinion.answer, opinion.answered_on = answer, day
    opinion.save(update_fields=["answer", "answered_on"])
    return opinion


@transaction.atomic
def opinion_conclude(*, actor: User | None, opinion: Opinion, followed: bool, note: str,
                     at: dt.datetime | None = None, expected_version: int | None = None) -> Opinion:
    """Whether the bureau followed the opinion, and how (or why not): what the share followed counts."""
    note = required_text(note, "note", _("Please say how the opinion was followed, or why it was not."))
    case_transition(actor=actor, case=opinion.case, transition="conclude", data={"followed": bool(followed),
                                                                                 "note": note[:300]},
                    at=at, expected_version=expected_version)
    opinion.followed, opinion.follow_note = bool(followed), note[:300]
    opinion.save(update_fields=["followed", "follow_note"])
    return opinion


# ---- public comments (normative documents and major decisions) -----------------------------------

@transaction.atomic
def comment_add(*, actor: User | None, case: Case, received_on: dt.date, text: str,
                at: dt.datetime | None = None) -> PublicComment:
    """An opinion received while the draft was open for comment (web, letter, meeting)."""
    _check(actor, case.organisation)
    if case.kind not in ("normative_doc", "major_decision"):
        raise ValidationFailed(_("Only a draft open for comment receives public comments."))
    draft = _draft(case)
    opened = draft.comment_opened_on
    if opened is None:
        raise ValidationFailed(_("The draft has not been published for comment."))
    not_after(received_on, _day(at), "received_on")
    if received_on < opened:
        raise ValidationFailed(_("The comment period opened on %(day)s; a comment is received on or after it.")
                               % {"day": opened.isoformat()}, field="received_on")
    text = required_text(text, "text", _("Please write the opinion received."))
    comment = PublicComment.objects.create(case=case, received_on=received_on, text=text[:2000])
    record(actor=actor, action=f"{case.kind}.comment_add", target=case, organisation=case.organisation, at=_now(at),
           after={"comment": comment.pk, "received_on": received_on})
    return comment


@transaction.atomic
def comment_answer(*, actor: User | None, comment: PublicComment, adoption: str, answer: str,
                   at: dt.datetime | None = None) -> PublicComment:
    """Whether the opinion was adopted and why: published with the comment."""
    case = comment.case
    _check(actor, case.organisation)
    if adoption not in Adoption.values:
        raise ValidationFailed(_("Choose whether the opinion was adopted."), field="adoption")
    answer = required_text(answer, "answer", _("Please write the answer to the opinion: what was adopted, or why not."))
    locked = PublicComment.objects.select_for_update().get(pk=comment.pk)
    if locked.answered_on is not None:
        raise Conflict(_("This comment has already been answered; please reload the page."))
    locked.adoption, locked.answer, locked.answered_on = adoption, answer[:2000], _day(at)
    locked.save(update_fields=["adoption", "answer", "answered_on"])
    record(actor=actor, action=f"{case.kind}.comment_answer", target=case, organisation=case.organisation,
           at=_now(at), after={"comment": locked.pk, "adoption": adoption})
    return locked


def _draft(case: Case) -> NormativeDocument | MajorDecision:
    return case.normative_document if case.kind == "normative_doc" else case.major_decision


def _comment_period_over(case: Case, today: dt.date) -> None:
    """The comment period has ended (its clock's last day is past) and every comment is answered."""
    clock = case.clocks.filter(name="comment").first()
    if clock is None:
        raise ValidationFailed(_("Publish the draft for public comment first."))
    if clock.due_on >= today:
        raise ValidationFailed(_("The public may comment until %(day)s (%(basis)s); submit it after that day.")
                               % {"day": clock.due_on.isoformat(), "basis": clock.label})
    unanswered = PublicComment.objects.filter(case=case, answered_on__isnull=True).count()
    if unanswered:
        raise ValidationFailed(_("%(n)d public comments are not answered yet: answer each (adopted or not, and why) "
                                 "first.") % {"n": unanswered})


# ---- normative documents --------------------------------------------------------------------------

@transaction.atomic
def normative_draft(*, actor: User | None, organisation: Organisation, title: str, summary: str, body: str,
                    market_related: bool = False, department: Organisation | None = None,
                    replaces: NormativeDocument | None = None, at: dt.datetime | None = None) -> NormativeDocument:
    """Start a normative document (or a new version of one in force)."""
    _check(actor, organisation)
    title = required_text(title, "title", _("Please give the document's title."))
    summary = required_text(summary, "summary", _("Please say what the document is for and what it provides."))
    body = required_text(body, "body", _("Please give the draft's text."))
    if replaces is not None and (replaces.organisation_id != organisation.pk or replaces.status != DocStatus.IN_FORCE):
        raise ValidationFailed(_("Only a document of the bureau in force can be replaced by a new version."),
                               field="replaces")
    case = case_open(actor=actor, kind="normative_doc", organisation=organisation, title=title[:200],
                     department=department or own_unit(actor, organisation), at=at)
    doc = NormativeDocument.objects.create(case=case, organisation=organisation, title=title[:200], summary=summary,
                                           body=body, market_related=market_related, replaces=replaces)
    record(actor=actor, action="normative_doc.draft", target=case, organisation=organisation, at=_now(at),
           after={"market_related": market_related, "replaces": replaces.number if replaces else None})
    return doc


@transaction.atomic
def normative_consult(*, actor: User | None, doc: NormativeDocument, channel: str, at: dt.datetime | None = None,
                      expected_version: int | None = None) -> NormativeDocument:
    """Publish the draft for public comment: 7 working days at least, 30 days for a document closely
    related to businesses' operations (the rules normative_docs.comment_period[_market])."""
    channel = required_text(channel, "channel", _("Please say where the draft is published and how to comment."))
    rule_id = "normative_docs.comment_period_market" if doc.market_related else "normative_docs.comment_period"
    rule = rule_of(doc.organisation, rule_id)
    today = _day(at)
    closes = rule.deadline(today).date
    case_transition(actor=actor, case=doc.case, transition="consult", at=at, expected_version=expected_version,
                    data={"channel_text": channel[:200], "closes_on": closes.isoformat()},
                    amounts={"comment": closes})
    doc.comment_channel, doc.comment_opened_on = channel[:200], today
    doc.save(update_fields=["comment_channel", "comment_opened_on"])
    return doc


@transaction.atomic
def normative_submit_review(*, actor: User | None, doc: NormativeDocument, fair_competition: str = "",
                            at: dt.datetime | None = None, expected_version: int | None = None) -> NormativeDocument:
    """To the legal office once the public has been heard; a document touching businesses' operations
    carries its fair-competition review (the drafting unit's own review, before the legality review)."""
    today = _day(at)
    if doc.case.state == "consultation" or doc.comment_closed_on is None:
        _comment_period_over(doc.case, today)
    if doc.market_related and not (fair_competition or doc.fair_competition).strip():
        raise ValidationFailed(_("A document that concerns businesses' operations needs its fair-competition review "
                                 "(公平竞争审查) before the legality review: say what was checked and the conclusion."),
                               field="fair_competition")
    case_transition(actor=actor, case=doc.case, transition="submit_review", at=at, expected_version=expected_version,
                    data={"fair_competition": (fair_competition or "").strip()[:2000] or None})
    if doc.comment_closed_on is None:
        doc.comment_closed_on = today
    if fair_competition.strip():
        doc.fair_competition = fair_competition.strip()
    doc.save(update_fields=["comment_closed_on", "fair_competition"])
    return doc


def _review(actor: User | None, record_: NormativeDocument | MajorDecision | Contract, passed: bool, opinion: str,
            at: dt.datetime | None, expected_version: int | None) -> None:
    opinion = required_text(opinion, "opinion", _("Please write the review's opinion: what was checked, and the conclusion."))
    case_transition(actor=actor, case=record_.case, transition="review_pass" if passed else "review_return", at=at,
                    expected_version=expected_version, data={"opinion": opinion[:2000], "passed": bool(passed)})
    record_.review_opinion, record_.review_passed, record_.reviewed_on = opinion, bool(passed), _day(at)
    record_.save(update_fields=["review_opinion", "review_passed", "reviewed_on"])


@transaction.atomic
def normative_review(*, actor: User | None, doc: NormativeDocument, passed: bool, opinion: str,
                     at: dt.datetime | None = None, expected_version: int | None = None) -> NormativeDocument:
    """The legality review's written opinion (合法性审核意见): lawful, or returned for revision."""
    _review(actor, doc, passed, opinion, at, expected_version)
    return doc


@transaction.atomic
def normative_discuss(*, actor: User | None, doc: NormativeDocument, meeting: str, discussed_on: dt.date,
                      at: dt.datetime | None = None, expected_version: int | None = None) -> NormativeDocument:
    """The collective discussion (集体审议) of the reviewed draft: the meeting and its day."""
    if not doc.review_passed:
        raise ValidationFailed(_("A normative document is discussed after its legality review has passed."))
    meeting = required_text(meeting, "meeting", _("Please name the meeting that discussed it (集体审议)."))
    not_after(discussed_on, _day(at), "discussed_on")
    if doc.reviewed_on and discussed_on < doc.reviewed_on:
        raise ValidationFailed(_("The discussion comes after the review (%(day)s).")
                               % {"day": doc.reviewed_on.isoformat()}, field="discussed_on")
    case_transition(actor=actor, case=doc.case, transition="discuss", at=at, expected_version=expected_version,
                    data={"meeting": meeting[:200], "discussed_on": discussed_on.isoformat()})
    doc.meeting, doc.discussed_on = meeting[:200], discussed_on
    doc.save(update_fields=["meeting", "discussed_on"])
    return doc


def document_number(organisation: Organisation, year: int) -> str:
    """统一编号: the bureau's own series of normative documents, 江教规〔2024〕1号."""
    n = numbering.next_number("normative_doc", organisation, year)
    prefix = organisation.case_prefix or organisation.code
    return f"{prefix}规〔{year}〕{n}号"


@transaction.atomic
def normative_issue(*, actor: User | None, doc: NormativeDocument, effective_on: dt.date,
                    at: dt.datetime | None = None, expected_version: int | None = None,
                    confirmed: bool = True) -> NormativeDocument:
    """统一登记、统一编号、统一印发: signed, numbered from the bureau's series and published the same
    day; the filing clock starts. Refused without a passed legality review and a collective discussion."""
    if not doc.review_passed:
        raise ValidationFailed(_("A normative document cannot be published without a passed legality review."))
    if not doc.meeting or doc.discussed_on is None:
        raise ValidationFailed(_("A normative document cannot be published without its collective discussion."))
    if not confirmed:
        raise ValidationFailed(_("Please tick the confirmation box for “%(step)s”.") % {"step": _("Sign, number and publish")})
    today = _day(at)
    if effective_on < today:
        raise ValidationFailed(_("A document takes effect on or after the day it is published."), field="effective_on")
    number = document_number(doc.organisation, today.year)
    case_transition(actor=actor, case=doc.case, transition="issue", at=at, expected_version=expected_version,
                    data={"number": number, "effective_on": effective_on.isoformat()})
    doc.number, doc.issued_on, doc.effective_on, doc.status = number, today, effective_on, DocStatus.IN_FORCE
    doc.save(update_fields=["number", "issued_on", "effective_on", "status"])
    publishing.announce(organisation=doc.organisation, title=f"{doc.title}（{number}）", category="规范性文件",
                        published_on=today)
    old = doc.replaces
    if old is not None and old.status == DocStatus.IN_FORCE:
        _end(actor, old, DocStatus.AMENDED, today, _("Replaced by %(number)s.") % {"number": number}, at)
    return doc


@transaction.atomic
def normative_file(*, actor: User | None, doc: NormativeDocument, filed_on: dt.date, filing_body: str,
                   at: dt.datetime | None = None, expected_version: int | None = None) -> NormativeDocument:
    """备案: the day the document was filed with the district government and with whom."""
    filing_body = required_text(filing_body, "filing_body", _("Please name the body it was filed with."))
    not_after(filed_on, _day(at), "filed_on")
    if doc.issued_on and filed_on < doc.issued_on:
        raise ValidationFailed(_("A document is filed after it is published (%(day)s).")
                               % {"day": doc.issued_on.isoformat()}, field="filed_on")
    case_transition(actor=actor, case=doc.case, transition="file", at=at, expected_version=expected_version,
                    data={"filed_on": filed_on.isoformat(), "filing_body": filing_body[:120]})
    doc.filed_on, doc.filing_body = filed_on, filing_body[:120]
    doc.save(update_fields=["filed_on", "filing_body"])
    return doc


def _end(actor: User | None, doc: NormativeDocument, status: str, on: dt.date, note: str,
         at: dt.datetime | None) -> None:
    doc.status, doc.ended_on, doc.end_note, doc.to_amend = status, on, note[:300], False
    doc.save(update_fields=["status", "ended_on", "end_note", "to_amend"])
    record(actor=actor, action="normative_doc.repeal" if status == DocStatus.REPEALED else "normative_doc.amend",
           target=doc.case, organisation=doc.organisation, at=_now(at), after={"number": doc.number, "note": note[:300]})


@transaction.atomic
def cleanup(*, actor: User | None, organisation: Organisation, note: str, outcomes: Mapping[int, str],
            reasons: Mapping[int, str] | None = None, at: dt.datetime | None = None) -> Cleanup:
    """A clean-up (清理) of every document in force: each kept, marked for amendment or repealed (with
    the reason). A document left out is refused: the published list must account for all of them."""
    if actor is not None and not can_keep_advisers(actor, organisation):
        raise PermissionDenied(_("The legal office runs the clean-up of normative documents."))
    note = required_text(note, "note", _("Please give the clean-up's basis and scope."))
    in_force = {d.pk: d for d in NormativeDocument.objects.select_for_update().filter(
        organisation=organisation, status=DocStatus.IN_FORCE)}
    if not in_force:
        raise ValidationFailed(_("The bureau has no normative document in force to clean up."))
    missing = [d for pk, d in in_force.items() if outcomes.get(pk) not in ("keep", "amend", "repeal")]
    if missing:
        raise ValidationFailed(_("Decide on every document in force: %(titles)s.")
                               % {"titles": "、".join(str(d) for d in missing[:5])})
    reasons = reasons or {}
    today = _day(at)
    counts = {"keep": 0, "amend": 0, "repeal": 0}
    for pk, doc in in_force.items():
        outcome = outcomes[pk]
        counts[outcome] += 1
        if outcome == "repeal":
            why = (reasons.get(pk) or "").strip()
            if not why:
                raise ValidationFailed(_("Please give the reason %(title)s is repealed.") % {"title": doc})
            _end(actor, doc, DocStatus.REPEALED, today, why, at)
        elif outcome == "amend" and not doc.to_amend:
            doc.to_amend = True
            doc.save(update_fields=["to_amend"])
    done = Cleanup.objects.create(organisation=organisation, done_on=today, note=note[:300], kept=counts["keep"],
                                  to_amend=counts["amend"], repealed=counts["repeal"], by=actor)
    record(actor=actor, action="legality.cleanup", target=done, organisation=organisation, at=_now(at),
           after={"done_on": today, "kept": counts["keep"], "to_amend": counts["amend"],
                  "repealed": counts["repeal"]})
    return done


# ---- major administrative decisions ---------------------------------------------------------------

@transaction.atomic
def decision_catalogue(*, actor: User | None, organisation: Organisation, year: int, title: str, description: str,
                       department: Organisation | None = None, at: dt.datetime | None = None) -> MajorDecision:
    """Put a decision into the year's catalogue (重大行政决策事项目录)."""
    _check(actor, organisation)
    title = required_text(title, "title", _("Please name the decision."))
    description = required_text(description, "description", _("Please say what is to be decided and why."))
    if Catalogue.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationFailed(_("The %(year)d catalogue is published; a matter added now goes into next year's, or "
                               "the catalogue is adjusted by the leadership first.") % {"year": year}, field="year")
    case = case_open(actor=actor, kind="major_decision", organisation=organisation, title=title[:200],
                     department=department or own_unit(actor, organisation), at=at)
    decision = MajorDecision.objects.create(case=case, organisation=organisation, year=year, title=title[:200],
                                            description=description)
    record(actor=actor, action="major_decision.record", target=case, organisation=organisation, at=_now(at),
           after={"year": year})
    return decision


@transaction.atomic
def catalogue_publish(*, actor: User | None, organisation: Organisation, year: int,
                      at: dt.datetime | None = None) -> Catalogue:
    """Publish the year's catalogue (art. 3: after the Party committee at the same level agrees)."""
    if actor is not None and not can_publish_catalogue(actor, organisation):
        raise PermissionDenied(_("The bureau's leadership publishes the catalogue of major decisions."))
    if not MajorDecision.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationFailed(_("The %(year)d catalogue has no decision in it yet.") % {"year": year})
    if Catalogue.objects.filter(organisation=organisation, year=year).exists():
        raise Conflict(_("The %(year)d catalogue is already published.") % {"year": year})
    catalogue = Catalogue.objects.create(organisation=organisation, year=year, published_on=_day(at), by=actor)
    publishing.announce(organisation=organisation, title=f"{year}年重大行政决策事项目录", category="重大行政决策",
                        published_on=catalogue.published_on)
    record(actor=actor, action="legality.publish", target=catalogue, organisation=organisation, at=_now(at),
           after={"year": year, "published_on": catalogue.published_on})
    return catalogue


@transaction.atomic
def decision_consult(*, actor: User | None, decision: MajorDecision, channel: str, at: dt.datetime | None = None,
                     expected_version: int | None = None) -> MajorDecision:
    """Publish the draft for public participation: 30 days at least (条例 art. 15)."""
    channel = required_text(channel, "channel", _("Please say where the draft is published and how to comment."))
    today = _day(at)
    closes = rule_of(decision.organisation, "major_decisions.comment_period").deadline(today).date
    case_transition(actor=actor, case=decision.case, transition="consult", at=at, expected_version=expected_version,
                    data={"channel_text": channel[:200], "closes_on": closes.isoformat()})
    decision.comment_channel, decision.comment_opened_on = channel[:200], today
    decision.save(update_fields=["comment_channel", "comment_opened_on"])
    return decision


@transaction.atomic
def decision_close_consultation(*, actor: User | None, decision: MajorDecision, participation: str,
                                at: dt.datetime | None = None, expected_version: int | None = None) -> MajorDecision:
    """After the period: what the public said and what was adopted (the comments answered one by one)."""
    _comment_period_over(decision.case, _day(at))
    participation = required_text(participation, "participation",
                          _("Please report on the public participation: what was heard and what was adopted."))
    case_transition(actor=actor, case=decision.case, transition="close_consultation", at=at,
                    expected_version=expected_version, data={"participation": participation[:2000]})
    decision.participation = participation
    decision.save(update_fields=["participation"])
    return decision


@transaction.atomic
def decision_assess(*, actor: User | None, decision: MajorDecision, expert_argument: str, risk_assessment: str,
                    at: dt.datetime | None = None, expected_version: int | None = None) -> MajorDecision:
    """The expert argument (arts. 19–21) and the risk assessment (arts. 22–24), or why the matter needs
    neither: both are written down."""
    expert_argument = required_text(expert_argument, "expert_argument",
                            _("Please record the expert argument, or why the matter needs none (art. 19)."))
    risk_assessment = required_text(risk_assessment, "risk_assessment",
                            _("Please record the risk assessment, or why the matter needs none (art. 22)."))
    case_transition(actor=actor, case=decision.case, transition="assess", at=at, expected_version=expected_version,
                    data={"expert_argument": expert_argument[:2000], "risk_assessment": risk_assessment[:2000]})
    decision.expert_argument, decision.risk_assessment = expert_argument, risk_assessment
    decision.save(update_fields=["expert_argument", "risk_assessment"])
    return decision


@transaction.atomic
def decision_submit_review(*, actor: User | None, decision: MajorDecision, at: dt.datetime | None = None,
                           expected_version: int | None = None) -> MajorDecision:
    case_transition(actor=actor, case=decision.case, transition="submit_review", at=at,
                    expected_version=expected_version)
    return decision


@transaction.atomic
def decision_review(*, actor: User | None, decision: MajorDecision, passed: bool, opinion: str,
                    at: dt.datetime | None = None, expected_version: int | None = None) -> MajorDecision:
    _review(actor, decision, passed, opinion, at, expected_version)
    return decision


@transaction.atomic
def decision_decide(*, actor: User | None, decision: MajorDecision, meeting: str, decided_on: dt.date, text: str,
                    at: dt.datetime | None = None, expected_version: int | None = None) -> MajorDecision:
    """Decided by collective discussion at the leadership meeting (art. 30): the meeting, its day and
    what it decided. Refused without a passed legality review (art. 25)."""
    if not decision.review_passed:
        raise ValidationFailed(_("A major decision is not discussed before its legality review has passed "
                                 "(重大行政决策程序暂行条例 art. 25)."))
    meeting = required_text(meeting, "meeting", _("A major decision is made by collective discussion: name the leadership "
                                          "meeting that discussed it (art. 30)."))
    text = required_text(text, "text", _("Please record what the meeting decided."))
    not_after(decided_on, _day(at), "decided_on")
    if decision.reviewed_on and decided_on < decision.reviewed_on:
        raise ValidationFailed(_("The meeting comes after the review (%(day)s).")
                               % {"day": decision.reviewed_on.isoformat()}, field="decided_on")
    case_transition(actor=actor, case=decision.case, transition="decide", at=at, expected_version=expected_version,
                    data={"meeting": meeting[:200], "decided_on": decided_on.isoformat(), "decision": text[:2000]})
    decision.meeting, decision.decided_on, decision.decision = meeting[:200], decided_on, text
    decision.save(update_fields=["meeting", "decided_on", "decision"])
    return decision


@transaction.atomic
def decision_publish(*, actor: User | None, decision: MajorDecision, at: dt.datetime | None = None,
                     expected_version: int | None = None) -> MajorDecision:
    """Published (art. 32); the day is the act's."""
    today = _day(at)
    case_transition(actor=actor, case=decision.case, transition="publish", at=at, expected_version=expected_version,
                    data={"published_on": today.isoformat()})
    decision.published_on = today
    decision.save(update_fields=["published_on"])
    publishing.announce(organisation=decision.organisation, title=decision.title, category="重大行政决策",
                        published_on=today)
    return decision


@transaction.atomic
def decision_evaluate(*, actor: User | None, decision: MajorDecision, evaluation: str,
                      at: dt.datetime | None = None) -> MajorDecision:
    """The post-decision evaluation (art. 36), after publication."""
    _check(actor, decision.organisation)
    if decision.published_on is None:
        raise ValidationFailed(_("A decision is evaluated after it is published and carried out."))
    evaluation = required_text(evaluation, "evaluation", _("Please write the evaluation's findings."))
    decision.evaluation, decision.evaluated_on = evaluation, _day(at)
    decision.save(update_fields=["evaluation", "evaluated_on"])
    record(actor=actor, action="major_decision.evaluate", target=decision.case, organisation=decision.organisation,
           at=_now(at), after={"evaluation": evaluation[:2000]})
    return decision


# ---- contracts -------------------------------------------------------------------------------------

@transaction.atomic
def contract_draft(*, actor: User | None, organisation: Organisation, title: str, counterparty: str,
                   amount: Decimal | None, department: Organisation | None = None,
                   at: dt.datetime | None = None) -> Contract:
    _check(actor, organisation)
    title = required_text(title, "title", _("Please name the contract."))
    counterparty = required_text(counterparty, "counterparty", _("Please name the other party."))
    if amount is not None and amount < 0:
        raise ValidationFailed(_("The amount is a sum of money of 0 or more."), field="amount")
    case = case_open(actor=actor, kind="contract", organisation=organisation, title=title[:200],
                     department=department or own_unit(actor, organisation), at=at)
    contract = Contract.objects.create(case=case, organisation=organisation, title=title[:200],
                                       counterparty=counterparty[:120], amount=amount)
    record(actor=actor, action="contract.draft", target=case, organisation=organisation, at=_now(at),
           after={"counterparty": contract.counterparty, "amount": str(amount) if amount is not None else None})
    return contract


@transaction.atomic
def contract_submit_review(*, actor: User | None, contract: Contract, text: UploadedFile,
                           at: dt.datetime | None = None, expected_version: int | None = None) -> Contract:
    """The text to be signed goes to the legal office with the request (its SHA-256 in the ledger)."""
    case_transition(actor=actor, case=contract.case, transition="submit_review", at=at,
                    expected_version=expected_version)
    contract.text = case_attach(actor=actor, case=contract.case, upload=text, at=at, check_access=False)
    contract.save(update_fields=["text"])
    return contract


@transaction.atomic
def contract_review(*, actor: User | None, contract: Contract, passed: bool, opinion: str,
                    at: dt.datetime | None = None, expected_version: int | None = None) -> Contract:
    _review(actor, contract, passed, opinion, at, expected_version)
    return contract


@transaction.atomic
def contract_sign(*, actor: User | None, contract: Contract, signed_on: dt.date, signed_copy: UploadedFile,
                  at: dt.datetime | None = None, expected_version: int | None = None) -> Contract:
    """The signing, with the signed copy. Refused without a passed legality review of the text."""
    if not contract.review_passed or contract.text_id is None:
        raise ValidationFailed(_("A contract is signed only after its legality review has passed."))
    not_after(signed_on, _day(at), "signed_on")
    if contract.reviewed_on and signed_on < contract.reviewed_on:
        raise ValidationFailed(_("The contract is signed after its review (%(day)s).")
                               % {"day": contract.reviewed_on.isoformat()}, field="signed_on")
    case_transition(actor=actor, case=contract.case, transition="sign", at=at, expected_version=expected_version,
                    data={"signed_on": signed_on.isoformat()})
    contract.signed_copy = case_attach(actor=actor, case=contract.case, upload=signed_copy, at=at, check_access=False)
    contract.signed_on = signed_on
    contract.save(update_fields=["signed_copy", "signed_on"])
    return contract


@transaction.atomic
def withdraw(*, actor: User | None, case: Case, reason: str, at: dt.datetime | None = None,
             expected_version: int | None = None) -> Case:
    """A draft, a catalogued decision or a contract given up, with the reason."""
    reason = required_text(reason, "reason", _("Please give the reason."))
    case = case_transition(actor=actor, case=case, transition="withdraw", at=at, expected_version=expected_version,
                           data={"reason": reason[:300]})
    if case.kind == "normative_doc":
        NormativeDocument.objects.filter(case=case).update(status=DocStatus.WITHDRAWN)
    return case
