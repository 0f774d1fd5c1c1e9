from __future__ import annotations

from typing import Any

from django.contrib import admin

from . import ledger_port
from .models import CalendarDay, CalendarYear


class LedgeredAdmin(admin.ModelAdmin):
    """Admin saves and deletes append their ledger entry like every other write."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        ledger_port.record(actor=request.user, action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
                           target=obj, after={f: str(form.cleaned_data.get(f)) for f in form.changed_data})

    def delete_model(self, request: Any, obj: Any) -> None:
        ledger_port.record(actor=request.user, action=f"{obj._meta.model_name}.delete", target=obj,
                           before={"repr": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


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
