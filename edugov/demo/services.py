"""Government services of the demo district: the 33-item catalogue, the 2024 applications as the
reference report tells them (56 licensing cases, all completed; 61 private-school matters; every
completed case rated), and applications in every state now. Every record goes through the same
actions the window and the applicants use; the services.* and licensing.* figures are counted
from them afterwards."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from edugov.accounts.models import Organisation, User, UserKind
from edugov.cases.actions import case_transition
from edugov.kernel.calendar import get_calendar
from edugov.kernel.errors import ValidationFailed
from edugov.kernel.validators import credit_check_char
from edugov.services import actions, catalogue
from edugov.services.models import ServiceItem

from .clock import Live, aware

# The 2024 work, in the report's numbers (counted back from the records in tests, never stored).
PRIVATE_LICENCES, OTHER_LICENCES = 44, 12  # 56 licensing cases
PRIVATE_OTHER = 17  # private-school matters that are not licences: 44 + 17 = 61 completed
PUBLIC_SERVICES = 96
ADDRESS = "江州区政务服务中心三楼教育窗口（江州大道88号）"
PHONE, COMPLAINT = "023-58800100", "023-58800199"
LAW = ("《中华人民共和国民办教育促进法》第十二条、第十八条；《中华人民共和国民办教育促进法实施条例》；"
       "《江州区民办学校办学行为管理办法》（江教规〔2019〕1号）")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# code, name, type, private-school matter, statutory, promised, permit years, materials (name, commitment?)
ITEMS: list[tuple[str, str, str, bool, int, int, int | None, list[tuple[str, bool]]]] = [
    ("500101-JY-XK-001", "民办学校筹设审批", "licence", True, 30, 20, None,
     [("筹设申请报告", False), ("举办者资格证明", False), ("资产来源及资金数额证明", False), ("举办者无犯罪记录承诺", True)]),
    # 民办教育促进法 art. 17: 正式设立 is decided within three months of acceptance (a count in months)
    ("500101-JY-XK-002", "民办学校正式设立审批（学历教育）", "licence", True, 3, 30, 6,
     [("正式设立申请报告", False), ("学校章程", False), ("校长、理事会成员名单及身份证明", False), ("校舍及场地证明", True),
      ("举办者个人征信承诺", True)]),
    ("500101-JY-XK-003", "民办幼儿园设立审批", "licence", True, 30, 15, 3,
     [("设立申请报告", False), ("园舍安全鉴定及消防验收证明", False), ("保教人员资格证明", False), ("举办者无犯罪记录承诺", True)]),
    ("500101-JY-XK-004", "民办学校变更审批（举办者、名称、层次、类别、地址）", "licence", True, 20, 10, None,
     [("变更申请", False), ("理事会（董事会）决议", False), ("变更后的证明材料", True)]),
    ("500101-JY-XK-005", "民办学校终止审批", "licence", True, 20, 15, None,
     [("终止申请", False), ("财务清算报告", False), ("学生安置方案", False)]),
    ("500101-JY-XK-006", "民办学校办学许可证延续", "licence", True, 20, 10, 6,
     [("延续申请", False), ("近三年年度检查结论", False), ("办学场所证明", True)]),
    ("500101-JY-XK-007", "校外培训机构（非学科类）设立审批", "licence", True, 20, 10, 3,
     [("设立申请表", False), ("培训场所证明", True), ("培训人员资格证明", False), ("举办者无犯罪记录承诺", True)]),
    ("500101-JY-XK-008", "校外培训机构变更审批", "licence", True, 20, 10, None,
     [("变更申请", False), ("决策机构决议", False)]),
    ("500101-JY-XK-009", "校外培训机构终止审批", "licence", True, 20, 10, None,
     [("终止申请", False), ("学员退费及安置方案", False)]),
    # not licences (issue 25, item 10): an approval under 义务教育法 art. 11, and the bureau's review
    # opinion to the district government, which grants the 校车使用许可 (校车安全管理条例 art. 15)
    ("500101-JY-QT-007", "适龄儿童、少年因身体状况需要延缓入学或休学审批", "other_power", False, 10, 5, None,
     [("延缓入学或休学申请", False), ("县级以上医院诊断证明", False)]),
    ("500101-JY-QT-008", "校车使用许可申请审查意见（报区人民政府）", "other_power", False, 20, 10, None,
     [("校车使用许可申请表", False), ("机动车行驶证", False), ("驾驶人资格证明", False)]),
    ("500101-JY-XK-012", "教师资格认定（中小学、幼儿园）", "licence", False, 30, 20, None,
     [("认定申请表", False), ("学历证书", False), ("普通话水平测试等级证书", False), ("体检合格证明", False)]),
    ("500101-JY-QT-001", "民办学校章程修改核准", "other_power", True, 20, 10, None,
     [("章程修改申请", False), ("修改后的章程", False), ("理事会决议", False)]),
    ("500101-JY-QT-002", "民办学校年度检查", "other_power", True, 20, 15, None,
     [("年度自查报告", False), ("年度财务审计报告", False)]),
    ("500101-JY-QT-003", "民办学校理事会（董事会）成员变更备案", "other_power", True, 10, 5, None,
     [("备案申请", False), ("成员名单及身份证明", False)]),
    ("500101-JY-QT-004", "民办学校收费项目和标准备案", "other_power", True, 10, 5, None,
     [("收费备案表", False), ("成本核算说明", False)]),
    ("500101-JY-QT-005", "中小学教材选用备案", "other_power", False, 15, 10, None, [("选用备案表", False)]),
    ("500101-JY-QT-006", "对学校违规办学行为的行政检查结果告知", "other_power", False, 10, 5, None, [("检查记录", False)]),
    ("500101-JY-QR-001", "中小学学籍转接确认", "confirmation", False, 5, 3, None,
     [("转学申请表", False), ("转入学校接收证明", False)]),
    ("500101-JY-QR-002", "教师资格证书补发、换发", "confirmation", False, 20, 10, None,
     [("补发换发申请", False), ("身份证明", False)]),
    ("500101-JY-QR-003", "普通话水平测试等级证书补办", "confirmation", False, 10, 5, None, [("补办申请", False)]),
    ("500101-JY-GG-001", "学历（毕业）证明书出具", "public_service", False, 5, 2, None,
     [("申请表", False), ("身份证明", False)]),
    ("500101-JY-GG-002", "义务教育阶段入学登记", "public_service", False, 0, 0, None,
     [("户口簿", False), ("房产或租住证明", False)]),
    ("500101-JY-GG-003", "家庭经济困难学生资助申请", "public_service", False, 20, 10, None,
     [("资助申请表", False), ("家庭经济困难情况说明", True)]),
    ("500101-JY-GG-004", "中等职业学校免学费申请", "public_service", False, 20, 10, None, [("免学费申请表", False)]),
    ("500101-JY-GG-005", "随迁子女入学资格审核", "public_service", False, 10, 5, None,
     [("居住证", False), ("务工证明", True)]),
    ("500101-JY-GG-006", "中小学生转学服务", "public_service", False, 5, 3, None, [("转学申请表", False)]),
    ("500101-JY-GG-007", "教师资格考试报名咨询", "public_service", False, 0, 0, None, [("咨询登记表", False)]),
    ("500101-JY-GG-008", "学校安全隐患举报受理", "public_service", False, 5, 3, None, [("举报登记表", False)]),
    ("500101-JY-GG-009", "教育收费政策咨询", "public_service", False, 0, 0, None, [("咨询登记表", False)]),
    ("500101-JY-GG-010", "民办学校举办者政策咨询", "public_service", True, 0, 0, None, [("咨询登记表", False)]),
    ("500101-JY-GG-011", "校外培训机构白名单查询", "public_service", False, 0, 0, None, [("查询登记表", False)]),
    ("500101-JY-GG-012", "学生意外伤害事故处理咨询", "public_service", False, 0, 0, None, [("咨询登记表", False)]),
]
FAQ = ("可以全程网上办理吗？\n可以。上传材料并签署承诺后无需到现场，证书可邮寄送达。\n\n"
       "材料不齐怎么办？\n窗口会一次性告知需要补正的全部材料，补正期间办理时限暂停计算。")
INSTITUTIONS = ["启航", "博雅", "明德", "育才", "星辰", "未来", "知行", "乐学", "童趣", "致远", "睿思", "书香"]


def _credit(rng: random.Random) -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first = "52500101" + "".join(rng.choice(chars) for _ in range(9))
    return first + credit_check_char(first)


def _phone(rng: random.Random) -> str:
    return rng.choice(["135", "138", "139", "150", "177", "187"]) + f"{rng.randint(0, 10**8 - 1):08d}"


_aware = aware


def history(rng: random.Random, bureau: Organisation, depts: dict[str, Organisation], users: dict[str, User],
            tick: Callable[[int], None]) -> dict[str, int]:
    approval, clerk, head = depts["approval"], users["clerk"], users["head.approval"]
    items = _catalogue(bureau, approval, head)
    tick(33)
    cal = get_calendar()
    licences = [i for i in items if i.is_licence]
    private_licences = [i for i in licences if i.private_school]
    other_licences = [i for i in licences if not i.private_school]
    private_other = [i for i in items if i.private_school and not i.is_licence and i.statutory_days]
    public = [i for i in items if not i.private_school and not i.is_licence]
    plan = ([rng.choice(private_licences) for _ in range(PRIVATE_LICENCES)]
            + [rng.choice(other_licences) for _ in range(OTHER_LICENCES)]
            + [rng.choice(private_other) for _ in range(PRIVATE_OTHER)]
            + [rng.choice(public) for _ in range(PUBLIC_SERVICES)])
    days = sorted(cal.add_working_days(dt.date(2024, 1, 2), rng.randint(0, 215)).date for _ in plan)
    rng.shuffle(plan)
    made = 0
    for n, (item, day) in enumerate(zip(plan, days, strict=True)):
        _history_case(rng, item, day, clerk, head, n)
        made += 1
        if made % 10 == 0:
            tick(10)
    _commitment_samples(head, bureau, range(1, 13))
    # a counter visit rated badly, rectified; another appealed and set aside
    _visits(rng, items, clerk, users)
    return {"service_items": len(items), "service_applications_2024": made}


def live(rng: random.Random, bureau: Organisation, users: dict[str, User], now: Live) -> dict[str, int]:
    items = list(ServiceItem.objects.filter(organisation=bureau).order_by("code"))
    return {"service_applications_live": _live(rng, items, users["clerk"], users["head.approval"], now.today)}


def _catalogue(bureau: Organisation, approval: Organisation, head: User) -> list[ServiceItem]:
    out = []
    published = _aware(dt.date(2023, 12, 1), 9)
    for code, name, kind, private, statutory, promised, years, materials in ITEMS:
        values: dict[str, Any] = {
            "code": code, "name": name, "item_type": kind, "legal_basis": LAW if private else "《中华人民共和国教育法》《中华人民共和国义务教育法》及相关规定",
            "department": approval, "address": ADDRESS, "phone": PHONE, "complaint_phone": COMPLAINT,
            "conditions": "申请人符合法律、法规规定的条件，材料齐全、符合法定形式。", "statutory_days": statutory,
            "promised_days": promised, "visits_needed": 0 if kind != "licence" else 1, "faq": FAQ, "in_center": True,
            "private_school": private, "permit_years": years,
            "statutory_unit": "months" if code == "500101-JY-XK-002" else "working_days",
            "steps": "网上或窗口申请 → 受理 → 审查 → 决定 → 送达，全程“一窗综办”，咨询“一口清”、受理“一手清”、办理“一次结”。"}
        mats = [{"name": m, "form": "electronic", "required": True, "commitment_allowed": c} for m, c in materials]
        item = catalogue.item_save(actor=head, bureau=bureau, values=values, materials=mats, at=published)
        catalogue.item_publish(actor=head, item=item, note="事项首次公布", at=published)
        out.append(ServiceItem.objects.select_related("current", "department").get(pk=item.pk))
    return out


def _public_user(phone: str) -> User:
    user, _created = User.objects.get_or_create(username=f"p{phone}", defaults={"kind": UserKind.PUBLIC, "phone": phone})
    return user


def _history_case(rng: random.Random, item: ServiceItem, day: dt.date, clerk: User, head: User, n: int) -> None:
    """One 2024 application, completed in 2024 within its promised limit, then rated."""
    cal = get_calendar()
    phone = _phone(rng)
    institution = item.private_school
    materials = item.current.snapshot["materials"]  # type: ignore[union-attr]
    commit = [m["id"] for m in materials if m["commitment_allowed"] and rng.random() < 0.7]
    received = [m["id"] for m in materials if m["id"] not in commit]
    name = rng.choice(INSTITUTIONS)
    kwargs: dict[str, Any] = {
        "actor": clerk, "item": item, "channel": "counter", "name": "联系人" + str(n % 50), "phone": phone,
        "received": received, "commit": commit, "signed": bool(commit), "at": _aware(day, 9, rng.randint(0, 50))}
    if institution:
        kwargs.update(applicant_kind="institution", institution_name=f"江州区{name}培训学校有限公司",
                      credit_code=_credit(rng))
    else:
        from edugov.kernel.validators import identity_check_char

        first = f"500101{rng.randint(1970, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        kwargs.update(applicant_kind="person", id_number=first + identity_check_char(first),
                      id_valid_until=dt.date(2030, 1, 1))
    app = actions.application_submit(**kwargs)
    accept_day = day
    if n % 9 == 4 and received:  # a one-time notice: one material to correct, supplied two working days later
        actions.application_notify_missing(actor=clerk, application=app, problems={received[0]: "复印件不清晰，请提供清晰件"},
                               at=_aware(day, 11))
        accept_day = cal.add_working_days(day, 2).date
        actions.application_supply(actor=clerk, application=app, received=[received[0]], at=_aware(accept_day, 9))
    actions.application_accept(actor=clerk, application=app, at=_aware(accept_day, 10))
    span = max(0, item.promised_days - 1)
    decide_day = cal.add_working_days(accept_day, rng.randint(0, span)).date if span else accept_day
    if n % 17 == 8 and item.statutory_days:  # expert review, paused and resumed
        case_transition(actor=head, case=app.case, transition="expert", data={"reason": "场所安全需专家评审"},
                        at=_aware(accept_day, 15))
        back = cal.add_working_days(accept_day, 3).date
        case_transition(actor=head, case=app.case, transition="resume", data={"note": "专家意见：符合要求"},
                        at=_aware(back, 9))
        decide_day = max(decide_day, back)
    approve = n % 23 != 5
    actions.application_decide(actor=head, application=app, approve=approve, certificate_number=f"教民{2024}{n:05d}号" if approve else "",
                   reason="" if approve else "办学场所面积不符合设置标准", at=_aware(decide_day, 16))
    actions.application_deliver(actor=clerk, application=app, method="窗口领取", at=_aware(decide_day, 17))
    rater = _public_user(phone)
    level = 5 if rng.random() < 0.93 else 4
    actions.application_rate(actor=rater, application=app, level=level, clerk_level=level, at=_aware(decide_day, 18))


def _commitment_samples(head: User, bureau: Organisation, months: range) -> None:
    from edugov.services.models import Verification

    for month in months:
        after = dt.date(2024 + month // 12, month % 12 + 1, 3)  # early the next month
        try:  # the commitment the afternoon before, the draw the next morning
            actions.verification_sample_commit(actor=head, bureau=bureau, year=2024, month=month,
                                               at=_aware(after - dt.timedelta(days=1), 16))
        except ValidationFailed:  # a month without commitments
            continue
        actions.verification_sample_draw(actor=head, bureau=bureau, year=2024, month=month, at=_aware(after, 10))
        for v in Verification.objects.filter(verified_at__isnull=True).select_related("draw"):
            actions.verification_record(actor=head, verification=v, method="online", truthful=True,
                                        note="经信用中国及公安机关数据比对，承诺属实。",
                                        at=_aware(after + dt.timedelta(days=7), 15))


def _visits(rng: random.Random, items: list[ServiceItem], clerk: User, users: dict[str, User]) -> None:
    consult = [i for i in items if i.statutory_days == 0]
    for k in range(20):
        day = dt.date(2024, 3 + k % 9, 5 + k)
        visit = actions.visit_record(actor=clerk, item=rng.choice(consult), at=_aware(day, 10))
        actions.visit_rate(code=visit.code, level=5 if k % 10 else 4, at=_aware(day, 11))
    head = users["head.approval"]
    office = users["supervision"]
    visit = actions.visit_record(actor=clerk, item=consult[0], at=_aware(dt.date(2024, 6, 12), 10))
    bad = actions.visit_rate(code=visit.code, level=2, comment="排队时间长", at=_aware(dt.date(2024, 6, 12), 11))
    case_transition(actor=head, case=bad.rectification, transition="rectify", at=_aware(dt.date(2024, 6, 14), 16),
                    data={"measures": "高峰时段增开咨询窗口，推行预约办理",
                          "return_visit": "6月14日电话回访，群众表示认可"})
    visit = actions.visit_record(actor=clerk, item=consult[1], at=_aware(dt.date(2024, 9, 3), 10))
    mistaken = actions.visit_rate(code=visit.code, level=1, at=_aware(dt.date(2024, 9, 3), 11))
    case_transition(actor=head, case=mistaken.rectification, transition="appeal", at=_aware(dt.date(2024, 9, 4), 9),
                    data={"reason": "评价人电话确认系误触评价器"})
    case_transition(actor=office, case=mistaken.rectification, transition="uphold", at=_aware(dt.date(2024, 9, 6), 9),
                    data={"reason": "经回访核实为误评，不计入"})


def _live(rng: random.Random, items: list[ServiceItem], clerk: User, head: User, today: dt.date) -> int:
    """Applications in every state now: waiting for acceptance, waiting for materials, under review,
    in expert review, decided and waiting for the applicant's rating; one online from the demo applicant."""
    training = next(i for i in items if i.code.endswith("XK-007"))
    applicant = _public_user("13800001111")
    mids = [m["id"] for m in training.current.snapshot["materials"]]  # type: ignore[union-attr]
    states = []
    for n in range(8):
        day = today - dt.timedelta(days=1 + n)
        app = actions.application_submit(
            actor=clerk if n else applicant, item=training, channel="counter" if n else "online",
            applicant_kind="institution", name="联系人", phone="13800001111" if n < 2 else _phone(rng),
            institution_name=f"江州区{INSTITUTIONS[n]}艺术培训中心", credit_code=_credit(rng),
            uploads={m: SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf") for m in mids} if not n else None,
            received=mids if n else (), at=_aware(day, 9))
        step = n % 5
        if step == 1:
            actions.application_notify_missing(actor=clerk, application=app, problems={mids[1]: "场所租赁合同已过期"}, at=_aware(day, 11))
        elif step >= 2:
            actions.application_accept(actor=clerk, application=app, at=_aware(day, 10))
        if step == 3:
            case_transition(actor=head, case=app.case, transition="expert", data={"reason": "消防条件需专家评审"},
                            at=_aware(day, 15))
        if step == 4:
            actions.application_decide(actor=head, application=app, approve=True,
                                       certificate_number=f"教民{today.year}{n:05d}号", at=_aware(day, 16))
        states.append(app.case.state)
    # a licence granted three weeks ago and revoked three days ago (行政许可法 art. 69): its certificate's
    # code, the verification page and the agency API say "revoked" (issue 30)
    granted = today - dt.timedelta(days=21)
    app = actions.application_submit(
        actor=clerk, item=training, channel="counter", applicant_kind="institution", name="联系人", phone=_phone(rng),
        institution_name="江州区星河艺术培训中心", credit_code=_credit(rng), received=mids, at=_aware(granted, 9))
    actions.application_accept(actor=clerk, application=app, at=_aware(granted, 10))
    actions.application_decide(actor=head, application=app, approve=True, certificate_number=f"教民{today.year}00099号",
                               at=_aware(granted, 16))
    actions.application_revoke(actor=head, application=app, at=_aware(today - dt.timedelta(days=3), 10),
                               reason="经核查，申请时提交的场所租赁合同系伪造，以欺骗手段取得许可")
    states.append(app.case.state)
    return len(states)
