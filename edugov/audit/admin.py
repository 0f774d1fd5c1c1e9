from django.contrib import admin

from edugov.accounts.admin import ScopedReadOnlyAdmin
from edugov.kernel.admin import ReadOnlyAdmin

from .models import Entry, TreeHead


@admin.register(Entry)
class EntryAdmin(ScopedReadOnlyAdmin):
    list_display = ("id", "tree_index", "time", "action", "target_type", "target_id")
    list_filter = ("action",)


@admin.register(TreeHead)
class TreeHeadAdmin(ReadOnlyAdmin):
    list_display = ("tree_size", "root_hash", "timestamp", "key_id")
