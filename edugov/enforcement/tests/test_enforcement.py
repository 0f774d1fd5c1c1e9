import datetime as dt
from decimal import Decimal

import pytest

from edugov.audit.models import Entry
from edugov.draws import algorithm
from edugov.draws.actions import bundle
from edugov.enforcement import actions
from edugov.enforcement.models import (
    CampaignKind,
    FindingKind,
    Inspection,
    Publication,
    PublicationKind,
    ReviewOutcome,
    Stage,
)
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics import registry

from .conftest import CHECKLIST, at, drawn


def campaign(tree, enf, **kw):
    args = {"actor": enf.users[1], "organisation": tree.bureau, "kind": CampaignKind.PLAN, "title": "2024年春季双随机抽查",
            "matter": enf.matter, "starts_on": dt.date(2024, 4, 8), "ends_on": dt.date(2024, 4, 19),
            "ratio": Decimal("0.1"), "high_risk_ratio": Decimal("0.5"), "per_outing": 2, "at": at("2024-04-01")}
    args.update(kw)
    return actions.campaign_create(**args)


def member(inspection, enf):
    team = set(inspection.outing.team.values_list("pk", flat=True))
    return next(enf.users[i] for i in range(6) if enf.officers[i].pk in team)


def test_a_double_random_draw_is_stratified_fair_and_verifiable(tree, enf):
    c = campaign(tree, enf)
    c = drawn(enf.users[1], c, public_value="2024-04-06 福彩3D 518")
    targets, teams = bundle(c.target_draw), bundle(c.team_draw)
    assert algorithm.verify_bundle(targets) == [] and algorithm.verify_bundle(teams) == []
    strata = targets["constraints"]["strata"]
    assert (len(strata["high"]["members"]), strata["high"]["k"], len(strata["normal"]["members"]),
            strata["normal"]["k"]) == (2, 1, 18, 2)
    inspections = list(Inspection.objects.filter(campaign=c))
    assert len(inspections) == 3 and c.outings.count() == 2
    expired = enf.officers[0].certificate_number
    assert expired not in teams["candidates"]  # an expired certificate cannot be drawn
    for outing in c.outings.all():
        assert outing.team.count() == 2
    with pytest.raises(Conflict, match="抽取不能重来"):
        actions.campaign_draw(actor=enf.users[1], campaign=c)


def test_no_disturbance_leaves_out_targets_inspected_this_year_for_the_same_matter(tree, enf):
    first = campaign(tree, enf, full_coverage=True, kind=CampaignKind.SPECIAL, title="双减专项一", per_outing=10)
    drawn(enf.users[1], first)
    done = Inspection.objects.filter(campaign=first).order_by("id")[0]
    actions.inspection_arrive(actor=member(done, enf), inspection=done, place="现场", certificates_shown=True,
                              at=at("2024-04-08"))
    second = campaign(tree, enf, title="秋季抽查", starts_on=dt.date(2024, 9, 2), ends_on=dt.date(2024, 9, 13))
    _, stratum, left_out = actions.target_roster(second)
    assert left_out == ({done.institution_id} if stratum[done.institution.credit_code] == "normal" else set())


def test_an_inspection_on_the_record_from_arrival_to_archive(tree, enf):
    c = drawn(enf.users[1], campaign(tree, enf))
    insp = Inspection.objects.filter(campaign=c).order_by("id").first()
    officer = member(insp, enf)
    outsider = next(enf.users[i] for i in range(1, 6) if enf.users[i] != officer
                    and not insp.outing.team.filter(pk=enf.officers[i].pk).exists())
    with pytest.raises(PermissionDenied):
        actions.inspection_arrive(actor=outsider, inspection=insp, place="x", certificates_shown=True)
    with pytest.raises(ValidationFailed, match="出示执法证"):
        actions.inspection_arrive(actor=officer, inspection=insp, place="机构前台", certificates_shown=False)
    actions.inspection_arrive(actor=officer, inspection=insp, place="机构前台", certificates_shown=True,
                              at=at("2024-04-08", 9))
    insp.refresh_from_db()
    with pytest.raises(ValidationFailed, match="检查项"):
        actions.inspection_sign_off(actor=officer, inspection=insp, at=at("2024-04-08", 10))
    actions.inspection_record(actor=officer, inspection=insp, checklist=dict.fromkeys(CHECKLIST, "yes") | {"收费公示": "no"},
                              people_met="负责人 王某", at=at("2024-04-08", 10))
    with pytest.raises(Conflict):  # the page was open on an older version
        actions.inspection_sign_off(actor=officer, inspection=insp, expected_version=insp.version)
    actions.inspection_sign_off(actor=officer, inspection=insp, at=at("2024-04-08", 11))
    with pytest.raises(ValidationFailed, match="整改期限"):
        actions.inspection_decide(actor=officer, inspection=insp, findings=[{"kind": "rectification"}],
                                  at=at("2024-04-08", 12))
    actions.inspection_decide(actor=officer, inspection=insp, at=at("2024-04-08", 12), findings=[
        {"kind": "rectification", "deadline": dt.date(2024, 4, 22), "note": "收费未公示"},
        {"kind": "interview", "interviewee": "王某"}])
    insp.refresh_from_db()
    notice = insp.findings.get(kind=FindingKind.RECTIFICATION)
    assert insp.stage == Stage.SERVING and notice.notice_number == "甲教责改〔2024〕0001号"
    pub = Publication.objects.get(inspection=insp)
    assert pub.kind == PublicationKind.INSPECTION and pub.due_on == dt.date(2024, 5, 8) and pub.draw == c.target_draw
    actions.finding_serve(actor=officer, finding=notice, at=at("2024-04-08", 13))
    insp.refresh_from_db()
    assert insp.stage == Stage.ARCHIVED
    actions_logged = list(Entry.objects.filter(target_type="enforcement.inspection", target_id=str(insp.pk))
                          .order_by("id").values_list("action", flat=True))
    assert actions_logged == ["enforcement.inspection_arrive", "enforcement.inspection_record",
                              "enforcement.inspection_sign_off", "enforcement.inspection_decide",
                              "enforcement.notice_serve"]
    year = registry.Period.year(2024)

    def fig(key):
        return registry.compute(registry.get(key), year, tree.bureau).value
    assert (fig("enforcement.institution_inspections"), fig("enforcement.rectification_notices"),
            fig("enforcement.interviews"), fig("enforcement.personnel_deployed"), fig("enforcement.items.claimed")) == (
        1, 1, 1, 2, 1)


def test_a_penalty_passes_legal_review_before_the_decision(tree, enf):
    c = drawn(enf.users[1], campaign(tree, enf))
    insp = Inspection.objects.filter(campaign=c).order_by("id").first()
    officer = member(insp, enf)
    penalty = actions.penalty_open(actor=officer, inspection=insp, organisation=tree.bureau, item=enf.item,
                                   party_name=insp.target_name, facts="未经批准擅自开展学科类培训。", at=at("2024-04-09"))
    case = penalty.case
    from edugov.cases import actions as engine

    engine.case_transition(actor=officer, case=case, transition="investigate", at=at("2024-04-09", 11))
    engine.case_transition(actor=officer, case=case, transition="notify", at=at("2024-04-10"),
                           data={"intended": "罚款20000元"})
    with pytest.raises(ValidationFailed, match="法制审核"):
        actions.penalty_decide(actor=enf.users["head"], penalty=penalty, types=["fine"], fine="20000",
                               decision_text="罚款20000元")
    engine.case_transition(actor=officer, case=case, transition="submit_review", at=at("2024-04-16"))
    checks = dict.fromkeys(("competence", "facts", "evidence", "law", "discretion", "procedure", "documents"), True)
    with pytest.raises(PermissionDenied):
        actions.penalty_legal_review(actor=officer, penalty=penalty, checks=checks, outcome="agree", opinion="同意")
    with pytest.raises(ValidationFailed, match="有审核项不符合"):
        actions.penalty_legal_review(actor=enf.users["reviewer"], penalty=penalty, checks=checks | {"evidence": False},
                             outcome=ReviewOutcome.AGREE, opinion="证据不足")
    actions.penalty_legal_review(actor=enf.users["reviewer"], penalty=penalty, checks=checks, outcome=ReviewOutcome.AGREE,
                         opinion="事实清楚，证据确凿，适用法律正确，程序合法。", at=at("2024-04-18"))
    with pytest.raises(ValidationFailed, match="处罚幅度内"):
        actions.penalty_decide(actor=enf.users["head"], penalty=penalty, types=["fine"], fine="80000",
                               decision_text="罚款80000元", at=at("2024-04-19"))
    actions.penalty_decide(actor=enf.users["head"], penalty=penalty, types=["warning", "fine"], fine="20000",
                           decision_text="给予警告，罚款20000元。", at=at("2024-04-19"))
    penalty.refresh_from_db()
    assert penalty.case.state == "decided" and penalty.fine == Decimal("20000.00")
    pub = Publication.objects.get(penalty=penalty)
    # published within 7 working days (国办发〔2018〕118号), up for a year: a fine is general information
    # under the credit-repair measures, kept at most 1 year from the decision (19 April 2025, a Saturday:
    # a term does not move to a working day)
    assert pub.due_on == dt.date(2024, 4, 29) and pub.take_down_on == dt.date(2025, 4, 19)
    assert registry.compute(registry.get("enforcement.penalties"), registry.Period.year(2024), tree.bureau).value == 1
    actions.penalty_revoke(actor=enf.users["head"], penalty=penalty, reason="复议撤销")
    pub.refresh_from_db()
    assert pub.taken_down_at is not None


def test_publications_come_down_after_their_time(tree, enf):
    c = drawn(enf.users[1], campaign(tree, enf))
    insp = Inspection.objects.filter(campaign=c).order_by("id").first()
    officer = member(insp, enf)
    actions.inspection_arrive(actor=officer, inspection=insp, place="p", certificates_shown=True, at=at("2024-04-08", 9))
    actions.inspection_record(actor=officer, inspection=insp, checklist=dict.fromkeys(CHECKLIST, "yes"),
                              people_met="负责人", at=at("2024-04-08", 9))
    actions.inspection_sign_off(actor=officer, inspection=insp, at=at("2024-04-08", 10))
    actions.inspection_decide(actor=officer, inspection=insp, findings=[{"kind": "compliant"}], at=at("2024-04-08", 10))
    assert actions.publication_take_down_expired(dt.date(2025, 4, 7)) == 0
    assert actions.publication_take_down_expired(dt.date(2025, 4, 8)) == 1


def test_a_notice_is_reinspected_after_its_deadline_and_a_review_is_extended_once(tree, enf):
    c = drawn(enf.users[1], campaign(tree, enf))
    insp = Inspection.objects.filter(campaign=c).order_by("id").first()
    officer = member(insp, enf)
    actions.inspection_arrive(actor=officer, inspection=insp, place="p", certificates_shown=True, at=at("2024-04-08", 9))
    actions.inspection_record(actor=officer, inspection=insp, checklist=dict.fromkeys(CHECKLIST, "yes"), people_met="负责人",
                              at=at("2024-04-08", 9))
    actions.inspection_sign_off(actor=officer, inspection=insp, at=at("2024-04-08", 10))
    actions.inspection_decide(actor=officer, inspection=insp, at=at("2024-04-08", 10),
                              findings=[{"kind": "rectification", "deadline": dt.date(2024, 4, 22)}])
    notice = insp.findings.get()
    assert notice.reinspect_on == dt.date(2024, 4, 28)  # 5 working days on: Sunday 28 April 2024 was a working day
    with pytest.raises(ValidationFailed, match="届满后"):
        actions.finding_reinspect(actor=officer, finding=notice, rectified=True, note="已整改", at=at("2024-04-20"))
    actions.finding_reinspect(actor=officer, finding=notice, rectified=False, note="收费仍未公示", at=at("2024-04-25"))
    notice.refresh_from_db()
    assert notice.reinspected_at and "未整改" in notice.note
    with pytest.raises(Conflict):
        actions.finding_reinspect(actor=officer, finding=notice, rectified=True, note="再查", at=at("2024-04-26"))
    penalty = actions.penalty_open(actor=officer, inspection=insp, organisation=tree.bureau, item=enf.item,
                                   party_name=insp.target_name, facts="逾期未整改", at=at("2024-04-26"))
    from edugov.cases import actions as engine

    for step, data in (("investigate", {}), ("notify", {"intended": "警告"}), ("submit_review", {})):
        engine.case_transition(actor=officer, case=penalty.case, transition=step, data=data, at=at("2024-04-26", 11))
    review = penalty.case.clocks.get(name="review")
    due = review.due_on
    actions.penalty_review_extend(actor=enf.users["reviewer"], penalty=penalty, reason="需补充调取证据")
    review.refresh_from_db()
    assert review.due_on > due and review.extended_by == 3
    with pytest.raises(ValidationFailed, match="延长过一次"):
        actions.penalty_review_extend(actor=enf.users["reviewer"], penalty=penalty, reason="再延")
