"""Clock operations for the engine: start, pause, resume, stop, extend, all in legal-clock terms."""

from __future__ import annotations

import datetime as dt

from edugov.kernel.calendar import LegalCalendar, Pause

from .models import Case, CaseClock
from .workflow import ClockSpec, party_clocks


def _pauses(clock: CaseClock) -> list[Pause]:
    return [(dt.date.fromisoformat(p), dt.date.fromisoformat(r) if r else None) for p, r in clock.pauses]


def recompute(clock: CaseClock, cal: LegalCalendar) -> None:
    result = cal.deadline(clock.started_on, clock.amount + clock.extended_by, clock.unit,  # type: ignore[arg-type]
                          _pauses(clock))
    clock.due_on, clock.provisional = result.date, result.provisional


def start(case: Case, spec: ClockSpec, today: dt.date, cal: LegalCalendar,
          existing: CaseClock | None = None) -> CaseClock:
    """Start (or restart) a clock with one INSERT or UPDATE."""
    clock = existing or CaseClock(case=case, name=spec.name)
    clock.label, clock.unit, clock.amount, clock.started_on = str(spec.label), spec.unit, spec.amount, today
    clock.pauses, clock.paused_on, clock.stopped_on, clock.met, clock.extended_by = [], None, None, None, 0
    recompute(clock, cal)
    clock.save()
    return clock


def pause(clock: CaseClock, today: dt.date) -> None:
    if clock.stopped_on is None and clock.paused_on is None:
        clock.paused_on = today
        clock.save(update_fields=["paused_on"])


def resume(clock: CaseClock, today: dt.date, cal: LegalCalendar) -> None:
    if clock.paused_on is None:
        return
    clock.pauses = [*clock.pauses, [clock.paused_on.isoformat(), today.isoformat()]]
    clock.paused_on = None
    recompute(clock, cal)
    clock.save(update_fields=["pauses", "paused_on", "due_on", "provisional"])


def stop(clock: CaseClock, today: dt.date) -> None:
    if clock.stopped_on is not None:
        return
    if clock.paused_on is not None:
        clock.pauses = [*clock.pauses, [clock.paused_on.isoformat(), today.isoformat()]]
        clock.paused_on = None
    clock.stopped_on = today
    clock.met = today <= clock.due_on
    clock.save(update_fields=["pauses", "paused_on", "stopped_on", "met"])


def extend(clock: CaseClock, amount: int, cal: LegalCalendar) -> None:
    clock.extended_by += amount
    recompute(clock, cal)
    clock.save(update_fields=["extended_by", "due_on", "provisional"])


def next_due(clocks: list[CaseClock] | None = None, case: Case | None = None, kind: str = "") -> dt.date | None:
    """The earliest due date of the running clocks that are the bureau's (from the given clocks, or
    the case's): a party's window (workflow.party_clocks) is what the party may use, not a deadline."""
    items = clocks if clocks is not None else list(case.clocks.all()) if case is not None else []
    kind = kind or (case.kind if case is not None else "")
    party = party_clocks().get(kind, frozenset())
    dates = [c.due_on for c in items if c.running and c.name not in party]
    return min(dates) if dates else None
