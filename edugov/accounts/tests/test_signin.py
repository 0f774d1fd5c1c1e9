import re

import pytest
from django.urls import reverse

from edugov.accounts import actions
from edugov.accounts.models import User
from edugov.kernel import sms
from edugov.kernel.errors import RateLimited, ValidationFailed


def _last_code():
    return re.search(r"\d{6}", sms.outbox[-1][1]).group()


@pytest.mark.django_db
def test_a_parent_signs_in_with_an_sms_code_and_the_account_is_made_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("accounts:phone_login"), {"phone": "13800138000"})
    assert r.status_code == 200 and sms.outbox[-1][0] == "13800138000"
    r = client.post(reverse("accounts:phone_verify"), {"phone": "13800138000", "code": _last_code()})
    assert r.status_code == 302 and r["Location"] == reverse("portal:my")
    user = User.objects.get(kind="public")
    assert user.phone == "13800138000" and user.masked_phone == "138****8000"
    client.logout()
    from django.utils import timezone

    from edugov.accounts.models import SmsCode

    SmsCode.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        actions.sms_code_send(phone="13800138000", address="127.0.0.1")
    assert actions.sms_code_verify(phone="13800138000", code=_last_code()) == user
    assert User.objects.filter(kind="public").count() == 1


@pytest.mark.django_db
def test_wrong_and_reused_codes_are_refused_with_a_reason(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.sms_code_send(phone="13900139000", address="10.0.0.1")
    code = _last_code()
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationFailed, match="不正确"):
        actions.sms_code_verify(phone="13900139000", code=wrong)
    actions.sms_code_verify(phone="13900139000", code=code)
    with pytest.raises(ValidationFailed, match="没有有效的验证码"):
        actions.sms_code_verify(phone="13900139000", code=code)


@pytest.mark.django_db
def test_codes_are_rate_limited_per_phone_and_per_address(settings):
    with pytest.raises(RateLimited, match="不到一分钟"):
        actions.sms_code_send(phone="13700137000", address="10.0.0.2")
        actions.sms_code_send(phone="13700137000", address="10.0.0.2")
    settings.EDUGOV = {**settings.EDUGOV, "SMS_MAX_PER_ADDRESS_PER_HOUR": 3}
    for i in range(2):
        actions.sms_code_send(phone=f"1360013600{i}", address="10.0.0.2")
    with pytest.raises(RateLimited, match="您所在网络"):
        actions.sms_code_send(phone="13600136009", address="10.0.0.2")


@pytest.mark.django_db
def test_a_bad_mobile_number_is_explained_on_the_page(client):
    r = client.post(reverse("accounts:phone_login"), {"phone": "12345"})
    assert "请输入以1开头的11位手机号码" in r.content.decode()
    assert not sms.outbox


@pytest.mark.django_db
def test_staff_lockout_after_five_failures(client, tree, make_user):
    make_user("bureau_leader", tree.bureau, username="leader1", password="Right-Pass-2024")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "leader1", "password": "wrong"})
    r = client.post(reverse("accounts:login"), {"username": "leader1", "password": "Right-Pass-2024"})
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_production_requires_the_second_factor_for_staff(client, tree, make_user, settings):
    settings.EDUGOV = {**settings.EDUGOV, "REQUIRE_STAFF_OTP": True}
    make_user("bureau_leader", tree.bureau, username="leader2", password="Right-Pass-2024")
    client.post(reverse("accounts:login"), {"username": "leader2", "password": "Right-Pass-2024"})
    r = client.get(reverse("cases:workbench"))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:otp")
    page = client.get(reverse("accounts:otp")).content.decode()
    assert "data:image/svg+xml;base64," not in page and "启用码" in page  # no secret on the password alone
    leader = User.objects.get(username="leader2")
    code = actions.otp_enrolment_code_issue(actor=None, user=leader)
    wrong = client.post(reverse("accounts:otp_enrol"), {"code": "0000-0000-0000"}).content.decode()
    assert "不正确" in wrong and "data:image/svg+xml;base64," not in wrong
    client.post(reverse("accounts:otp_enrol"), {"code": code})
    page = client.get(reverse("accounts:otp")).content.decode()
    assert "data:image/svg+xml;base64," in page
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username="leader2")
    token = f"{totp(device.bin_key):06d}"
    assert client.post(reverse("accounts:otp"), {"token": token}).status_code == 302
    assert client.get(reverse("cases:workbench")).status_code == 200


def test_password_rules_need_three_character_classes():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("onlylowercaseletters")
    validate_password("Mixed-Case-2024x")


@pytest.mark.django_db(transaction=True)
def test_six_wrong_codes_then_the_right_one_is_refused(client, django_capture_on_commit_callbacks):
    """Issue 22.1: the wrong-code count survives its refusal (it was rolled back with it), and
    after five wrong codes the number's codes are void, the right one included. Through the page,
    with real commits (transaction=True), as an attacker would try it."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:phone_login"), {"phone": "13800138001"})
    code = _last_code()
    wrong = [f"{(int(code) + i) % 10**6:06d}" for i in range(1, 7)]
    answers = [client.post(reverse("accounts:phone_verify"), {"phone": "+86 138-0013-8001",
                                                            "code": w}).content.decode() for w in wrong]
    assert all("验证码" in a for a in answers)
    assert "错误次数过多" in answers[4] or "请重新获取" in answers[4]
    r = client.post(reverse("accounts:phone_verify"), {"phone": "13800138001", "code": code})
    assert r.status_code == 400 and "_auth_user_id" not in client.session  # refused, on the page
    assert not User.objects.filter(kind="public").exists()


@pytest.mark.django_db
def test_codes_tried_from_one_address_are_limited_whatever_the_number(client, settings):
    settings.EDUGOV = {**settings.EDUGOV, "RATE_LIMITS": {**settings.EDUGOV["RATE_LIMITS"], "sms_verify": "3/h"}}
    from django.core.cache import cache

    cache.clear()
    codes = [client.post(reverse("accounts:phone_verify"), {"phone": f"1390000000{i}",
                                                          "code": "123456"}).status_code for i in range(4)]
    assert codes == [400, 400, 400, 429]  # a wrong code is the form's error; then the limit


@pytest.mark.django_db
def test_a_number_spelt_another_way_is_the_same_number_for_every_limit(django_capture_on_commit_callbacks):
    from edugov.kernel.crypto import blind_index
    from edugov.kernel.validators import normalise_mobile

    for spelling in ("+86 135-1234-0000", "0086 13512340000", "(135)1234 0000", "８６１３５１２３４００００"):
        assert normalise_mobile(spelling) == "13512340000"
        assert blind_index(spelling, purpose="phone") == blind_index("13512340000", purpose="phone")
    with django_capture_on_commit_callbacks(execute=True):
        actions.sms_code_send(phone="13512340000", address="10.0.0.9")
    with pytest.raises(RateLimited, match="不到一分钟"):
        actions.sms_code_send(phone="+86 135-1234-0000", address="10.0.0.8")


@pytest.mark.django_db
def test_a_refused_resend_keeps_the_code_field(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:phone_login"), {"phone": "13800138002"})
    page = client.post(reverse("accounts:phone_login"), {"phone": "13800138002"}).content.decode()
    assert "不到一分钟" in page and 'name="code"' in page


@pytest.mark.django_db
def test_a_name_locked_from_one_address_stays_open_from_another(client, tree, make_user, settings):
    """Behind the bureau's proxy the lockout reads the address the proxy set (X-Real-IP), not a
    header part the client wrote, and locks the name only for that address."""
    settings.EDUGOV = {**settings.EDUGOV, "CLIENT_ADDRESS_HEADER": "HTTP_X_REAL_IP"}
    make_user("bureau_leader", tree.bureau, username="leader2", password="Right-Pass-2024")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "leader2", "password": "wrong"},
                    HTTP_X_REAL_IP="198.51.100.7")
    locked = client.post(reverse("accounts:login"), {"username": "leader2", "password": "Right-Pass-2024"},
                         HTTP_X_REAL_IP="198.51.100.7")
    assert locked.status_code == 429
    owner = client.post(reverse("accounts:login"), {"username": "leader2", "password": "Right-Pass-2024"},
                        HTTP_X_REAL_IP="203.0.113.20")
    assert owner.status_code == 302 and "_auth_user_id" in client.session
