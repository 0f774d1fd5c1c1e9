"""A request for government information as data for the case engine (政府信息公开条例 2019):
answered within 20 working days of receipt (art. 33); a request needing correction gets one notice
within 7 working days, and the 20 days then run from the corrected request's receipt (art. 30); a
third party's consultation is not counted (arts. 32, 33); the answer may be extended once by 20
working days with the head's approval (art. 33). Every step goes through `actions.py`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Role
from edugov.cases.workflow import ClockSpec, Transition, Workflow, register

HANDLERS = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.LEGAL_REVIEWER, Role.BUREAU_LEADER})
REPLY = ClockSpec.of("ogi.reply", "reply", remind_before=3)
THIRD_PARTY = ClockSpec.of("ogi.third_party", "third_party")

DISCLOSURE = register(Workflow(
    kind="ogi_request", title=_("Disclosure request"),
    states={"received": _("To answer"), "correction": _("Waiting for the corrected request"),
            "third_party": _("Consulting a third party"), "replied": _("Answered"),
            "lapsed": _("Not corrected: not handled further")},
    initial="received", terminal=frozenset({"replied", "lapsed"}), reference_suffix="依公开", open_roles=HANDLERS,
    open_clocks=(REPLY,), legal_review=True,
    ledger_fields=frozenset({"channel", "corrected_on", "extended", "form", "reason", "received_on", "refusal_reason",
                             "requester_kind", "third_party", "late_reason", "what"}),
    transitions=(
        Transition("ask_correction", _("Ask once for a correction"), ("received",), "correction", roles=HANDLERS,
                   stop_clocks=("reply",)),
        Transition("corrected", _("Corrected request received"), ("correction",), "received", roles=HANDLERS,
                   start_clocks=(REPLY,)),
        Transition("lapse", _("Not corrected in time: close"), ("correction",), "lapsed", roles=HANDLERS,
                   confirm=_("I confirm the requester did not correct the request within the period given.")),
        Transition("consult", _("Consult the third party"), ("received",), "third_party", roles=HANDLERS,
                   pause_clocks=("reply",), start_clocks=(THIRD_PARTY,)),
        Transition("consulted", _("Record the third party's opinion"), ("third_party",), "received", roles=HANDLERS,
                   resume_clocks=("reply",), stop_clocks=("third_party",)),
        Transition("reply", _("Reply"), ("received",), "replied", roles=HANDLERS, stop_clocks=("reply",)),
    ),
))

KINDS = ("ogi_request",)
