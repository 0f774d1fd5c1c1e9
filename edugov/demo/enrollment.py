"""School enrollment of the demo district: the 2024 intakes (first year of primary and of junior
secondary, 26,907 applications between them, taken over from the city platform, drawn, assigned,
published and closed through the bureau's own actions, with the survey's answers), and an intake
open now with applications in every review state. The enrollment.* figures are counted from them."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile

from edugov.accounts.models import Organisation, User, UserKind
from edugov.enrollment import actions
from edugov.enrollment.models import REQUIRED_DOCUMENTS, Category, Grade, Intake, Plan, Rating, Zone
from edugov.kernel.validators import identity_check_char
from edugov.registries.models import School, SchoolLevel

from . import names
from .clock import Live, aware

# The 2024 intake in the report's numbers (counted back from the records in tests, never stored).
PRIMARY_APPLICANTS, JUNIOR_APPLICANTS = 15100, 11807  # 26,907
VERY_SATISFIED, SATISFIED, BASICALLY, DISSATISFIED = 26232, 400, 120, 155  # 99.42% and 97.49% of 26,907
ESTATES = ["锦绣苑", "阳光城", "滨江花园", "翠湖居", "书香门第", "和平里", "桂花园", "金色家园", "龙湖郡", "学府路社区",
           "江南新城", "丽景湾"]
CATEGORY_SHARE = [(Category.HOUSEHOLD_AND_HOME, 0.58), (Category.HOUSEHOLD_ONLY, 0.14), (Category.HOME_ONLY, 0.12),
                  (Category.MIGRANT, 0.13), (Category.OTHER, 0.03)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


_aware = aware


_SEQ: dict[dt.date, int] = {}


def _ident(rng: random.Random, born: dt.date) -> str:
    """An identity number with its check digit; the sequence part counts up per birth date, so
    no two children share one."""
    _SEQ[born] = _SEQ.get(born, rng.randint(0, 99)) + 1
    first = f"500101{born:%Y%m%d}{_SEQ[born] % 1000:03d}"
    return first + identity_check_char(first)


def _category(rng: random.Random) -> int:
    x, acc = rng.random(), 0.0
    for cat, share in CATEGORY_SHARE:
        acc += share
        if x < acc:
            return int(cat)
    return int(Category.OTHER)


def _intake(bureau: Organisation, dept: Organisation, year: int, grade: str, levels: tuple[str, ...],
            opens: dt.datetime, closes: dt.datetime, rng: random.Random) -> Intake:
    first_year = year - (6 if grade == Grade.PRIMARY_1 else 12)
    intake = Intake.objects.create(
        organisation=bureau, department=dept, year=year, grade=grade,
        title=f"{year}年{'小学一年级' if grade == Grade.PRIMARY_1 else '初中一年级'}招生入学",
        born_from=dt.date(first_year - 1, 9, 1), born_until=dt.date(first_year, 8, 31), opens_at=opens,
        closes_at=closes, lottery_on=(closes + dt.timedelta(days=10)).date(),
        results_on=(closes + dt.timedelta(days=20)).date(), appeal_days=5, max_private_choices=2)
    schools = list(School.objects.filter(organisation__path__startswith=bureau.path, level__in=levels)
                   .order_by("code"))
    return _zones(intake, schools, rng)


def _zones(intake: Intake, schools: list[School], rng: random.Random) -> Intake:
    public = [s for s in schools if not s.is_private]
    for order, school in enumerate(public):
        short = school.name.replace("江州区", "").replace("小学", "").replace("初级中学", "").replace("九年一贯制学校", "")
        zone = Zone.objects.create(intake=intake, name=f"{short}学区", order=order,
                                   communities=[f"{short}{e}" for e in rng.sample(ESTATES, 3)])
        zone.schools.add(school)
    return intake


def _places(intake: Intake, applicants: int, rng: random.Random, spare: float, levels: tuple[str, ...]) -> None:
    schools = [z.schools.first() for z in intake.zones.all()]
    per = int(applicants * (1 + spare) / max(1, len(schools))) + 1
    for school in schools:
        Plan.objects.create(intake=intake, school=school, places=max(10, per + rng.randint(-per // 5, per // 5)))
    for school in School.objects.filter(organisation__path__startswith=intake.organisation.path, is_private=True,
                                        level__in=levels):
        Plan.objects.create(intake=intake, school=school, places=rng.randint(40, 90))


def _rows(rng: random.Random, intake: Intake, n: int, start: dt.date, ratings: list[int]) -> list[actions.Imported]:
    zones = list(intake.zones.all())
    private = list(intake.plans.filter(school__is_private=True).values_list("school_id", flat=True))
    span = (intake.born_until - intake.born_from).days
    rows = []
    for i in range(n):
        zone = zones[i % len(zones)]
        born = intake.born_from + dt.timedelta(days=rng.randint(0, span))
        submitted = _aware(start + dt.timedelta(days=rng.randint(0, 9)), rng.randint(8, 21), rng.randint(0, 59))
        family = rng.choice(names.SURNAMES)
        choices = rng.sample(private, rng.randint(1, min(2, len(private)))) if private and rng.random() < 0.12 else []
        level = ratings[i]
        rows.append(actions.Imported(
            form=actions.Form(
                child_name=family + rng.choice(names.GIVEN) + rng.choice(names.GIVEN), child_id_number=_ident(rng, born),
                household="江州区", guardian_name=family + rng.choice(names.GIVEN),
                guardian_id_number=_ident(rng, dt.date(rng.randint(1980, 1992), rng.randint(1, 12), rng.randint(1, 28))),
                guardian_phone=rng.choice(["135", "138", "139", "150", "177"]) + f"{rng.randint(0, 10**8 - 1):08d}",
                address=f"{rng.choice(zone.communities)}{rng.randint(1, 30)}栋{rng.randint(1, 30)}-{rng.randint(1, 6)}",
                community=rng.choice(zone.communities), category=_category(rng), private_choices=choices,
                consent=True),
            submitted_at=submitted, satisfaction=level,
            rated_at=submitted + dt.timedelta(days=rng.randint(40, 60))))
    return rows


def history(rng: random.Random, bureau: Organisation, depts: dict[str, Organisation], users: dict[str, User],
            tick: Callable[[int], None]) -> dict[str, int]:
    dept, head = depts["basic"], users["head.basic"]
    ratings = ([Rating.VERY_SATISFIED] * VERY_SATISFIED + [Rating.SATISFIED] * SATISFIED
               + [Rating.BASICALLY_SATISFIED] * BASICALLY + [Rating.DISSATISFIED] * DISSATISFIED)
    rng.shuffle(ratings)
    made = 0
    for grade, levels, n, start in (
            (Grade.PRIMARY_1, (SchoolLevel.PRIMARY, SchoolLevel.NINE_YEAR), PRIMARY_APPLICANTS, dt.date(2024, 5, 20)),
            (Grade.JUNIOR_1, (SchoolLevel.JUNIOR, SchoolLevel.NINE_YEAR), JUNIOR_APPLICANTS, dt.date(2024, 6, 3))):
        intake = _intake(bureau, dept, 2024, grade, levels, _aware(start), _aware(start + dt.timedelta(days=10), 18),
                         rng)
        _places(intake, n, rng, 0.1, levels)
        actions.intake_publish(actor=head, intake=intake, at=_aware(start - dt.timedelta(days=20)))
        rows = _rows(rng, intake, n, start, ratings[made:made + n])
        tick(50)
        actions.intake_import_applications(actor=head, intake=intake, rows=rows, at=_aware(start + dt.timedelta(days=11)))
        tick(100)
        # the commitment the afternoon before, the draw on the day (its public value announced in between)
        actions.intake_lottery_commit(actor=head, intake=intake, at=_aware(intake.lottery_on - dt.timedelta(days=1), 16))
        actions.intake_lottery(actor=head, intake=intake, at=_aware(intake.lottery_on, 10))
        actions.intake_assign(actor=head, intake=intake, at=_aware(intake.lottery_on, 11))
        actions.intake_publish_results(actor=head, intake=intake, notify=False, at=_aware(intake.results_on, 9))
        actions.intake_close(actor=head, intake=intake, at=_aware(intake.results_on + dt.timedelta(days=6), 9))
        tick(50)
        made += n
    return {"enrollment_2024": made}


def live(rng: random.Random, bureau: Organisation, depts: dict[str, Organisation], users: dict[str, User],
         now: Live) -> dict[str, int]:
    return {"enrollment_live": _open_now(rng, bureau, depts["basic"], users["head.basic"], users, now.today)}


def _open_now(rng: random.Random, bureau: Organisation, dept: Organisation, head: User, users: dict[str, User],
              today: dt.date) -> int:
    """The next intake, open now: a few applications in each review state; the demo parent
    (13800001111) has one returned for a document."""
    year = today.year + 1
    levels = (SchoolLevel.PRIMARY, SchoolLevel.NINE_YEAR)
    intake = _intake(bureau, dept, year, Grade.PRIMARY_1, levels, _aware(today - dt.timedelta(days=2)),
                     _aware(today + dt.timedelta(days=12), 18), rng)
    _places(intake, 3000, rng, 0.1, levels)
    actions.intake_publish(actor=head, intake=intake, at=_aware(today - dt.timedelta(days=20)))
    reviewer = users["staff.basic"]
    zones = list(intake.zones.all())
    made = 0
    for i in range(12):
        phone = "13800001111" if i == 0 else f"1390000{i:04d}"
        parent, _new = User.objects.get_or_create(username=f"p{phone}", defaults={"kind": UserKind.PUBLIC,
                                                                                   "phone": phone})
        born = intake.born_from + dt.timedelta(days=rng.randint(0, 360))
        category = Category.HOUSEHOLD_AND_HOME if i % 3 else Category.MIGRANT
        family = rng.choice(names.SURNAMES)
        form = actions.Form(
            child_name=family + rng.choice(names.GIVEN) + rng.choice(names.GIVEN), child_id_number=_ident(rng, born),
            household="江州区", guardian_name=family + rng.choice(names.GIVEN),
            guardian_id_number=_ident(rng, dt.date(1988, 3, 1 + i)), guardian_phone=phone, address="1栋1-1",
            community=zones[i % len(zones)].communities[0], category=category, consent=True)
        uploads = {k: SimpleUploadedFile(f"{k}.pdf", PDF, content_type="application/pdf")
                   for k in REQUIRED_DOCUMENTS[category]}
        app = actions.application_submit(actor=parent, intake=intake, form=form, uploads=uploads,
                             at=_aware(today - dt.timedelta(days=1), 9 + i % 8))
        step = i % 4
        if step == 0:  # returned: the property document is unreadable
            actions.application_review(actor=reviewer, application=app, passed=False,
                           problems=dict.fromkeys(REQUIRED_DOCUMENTS[category][:1], "照片模糊，无法辨认"))
        elif step >= 2:
            actions.application_review(actor=reviewer, application=app, passed=True)
            if step == 3:
                actions.application_review(actor=head, application=app, passed=True)
        made += 1
    # a draft, kept for later
    parent = User.objects.get(username="p13800001111")
    actions.application_draft_save(actor=parent, intake=intake, form=actions.Form(
        child_id_number=_ident(rng, intake.born_from + dt.timedelta(days=200)), child_name="草稿中的孩子"))
    return made
