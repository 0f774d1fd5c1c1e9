"""The ledger page in the bureau's words: each entry as a sentence (who did what to which matter),
its time in local time, its target by 文号 or name. The entry itself is unchanged: this is how the
page reads it. Case kinds name themselves and their steps through their workflows
(kernel.ledger_port.describe); the other families and the engine's common steps are named here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from edugov.kernel import ledger_port

# Each word has its own translation context ("ledger"): "closed" here is a step, not a state.
FAMILIES: dict[str, Any] = {
    "absence": pgettext_lazy("ledger", "Leave and stand-ins"), "apikey": pgettext_lazy("ledger", "API keys"), "audit": pgettext_lazy("ledger", "Full-process record"),
    "cases": pgettext_lazy("ledger", "Case list"), "decision": pgettext_lazy("ledger", "Major decisions (三重一大)"), "demo_school": pgettext_lazy("ledger", "Demo school"),
    "document": pgettext_lazy("ledger", "Issued documents"), "draw": pgettext_lazy("ledger", "Random draw"), "enforcement": pgettext_lazy("ledger", "Administrative enforcement"), "grant": pgettext_lazy("ledger", "Role grants"),
    "institution": pgettext_lazy("ledger", "Training institution register"), "institutions": pgettext_lazy("ledger", "Training institution register"),
    "intake": pgettext_lazy("ledger", "Enrollment intake"), "keys": pgettext_lazy("ledger", "Encryption keys"), "law_campaign": pgettext_lazy("ledger", "Law education campaign"),
    "law_contest": pgettext_lazy("ledger", "Law contest"), "law_course": pgettext_lazy("ledger", "Law course"), "legal_vp": pgettext_lazy("ledger", "Legal vice-principal"), "legality": pgettext_lazy("ledger", "Legality review"), "ogi_report": pgettext_lazy("ledger", "Yearly disclosure report"),
    "legalsettings": pgettext_lazy("ledger", "Legal settings"), "message": pgettext_lazy("ledger", "Messages"), "organisation": pgettext_lazy("ledger", "Organisations"),
    "oversight": pgettext_lazy("ledger", "Supervision"), "patrol": pgettext_lazy("ledger", "Campus patrol"), "people": pgettext_lazy("ledger", "People register"),
    "person": pgettext_lazy("ledger", "People register"), "reminder": pgettext_lazy("ledger", "Reminders"), "report": pgettext_lazy("ledger", "Yearly rule-of-law report"),
    "risk": pgettext_lazy("ledger", "Risk screening"), "school": pgettext_lazy("ledger", "School register"), "schools": pgettext_lazy("ledger", "School register"),
    "services": pgettext_lazy("ledger", "Government services"), "service_item": pgettext_lazy("ledger", "Service catalogue"),
    "special_school": pgettext_lazy("ledger", "Special school"), "user": pgettext_lazy("ledger", "Accounts"),
}

VERBS: dict[str, Any] = {
    "accept": pgettext_lazy("ledger", "accepted"), "add": pgettext_lazy("ledger", "added"), "admit": pgettext_lazy("ledger", "admitted"), "apply": pgettext_lazy("ledger", "applied"),
    "appoint": pgettext_lazy("ledger", "appointed"), "approved": pgettext_lazy("ledger", "approved"), "assign": pgettext_lazy("ledger", "assigned"), "attach": pgettext_lazy("ledger", "attached a file"),
    "book": pgettext_lazy("ledger", "booked"), "bulk_open": pgettext_lazy("ledger", "opened in bulk"), "campaign_commit": pgettext_lazy("ledger", "published the draw's commitment"),
    "campaign_create": pgettext_lazy("ledger", "planned a campaign"), "campaign_draw": pgettext_lazy("ledger", "drew targets and teams"),
    "cancel": pgettext_lazy("ledger", "cancelled"), "claim": pgettext_lazy("ledger", "claimed"), "class": pgettext_lazy("ledger", "recorded a class"), "close": pgettext_lazy("ledger", "closed"),
    "closed": pgettext_lazy("ledger", "closed"), "comment": pgettext_lazy("ledger", "commented"), "commit": pgettext_lazy("ledger", "published a commitment"),
    "consent": pgettext_lazy("ledger", "gave consent"), "contact": pgettext_lazy("ledger", "logged a contact"), "create": pgettext_lazy("ledger", "created"),
    "draft": pgettext_lazy("ledger", "saved a draft"), "end": pgettext_lazy("ledger", "ended"), "evaluate": pgettext_lazy("ledger", "evaluated"), "executed": pgettext_lazy("ledger", "executed"),
    "export": pgettext_lazy("ledger", "exported"), "extend": pgettext_lazy("ledger", "extended a time limit"), "import": pgettext_lazy("ledger", "imported"),
    "open": pgettext_lazy("ledger", "opened"), "part_add": pgettext_lazy("ledger", "added a part"), "part_answer": pgettext_lazy("ledger", "answered a part"),
    "password_set": pgettext_lazy("ledger", "set a password"), "publish": pgettext_lazy("ledger", "published"), "rate": pgettext_lazy("ledger", "rated"), "record": pgettext_lazy("ledger", "recorded"),
    "register": pgettext_lazy("ledger", "registered"), "release": pgettext_lazy("ledger", "released"), "reveal": pgettext_lazy("ledger", "drew"), "revoke": pgettext_lazy("ledger", "revoked"),
    "rotate": pgettext_lazy("ledger", "rotated"), "route": pgettext_lazy("ledger", "routed"), "save": pgettext_lazy("ledger", "saved"), "send": pgettext_lazy("ledger", "sent"), "set": pgettext_lazy("ledger", "set"),
    "stop_clocks": pgettext_lazy("ledger", "stopped the clocks"), "take_down": pgettext_lazy("ledger", "took down"), "unmask": pgettext_lazy("ledger", "viewed unmasked"),
    "update": pgettext_lazy("ledger", "updated"), "verify": pgettext_lazy("ledger", "verified"), "view": pgettext_lazy("ledger", "viewed"), "visit": pgettext_lazy("ledger", "visited"),
    "withdraw": pgettext_lazy("ledger", "withdrew"), "write": pgettext_lazy("ledger", "wrote"),
}

FAMILIES.update({
    "leadership": pgettext_lazy("ledger", "The first responsible person"),
    "training": pgettext_lazy("ledger", "Officers' training"),
    "liaison": pgettext_lazy("ledger", "Leaders' areas and linked schools"),
    "business_env": pgettext_lazy("ledger", "Business environment"),
    "misconduct": pgettext_lazy("ledger", "Misconduct reporting channel"),
    "misconduct_report": pgettext_lazy("ledger", "Report of enforcement misconduct"),
    "discipline": pgettext_lazy("ledger", "Discipline inspection group"),
    "mediation": pgettext_lazy("ledger", "Mediation of disputes"),
    "charter": pgettext_lazy("ledger", "School charter"),
    "school_law": pgettext_lazy("ledger", "School rule of law"),
})

VERBS.update({
    "session": pgettext_lazy("ledger", "recorded a session"),
    "account": pgettext_lazy("ledger", "recorded an account of duties"),
    "report": pgettext_lazy("ledger", "recorded a report heard"),
    "plan": pgettext_lazy("ledger", "recorded the yearly plan"),
    "attendance": pgettext_lazy("ledger", "added attendance"),
    "self_study": pgettext_lazy("ledger", "recorded self-study"),
    "assess": pgettext_lazy("ledger", "recorded an assessment"),
    "outreach": pgettext_lazy("ledger", "recorded a policy sent"),
    "training": pgettext_lazy("ledger", "recorded a training session"),
    "channel": pgettext_lazy("ledger", "published the reporting channel"),
    "take": pgettext_lazy("ledger", "took a report"),
    "notice": pgettext_lazy("ledger", "recorded a notice to the group"),
    "submit": pgettext_lazy("ledger", "submitted"),
    "lesson": pgettext_lazy("ledger", "recorded a lesson"),
    "constitution_week": pgettext_lazy("ledger", "recorded the constitution week"),
    "meeting": pgettext_lazy("ledger", "recorded a meeting with families"),
    "opinion": pgettext_lazy("ledger", "recorded an opinion from families"),
    "answer": pgettext_lazy("ledger", "answered"),
    "issue": pgettext_lazy("ledger", "issued"),
    "seal": pgettext_lazy("ledger", "signed"),
    "issue_batch": pgettext_lazy("ledger", "issued a batch"),
    "key_rotate": pgettext_lazy("ledger", "rotated the signing key"),
    "intake": pgettext_lazy("ledger", "took in"),
    "rate_refused": pgettext_lazy("ledger", "refused a rating by staff"),
    "recuse": pgettext_lazy("ledger", "recorded a recusal"),
    "comment_add": pgettext_lazy("ledger", "recorded a public comment"),
    "comment_answer": pgettext_lazy("ledger", "answered a public comment"),
    "cleanup": pgettext_lazy("ledger", "cleaned up the normative documents"),
    "repeal": pgettext_lazy("ledger", "repealed"),
    "amend": pgettext_lazy("ledger", "marked amended"),
    "review_mark": pgettext_lazy("ledger", "marked for review"),
    "case_adopted": pgettext_lazy("ledger", "adopted as a model case"),
    "stage": pgettext_lazy("ledger", "moved to a stage"),
    "inspection_add": pgettext_lazy("ledger", "added an inspection"),
    "inspection_add_unplanned": pgettext_lazy("ledger", "added an unplanned inspection"),
    "inspection_arrive": pgettext_lazy("ledger", "arrived on site"),
    "inspection_attach": pgettext_lazy("ledger", "attached evidence"),
    "inspection_decide": pgettext_lazy("ledger", "decided the outcome"),
    "inspection_evidence": pgettext_lazy("ledger", "recorded evidence"),
    "inspection_record": pgettext_lazy("ledger", "recorded the checklist"),
    "inspection_sign_off": pgettext_lazy("ledger", "signed the record"),
    "item_claim": pgettext_lazy("ledger", "claimed an enforcement item"),
    "item_release": pgettext_lazy("ledger", "released an enforcement item"),
    "items_import": pgettext_lazy("ledger", "imported enforcement items"),
    "outing_create": pgettext_lazy("ledger", "named an outing's team"),
    "reinspect": pgettext_lazy("ledger", "re-inspected"),
    "import_ratings": pgettext_lazy("ledger", "imported ratings"),
    "policy_change": pgettext_lazy("ledger", "changed the policy"),
    "policy_publish": pgettext_lazy("ledger", "published the policy"),
    "publish_results": pgettext_lazy("ledger", "published the results"),
    "slot_add": pgettext_lazy("ledger", "added an appointment slot"),
    "student_records_import": pgettext_lazy("ledger", "imported student records"),
    "entry": pgettext_lazy("ledger", "entered a work"),
    "queue": pgettext_lazy("ledger", "queued a message"),
    "queue_texts": pgettext_lazy("ledger", "queued text messages to families"),
    "inquiry": pgettext_lazy("ledger", "answered an inquiry"),
    "lecture": pgettext_lazy("ledger", "recorded a lecture"),
    "publication": pgettext_lazy("ledger", "recorded a disclosure"),
    "rectified": pgettext_lazy("ledger", "rectified"),
    "detail": pgettext_lazy("ledger", "changed the details"),
    "analysis": pgettext_lazy("ledger", "analysed the risks"),
    "chase": pgettext_lazy("ledger", "chased a missing ledger"),
    "ledger": pgettext_lazy("ledger", "filed a risk ledger"),
    "credit_record": pgettext_lazy("ledger", "entered in the credit record"),
    "publish_revocation": pgettext_lazy("ledger", "published a revocation"),
    "rate_visit": pgettext_lazy("ledger", "rated a counter visit"),
    "rating_refused": pgettext_lazy("ledger", "refused a rating by staff"),
    "export_figures": pgettext_lazy("ledger", "exported the figures"),
    "follow_up": pgettext_lazy("ledger", "followed up"),
    "reoffence": pgettext_lazy("ledger", "recorded a reoffence"),
    "notify_by": pgettext_lazy("ledger", "chose how to be notified"),
    "otp_code_issue": pgettext_lazy("ledger", "issued a sign-in code"),
    "otp_enrol": pgettext_lazy("ledger", "enrolled an authenticator"),
    "signup": pgettext_lazy("ledger", "signed up"),
    "delete": pgettext_lazy("ledger", "deleted"),
    "decide": pgettext_lazy("ledger", "decided"),
    "assign": pgettext_lazy("ledger", "assigned"),
    "bulk_assign": pgettext_lazy("ledger", "assigned in bulk"),
})

# A step whose word differs in one family.
ACTIONS: dict[str, Any] = {
    "special_school.release": pgettext_lazy("ledger", "discharged"),
    "service.visit": pgettext_lazy("ledger", "registered a counter visit"),
    "mediation.start": pgettext_lazy("ledger", "began a mediation"),
    "mediation.conclude": pgettext_lazy("ledger", "concluded a mediation"),
}

SYSTEM = _("the system (scheduled job)")


def sentence(action: str) -> tuple[str, str]:
    """(the family as people call it, what was done), each falling back to the entry's own token."""
    family, _dot, verb = action.partition(".")
    title = ledger_port.family_title(family) or FAMILIES.get(family) or family
    done = ACTIONS.get(action) or ledger_port.verb_label(family, verb) or VERBS.get(verb) or verb
    return str(title), str(done)


def local_time(iso: str) -> dt.datetime | None:
    try:
        return timezone.localtime(dt.datetime.fromisoformat(iso))
    except (TypeError, ValueError):
        return None


# Targets are named only where the name is not personal data: a case by its 文号 and title (its
# title is written masked), a register entry of an institution or a school by its name.
_NAMED = {"registries.school", "registries.institution", "accounts.organisation", "enforcement.campaign",
          "draws.draw"}


def target_labels(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """{(target_type, target_id): label} for the targets of one page, one query per model."""
    by_type: dict[str, set[str]] = {}
    for ttype, tid in pairs:
        if ttype and tid:
            by_type.setdefault(ttype, set()).add(tid)
    labels: dict[tuple[str, str], str] = {}
    for ttype, ids in by_type.items():
        try:
            model = apps.get_model(ttype)
        except (LookupError, ValueError):
            continue
        if not _has_field(model, "reference") and ttype not in _NAMED:
            labels.update({(ttype, tid): f"{model._meta.verbose_name} #{tid}" for tid in ids})
            continue
        keys = [int(t) for t in ids if t.isdigit()]
        for pk, obj in model._default_manager.in_bulk(keys).items():
            labels[(ttype, str(pk))] = str(obj)
    return labels


def targets_with_reference(text: str, limit: int = 500) -> list[tuple[str, str]]:
    """The cases whose 文号 contains `text` (looked up by label: audit sits below the cases app)."""
    case = apps.get_model("cases", "case")
    ids = case._default_manager.filter(reference__icontains=text).values_list("pk", flat=True)[:limit]
    return [("cases.case", str(pk)) for pk in ids]


def _has_field(model: Any, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
