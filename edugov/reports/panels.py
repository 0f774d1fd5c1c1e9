"""Dashboard panels that need the case engine, added to the figures page through its hook."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation
from edugov.cases.selectors import visible_cases


def overdue_by_unit(viewer: Any, org: Organisation, year: int) -> dict[str, Any] | None:
    """Open cases past their time limit, per handling unit and kind: what a leader chases today
    (the viewer's own visibility applies)."""
    today = timezone.localdate()
    rows = (visible_cases(viewer).filter(organisation__path__startswith=org.path, is_open=True, next_due_on__lt=today)
            .values("department__name", "kind").annotate(n=Count("id")).order_by("-n", "department__name"))
    url = reverse("cases:workbench") + "?view=overdue"
    from edugov.cases.workflow import get_workflow

    def kind_label(kind: str) -> str:
        try:
            return str(get_workflow(kind).title)
        except LookupError:
            return kind
    return {"title": _("Overdue cases today"), "header": [_("Unit"), _("Kind"), _("Overdue")],
            "empty": _("No case is overdue."),
            "rows": [[(r["department__name"] or "—", ""), (kind_label(r["kind"]), ""), (str(r["n"]), url)]
                     for r in rows[:30]]}
