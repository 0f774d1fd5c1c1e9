from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from edugov.kernel.admin import LedgeredAdmin

from .models import Grant, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(LedgeredAdmin):
    list_display = ("code", "name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(LedgeredAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "is_active", "last_login")
    list_filter = ("kind", "is_active")
    search_fields = ("username", "full_name")
    inlines = [GrantInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("full_name", "kind", "phone")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")


@admin.register(Grant)
class GrantAdmin(LedgeredAdmin):
    list_display = ("user", "role", "organisation", "active", "granted_at")
    list_filter = ("role", "active")
    search_fields = ("user__username", "user__full_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")
