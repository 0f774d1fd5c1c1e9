from django.contrib import admin

from edugov.kernel.admin import LedgeredAdmin, ReadOnlyAdmin

from .models import Category, Hotline, Petition


@admin.register(Hotline)
class HotlineAdmin(LedgeredAdmin):
    """The hotline of each bureau and its 3233 rule (phone contacts, meeting for key complaints)."""

    list_display = ("organisation", "office", "opened_on", "min_phone_contacts", "key_requires_meeting")


@admin.register(Category)
class CategoryAdmin(LedgeredAdmin):
    """The editable list of complaint categories."""

    list_display = ("name", "organisation", "position", "is_active")
    list_filter = ("organisation", "is_active")
    list_editable = ("position", "is_active")


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    """Read-only: petitions change through their actions and the case engine."""

    list_display = ("case", "channel", "nature", "category", "validity", "rating")
    list_filter = ("channel", "nature", "validity")
    exclude = ("query_code", "query_digest", "content_digest", "idempotency_key")
