"""The registers in the admin: scoped to the administrator's district and written through the
registries actions (the same checks and entries as the registers' pages). Adding a school, an
institution or a person stays on the registers' pages (where the district and the identity number
are checked); a person's identity number and mobile stay off the admin (entered, and unmasked with
a record, on the people register's page)."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _

from edugov.accounts.admin import ScopedAdmin

from . import actions
from .forms import InstitutionForm, PersonForm, SchoolForm
from .models import Institution, Person, School


class RegisterAdmin(ScopedAdmin):
    """A register's rows, changed through the register's update action (`update_action`, taking the row
    under the keyword `record`)."""

    update_action: Callable[..., Any]
    record = ""

    def has_add_permission(self, request: Any) -> bool:
        return False

    def save_action(self, request: Any, obj: Any, form: Any, change: bool) -> Any:
        data = {f: form.cleaned_data[f] for f in form.changed_data if f in form.cleaned_data}
        return type(self).update_action(actor=request.user, **{self.record: type(obj).objects.get(pk=obj.pk)}, data=data)


@admin.register(School)
class SchoolAdmin(RegisterAdmin):
    list_display = ("code", "name", "level", "is_private", "enrolled_students")
    list_filter = ("level", "is_private")
    search_fields = ("code", "name", "initials")
    fields = (*SchoolForm.Meta.fields,)
    update_action, record = actions.school_update, "school"


@admin.register(Institution)
class InstitutionAdmin(RegisterAdmin):
    list_display = ("name", "credit_code", "kind", "status")
    list_filter = ("kind", "status")
    search_fields = ("name", "credit_code", "initials")
    fields = (*InstitutionForm.Meta.fields,)
    update_action, record = actions.institution_update, "institution"


@admin.register(Person)
class PersonAdmin(RegisterAdmin):
    list_display = ("name", "kind", "organisation", "is_active")
    list_filter = ("kind",)
    search_fields = ("name",)
    fields = tuple(f for f in PersonForm.Meta.fields if f not in ("identity_number", "phone"))
    update_action, record = actions.person_update, "person"

    def delete_action(self, request: Any, obj: Person) -> None:
        raise DjangoPermissionDenied(_("A person leaves the register by being marked inactive, with the reason."))
