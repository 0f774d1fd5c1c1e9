"""Issue 11, bad input: schemathesis generates requests from /api/v1/openapi.json, as an anonymous
visitor and as a signed-in leader, for a bounded number of examples per operation: no 5xx, and
every response matches the schema."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from edugov.accounts.models import Role

EXAMPLES = 25


@pytest.fixture
def in_process(db):
    # In-process WSGI calls, as Django's own test client makes them: the test's transaction keeps
    # its connection (the handler would otherwise close it at the end of each request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_api_never_fails_and_keeps_its_schema(in_process, tree, make_user, client):
    client.force_login(make_user(Role.BUREAU_LEADER, tree.bureau))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", in_process)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5  # the audit, draws and metrics endpoints
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            for headers in ({}, {"Cookie": cookie}):
                case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

        run()


ERRORS = {"type": "array", "items": {"type": "object", "required": ["code", "description"],
                                     "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}}
REQUESTS = {"type": "array", "items": {"type": "object"}}
TEXT = {"type": "string", "maxLength": 300}


def _open311_spec():
    """GeoReport v2 as INTERFACES.md describes it (JSON format), for schemathesis."""
    def answers(ok):
        return {str(s): {"description": "", "content": {"application/json": {"schema": ok if s < 300 else ERRORS}}}
                for s in (200, 201, 400, 403, 404)}
    query = [{"name": n, "in": "query", "required": False, "schema": TEXT}
             for n in ("jurisdiction_id", "service_request_id", "service_code", "start_date", "end_date", "status",
                       "api_key")]
    form = {"type": "object", "required": ["service_code", "description"], "properties": dict.fromkeys(("api_key", "service_code", "description", "address_string", "lat", "long", "phone", "first_name", "last_name", "email", "jurisdiction_id"), TEXT)}
    return {"openapi": "3.0.3", "info": {"title": "Open311 GeoReport v2", "version": "2"}, "paths": {
        "/open311/v2/services.json": {"get": {"parameters": query[:1], "responses": answers(REQUESTS)}},
        "/open311/v2/services/{code}.json": {"get": {"parameters": [
            {"name": "code", "in": "path", "required": True, "schema": TEXT}], "responses": answers(
                {"type": "object"})}},
        "/open311/v2/requests.json": {
            "get": {"parameters": query, "responses": answers(REQUESTS)},
            "post": {"parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                     "schema": {"type": "string", "pattern": "^[A-Za-z0-9-]{1,40}$"}}],
                     "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                         "schema": form}}}, "responses": answers(REQUESTS)}},
        "/open311/v2/requests/{rid}.json": {"get": {"parameters": [
            {"name": "rid", "in": "path", "required": True, "schema": TEXT}], "responses": answers(REQUESTS)}},
        "/open311/v2/tokens/{token}.json": {"get": {"parameters": [
            {"name": "token", "in": "path", "required": True, "schema": TEXT}], "responses": answers(REQUESTS)}},
    }}


def test_open311_never_fails_and_answers_in_its_shape(in_process, tree):
    import datetime as dt

    from edugov.accounts.actions import api_key_create
    from edugov.petitions.models import Category, Hotline

    Hotline.objects.create(organisation=tree.bureau, office=tree.dept, opened_on=dt.date(2024, 3, 1))
    category = Category.objects.create(organisation=tree.bureau, name="乱收费")
    _key, secret = api_key_create(actor=None, name="fuzz", organisation=tree.bureau)
    schema = schemathesis.openapi.from_dict(_open311_spec())
    schema.app = in_process
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
            if isinstance(case.body, dict):  # the same request made well-formed, around its generated text
                for name in ("phone", "lat", "long"):
                    case.body.pop(name, None)
                case.body.update(api_key=secret, service_code=str(category.pk), address_string=tree.school.name,
                                 description=(str(case.body.get("description") or "").strip() or "反映问题"))
                case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])

        run()
    from edugov.petitions.models import Petition

    assert Petition.objects.filter(channel="open311").exists()  # the generated requests reached the intake
