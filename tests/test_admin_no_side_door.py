"""Issue 22.2 and 22.5: the admin is no side door. It sees and edits only its administrator's
district, writes users, roles and passwords through the actions (each with its entry), and no
secret used anywhere (passwords, API keys, TOTP secrets, SMS codes) ever reaches a ledger entry."""

from __future__ import annotations

import base64
import re

import pytest
from django.urls import reverse

from edugov.accounts import actions
from edugov.accounts.models import Grant, Role, User
from edugov.audit.models import Entry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-New-Secret-2026"  # noqa: S105 - what the test looks for in the ledger
RESET_PASSWORD = "Reset-By-Admin-7781"  # noqa: S105


@pytest.fixture
def jz_admin(tree, make_user):
    """甲区's system administrator, with Django's superuser flag as the demo's has."""
    user = make_user(Role.SYSADMIN, tree.bureau, username="jzadmin", password="Admin-Pass-2024")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def _bodies() -> str:
    return "\n".join(Entry.objects.values_list("body", flat=True))


def test_no_secret_reaches_the_ledger_by_any_path(client, tree, jz_admin, django_capture_on_commit_callbacks):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from edugov.kernel import sms

    client.force_login(jz_admin)
    # the admin's add-user form (password1/password2 reached the ledger in plain text)
    r = client.post(reverse("admin:accounts_user_add"), {
        "username": "clerk9", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true",
        "grants-TOTAL_FORMS": "0", "grants-INITIAL_FORMS": "0"})
    assert r.status_code == 302, r.content.decode()[:2000]
    clerk = User.objects.get(username="clerk9")
    assert clerk.check_password(NEW_PASSWORD)
    # an administrator's password reset
    r = client.post(f"/admin/accounts/user/{clerk.pk}/password/",
                    {"password1": RESET_PASSWORD, "password2": RESET_PASSWORD, "usable_password": "true"})
    assert r.status_code == 302, r.content.decode()[:2000]
    clerk.refresh_from_db()
    assert clerk.check_password(RESET_PASSWORD)
    reset = Entry.objects.get(action="user.password_set", target_id=str(clerk.pk))
    assert reset.actor_id == jz_admin.pk and '"by":"administrator"' in reset.body
    # an API key, an SMS code, a TOTP enrolment
    _key, key = actions.api_key_create(actor=jz_admin, name="区平台", organisation=tree.bureau)
    with django_capture_on_commit_callbacks(execute=True):
        actions.sms_code_send(phone="13800138077", address="10.0.0.7")
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    actions.sms_code_verify(phone="13800138077", code=code)
    client.force_login(jz_admin)
    r = client.post("/admin/accounts/user/", {"action": "issue_enrolment_code", "_selected_action": [clerk.pk]},
                    follow=True)
    enrol = re.search(r"(\d{4}-\d{4}-\d{4})", r.content.decode()).group(1)
    assert Entry.objects.filter(action="user.otp_code_issue", target_id=str(clerk.pk)).exists()
    client.force_login(clerk)
    client.post(reverse("accounts:otp_enrol"), {"code": enrol})
    page = client.get(reverse("accounts:otp")).content.decode()
    device = TOTPDevice.objects.get(user=clerk)
    secret_b32 = base64.b32encode(device.bin_key).decode()
    assert secret_b32 in page
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    client.post(reverse("accounts:otp"), {"token": token})
    assert Entry.objects.filter(action="user.otp_enrol").exists()

    bodies = _bodies()
    for secret in (NEW_PASSWORD, RESET_PASSWORD, key, key[10:], secret_b32, device.key, code, enrol, clerk.password):
        assert secret not in bodies, f"a secret reached the ledger: {secret[:6]}…"
    assert "password1" not in bodies and "password2" not in bodies


def test_the_admin_lists_and_edits_only_its_own_district(client, tree, jz_admin):
    client.force_login(jz_admin)
    page = client.get("/admin/registries/school/").content.decode()
    assert tree.school.name in page and tree.other_district_school.name not in page
    assert client.get(f"/admin/registries/school/{tree.other_district_school.pk}/change/").status_code in (302, 404)
    before = Entry.objects.count()
    client.post(f"/admin/registries/school/{tree.other_district_school.pk}/change/",
                {"name": "改名", "code": "S3", "level": "primary", "enrolled_students": 1})
    tree.other_district_school.refresh_from_db()
    assert tree.other_district_school.name == "乙区第一小学" and Entry.objects.count() == before


def test_an_admin_edit_goes_through_the_register_action(client, tree, jz_admin):
    client.force_login(jz_admin)
    r = client.post(f"/admin/registries/school/{tree.school.pk}/change/", {
        "name": "甲区第一小学", "code": "S1", "level": "primary", "enrolled_students": 612, "address": "",
        "principal": "", "contact_phone": ""})
    assert r.status_code == 302, r.content.decode()[:1500]
    entry = Entry.objects.get(action="school.update", target_id=str(tree.school.pk))
    assert entry.actor_id == jz_admin.pk and '"enrolled_students":612' in entry.body


def test_a_role_given_in_the_admin_is_checked_and_recorded(client, tree, jz_admin, make_user):
    clerk = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    client.force_login(jz_admin)
    form = {"username": clerk.username, "full_name": "办事员", "kind": "staff", "is_active": "on",
            "grants-TOTAL_FORMS": "2", "grants-INITIAL_FORMS": "1", "grants-0-id": str(clerk.grants.get().pk),
            "grants-0-user": str(clerk.pk), "grants-0-role": Role.DEPARTMENT_STAFF,
            "grants-0-organisation": str(tree.dept.pk), "grants-0-active": "on",
            "grants-1-user": str(clerk.pk), "grants-1-role": Role.BUREAU_LEADER,
            "grants-1-organisation": str(tree.other_bureau.pk), "grants-1-active": "on"}
    client.post(f"/admin/accounts/user/{clerk.pk}/change/", form)
    assert not Grant.objects.filter(user=clerk, organisation=tree.other_bureau).exists()
    form["grants-1-organisation"] = str(tree.bureau.pk)
    r = client.post(f"/admin/accounts/user/{clerk.pk}/change/", form)
    assert r.status_code == 302, r.content.decode()[:1500]
    assert Grant.objects.filter(user=clerk, organisation=tree.bureau, role=Role.BUREAU_LEADER, active=True).exists()
    assert Entry.objects.filter(action="grant.add", actor=jz_admin).exists()
    assert Entry.objects.filter(action="user.update", target_id=str(clerk.pk)).exists()


def test_the_admin_shows_a_mobile_number_masked(client, tree, jz_admin, make_user):
    clerk = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    clerk.phone = "13812345678"
    clerk.save()
    client.force_login(jz_admin)
    page = client.get(f"/admin/accounts/user/{clerk.pk}/change/").content.decode()
    assert "138****5678" in page and "13812345678" not in page


def test_the_terminal_commands_write_accounts_through_the_actions(tree, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("EDUGOV_NEW_PASSWORD", "Terminal-Pass-2026")
    call_command("createsuperuser", "--username", "root2", "--org", tree.bureau.code, "--noinput")
    root = User.objects.get(username="root2")
    assert root.is_superuser and root.check_password("Terminal-Pass-2026")
    assert Grant.objects.filter(user=root, role=Role.SYSADMIN, organisation=tree.bureau).exists()
    assert {"user.create", "grant.add", "user.update"} <= set(Entry.objects.values_list("action", flat=True))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Changed-Pass-2027")
    call_command("changepassword", "root2")
    root.refresh_from_db()
    assert root.check_password("Changed-Pass-2027")
    assert Entry.objects.filter(action="user.password_set", target_id=str(root.pk)).exists()
    assert "Terminal-Pass" not in _bodies() and "Changed-Pass" not in _bodies()


@pytest.mark.django_db
def test_staff_change_their_own_password_and_the_record_keeps_no_password(client, tree, make_user):
    make_user("department_staff", tree.dept, username="clerk3", password="Old-Pass-2024x")
    client.post(reverse("accounts:login"), {"username": "clerk3", "password": "Old-Pass-2024x"})
    short = client.post(reverse("accounts:password_change"), {"old_password": "Old-Pass-2024x",
                                                              "new_password1": "abc", "new_password2": "abc"})
    assert short.status_code == 200 and User.objects.get(username="clerk3").check_password("Old-Pass-2024x")
    r = client.post(reverse("accounts:password_change"), {"old_password": "Old-Pass-2024x",
                                                          "new_password1": "New-Pass-2026y", "new_password2": "New-Pass-2026y"})
    assert r.status_code == 302 and client.get(reverse("cases:workbench")).status_code == 200  # still signed in
    assert User.objects.get(username="clerk3").check_password("New-Pass-2026y")
    entry = Entry.objects.get(action="user.password_set")
    assert '"by":"self"' in entry.body and "New-Pass" not in entry.body and "Old-Pass" not in entry.body
