"""The monthly efficiency bulletin (能效通报): each unit's handling of the hotline's valid cases
routed to it in the month, ranked, with the change against the previous month."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean

from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation
from edugov.cases.models import ContactChannel
from edugov.kernel.calendar import get_calendar, month_start
from edugov.metrics.registry import Period

from .closure import sample_draw_id
from .models import AbuseStatus, Hop, HopKind, Hotline, Petition, RecontactCheck, Resolution, Validity
from .workflow import KINDS


def _pct(num: int, den: int) -> float | None:
    return 100 * num / den if den else None


@dataclass
class UnitRow:
    unit: Organisation
    routed: int = 0
    completed: int = 0
    on_time: int = 0
    compliant: int = 0
    rated: int = 0
    satisfied: int = 0
    days: list[int] = field(default_factory=list)
    rank: int = 0
    previous_completion: float | None = None
    answered: int = 0  # closed cases whose complainant said whether the problem was solved
    solved: int = 0
    first_routed: int = 0
    first_right: int = 0  # first routed here and never moved away
    hops: int = 0  # send-backs and disagreements this unit raised
    false_closures: int = 0

    @property
    def resolution_rate(self) -> float | None:
        return _pct(self.solved, self.answered)

    @property
    def first_routing_accuracy(self) -> float | None:
        return _pct(self.first_right, self.first_routed)

    @property
    def completion_rate(self) -> float | None:
        return _pct(self.completed, self.routed)

    @property
    def on_time_rate(self) -> float | None:
        return _pct(self.on_time, self.completed)

    @property
    def compliance_rate(self) -> float | None:
        return _pct(self.compliant, self.completed)

    @property
    def satisfaction_rate(self) -> float | None:
        return _pct(self.satisfied, self.rated)

    @property
    def average_days(self) -> float | None:
        return mean(self.days) if self.days else None

    @property
    def change(self) -> float | None:
        if self.completion_rate is None or self.previous_completion is None:
            return None
        return self.completion_rate - self.previous_completion


@dataclass
class Bulletin:
    bureau: Organisation
    period: Period
    received: int
    valid: int
    rows: list[UnitRow]
    false_closures: list[RecontactCheck] = field(default_factory=list)


def _rows(bureau: Organisation, period: Period) -> dict[int, UnitRow]:
    cal = get_calendar()
    hotline = Hotline.objects.filter(organisation=bureau).first()
    calls_needed = hotline.min_phone_contacts if hotline else 2
    base = Petition.objects.filter(case__kind__in=KINDS, case__organisation=bureau, validity=Validity.VALID,
                                   case__opened_at__gte=period.since, case__opened_at__lt=period.until)
    petitions = (base.exclude(case__department__isnull=True).select_related("case__department")
                 .prefetch_related("case__contacts", "case__clocks"))
    rows: dict[int, UnitRow] = {}
    for p in petitions:
        case = p.case
        if case.state in ("received", "triaged"):
            continue  # not routed to a unit yet
        row = rows.setdefault(case.department_id, UnitRow(case.department))  # type: ignore[arg-type]
        row.routed += 1
        closed = case.state == "closed" and case.closed_at is not None \
            and timezone.localdate(case.closed_at) <= period.end
        if not closed:
            continue
        row.completed += 1
        finish = next((c for c in case.clocks.all() if c.name == "finish"), None)
        row.on_time += bool(finish and finish.met)
        channels = [c.channel for c in case.contacts.all() if c.with_party and c.reached]  # the complainant, reached
        meeting_ok = not p.is_key or ContactChannel.VISIT in channels
        row.compliant += channels.count(ContactChannel.PHONE) >= calls_needed and meeting_ok
        row.days.append(cal.working_days_between(timezone.localdate(case.opened_at), timezone.localdate(case.closed_at)))
        if p.rating is not None and p.abuse_status != AbuseStatus.AGREED:
            row.rated += 1
            row.satisfied += p.rating >= 3
        if p.resolution:
            row.answered += 1
            row.solved += p.resolution == Resolution.SOLVED
    in_period = {"petition__case__organisation": bureau, "at__gte": period.since, "at__lt": period.until}
    for p in base.exclude(first_unit__isnull=True).select_related("first_unit"):
        row = rows.setdefault(p.first_unit_id, UnitRow(p.first_unit))  # type: ignore[arg-type]
        row.first_routed += 1
        row.first_right += not p.rerouted
    for hop in Hop.objects.filter(kind__in=(HopKind.SEND_BACK, HopKind.DISPUTE), **in_period).select_related("from_unit"):
        if hop.from_unit is not None:
            rows.setdefault(hop.from_unit_id, UnitRow(hop.from_unit)).hops += 1  # type: ignore[arg-type]
    for check in false_closures(bureau, period):
        if check.unit is not None:
            rows.setdefault(check.unit_id, UnitRow(check.unit)).false_closures += 1  # type: ignore[arg-type]
    return rows


def false_closures(bureau: Organisation, period: Period) -> list[RecontactCheck]:
    """Closures of the period's cases that the re-contact sample found untrue."""
    return list(RecontactCheck.objects.filter(petition__case__organisation=bureau, closure_true=False,
                                              draw__draw_id=sample_draw_id(bureau, period.start.year,
                                                                           period.start.month))
                .select_related("petition__case", "unit"))


def monthly(bureau: Organisation, year: int, month: int) -> Bulletin:
    period = Period.month(year, month)
    before_start = month_start(period.start, -1)
    previous = Period.month(before_start.year, before_start.month)
    rows = _rows(bureau, period)
    before = _rows(bureau, previous)
    for unit_id, row in rows.items():
        if unit_id in before:
            row.previous_completion = before[unit_id].completion_rate
    ordered = sorted(rows.values(), key=lambda r: (-(r.completion_rate or 0), -(r.on_time_rate or 0),
                                                   r.average_days if r.average_days is not None else 99, r.unit.name))
    for i, row in enumerate(ordered, start=1):
        row.rank = i
    received = Petition.objects.filter(case__kind__in=KINDS, case__organisation=bureau,
                                       case__opened_at__gte=period.since, case__opened_at__lt=period.until)
    return Bulletin(bureau, period, received.count(), received.filter(validity=Validity.VALID).count(), ordered,
                    false_closures(bureau, period))


def as_table(b: Bulletin) -> tuple[list[str], list[list[str]]]:
    def pct(v: float | None) -> str:
        return "—" if v is None else f"{v:.1f}%"

    header = [_("Rank"), _("Unit"), _("Routed"), _("Closed"), _("On time"), _("Completion rate"), _("On-time rate"),
              _("Average working days"), _("3233 compliance"), _("Satisfaction rate"), _("Resolution rate"),
              _("First-routing accuracy"), _("Send-backs and disputes"), _("False closures"),
              _("Completion vs last month")]
    rows = [[str(r.rank), r.unit.name, str(r.routed), str(r.completed), str(r.on_time), pct(r.completion_rate),
             pct(r.on_time_rate), "—" if r.average_days is None else f"{r.average_days:.1f}", pct(r.compliance_rate),
             pct(r.satisfaction_rate), pct(r.resolution_rate), pct(r.first_routing_accuracy), str(r.hops),
             str(r.false_closures), "—" if r.change is None else f"{r.change:+.1f}"] for r in b.rows]
    return header, rows



def false_closure_table(b: Bulletin) -> tuple[list[str], list[list[str]]]:
    header = [_("Case"), _("Closing unit"), _("What the complainant said")]
    return header, [[c.petition.case.reference, str(c.unit or "—"), c.note] for c in b.false_closures]
