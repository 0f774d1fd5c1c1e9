import datetime as dt

import pytest
from django.urls import reverse

from edugov.accounts.models import OrgKind, Role
from edugov.audit.models import Entry
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.metrics import registry
from edugov.registries.models import School, SchoolLevel
from edugov.schools import special


@pytest.fixture
def school(tree):
    org = tree.bureau.__class__.objects.create(code="SS1", name="甲区专门学校", kind=OrgKind.SCHOOL, parent=tree.bureau)
    return School.objects.create(organisation=org, name="甲区专门学校", code="SS1", level=SchoolLevel.SPECIAL_SCHOOL)


def test_need_to_know_every_view_logged_and_figures_without_names(tree, make_user, school, client):
    admin = make_user(Role.SCHOOL_ADMIN, school.organisation)
    colleague = make_user(Role.SCHOOL_ADMIN, school.organisation)
    leader = make_user(Role.BUREAU_LEADER, tree.bureau)
    with pytest.raises(PermissionDenied):
        special.admit(actor=make_user(Role.SCHOOL_ADMIN, tree.school_org), school=school, student_name="王小明",
                      admitted_on=dt.date(2023, 9, 1), assigned=[admin])
    case = special.admit(actor=admin, school=school, student_name="王小明", admitted_on=dt.date(2023, 9, 1),
                         assigned=[admin])
    assert "王小明" not in str(case) and "王小明" not in Entry.objects.get(action="special_school.admit").body
    for outsider in (colleague, leader):  # the bureau's leader and a colleague not assigned: refused
        client.force_login(outsider)
        assert client.get(reverse("schools:special_case", args=[case.pk])).status_code == 403
    client.force_login(admin)
    assert "王小明" in client.get(reverse("schools:special_case", args=[case.pk])).content.decode()
    assert Entry.objects.filter(action="special_school.view", actor_id=admin.pk).count() == 1
    with pytest.raises(ValidationFailed):
        special.follow_up(actor=admin, case=case, on=dt.date(2024, 6, 1), method="家访", note="正常")  # not released
    special.release(actor=admin, case=case, on=dt.date(2024, 5, 20))
    special.follow_up(actor=admin, case=case, on=dt.date(2024, 8, 20), method="家访", note="正常")

    def fig(key):
        return registry.compute(registry.get(key), registry.Period.year(2024), tree.bureau).display
    assert (fig("special_school.released"), fig("special_school.longest_months_since_release"),
            fig("special_school.correction_rate")) == ("1名", "7个月", "100%")
    special.record_reoffence(actor=admin, case=case, on=dt.date(2024, 11, 2), description="打架", source="派出所")
    assert (fig("special_school.reoffended"), fig("special_school.correction_rate")) == ("1名", "0%")
    assert registry.get("special_school.released").records is None  # no drill-down that would name anyone
