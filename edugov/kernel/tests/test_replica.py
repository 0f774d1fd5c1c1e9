"""Which database a read goes to when the deployment has a replica (kernel.replica). The replica
itself, streaming from a real primary behind PgBouncer, is exercised by scripts/cluster.py in CI;
here the decisions: the replica only for the marked pages, never inside a transaction, never for a
person who has just written, and the page says where its figures come from."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from edugov.kernel import replica

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings):
    # The router only asks whether the alias is configured; no query is sent to it in these tests.
    settings.DATABASES = {**settings.DATABASES, replica.ALIAS: {**settings.DATABASES["default"]}}
    return settings


def _seen() -> str | None:
    return replica.ReplicaRouter().db_for_read(None)


def test_reads_go_to_the_replica_only_inside_a_marked_page(with_replica):
    router = replica.ReplicaRouter()
    assert _seen() is None  # an ordinary page: the primary
    with replica.replica_reads():
        assert _seen() == replica.ALIAS  # the figures, reports, open data and public listings
    assert router.db_for_write(None) == "default" and router.allow_migrate(replica.ALIAS, "cases") is False


def test_reads_inside_a_transaction_stay_on_the_primary(with_replica, db):
    with replica.replica_reads(), transaction.atomic():  # an action's checks and select_for_update
        assert _seen() is None


def test_without_a_replica_every_read_is_the_primarys(settings):
    assert replica.ALIAS not in settings.DATABASES
    with replica.replica_reads():
        assert _seen() is None
        assert replica.freshness().replica is False


def test_a_person_who_has_just_written_reads_the_primary(with_replica):
    seen: list[str | None] = []

    @replica.reads_replica
    def page(request):
        seen.append(_seen())
        return HttpResponse("ok")

    factory = RequestFactory()
    page(factory.get("/open/data/"))
    wrote = factory.get("/open/data/")
    wrote.COOKIES[replica.RECENT_WRITE_COOKIE] = "1"
    page(wrote)
    assert seen == ["replica", None]

    middleware = replica.RecentWriteMiddleware(lambda request: HttpResponse(status=302))
    assert replica.RECENT_WRITE_COOKIE in middleware(factory.post("/complaints/new/")).cookies
    assert replica.RECENT_WRITE_COOKIE not in middleware(factory.get("/open/")).cookies
    refused = replica.RecentWriteMiddleware(lambda request: HttpResponse(status=400))
    assert replica.RECENT_WRITE_COOKIE not in refused(factory.post("/complaints/new/")).cookies


def test_the_open_data_page_says_its_figures_are_live_without_a_replica(client, db):
    text = client.get("/open/data/").content.decode()
    assert 'id="freshness"' in text and "从主库实时统计" in text
