"""Menu entries that domain apps add for the roles that use them (registered in their
AppConfig.ready(), so `accounts` needs to know nothing of the domains)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    order: int = 50


ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if item not in ITEMS:
        ITEMS.append(item)
        ITEMS.sort(key=lambda i: i.order)
