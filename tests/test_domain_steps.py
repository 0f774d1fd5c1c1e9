"""A case whose kind's steps belong to a domain app (a licence, a penalty, a complaint, an
enrollment application) changes state only through that app's actions: the engine's generic step
URL would skip what they check (a licence approved without its decision, certificate or
publication was possible through it). Generated from every case of the records table and every
step its workflow declares, posted by staff holding every role of the district."""

from __future__ import annotations

import pytest

from edugov.accounts.models import Grant, Role, User
from edugov.cases import presentation
from edugov.cases.models import Case

pytestmark = pytest.mark.django_db


def test_a_domain_cases_steps_are_refused_at_the_generic_step_url(records, tree, client):
    everyone = User.objects.create_user(username="all-roles", password="Pass-word-2024")  # noqa: S106
    for role in Role:
        for org in (tree.bureau, tree.dept, tree.sibling_dept, tree.school_org):
            Grant.objects.create(user=everyone, role=role, organisation=org)
    client.force_login(everyone)
    domain_cases = [c for c in Case.objects.all() if (p := presentation.of(c.kind)) is not None and p.step_url]
    kinds = {c.kind for c in domain_cases}
    assert {"service", "penalty", "enrollment", "complaint"} <= kinds, kinds
    tried = 0
    for case in domain_cases:
        for t in case.workflow.transitions:
            data = {f"{t.name}-version": case.version, f"{t.name}-confirmed": "on", f"{t.name}-note": "x",
                    **{f"{t.name}-{k}": "x" for k in t.required}}
            response = client.post(f"/cases/{case.pk}/steps/{t.name}/", data)
            assert response.status_code == 404, (case.kind, t.name, response.status_code)
            tried += 1
        assert Case.objects.get(pk=case.pk).state == case.state
    assert tried > 30


def test_a_kind_without_a_domain_page_still_takes_its_steps_there(records, tree, client, make_user):
    case = Case.objects.get(kind="testcase")
    client.force_login(records["cases:detail"][1])
    t = case.workflow.available_from(case.state)[0]
    data = {f"{t.name}-version": case.version, f"{t.name}-confirmed": "on",
            **{f"{t.name}-{k}": "x" for k in t.required}}
    response = client.post(f"/cases/{case.pk}/steps/{t.name}/", data)
    assert response.status_code == 302 and Case.objects.get(pk=case.pk).state == t.target
