"""Issue 22: production refuses the demo's parts, the SMS gateway's requests are signed as the
vendor documents, and the client's address is read once, behind the proxy too."""

from __future__ import annotations

import base64
import json
import os
import urllib.parse

import pytest
from django.test import RequestFactory

from edugov.kernel import checks, sms
from edugov.kernel.ratelimit import client_address


def test_the_gateway_signature_matches_the_vendors_published_example():
    """Alibaba Cloud's worked example (DescribeRegions, key testid/testsecret) signs to
    CT9X0VtwR86fNWSnsc6v8YGOjuE=."""
    params = {"TimeStamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid",
              "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1", "Version": "2014-05-26",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0"}
    query = sms.signed_query(params, "testsecret")
    assert query.startswith("Signature=CT9X0VtwR86fNWSnsc6v8YGOjuE%3D&AccessKeyId=testid&Action=DescribeRegions")


def test_a_sign_in_code_request_carries_the_text_and_the_number(settings):
    import datetime as dt

    settings.EDUGOV = {**settings.EDUGOV, "SMS_GATEWAY": {
        "url": "https://sms.example.gov.cn/", "access_key_id": "kid", "access_key_secret": "ksecret",
        "sign_name": "区教委", "template_code": "SMS_1", "template_param": "content"}}
    url = sms.GatewayBackend().request_url("13800138000", "验证码 123456，5分钟内有效。", nonce="n1",
                                           now=dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC))
    assert url.startswith("https://sms.example.gov.cn/?Signature=")
    query = dict(urllib.parse.parse_qsl(url.split("?", 1)[1]))
    assert query["PhoneNumbers"] == "13800138000" and query["SignName"] == "区教委"
    assert json.loads(query["TemplateParam"]) == {"content": "验证码 123456，5分钟内有效。"}
    assert query["Timestamp"] == "2026-12-01T08:00:00Z" and query["Action"] == "SendSms"
    unsigned = {k: v for k, v in query.items() if k != "Signature"}
    assert sms.signed_query(unsigned, "ksecret").split("&", 1)[0] == "Signature=" + urllib.parse.quote(
        query["Signature"], safe="-_.~")
    assert "ksecret" not in url


def _deploy_errors() -> set[str]:
    return {e.id for e in checks.production_uses_no_demo_parts()}


def test_the_deploy_check_refuses_a_console_sender_and_the_demos_keys(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.EDUGOV = {**settings.EDUGOV, "SMS_BACKEND": "edugov.kernel.sms.ConsoleBackend"}
    assert "edugov.E001" in _deploy_errors()
    settings.EDUGOV = {**settings.EDUGOV, "SMS_BACKEND": "edugov.kernel.sms.GatewayBackend",
                       "SMS_GATEWAY": {"access_key_id": "x"}}
    assert _deploy_errors() == {"edugov.E002"}
    data_key = base64.b64encode(os.urandom(32)).decode()
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "demo-keys.json").write_text(json.dumps(
        {"secret_key": "demo-abc", "data_keys": f"demo1:{data_key}", "index_key": base64.b64encode(b"i" * 32).decode()}))
    settings.EDUGOV = {**settings.EDUGOV, "SMS_GATEWAY": {"access_key_id": "x", "access_key_secret": "y",
                                                           "sign_name": "z", "template_code": "t"},
                       "DATA_KEYS": f"prod7:{data_key}"}  # the demo's key material under another name
    assert _deploy_errors() == {"edugov.E003"}
    settings.EDUGOV = {**settings.EDUGOV, "DATA_KEYS": "prod7:" + base64.b64encode(os.urandom(32)).decode(),
                       "INDEX_KEY": base64.b64encode(b"i" * 32).decode()}  # the demo's index key, no prefix at all
    assert _deploy_errors() == {"edugov.E003"}


@pytest.mark.parametrize("forwarded, expected", [("203.0.113.9", "203.0.113.9"),
                                                 ("6.6.6.6, 203.0.113.9", "203.0.113.9")])
def test_the_address_is_the_one_the_proxy_set(settings, forwarded, expected):
    settings.EDUGOV = {**settings.EDUGOV, "CLIENT_ADDRESS_HEADER": "HTTP_X_REAL_IP"}
    request = RequestFactory().get("/", HTTP_X_REAL_IP=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == expected
    settings.EDUGOV = {**settings.EDUGOV, "CLIENT_ADDRESS_HEADER": ""}
    assert client_address(request) == "127.0.0.1"  # a header nobody configured is not believed


def test_a_text_that_looks_like_a_formula_is_exported_as_text():
    import io

    from openpyxl import load_workbook

    from edugov.kernel.xlsx import Column, write_workbook

    evil = ['=HYPERLINK("http://evil.example","点此查看")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "普通标题"]
    data = write_workbook([Column("t", "标题"), Column("n", "数")], [(text, 5) for text in evil])
    ws = load_workbook(io.BytesIO(data)).active
    cells = [ws.cell(row=i, column=1) for i in range(2, 2 + len(evil))]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["'" + t for t in evil[:4]] + ["普通标题"]
    assert ws.cell(row=2, column=2).value == 5  # numbers stay numbers

