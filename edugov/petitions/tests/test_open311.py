import xml.etree.ElementTree as ET  # noqa: S405

import pytest
from django.core.management import call_command

from edugov.accounts.models import ApiKey
from edugov.audit.models import Entry
from edugov.metrics import registry
from edugov.petitions import actions, routing
from edugov.petitions.models import Petition

BASE = "/open311/v2"


@pytest.fixture
def key(tree, hotline, capsys):  # noqa: F811
    call_command("apikey", "create", "--name", "市12345平台", "--org", tree.bureau.code)
    value = capsys.readouterr().out.strip()
    assert value.startswith("eg_") and not ApiKey.objects.filter(digest=value).exists()
    return value


def _post(client, key, **extra):
    data = {"api_key": key, "service_code": "", "description": "周末违规补课", "address_string": "甲区第一小学",
            "first_name": "三", "last_name": "张", "phone": "13812345678"}
    data.update(extra)
    return client.post(f"{BASE}/requests.json", data, **{k: v for k, v in extra.items() if k.startswith("HTTP_")})


def test_services_in_json_and_xml(client, tree, hotline):  # noqa: F811
    services = client.get(f"{BASE}/services.json").json()
    assert {s["service_name"] for s in services} == set(hotline) and services[0]["metadata"] is False
    root = ET.fromstring(client.get(f"{BASE}/services.xml").content)  # noqa: S314 - our own output
    assert root.tag == "services" and len(root.findall("service")) == 3
    code = services[0]["service_code"]
    assert client.get(f"{BASE}/services/{code}.json").json() == {"service_code": code, "attributes": []}
    assert client.get(f"{BASE}/services/9999.json").status_code == 404


def test_errors_follow_the_specification(client, tree, hotline, key):  # noqa: F811
    code = str(hotline["违规补课"].pk)
    r = _post(client, "wrong", service_code=code)
    assert r.status_code == 403 and r.json() == [{"code": 403, "description": "缺少 api_key 或 api_key 无效"}]
    r = _post(client, key, service_code="")
    assert r.status_code == 400 and r.json()[0]["description"] == "缺少必填参数 service_code"
    assert _post(client, key, service_code="424242").status_code == 404
    assert _post(client, key, service_code=code, phone="123").status_code == 400
    assert _post(client, key, service_code=code, address_string="").status_code == 400
    root = ET.fromstring(client.post(f"{BASE}/requests.xml", {"api_key": "x"}).content)  # noqa: S314
    assert root.tag == "errors" and root.find("error/code").text == "403"
    assert not Petition.objects.exists()


def test_a_request_becomes_a_case_and_is_followed(client, tree, hotline, people, key):  # noqa: F811
    code = str(hotline["违规补课"].pk)
    r = _post(client, key, service_code=code, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert r.status_code == 201
    rid = r.json()[0]["service_request_id"]
    again = _post(client, key, service_code=code, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert again.status_code == 200 and again.json()[0]["service_request_id"] == rid
    petition = Petition.objects.get()
    assert petition.channel == "open311" and petition.school == tree.school and petition.case.contact_name == "张三"
    assert Entry.objects.filter(action="complaint.intake").count() == 1
    public = client.get(f"{BASE}/requests/{rid}.json").json()[0]
    assert public["status"] == "open" and public["description"] is None
    agency = client.get(f"{BASE}/requests/{rid}.json", {"api_key": key}).json()[0]
    assert agency["description"] == "周末违规补课" and agency["address"] == "甲区第一小学"
    actions.petition_triage(actor=people["operator"], petition=petition, decision="valid")
    routing.petition_route(actor=people["operator"], petition=petition, unit=tree.sibling_dept)
    actions.petition_close(actor=people["head"], petition=petition, result="已责令停止", override_reason="已当面处理")
    closed = client.get(f"{BASE}/requests.json", {"status": "closed", "api_key": key}).json()
    assert [x["service_request_id"] for x in closed] == [rid] and closed[0]["status_notes"] == "已责令停止"
    assert client.get(f"{BASE}/tokens/retry-1.json", {"api_key": key}).json() == [
        {"service_request_id": rid, "token": "retry-1"}]
    year = registry.Period.year(petition.case.opened_at.year)
    assert registry.compute(registry.get("petitions.received"), year, tree.bureau).value == 1


def test_bad_dates_and_formats_are_400_and_404(client, tree, hotline):  # noqa: F811
    assert client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400
    assert client.get(f"{BASE}/requests.json", {"status": "pending"}).status_code == 400
    assert client.get(f"{BASE}/services.csv").status_code == 404


def test_a_polling_client_pages_through_the_requests(client, tree, hotline, key):  # noqa: F811
    code = str(hotline["违规补课"].pk)
    ids = [_post(client, key, service_code=code, description=f"周末违规补课第{n}次").json()[0]["service_request_id"]
           for n in range(5)]
    first = client.get(f"{BASE}/requests.json", {"page_size": 2}).json()
    second = client.get(f"{BASE}/requests.json", {"page_size": 2, "page": 2}).json()
    last = client.get(f"{BASE}/requests.json", {"page_size": 2, "page": 3}).json()
    assert [r["service_request_id"] for r in first + second + last] == ids[::-1]  # newest first, each once
    assert len(client.get(f"{BASE}/requests.json").json()) == 5  # without paging: all, up to 1,000
    for bad in ({"page": "0"}, {"page_size": "-3"}, {"page": "x"}):
        r = client.get(f"{BASE}/requests.json", bad)
        assert r.status_code == 400 and "page_size" in r.json()[0]["description"]
