from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction

from . import ledger_port
from .errors import EdugovError
from .models import CalendarDay, CalendarYear


def _plain(value: Any) -> Any:
    """A form value as the ledger keeps it: a record by its label and key, sets as lists."""
    if hasattr(value, "_meta"):
        return f"{value._meta.label_lower}:{value.pk}"
    if hasattr(value, "model") and hasattr(value, "values_list"):  # a queryset (many-to-many)
        return sorted(value.values_list("pk", flat=True))
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


class LedgeredAdmin(admin.ModelAdmin):
    """The admin writes as every other path does: through the app's action when it has one
    (`save_action`, `delete_action`), otherwise with an entry of its own in the same transaction.
    Either way an entry records only the fields in `ledger_fields`, which are declared to the
    ledger as the family `<model name>` (secrets cannot be declared); everything else the form
    changed is named, not copied ("changed": [...]), so a password or a key never enters."""

    ledger_fields: tuple[str, ...] = ()
    # (request, obj, form, change) → the saved object, through the app's action
    save_action: Any = None
    # (request, obj) → None, through the app's action
    delete_action: Any = None

    def __init__(self, model: Any, admin_site: Any) -> None:
        super().__init__(model, admin_site)
        ledger_port.declare(model._meta.model_name, (*self.ledger_fields, "changed", "repr"))

    def _entry(self, form: Any) -> dict[str, Any]:
        changed = list(getattr(form, "changed_data", []))
        after = {f: _plain(form.cleaned_data.get(f)) for f in changed if f in self.ledger_fields}
        return {**after, "changed": changed}

    @transaction.atomic
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if self.save_action is not None:
            try:
                saved = self.save_action(request, obj, form, change)
            except EdugovError as exc:  # the action's refusal, in its own words; nothing was written
                raise PermissionDenied(exc.message) from exc
            if saved is not None and saved is not obj:  # the action made its own instance: the admin goes on with it
                obj.pk = saved.pk
                obj._state.adding, obj._state.db = False, saved._state.db
            return
        super().save_model(request, obj, form, change)
        ledger_port.record(actor=request.user, action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
                           target=obj, after=self._entry(form))

    @transaction.atomic
    def delete_model(self, request: Any, obj: Any) -> None:
        if self.delete_action is not None:
            try:
                self.delete_action(request, obj)
            except EdugovError as exc:
                raise PermissionDenied(exc.message) from exc
            return
        ledger_port.record(actor=request.user, action=f"{obj._meta.model_name}.delete", target=obj,
                           before={"repr": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    @transaction.atomic
    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        """Inline rows: each added, changed or deleted row leaves its entry (they recorded
        nothing before), with the fields the inline declares in its own `ledger_fields`."""
        fields: tuple[str, ...] = tuple(getattr(formset, "ledger_fields", None) or getattr(
            self._inline_for(formset), "ledger_fields", ()) or ())
        name = formset.model._meta.model_name
        ledger_port.declare(name, (*fields, "changed", "repr"))
        deleted = [(f.instance._meta.label_lower, str(f.instance.pk), str(f.instance))
                   for f in getattr(formset, "deleted_forms", []) if f.instance.pk is not None]
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            ledger_port.record(actor=request.user, action=f"{name}.create", target=obj,
                               after={f: _plain(getattr(obj, f, None)) for f in fields})
        for obj, changed in formset.changed_objects:
            ledger_port.record(actor=request.user, action=f"{name}.update", target=obj,
                               after={**{f: _plain(getattr(obj, f, None)) for f in changed if f in fields},
                                      "changed": list(changed)})
        for label, pk, text in deleted:
            ledger_port.record(actor=request.user, action=f"{name}.delete", target_type=label, target_id=pk,
                               before={"repr": text})

    def _inline_for(self, formset: Any) -> Any:
        return next((i for i in self.inlines if i.model is formset.model), None)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(LedgeredAdmin):
    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(LedgeredAdmin):
    list_display = ("year", "source", "loaded_at")
