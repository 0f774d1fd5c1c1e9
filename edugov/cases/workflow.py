"""Workflows declared as data. A domain app writes one `Workflow` in its `workflow.py` and
registers it in AppConfig.ready(); the engine (`cases.actions.case_transition`) is the only
code that moves a case between states."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from edugov.kernel import ledger_port

if TYPE_CHECKING:
    from .models import Case

Label = str | Promise
# (the case, the step's data, the day of the act) → a refusal, or None
Guard = Callable[["Case", Mapping[str, Any], dt.date], "str | None"]


@dataclass(frozen=True)
class ClockSpec:
    """A time limit: `amount` working/natural days (or months) counted from the transition's day.
    Made from a rule of the registry (`ClockSpec.of`), whose id it keeps: a workflow declares no
    count of its own (tests/test_legal_rules.py)."""

    name: str
    label: Label
    amount: int
    unit: Literal["working", "natural", "months"] = "working"
    remind_before: int = 1  # working days before the due date
    rule: str = ""  # the kernel.rules id the count comes from
    party: bool = False  # the party's time (kernel.rules Rule.party): it waits on them, it is never the bureau's due

    @classmethod
    def of(cls, rule_id: str, name: str, label: Label | None = None, remind_before: int = 1) -> ClockSpec:
        """The clock of a legal rule: its count and unit, its title unless a label is given."""
        from edugov.kernel import rules

        rule = rules.get(rule_id)
        return cls(name, label if label is not None else rule.title, rule.calendar_count,
                   rule.calendar_unit, remind_before, rule_id, rule.party)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Transition:
    name: str
    label: Label
    source: tuple[str, ...]
    target: str
    roles: frozenset[str] = frozenset()
    assignee_may: bool = True  # the case's assignee may perform it even without one of `roles`
    required: tuple[str, ...] = ()  # keys of `data` that must be non-empty
    field_labels: Mapping[str, Label] = field(default_factory=dict)  # how the form names them
    start_clocks: tuple[ClockSpec, ...] = ()
    stop_clocks: tuple[str, ...] = ()
    pause_clocks: tuple[str, ...] = ()
    resume_clocks: tuple[str, ...] = ()
    guard: Guard | None = None
    confirm: Label | None = None  # asked before an irreversible act
    style: str = "primary"
    # answers or closes the matter: refused to anyone acting from a unit recused from the case
    # (回避: the school complained of, a department about its own staff), who may supply facts only
    decides: bool = False
    # what the domain does when the step is taken, in its transaction (e.g. issue the document the law
    # says the act is made in: enforcement's prior notice); called as effect(case, actor, at, data)
    effect: Callable[..., Any] | None = None


@dataclass(frozen=True)
class Workflow:
    kind: str
    title: Label
    states: Mapping[str, Label]
    initial: str
    terminal: frozenset[str]
    transitions: tuple[Transition, ...]
    reference_suffix: str = ""  # added to the organisation's prefix: 万教 + 督 → 万教督〔2024〕0001号
    reference_format: str = "{prefix}〔{year}〕{number:04d}号"
    open_clocks: tuple[ClockSpec, ...] = ()
    open_roles: frozenset[str] = frozenset()
    legal_review: bool = False  # the bureau's legal reviewers read cases of this kind (法制审核)
    # only the handling unit and the handler see a case of this kind (a report of an officer's misconduct):
    # no bureau-wide reading by leaders, the supervision office or auditors, never a recused unit
    need_to_know: bool = False
    # The fields the domain's own actions record in this kind's ledger entries, beyond what the
    # engine records (ENGINE_FIELDS) and the transitions' own data: the ledger refuses any other.
    ledger_fields: frozenset[str] = frozenset()
    _by_name: dict[str, Transition] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.kind}: duplicate transition names")
        for t in self.transitions:
            for s in (*t.source, t.target):
                if s not in self.states:
                    raise ValueError(f"{self.kind}.{t.name}: unknown state {s!r}")
            self._by_name[t.name] = t
        if self.initial not in self.states or not self.terminal <= set(self.states):
            raise ValueError(f"{self.kind}: initial or terminal state not declared")

    def state_label(self, state: str) -> str:
        return str(self.states.get(state, state))

    def transition(self, name: str) -> Transition | None:
        return self._by_name.get(name)

    def available_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.source]

    def clock_specs(self) -> dict[str, ClockSpec]:
        specs = {c.name: c for c in self.open_clocks}
        for t in self.transitions:
            specs.update({c.name: c for c in t.start_clocks})
        return specs

    def mermaid(self) -> str:
        """A state diagram (Mermaid) generated from the declaration, for docs and public guides."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for key, label in self.states.items():
            lines.append(f"    {key} : {label}")
        for t in self.transitions:
            for s in t.source:
                lines.append(f"    {s} --> {t.target} : {t.label}")
        for s in sorted(self.terminal):
            lines.append(f"    {s} --> [*]")
        return "\n".join(lines)


_REGISTRY: dict[str, Workflow] = {}


def need_to_know_kinds() -> frozenset[str]:
    return frozenset(kind for kind, wf in _REGISTRY.items() if wf.need_to_know)


def party_clocks() -> dict[str, frozenset[str]]:
    """Per kind, the names of the clocks that are the party's time (to state a case, ask for a
    hearing, pay): they wait on someone outside the bureau, so they are never the bureau's due date
    nor overdue (a case's `next_due_on` leaves them out; the workbench shows them as waiting)."""
    return {kind: frozenset(name for name, spec in wf.clock_specs().items() if spec.party)
            for kind, wf in _REGISTRY.items()}


# What the case engine (cases.actions) records in every kind's entries.
ENGINE_FIELDS = frozenset({
    "assignee", "attachment", "case_ids", "channel", "clock", "contact_phone", "count", "days", "department",
    "due_on", "event", "first", "last", "met", "outcome", "reason", "reference", "sha256", "state", "stopped", "task",
    "title", "to_state", "unit", "with_party", "reached"})


def register(workflow: Workflow) -> Workflow:
    """Make a kind known to the engine, and declare what its ledger entries record: the engine's
    fields, each transition's data, and the domain's own (`ledger_fields`)."""
    _REGISTRY[workflow.kind] = workflow
    transition_data = {name for t in workflow.transitions for name in (*t.required, *t.field_labels)}
    ledger_port.declare(workflow.kind, ENGINE_FIELDS | transition_data | workflow.ledger_fields)
    ledger_port.describe(workflow.kind, workflow.title, {t.name: t.label for t in workflow.transitions})
    return workflow


def get_workflow(kind: str) -> Workflow:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(f"no workflow registered for case kind {kind!r}") from None


def all_workflows() -> list[Workflow]:
    return list(_REGISTRY.values())


def reviewed_kinds() -> list[str]:
    return [kind for kind, wf in _REGISTRY.items() if wf.legal_review]


def duty_workflow(kind: str, title: Label, rule_id: str, roles: frozenset[str], label: Label | None = None,
                  reference_suffix: str = "办") -> Workflow:
    """A duty kind (cases.models.Duty): open until done, its one clock the rule's. The domain's own
    act closes it (the school files its ledger); a person may also mark it done with a note saying
    how (the report sent to the district's Party committee: by which letter, on which day)."""
    return Workflow(
        kind=kind, title=title, states={"open": _("To do"), "done": _("Done")}, initial="open",
        terminal=frozenset({"done"}),
        transitions=(Transition("done", _("Mark done"), ("open",), "done", roles=roles, required=("note",),
                                field_labels={"note": _("How it was done")}, stop_clocks=("due",)),),
        reference_suffix=reference_suffix, open_clocks=(ClockSpec.of(rule_id, "due", label),),
    )
