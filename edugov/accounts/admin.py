"""The Django admin, held to the rules of every other path: it lists and edits only what the
signed-in administrator's grants cover (a superuser flag does not widen a district's reach), it
writes users, grants and passwords through the accounts actions, and it shows a mobile number
masked (unmasking, with its ledger entry, is the registers' page's)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from edugov.kernel.admin import LedgeredAdmin, ReadOnlyAdmin
from edugov.kernel.errors import EdugovError

from . import actions as account_actions
from .models import Grant, Organisation, User, UserKind
from .permissions import can_administer_accounts, path_filter, reading_paths


class ScopedAdmin(LedgeredAdmin):
    """An admin whose rows, and whose organisation choices, lie in the administrator's scope:
    `scope_path` is the lookup from the model to its organisation's tree path."""

    scope_path = "organisation__path"

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).filter(path_filter(reading_paths(request.user), self.scope_path))

    def formfield_for_foreignkey(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        if db_field.remote_field.model is Organisation:
            kwargs["queryset"] = Organisation.objects.filter(path_filter(reading_paths(request.user), "path"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        org = _organisation_of(obj)
        if org is not None and not any(org.path.startswith(p) for p in reading_paths(request.user)):
            raise DjangoPermissionDenied(_("This organisation is outside your scope."))
        super().save_model(request, obj, form, change)


class ScopedReadOnlyAdmin(ReadOnlyAdmin):
    """A read-only admin listing only the rows in the administrator's scope."""

    scope_path = "organisation__path"

    def get_queryset(self, request: Any) -> Any:
        return super().get_queryset(request).filter(path_filter(reading_paths(request.user), self.scope_path))


def _organisation_of(obj: Any) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj.parent or obj
    return getattr(obj, "organisation", None)


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin):
    list_display = ("code", "name", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    scope_path = "path"
    ledger_fields = ("code", "name", "kind", "parent", "is_active", "case_prefix")


class GrantInline(admin.TabularInline):
    """Roles are given and taken through accounts.actions (grant_role, revoke_role): their scope
    check applies here too, and each leaves its entry."""

    model = Grant
    extra = 0
    autocomplete_fields = ("organisation",)
    fields = ("role", "organisation", "active")


class PasswordResetForm(AdminPasswordChangeForm):
    """The admin's password reset: validated by Django's password validators, saved by
    accounts.account_actions.password_set (so the reset leaves its entry, without the password)."""

    def save(self, commit: bool = True) -> User:
        self.user._edugov_new_password = self.cleaned_data["password1"]
        return self.user


@admin.register(User)
class UserAdmin(LedgeredAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "is_active", "last_login")
    list_filter = ("kind", "is_active")
    search_fields = ("username", "full_name")
    inlines = [GrantInline]
    change_password_form = PasswordResetForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Profile"), {"fields": ("full_name", "kind", "masked_phone")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined", "masked_phone")
    ledger_fields = account_actions.USER_FIELDS
    actions = ["issue_enrolment_code"]

    @admin.action(description=_("Issue an authenticator enrolment code (shown once)"))
    def issue_enrolment_code(self, request: Any, queryset: Any) -> None:
        """The staff member enrols their second factor with this code; the administrator hands it
        over in person or by the unit's channel. It is shown here once and kept only as a digest."""
        for user in queryset:
            try:
                code = account_actions.otp_enrolment_code_issue(actor=request.user, user=user)
            except EdugovError as exc:
                messages.error(request, f"{user}: {exc.message}")
            else:
                messages.warning(request, _("Enrolment code for %(user)s: %(code)s (valid 72 hours; shown only now)")
                                 % {"user": user, "code": code})

    @admin.display(description=_("mobile number"))
    def masked_phone(self, obj: User) -> str:
        return obj.masked_phone

    def get_queryset(self, request: Any) -> Any:
        """Staff with a role in the administrator's scope, and staff accounts with no role yet (just
        made, waiting for one); citizens' accounts only for an administrator at the top of the tree."""
        qs = super().get_queryset(request)
        top = any(can_administer_accounts(request.user, o) for o in Organisation.objects.filter(parent__isnull=True))
        scoped = qs.filter(path_filter(reading_paths(request.user), "grants__organisation__path"))
        unplaced = qs.filter(grants__isnull=True) if top else qs.filter(grants__isnull=True, kind=UserKind.STAFF)
        # Two subqueries rather than a UNION: SQLite (the demo) refuses the models' ORDER BY in one.
        return qs.filter(Q(pk__in=scoped.values("pk")) | Q(pk__in=unplaced.values("pk")))

    def save_action(self, request: Any, obj: User, form: Any, change: bool) -> User:
        if not change:
            return account_actions.staff_create(actor=request.user, username=form.cleaned_data["username"],
                                                full_name=form.cleaned_data.get("full_name", ""),
                                                password=form.cleaned_data["password1"])
        data = {f: form.cleaned_data[f] for f in form.changed_data if f in (*account_actions.USER_FIELDS, "username")}
        return account_actions.user_update(actor=request.user, user=obj, data=data) if data else obj

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Grant:
            super().save_formset(request, form, formset, change)
            return
        # Django's change message reads these lists; the rows are written by the actions below
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        with transaction.atomic():
            try:
                for row in formset.forms:
                    if not row.has_changed() or not row.cleaned_data:
                        continue
                    grant = row.instance if row.instance.pk else None
                    deleting = row.cleaned_data.get("DELETE") or row.cleaned_data.get("active") is False
                    if grant is not None and deleting:
                        account_actions.revoke_role(actor=request.user, grant=Grant.objects.get(pk=grant.pk))
                    elif not deleting:
                        if grant is not None and ({"role", "organisation"} & set(row.changed_data)):
                            account_actions.revoke_role(actor=request.user, grant=Grant.objects.get(pk=grant.pk))
                        account_actions.grant_role(actor=request.user, user=form.instance,
                                                   role=row.cleaned_data["role"],
                                                   organisation=row.cleaned_data["organisation"])
            except EdugovError as exc:
                raise DjangoPermissionDenied(exc.message) from exc

    def log_change(self, request: Any, obj: Any, message: Any) -> Any:
        """Django calls this after the password form is valid: the reset happens here, through
        the action (PasswordResetForm.save only hands the new password over)."""
        new = getattr(obj, "_edugov_new_password", None)
        if new is not None:
            del obj._edugov_new_password
            try:
                account_actions.password_set(actor=request.user, user=obj, password=new)
            except EdugovError as exc:
                messages.error(request, exc.message)
                raise DjangoPermissionDenied(exc.message) from exc
        return super().log_change(request, obj, message)


@admin.register(Grant)
class GrantAdmin(ScopedAdmin):
    list_display = ("user", "role", "organisation", "active", "granted_at")
    list_filter = ("role", "active")
    search_fields = ("user__username", "user__full_name", "organisation__name")
    autocomplete_fields = ("user", "organisation")

    def save_action(self, request: Any, obj: Grant, form: Any, change: bool) -> Grant:
        if change and not form.cleaned_data.get("active", True):
            account_actions.revoke_role(actor=request.user, grant=Grant.objects.get(pk=obj.pk))
            return obj
        return account_actions.grant_role(actor=request.user, user=form.cleaned_data["user"],
                                          role=form.cleaned_data["role"], organisation=form.cleaned_data["organisation"])

    def delete_action(self, request: Any, obj: Grant) -> None:
        account_actions.revoke_role(actor=request.user, grant=obj)
