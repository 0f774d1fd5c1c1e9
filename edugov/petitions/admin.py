from django.contrib import admin

from edugov.accounts.admin import ScopedAdmin, ScopedReadOnlyAdmin

from .models import Category, Hotline, Petition


@admin.register(Hotline)
class HotlineAdmin(ScopedAdmin):
    """The hotline of each bureau and its 3233 rule (phone contacts, meeting for key complaints)."""

    list_display = ("organisation", "office", "opened_on", "min_phone_contacts", "key_requires_meeting")
    ledger_fields = ("organisation", "office", "opened_on", "min_phone_contacts", "key_requires_meeting")


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    """The editable list of complaint categories."""

    list_display = ("name", "organisation", "position", "is_active")
    list_filter = ("organisation", "is_active")
    list_editable = ("position", "is_active")
    ledger_fields = ("organisation", "name", "position", "is_active")


@admin.register(Petition)
class PetitionAdmin(ScopedReadOnlyAdmin):
    """Read-only: petitions change through their actions and the case engine."""

    list_display = ("case", "channel", "nature", "category", "validity", "rating")
    list_filter = ("channel", "nature", "validity")
    exclude = ("query_code", "query_digest", "content_digest", "idempotency_key")
    scope_path = "case__organisation__path"
