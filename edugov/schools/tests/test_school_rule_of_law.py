"""The school's own rule of law (issue 32): a charter is published only after the bureau's approval,
a lesson is not counted twice, two lessons a term, the constitution week, families' opinions."""

import datetime as dt
import io

import pytest
from django.urls import reverse

from edugov.accounts.models import Role
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics import registry
from edugov.schools import governance as gv
from edugov.schools.models import CharterRevision, Lesson

YEAR = registry.Period.year(2024)


def fig(key, org):
    return registry.compute(registry.get(key), YEAR, org).display


def test_a_charter_is_published_only_after_the_bureaus_approval(tree, make_user):
    admin = make_user(Role.SCHOOL_ADMIN, tree.school_org)
    dept = make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept)
    rev = gv.charter_submit(actor=admin, school=tree.school, summary="增设家长委员会章节", adopted_on=dt.date(2024, 3, 1),
                            submitted_on=dt.date(2024, 3, 5))
    with pytest.raises(ValidationFailed) as refused:
        gv.charter_publish(actor=admin, revision=rev, published_on=dt.date(2024, 3, 6))
    assert "核准" in refused.value.message
    with pytest.raises(Conflict):  # one revision waits at a time
        gv.charter_submit(actor=admin, school=tree.school, summary="再改", adopted_on=dt.date(2024, 3, 2),
                          submitted_on=dt.date(2024, 3, 6))
    with pytest.raises(PermissionDenied):  # the school does not approve its own charter
        gv.charter_decide(actor=admin, revision=rev, approve=True, decided_on=dt.date(2024, 3, 20), note="")
    gv.charter_decide(actor=dept, revision=rev, approve=True, decided_on=dt.date(2024, 3, 20), note="")
    gv.charter_publish(actor=admin, revision=rev, published_on=dt.date(2024, 3, 25))
    assert CharterRevision.objects.get().status == "published"
    assert (fig("schools.charters.approved", tree.bureau), fig("schools.charters.published", tree.bureau),
            fig("schools.charters.revised_share", tree.bureau)) == ("1份", "1份", "50.0%")
    with pytest.raises(PermissionDenied):  # another school's administrator
        gv.charter_submit(actor=make_user(Role.SCHOOL_ADMIN, tree.other_school_org), school=tree.school, summary="x",
                          adopted_on=dt.date(2024, 3, 1), submitted_on=dt.date(2024, 3, 5))


def test_lessons_count_once_and_two_a_term_in_every_school(tree, make_user):
    admin = make_user(Role.SCHOOL_ADMIN, tree.school_org)
    lesson = {"actor": admin, "school": tree.school, "held_on": dt.date(2024, 3, 12), "class_name": "五年级",
              "topic": "预防校园欺凌", "teacher": "李老师"}
    gv.lesson_record(**lesson)
    with pytest.raises(ValidationFailed) as twice:
        gv.lesson_record(**lesson)
    assert twice.value.field == "topic" and Lesson.objects.count() == 1
    gv.lesson_record(**{**lesson, "held_on": dt.date(2024, 5, 7), "topic": "未成年人保护法"})
    gv.lesson_record(**{**lesson, "held_on": dt.date(2024, 10, 8), "topic": "宪法与我"})
    assert fig("schools.charters.lessons", tree.bureau) == "3节"
    assert fig("schools.charters.lesson_minimum_rate", tree.bureau) == "0.0%"  # the autumn term has one
    gv.lesson_record(**{**lesson, "held_on": dt.date(2024, 11, 5), "topic": "禁毒"})
    assert fig("schools.charters.lesson_minimum_rate", tree.bureau) == "50.0%"  # one school of two


def test_constitution_week_and_families(tree, make_user):
    admin = make_user(Role.SCHOOL_ADMIN, tree.school_org)
    gv.constitution_week_record(actor=admin, school=tree.school, year=2024, morning_reading=True, participants=480,
                                activities="宪法晨读、主题班会")
    with pytest.raises(ValidationFailed):
        gv.constitution_week_record(actor=admin, school=tree.school, year=2024, morning_reading=True, participants=1,
                                    activities="again")
    gv.parent_meeting_add(actor=admin, school=tree.school, kind="committee", held_on=dt.date(2024, 9, 20),
                          topic="新学期家委会", attended=40)
    op = gv.parent_opinion_add(actor=admin, school=tree.school, kind="hotline", received_on=dt.date(2024, 9, 22),
                               summary="放学接送拥堵")
    with pytest.raises(ValidationFailed):
        gv.parent_opinion_answer(actor=admin, opinion=op, response="错峰放学", answered_on=dt.date(2024, 9, 21))
    assert fig("home_school.answer_rate", tree.bureau) == "0.0%"
    gv.parent_opinion_answer(actor=admin, opinion=op, response="错峰放学", answered_on=dt.date(2024, 9, 25))
    assert (fig("schools.charters.morning_reading_schools", tree.bureau), fig("home_school.meetings", tree.bureau),
            fig("home_school.answer_rate", tree.bureau)) == ("1所", "1次", "100.0%")


def test_the_page_records_for_the_own_school_only(client, tree, make_user):
    admin = make_user(Role.SCHOOL_ADMIN, tree.school_org)
    client.force_login(admin)
    assert client.get(reverse("schools:rule_of_law") + "?kind=lesson").status_code == 200
    data = {"lesson-held_on": "2024-03-12", "lesson-class_name": "五年级", "lesson-topic": "宪法", "lesson-teacher": "李"}
    r = client.post(reverse("schools:rule_of_law_add", args=["lesson"]), {**data, "lesson-school": tree.other_school.pk})
    assert r.status_code == 400 and not Lesson.objects.exists()
    r = client.post(reverse("schools:rule_of_law_add", args=["lesson"]), {**data, "lesson-school": tree.school.pk})
    assert r.status_code == 302 and Lesson.objects.count() == 1
    r = client.post(reverse("schools:rule_of_law_add", args=["lesson"]), {**data, "lesson-school": tree.school.pk})
    assert r.status_code == 400 and Lesson.objects.count() == 1


def test_a_counsellor_is_counted_among_the_people_but_not_in_the_coverage(tree, make_user, client):
    """法治辅导员 beside 法治副校长: the report's people count both, a school's coverage only the
    vice-principals; the letter of appointment says which."""
    from docx import Document

    from edugov.registries.models import Person, PersonKind
    from edugov.schools import actions

    staff = make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept)
    people = [Person.objects.create(organisation=tree.bureau, kind=PersonKind.LEGAL_VP, name=f"法副{n}",
                                    identity_number=f"50010119800501{n:03d}X", gender="M",
                                    birth_date=dt.date(1980, 5, 1), sending_agency="police", agency_name="甲区公安分局")
              for n in (1, 2)]
    period = registry.Period.year(dt.date.today().year)
    start = dt.date.today() - dt.timedelta(days=10)
    actions.appoint(actor=staff, person=people[0], school=tree.school, starts_on=start)
    counsellor = actions.appoint(actor=staff, person=people[1], school=tree.other_school, starts_on=start,
                                 kind="counsellor")

    def now(key):
        return registry.compute(registry.get(key), period, tree.bureau).display

    assert (now("legal_vp.appointed"), now("schools.charters.counsellors"),
            now("legal_vp.public_school_coverage")) == ("2名", "1名", "50%")
    client.force_login(staff)
    letter = client.get(reverse("schools:lvp_letter", args=[counsellor.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(letter.content)).paragraphs)
    assert "法治辅导员" in text and "法治副校长" not in text
