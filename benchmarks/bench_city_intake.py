"""A city-sized intake on PostgreSQL (issue 7): 300,000 applicants over 640 schools are taken over,
drawn, assigned and published through the same actions the bureau uses, each step timed.
Goal: every step within a web request's patience (30 s here) so none times out.
The ratio is the engine alone on the same instance over the whole assignment step (how much of
the step is the algorithm rather than reading and writing the records), measured in the same run."""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import report, save, setup_django  # noqa: E402

N = int(os.environ.get("BENCH_CITY_APPLICANTS", "300000"))
SCHOOLS = int(os.environ.get("BENCH_CITY_SCHOOLS", "600"))
PRIVATE = 40
PATIENCE_S = 30.0


def main() -> None:
    setup_django()
    from django.conf import settings
    from django.utils import timezone

    settings.EDUGOV = {**settings.EDUGOV, "SMS_BACKEND": "edugov.kernel.sms.MemoryBackend"}
    from edugov.accounts.models import Organisation, OrgKind
    from edugov.enrollment import actions
    from edugov.enrollment import selectors as enrollment_selectors
    from edugov.enrollment.engine import deferred_acceptance
    from edugov.enrollment.models import Category, Intake, Plan, Zone
    from edugov.kernel.validators import identity_check_char
    from edugov.notifications.models import Message
    from edugov.registries.models import School, SchoolLevel

    rng = random.Random(5)
    city = Organisation.objects.create(code="C", name="市教育局", kind=OrgKind.CITY)
    bureau = Organisation.objects.create(code="CB", name="市直招生", kind=OrgKind.BUREAU, parent=city, case_prefix="市教")
    dept = Organisation.objects.create(code="CB-basic", name="基础教育处", kind=OrgKind.DEPARTMENT, parent=bureau)
    schools = []
    for i in range(SCHOOLS + PRIVATE):
        org = Organisation.objects.create(code=f"CS{i:04d}", name=f"第{i}小学", kind=OrgKind.SCHOOL, parent=bureau)
        schools.append(School.objects.create(organisation=org, name=org.name, code=org.code, level=SchoolLevel.PRIMARY,
                                             is_private=i >= SCHOOLS))
    now = timezone.now()
    intake = Intake.objects.create(
        organisation=bureau, department=dept, year=now.year, title="全市小学一年级招生", born_from=dt.date(2019, 9, 1),
        born_until=dt.date(2020, 8, 31), opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1),
        lottery_on=now.date(), results_on=now.date())
    per = int(N * 1.05 / SCHOOLS)
    for i, school in enumerate(schools):
        Plan.objects.create(intake=intake, school=school, places=per if i < SCHOOLS else 60)
        if i < SCHOOLS:
            Zone.objects.create(intake=intake, name=f"学区{i}", order=i,
                                communities=[f"小区{i}-{k}" for k in range(3)]).schools.add(school)
    actions.intake_publish(actor=None, intake=intake, at=now - dt.timedelta(days=40))
    private = [s.pk for s in schools[SCHOOLS:]]
    seq: dict[dt.date, int] = {}
    rows = []
    for i in range(N):
        born = dt.date(2019, 9, 1) + dt.timedelta(days=rng.randint(0, 364))
        seq[born] = seq.get(born, 0) + 1
        first = f"{110101 + seq[born] // 1000:06d}{born:%Y%m%d}{seq[born] % 1000:03d}"
        zone = rng.randrange(SCHOOLS)
        rows.append(actions.Imported(submitted_at=now - dt.timedelta(days=10), form=actions.Form(
            child_name="学生", child_id_number=first + identity_check_char(first), household="本市",
            guardian_name="家长", guardian_id_number="11010119800101001" + identity_check_char("11010119800101001"),
            guardian_phone="13800000000", address="某路1号", community=f"小区{zone}-{i % 3}",
            category=rng.choice([1, 1, 1, 2, 3, 4]) if rng.random() > 0.02 else Category.OTHER,
            private_choices=rng.sample(private, 2) if rng.random() < 0.1 else [], consent=True)))
    steps: dict[str, float] = {}
    t0 = time.perf_counter()
    actions.intake_import_applications(actor=None, intake=intake, rows=rows)
    steps["import_s"] = time.perf_counter() - t0
    del rows
    t0 = time.perf_counter()
    actions.intake_lottery_commit(actor=None, intake=intake, at=timezone.now() - dt.timedelta(hours=1))
    actions.intake_lottery(actor=None, intake=intake)
    steps["lottery_s"] = time.perf_counter() - t0
    _ids, _schools, arrays = enrollment_selectors.build_instance(Intake.objects.get(pk=intake.pk))
    t0 = time.perf_counter()
    deferred_acceptance(arrays)
    engine_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    stats = actions.intake_assign(actor=None, intake=intake)
    steps["assign_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    actions.intake_publish_results(actor=None, intake=intake)
    steps["publish_s"] = time.perf_counter() - t0
    within = all(v <= PATIENCE_S for k, v in steps.items() if k != "import_s")
    report(f"city_intake_{N // 1000}k", engine_s / steps["assign_s"], "the engine alone on the same instance",
           applicants=N, schools=SCHOOLS + PRIVATE, placed=stats["placed"], engine_s=engine_s,
           sms_queued=Message.objects.filter(key__startswith=f"enrollment-result-{intake.pk}:").count(), within_30s="yes" if within else "no", **steps)
    save()


if __name__ == "__main__":
    main()
