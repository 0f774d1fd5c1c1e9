from django.contrib import admin

from edugov.kernel.admin import LedgeredAdmin

from .models import Institution, Person, School


@admin.register(School)
class SchoolAdmin(LedgeredAdmin):
    list_display = ("code", "name", "level", "is_private", "enrolled_students")
    list_filter = ("level", "is_private")
    search_fields = ("code", "name", "initials")


@admin.register(Institution)
class InstitutionAdmin(LedgeredAdmin):
    list_display = ("name", "credit_code", "kind", "status")
    list_filter = ("kind", "status")
    search_fields = ("name", "credit_code", "initials")


@admin.register(Person)
class PersonAdmin(LedgeredAdmin):
    list_display = ("name", "kind", "organisation", "is_active")
    list_filter = ("kind",)
    search_fields = ("name",)
    exclude = ("identity_number", "phone")
