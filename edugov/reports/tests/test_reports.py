import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from edugov.accounts.models import Role
from edugov.audit.models import Entry
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics import registry
from edugov.reports import actions
from edugov.reports.models import ReportState

BODY = """# 主要举措和成效
## 依法行政
全年登记测试事项{{test.count}}，办结率{{test.rate}}。
# 存在的不足和原因
无。
"""


@pytest.fixture
def figures(tree):
    """Two registered figures counted from organisations (a record added moves them)."""
    from edugov.accounts.models import Organisation

    def count(period, org):
        return Organisation.objects.filter(path__startswith=org.path, kind="school").count()

    registry.register(registry.Metric(key="test.count", title="测试", definition="学校数", measure_word="所", count=count))
    registry.register(registry.Metric(key="test.rate", title="测试率", definition="比", decimals=1,
                                      rate=lambda p, o: (count(p, o), 4)))
    yield
    registry.unregister("test.count")
    registry.unregister("test.rate")


@pytest.fixture
def people(tree, make_user):
    return {"writer": make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept),
            "reviewer": make_user(Role.LEGAL_REVIEWER, tree.sibling_dept),
            "leader": make_user(Role.BUREAU_LEADER, tree.bureau),
            "school": make_user(Role.SCHOOL_ADMIN, tree.school_org)}


def test_draft_review_freeze_publish_and_differences(tree, figures, people):
    r = actions.report_create(actor=people["writer"], organisation=tree.bureau, year=2024, body=BODY)
    with pytest.raises(Conflict):
        actions.report_create(actor=people["writer"], organisation=tree.bureau, year=2024)
    actions.report_save(actor=people["writer"], report=r, title=r.title, body=BODY + "引用{{no.such.key}}",
                        expected_version=r.version)
    with pytest.raises(ValidationFailed, match="no.such.key"):
        actions.report_submit(actor=people["writer"], report=r)
    with pytest.raises(Conflict):  # a stale page
        actions.report_save(actor=people["writer"], report=r, title=r.title, body=BODY, expected_version=0)
    r.refresh_from_db()
    actions.report_save(actor=people["writer"], report=r, title=r.title, body=BODY, expected_version=r.version)
    actions.report_submit(actor=people["writer"], report=r)
    with pytest.raises(PermissionDenied):
        actions.report_legal_review(actor=people["writer"], report=r, agree=True, note="")
    with pytest.raises(ValidationFailed):
        actions.report_legal_review(actor=people["reviewer"], report=r, agree=False, note=" ")
    actions.report_legal_review(actor=people["reviewer"], report=r, agree=True, note="")
    with pytest.raises(PermissionDenied):
        actions.report_approve(actor=people["reviewer"], report=r, agree=True)
    actions.report_approve(actor=people["leader"], report=r, agree=True, at=dt.datetime(2025, 3, 20, 10, tzinfo=dt.UTC))
    r.refresh_from_db()
    assert r.state == ReportState.APPROVED and r.frozen_figures["test.count"]["display"] == "2所"
    assert r.frozen_figures["test.rate"]["display"] == "50.0%"
    entry = Entry.objects.filter(action="report.approved").get()
    assert r.pdf_sha256 in entry.body and r.docx_sha256 in entry.body
    with r.docx.open("rb") as fh:
        text = "\n".join(p.text for p in Document(io.BytesIO(fh.read())).paragraphs)
    assert "全年登记测试事项2所，办结率50.0%" in text and "一、主要举措和成效" in text and "（一）依法行政" in text
    with pytest.raises(Conflict):  # frozen: the text cannot change
        actions.report_save(actor=people["writer"], report=r, title="x", body="y")
    assert actions.differences(r) == []
    client = Client()
    client.force_login(people["leader"])
    page = client.get(r.get_absolute_url()).content.decode()
    history = page.split("审核记录")[1] if "审核记录" in page else page
    assert "领导审定" in history and "legal_review" not in history and ">approved" not in history  # issue 27
    from edugov.accounts.models import Organisation, OrgKind

    Organisation.objects.create(code="B1-S9", name="新学校", kind=OrgKind.SCHOOL, parent=tree.bureau)
    assert actions.differences(r) == [{"key": "test.count", "frozen": "2所", "now": "3所"},
                                      {"key": "test.rate", "frozen": "50.0%", "now": "75.0%"}]
    actions.report_publish(actor=people["writer"], report=r, at=dt.datetime(2025, 3, 25, tzinfo=dt.UTC))
    r.refresh_from_db()
    assert r.state == ReportState.PUBLISHED


def test_the_pages_and_the_public_pdf(client, tree, figures, people):
    client.force_login(people["writer"])
    page = client.post(reverse("reports:create"), {"create-year": "2024"}, follow=True).content.decode()
    assert "年度推进法治建设的主要举措和成效" in page  # the statutory outline to start from
    from edugov.reports.models import AnnualReport

    r = AnnualReport.objects.get()
    page = client.post(reverse("reports:save", args=[r.pk]), {
        "save-title": r.title, "save-body": BODY + "{{bad.key}}", "save-version": r.version}, follow=True).content.decode()
    assert "已保存" in page and "bad.key" in page and "全年登记测试事项2所" in page
    page = client.post(reverse("reports:submit", args=[r.pk]), {"submit-version": r.version + 1}).content.decode()
    assert "未登记" in page and AnnualReport.objects.get().state == "draft"
    word = client.get(reverse("reports:download", args=[r.pk, "docx"]))
    assert word.status_code == 200 and word["Content-Disposition"].endswith('.docx"')
    client.force_login(people["school"])
    assert client.get(r.get_absolute_url()).status_code == 403
    client.logout()
    assert client.get(reverse("reports:public_pdf", args=[r.pk])).status_code == 404  # not published


def test_the_approval_runs_on_the_case_engine_with_the_publication_deadline(tree, figures, people):
    """Issue 24: the report's steps are the engine's; its clock is the publication deadline, so an
    unpublished report is a matter on the workbench, late after 31 March of the following year."""

    def at(day, hour=10):
        return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)

    r = actions.report_create(actor=people["writer"], organisation=tree.bureau, year=2024, body=BODY,
                              at=at("2025-02-20"))
    clock = r.case.clocks.get(name="publish")
    assert r.case.kind == "report" and r.case.state == "draft" and clock.due_on == dt.date(2025, 3, 31)
    actions.report_submit(actor=people["writer"], report=r, at=at("2025-03-03"))
    actions.report_legal_review(actor=people["reviewer"], report=r, agree=False, note="第二部分数据口径不一致",
                                at=at("2025-03-05"))
    r.refresh_from_db()
    assert r.state == r.case.state == "draft"  # sent back, as an engine step with its note
    assert list(r.case.events.exclude(transition="").values_list("transition", flat=True)) == ["submit",
                                                                                               "legal_return"]
    actions.report_submit(actor=people["writer"], report=r, at=at("2025-03-06"))
    actions.report_legal_review(actor=people["reviewer"], report=r, agree=True, note="", at=at("2025-03-10"))
    actions.report_approve(actor=people["leader"], report=r, agree=True, at=at("2025-03-20"))
    actions.report_publish(actor=people["writer"], report=r, at=at("2025-03-25"))
    r.refresh_from_db()
    clock.refresh_from_db()
    assert r.state == r.case.state == "published" and not r.case.is_open and clock.met is True
    late = actions.report_create(actor=people["writer"], organisation=tree.bureau, year=2025, at=at("2026-01-15"))
    assert late.case.is_open and late.case.next_due_on == dt.date(2026, 3, 31)  # overdue since 1 April 2026


def test_a_rate_of_nothing_reads_as_not_applicable_in_the_text():
    """Issue 27: the 2025 draft read "办结率无有效件"."""
    from edugov.reports.render import fill

    empty = {"value": None, "numerator": 0, "denominator": 0, "display": "无有效件"}
    some = {"value": 0.5, "numerator": 1, "denominator": 2, "display": "50.0%"}
    text = "办结率{{petitions.completion_rate}}，上年{{x.rate}}。"
    assert fill(text, {"petitions.completion_rate": empty, "x.rate": some}) == "办结率不适用（无有效件），上年50.0%。"
