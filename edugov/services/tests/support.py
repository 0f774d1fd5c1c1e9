"""Helpers of the services tests (plain functions and data, not fixtures)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from edugov.kernel.validators import credit_check_char
from edugov.services import actions

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def credit(body: str = "52500101MJ000001") -> str:
    first = (body + "0")[:17]
    return first + credit_check_char(first)


def item_values(tree, **over):
    values = {"code": "JY-001", "name": "校外培训机构设立审批", "item_type": "licence",
              "legal_basis": "《中华人民共和国民办教育促进法》第十二条", "department": tree.sibling_dept,
              "address": "区政务服务中心二楼教育窗口", "phone": "023-12345678", "complaint_phone": "023-12345679",
              "conditions": "有符合规定的场所与师资", "statutory_days": 20, "promised_days": 10, "fee": "不收费",
              "visits_needed": 0, "in_center": True, "private_school": False, "permit_years": 3}
    values.update(over)
    return values


MATERIALS = [{"name": "申请书", "form": "electronic", "required": True},
             {"name": "场所证明", "form": "copy", "required": True, "commitment_allowed": True},
             {"name": "举办者无犯罪记录证明", "form": "original", "required": True, "commitment_allowed": True}]


def mids(item):
    return [m["id"] for m in item.current.snapshot["materials"]]


def submit(item, citizen, **over):
    a, b, c = mids(item)
    kwargs = {"actor": citizen, "item": item, "channel": "online", "applicant_kind": "institution", "name": "王芳",
                  "phone": "13800000001", "institution_name": "江州区启航培训学校有限公司", "credit_code": credit(),
                  "uploads": {a: pdf(), b: pdf(), c: pdf()}}
    kwargs.update(over)
    return actions.application_submit(**kwargs)
