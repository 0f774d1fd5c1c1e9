"""The yearly report on government information disclosure (政府信息公开工作年度报告, 政府信息公开条例
art. 49: by 31 January), generated from the records in the national template's shape: proactive
disclosure counted by the metric registry (documents issued, repealed and in force; licensing
decisions; penalty decisions), requests received and answered by requester and outcome
(disclosure.selectors.yearly_counts), and the reconsiderations and lawsuits about disclosure
(remedies.selectors.disclosure_challenges). Nothing in the tables is typed in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation
from edugov.disclosure import selectors as disclosure
from edugov.disclosure.models import RefusalReason, RequesterKind
from edugov.documents.official import Heading, OfficialDocument, Paragraph, Table
from edugov.metrics import registry
from edugov.remedies import selectors as remedies
from edugov.remedies.models import CORRECTING, ChallengeKind, Outcome

KINDS = list(RequesterKind.values)


def _figure(key: str, year: int, org: Organisation) -> int:
    return int(registry.compute(registry.get(key), registry.Period.year(year), org).value or 0)


def tables(org: Organisation, year: int) -> dict[str, Any]:
    """The report's tables as plain data (frozen with the published report)."""
    proactive = [
        [_("Normative documents"), str(_figure("normative_docs.issued", year, org)),
         str(_figure("normative_docs.repealed", year, org)), str(_figure("normative_docs.in_force", year, org))],
    ]
    decisions = [[_("Administrative licensing"), str(_figure("licensing.cases.total", year, org))],
                 [_("Administrative penalties"), str(_figure("enforcement.penalties", year, org))]]
    counts = disclosure.yearly_counts(org, year)

    def row(label: str, by_kind: dict[str, int]) -> list[str]:
        cells = [by_kind.get(k, 0) for k in KINDS]
        return [label, *map(str, cells), str(sum(cells))]

    forms: dict[str, dict[str, int]] = counts["forms"]  # type: ignore[assignment]

    def merged(*keys: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for key in keys:
            for kind, n in forms.get(key, {}).items():
                out[kind] = out.get(kind, 0) + n
        return out

    handled = [
        row(_("(1) Disclosed"), merged("already_public", "disclosed")),
        row(_("(2) Partly disclosed"), merged("partly")),
        *[row(_("(3) Not disclosed: %(reason)s") % {"reason": label}, merged(f"refused:{value}"))
          for value, label in RefusalReason.choices],
        row(_("(4) Cannot be provided: the bureau does not hold it"), merged("not_exist", "not_ours")),
        row(_("(5) Not handled: a repeated request"), merged("repeat")),
        row(_("(6) Other: not corrected in time"), counts["lapsed"]),  # type: ignore[arg-type]
        row(_("(6) Other: obtained under another law"), merged("special_law")),
    ]
    total: dict[str, int] = {}
    for r in handled:
        for k, cell in zip(KINDS, r[1:-1], strict=True):
            total[k] = total.get(k, 0) + int(cell)
    requests = [row(_("New requests this year"), counts["received"]),  # type: ignore[arg-type]
                row(_("Carried over from last year"), counts["carried_in"]),  # type: ignore[arg-type]
                *handled, row(_("(7) Total handled"), total),
                row(_("Carried over to next year"), counts["carried_out"])]  # type: ignore[arg-type]
    remedy_rows = []
    for kind, label in ChallengeKind.choices:
        cases = [c for c in remedies.disclosure_challenges(org, year) if c.kind == kind]
        upheld = sum(1 for c in cases if c.outcome == Outcome.UPHELD)
        corrected = sum(1 for c in cases if c.outcome in CORRECTING)
        pending = sum(1 for c in cases if not c.outcome)
        remedy_rows.append([str(label), str(upheld), str(corrected), str(len(cases) - upheld - corrected - pending),
                            str(pending), str(len(cases))])
    received_total = sum(int(x) for x in requests[0][1:-1])
    replied = _figure("ogi.replied", year, org)
    in_time = registry.compute(registry.get("ogi.replied_in_time_rate"), registry.Period.year(year), org).display
    return {"year": year, "proactive": proactive, "decisions": decisions, "requests": requests,
            "remedies": remedy_rows,
            "overview": _("In %(year)d the bureau received %(received)d requests for government information and answered "
                          "%(replied)d, %(in_time)s of them in time; it issued %(issued)d normative documents and "
                          "repealed %(repealed)d.") % {
                "year": year, "received": received_total, "replied": replied, "in_time": in_time,
                "issued": int(proactive[0][1]), "repealed": int(proactive[0][2])}}


def headers() -> dict[str, list[str]]:
    kinds = [str(label) for _value, label in RequesterKind.choices]
    return {"proactive": [_("Kind"), _("Issued this year"), _("Repealed this year"), _("In force")],
            "decisions": [_("Kind"), _("Decisions this year")],
            "requests": [_("Item"), *kinds, _("Total")],
            "remedies": [_("Kind"), _("Upheld"), _("Corrected"), _("Other outcome"), _("Not yet decided"), _("Total")]}


def document(org: Organisation, year: int, data: dict[str, Any], problems: str, other: str,
             date: dt.date) -> OfficialDocument:
    h = headers()
    return OfficialDocument(
        title=_("%(org)s: yearly report on government information disclosure, %(year)d") % {"org": org.name,
                                                                                         "year": year},
        issuer=org.name, date=date, blocks=[
            Heading(1, _("Overview")), Paragraph(data["overview"]),
            Heading(1, _("Information published on the bureau's own initiative")),
            Table(h["proactive"], data["proactive"]), Table(h["decisions"], data["decisions"]),
            Heading(1, _("Requests received and handled")), Table(h["requests"], data["requests"]),
            Heading(1, _("Reconsiderations and lawsuits about disclosure")), Table(h["remedies"], data["remedies"]),
            Heading(1, _("Main problems and improvements")), Paragraph(problems or _("None.")),
            Heading(1, _("Other matters to report")), Paragraph(other or _("None."))])
