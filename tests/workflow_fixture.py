"""A small workflow declared the way a domain app declares its own, used by the engine's tests."""

from edugov.accounts.models import Role
from edugov.cases.workflow import ClockSpec, Transition, Workflow, register

HANDLERS = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.SUPERVISION_STAFF})

TEST_WORKFLOW = register(Workflow(
    kind="testcase",
    ledger_fields=frozenset({"result"}),
    title="测试办件",
    states={"new": "新收", "accepted": "已受理", "waiting": "待补正", "done": "已办结", "rejected": "不予受理"},
    initial="new",
    terminal=frozenset({"done", "rejected"}),
    reference_suffix="",
    open_roles=HANDLERS,
    open_clocks=(ClockSpec("accept", "受理时限", 5, "working"),),
    transitions=(
        Transition("accept", "受理", ("new",), "accepted", roles=HANDLERS, stop_clocks=("accept",),
                   start_clocks=(ClockSpec("finish", "办结时限", 10, "working"),)),
        Transition("reject", "不予受理", ("new",), "rejected", roles=HANDLERS, required=("reason",),
                   field_labels={"reason": "不予受理理由"}, confirm="确认不予受理"),
        Transition("ask_supplement", "一次性告知补正", ("accepted",), "waiting", roles=HANDLERS,
                   pause_clocks=("finish",)),
        Transition("supplied", "补正材料已收到", ("waiting",), "accepted", roles=HANDLERS, resume_clocks=("finish",)),
        Transition("complete", "办结", ("accepted",), "done", roles=HANDLERS, required=("result",),
                   field_labels={"result": "办理结果"}),
    ),
))
