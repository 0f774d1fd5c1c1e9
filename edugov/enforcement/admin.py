from django.contrib import admin

from edugov.accounts.admin import ScopedAdmin

from .models import EnforcementItem, InspectionMatter, TargetProfile


@admin.register(InspectionMatter)
class InspectionMatterAdmin(ScopedAdmin):
    list_display = ("name", "organisation", "method", "frequency")
    list_filter = ("organisation",)
    ledger_fields = ("organisation", "name", "content", "legal_basis", "method", "frequency", "publication",
                     "checklist", "is_active")


@admin.register(EnforcementItem)
class EnforcementItemAdmin(ScopedAdmin):
    list_display = ("code", "name", "organisation", "department", "claimed_at", "released_at")
    list_filter = ("organisation",)
    search_fields = ("code", "name")
    readonly_fields = ("claimed_at", "released_at", "release_reason")  # claiming goes through the page (ledger)
    ledger_fields = ("organisation", "code", "name", "legal_basis", "fine_min", "fine_max", "department")


@admin.register(TargetProfile)
class TargetProfileAdmin(ScopedAdmin):
    list_display = ("institution", "risk")
    list_filter = ("risk",)
    search_fields = ("institution__name",)
    filter_horizontal = ("conflicts",)
    scope_path = "institution__organisation__path"
    ledger_fields = ("institution", "risk", "conflicts")
