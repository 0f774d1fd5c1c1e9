"""Preparing an intake (plans, zones) until the department has its own policy editor: the system
administrator enters it here, every save in the ledger; publishing and every later change go
through the enrollment pages (with reasons)."""

from typing import Any

from django.contrib import admin

from edugov.accounts.admin import ScopedAdmin

from .models import Intake, IntakeState, Plan, Zone


class PlanInline(admin.TabularInline):
    model = Plan
    ledger_fields = ("school", "places")
    extra = 1
    autocomplete_fields = ("school",)


class ZoneInline(admin.StackedInline):
    model = Zone
    ledger_fields = ("name", "communities", "schools")
    extra = 1
    filter_horizontal = ("schools",)


@admin.register(Intake)
class IntakeAdmin(ScopedAdmin):
    list_display = ("title", "organisation", "year", "grade", "state")
    list_filter = ("state", "grade")
    inlines = (PlanInline, ZoneInline)
    readonly_fields = ("state", "published_at", "lottery", "results_published_at", "job", "version")
    ledger_fields = ("organisation", "department", "year", "title", "grade", "born_from", "born_until", "opens_at",
                     "closes_at", "lottery_on", "results_on")

    def has_change_permission(self, request: Any, obj: Intake | None = None) -> bool:
        # once published, the policy changes only through the page that records the reason
        return super().has_change_permission(request, obj) and (obj is None or obj.state == IntakeState.DRAFT)
