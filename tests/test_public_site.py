"""The public site as one place (issue 10): 信息公开, 数据开放, search, the care mode, rate limits on
public forms, and the agency API. Cross-app, so it lives here."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from edugov.accounts import actions as accounts
from edugov.accounts.models import User, UserKind
from edugov.enforcement.models import Publication
from edugov.registries.models import Institution, School
from edugov.services import actions as services
from edugov.services.models import ServiceItem
from edugov.services.tests.support import MATERIALS, credit, item_values, submit  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(db):
    return User.objects.create_user(username="p13800000001", kind=UserKind.PUBLIC, phone="13800000001")


def publish(tree, title, kind="penalty", days_ago=1, taken_down=False):
    now = timezone.now() - dt.timedelta(days=days_ago)
    return Publication.objects.create(
        organisation=tree.bureau, kind=kind, title=title, body=f"{title}：违规收取培训费用，责令改正并罚款。",
        due_on=now.date(), published_at=now, take_down_on=now.date() + dt.timedelta(days=1825),
        taken_down_at=timezone.now() if taken_down else None)


@pytest.fixture
def decided(tree, staff, item, citizen):  # noqa: F811
    head, clerk = staff
    app = submit(item, citizen)
    services.application_accept(actor=clerk, application=app)
    services.application_decide(actor=head, application=app, approve=True, certificate_number="教民150010124000001号")
    app.refresh_from_db()
    return app


def limits(settings, **rates):
    edugov = copy.deepcopy(settings.EDUGOV)
    edugov["RATE_LIMITS"].update(rates)
    settings.EDUGOV = edugov
    cache.clear()


# -- 信息公开 -------------------------------------------------------------------------------------

def test_the_open_government_page_gathers_what_is_published(client, tree, decided):
    publish(tree, "关于某培训学校的行政处罚决定")
    publish(tree, "已撤下的处罚决定", taken_down=True)
    page = client.get("/open/").content.decode()
    assert "关于某培训学校的行政处罚决定" in page and "已撤下的处罚决定" not in page
    assert "校外培训机构设立审批" in page  # the licensing decision
    assert "全部1项许可决定" in page
    publish(tree, "第二份处罚决定")
    assert "全部2项已公开结果" in client.get("/open/").content.decode()  # counted from the records


# -- 数据开放 -------------------------------------------------------------------------------------

def test_each_dataset_downloads_as_csv_and_json_with_its_licence_and_date(client, tree, decided):
    publish(tree, "处罚决定甲")
    publish(tree, "处罚决定乙（已撤下）", taken_down=True)
    page = client.get("/open/data/").content.decode()
    assert "CC BY 4.0" in page and "检查结果与行政处罚决定" in page

    r = client.get("/open/data/enforcement-results.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    body = b"".join(r.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads the Chinese correctly
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["编号", "类型", "标题"]
    assert [row[2] for row in rows[1:]] == ["处罚决定甲"]  # the taken-down one is not in the file
    assert rows[1][1] == "处罚决定"  # issue 27: the kind as people read it, not its code ("penalty")

    data = json.loads(b"".join(client.get("/open/data/licensing-decisions.json").streaming_content))
    assert data["licence_url"].startswith("https://creativecommons.org/licenses/by/4.0")
    assert data["count"] == len(data["rows"]) == 1
    assert data["rows"][0]["certificate_number"] == "教民150010124000001号"
    assert data["updated"].startswith(timezone.localdate().isoformat())
    assert {c["key"] for c in data["columns"]} >= {"reference", "decision", "valid_until"}
    assert data["rows"][0]["decision"] == "准予办理"  # the label; the column gives programs the code
    decision = next(c for c in data["columns"] if c["key"] == "decision")
    assert {"code": "approved", "title": "准予办理"} in decision["values"]
    schools = b"".join(client.get("/open/data/schools.csv").streaming_content).decode("utf-8")
    assert ",小学," in schools and "primary" not in schools
    assert client.get("/open/data/no-such-set.json").status_code == 404
    assert client.get("/open/data/schools.xml").status_code == 404


def test_a_person_applying_is_masked_in_the_open_data(client, tree, staff, item, citizen):  # noqa: F811
    head, clerk = staff
    app = submit(item, citizen, applicant_kind="person", institution_name="", credit_code="",
                 id_number="11010519491231002X", id_valid_until=dt.date(2035, 1, 1), name="王芳")
    services.application_accept(actor=clerk, application=app)
    services.application_decide(actor=head, application=app, approve=True, certificate_number="证002")
    data = json.loads(b"".join(client.get("/open/data/licensing-decisions.json").streaming_content))
    text = json.dumps(data, ensure_ascii=False)
    assert data["rows"][0]["applicant"] == "王*" and "11010519491231002X" not in text and "王芳" not in text


# -- search ---------------------------------------------------------------------------------------

def test_search_cuts_a_chinese_question_into_words(client, tree, item):  # noqa: F811
    page = client.get("/search/", {"q": "怎么办理校外培训机构的设立审批"}).content.decode()
    assert "校外培训机构设立审批" in page and "办事指南" in page
    page = client.get("/search/", {"q": "培训机构 注销"}).content.decode()  # a word no record has
    assert "没有找到" in page


def test_search_finds_published_results_but_not_taken_down_ones(client, tree):
    publish(tree, "关于某艺术培训中心超范围经营的处罚决定")
    publish(tree, "关于某舞蹈培训中心的处罚决定", taken_down=True)
    page = client.get("/search/", {"q": "培训中心 处罚"}).content.decode()
    assert "某艺术培训中心" in page and "某舞蹈培训中心" not in page


def test_search_finds_schools_by_pinyin_initials(client, tree):
    School.objects.filter(pk=tree.school.pk).update(name="北京路小学")
    School.objects.get(pk=tree.school.pk).save()  # keeps the initials
    Institution.objects.create(organisation=tree.bureau, name="博雅培训学校", credit_code=credit("52500101MJ000009"),
                               kind="academic")
    page = client.get("/search/", {"q": "bjlxx"}).content.decode()
    assert "北京路小学" in page and "BJLXX" in page
    assert "博雅培训学校" in client.get("/search/", {"q": "BYPX"}).content.decode()


def test_the_sites_own_services_are_results(client, tree):
    """Issue 27: "how do I complain" finds the complaint form and the tracker, not only records."""
    def results(**query):
        page = client.get("/search/", query).content.decode()
        return page.split('role="status"')[1].split("</main>")[0]

    found = results(q="怎么投诉")
    assert "网上服务" in found and 'href="/complaints/new/"' in found and 'href="/complaints/track/"' in found
    found = results(q="如何申请入学")
    assert 'href="/enrollment/"' in found and 'href="/enrollment/track/"' in found
    assert 'href="/complaints/new/"' not in found
    assert 'href="/complaints/new/"' not in results(q="投诉", kind="schools")


def test_initials_match_from_the_start_of_any_word_of_a_name(client, tree):
    """Issue 27: parents type 白土小学's initials without the district's: "bt" and "btxx" find
    江州区白土小学; letters inside a word do not ("txx" is no word's start)."""
    School.objects.filter(pk=tree.school.pk).update(name="江州区白土小学")
    School.objects.get(pk=tree.school.pk).save()
    for query in ("bt", "btxx", "BTXX", "jzqbtxx"):
        assert "<strong>江州区白土小学</strong>" in client.get("/search/", {"q": query}).content.decode(), query
    assert "<strong>江州区白土小学</strong>" not in client.get("/search/", {"q": "txx"}).content.decode()
    other = School.objects.get(pk=tree.other_school.pk)
    assert not other.matches_initials("bt") and other.matches_initials("dexx")  # 甲区第二小学


# -- 适老化 -----------------------------------------------------------------------------------------

def test_the_care_mode_is_kept_for_the_visitor_and_switched_off_again(client):
    r = client.post("/care/", {"care": "on", "next": "/services/"})
    assert r.status_code == 302 and r["Location"] == "/services/"
    page = client.get("/").content.decode()
    assert 'class=" care"' in page and "标准字号" in page
    client.post("/care/", {"care": "off", "next": "/"})
    assert 'class=" care"' not in client.get("/").content.decode()
    assert client.post("/care/", {"care": "on", "next": "https://evil.example/"})["Location"] == "/"


# -- rate limits ------------------------------------------------------------------------------------

def test_guessing_query_codes_is_slowed_down_and_loses_nothing(client, settings):
    limits(settings, lookup="3/m")
    for _ in range(3):
        assert client.post("/complaints/track/", {"code": "ABCD-EFGH-JKLM"}).status_code == 200
    r = client.post("/complaints/track/", {"code": "ABCD-EFGH-JKLM"})
    assert r.status_code == 429 and 0 < int(r["Retry-After"]) <= 60
    assert "操作过于频繁" in r.content.decode()
    assert client.get("/complaints/track/").status_code == 200  # reading the form is not limited


def test_one_mobile_number_cannot_flood_the_complaint_form(client, tree, settings):
    from edugov.petitions.models import Category, Hotline, Petition

    Hotline.objects.create(organisation=tree.bureau, office=tree.dept, opened_on=dt.date(2024, 3, 1))
    category = Category.objects.create(organisation=tree.bureau, name="乱收费")
    limits(settings, complaint_phone="2/h")
    form = {"description": "学校违规收取资料费", "category": category.pk, "complainant_phone": "13800000002",
            "complainant_name": "李四"}
    for n in range(2):
        client.post("/complaints/new/", {**form, "description": f"学校违规收取资料费{n}"})
    count = Petition.objects.count()
    r = client.post("/complaints/new/", form)
    assert r.status_code == 429 and Petition.objects.count() == count
    other = client.post("/complaints/new/", {**form, "complainant_phone": "13800000003"})
    assert other.status_code != 429  # another number is not held back


def test_a_cache_that_does_not_answer_lets_the_public_through(client, settings):
    limits(settings, lookup="1/m")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    for _ in range(3):
        assert client.post("/complaints/track/", {"code": "ABCD-EFGH-JKLM"}).status_code == 200


# -- the agency API -------------------------------------------------------------------------------

@pytest.fixture
def key(tree):
    return accounts.api_key_create(actor=None, name="区市场监管局信用平台", organisation=tree.bureau)[1]


def test_the_agency_api_needs_a_key(client, tree, key):
    assert client.get("/api/v1/agency/penalties").status_code == 401
    assert client.get("/api/v1/agency/penalties", HTTP_AUTHORIZATION="Bearer eg_wrong").status_code == 401
    assert client.get("/api/v1/agency/penalties", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    from edugov.accounts.models import ApiKey

    ApiKey.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/agency/penalties", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_an_agency_reads_an_institutions_permits_and_penalties(client, tree, key, decided):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    Institution.objects.create(organisation=tree.bureau, name="江州区启航培训学校有限公司", credit_code=credit(),
                               kind="academic", permit_number="教民150010124000001号")
    r = client.get(f"/api/v1/agency/institutions/{credit()}", **auth)
    assert r.status_code == 200 and r.json()["permit_number"] == "教民150010124000001号"
    licences = client.get("/api/v1/agency/licences", {"credit_code": credit()}, **auth).json()
    assert [x["certificate_number"] for x in licences] == ["教民150010124000001号"]
    assert licences[0]["decision"] == "approved" and not licences[0]["revoked"]
    bad = client.get("/api/v1/agency/licences", {"credit_code": credit()[:17] + "Z"}, **auth)
    assert bad.status_code == 422
    publish(tree, "关于江州区启航培训学校有限公司的行政处罚决定")
    publish(tree, "关于另一机构的行政处罚决定")
    publish(tree, "关于启航的已撤下决定", taken_down=True)
    found = client.get("/api/v1/agency/penalties", {"party": "启航"}, **auth).json()
    assert [p["title"] for p in found] == ["关于江州区启航培训学校有限公司的行政处罚决定"]


def test_the_agency_api_is_rate_limited_per_key(client, tree, key, settings):
    limits(settings, api="2/m")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert [client.get("/api/v1/agency/penalties", **auth).status_code for _ in range(2)] == [200, 200]
    r = client.get("/api/v1/agency/penalties", **auth)
    assert r.status_code == 429 and 0 < int(r["Retry-After"]) <= 60
    other = accounts.api_key_create(actor=None, name="另一系统", organisation=tree.bureau)[1]
    assert client.get("/api/v1/agency/penalties", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200


def test_open311_is_rate_limited_too(client, tree, settings):
    limits(settings, open311_read="2/m")
    assert [client.get("/open311/v2/services.json").status_code for _ in range(2)] != [429, 429]
    r = client.get("/open311/v2/services.json")
    assert r.status_code == 429 and r.json()[0]["code"] == 429 and r["Retry-After"]


def test_the_api_documentation_is_served_without_a_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/agency/penalties" in schema["paths"]
    assert any("Bearer" in json.dumps(s) or s.get("scheme") == "bearer"
               for s in schema["components"]["securitySchemes"].values())


# -- the public pages' cache ----------------------------------------------------------------------

def test_a_guide_is_served_from_the_cache_until_a_new_version_is_published(client, tree, staff, item, citizen,  # noqa: F811
                                                                            django_assert_num_queries,
                                                                            django_capture_on_commit_callbacks):
    from edugov.services import catalogue

    cache.clear()
    url = f"/services/items/{item.pk}/"
    assert "有符合规定的场所与师资" in client.get(url).content.decode()
    with django_assert_num_queries(0):  # served before the session, the user or the database are touched
        again = client.get(url)
    assert again["X-Page-Cache"] == "hit" and "有符合规定的场所与师资" in again.content.decode()
    assert again["Content-Security-Policy"] and again["X-Request-Id"] != client.get(url)["X-Request-Id"]
    head, _clerk = staff
    catalogue.item_save(actor=head, bureau=tree.bureau, item=item, materials=MATERIALS,
                        values=item_values(tree, conditions="场所面积不少于200平方米"))
    assert "有符合规定的场所与师资" in client.get(url).content.decode()  # a draft edit is not published
    with django_capture_on_commit_callbacks(execute=True):
        catalogue.item_publish(actor=head, item=ServiceItem.objects.get(pk=item.pk), note="修改条件")
    assert "场所面积不少于200平方米" in client.get(url).content.decode()  # the new version, at once

    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").content != client.get(url).content  # one copy a language
    client.force_login(citizen)  # a signed-in citizen gets their own page, never the anonymous copy
    mine = client.get(url)
    assert "138****0001" in mine.content.decode() and "X-Page-Cache" not in mine


def test_search_reads_the_published_guide_not_the_draft(client, tree, staff, item):  # noqa: F811
    from edugov.services import catalogue

    head, _clerk = staff
    catalogue.item_save(actor=head, bureau=tree.bureau, item=item, materials=MATERIALS,
                        values=item_values(tree, conditions="尚未发布的新条件：场所须在一楼"))
    assert "没有找到" in client.get("/search/", {"q": "场所须在一楼"}).content.decode()
    assert "校外培训机构设立审批" in client.get("/search/", {"q": "符合规定的场所"}).content.decode()


def test_an_agency_key_sees_only_its_own_district(client, tree, key):
    Institution.objects.create(organisation=tree.other_bureau, name="乙区培训学校", credit_code=credit("52500101MJ000010"),
                               kind="academic")
    r = client.get(f"/api/v1/agency/institutions/{credit('52500101MJ000010')}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 404


def test_made_up_open311_keys_buy_no_extra_requests(client, tree, settings):
    limits(settings, open311_read="2/m")
    codes = [client.get("/open311/v2/services.json", {"api_key": f"eg_fake{n}"}).status_code for n in range(3)]
    assert codes[-1] == 429
