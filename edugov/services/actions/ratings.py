"""Ratings (一事一评, 一次一评): the applicant's rating of a completed case, counter visits and their rating by code."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.accounts.selectors import rule_of
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.cases.models import Case, EventKind
from edugov.kernel import querycodes
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed

from ..models import (
    NEGATIVE,
    Application,
    Channel,
    CounterVisit,
    Rating,
    RatingLevel,
    ServiceItem,
)
from ..permissions import can_take_counter, is_applicant
from ..workflow import COMPLETED, RATING_FIX
from ._common import _locked, _now


def _accepting_clerk(case: Case) -> User | None:
    event = case.events.filter(kind=EventKind.TRANSITION, transition__in=("accept", "reject")).select_related(
        "actor").first()
    return event.actor if event is not None else None


def _open_rectification(rating: Rating, at: dt.datetime) -> None:
    title = _("Negative rating of “%(item)s”: %(level)s") % {"item": rating.item.name,
                                                             "level": rating.get_level_display()}
    case = engine.case_open(actor=None, kind=RATING_FIX.kind, organisation=rating.item.organisation,
                            department=rating.department, title=title, at=at,
                            note=rating.comment)
    rating.rectification = case
    rating.save(update_fields=["rectification"])


def _required_level(level: object) -> int:
    value = _check_level(level)
    assert value is not None  # not optional: _check_level refused anything else
    return value


def _check_level(level: object, field: str = "level", optional: bool = False) -> int | None:
    if optional and level in (None, ""):
        return None
    try:
        value = int(level)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        value = 0
    if value not in RatingLevel.values:
        raise ValidationFailed(_("Please choose one of the five levels."), field=field)
    return value


def application_rate(*, actor: User, application: Application, level: object, clerk_level: object = None, comment: str = "",
         at: dt.datetime | None = None) -> Rating:
    """The applicant rates a completed case, once (一事一评); staff cannot rate for them, and an
    attempt is kept in the ledger (written outside the refused transaction, so it stays)."""
    if not is_applicant(actor, application):
        if actor is not None and actor.is_authenticated and not actor.is_public:
            record(actor=actor, action="service.rating_refused", target=application.case,
                   organisation=application.case.organisation, note="staff attempted to rate on the applicant's behalf")
        raise PermissionDenied(_("Only the applicant rates the service."))
    return _rate(actor=actor, application=application, level=level, clerk_level=clerk_level, comment=comment, at=at)


@transaction.atomic
def _rate(*, actor: User, application: Application, level: object, clerk_level: object, comment: str,
          at: dt.datetime | None) -> Rating:
    app = _locked(application)
    if app.case.state not in COMPLETED:
        raise Conflict(_("The service can be rated once the application is completed."))
    if Rating.objects.filter(application=app).exists():
        raise Conflict(_("You have rated this application already; thank you."))
    now = _now(at)
    rating = Rating.objects.create(item=app.item, application=app, department=app.case.department or app.item.department,
                                   clerk=_accepting_clerk(app.case), channel=Channel.ONLINE,
                                   level=_required_level(level), clerk_level=_check_level(clerk_level, "clerk_level", True),
                                   comment=(comment or "").strip()[:1000], rated_at=now)
    record(actor=actor, action="service.rate", target=app.case, organisation=app.case.organisation, at=now,
           after={"level": rating.level, "clerk_level": rating.clerk_level})
    if rating.level in NEGATIVE:
        _open_rectification(rating, now)
    return rating


@transaction.atomic
def visit_record(*, actor: User, item: ServiceItem, at: dt.datetime | None = None) -> CounterVisit:
    """The clerk records a counter visit; the visitor rates it with the code on the receipt."""
    if not can_take_counter(actor, item.organisation):
        raise PermissionDenied(_("Counter visits are recorded by the window clerks."))
    now = _now(at)
    code = querycodes.new(8, group=0)
    visit = CounterVisit.objects.create(item=item, clerk=actor, at=now, code=code)
    record(actor=actor, action="service.visit", target=item, organisation=item.organisation, at=now,
           after={"visit": visit.pk})
    return visit


@transaction.atomic
def visit_rate(*, code: str, level: object, comment: str = "", at: dt.datetime | None = None) -> Rating:
    """A visitor rates a counter visit (一次一评), once, within 7 days."""
    visit = CounterVisit.objects.select_for_update(of=("self",)).select_related("item").filter(
        code=querycodes.compact(code)).first()
    if visit is None:
        raise ValidationFailed(_("No visit has that code; please check the receipt."), field="code")
    now = _now(at)
    last_day = rule_of(visit.item.organisation, "services.visit_rating").deadline(timezone.localdate(visit.at)).date
    if timezone.localdate(now) > last_day:
        raise ValidationFailed(_("A visit can be rated until %(day)s; this one can no longer be rated.")
                               % {"day": last_day.isoformat()}, field="code")
    if Rating.objects.filter(visit=visit).exists():
        raise Conflict(_("This visit has been rated already; thank you."))
    rating = Rating.objects.create(item=visit.item, visit=visit, department=visit.item.department, clerk=visit.clerk,
                                   channel=Channel.COUNTER, level=_required_level(level),
                                   comment=(comment or "").strip()[:1000], rated_at=now)
    record(actor=None, action="service.rate_visit", target=visit.item, organisation=visit.item.organisation, at=now,
           after={"visit": visit.pk, "level": rating.level})
    if rating.level in NEGATIVE:
        _open_rectification(rating, now)
    return rating
