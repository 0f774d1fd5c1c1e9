import base64
import os

import pytest
from django.db import connection

from edugov.kernel import crypto


def _spec(*items):
    return ",".join(f"{kid}:{base64.b64encode(key).decode()}" for kid, key in items)


def test_round_trip_and_key_rotation(settings):
    old, new = os.urandom(32), os.urandom(32)
    settings.EDUGOV = {**settings.EDUGOV, "DATA_KEYS": _spec(("k1", old))}
    token = crypto.encrypt("500101200901011234")
    assert crypto.key_id_of(token) == "k1" and "500101" not in token
    settings.EDUGOV = {**settings.EDUGOV, "DATA_KEYS": _spec(("k2", new), ("k1", old))}
    assert crypto.decrypt(token) == "500101200901011234"
    assert crypto.key_id_of(crypto.encrypt("x")) == "k2"


def test_blind_index_is_stable_and_purpose_bound():
    a = crypto.blind_index("138 0013 8000", purpose="phone")
    assert a == crypto.blind_index("13800138000", purpose="phone")
    assert a != crypto.blind_index("13800138000", purpose="name")


@pytest.mark.django_db
def test_the_database_holds_no_plaintext_identity_number_or_phone(tree):
    from edugov.registries.models import Person

    p = Person.objects.create(organisation=tree.bureau, kind="staff", name="张三", identity_number="11010519491231002X",
                              phone="13812345678", gender="F", birth_date="1949-12-31")
    with connection.cursor() as cur:
        cur.execute("SELECT identity_number, phone FROM registries_person WHERE id = %s", [p.pk])
        raw = " ".join(cur.fetchone())
    assert "11010519491231002X" not in raw and "13812345678" not in raw
    assert Person.objects.get(pk=p.pk).identity_number == "11010519491231002X"
    assert Person.objects.get(identity_index=crypto.blind_index("11010519491231002x", purpose="identity_number")) == p
