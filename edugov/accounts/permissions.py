"""Who may act where. Every app's permission functions are built from these primitives.

A grant covers its organisation's subtree. Bureau roles held at a department also read their
district's registries (a department sits under its bureau); school roles see their school only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from .models import BUREAU_ROLES, Absence, Grant, Organisation, OrgKind, Role, User, UserKind


def active_grants(actor: User | None) -> list[Grant]:
    if actor is None or not actor.is_authenticated or not actor.is_active or actor.is_public:
        return []
    cache = getattr(actor, "_grant_cache", None)
    if cache is None:
        cache = list(Grant.objects.filter(user=actor, active=True, organisation__is_active=True)
                     .select_related("organisation"))
        actor._grant_cache = cache  # type: ignore[attr-defined]
    return cache


def standing_in_for(actor: User | None, day: dt.date | None = None) -> list[int]:
    """The people the actor stands in for on the day (their absence recorded, not cancelled): the
    actor sees, acts on and is reminded of the cases assigned to them. Read once per request."""
    if actor is None or not actor.is_authenticated or actor.is_public:
        return []
    day = day or timezone.localdate()
    cache: dict[dt.date, list[int]] = getattr(actor, "_standing_in_cache", None) or {}
    if day not in cache:
        cache[day] = list(Absence.objects.filter(stand_in=actor, starts_on__lte=day, ends_on__gte=day,
                                                 cancelled_at__isnull=True).values_list("user_id", flat=True))
        actor._standing_in_cache = cache  # type: ignore[attr-defined]
    return cache[day]


def away_on(user_id: int, day: dt.date) -> Absence | None:
    """The absence running on the day for a person (the latest recorded), if any."""
    return (Absence.objects.filter(user_id=user_id, starts_on__lte=day, ends_on__gte=day, cancelled_at__isnull=True)
            .select_related("stand_in").order_by("-created_at").first())


def can_record_absence(actor: User | None, user: User) -> bool:
    """A person records their own absence; the head of a unit they work in records it for them."""
    if actor is None or not actor.is_authenticated or actor.is_public:
        return False
    if actor.pk == user.pk:
        return True
    return any(has_role_over(actor, g.organisation, {Role.DEPARTMENT_HEAD, Role.SYSADMIN})
               for g in active_grants(user))


def has_role(actor: User | None, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return any(g.role in wanted for g in active_grants(actor))


def has_role_over(actor: User | None, org: Organisation, roles: Iterable[str]) -> bool:
    """True when the actor holds one of `roles` at `org` or at one of its ancestors."""
    wanted = set(roles)
    return any(g.role in wanted and org.path.startswith(g.organisation.path) for g in active_grants(actor))


def reading_root(grant: Grant) -> Organisation:
    """The subtree a grant lets its holder read registries in."""
    org = grant.organisation
    if grant.role in BUREAU_ROLES and org.kind == OrgKind.DEPARTMENT and org.parent is not None:
        return org.parent
    return org


def reading_paths(actor: User | None, roles: Iterable[str] | None = None) -> list[str]:
    wanted = set(roles) if roles is not None else None
    return sorted({reading_root(g).path for g in active_grants(actor) if wanted is None or g.role in wanted})


def can_read_within(actor: User | None, org: Organisation, roles: Iterable[str] | None = None) -> bool:
    return any(org.path.startswith(p) for p in reading_paths(actor, roles))


def path_filter(paths: Iterable[str], field: str = "organisation__path") -> Q:
    """A Q matching rows whose organisation lies under one of `paths` (nothing when there are none)."""
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field}__startswith": p})
    return q


def is_staff_user(actor: User | None) -> bool:
    return bool(active_grants(actor))


def can_administer_accounts(actor: User | None, org: Organisation) -> bool:
    return has_role_over(actor, org, {Role.SYSADMIN})


def can_set_legal_settings(actor: User | None, org: Organisation) -> bool:
    """A district's legal settings are set by its system administrator or a bureau leader."""
    return has_role_over(actor, org, {Role.SYSADMIN, Role.BUREAU_LEADER})


def can_administer_user(actor: User | None, user: User) -> bool:
    """A system administrator over every organisation where the user holds a role. A staff account
    with no role yet (just made) is any system administrator's to place; a citizen's account only
    an administrator's at the top of the tree."""
    grants = list(user.grants.select_related("organisation"))
    if grants:
        return all(can_administer_accounts(actor, g.organisation) for g in grants)
    if user.kind == UserKind.STAFF:
        return has_role(actor, {Role.SYSADMIN})
    return any(can_administer_accounts(actor, org) for org in Organisation.objects.filter(parent__isnull=True))
