"""A city of several districts (issue 33): `edugov democity --districts N`.

The demo's city bureau (示范市教育局, made with the demo district or here when absent) gains N
district bureaus beside 江州区, each with a supervision office and a basic-education department,
its supervision hotline and complaint categories, its primary schools, and two accounts (the
leader and the supervision office; the demo password). Enough for a city's deployment to be tried
with real tenants: the CI cluster makes 5 and posts complaints to them, the tenancy benchmark
makes 38 and loads one while reading another. The full history stays the demo district's; these
districts start empty on the day they are made (set-up records only, all dated 2024-01-02, so
nothing lies after any day the demo runs)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction

from edugov.accounts import actions as account_actions
from edugov.accounts.models import Organisation, OrgKind, Role
from edugov.petitions.models import Category, Hotline
from edugov.registries.models import SchoolLevel

from .generator import DEMO_PASSWORD, _schools
from .hotline import CATEGORIES

# 38 made-up district names (a municipality's count), none a real district's official name
NAMES = ["东湖", "西山", "南岸", "北川", "青石", "白沙", "金溪", "银杉", "云台", "凤鸣", "龙泉", "松林", "柳河", "桃源",
         "梅岭", "竹溪", "兰亭", "菊坪", "石门", "铁桥", "玉泉", "清江", "明月", "长乐", "永安", "太和", "新华", "光明",
         "红岩", "绿洲", "丰收", "双桥", "三溪", "四方", "五里", "六合", "七星", "八角"]
CITY_CODE = "SF01"


def city() -> Organisation:
    found = Organisation.objects.filter(kind=OrgKind.CITY).order_by("pk").first()
    if found is not None:
        return found
    return account_actions.organisation_create(actor=None, code=CITY_CODE, name="示范市教育局", kind=OrgKind.CITY)


def district_code(n: int) -> str:
    return f"CD{n:02d}"


def generate_city(districts: int, schools: int = 20, seed: int = 2024,
                  progress: Callable[[int], object] | None = None) -> dict[str, int]:
    """Add districts CD01 … CD<districts> (those already there are kept); returns what was made."""
    if not 1 <= districts <= len(NAMES):
        raise ValueError(f"a demo city has 1 to {len(NAMES)} districts")
    tick = progress or (lambda n: None)
    top = city()
    made = {"districts": 0, "schools": 0, "accounts": 0}
    for n in range(1, districts + 1):
        code = district_code(n)
        if Organisation.objects.filter(code=code).exists():
            continue
        rng = random.Random(f"{seed}:{code}")  # each district its own stream: adding one changes no other
        name = NAMES[n - 1]
        with transaction.atomic():
            bureau = account_actions.organisation_create(actor=None, code=code, name=f"{name}区教育委员会",
                                                         kind=OrgKind.BUREAU, parent=top, case_prefix=f"{name[0]}教")
            office = account_actions.organisation_create(actor=None, code=f"{code}-sup", name="督导室",
                                                         kind=OrgKind.DEPARTMENT, parent=bureau,
                                                         case_prefix=f"{name[0]}教督")
            account_actions.organisation_create(actor=None, code=f"{code}-basic", name="基础教育科",
                                                kind=OrgKind.DEPARTMENT, parent=bureau)
            Hotline.objects.create(organisation=bureau, office=office, opened_on=dt.date(2024, 1, 2))
            Category.objects.bulk_create([Category(organisation=bureau, name=c, position=i)
                                          for i, c in enumerate(CATEGORIES)])
            made["schools"] += len(_schools(rng, bureau, tick, plan=[(SchoolLevel.PRIMARY, schools, 0, 600)],
                                            prefix=f"{name}区", code=f"{code}S"))
            for suffix, role, org, title in (("leader", Role.BUREAU_LEADER, bureau, "局长"),
                                             ("sup", Role.SUPERVISION_STAFF, office, "督导室科员")):
                account_actions.staff_create(actor=None, username=f"{code.lower()}-{suffix}", full_name=f"{name}区{title}",
                                             password=DEMO_PASSWORD, grants=[(role, org)])
                made["accounts"] += 1
            made["districts"] += 1
            tick(1)
    return made
