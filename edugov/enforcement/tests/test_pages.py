import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from edugov.enforcement import actions
from edugov.enforcement.models import Campaign, EnforcementItem, Inspection, Publication

from .conftest import CHECKLIST, at, drawn


def _campaign(client, tree, enf, **extra):
    data = {"kind": "plan", "title": "春季抽查", "matter": enf.matter.pk, "starts_on": "2024-04-08",
            "ends_on": "2024-04-19", "ratio": "10", "high_risk_ratio": "50", "team_size": "2", "cap": "3",
            "per_outing": "2"}
    data.update(extra)
    return client.post(reverse("enforcement:campaign_new"), data, follow=True)


def test_an_officer_plans_and_draws_and_bad_input_changes_nothing(client, tree, enf):
    client.force_login(enf.users[1])
    page = _campaign(client, tree, enf, ends_on="2024-13-40").content.decode()
    assert "请按“年-月-日”格式填写日期" in page and not Campaign.objects.exists()
    page = _campaign(client, tree, enf, team_size="1").content.decode()
    assert "每组执法人员不少于2人" in page and not Campaign.objects.exists()
    page = _campaign(client, tree, enf).content.decode()
    campaign = Campaign.objects.get()
    assert "下一步：公开抽取承诺" in page and "在营机构 20 家，其中高风险或被投诉 2 家" in page
    commit = reverse("enforcement:campaign_commit", args=[campaign.pk])
    refused = client.post(commit, {})
    assert refused.status_code == 400 and "请勾选确认框" in refused.content.decode() and campaign.target_draw is None
    page = client.post(commit, {"commit-confirmed": "on"}, follow=True).content.decode()
    campaign.refresh_from_db()
    assert "承诺已公开" in page and campaign.target_draw.commitment in page and not Inspection.objects.exists()
    public = client.get(campaign.target_draw.get_absolute_url()).content.decode()  # anyone sees the commitment
    assert campaign.target_draw.commitment in public and "尚未抽取" in public
    assert campaign.target_draw.draw_id in client.get(reverse("draws:public_list")).content.decode()
    url = reverse("enforcement:campaign_draw", args=[campaign.pk])
    refused = client.post(url, {"draw-public_value": "123"})
    assert refused.status_code == 400 and "请勾选确认框" in refused.content.decode()
    assert 'value="123"' in refused.content.decode() and not Inspection.objects.exists()
    page = client.post(url, {"draw-confirmed": "on", "draw-public_value": "123"}, follow=True).content.decode()
    assert "已抽取并公开" in page and campaign.outings.count() == 2 and "第 1 组出动" in page
    again = client.post(url, {"draw-confirmed": "on"}, follow=True)
    assert "本次检查的对象已经抽取，抽取不能重来" in again.content.decode()
    campaign.refresh_from_db()
    drawn_page = client.get(campaign.target_draw.get_absolute_url()).content.decode()
    name = Inspection.objects.filter(campaign=campaign).first().target_name
    assert name in drawn_page  # issue 27: the targets by name, beside their credit codes
    assert campaign.target_draw.committed_at < campaign.target_draw.drawn_at


def test_a_school_administrator_or_a_citizen_cannot_see_enforcement(client, tree, enf, make_user):
    client.force_login(make_user("school_admin", tree.school_org))
    assert client.get(reverse("enforcement:home")).status_code == 403


def test_the_inspection_page_walks_the_stages(client, tree, enf):
    campaign = actions.campaign_create(actor=enf.users[1], organisation=tree.bureau, kind="plan", title="抽查",
                                       matter=enf.matter, starts_on=dt.date(2024, 4, 8), ends_on=dt.date(2024, 4, 19),
                                       ratio=0.1, high_risk_ratio=0.5, per_outing=2, at=at("2024-04-01"))
    drawn(enf.users[1], campaign)
    insp = Inspection.objects.order_by("id").first()
    team = set(insp.outing.team.values_list("pk", flat=True))
    member = next(enf.users[i] for i in range(1, 6) if enf.officers[i].pk in team)
    other = next(enf.users[i] for i in range(1, 6) if enf.officers[i].pk not in team)
    url = insp.get_absolute_url()

    def step(name):
        return reverse("enforcement:inspection_step", args=[insp.pk, name])

    client.force_login(other)
    assert "由出动执法组成员记录" in client.get(url).content.decode()
    assert "只有本次出动的执法组成员" in client.post(step("arrive"), {"place": "x", "certificates_shown": "on"},
                                                   follow=True).content.decode()
    client.force_login(member)
    page = client.post(step("arrive"), {"place": "前台"}, follow=True).content.decode()
    assert "请向现场人员出示执法证" in page
    client.post(step("arrive"), {"place": "前台", "certificates_shown": "on", "version": "0"})
    insp.refresh_from_db()
    answers = {f"c{i}": "yes" for i in range(len(CHECKLIST))}
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(step("record"), {"people_met": "负责人 王某", "version": insp.version, **answers, "evidence": [
        SimpleUploadedFile("现场1.pdf", pdf), SimpleUploadedFile("现场2.pdf", pdf + b" ")]})
    assert sorted(insp.files.values_list("name", flat=True)) == ["现场1.pdf", "现场2.pdf"]  # both files, one post
    insp.refresh_from_db()
    client.post(step("sign_off"), {"version": insp.version})
    insp.refresh_from_db()
    page = client.post(step("decide"), {"finding": ["rectification"], "deadline": "2024-04-01",
                             "version": insp.version}, follow=True).content.decode()
    assert "整改通知书须写明今天以后的整改期限" in page and not insp.findings.exists()
    deadline = (dt.date.today() + dt.timedelta(days=15)).isoformat()
    client.post(step("decide"), {"finding": ["rectification", "interview"], "deadline": deadline,
                      "note_rectification": "收费未公示", "interviewee": "王某", "version": insp.version})
    notice = insp.findings.get(kind="rectification")
    from edugov.documents.models import IssuedDocument

    issued_doc = IssuedDocument.objects.get(subject=f"finding:{notice.pk}")
    assert issued_doc.number == notice.notice_number
    record = IssuedDocument.objects.get(subject=f"case:{insp.case_id}", kind="inspection_record")
    assert record.issued_on == timezone.localdate(insp.signed_off_at)  # made when the team signed it off
    issued = client.get(reverse("documents:download", args=[issued_doc.pk]))  # the signed PDF, as issued
    assert issued.status_code == 200 and issued["Content-Type"] == "application/pdf"
    assert issued.content.startswith(b"%PDF-") and b"/ByteRange" in issued.content
    word = client.get(reverse("enforcement:notice_docx", args=[notice.pk]))  # the Word master
    assert word.status_code == 200 and word["Content-Type"].startswith("application/vnd.openxmlformats")
    page = client.get(url).content.decode()
    assert notice.notice_number in page and "通知书已送达" in page
    refused = client.post(step("penalty"), {"item": enf.item.pk, "party_name": insp.target_name,
                                            "facts": "擅自开展学科类培训"}, follow=True).content.decode()
    assert "违法行为发生之日" in refused and "已立案" not in refused  # the date of the act is asked for (art. 36)
    page = client.post(step("penalty"), {"item": enf.item.pk, "party_name": insp.target_name,
                                         "act_on": timezone.localdate().isoformat(),
                             "facts": "擅自开展学科类培训"}, follow=True).content.decode()
    assert "已立案" in page and "立案审批表" in page  # the filing form, issued by the filing


def test_the_catalogue_imports_claims_and_exports(client, tree, enf):
    client.force_login(enf.users[1])
    wb = Workbook()
    ws = wb.active
    ws.append(["事项编码", "事项名称", "法律依据", "处罚幅度", "最低罚款（元）", "最高罚款（元）", "责任科室"])
    ws.append(["SF-001", "对擅自举办培训机构的处罚", "《校外培训行政处罚暂行办法》", "罚款1万至5万", 10000, 50000, tree.dept.name])
    ws.append(["SF-002", "对违规收费的处罚", "", "", "abc", "", "不存在的科室"])
    buf = io.BytesIO()
    wb.save(buf)
    page = client.post(reverse("enforcement:items_import"), {"import-file": _upload(buf.getvalue())}).content.decode()
    assert "未导入任何数据" in page and "第 3 行" in page and EnforcementItem.objects.count() == 1
    wb.active.delete_rows(3)
    buf = io.BytesIO()
    wb.save(buf)
    page = client.post(reverse("enforcement:items_import"), {"import-file": _upload(buf.getvalue())},
                       follow=True).content.decode()
    assert "新增 1 项" in page
    item = EnforcementItem.objects.get(code="SF-001")
    client.post(reverse("enforcement:item_claim"), {"item": item.pk})
    item.refresh_from_db()
    assert item.claimed
    page = client.post(reverse("enforcement:item_release"), {"item": item.pk, "reason": ""},
                       follow=True).content.decode()
    assert "请写明取消认领的理由" in page
    sheet = load_workbook(io.BytesIO(client.get(reverse("enforcement:items") + "?export=xlsx").content)).active
    assert {sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)} == {"JY-CF-001", "SF-001"}


def _upload(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("items.xlsx", data, content_type="application/octet-stream")


def test_the_public_sees_live_results_only(client, tree, enf):
    campaign = actions.campaign_create(actor=enf.users[1], organisation=tree.bureau, kind="special", title="双减专项",
                                       matter=enf.matter, starts_on=dt.date(2024, 4, 8), ends_on=dt.date(2024, 4, 19),
                                       full_coverage=True, per_outing=20, at=at("2024-04-01"))
    campaign = drawn(enf.users[1], campaign)
    insp = Inspection.objects.order_by("id").first()
    member = next(enf.users[i] for i in range(1, 6) if insp.outing.team.filter(pk=enf.officers[i].pk).exists())
    actions.inspection_arrive(actor=member, inspection=insp, place="p", certificates_shown=True, at=at("2024-04-08", 9))
    actions.inspection_record(actor=member, inspection=insp, checklist=dict.fromkeys(CHECKLIST, "yes"), people_met="负责人",
                              at=at("2024-04-08", 9))
    actions.inspection_sign_off(actor=member, inspection=insp, at=at("2024-04-08", 10))
    actions.inspection_decide(actor=member, inspection=insp, findings=[{"kind": "compliant"}], at=at("2024-04-08", 10))
    page = client.get(reverse("enforcement:public")).content.decode()
    assert f"检查结果：{insp.target_name}" in page and campaign.target_draw.get_absolute_url() in page
    Publication.objects.update(taken_down_at=at("2024-05-01"))
    assert f"检查结果：{insp.target_name}" not in client.get(reverse("enforcement:public")).content.decode()


def test_the_reviewer_and_the_decider_find_their_cases_on_the_enforcement_page(client, tree, enf):
    from edugov.cases import actions as engine

    penalty = actions.penalty_open(actor=enf.users[1], inspection=None, organisation=tree.bureau, item=enf.item,
                                   party_name="某培训点", facts="擅自举办")
    for step, data in (("investigate", {}), ("notify", {"intended": "警告"}), ("submit_review", {})):
        engine.case_transition(actor=enf.users[1], case=penalty.case, transition=step, data=data)
    client.force_login(enf.users["reviewer"])
    page = client.get(reverse("enforcement:home")).content.decode()
    assert "待法制审核" in page and penalty.case.reference in page
    client.force_login(enf.users["head"])
    assert penalty.case.reference not in client.get(reverse("enforcement:home")).content.decode()
    checks = dict.fromkeys(("competence", "facts", "evidence", "law", "discretion", "procedure", "documents"), True)
    actions.penalty_legal_review(actor=enf.users["reviewer"], penalty=penalty, checks=checks, outcome="agree", opinion="同意")
    page = client.get(reverse("enforcement:home")).content.decode()
    assert "待作出决定" in page and penalty.case.reference in page


def test_the_rosters_show_risk_and_certificates(client, tree, enf):
    client.force_login(enf.users[1])
    page = client.get(reverse("enforcement:roster")).content.decode()
    assert enf.institutions[0].name in page and "高风险" in page  # two targets are high risk
    assert enf.officers[0].certificate_number in page and "已过期：不参与抽取，不能执法" in page


def test_an_inspections_stages_are_its_case_on_the_engine(client, tree, enf):
    """Issue 24: each inspection drawn is a case whose states are the five stages; each stage's act
    is the engine's step (its event and ledger entry), and the generic step URL refuses it."""
    campaign = actions.campaign_create(actor=enf.users[1], organisation=tree.bureau, kind="plan", title="抽查",
                                       matter=enf.matter, starts_on=dt.date(2024, 4, 8), ends_on=dt.date(2024, 4, 19),
                                       ratio=0.1, high_risk_ratio=0.5, per_outing=2, at=at("2024-04-01"))
    drawn(enf.users[1], campaign)
    visits = list(Inspection.objects.filter(campaign=campaign).select_related("case"))
    assert visits and all(v.case is not None and v.case.kind == "inspection" and v.case.state == "started"
                          for v in visits)
    insp = visits[0]
    member = next(enf.users[i] for i in range(1, 6) if insp.outing.team.filter(pk=enf.officers[i].pk).exists())
    actions.inspection_arrive(actor=member, inspection=insp, place="前台", certificates_shown=True, at=at("2024-04-08", 9))
    actions.inspection_record(actor=member, inspection=insp, checklist=dict.fromkeys(CHECKLIST, "yes"),
                              people_met="负责人", at=at("2024-04-08", 9))
    actions.inspection_sign_off(actor=member, inspection=insp, at=at("2024-04-08", 10))
    actions.inspection_decide(actor=member, inspection=insp, findings=[{"kind": "compliant"}], at=at("2024-04-08", 10))
    insp.refresh_from_db()
    insp.case.refresh_from_db()
    assert insp.stage == insp.case.state == "archived" and not insp.case.is_open
    assert list(insp.case.events.exclude(transition="").values_list("transition", flat=True)) == [
        "arrive", "sign_off", "decide_archive"]
    client.force_login(member)
    other = visits[1]
    refused = client.post(f"/cases/{other.case.pk}/steps/arrive/", {"arrive-version": other.case.version})
    assert refused.status_code in (403, 404) and Inspection.objects.get(pk=other.pk).stage == "started"
