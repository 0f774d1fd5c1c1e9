"""The port through which an app puts a matter before a person on the workbench without the case
engine importing it (the layer contract keeps cases below the domain apps): an app registers a
source in its AppConfig.ready(); the workbench asks every source for the signed-in person.

A source returns `Attention` items: one line each, with the page where it is dealt with. It is
asked on every workbench load, so it answers with one or two queries and nothing for a person it
does not concern."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Attention:
    text: str
    url: str


Source = Callable[[Any, dt.date], list[Attention]]
_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def for_person(actor: Any, today: dt.date) -> list[Attention]:
    items: list[Attention] = []
    for source in _sources:
        items.extend(source(actor, today))
    return items
