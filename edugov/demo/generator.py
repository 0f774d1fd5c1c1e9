"""The demo district: organisations, accounts, schools, institutions and people, as raw records.

Deterministic for a seed. Every record is written with its ledger entry; figures are never typed
in: later modules add their own records here, and the metric registry counts them."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from edugov.accounts import actions as account_actions
from edugov.accounts.models import Organisation, OrgKind, Role, User
from edugov.audit.ledger import record
from edugov.kernel.validators import credit_check_char, identity_check_char
from edugov.registries.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Person,
    PersonKind,
    School,
    SchoolLevel,
)

from . import (
    accountability,
    business,
    enforcement,
    enrollment,
    hotline,
    leadership,
    legality,
    liaison,
    names,
    oversight,
    remedies,
    report,
    services,
    training,
)
from . import schools as legal_vps
from .clock import Live, aware

# DEMO ONLY: documented in README.md; the demo database lives under var/ and is never deployed.
DEMO_PASSWORD = "Demo-2024-edugov"  # noqa: S105

DEPARTMENTS = [
    ("office", "办公室", ""), ("policy", "政策法规科", "法"), ("supervision", "督导室", "督"),
    ("basic", "基础教育科", "基"), ("private", "民办教育科", "民"), ("safety", "安全稳定科", "安"),
    ("approval", "行政审批科", "审"), ("enforcement", "综合执法支队", "执"),
]

# level, count, how many private, mean enrolled students
SCHOOL_PLAN = [
    (SchoolLevel.KINDERGARTEN, 120, 52, 180), (SchoolLevel.PRIMARY, 110, 4, 720), (SchoolLevel.JUNIOR, 30, 2, 1000),
    (SchoolLevel.NINE_YEAR, 22, 1, 900), (SchoolLevel.SENIOR, 12, 1, 1400), (SchoolLevel.VOCATIONAL, 4, 1, 800),
    (SchoolLevel.SPECIAL_EDUCATION, 1, 0, 150), (SchoolLevel.SPECIAL_SCHOOL, 1, 0, 120),
]
SUFFIX = {
    SchoolLevel.KINDERGARTEN: "幼儿园", SchoolLevel.PRIMARY: "小学", SchoolLevel.JUNIOR: "初级中学",
    SchoolLevel.NINE_YEAR: "九年一贯制学校", SchoolLevel.SENIOR: "高级中学", SchoolLevel.VOCATIONAL: "职业教育中心",
    SchoolLevel.SPECIAL_EDUCATION: "特殊教育学校", SchoolLevel.SPECIAL_SCHOOL: "专门学校",
}


@dataclass
class DemoAccount:
    username: str
    role: str
    where: str


ACCOUNTS: list[DemoAccount] = []


def _account_plan(bureau: Organisation, depts: dict[str, Organisation], school_a: School, school_b: School,
                  other: Organisation) -> list[tuple[str, str, str, Organisation]]:
    return [
        ("leader", "局领导·陈明", Role.BUREAU_LEADER, bureau),
        ("head.policy", "政策法规科科长·李静", Role.DEPARTMENT_HEAD, depts["policy"]),
        ("staff.basic", "基础教育科·王磊", Role.DEPARTMENT_STAFF, depts["basic"]),
        ("head.basic", "基础教育科科长·吴婷", Role.DEPARTMENT_HEAD, depts["basic"]),
        ("clerk", "审批窗口·赵娜", Role.WINDOW_CLERK, depts["approval"]),
        ("head.approval", "行政审批科科长·黄涛", Role.DEPARTMENT_HEAD, depts["approval"]),
        ("officer", "执法人员·周强", Role.ENFORCEMENT_OFFICER, depts["enforcement"]),
        ("reviewer", "法制审核员·孙芳", Role.LEGAL_REVIEWER, depts["policy"]),
        ("supervision", "督导室·刘洋", Role.SUPERVISION_STAFF, depts["supervision"]),
        ("school1", f"{school_a.name}·管理员", Role.SCHOOL_ADMIN, school_a.organisation),
        ("school2", f"{school_b.name}·管理员", Role.SCHOOL_ADMIN, school_b.organisation),
        ("lvp", "法治副校长·何勇", Role.LEGAL_VP, school_a.organisation),
        ("auditor", "审计·郭敏", Role.AUDITOR, bureau),
        ("admin", "系统管理员", Role.SYSADMIN, bureau),
        ("other.leader", "临江区局领导·马超", Role.BUREAU_LEADER, other),
    ]


def identity_number(rng: random.Random, region: str, birth: dt.date) -> str:
    first = f"{region}{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return first + identity_check_char(first)


def credit_code(rng: random.Random, region: str, prefix: str = "52") -> str:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first = prefix + region + "".join(rng.choice(chars) for _ in range(9))
    return first + credit_check_char(first)


def phone(rng: random.Random) -> str:
    return rng.choice(["135", "136", "138", "139", "150", "152", "158", "177", "187", "199"]) + f"{rng.randint(0, 10**8 - 1):08d}"


def person_name(rng: random.Random) -> str:
    return rng.choice(names.SURNAMES) + "".join(rng.choice(names.GIVEN) for _ in range(rng.choice([1, 2])))


Progress = Callable[[int], None]
# Where the accounts of the hotline's units sit (department key or the first school) and who handles there.
HOTLINE_UNITS = (("policy", "head.policy"), ("basic", "staff.basic"), ("school_a", "school1"))
# The registers are entered when the platform starts, before the 2024 history that uses them.
REGISTERS_AT = aware(dt.date(2024, 1, 2), 9)


def generate(seed: int = 2024, progress: Progress | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """Build the demo district in an empty database: the fixed history, then the live layer placed
    relative to `now` (the clock's time when not given), never after it. Returns counts of what was made."""
    live = Live.at(now)
    counts = generate_history(seed, progress)
    counts.update(generate_live(seed, progress, live.now))
    return counts


def generate_history(seed: int = 2024, progress: Progress | None = None) -> dict[str, int]:
    """Everything dated up to 15 January 2026 (HISTORY_END): the same records whatever day it runs."""
    rng = random.Random(seed)
    tick = progress or (lambda n: None)
    counts: dict[str, int] = {}
    with transaction.atomic():
        province = account_actions.organisation_create(actor=None, code="SF", name="示范省教育厅", kind=OrgKind.PROVINCE)
        city = account_actions.organisation_create(actor=None, code="SF01", name="示范市教育局", kind=OrgKind.CITY,
                                                   parent=province)
        bureau = account_actions.organisation_create(actor=None, code="JZ", name="江州区教育委员会",
                                                     kind=OrgKind.BUREAU, parent=city, case_prefix="江教")
        other = account_actions.organisation_create(actor=None, code="LJ", name="临江区教育委员会",
                                                    kind=OrgKind.BUREAU, parent=city, case_prefix="临教")
        # what the law leaves to each district (issue 25): the demo's are invented, as the districts are
        for district_bureau, place in ((bureau, "江州区"), (other, "临江区")):
            account_actions.legal_settings_set(
                actor=None, organisation=district_bureau, reconsideration_body=f"示范市{place}人民政府",
                court="示范市铁路运输法院", review_body=f"示范市{place}人民政府信访工作机构",
                recheck_body="示范市人民政府信访工作机构")
        for key, name, suffix in DEPARTMENTS:
            account_actions.organisation_create(actor=None, code=f"JZ-{key}", name=name, kind=OrgKind.DEPARTMENT,
                                                parent=bureau, case_prefix="江教" + suffix)
        account_actions.organisation_create(actor=None, code="LJ-supervision", name="督导室",
                                            kind=OrgKind.DEPARTMENT, parent=other, case_prefix="临教督")
        tick(10)
        district = District.load(accounts=False)
        schools = _schools(rng, bureau, tick)
        _schools(rng, other, tick, plan=[(SchoolLevel.PRIMARY, 3, 0, 600)], prefix="临江区", code="LJS")
        counts["schools"] = len(schools)
        counts["students"] = sum(s.enrolled_students for s in schools)
        counts["institutions"] = _institutions(rng, bureau, 150, tick)
        _institutions(rng, other, 5, tick)
        counts["people"] = _people(rng, bureau, district.depts, tick)
        public_primary = [s for s in schools if s.level == SchoolLevel.PRIMARY and not s.is_private]
        school_a, school_b = public_primary[0], public_primary[1]
        for username, full_name, role, org in _account_plan(bureau, district.depts, school_a, school_b, other):
            user = account_actions.staff_create(actor=None, username=username, full_name=full_name,
                                                password=DEMO_PASSWORD, grants=[(role, org)])
            if role == Role.SYSADMIN:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            tick(1)
        counts["accounts"] = User.objects.count()
        district = District.load()
        bureau, depts, users = district.bureau, district.depts, district.users
        counts.update(hotline.history(rng, bureau, depts["supervision"], district.hotline_units(), users["supervision"],
                                      tick))
        counts.update(enforcement.history(rng, bureau, depts, users, DEMO_PASSWORD, tick))
        # its own random stream, so adding it left the other modules' records as they were
        counts.update(services.history(random.Random(seed + 5), bureau, depts, users, tick))
        counts.update(enrollment.history(random.Random(seed + 7), bureau, depts, users, tick))
        counts.update(legal_vps.history(rng, bureau, users, tick))
        counts.update(legal_vps.special_school(rng, bureau, DEMO_PASSWORD))
        counts.update(legal_vps.education(rng, bureau, users))
        counts.update(oversight.history(rng, bureau, users))
        counts.update(legality.history(random.Random(seed + 11), bureau, users))
        oversight.decisions_2024(bureau, users)
        counts.update(leadership.history(random.Random(seed + 17), bureau, users))
        counts.update(training.history(bureau, users))
        counts.update(liaison.history(random.Random(seed + 19), bureau, users))
        counts.update(business.history(random.Random(seed + 23), bureau, users))
        counts.update(accountability.history(random.Random(seed + 29), bureau, users))
        counts.update(remedies.history(random.Random(seed + 13), bureau, users))
        counts.update(report.generate(bureau, users))
    return counts


def generate_live(seed: int = 2024, progress: Progress | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """The live layer on top of the history: the work of the last days and weeks, placed relative
    to `now` and never after it. Its own random stream, so the history is the same records whether
    it was built a moment ago or copied from a template made on another day."""
    live = Live.at(now)
    rng = random.Random(f"{seed}:live")
    tick = progress or (lambda n: None)
    district = District.load()
    bureau, depts, users = district.bureau, district.depts, district.users
    counts: dict[str, int] = {}
    with transaction.atomic():
        counts.update(hotline.live(rng, bureau, district.hotline_units(), users["supervision"], tick, live))
        counts.update(enforcement.live(rng, bureau, users, tick, live))
        counts.update(training.live(bureau, users, live))  # after the renewals: this year's roster
        counts.update(services.live(rng, bureau, users, live))
        counts.update(enrollment.live(rng, bureau, depts, users, live))
        counts.update(legal_vps.live(rng, bureau, live.today))
        counts.update(legal_vps.special_school_live(rng, bureau, live.today))
        counts.update(oversight.live(rng, bureau, users, live))
        counts.update(oversight.screening(rng, bureau, users, live))
        counts.update(legality.live(rng, bureau, users, live))
        counts.update(remedies.live(rng, bureau, users, live))
        counts.update(leadership.live(random.Random(f"{seed}:leadership"), bureau, users, live))
        counts.update(liaison.live(random.Random(f"{seed}:liaison"), bureau, users, live))
        counts.update(business.live(random.Random(f"{seed}:business"), bureau, users, live))
        counts.update(_duties(live.today))  # as the daily jobs find them today: the ledgers still missing
        tick(20)
    return counts


def _duties(today: dt.date) -> dict[str, int]:
    """The duties the scheduled jobs keep on the workbench (issue 26): this and last month's risk
    ledgers, the legal vice-principals short of hours (from March), last year's report."""
    from edugov.oversight.tasks import open_ledger_duties
    from edugov.reports.tasks import open_report_duties
    from edugov.schools.tasks import open_hours_duties

    return {"duties": open_ledger_duties(today) + open_hours_duties(today) + open_report_duties(today)}


@dataclass
class District:
    """The demo district as the generator's parts need it, read back from the database (the live
    layer may run in another process, on a copy of a history built earlier)."""

    bureau: Organisation
    depts: dict[str, Organisation]
    users: dict[str, User]

    @classmethod
    def load(cls, accounts: bool = True) -> District:
        bureau = Organisation.objects.get(code="JZ")
        depts = {key: Organisation.objects.get(code=f"JZ-{key}") for key, _name, _suffix in DEPARTMENTS}
        users = {u.username: u for u in User.objects.filter(kind="staff")} if accounts else {}
        return cls(bureau, depts, users)

    def hotline_units(self) -> list[tuple[Organisation, User]]:
        """The units the hotline routes to in the demo, each with the person who handles there."""
        school = self.users["school1"].grants.get().organisation
        return [(self.depts.get(key, school), self.users[username])
                for key, username in HOTLINE_UNITS]


def _schools(rng: random.Random, bureau: Organisation, tick: Progress,
             plan: list[tuple[str, int, int, int]] | None = None, prefix: str = "江州区", code: str = "JZS") -> list[School]:
    made: list[School] = []
    used: set[str] = set()
    now = REGISTERS_AT
    for level, count, private, mean in plan or SCHOOL_PLAN:
        for i in range(count):
            place = rng.choice(names.PLACES)
            name = f"{prefix}{place}{SUFFIX[level]}"
            n = 2
            while name in used:
                name = f"{prefix}{place}第{'一二三四五六七八九十'[min(n, 10) - 1]}{SUFFIX[level]}"
                n += 1
                if n > 10:
                    place = rng.choice(names.PLACES)
                    name, n = f"{prefix}{place}{SUFFIX[level]}", 2
            used.add(name)
            is_private = i < private
            if is_private:
                name = name.replace(prefix, prefix + rng.choice(names.INSTITUTION_WORDS) + ("" if level == SchoolLevel.KINDERGARTEN else "民办"), 1)
            school_code = f"{code}{len(made) + 1:04d}"
            org = Organisation.objects.create(code=school_code, name=name, kind=OrgKind.SCHOOL, parent=bureau)
            students = max(30, int(rng.gauss(mean, mean * 0.25)))
            school = School(organisation=org, name=name, code=school_code, level=level, is_private=is_private,
                            address=f"{prefix}{place}街道{rng.randint(1, 300)}号", enrolled_students=students,
                            principal=person_name(rng), contact_phone=f"023-58{rng.randint(100000, 999999)}")
            geo = random.Random(school_code)  # its own stream: placing schools changes no other demo record
            school.latitude = Decimal(f"{30.60 + geo.random() * 0.40:.6f}")
            school.longitude = Decimal(f"{108.10 + geo.random() * 0.60:.6f}")
            if is_private:
                school.credit_code = credit_code(rng, "500101")
                school.permit_number = f"教民{rng.randint(10**14, 10**15 - 1)}号"
                school.permit_valid_until = dt.date(2025 + rng.randint(0, 5), rng.randint(1, 12), 28)
            school.save()
            record(actor=None, action="school.create", target=school, organisation=org, at=now,
                   after={"code": school_code, "name": name, "level": level, "source": "demo"})
            made.append(school)
            tick(1)
    return made


def _institutions(rng: random.Random, bureau: Organisation, count: int, tick: Progress) -> int:
    used: set[str] = set()
    now = REGISTERS_AT
    for i in range(count):
        academic = i % 5 == 0
        while True:
            word = rng.choice(names.INSTITUTION_WORDS) + rng.choice(names.PLACES)
            kind_word = rng.choice(names.INSTITUTION_KINDS_ACADEMIC if academic else names.INSTITUTION_KINDS_OTHER)
            name = f"{bureau.name[:3]}{word}{kind_word}"
            if name not in used:
                used.add(name)
                break
        status = InstitutionStatus.OPERATING if i % 17 else InstitutionStatus.SUSPENDED
        inst = Institution.objects.create(
            organisation=bureau, name=name, credit_code=credit_code(rng, "500101"),
            kind=InstitutionKind.ACADEMIC if academic else InstitutionKind.NON_ACADEMIC, status=status,
            permit_number=f"教培{rng.randint(10**10, 10**11 - 1)}" if i % 9 else "",
            permit_valid_until=dt.date(2024 + rng.randint(0, 4), rng.randint(1, 12), 15) if i % 9 else None,
            legal_representative=person_name(rng), address=f"{bureau.name[:3]}{rng.choice(names.PLACES)}路{rng.randint(1, 200)}号",
            contact_phone=phone(rng),
        )
        record(actor=None, action="institution.create", target=inst, organisation=bureau, at=now,
               after={"name": name, "credit_code": inst.credit_code, "source": "demo"})
        tick(1)
    return count


def _people(rng: random.Random, bureau: Organisation, depts: dict[str, Organisation], tick: Progress) -> int:
    now = REGISTERS_AT
    made = 0
    seen: set[str] = set()

    def add(kind: str, org: Organisation, **extra: object) -> None:
        nonlocal made
        while True:
            birth = dt.date(rng.randint(1962, 1998), rng.randint(1, 12), rng.randint(1, 28))
            number = identity_number(rng, "500101", birth)
            if number not in seen:
                seen.add(number)
                break
        gender = "M" if int(number[16]) % 2 else "F"
        p = Person(organisation=org, kind=kind, name=person_name(rng), identity_number=number, phone=phone(rng),
                   gender=gender, birth_date=birth, **extra)
        p.save()
        record(actor=None, action="person.create", target=p, organisation=org, at=now,
               after={"kind": kind, "name": p.name, "identity_number": number, "source": "demo"})
        made += 1
        tick(1)

    for key, dept in depts.items():
        for _ in range(4 if key != "enforcement" else 2):
            add(PersonKind.STAFF, dept, title="科员")
    for i in range(32):
        valid = dt.date(2027, rng.randint(1, 12), 28) if i < 30 else dt.date(2024, 6, 30)
        add(PersonKind.ENFORCEMENT_OFFICER, depts["enforcement"], title="执法队员",
            certificate_number=f"JZ{2021 + i % 4}{i + 1:04d}", enforcement_field="教育", certificate_valid_until=valid)
    agencies = list(names.AGENCIES.items())
    weights = [0.55, 0.15, 0.1, 0.2]
    for _ in range(156):
        agency, places = rng.choices(agencies, weights)[0]
        add(PersonKind.LEGAL_VP, bureau, sending_agency=agency, agency_name=rng.choice(places),
            title=rng.choice(["民警", "检察官", "法官", "司法所干部", "副所长"]))
    return made


def account_table() -> list[tuple[str, str, str]]:
    rows = []
    for user in User.objects.filter(kind="staff").order_by("id"):
        grant = user.grants.select_related("organisation").first()
        if grant:
            rows.append((user.username, grant.get_role_display(), grant.organisation.name))
    return rows


def verification_examples() -> list[tuple[str, str]]:
    """Documents to try the public verification with (README, "What to try"): a licence in force and
    the one revoked in the live layer."""
    from edugov.documents.models import DocumentKind, IssuedDocument

    certificates = IssuedDocument.objects.filter(kind=DocumentKind.LICENCE_CERTIFICATE)
    revoked = certificates.filter(revoked_on__isnull=False).order_by("-id").first()
    valid = certificates.filter(revoked_on__isnull=True, replaced_by__isnull=True).order_by("-id").first()
    return [(label, doc.verify_code) for label, doc in (("A licence in force", valid), ("A revoked licence", revoked))
            if doc is not None]
