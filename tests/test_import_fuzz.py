"""Issue 11, bad input: every XLSX importer fed random rows (hypothesis) either imports or refuses
with the lines named; never another error, and a refused file leaves the data as it was."""

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from edugov.accounts.models import Role
from edugov.kernel.errors import ValidationFailed

CELL = st.one_of(
    st.none(), st.integers(min_value=-10**12, max_value=10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
    st.sampled_from(["S1", "S2", "甲区第一小学", "小学", "是", "否", "52500000MJ00000001", "13812345678",
                     "500101198001010011", "2024-05-06", " ", "0", "-1", "1e9"]))


def _xlsx(header, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _rows(width):
    return st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=6)


FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.mark.django_db
def test_the_register_importers(tree, make_user):
    from edugov.registries.actions import REGISTRIES, registry_import
    from edugov.registries.models import ImportRun

    head = make_user(Role.DEPARTMENT_HEAD, tree.dept)

    def importer(name, header):
        @FUZZ
        @given(rows=_rows(len(header)), good_only=st.booleans())
        def run(rows, good_only):
            before = ImportRun.objects.count()
            try:
                result = registry_import(actor=head, registry=name, bureau=tree.bureau, filename="f.xlsx",
                                         data=_xlsx(header, rows), good_rows_only=good_only)
            except ValidationFailed:
                assert ImportRun.objects.count() == before
                return
            lines = {e["line"] for e in result.errors}
            assert lines <= set(range(2, len(rows) + 2)) and all(e["reason"] for e in result.errors)
            assert result.imported_rows + len(result.errors) <= result.total_rows
        return run

    for name, spec in REGISTRIES.items():
        importer(name, [c.label for c in spec.columns()])()


@pytest.mark.django_db
def test_the_catalogue_and_campaign_importers(tree, make_user):
    from edugov.enforcement.actions import item_import
    from edugov.enforcement.documents import item_columns
    from edugov.enforcement.models import EnforcementItem
    from edugov.schools.education import import_quiz
    from edugov.schools.models import QuizParticipation

    staff = make_user(Role.DEPARTMENT_HEAD, tree.dept)
    officer = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    header = [c.label for c in item_columns()]

    @FUZZ
    @given(rows=_rows(len(header)))
    def items(rows):
        before = list(EnforcementItem.objects.values_list("code", "name", "fine_min", "fine_max"))
        try:
            item_import(actor=officer, organisation=tree.bureau, data=_xlsx(header, rows))
        except ValidationFailed as exc:
            assert "第" in exc.message or "行" in exc.message or "文件" in exc.message or "列" in exc.message
            assert list(EnforcementItem.objects.values_list("code", "name", "fine_min", "fine_max")) == before

    @FUZZ
    @given(rows=_rows(3))
    def quiz(rows):
        before = list(QuizParticipation.objects.values_list("school_id", "participants", "enrolled"))
        try:
            import_quiz(actor=staff, organisation=tree.bureau, campaign="宪法答题", year=2024,
                        data=_xlsx(["学校代码", "参与人数", "在校学生数"], rows))
        except ValidationFailed:
            assert list(QuizParticipation.objects.values_list("school_id", "participants", "enrolled")) == before

    items()
    quiz()
