"""The port through which records of one app are read by a mechanism beside it, without either
importing the other (the layer contract keeps cases, documents and the other shared mechanisms
independent): a record is named "kind:key" ("case:297", "finding:12").

- readers: the owning app says who may read a record (cases: whoever sees the case, or its
  applicant; enforcement: whoever sees the inspection). documents.views asks before handing out a
  document of that record.
- listings: a mechanism lists what it holds for a record (documents: the record's issued
  documents), which the owning app's page shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_readers: dict[str, Callable[[Any, str], bool]] = {}
_listings: dict[str, Callable[[str], Any]] = {}


def register_reader(kind: str, reader: Callable[[Any, str], bool]) -> None:
    _readers[kind] = reader


def can_read(actor: Any, subject: str) -> bool:
    """Whether `actor` may read the record `subject`; a kind nobody registered is read by nobody."""
    kind, _sep, key = subject.partition(":")
    reader = _readers.get(kind)
    return bool(reader is not None and key and reader(actor, key))


def register_listing(name: str, listing: Callable[[str], Any]) -> None:
    _listings[name] = listing


def listing(name: str, subject: str) -> Any:
    """What the mechanism `name` holds for the record (empty when it is not installed)."""
    source = _listings.get(name)
    return source(subject) if source is not None else []
