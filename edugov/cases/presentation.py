"""How a kind of case is shown on the case page: the domain's template, its own step URL, and the
extra context its template needs. Registered by each app from its AppConfig.ready() (its views
own the presentation), so that workflows, which actions import, never import views."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Presentation:
    detail_template: str
    step_url: str = ""  # the domain's own step view (taking the case pk); it then renders its steps
    context: Callable[[Any, Any], dict[str, Any]] | None = None  # (case, viewer) → context

    def context_for(self, case: Any, viewer: Any) -> dict[str, Any]:
        return self.context(case, viewer) if self.context else {}


_registry: dict[str, Presentation] = {}


def register(kinds: str | Iterable[str], presentation: Presentation) -> None:
    for kind in ([kinds] if isinstance(kinds, str) else kinds):
        _registry[kind] = presentation


def of(kind: str) -> Presentation | None:
    return _registry.get(kind)
