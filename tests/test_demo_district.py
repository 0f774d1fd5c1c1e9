"""Every demo account of the README signs in with the documented password and lands on its home page."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from edugov.cases.models import Case
from edugov.demo.generator import DEMO_PASSWORD, generate


@pytest.mark.django_db
def test_every_demo_account_lands_on_its_home_page(client):
    counts = generate(seed=7)
    assert counts["schools"] == 300 and 150000 < counts["students"] < 200000 and counts["institutions"] == 150
    from edugov.registries.models import Person

    assert Person.objects.filter(kind="legal_vp").count() == 156
    from edugov.accounts.models import Organisation
    from edugov.metrics import registry

    jz, year = Organisation.objects.get(code="JZ"), registry.Period.year(2024)
    figures = {k: registry.compute(registry.get(k), year, jz).display for k in (
        "petitions.received", "petitions.valid", "petitions.completed", "petitions.completion_rate",
        "petitions.in_progress")}
    assert figures == {"petitions.received": "282件", "petitions.valid": "123件", "petitions.completed": "121件",
                       "petitions.completion_rate": "98.4%", "petitions.in_progress": "2件"}
    enforcement = {k: registry.compute(registry.get(k), year, jz).display for k in (
        "enforcement.items.claimed", "enforcement.special_campaigns", "enforcement.institution_inspections",
        "enforcement.joint_operations", "enforcement.personnel_deployed", "enforcement.findings.no_permit_no_license",
        "enforcement.findings.beyond_permit", "enforcement.interviews", "enforcement.rectification_notices",
        "enforcement.penalties")}
    assert enforcement == {
        "enforcement.items.claimed": "94项", "enforcement.special_campaigns": "8次",
        "enforcement.institution_inspections": "1282家次", "enforcement.joint_operations": "18次",
        "enforcement.personnel_deployed": "346人次", "enforcement.findings.no_permit_no_license": "13家次",
        "enforcement.findings.beyond_permit": "5家次", "enforcement.interviews": "23人次",
        "enforcement.rectification_notices": "105份", "enforcement.penalties": "8件"}
    # every 2024 draw of the demo verifies from its bundle alone
    from edugov.draws import algorithm
    from edugov.draws.actions import bundle
    from edugov.draws.models import Draw

    assert all(algorithm.verify_bundle(bundle(d)) == [] for d in Draw.objects.filter(draw_id__contains="-ENF-2024-"))
    lvp = {k: registry.compute(registry.get(k), year, jz).display for k in (
        "legal_vp.appointed", "legal_vp.public_school_coverage", "legal_vp.class_hours.min_required")}
    assert lvp == {"legal_vp.appointed": "156名", "legal_vp.public_school_coverage": "100%",
                   "legal_vp.class_hours.min_required": "4课时"}
    registers = {k: registry.compute(registry.get(k), year, jz).display for k in (
        "publication.items", "publication.inquiries", "publication.problems_solved", "study.lectures")}
    assert registers == {"publication.items": "180余条", "publication.inquiries": "300余人次",
                         "publication.problems_solved": "30余个", "study.lectures": "600场次"}
    special = {k: registry.compute(registry.get(k), year, jz).display for k in (
        "special_school.released", "special_school.longest_months_since_release", "special_school.reoffended",
        "special_school.correction_rate")}
    assert special == {"special_school.released": "58名", "special_school.longest_months_since_release": "7个月",
                       "special_school.reoffended": "0名", "special_school.correction_rate": "100%"}
    education = {k: registry.compute(registry.get(k), year, jz).display for k in (
        "demo_schools.cases_adopted", "demo_schools.passed_material_review", "legal_education.courses.dual_teacher",
        "legal_education.constitution_quiz.participants", "legal_education.constitution_quiz.participation_rate",
        "legal_education.contest.city_finalists", "legal_education.contest.first_prizes",
        "legal_education.contest.second_prizes", "legal_education.comics.submissions",
        "legal_education.comics.forwarded", "legal_education.comics.second_prizes",
        "legal_education.comics.third_prizes", "legal_education.course_competition.teachers",
        "legal_education.course_competition.first_prizes")}
    assert education == {
        "demo_schools.cases_adopted": "3个", "demo_schools.passed_material_review": "3所",
        "legal_education.courses.dual_teacher": "3门", "legal_education.constitution_quiz.participants": "170078人",
        "legal_education.constitution_quiz.participation_rate": "99.98%", "legal_education.contest.city_finalists": "6名",
        "legal_education.contest.first_prizes": "3个", "legal_education.contest.second_prizes": "3个",
        "legal_education.comics.submissions": "1204件", "legal_education.comics.forwarded": "40件",
        "legal_education.comics.second_prizes": "4个", "legal_education.comics.third_prizes": "15个",
        "legal_education.course_competition.teachers": "2名", "legal_education.course_competition.first_prizes": "1个"}
    services = {k: registry.compute(registry.get(k), year, jz).display for k in (
        "services.items.total", "services.items.in_center", "licensing.cases.total", "licensing.cases.completion_rate",
        "licensing.private_school.completed", "services.reviews.active_rate")}
    assert services == {"services.items.total": "33项", "services.items.in_center": "33项",
                        "licensing.cases.total": "56件", "licensing.cases.completion_rate": "100%",
                        "licensing.private_school.completed": "61件", "services.reviews.active_rate": "100%"}
    from edugov.services.models import Verification

    samples = Draw.objects.filter(draw_id__startswith="commitment-JZ-2024-")
    assert samples.count() >= 10 and all(algorithm.verify_bundle(bundle(d)) == [] for d in samples)
    assert Verification.objects.filter(draw__in=samples, verified_at__isnull=False).count() == sum(
        len(d.selected) for d in samples)
    recent = timezone.now() - dt.timedelta(days=10)  # the live layer, whatever the date (1 January included)
    live_services = set(Case.objects.filter(kind="service", opened_at__gte=recent).values_list("state", flat=True))
    assert live_services >= {"submitted", "supplementing", "accepted", "expert", "approved"}
    enrollment = {k: registry.compute(registry.get(k), year, jz).display for k in (
        "enrollment.applications.total", "enrollment.satisfaction.rate", "enrollment.satisfaction.very_satisfied_rate")}
    assert enrollment == {"enrollment.applications.total": "26907人", "enrollment.satisfaction.rate": "99.42%",
                          "enrollment.satisfaction.very_satisfied_rate": "97.49%"}
    lotteries = Draw.objects.filter(draw_id__startswith="enroll-JZ-2024-")
    assert lotteries.count() == 2 and all(algorithm.verify_bundle(bundle(d)) == [] for d in lotteries)
    live_enrollment = set(Case.objects.filter(kind="enrollment", opened_at__gte=recent).values_list("state", flat=True))
    assert live_enrollment >= {"submitted", "checked", "returned", "verified"}
    # a domain's one-query batch gives exactly what each figure's own query gives
    for period in (year, registry.Period.month(2024, 12), registry.Period.year(2025)):
        together = registry.compute_all(period, jz)
        for metric in registry.all_metrics():
            if metric.batch is not None:
                assert together[metric.key].as_json() == registry.compute(metric, period, jz).as_json(), metric.key
    # the 2024 report, approved and published, says those same figures in its frozen PDF
    from edugov.reports.models import AnnualReport

    annual = AnnualReport.objects.get(organisation=jz, year=2024)
    assert annual.state == "published" and annual.frozen_figures["petitions.completion_rate"]["display"] == "98.4%"
    assert {k: v["display"] for k, v in annual.frozen_figures.items() if k in enforcement} == enforcement
    # issue 12's records are there to look at: bounced cases, decisions, a false closure found by a sample
    from edugov.petitions import bulletin
    from edugov.petitions.models import HopKind, Petition, RecontactCheck

    assert Petition.objects.filter(send_backs=1).count() >= 5 and Petition.objects.filter(ruled=True).exists()
    assert RecontactCheck.objects.filter(draw__draw_id="recontact-JZ-2024-05", closure_true=False).count() == 1
    may = bulletin.monthly(jz, 2024, 5)
    assert len(may.false_closures) == 1 and sum(r.hops for r in may.rows) == sum(
        1 for p in Petition.objects.filter(hops__kind__in=(HopKind.SEND_BACK, HopKind.DISPUTE),
                                           hops__at__year=2024, hops__at__month=5))
    live = set(Case.objects.filter(kind__in=("complaint", "petition"), opened_at__gte=recent)
               .values_list("state", flat=True))
    assert live >= {"received", "triaged", "handling", "closed", "invalid", "transferred"}
    readme = Path("README.md").read_text(encoding="utf-8")
    from edugov.accounts.models import User

    for user in User.objects.filter(kind="staff"):
        assert f"`{user.username}`" in readme, f"{user.username} is not documented in the README"
        client.logout()
        r = client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
        assert r.status_code == 302, user.username
        home = client.get(r["Location"], follow=True)
        assert home.status_code == 200, user.username
        assert home.redirect_chain[-1][0] == reverse("cases:workbench"), user.username
