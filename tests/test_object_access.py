"""Issue 11, access: every URL that names one record (an `<int:…>` in its route), generated from
the URL configuration, opened by staff of every role of ANOTHER district, is refused; opened by
the one who works on it, it answers. A new such route without an entry here fails the test."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from edugov.accounts.models import Role
from tests.workflow_fixture import TEST_WORKFLOW  # noqa: F401  (registers kind "testcase")

# published on purpose (test_url_access); a published item's application form is for anyone signed in
PUBLIC = {"enforcement:public_result", "reports:public_pdf", "services:guide", "services:apply",
          "enrollment:policy", "enrollment:apply", "enrollment:apply_draft", "enrollment:results", "enrollment:special",
          "legality:public_document", "legality:public_catalogue", "reports:public_ogi"}  # published on purpose (test_url_access)
STAFF_ROLES = [r for r in Role.values if r != Role.LEGAL_VP]


def _routes(resolver=None, prefix="", ns=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p, prefix + str(p.pattern), p.namespace or ns)
        elif isinstance(p, URLPattern) and "<int:" in prefix + str(p.pattern):
            yield f"{ns}:{p.name}", prefix + str(p.pattern)


# Django admin checks is_staff itself (and only the system administrator has it)
ROUTES = sorted(r for r in set(_routes()) if not r[1].startswith("admin/"))


@pytest.mark.parametrize("name, route", ROUTES)
def test_another_district_never_opens_a_record_of_this_one(name, route, records, tree, make_user, client):
    from edugov.registries.models import Person

    if name in ("registries:person", "registries:person_edit"):
        p = Person.objects.get(name="执法甲")
        records[name] = (f"/registries/people/{p.pk}/" + ("edit/" if name.endswith("_edit") else ""),
                         make_user(Role.DEPARTMENT_HEAD, tree.dept))
    assert name in records, f"{route}: add it to the object-access table (records fixture) with its owner"
    path, owner = records[name]
    if name in PUBLIC:
        return  # published on purpose: checked by test_url_access
    post_only = name in ("cases:attach", "cases:comment", "cases:contact", "cases:transition",
                         "cases:reminder_read", "petitions:step", "enforcement:penalty_step", "services:step",
                         "enrollment:step", "enrollment:special_step", "schools:lvp_class", "schools:lvp_evaluate",
                         "schools:lvp_end", "schools:lvp_replace", "schools:special_release",
                         "schools:special_follow_up", "schools:special_reoffence", "schools:education_decide",
                         "reports:save", "reports:submit", "reports:legal_review", "reports:approve",
                         "reports:publish", "oversight:risk_close", "oversight:rectification_close",
                         "oversight:decision_execute", "services:mine_supply", "services:mine_rate",
                         "services:mine_withdraw", "services:item_publish", "services:item_withdraw",
                         "services:counter_visit", "enforcement:inspection_step", "enforcement:campaign_draw", "enforcement:campaign_commit",
                         "enrollment:own_act", "accounts:away_cancel", "legality:step",
                         "remedies:step", "disclosure:step")
    if name == "accounts:away_cancel":
        from edugov.accounts.models import Absence

        for role in STAFF_ROLES:
            client.force_login(make_user(role, tree.other_bureau))
            assert client.post(path, {}).status_code == 404
        assert not Absence.objects.filter(cancelled_at__isnull=False).exists()
        client.force_login(owner)
        client.post(path, {})
        assert Absence.objects.filter(cancelled_at__isnull=False).count() == 1
        return
    if name == "cases:reminder_read":  # acts only on the signed-in user's own reminders, whoever asks
        from edugov.cases.models import Reminder

        for role in STAFF_ROLES:
            client.force_login(make_user(role, tree.other_bureau))
            client.post(path, {})
        assert not Reminder.objects.filter(read_at__isnull=False).exists()
        return
    for role in STAFF_ROLES:
        client.force_login(make_user(role, tree.other_bureau))
        response = client.post(path, {}) if post_only else client.get(path)
        assert response.status_code in (403, 404, 405), f"{role} of another district got {response.status_code} at {path}"
        if post_only:
            assert client.get(path).status_code in (403, 404, 405)
    if not post_only:  # the record is there, and its own people open it
        client.force_login(owner)
        assert client.get(path).status_code == 200, f"{path} refused its own user"
    assert re.search(r"\d", path)
