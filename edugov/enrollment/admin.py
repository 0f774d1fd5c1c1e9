"""Preparing an intake (plans, zones) until the department has its own policy editor: the system
administrator enters it here, every save in the ledger; publishing and every later change go
through the enrollment pages (with reasons)."""

from typing import Any

from django.contrib import admin

from edugov.kernel import ledger_port
from edugov.kernel.admin import LedgeredAdmin

from .models import Intake, IntakeState, Plan, Zone


class PlanInline(admin.TabularInline):
    model = Plan
    extra = 1
    autocomplete_fields = ("school",)


class ZoneInline(admin.StackedInline):
    model = Zone
    extra = 1
    filter_horizontal = ("schools",)


@admin.register(Intake)
class IntakeAdmin(LedgeredAdmin):
    list_display = ("title", "organisation", "year", "grade", "state")
    list_filter = ("state", "grade")
    inlines = (PlanInline, ZoneInline)
    readonly_fields = ("state", "published_at", "lottery", "results_published_at", "job", "version")

    def has_change_permission(self, request: Any, obj: Intake | None = None) -> bool:
        # once published, the policy changes only through the page that records the reason
        return super().has_change_permission(request, obj) and (obj is None or obj.state == IntakeState.DRAFT)

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        ledger_port.record(actor=request.user, action=f"intake.{formset.model._meta.model_name}s_save",
                           target=form.instance, after={"rows": len(formset.forms)})
