"""The services.* and licensing.* figures of FIGURES-2024.md, counted from the catalogue, the
applications and the ratings; and the table per item, department or clerk."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation, User
from edugov.cases.models import CaseClock, CaseEvent
from edugov.cases.selectors import visible_cases
from edugov.metrics.registry import Metric, Period, describe_group, register

from .models import NEGATIVE, Application, ItemType, Rating, ServiceItem
from .workflow import COMPLETED


def items_in_force(period: Period, org: Organisation) -> QuerySet[ServiceItem]:
    """Items published by the period's end and not withdrawn by then."""
    return (ServiceItem.objects.filter(organisation__path__startswith=org.path, in_force_from__lte=period.end)
            .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=period.end)))


def received(period: Period, org: Organisation) -> QuerySet[Application]:
    return Application.objects.filter(case__organisation__path__startswith=org.path,
                                      case__opened_at__gte=period.since, case__opened_at__lt=period.until)


def licensing_received(period: Period, org: Organisation) -> QuerySet[Application]:
    return received(period, org).filter(item__item_type=ItemType.LICENCE)


def _completed_q(period: Period) -> Q:
    return Q(case__state__in=COMPLETED, case__closed_at__lt=period.until)


def _due_q(period: Period) -> Q:
    """Still open at the period's end with its statutory (or acceptance) limit passed by then."""
    cutoff = min(period.end, timezone.localdate())  # a running year counts only what is due so far
    passed = CaseClock.objects.filter(case=OuterRef("case"), name__in=("statutory", "accept"), due_on__lt=cutoff)
    return Exists(passed) & (Q(case__closed_at__isnull=True) | Q(case__closed_at__gte=period.until))


def licensing_due(period: Period, org: Organisation) -> QuerySet[Application]:
    """The completion rate's denominator: completed, or past the time limit (withdrawals left out)."""
    return licensing_received(period, org).filter(_completed_q(period) | _due_q(period))


def completed_in(period: Period, org: Organisation) -> QuerySet[Application]:
    """Applications completed (办结) in the period, whenever received."""
    return Application.objects.filter(case__organisation__path__startswith=org.path, case__state__in=COMPLETED,
                                      case__closed_at__gte=period.since, case__closed_at__lt=period.until)


def private_school_completed(period: Period, org: Organisation) -> QuerySet[Application]:
    return completed_in(period, org).filter(item__private_school=True)


def ratings_in(period: Period, org: Organisation) -> QuerySet[Rating]:
    return Rating.objects.filter(item__organisation__path__startswith=org.path, rated_at__gte=period.since,
                                 rated_at__lt=period.until).exclude(rectification__state="void")


def visible(qs: QuerySet[Application], viewer: Any) -> QuerySet[Application]:
    return qs.filter(case__in=visible_cases(viewer).values("pk"))


def by_department(records: Any) -> Any:
    def count(period: Period, org: Organisation) -> dict[int, int]:
        rows = records(period, org).values("case__department").annotate(n=Count("id"))
        return {r["case__department"]: r["n"] for r in rows if r["case__department"]}
    return count


describe_group("services", _("Government services"))
describe_group("licensing", _("Administrative licensing"))

register(Metric(key="services.items.total", title=_("Government service items"), measure_word="项",
                definition=_("Items of the service catalogue in force at the period's end."),
                count=lambda p, o: items_in_force(p, o).count(), records=items_in_force))
register(Metric(key="services.items.in_center", title=_("Items handled at the service centre"), measure_word="项",
                definition=_("Catalogue items in force at the period's end that can be handled at the district "
                             "service centre."),
                count=lambda p, o: items_in_force(p, o).filter(in_center=True).count(),
                records=lambda p, o: items_in_force(p, o).filter(in_center=True)))
register(Metric(key="services.applications.total", title=_("Service applications received"), measure_word="件",
                definition=_("Applications for catalogue items received in the period, online and at the counter."),
                count=lambda p, o: received(p, o).count(), records=received, visible_to=visible,
                by_unit=by_department(received)))
register(Metric(key="licensing.cases.total", title=_("Administrative licensing cases"), measure_word="件",
                definition=_("Applications for administrative licences received in the period."),
                count=lambda p, o: licensing_received(p, o).count(), records=licensing_received, visible_to=visible,
                by_unit=by_department(licensing_received)))
register(Metric(key="licensing.cases.completion_rate", title=_("Licensing completion rate"), decimals=0,
                empty=_("no licensing cases due"),
                definition=_("Licensing cases received in the period and completed by its end ÷ those completed "
                             "or whose time limit had passed by then."),
                rate=lambda p, o: (licensing_received(p, o).filter(_completed_q(p)).count(),
                                   licensing_due(p, o).count())))
register(Metric(key="licensing.private_school.completed", title=_("Private-school matters completed"),
                measure_word="件",
                definition=_("Applications for private-school matters completed in the period."),
                count=lambda p, o: private_school_completed(p, o).count(), records=private_school_completed,
                visible_to=visible))
register(Metric(key="services.reviews.active_rate", title=_("Active rating rate"), decimals=0,
                empty=_("no completed cases"),
                definition=_("Applications completed in the period that their applicant rated ÷ applications "
                             "completed in the period."),
                rate=lambda p, o: (completed_in(p, o).filter(rating__isnull=False).count(),
                                   completed_in(p, o).count())))
register(Metric(key="services.reviews.good_rate", title=_("Good-rating rate"), decimals=1, empty=_("no ratings"),
                definition=_("Ratings in the period of basically satisfied or better ÷ all ratings in the period "
                             "(online and at the counter; ratings set aside on appeal left out)."),
                rate=lambda p, o: (ratings_in(p, o).exclude(level__in=NEGATIVE).count(), ratings_in(p, o).count())))


# -- the table per item, department or clerk ---------------------------------------------------

GROUPS = {"item": ("item", "item__name"), "department": ("case__department", "case__department__name")}


def table(period: Period, bureau: Organisation, by: str) -> list[dict[str, Any]]:
    """Per item, department or clerk: cases received, completed, completion rate, on-time rate
    (completed within the promised limit), active rating rate, good-rating rate."""
    apps = received(period, bureau)
    rows: dict[Any, dict[str, Any]] = defaultdict(lambda: {"label": "", "received": 0, "completed": 0, "on_time": 0,
                                                           "timed": 0, "rated": 0, "ratings": 0, "good": 0})
    promised_met = CaseClock.objects.filter(case=OuterRef("case"), name="promised", met=True)
    promised_done = CaseClock.objects.filter(case=OuterRef("case"), name="promised", met__isnull=False)
    done_q = _completed_q(period)
    if by == "clerk":
        accepted = CaseEvent.objects.filter(case__application__in=apps, transition__in=("accept", "reject"))
        clerk_of = dict(accepted.values_list("case__application", "actor"))
        names = {u.pk: u.full_name or u.username for u in User.objects.filter(pk__in=set(clerk_of.values()))}
        data = apps.annotate(on_time=Exists(promised_met), timed=Exists(promised_done)).values(
            "pk", "case__state", "case__closed_at", "on_time", "timed")
        for a in data:
            key = clerk_of.get(a["pk"])
            if key is None:
                continue
            row = rows[key]
            row["label"] = names.get(key, "—")
            row["received"] += 1
            closed_at = a["case__closed_at"]
            done = a["case__state"] in COMPLETED and closed_at is not None and closed_at < period.until
            row["completed"] += done
            row["timed"] += a["timed"]
            row["on_time"] += a["on_time"]
        for r in ratings_in(period, bureau).filter(clerk__isnull=False).values("clerk", "level", "application"):
            row = rows[r["clerk"]]
            row["ratings"] += 1
            row["good"] += r["level"] not in NEGATIVE
            row["rated"] += r["application"] is not None
    else:
        group, label = GROUPS.get(by, GROUPS["item"])
        agg = apps.values(group, label).annotate(
            n=Count("id"), done=Count("id", filter=done_q),
            timed=Count("id", filter=Q(Exists(promised_done))), on_time=Count("id", filter=Q(Exists(promised_met))),
            rated=Count("id", filter=done_q & Q(rating__isnull=False)))
        for a in agg:
            row = rows[a[group]]
            row.update(label=a[label], received=a["n"], completed=a["done"], timed=a["timed"], on_time=a["on_time"],
                       rated=a["rated"])
        rkey = "item" if by == "item" else "department"
        for r in ratings_in(period, bureau).values(rkey).annotate(n=Count("id"), good=Count(
                "id", filter=~Q(level__in=NEGATIVE))):
            rows[r[rkey]]["ratings"] += r["n"]
            rows[r[rkey]]["good"] += r["good"]
    out = []
    for pk, row in rows.items():
        if not row["label"]:
            continue
        row["pk"] = pk
        row["completion_rate"] = row["completed"] / row["received"] if row["received"] else None
        row["on_time_rate"] = row["on_time"] / row["timed"] if row["timed"] else None
        row["active_rate"] = row["rated"] / row["completed"] if row["completed"] else None
        row["good_rate"] = row["good"] / row["ratings"] if row["ratings"] else None
        out.append(row)
    return sorted(out, key=lambda r: (-r["received"], str(r["label"])))


# ---- business_env.* (issue 31): policies and free training for private institutions -----------------

def outreach(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import PolicyOutreach

    return PolicyOutreach.objects.filter(organisation__path__startswith=org.path, sent_on__gte=period.start,
                                         sent_on__lte=period.end)


def _reached(kind: str) -> Any:
    def records(period: Period, org: Organisation) -> QuerySet[Any]:
        from edugov.registries.models import Institution, School, SchoolLevel

        sent = outreach(period, org)
        if kind == "training_institutions":
            return Institution.objects.filter(pk__in=sent.values("institutions")).distinct()
        schools = School.objects.filter(pk__in=sent.values("schools"))
        level = Q(level=SchoolLevel.KINDERGARTEN)
        return (schools.filter(level) if kind == "kindergartens" else schools.exclude(level)).distinct()
    return records


def free_trainings(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import FreeTraining

    return FreeTraining.objects.filter(organisation__path__startswith=org.path, held_on__gte=period.start,
                                       held_on__lte=period.end)


def _trainees(records: Any) -> Any:
    from django.db.models import Sum

    return lambda p, o: records(p, o).aggregate(n=Sum("trainees"))["n"] or 0


describe_group("business_env", _("The business environment"))
register(Metric(key="business_env.outreach", title=_("Policies brought to private institutions"), measure_word="次",
                definition=_("Policies (tax relief, social security and employment, services) sent in the period to "
                             "private schools, kindergartens and training institutions."),
                count=lambda p, o: outreach(p, o).count(), records=outreach))
for suffix, title, word in (("private_schools", _("Private schools reached"), "所"),
                            ("kindergartens", _("Private kindergartens reached"), "所"),
                            ("training_institutions", _("Training institutions reached"), "家")):
    reached = _reached(suffix)
    register(Metric(key=f"business_env.reached.{suffix}", title=title, measure_word=word,
                    definition=_("Institutions of this kind that the period's policy outreach was sent to, each once."),
                    count=(lambda r: lambda p, o: r(p, o).count())(reached), records=reached))
register(Metric(key="business_env.trainings", title=_("Free training sessions"), measure_word="期",
                definition=_("Free training sessions the bureau arranged in the period for founders, teachers, nursery "
                             "staff and security guards of private institutions."),
                count=lambda p, o: free_trainings(p, o).count(), records=free_trainings))
register(Metric(key="business_env.trainees", title=_("People trained free of charge"), measure_word="人次",
                definition=_("People trained at the period's free training sessions."),
                count=_trainees(free_trainings), records=free_trainings))
for value, title in (("founders", _("Founders and heads trained")), ("teachers", _("Teachers trained")),
                     ("nursery", _("Nursery staff trained")), ("guards", _("Security guards trained"))):
    narrowed = (lambda v: lambda p, o: free_trainings(p, o).filter(audience=v))(value)
    register(Metric(key=f"business_env.trainees.{value}", title=title, measure_word="人次",
                    definition=_("People of this kind trained at the period's free training sessions."),
                    count=_trainees(narrowed), records=narrowed))
for value, title in (("private_school", _("People trained from private schools")),
                     ("kindergarten", _("People trained from private kindergartens")),
                     ("training", _("People trained from training institutions"))):
    narrowed = (lambda v: lambda p, o: free_trainings(p, o).filter(institution_type=v))(value)
    register(Metric(key=f"business_env.trainees.from_{value}", title=title, measure_word="人次",
                    definition=_("People from institutions of this kind trained at the period's free training sessions."),
                    count=_trainees(narrowed), records=narrowed))
