"""Reads of the hotline's records: its access functions (kernel.access's shape) and what other apps
ask for through registry hooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, OrgKind, User
from edugov.accounts.selectors import legal_settings_of, rule_of
from edugov.cases.models import Case, CasePart
from edugov.cases.permissions import can_view_case
from edugov.draws.models import Draw
from edugov.kernel.access import access, resolve
from edugov.kernel.validators import as_pk
from edugov.registries.models import Institution, School

from .models import Category, Hotline, Petition, RecontactCheck, Validity


def complaints_about_institutions(pks: Iterable[int], days: int = 365) -> dict[int, int]:
    """Valid complaints about each institution received in the last `days` days."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = (Petition.objects.filter(institution_id__in=list(pks), validity=Validity.VALID, case__opened_at__gte=since)
            .values("institution_id").annotate(n=Count("id")))
    return {r["institution_id"]: r["n"] for r in rows}


def access_hotline_case(actor: User, pk: object, for_: str = "read") -> Case:
    """A complaint or petition case, for the staff who may see it."""
    return access(Case.objects.select_related("petition").filter(kind__in=("complaint", "petition")), pk,
                  lambda c: can_view_case(actor, c), _("You may not see this case."))


def resolve_unit(case: Case, pk: object) -> Organisation | None:
    """A unit chosen on a case's page (route to, better unit): one under the case's bureau, or None."""
    key = as_pk(pk)
    return Organisation.objects.filter(pk=key, path__startswith=case.organisation.path).first() if key else None


def resolve_part(case: Case, pk: object) -> CasePart:
    """A part of this case asked of an assisting unit (the answer form names it)."""
    return resolve(case.parts.all(), pk, _("That part no longer exists; please reload the page."), field="part")


def resolve_recontact(bureau: Organisation, pk: object) -> RecontactCheck:
    return resolve(RecontactCheck.objects.filter(petition__case__organisation=bureau), pk,
                   _("That item no longer exists; please reload the page."))



def public_hotline_bureau(code: str | None) -> Organisation | None:
    """The bureau whose hotline a member of the public complains to: the one named (any published
    hotline: the citizen's choice of district, not a scope), or the only one."""
    hotlines = Hotline.objects.select_related("organisation").order_by("pk")  # the first set up is the default
    hotline = hotlines.filter(organisation__code=code).first() if code else hotlines.first()
    return hotline.organisation if hotline else None


def bureaus_with_hotline() -> set[int]:
    return set(Hotline.objects.values_list("organisation_id", flat=True))


def subject_names(bureau: Organisation) -> list[tuple[str, str]]:
    """(name, pinyin initials) of the bureau's schools and institutions, for the subject field."""
    names = list(School.objects.filter(organisation__path__startswith=bureau.path).values_list("name", "initials"))
    return names + list(Institution.objects.filter(organisation=bureau).values_list("name", "initials"))


def return_visits_due(bureau: Organisation) -> QuerySet[Petition]:
    return (Petition.objects.filter(case__organisation=bureau, return_visit_due__isnull=False,
                                    return_visit_done_at__isnull=True)
            .select_related("case").order_by("return_visit_due"))


def units_of(case: Case) -> QuerySet[Organisation]:
    """The departments and schools a case of this bureau may be routed to."""
    return Organisation.objects.filter(path__startswith=case.organisation.path,
                                       kind__in=(OrgKind.DEPARTMENT, OrgKind.SCHOOL)).order_by("kind", "name")


def recontact_sample(draw_id: str) -> tuple[Draw | None, QuerySet[RecontactCheck] | list[RecontactCheck]]:
    """A month's re-contact draw and its checks (nothing when not drawn yet)."""
    draw = Draw.objects.filter(draw_id=draw_id).first()
    if draw is None:
        return None, []
    return draw, RecontactCheck.objects.filter(draw=draw).select_related("petition__case", "unit", "checked_by")



# ---- Open311 (GeoReport v2): what the interface reads, within the bureau its key or jurisdiction names

def active_categories(bureau: Organisation) -> QuerySet[Category]:
    return Category.objects.filter(organisation=bureau, is_active=True)


def category_of(bureau: Organisation, code: object) -> Category | None:
    key = as_pk(code)
    return active_categories(bureau).filter(pk=key).first() if key is not None else None


def requests_of(bureau: Organisation) -> QuerySet[Petition]:
    return (Petition.objects.filter(case__organisation__path__startswith=bureau.path)
            .select_related("case__department", "case__organisation", "category").order_by("-case__opened_at"))


def request_of(bureau: Organisation, rid: object) -> Petition | None:
    key = as_pk(rid)
    return (Petition.objects.filter(case__pk=key, case__organisation__path__startswith=bureau.path)
            .select_related("case", "category").first()) if key is not None else None


def request_by_token(prefix: str, token: str) -> Petition | None:
    """A request posted with this API key (its prefix) and this idempotency token."""
    return Petition.objects.filter(idempotency_key=f"{prefix}:{token}").select_related("case").first()


def subject_named(bureau: Organisation, place: str) -> School | Institution | None:
    """The school or institution of the bureau with exactly this name."""
    if not place:
        return None
    school = School.objects.filter(name=place, organisation__path__startswith=bureau.path).select_related(
        "organisation").first()
    return school or Institution.objects.filter(name=place, organisation=bureau).first()


def review_request_last_day(petition: Petition, case: Case | None = None) -> dt.date | None:
    """The last day to ask for the next review (复查, then 复核): 30 days from receipt of the written
    answer (信访工作条例 arts. 35, 36); None while its receipt is not recorded (the period has not begun)."""
    if petition.answer_received_on is None:
        return None
    case = case or petition.case
    rule = "petition.recheck_request" if petition.review_stage == "review" else "petition.review_request"
    return rule_of(case.organisation, rule).deadline(petition.answer_received_on).date


def review_body(case: Case, rereview: bool) -> str:
    """The body that answers a review or a re-review (the district's legal settings), "" when unset."""
    settings_ = legal_settings_of(case.organisation)
    return settings_.recheck_body if rereview else settings_.review_body


def reopen_last_day(case: Case) -> dt.date:
    """The last day a closed matter can be reopened by its complainant (the hotline's 15 days)."""
    assert case.closed_at is not None
    return rule_of(case.organisation, "complaint.reopen").deadline(timezone.localdate(case.closed_at)).date
