import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from edugov.accounts.models import Role
from edugov.audit.models import Entry
from edugov.kernel.errors import ValidationFailed
from edugov.registries import actions
from edugov.registries.models import ImportRun, Institution, Person

GOOD = ["91350100M000100Y43", "52500101MJP6K2QJ9R"]


def _credit(seed: str) -> str:
    from edugov.kernel.validators import credit_check_char

    first = "52500101" + seed
    return first + credit_check_char(first)


def _xlsx(rows, header=("名称", "统一社会信用代码", "类型", "状态")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def clerk(tree, make_user):
    return make_user(Role.DEPARTMENT_STAFF, tree.dept)


def test_a_file_with_bad_rows_writes_nothing_and_names_each_line(tree, clerk):
    data = _xlsx([
        ("甲区启明教育", _credit("MJ0000001"), "学科类", "正常经营"),
        ("甲区星火艺术", _credit("MJ0000002"), "non_academic", "operating"),
        ("错误代码机构", _credit("MJ0000003")[:-1] + "0" if not _credit("MJ0000003").endswith("0") else _credit("MJ0000003")[:-1] + "1", "学科类", "正常经营"),
        ("", _credit("MJ0000004"), "学科类", "正常经营"),
        ("重复机构", _credit("MJ0000001"), "学科类", "正常经营"),
    ])
    run = actions.registry_import(actor=clerk, registry="institutions", bureau=tree.bureau, filename="机构.xlsx",
                                  data=data, good_rows_only=False)
    assert run.imported_rows == 0 and not Institution.objects.exists()
    lines = {e["line"]: e["reason"] for e in run.errors}
    assert set(lines) == {4, 5, 6}
    assert "校验位不正确，请核对第18位" in lines[4]
    assert "与本文件第2行重复" in lines[6]
    assert Entry.objects.filter(action="institutions.import").count() == 1
    # the summary adds up: 5 read = 0 imported + 3 rejected + 2 valid held back (issue 27)
    assert (run.total_rows, run.imported_rows, len(run.errors), run.held_rows) == (5, 0, 3, 2)


def test_importing_the_valid_rows_gives_the_rejected_ones_back_with_reasons(tree, clerk, client):
    data = _xlsx([
        ("甲区启明教育", _credit("MJ0000001"), "学科类", "正常经营"),
        ("无类型机构", _credit("MJ0000005"), "", "正常经营"),
        ("甲区星火艺术", _credit("MJ0000002"), "非学科类", ""),
    ])
    run = actions.registry_import(actor=clerk, registry="institutions", bureau=tree.bureau, filename="x.xlsx",
                                  data=data, good_rows_only=True)
    assert run.imported_rows == 1 and Institution.objects.count() == 1
    assert Entry.objects.filter(action="institution.create").count() == 1
    rejected = load_workbook(io.BytesIO(bytes(run.rejected_file))).active
    rows = list(rejected.iter_rows(values_only=True))
    assert rows[0][-2:] == ("行号", "原因")
    assert [(r[0], r[-2]) for r in rows[1:]] == [("无类型机构", 3), ("甲区星火艺术", 4)]
    assert all("必填" in r[-1] or "必须" in r[-1] or "这个字段" in r[-1] for r in rows[1:])
    client.force_login(clerk)
    download = client.get(reverse("registries:import_result", args=[run.pk]) + "?download=rejected")
    assert download.status_code == 200 and download.content == bytes(run.rejected_file)


@pytest.mark.parametrize("content, message", [
    (b"\x89PNG\r\n\x1a\n" + b"0" * 100, "不是Excel"),
    (b"PK\x03\x04garbage", "已损坏"),
])
def test_files_that_are_not_xlsx_are_refused_by_content(tree, clerk, content, message):
    with pytest.raises(ValidationFailed, match=message):
        actions.registry_import(actor=clerk, registry="schools", bureau=tree.bureau, filename="schools.xlsx",
                                data=content, good_rows_only=False)
    assert not ImportRun.objects.exists()


def test_a_decompression_bomb_is_refused(tree, clerk):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (150 * 1024 * 1024))
    with pytest.raises(ValidationFailed, match="体积异常"):
        actions.registry_import(actor=clerk, registry="schools", bureau=tree.bureau, filename="bomb.xlsx",
                                data=buf.getvalue(), good_rows_only=False)


def test_people_import_masks_on_export_and_round_trips_duplicates(tree, clerk):
    from edugov.kernel.validators import identity_check_char

    first = "50010119850101123"
    number = first + identity_check_char(first)
    header = ("人员类别", "姓名", "身份证号", "手机号码", "职务", "执法证号", "执法领域", "执法证有效期至", "派出机关", "单位名称")
    data = _xlsx([("执法人员", "周强", number, "13812345678", "队员", "JZ0001", "教育", "2027-12-31", "", "")], header)
    run = actions.registry_import(actor=clerk, registry="people", bureau=tree.bureau, filename="p.xlsx", data=data,
                                  good_rows_only=False)
    assert run.imported_rows == 1, run.errors
    person = Person.objects.get()
    assert person.birth_date.isoformat() == "1985-01-01"
    exported = actions.registry_export("people", Person.objects.all())
    rows = list(load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True))
    assert number not in str(rows) and "5001**********" in str(rows)
    again = actions.registry_import(actor=clerk, registry="people", bureau=tree.bureau, filename="p.xlsx", data=data,
                                    good_rows_only=False)
    assert again.imported_rows == 0 and "该身份证号的人员已登记" in again.errors[0]["reason"]


def test_import_page_round_trip_through_http(client, tree, clerk):
    client.force_login(clerk)
    page = client.get(reverse("registries:import", args=["institutions"]))
    assert page.status_code == 200
    data = _xlsx([("甲区慧心书法", _credit("MJ0000009"), "非学科类", "正常经营")])
    r = client.post(reverse("registries:import", args=["institutions"]),
                    {"file": SimpleUploadedFile("a.xlsx", data)}, follow=True)
    assert r.status_code == 200 and Institution.objects.filter(name="甲区慧心书法").exists()
    r = client.post(reverse("registries:import", args=["institutions"]),
                    {"file": SimpleUploadedFile("photo.xlsx", b"\xff\xd8\xff\xe0JFIF")})
    assert r.status_code == 200 and Institution.objects.count() == 1
    assert "不是Excel（.xlsx）文件" in r.content.decode()
