"""The registers in the admin: scoped to the administrator's district and written through the
registries actions (the same checks and entries as the registers' pages). A person's identity
number and mobile stay off the admin: they are entered, and unmasked with a record, on the
people register's page."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _

from edugov.accounts.admin import ScopedAdmin
from edugov.kernel.errors import EdugovError

from . import actions
from .forms import InstitutionForm, PersonForm, SchoolForm
from .models import Institution, Person, School


def _data(form: Any, fields: list[str]) -> dict[str, Any]:
    return {f: form.cleaned_data[f] for f in fields if f in form.cleaned_data}


@admin.register(School)
class SchoolAdmin(ScopedAdmin):
    list_display = ("code", "name", "level", "is_private", "enrolled_students")
    list_filter = ("level", "is_private")
    search_fields = ("code", "name", "initials")
    fields = (*SchoolForm.Meta.fields,)

    def has_add_permission(self, request: Any) -> bool:
        return False  # a school is registered on the register's page, under the bureau it belongs to

    def save_action(self, request: Any, obj: School, form: Any, change: bool) -> School:
        try:
            return actions.school_update(actor=request.user, school=School.objects.get(pk=obj.pk),
                                         data=_data(form, form.changed_data))
        except EdugovError as exc:
            raise DjangoPermissionDenied(exc.message) from exc


@admin.register(Institution)
class InstitutionAdmin(ScopedAdmin):
    list_display = ("name", "credit_code", "kind", "status")
    list_filter = ("kind", "status")
    search_fields = ("name", "credit_code", "initials")
    fields = (*InstitutionForm.Meta.fields,)

    def has_add_permission(self, request: Any) -> bool:
        return False  # registered on the register's page, with the district it belongs to

    def save_action(self, request: Any, obj: Institution, form: Any, change: bool) -> Institution:
        try:
            return actions.institution_update(actor=request.user, institution=Institution.objects.get(pk=obj.pk),
                                              data=_data(form, form.changed_data))
        except EdugovError as exc:
            raise DjangoPermissionDenied(exc.message) from exc


@admin.register(Person)
class PersonAdmin(ScopedAdmin):
    list_display = ("name", "kind", "organisation", "is_active")
    list_filter = ("kind",)
    search_fields = ("name",)
    fields = tuple(f for f in PersonForm.Meta.fields if f not in ("identity_number", "phone"))

    def has_add_permission(self, request: Any) -> bool:
        return False  # entered on the people register's page, where the identity number is checked

    def save_action(self, request: Any, obj: Person, form: Any, change: bool) -> Person:
        try:
            return actions.person_update(actor=request.user, person=Person.objects.get(pk=obj.pk),
                                         data=_data(form, form.changed_data))
        except EdugovError as exc:
            raise DjangoPermissionDenied(exc.message) from exc

    def delete_action(self, request: Any, obj: Person) -> None:
        raise DjangoPermissionDenied(_("A person leaves the register by being marked inactive, with the reason."))
