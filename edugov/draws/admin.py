from django.contrib import admin

from edugov.accounts.admin import ScopedReadOnlyAdmin

from .models import Draw


@admin.register(Draw)
class DrawAdmin(ScopedReadOnlyAdmin):
    """Read-only: draws are committed and drawn through their actions only."""

    list_display = ("draw_id", "purpose", "state", "committed_at", "drawn_at", "k")
    list_filter = ("state",)
    search_fields = ("draw_id", "purpose")
    exclude = ("sealed_secret",)
