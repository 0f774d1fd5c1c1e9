from django.contrib import admin

from edugov.kernel.admin import LedgeredAdmin

from .models import EnforcementItem, InspectionMatter, TargetProfile


@admin.register(InspectionMatter)
class InspectionMatterAdmin(LedgeredAdmin):
    list_display = ("name", "organisation", "method", "frequency")
    list_filter = ("organisation",)


@admin.register(EnforcementItem)
class EnforcementItemAdmin(LedgeredAdmin):
    list_display = ("code", "name", "organisation", "department", "claimed_at", "released_at")
    list_filter = ("organisation",)
    search_fields = ("code", "name")
    readonly_fields = ("claimed_at", "released_at", "release_reason")  # claiming goes through the page (ledger)


@admin.register(TargetProfile)
class TargetProfileAdmin(LedgeredAdmin):
    list_display = ("institution", "risk")
    list_filter = ("risk",)
    search_fields = ("institution__name",)
    filter_horizontal = ("conflicts",)
