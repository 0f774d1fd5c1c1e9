from __future__ import annotations

import base64
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from edugov.kernel import rules
from edugov.kernel.errors import EdugovError, RateLimited
from edugov.kernel.forms import submit
from edugov.kernel.ratelimit import check, client_ip, normalised_phone, rate, too_many

from . import actions, selectors
from .decorators import staff_required
from .forms import (
    AbsenceForm,
    EnrolmentCodeForm,
    LegalSettingsForm,
    NotifyByForm,
    OtpForm,
    PhoneCodeForm,
    PhoneForm,
    StaffLoginForm,
)
from .models import User
from .permissions import can_set_legal_settings, is_staff_user


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where each account lands after signing in."""
    if request.user.is_public:  # type: ignore[union-attr]
        return redirect("portal:my")
    if not is_staff_user(request.user):  # type: ignore[arg-type]
        return render(request, "accounts/no_role.html", status=403)
    return redirect("cases:workbench")


def _safe_next(request: HttpRequest, target: object) -> str:
    text = str(target or "")
    return text if url_has_allowed_host_and_scheme(text, allowed_hosts={request.get_host()}) else ""


def _phone_page(request: HttpRequest, send_form: PhoneForm, verify_form: PhoneCodeForm, code_sent: bool,
                status: int = 200) -> HttpResponse:
    return render(request, "accounts/phone_login.html",
                  {"send_form": send_form, "verify_form": verify_form, "code_sent": code_sent}, status=status)


@require_http_methods(["GET", "POST"])
def phone_login(request: HttpRequest) -> HttpResponse:
    """Public sign-in with a mobile number and an SMS code (the account is made on first use).
    GET shows the page; POST sends a code (the code is checked at `phone_verify`)."""
    send_form = PhoneForm(request.POST if request.method == "POST" else None,
                          initial={"next": _safe_next(request, request.GET.get("next"))})
    verify_form = PhoneCodeForm(initial={"next": send_form["next"].value()})
    if request.method != "POST" or not send_form.is_valid():
        return _phone_page(request, send_form, verify_form, False, 400 if request.method == "POST" else 200)
    phone, next_url = send_form.cleaned_data["phone"], _safe_next(request, send_form.cleaned_data["next"])
    verify_form = PhoneCodeForm(initial={"phone": phone, "next": next_url})
    try:
        actions.sms_code_send(phone=phone, address=client_ip(request))
    except EdugovError as exc:
        send_form.add_error("phone", exc.message)
        # a refused resend must not hide the field for a code already sent
        return _phone_page(request, send_form, verify_form, isinstance(exc, RateLimited), 429 if isinstance(
            exc, RateLimited) else 400)
    messages.success(request, _("A code has been sent to your phone. It is valid for 5 minutes."))
    return _phone_page(request, send_form, verify_form, True)


@require_POST
def phone_verify(request: HttpRequest) -> HttpResponse:
    """The SMS code checked, limited per address and per number; then signed in."""
    verify_form = PhoneCodeForm(request.POST)
    send_form = PhoneForm(initial={"next": verify_form["next"].value()})
    if verify_form.is_valid():
        for group, key in (("sms_verify", "address"), ("sms_verify_phone", normalised_phone("phone"))):
            verdict = check(request, f"form.{group}", rate(group), key)
            if verdict.limited:
                return too_many(request, verdict)
        try:
            user = actions.sms_code_verify(phone=verify_form.cleaned_data["phone"], code=verify_form.cleaned_data["code"])
        except EdugovError as exc:
            verify_form.add_error(exc.field if exc.field in verify_form.fields else None, exc.message)
        else:
            login(request, user, backend="edugov.accounts.backends.PhoneCodeBackend")
            return redirect(_safe_next(request, verify_form.cleaned_data["next"]) or "portal:my")
    return _phone_page(request, send_form, verify_form, True, 400)


@login_required
@require_http_methods(["GET", "POST"])
def otp(request: HttpRequest) -> HttpResponse:
    """Second factor for staff: enrol a TOTP device on first use, then verify a code each sign-in."""
    user = request.user
    if user.is_public:  # type: ignore[union-attr]
        raise DjangoPermissionDenied(_("This page is for bureau and school staff."))
    device = selectors.confirmed_device(user)  # type: ignore[arg-type]
    pending = None
    if device is None:  # enrolling: only after the code an administrator issued (no trust on first use)
        pending = selectors.enrolling_device(user, request.session.get("otp_enrol"))  # type: ignore[arg-type]
        if pending is None:
            return render(request, "accounts/otp_code.html", {"form": EnrolmentCodeForm()})
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = device or pending
        assert target is not None
        if actions.otp_verify(user=user, device=target, token=form.cleaned_data["token"]):  # type: ignore[arg-type]
            request.session.pop("otp_enrol", None)
            otp_login(request, target)
            return redirect("accounts:home")
        form.add_error("token", _("The code is not correct or has expired; please enter the current code."))
    context = {"form": form, "enrolling": device is None}
    if pending is not None:
        import qrcode
        import qrcode.image.svg

        img = qrcode.make(pending.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buf = io.BytesIO()
        img.save(buf)
        context["qr_svg_b64"] = base64.b64encode(buf.getvalue()).decode()
        context["secret"] = base64.b32encode(pending.bin_key).decode()
    return render(request, "accounts/otp.html", context)


@login_required
@require_POST
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """The one-time enrolment code an administrator issued: it opens the enrolment of a device."""
    if request.user.is_public:  # type: ignore[union-attr]
        raise DjangoPermissionDenied(_("This page is for bureau and school staff."))
    form = EnrolmentCodeForm(request.POST)
    done, pending = submit(form, lambda d: actions.otp_enrolment_device(user=request.user, code=d["code"]))  # type: ignore[arg-type]
    if not done:
        return render(request, "accounts/otp_code.html", {"form": form}, status=400)
    request.session["otp_enrol"] = pending.pk
    return redirect("accounts:otp")


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """A member of staff changes their own password (the entry records that they did, not what to)."""
    if request.user.is_public:  # type: ignore[union-attr]
        raise DjangoPermissionDenied(_("This page is for bureau and school staff."))
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.password_set(actor=request.user, user=request.user,  # type: ignore[arg-type]
                                 password=form.cleaned_data["new_password1"])
        except EdugovError as exc:
            form.add_error(None, exc.message)
        else:
            request.user.refresh_from_db()
            update_session_auth_hash(request, request.user)  # type: ignore[arg-type]
            messages.success(request, _("Your password has been changed."))
            return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def legal_settings(request: HttpRequest) -> HttpResponse:
    """The district's legal settings: every member of its staff reads them; its system administrator
    or a bureau leader changes them (through accounts.actions.legal_settings_set, with its entry)."""
    user: User = request.user  # type: ignore[assignment]
    bureau = selectors.access_bureau(user, lambda b: True, request.GET.get("org"))
    current = selectors.legal_settings_of(bureau)
    editable = can_set_legal_settings(user, bureau)
    local = [r for r in rules.all_rules() if r.local]  # with the installation's counts
    initial: dict[str, Any] = {f: getattr(current, f) for f in actions.LEGAL_SETTINGS_FIELDS}
    initial |= {"local__" + k.replace(".", "__"): v for k, v in (current.local_rules or {}).items()}
    form = LegalSettingsForm(request.POST if request.method == "POST" else None, initial=initial, local_rules=local)
    if request.method == "POST":
        if not editable:
            raise DjangoPermissionDenied(_("A district's legal settings are set by its system administrator or a "
                                           "bureau leader."))
        done, _result = submit(form, lambda d: actions.legal_settings_set(
            actor=user, organisation=bureau, local_rules=form.local_counts(),
            **{f: d[f] for f in actions.LEGAL_SETTINGS_FIELDS}))
        if done:
            messages.success(request, _("The legal settings of %(org)s are saved.") % {"org": bureau.name})
            return redirect(f"{request.path}?org={bureau.code}")
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "accounts/legal_settings.html", {
        "form": form, "bureau": bureau, "editable": editable, "current": current,
        "bureaus": selectors.bureaus_for(user)}, status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def away(request: HttpRequest) -> HttpResponse:
    """Leave and reminders: record an absence and its stand-in (oneself, or for a unit's head, a
    colleague of the unit); the list of absences; the choice of SMS or e-mail for reminders."""
    from django.utils import timezone

    user: User = request.user  # type: ignore[assignment]
    form = AbsenceForm(request.POST if request.method == "POST" else None, actor=user,
                       initial={"user": user.pk, "starts_on": timezone.localdate()})
    if request.method == "POST":
        done, _result = submit(form, lambda d: actions.absence_record(
            actor=user, user=d["user"], stand_in=d["stand_in"], starts_on=d["starts_on"], ends_on=d["ends_on"],
            reason=d["reason"]))
        if done:
            d = form.cleaned_data
            messages.success(request, _("Recorded: %(name)s is away from %(start)s to %(end)s; %(stand_in)s stands "
                                        "in.") % {"name": d["user"], "stand_in": d["stand_in"],
                                                  "start": d["starts_on"], "end": d["ends_on"]})
            return redirect("accounts:away")
    return _away_page(request, form, NotifyByForm(initial={"notify_by": user.notify_by}))


def _away_page(request: HttpRequest, form: AbsenceForm, notify: NotifyByForm) -> HttpResponse:
    from django.core.paginator import Paginator
    from django.utils import timezone

    user: User = request.user  # type: ignore[assignment]
    page = Paginator(selectors.absences_for(user), 20).get_page(request.GET.get("page"))
    return render(request, "accounts/away.html", {"form": form, "notify": notify, "page": page,
                                                  "today": timezone.localdate()},
                  status=400 if form.errors or notify.errors else 200)


@staff_required
@require_POST
def away_notify(request: HttpRequest) -> HttpResponse:
    """A person's own choice of SMS or e-mail besides the workbench."""
    from django.utils import timezone

    user: User = request.user  # type: ignore[assignment]
    notify = NotifyByForm(request.POST)
    done, _result = submit(notify, lambda d: actions.notify_by_set(actor=user, channel=d["notify_by"]))
    if done:
        messages.success(request, _("Saved."))
        return redirect("accounts:away")
    return _away_page(request, AbsenceForm(actor=user, initial={"user": user.pk, "starts_on": timezone.localdate()}),
                      notify)


@staff_required
@require_POST
def away_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an absence (back early, or recorded by mistake)."""
    user: User = request.user  # type: ignore[assignment]
    absence = selectors.access_absence(user, pk)
    try:
        actions.absence_cancel(actor=user, absence=absence)
        messages.success(request, _("The absence is cancelled: the cases are %(name)s's again.")
                         % {"name": absence.user})
    except EdugovError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:away")
