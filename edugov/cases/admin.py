from django.contrib import admin

from edugov.accounts.admin import ScopedReadOnlyAdmin

from .models import Case


@admin.register(Case)
class CaseAdmin(ScopedReadOnlyAdmin):
    """Read-only: cases change state only through the engine."""

    list_display = ("reference", "kind", "state", "organisation", "department", "next_due_on")
    list_filter = ("kind", "state", "is_open")
    search_fields = ("reference", "title")
    exclude = ("contact_name", "contact_phone")
