"""Case reads for the workbench, limited to what the actor may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import active_grants, reading_root, standing_in_for
from edugov.kernel.access import access
from edugov.kernel.calendar import get_calendar
from edugov.kernel.crypto import blind_index

from .models import Attachment, Case, CaseClock, Recusal, Reminder
from .permissions import NEED_TO_KNOW, OVERSIGHT, can_view_case
from .workflow import all_workflows, get_workflow, need_to_know_kinds, party_clocks, reviewed_kinds


def visible_cases(actor: User | None) -> QuerySet[Case]:
    """Cases handled by a unit under one of the actor's grants, cases of an organisation the actor
    oversees, and cases assigned to the actor."""
    if actor is None or not actor.is_authenticated:
        return Case.objects.none()
    # a need-to-know kind (a misconduct report) is read by its handler and its handling unit only,
    # never by anyone whose unit is recused from it (permissions.in_the_know, the same rule in SQL)
    secret = need_to_know_kinds()
    q = handled_by(actor)
    own: set[str] = set()
    above: set[str] = set()
    for g in active_grants(actor):
        above.update(_ancestry(g.organisation.path))
        if g.role == Role.LEGAL_VP:
            continue
        q |= Q(department_id__in=_subtree(g.organisation.path))
        if g.role in OVERSIGHT:  # the supervision office follows every case of its bureau
            q |= Q(organisation_id__in=_subtree(reading_root(g).path))
        elif g.role == Role.DEPARTMENT_HEAD:
            q |= Q(organisation_id__in=_subtree(g.organisation.path))
        elif g.role == Role.LEGAL_REVIEWER:  # the kinds whose major decisions they review, bureau-wide
            q |= Q(organisation_id__in=_subtree(reading_root(g).path), kind__in=reviewed_kinds())
        if g.role in NEED_TO_KNOW:
            own.update(_ancestry(g.organisation.path))
    if secret:
        units = list(Organisation.objects.filter(path__in=own).values_list("id", flat=True)) if own else []
        recused = Recusal.objects.filter(case=OuterRef("pk"), organisation__path__in=above)
        q = (q & ~Q(kind__in=secret)) | (Q(kind__in=secret) & (handled_by(actor) | Q(department_id__in=units))
                                         & Q(~Exists(recused)))
    return Case.objects.filter(q)


def _ancestry(path: str) -> list[str]:
    """The paths of a node and the nodes above it: "/a/b/c/" → ["/a/", "/a/b/", "/a/b/c/"]."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes) + 1)]


def handled_by(actor: User) -> Q:
    """Cases assigned to the actor or to a colleague the actor stands in for today."""
    covered = standing_in_for(actor)
    return Q(assignee_id__in=[actor.pk, *covered]) if covered else Q(assignee=actor)


def _subtree(path: str) -> list[int]:
    """The ids of the organisations under `path` (itself included): a case is then filtered on its
    indexed unit columns instead of a join on the tree's paths (the workbench's counts at a
    million cases: issue 26)."""
    return list(Organisation.objects.filter(path__startswith=path).values_list("id", flat=True))


def workbench_counts(actor: User, views: list[str], today: dt.date) -> dict[str, int]:
    """The count of every open-case tab, each the count of the list the tab shows, in one pass over
    the person's visible open cases (COUNT … FILTER per tab: one scan instead of one per tab)."""
    filters = {view: _open_view(actor, view, today) for view in views}
    counted = {view: Count("pk", filter=q) if q else Count("pk") for view, q in filters.items() if q is not None}
    return visible_cases(actor).filter(is_open=True).aggregate(**counted)


def unit_month(actor: User, today: dt.date) -> list[dict[str, object]]:
    """A leader's view of the units (issue 26): for each handling unit among the cases the actor sees,
    its open and overdue cases today, and of the cases closed this month how many met every time
    limit (the on-time rate, None when none closed). One grouped query."""
    month = timezone.make_aware(dt.datetime(today.year, today.month, 1))
    closed = Q(is_open=False, closed_at__gte=month)
    late = Exists(CaseClock.objects.filter(case=OuterRef("pk"), met=False))
    rows = (visible_cases(actor).filter(department__isnull=False)
            .values("department_id", "department__name")
            .annotate(open=Count("pk", filter=Q(is_open=True)),
                      overdue=Count("pk", filter=Q(is_open=True, next_due_on__lt=today)),
                      closed=Count("pk", filter=closed), late=Count("pk", filter=closed & Q(late)))
            .filter(Q(open__gt=0) | Q(closed__gt=0)).order_by("department__name"))
    return [{**r, "on_time": round(100 * (r["closed"] - r["late"]) / r["closed"], 1) if r["closed"] else None}
            for r in rows]


def due_details(cases: list[Case], today: dt.date) -> dict[int, dict[str, object]]:
    """For the cases of one page: the bureau's next due clock with its legal basis and the working
    days left (negative when overdue), and any party window still open. One query."""
    from edugov.kernel import rules

    party = party_clocks()
    cal = get_calendar()
    out: dict[int, dict[str, object]] = {c.pk: {} for c in cases}
    kinds = {c.pk: c.kind for c in cases}
    for clock in CaseClock.objects.filter(case_id__in=list(out), stopped_on__isnull=True).order_by("due_on"):
        info = out[clock.case_id]
        spec = get_workflow(kinds[clock.case_id]).clock_specs().get(clock.name)
        if clock.name in party.get(kinds[clock.case_id], ()):
            if clock.due_on >= today and "party" not in info:
                info["party"] = clock
            continue
        if "clock" in info or clock.paused_on is not None:
            continue
        info["clock"] = clock
        info["basis"] = str(rules.get(spec.rule).basis) if spec is not None and spec.rule else ""
        info["left"] = left = (cal.working_days_between(today, clock.due_on) if clock.due_on >= today
                               else -max(1, cal.working_days_between(clock.due_on, today)))
        info["overdue_by"] = -left
    return out


def department_ids(actor: User) -> list[int]:
    return [g.organisation_id for g in active_grants(actor) if g.organisation.kind in ("department", "school")]


def _acting_states() -> dict[str, dict[str, set[str]]]:
    """Per role, per kind, the states in which a step of the kind is that role's to take."""
    out: dict[str, dict[str, set[str]]] = {}
    for wf in all_workflows():
        for t in wf.transitions:
            for role in t.roles:
                out.setdefault(role, {}).setdefault(wf.kind, set()).update(
                    s for s in t.source if s not in wf.terminal)
    return out


def actionable(actor: User) -> Q:
    """Open cases with a step for the actor to take now (待办): a step of the case's state is one of
    the actor's roles over the case's unit (the engine's `can_act_on_case`), or the supervision
    office's bureau-wide, or the case is the actor's (or an absent colleague's they stand in for).
    One indexed query, whatever the kind."""
    q = handled_by(actor)
    states = _acting_states()
    subtrees: dict[str, list[int]] = {}
    for g in active_grants(actor):
        steps = Q(pk__in=[])
        for kind, in_states in sorted(states.get(g.role, {}).items()):
            steps |= Q(kind=kind, state__in=sorted(in_states))
        if not states.get(g.role):
            continue
        # the scope once per grant, after the (kind, state) pairs: one test per row, not one per kind
        if g.role in OVERSIGHT or g.role == Role.LEGAL_REVIEWER:  # bureau-wide (legal review: its kinds)
            root = reading_root(g).path
            q |= steps & Q(organisation_id__in=subtrees.setdefault(root, _subtree(root)))
        else:
            ids = subtrees.setdefault(g.organisation.path, _subtree(g.organisation.path))
            q |= steps & (Q(department_id__in=ids) | Q(department__isnull=True, organisation_id__in=ids))
    return q


def waiting_on_party() -> Q:
    """Open cases with a party's window running (the party may still state a case, ask or pay)."""
    q = Q(pk__in=[])
    for kind, names in party_clocks().items():
        if names:
            # the kind first: PostgreSQL evaluates an AND's terms in order, so the subquery runs
            # only for cases of a kind that has party windows (not for every open case)
            q |= Q(kind=kind) & Q(Exists(CaseClock.objects.filter(case=OuterRef("pk"), name__in=sorted(names),
                                                                  stopped_on__isnull=True)))
    return q


def _open_view(actor: User, view: str, today: dt.date) -> Q | None:
    """What each open-case tab adds to "visible and open" (None: not an open-case tab)."""
    if view == "todo":
        return actionable(actor)
    if view == "mine":
        return handled_by(actor)
    if view == "department":
        return Q(department_id__in=department_ids(actor))
    if view == "today":
        return Q(next_due_on=today)
    if view == "week":
        return Q(next_due_on__gte=today, next_due_on__lte=today + dt.timedelta(days=6 - today.weekday()))
    if view == "overdue":
        return Q(next_due_on__lt=today)
    if view == "waiting":
        return waiting_on_party()
    if view == "open":
        return Q()
    return None


ORDER = {"todo": (F("next_due_on").asc(nulls_last=True), "opened_at"), "today": ("opened_at",),
         "waiting": ("opened_at",), "overdue": ("next_due_on",), "week": ("next_due_on",)}


def workbench(actor: User, view: str, today: dt.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    base = visible_cases(actor)
    if view == "closed":
        return base.filter(is_open=False).order_by("-closed_at")
    q = _open_view(actor, view, today)
    if q is None:
        q, view = Q(), "open"
    return base.filter(q, is_open=True).order_by(*ORDER.get(view, ("next_due_on", "opened_at")))


# What a case list shows; lists load these columns only (the contact fields stay sealed).
LIST_FIELDS = ("id", "kind", "reference", "title", "state", "is_open", "next_due_on", "opened_at", "closed_at",
               "organisation_id", "department_id", "assignee_id", "version",
               "department__name", "assignee__full_name", "assignee__username")


def as_list(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("department", "assignee").only(*LIST_FIELDS)


class _Named:
    """A unit or a handler as a list row shows it (its name), without a model instance's cost."""

    __slots__ = ("pk", "name")

    def __init__(self, pk: int, name: str) -> None:
        self.pk, self.name = pk, name

    def __str__(self) -> str:
        return self.name


class UnitOverdue:
    """One unit's overdue list as a page reads it (issue 26's benchmark: within 2x of a bare indexed
    SELECT): a count and a slice, each one statement on the partial index `case_dept_due`, written
    as SQL because the ORM's fixed cost per query and per instance was 4x the bare query's time.
    Each row is a `Case` with its unit and handler attached (their names only), so the list makes
    no further query. Slicing is what `Paginator` does."""

    SELECT = (
        'SELECT c.id, c.kind, c.reference, c.title, c.state, c.is_open, c.next_due_on, c.opened_at, c.closed_at, '
        'c.organisation_id, c.department_id, c.assignee_id, c.version, d.name AS department_name, '
        'u.full_name AS assignee_full_name, u.username AS assignee_username '
        'FROM cases_case c LEFT JOIN accounts_organisation d ON d.id = c.department_id '
        'LEFT JOIN accounts_user u ON u.id = c.assignee_id '
        'WHERE c.department_id = %s AND c.is_open AND c.next_due_on < %s ORDER BY c.next_due_on, c.id')

    def __init__(self, department_id: int, today: dt.date) -> None:
        self.department_id, self.today = department_id, today

    def count(self) -> int:
        return Case.objects.filter(department_id=self.department_id, is_open=True, next_due_on__lt=self.today).count()

    def __len__(self) -> int:
        return self.count()

    def _rows(self, limit: int | None, offset: int) -> list[Case]:
        # raw() applies each backend's converters (SQLite returns dates as text), then the two names
        sql = self.SELECT + (" LIMIT %s OFFSET %s" if limit is not None else "")
        params: list[object] = [self.department_id, self.today] + ([limit, offset] if limit is not None else [])
        rows = list(Case.objects.raw(sql, params))
        for case in rows:
            extra = case.__dict__
            case._state.fields_cache["department"] = _Named(self.department_id, extra["department_name"])
            case._state.fields_cache["assignee"] = (
                _Named(case.assignee_id, extra["assignee_full_name"] or extra["assignee_username"])
                if case.assignee_id else None)
        return rows

    def __getitem__(self, k: slice) -> list[Case]:
        start, stop = k.start or 0, k.stop
        return self._rows(None if stop is None else stop - start, start)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._rows(None, 0))


def overdue_for_department(department_id: int, today: dt.date) -> UnitOverdue:
    """The overdue list of one unit: an index range scan on (department, next_due_on) WHERE is_open."""
    return UnitOverdue(department_id, today)


def whole_units(actor: User) -> set[int]:
    """The units whose every case the actor sees (a reviewer's bureau-wide reading covers only the
    kinds it reviews, so it is not here): where a unit's list may be read without the actor's filter."""
    ids: set[int] = set()
    for g in active_grants(actor):
        if g.role in (Role.LEGAL_VP, Role.LEGAL_REVIEWER):
            continue
        ids.update(_subtree(g.organisation.path))
        if g.role in OVERSIGHT or g.role == Role.DEPARTMENT_HEAD:
            ids.update(_subtree((reading_root(g) if g.role in OVERSIGHT else g.organisation).path))
    return ids


def due_soon_date(today: dt.date, working_days: int) -> dt.date:
    return get_calendar().add_working_days(today, working_days).date


def search(qs: QuerySet[Case], query: str) -> QuerySet[Case]:
    query = (query or "").strip()
    if not query:
        return qs
    q = Q(reference__icontains=query) | Q(title__icontains=query)
    digits = query.replace(" ", "")
    if digits.isdigit() and len(digits) == 11:
        q |= Q(contact_phone_index=blind_index(digits, purpose="phone"))
    if not query.isascii() and 2 <= len(query) <= 10:
        q |= Q(contact_name_index=blind_index(query, purpose="name"))
    return qs.filter(q)


def access_case(actor: User, pk: object, for_: str = "read") -> Case:
    """A case of any kind, for those who may see it."""
    return access(Case.objects.select_related("organisation", "department", "assignee"), pk,
                  lambda c: can_view_case(actor, c), _("You may not see this case."))


def provisional_years() -> list[int]:
    """Years of running clocks counted without holiday data (provisional deadlines)."""
    return list(CaseClock.objects.filter(provisional=True, stopped_on__isnull=True)
                .values_list("due_on__year", flat=True).distinct())


def unread_reminders(actor: User) -> QuerySet[Reminder]:
    return Reminder.objects.filter(recipient=actor.pk, read_at__isnull=True).select_related("clock__case")[:10]


def access_attachment(actor: User, case: Case, pk: object) -> Attachment:
    """A file of a case the actor already reached through `access_case`."""
    return access(case.attachments.all(), pk, lambda a: True, "")


def assignable_people(actor: User | None) -> QuerySet[User]:
    """Who the actor may give a case to: active staff of the units under the actor's routing roles
    (a unit's head: the unit; a leader or the supervision office: the bureau)."""
    from .permissions import ASSIGNERS

    if actor is None or not actor.is_authenticated:
        return User.objects.none()
    ids: set[int] = set()
    for g in active_grants(actor):
        if g.role in ASSIGNERS:
            root = reading_root(g) if g.role != Role.DEPARTMENT_HEAD else g.organisation
            ids.update(_subtree(root.path))
    if not ids:
        return User.objects.none()
    staff_roles = [r for r in Role.values if r not in (Role.LEGAL_VP, Role.AUDITOR)]
    return (User.objects.filter(is_active=True, grants__active=True, grants__organisation_id__in=ids,
                                grants__role__in=staff_roles).distinct().order_by("full_name", "username"))


def open_cases_for(actor: User | None) -> QuerySet[Case]:
    """The open cases the actor sees: what a list's checkboxes may name."""
    return visible_cases(actor).filter(is_open=True)


def unit_choices(actor: User | None) -> dict[str, list[Organisation]]:
    """The handling units a person may filter the workbench by: the departments and the schools
    under the scopes they read cases in (a leader: the bureau's; a unit's staff: their unit)."""
    if actor is None or not actor.is_authenticated:
        return {"department": [], "school": []}
    roots = {reading_root(g).path if g.role in OVERSIGHT | {Role.LEGAL_REVIEWER} else g.organisation.path
             for g in active_grants(actor) if g.role != Role.LEGAL_VP}
    ids = {i for path in roots for i in _subtree(path)}
    units = Organisation.objects.filter(pk__in=ids, kind__in=("department", "school"), is_active=True).order_by(
        "kind", "name")
    out: dict[str, list[Organisation]] = {"department": [], "school": []}
    for unit in units:
        out[unit.kind].append(unit)
    return out
