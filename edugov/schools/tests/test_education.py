import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from edugov.accounts.models import Role
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics import registry
from edugov.schools import education as edu
from edugov.schools.metrics import QUIZ


def _xlsx(rows):
    book = Workbook()
    book.active.append(["学校代码", "参与人数", "在校学生数"])
    for r in rows:
        book.active.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def fig(key, tree):
    return registry.compute(registry.get(key), registry.Period.year(2024), tree.bureau).display


def test_demonstration_schools_move_through_their_stages(tree, make_user):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    admin = make_user(Role.SCHOOL_ADMIN, tree.school_org)
    a = edu.demo_apply(actor=admin, school=tree.school, year=2024, case_title="学生参与校规修订")
    with pytest.raises(Conflict):
        edu.demo_apply(actor=admin, school=tree.school, year=2024)
    with pytest.raises(PermissionDenied):
        edu.demo_advance(actor=admin, application=a, passed=True, on=dt.date(2024, 6, 1))
    edu.demo_advance(actor=staff, application=a, passed=True, on=dt.date(2024, 6, 1))
    edu.demo_case_adopted(actor=staff, application=a, on=dt.date(2024, 10, 1))
    assert (fig("demo_schools.passed_material_review", tree), fig("demo_schools.cases_adopted", tree)) == ("1所", "1个")


def test_quiz_returns_import_all_or_nothing_and_make_the_rate(tree, make_user):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    with pytest.raises(ValidationFailed, match="第 3 行"):
        edu.import_quiz(actor=staff, organisation=tree.bureau, campaign=QUIZ, year=2024,
                        data=_xlsx([["S1", 99, 100], ["S2", 120, 100]]))
    assert (fig("legal_education.constitution_quiz.participants", tree),
            fig("legal_education.constitution_quiz.participation_rate", tree)) == ("0人", "无上报数据")  # nothing kept
    edu.import_quiz(actor=staff, organisation=tree.bureau, campaign=QUIZ, year=2024,
                    data=_xlsx([["S1", 9998, 10000], ["S2", 10000, 10000]]))
    assert (fig("legal_education.constitution_quiz.participants", tree),
            fig("legal_education.constitution_quiz.participation_rate", tree)) == ("19998人", "99.99%")


def test_contest_entries_and_the_page(client, tree, make_user):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    edu.add_entry(actor=staff, kind="comics", year=2024, school=tree.school, entrant="李华", award="third")
    edu.add_entry(actor=staff, kind="comics", year=2024, school=tree.school, entrant="王芳")
    assert (fig("legal_education.comics.submissions", tree), fig("legal_education.comics.forwarded", tree),
            fig("legal_education.comics.third_prizes", tree)) == ("2件", "1件", "1个")
    with pytest.raises(ValidationFailed):
        edu.add_entry(actor=staff, kind="comics", year=2024, school=tree.school, entrant=" ")
    client.force_login(staff)
    page = client.get(reverse("schools:education") + "?year=2024").content.decode()
    assert "法治漫画比赛</td><td>2</td><td>1</td>" in page.replace("\n", "")
