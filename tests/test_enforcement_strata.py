"""Across apps: a valid hotline complaint about an institution puts it in the high-risk stratum of
enforcement's next draw (the registries hook; enforcement never imports petitions)."""

import datetime as dt

from edugov.enforcement import actions
from edugov.enforcement.tests.conftest import enf  # noqa: F401  (fixture)


def test_a_complained_of_institution_is_drawn_from_the_high_risk_stratum(tree, enf, make_user):  # noqa: F811
    from edugov.petitions import actions as hotline_actions
    from edugov.petitions.models import Category, Hotline

    Hotline.objects.create(organisation=tree.bureau, office=tree.dept, opened_on=dt.date(2024, 3, 1))
    category = Category.objects.create(organisation=tree.bureau, name="违规补课")
    target = enf.institutions[10]
    p = hotline_actions.petition_intake(actor=None, organisation=tree.bureau, channel="web", category=category,
                                        description="周末补课", institution=target).petition
    campaign = actions.campaign_create(actor=enf.users[1], organisation=tree.bureau, kind="plan", title="抽查",
                                       matter=enf.matter, starts_on=dt.date.today(), ends_on=dt.date.today())
    assert actions.target_roster(campaign)[1][target.credit_code] == "normal"  # not valid yet: no weight
    hotline_actions.petition_triage(actor=make_user("supervision_staff", tree.dept), petition=p, decision="valid")
    assert actions.target_roster(campaign)[1][target.credit_code] == "high"
