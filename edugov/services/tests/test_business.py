"""The business environment (issue 31): policies sent to the district's private institutions and
free training for their staff, entered once, counted per kind of institution."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from edugov.accounts.models import Role
from edugov.kernel.errors import ValidationFailed
from edugov.metrics import registry
from edugov.registries.models import Institution
from edugov.services import actions
from edugov.services.models import FreeTraining


def test_outreach_and_free_training_are_counted_per_kind(tree, make_user, client):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    tree.school.is_private = True
    tree.school.save(update_fields=["is_private"])
    inst = Institution.objects.create(organisation=tree.bureau, name="甲区培训", credit_code="52500000MJ00000001",
                                      kind="academic")
    far = Institution.objects.create(organisation=tree.other_bureau, name="乙区培训", credit_code="52500000MJ00000002",
                                     kind="academic")
    sent = {"actor": staff, "organisation": tree.bureau, "sent_on": dt.date(2024, 3, 12), "topic": "tax",
            "title": "增值税减免政策", "channel": "宣讲会"}
    with pytest.raises(ValidationFailed):  # a public school is not a private institution
        actions.outreach_record(**sent, schools=[tree.other_school])
    with pytest.raises(ValidationFailed):  # another district's institution
        actions.outreach_record(**sent, institutions=[far])
    with pytest.raises(ValidationFailed):  # to nobody
        actions.outreach_record(**sent)
    actions.outreach_record(**sent, schools=[tree.school], institutions=[inst])
    with pytest.raises(ValidationFailed):
        actions.outreach_record(**sent, schools=[tree.school])
    training = {"actor": staff, "organisation": tree.bureau, "held_on": dt.date(2024, 4, 9), "title": "举办者培训",
                "audience": "founders", "institution_type": "training", "trainees": 12, "institutions": 10,
                "hours": Decimal(3)}
    actions.training_record(**training)
    with pytest.raises(ValidationFailed):
        actions.training_record(**training)
    with pytest.raises(ValidationFailed) as more:
        actions.training_record(**{**training, "title": "另一期", "institutions": 13})
    assert more.value.field == "institutions" and FreeTraining.objects.count() == 1

    period = registry.Period.year(2024)

    def fig(key):
        return registry.compute(registry.get(key), period, tree.bureau).display
    assert (fig("business_env.outreach"), fig("business_env.reached.private_schools"),
            fig("business_env.reached.kindergartens"), fig("business_env.reached.training_institutions")) \
        == ("1次", "1所", "0所", "1家")
    assert (fig("business_env.trainees"), fig("business_env.trainees.founders"), fig("business_env.trainees.guards"),
            fig("business_env.trainees.from_training")) == ("12人次", "12人次", "0人次", "12人次")

    client.force_login(staff)
    html = client.get(reverse("services:business") + "?year=2024").content.decode()
    assert "增值税减免政策" in html and "举办者培训" in html and "覆盖校外培训机构" in html
    again = client.post(reverse("services:business_add", args=["training"]), {
        "training-held_on": "2024-04-09", "training-title": "举办者培训", "training-audience": "founders",
        "training-institution_type": "training", "training-trainees": "12", "training-institutions": "10",
        "training-hours": "3"})
    assert again.status_code == 400 and "不重复计算" in again.content.decode()
    assert client.get(reverse("services:business") + "?year=2024&export=xlsx").status_code == 200
    client.force_login(make_user(Role.SCHOOL_ADMIN, tree.school_org))
    assert client.get(reverse("services:business")).status_code == 403
