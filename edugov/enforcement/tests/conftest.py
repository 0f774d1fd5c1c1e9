import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from edugov.accounts.models import Role
from edugov.enforcement.models import EnforcementItem, InspectionMatter, RiskLevel, TargetProfile
from edugov.registries.models import Institution, Person

CHECKLIST = ["办学许可证公示", "收费公示", "从业人员资质", "消防安全"]


@dataclass
class Enf:
    matter: object
    item: object
    institutions: list
    officers: list
    users: dict


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def drawn(actor, campaign, day="2024-04-07", public_value=""):
    """双随机 in its two steps: the commitment published the afternoon before `day`, the draw on it."""
    from edugov.enforcement import actions

    committed = actions.campaign_commit(actor=actor, campaign=campaign, at=at(day, 16) - dt.timedelta(days=1))
    return actions.campaign_draw(actor=actor, campaign=committed, public_value=public_value, at=at(day))


@pytest.fixture
def enf(tree, make_user):
    from edugov.enforcement import actions

    matter = InspectionMatter.objects.create(
        organisation=tree.bureau, name="校外培训机构办学行为检查", content="办学资质、收费、安全",
        legal_basis="《校外培训行政处罚暂行办法》", method="现场检查", frequency="每年不少于1次",
        publication="区教委网站公示", checklist=CHECKLIST)
    item = EnforcementItem.objects.create(
        organisation=tree.bureau, code="JY-CF-001", name="对未经批准擅自举办校外培训机构的处罚",
        legal_basis="《校外培训行政处罚暂行办法》第十四条", penalty_range="罚款5000元以上50000元以下",
        fine_min=Decimal("5000"), fine_max=Decimal("50000"), department=tree.dept)
    actions.item_claim(actor=None, item=item, at=at("2024-01-05"))
    institutions = []
    for i in range(20):
        inst = Institution.objects.create(organisation=tree.bureau, name=f"甲区培训机构{i:02d}",
                                          credit_code=f"52500000MJ{i:08d}", kind="academic", address=f"甲区路{i}号")
        if i < 2:
            TargetProfile.objects.create(institution=inst, risk=RiskLevel.HIGH)
        institutions.append(inst)
    officers = []
    for i in range(6):
        officers.append(Person.objects.create(
            organisation=tree.dept, kind="enforcement_officer", name=f"执法员{i}", identity_number=f"50010119800101{i:03d}X",
            gender="M", birth_date=dt.date(1980, 1, 1), certificate_number=f"JZ2024{i:04d}",
            certificate_valid_until=dt.date(2030, 1, 1) if i else dt.date(2023, 12, 31)))
    users = {}
    for i in (0, 1, 2, 3, 4, 5):
        users[i] = make_user(Role.ENFORCEMENT_OFFICER, tree.dept, username=f"officer{i}")
        officers[i].user = users[i]
        officers[i].save(update_fields=["user"])
    users["reviewer"] = make_user(Role.LEGAL_REVIEWER, tree.sibling_dept, username="reviewer")
    users["head"] = make_user(Role.DEPARTMENT_HEAD, tree.dept, username="enfhead")
    return Enf(matter, item, institutions, officers, users)
