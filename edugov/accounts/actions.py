"""Writes to accounts: organisations, users, grants and SMS sign-in. Each leaves its ledger entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from edugov.kernel import ledger_port, rules
from edugov.kernel.crypto import blind_index
from edugov.kernel.errors import Conflict, PermissionDenied, RateLimited, ValidationFailed
from edugov.kernel.sms import send_sms
from edugov.kernel.validators import validate_mobile

from .models import (
    Absence,
    ApiKey,
    EnrolmentCode,
    Grant,
    LegalSettings,
    NotifyBy,
    Organisation,
    OrgKind,
    Role,
    SmsCode,
    User,
    UserKind,
)
from .permissions import (
    active_grants,
    can_administer_accounts,
    can_administer_user,
    can_record_absence,
    can_set_legal_settings,
)

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("absence", ("cancelled", "ends_on", "reason", "stand_in", "starts_on", "user"))
ledger_port.declare("apikey", ("name", "prefix"))
ledger_port.declare("grant", ("active", "organisation", "role", "user"))
ledger_port.declare("organisation", ("code", "kind", "name", "parent"))
ledger_port.declare("legalsettings", ("court", "local_rules", "recheck_body", "reconsideration_body", "review_body"))
ledger_port.declare("user", ("valid_hours", "by", "changed", "full_name", "is_active", "is_staff", "is_superuser", "kind", "notify_by", "username"))


@transaction.atomic
def organisation_create(*, actor: User | None, code: str, name: str, kind: str,
                        parent: Organisation | None = None, case_prefix: str = "") -> Organisation:
    """Add a node to the organisation tree. Needs the system administrator role over the parent
    (`actor=None` only for set-up commands that run without a person)."""
    if actor is not None and (parent is None or not can_administer_accounts(actor, parent)):
        raise PermissionDenied(_("You may not add organisations here."))
    if kind not in OrgKind.values:
        raise ValidationFailed(_("Unknown organisation kind."))
    if Organisation.objects.filter(code=code).exists():
        raise ValidationFailed(_("An organisation with code %(code)s exists already.") % {"code": code})
    org = Organisation.objects.create(code=code, name=name, kind=kind, parent=parent, case_prefix=case_prefix)
    ledger_port.record(actor=actor, action="organisation.create", target=org, organisation=org,
                       after={"code": code, "name": name, "kind": kind, "parent": parent.code if parent else None})
    return org


LEGAL_SETTINGS_FIELDS = ("reconsideration_body", "court", "review_body", "recheck_body")


@transaction.atomic
def legal_settings_set(*, actor: User | None, organisation: Organisation, reconsideration_body: str, court: str,
                       review_body: str, recheck_body: str, local_rules: dict[str, object] | None = None) -> LegalSettings:
    """Set a district's legal settings: the bodies named in remedy sentences and petition answers,
    and the counts of its local rules (a statute's count is refused). `actor=None` for set-up."""
    if organisation.kind != OrgKind.BUREAU:
        raise ValidationFailed(_("Legal settings belong to a district bureau."))
    if actor is not None and not can_set_legal_settings(actor, organisation):
        raise PermissionDenied(_("A district's legal settings are set by its system administrator or a bureau leader."))
    counts = rules.check_local_counts(local_rules or {})
    values = {"reconsideration_body": reconsideration_body, "court": court, "review_body": review_body,
              "recheck_body": recheck_body}
    values = {k: " ".join(str(v).split())[:120] for k, v in values.items()}
    settings_, created = LegalSettings.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={**values, "local_rules": counts})
    before = {f: getattr(settings_, f) for f in (*LEGAL_SETTINGS_FIELDS, "local_rules")}
    if not created:
        for field, value in values.items():
            setattr(settings_, field, value)
        settings_.local_rules = counts
        settings_.save()
    after = {f: getattr(settings_, f) for f in (*LEGAL_SETTINGS_FIELDS, "local_rules")}
    ledger_port.record(actor=actor, action="legalsettings.set", target=settings_, organisation=organisation,
                       before=None if created else before, after=after)
    return settings_


@transaction.atomic
def staff_create(*, actor: User | None, username: str, full_name: str, password: str,
                 phone: str = "", grants: list[tuple[str, Organisation]] = ()) -> User:  # type: ignore[assignment]
    if actor is not None and not all(can_administer_accounts(actor, org) for _, org in grants):
        raise PermissionDenied(_("You may not create accounts with these roles."))
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("The user name %(u)s is taken.") % {"u": username})
    user = User(username=username, full_name=full_name, kind=UserKind.STAFF,
                phone=validate_mobile(phone) if phone else "")
    user.set_password(password)
    user.save()
    ledger_port.record(actor=actor, action="user.create", target=user,
                       after={"username": username, "kind": "staff"})
    for role, org in grants:
        grant_role(actor=actor, user=user, role=role, organisation=org)
    return user


# What a user's entry may record; a password never (it is not declarable).
USER_FIELDS = ("full_name", "is_active", "is_staff", "is_superuser", "kind")


@transaction.atomic
def user_update(*, actor: User | None, user: User, data: dict[str, object]) -> User:
    """Change a user's profile and status (not the password: `password_set`)."""
    if actor is not None and not can_administer_user(actor, user):
        raise PermissionDenied(_("You may not change this account."))
    unknown = set(data) - {*USER_FIELDS, "phone", "username"}
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = {k: getattr(locked, k) for k in data}
    if data.get("phone"):
        data = {**data, "phone": validate_mobile(str(data["phone"]))}
    for key, value in data.items():
        setattr(locked, key, value)
    locked.save(update_fields=list(data))
    changed = [k for k in data if before[k] != getattr(locked, k)]
    if changed:
        ledger_port.record(actor=actor, action="user.update", target=locked,
                           before={k: before[k] for k in changed if k in USER_FIELDS},
                           after={**{k: getattr(locked, k) for k in changed if k in USER_FIELDS},
                                  "changed": changed})
    return locked


@transaction.atomic
def password_set(*, actor: User | None, user: User, password: str) -> None:
    """Set a staff member's password (an administrator's reset, or their own change). The entry
    says who set whose password and when, never the password or its hash."""
    if actor is not None and actor.pk != user.pk and not can_administer_user(actor, user):
        raise PermissionDenied(_("You may not set this account's password."))
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.set_password(password)
    locked.save(update_fields=["password"])
    ledger_port.record(actor=actor, action="user.password_set", target=locked,
                       after={"by": "self" if actor is not None and actor.pk == user.pk else "administrator"})


@transaction.atomic
def grant_role(*, actor: User | None, user: User, role: str, organisation: Organisation) -> Grant:
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."))
    if actor is not None and not can_administer_accounts(actor, organisation):
        raise PermissionDenied(_("You may not grant roles at this organisation."))
    grant, _created = Grant.objects.update_or_create(user=user, role=role, organisation=organisation,
                                                     defaults={"active": True})
    ledger_port.record(actor=actor, action="grant.add", target=grant, organisation=organisation,
                       after={"user": user.username, "role": role, "organisation": organisation.code})
    return grant


@transaction.atomic
def revoke_role(*, actor: User, grant: Grant) -> None:
    if not can_administer_accounts(actor, grant.organisation):
        raise PermissionDenied(_("You may not revoke roles at this organisation."))
    grant.active = False
    grant.save(update_fields=["active"])
    ledger_port.record(actor=actor, action="grant.revoke", target=grant, organisation=grant.organisation,
                       before={"active": True}, after={"active": False})


def _code_digest(phone_index: str, code: str) -> str:
    return hmac.new(str(settings.SECRET_KEY).encode(), f"{phone_index}:{code}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def sms_code_send(*, phone: str, address: str | None) -> None:
    """Send a six-digit sign-in code, within the per-phone and per-address hourly limits."""
    phone = validate_mobile(phone)
    index = blind_index(phone, purpose="phone")
    cfg = settings.EDUGOV
    since = timezone.now() - dt.timedelta(hours=1)
    if SmsCode.objects.filter(phone_index=index, created_at__gte=since).count() >= cfg["SMS_MAX_PER_PHONE_PER_HOUR"]:
        raise RateLimited(_("Too many codes were sent to this number in the last hour; please try again later."))
    if address and SmsCode.objects.filter(address=address, created_at__gte=since).count() >= cfg["SMS_MAX_PER_ADDRESS_PER_HOUR"]:
        raise RateLimited(_("Too many codes were requested from your network in the last hour; please try again later."))
    last = SmsCode.objects.filter(phone_index=index).order_by("-created_at").first()
    if last and (timezone.now() - last.created_at).total_seconds() < 60:
        raise RateLimited(_("A code was sent less than a minute ago; please wait before asking again."))
    code = f"{secrets.randbelow(10**6):06d}"
    SmsCode.objects.create(phone_index=index, code_digest=_code_digest(index, code), address=address)
    text = _("Your edugov sign-in code is %(code)s, valid for 5 minutes. Do not share it.") % {"code": code}
    transaction.on_commit(lambda: send_sms(phone, text))


MAX_WRONG_CODES = 5  # wrong codes a number may enter before all its codes are void


def sms_code_verify(*, phone: str, code: str) -> User:
    """Check a code and return the public user for the number, creating the account on first sign-in.

    A wrong code is counted in a transaction of its own that commits before the refusal is raised,
    so the refusal cannot roll the count back (it did: the count was undone by the very exception
    that reported it, and the code could be guessed without limit). After MAX_WRONG_CODES wrong
    codes within the validity window, every unused code of the number is void."""
    phone = validate_mobile(phone)
    index = blind_index(phone, purpose="phone")
    now = timezone.now()
    ttl = dt.timedelta(seconds=settings.EDUGOV["SMS_CODE_TTL_SECONDS"])
    refusal: str | None = None
    user: User | None = None
    with transaction.atomic():
        live = SmsCode.objects.select_for_update().filter(phone_index=index, used_at__isnull=True,
                                                           created_at__gte=now - ttl)
        codes = list(live.order_by("-created_at"))
        wrong = sum(c.attempts for c in codes)
        if not codes:
            refusal = _("There is no valid code for this number; please ask for a new one.")
        elif wrong >= MAX_WRONG_CODES:
            refusal = _("Too many wrong codes; please ask for a new one.")
        elif not hmac.compare_digest(codes[0].code_digest, _code_digest(index, (code or "").strip())):
            SmsCode.objects.filter(pk=codes[0].pk).update(attempts=codes[0].attempts + 1)
            if wrong + 1 >= MAX_WRONG_CODES:
                live.update(used_at=now)  # void: a new code must be asked for
                refusal = _("Too many wrong codes; please ask for a new one.")
            else:
                refusal = _("The code is not correct; please check the SMS and try again.")
        else:
            codes[0].used_at = now
            codes[0].save(update_fields=["used_at"])
            user = User.objects.filter(phone_index=index, kind=UserKind.PUBLIC).first()
            if user is None:
                user = User(username=f"p_{index[:20]}", kind=UserKind.PUBLIC, phone=phone)
                user.set_unusable_password()
                user.save()
                ledger_port.record(actor=user, action="user.signup", target=user, after={"kind": "public"})
    if refusal is not None or user is None:
        raise ValidationFailed(refusal or _("There is no valid code for this number; please ask for a new one."),
                               field="code")
    return user


def _key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, actor: User | None, name: str, organisation: Organisation) -> tuple[ApiKey, str]:
    """Make a key for another system; returns the key, which is not stored and cannot be shown again."""
    if actor is not None and not can_administer_accounts(actor, organisation):
        raise PermissionDenied(_("You may not create API keys for this organisation."))
    if not name.strip():
        raise ValidationFailed(_("Give the key a name (the system that will use it)."))
    key = "eg_" + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(name=name.strip(), organisation=organisation, prefix=key[:10],
                                    digest=_key_digest(key))
    ledger_port.record(actor=actor, action="apikey.create", target=api_key, organisation=organisation,
                       after={"name": api_key.name, "prefix": api_key.prefix})
    return api_key, key


def api_key_check(key: str | None) -> ApiKey | None:
    """The active key matching `key`, or None."""
    if not key:
        return None
    return ApiKey.objects.filter(digest=_key_digest(key.strip()), revoked_at__isnull=True).select_related(
        "organisation").first()


ENROLMENT_CODE_HOURS = 72
MAX_ENROLMENT_ATTEMPTS = 5


@transaction.atomic
def otp_enrolment_code_issue(*, actor: User | None, user: User) -> str:
    """Issue a one-time code (valid 72 hours) that lets `user` enrol an authenticator, voiding any
    earlier one and any device not yet confirmed. Returns the code, shown once; the entry says who
    issued it for whom, never the code."""
    if user.is_public:
        raise ValidationFailed(_("Members of the public sign in with SMS codes and enrol no authenticator."))
    if actor is not None and not can_administer_user(actor, user):
        raise PermissionDenied(_("You may not issue an enrolment code for this account."))
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    code = "-".join(f"{secrets.randbelow(10**4):04d}" for _ in range(3))
    EnrolmentCode.objects.create(user=user, code_digest=_code_digest(f"enrol:{user.pk}", code), issued_by=actor,
                                 expires_at=timezone.now() + dt.timedelta(hours=ENROLMENT_CODE_HOURS))
    ledger_port.record(actor=actor, action="user.otp_code_issue", target=user,
                       after={"valid_hours": ENROLMENT_CODE_HOURS})
    return code


def otp_enrolment_device(*, user: User, code: str) -> TOTPDevice:
    """The authenticator device a staff member enrols, once they give the code an administrator
    issued them (a wrong code is counted, in its own transaction, and five void it)."""
    refusal = None
    with transaction.atomic():
        issued = (EnrolmentCode.objects.select_for_update()
                  .filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).order_by("-issued_at").first())
        if issued is None:
            refusal = _("There is no valid enrolment code for your account; please ask your system administrator for one.")
        elif not hmac.compare_digest(issued.code_digest, _code_digest(f"enrol:{user.pk}", (code or "").strip())):
            issued.attempts += 1
            if issued.attempts >= MAX_ENROLMENT_ATTEMPTS:
                issued.used_at = timezone.now()
            issued.save(update_fields=["attempts", "used_at"])
            refusal = _("The enrolment code is not correct; please check it with your system administrator.")
        else:
            issued.used_at = timezone.now()
            issued.save(update_fields=["used_at"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    if refusal is not None:
        raise ValidationFailed(refusal, field="code")
    return device


@transaction.atomic
def otp_verify(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Check a code from the device; the first right code confirms the enrolment, with its entry
    (which names the device, never its secret)."""
    if not device.verify_token(token):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        ledger_port.record(actor=user, action="user.otp_enrol", target=user)
    return True


# The longest absence recorded at once (a year); a longer one is a reassignment, not a stand-in.
ABSENCE_MAX_DAYS = 366


def colleagues(user: User) -> list[int]:
    """Who may stand in for a person: active staff of the units the person works in, and the heads
    and leaders above those units."""
    paths = {g.organisation.path for g in active_grants(user) if g.role != Role.LEGAL_VP}
    if not paths:
        return []
    above = {a for p in paths for a in _ancestors(p)} - paths
    q = Grant.objects.filter(active=True, user__is_active=True).exclude(role=Role.LEGAL_VP)
    ids = set(q.filter(organisation__path__in=paths).values_list("user_id", flat=True))
    ids |= set(q.filter(organisation__path__in=above, role__in=(Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER))
               .values_list("user_id", flat=True))
    ids.discard(user.pk)
    return sorted(ids)


def _ancestors(path: str) -> list[str]:
    """A tree path and the paths above it ("/50/5001/" → "/50/", "/50/5001/")."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


@transaction.atomic
def absence_record(*, actor: User, user: User, stand_in: User, starts_on: dt.date, ends_on: dt.date,
                   reason: str = "", at: dt.datetime | None = None) -> Absence:
    """Record that a person is away and who stands in (请假/外出与代理人). Refused: another's absence
    by someone not their unit's head, a stand-in from outside their units, dates reversed, past or
    longer than a year, and any overlap with the person's own absences or the stand-in's."""
    if not can_record_absence(actor, user):
        raise PermissionDenied(_("A person records their own absence, or the head of their unit does."))
    now = at or timezone.now()
    today = timezone.localdate(now)
    if stand_in.pk == user.pk:
        raise ValidationFailed(_("Choose a colleague other than the person who is away."), field="stand_in")
    if stand_in.pk not in colleagues(user):
        raise ValidationFailed(_("%(name)s does not work in the same unit.") % {"name": stand_in}, field="stand_in")
    if ends_on < starts_on:
        raise ValidationFailed(_("The last day is before the first."), field="ends_on")
    if ends_on < today:
        raise ValidationFailed(_("This absence is over already; there is nothing to pass on."), field="ends_on")
    if (ends_on - starts_on).days >= ABSENCE_MAX_DAYS:
        raise ValidationFailed(_("An absence of more than a year is a reassignment: ask the unit's head to "
                                 "reassign the cases."), field="ends_on")
    list(User.objects.select_for_update().filter(pk__in=[user.pk, stand_in.pk]).order_by("pk"))  # both rows: one at a time
    running = Absence.objects.filter(cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)
    if running.filter(user=user).exists():
        raise Conflict(_("%(name)s is already recorded as away for some of these days.") % {"name": user})
    if running.filter(user=stand_in).exists():
        raise ValidationFailed(_("%(name)s is away for some of these days too; choose another stand-in.")
                               % {"name": stand_in}, field="stand_in")
    absence = Absence.objects.create(user=user, stand_in=stand_in, starts_on=starts_on, ends_on=ends_on,
                                     reason=reason.strip()[:120], created_at=now, created_by=actor)
    ledger_port.record(actor=actor, action="absence.record", target=absence, at=now,
                       after={"user": user.username, "stand_in": stand_in.username, "starts_on": starts_on,
                              "ends_on": ends_on, "reason": absence.reason})
    return absence


@transaction.atomic
def absence_cancel(*, actor: User, absence: Absence, at: dt.datetime | None = None) -> Absence:
    """Cancel an absence (back early, or recorded by mistake): the cases are the person's again."""
    locked = Absence.objects.select_for_update().get(pk=absence.pk)
    if not can_record_absence(actor, locked.user):
        raise PermissionDenied(_("A person records their own absence, or the head of their unit does."))
    if locked.cancelled_at is not None:
        raise Conflict(_("This absence was cancelled already."))
    now = at or timezone.now()
    locked.cancelled_at = now
    locked.save(update_fields=["cancelled_at"])
    ledger_port.record(actor=actor, action="absence.cancel", target=locked, at=now,
                       after={"user": locked.user.username, "cancelled": True})
    return locked


@transaction.atomic
def notify_by_set(*, actor: User, channel: str) -> User:
    """A person's own choice of how reminders reach them besides the workbench. SMS needs a mobile
    number on the account, e-mail an address."""
    if channel not in NotifyBy.values:
        raise ValidationFailed(_("Choose one of the listed ways."), field="notify_by")
    locked = User.objects.select_for_update().get(pk=actor.pk)
    if channel == NotifyBy.SMS and not locked.phone:
        raise ValidationFailed(_("Your account has no mobile number: ask your system administrator to add it."),
                               field="notify_by")
    if channel == NotifyBy.EMAIL and not locked.email:
        raise ValidationFailed(_("Your account has no e-mail address: ask your system administrator to add it."),
                               field="notify_by")
    before = locked.notify_by
    locked.notify_by = channel
    locked.save(update_fields=["notify_by"])
    ledger_port.record(actor=actor, action="user.notify_by", target=locked, before={"notify_by": before},
                       after={"notify_by": channel})
    return locked
