"""Personal data is encrypted at rest: what the database holds is never the plaintext."""

import base64
import os

import pytest
from django.db import connection

from edugov.kernel import crypto


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


@pytest.mark.django_db
def test_encrypted_fields_decrypt_on_access_and_never_leak_ciphertext(tree):
    from edugov.registries.models import Person

    Person.objects.create(organisation=tree.bureau, kind="staff", name="李四", identity_number="11010519491231002X",
                          phone="13812345678", gender="F", birth_date="1949-12-31")
    person = Person.objects.get()
    assert "identity_number" in person.__dict__ and person.identity_number == "11010519491231002X"
    row = Person.objects.values_list("phone", flat=True).get()
    assert row == "13812345678" and str(row) == "13812345678" and not isinstance(row, str)
    person.name = "李四四"
    person.save()  # an untouched encrypted field is written back as the same ciphertext
    assert Person.objects.get().phone == "13812345678"


def _spec(*items):
    return ",".join(f"{kid}:{base64.b64encode(key).decode()}" for kid, key in items)


@pytest.mark.django_db
def test_rotatekeys_moves_every_row_to_the_current_key(settings, capsys):
    from django.core.management import call_command
    from django.db import connection

    from edugov.accounts.models import User

    old, new = os.urandom(32), os.urandom(32)
    settings.EDUGOV = {**settings.EDUGOV, "DATA_KEYS": _spec(("old", old))}
    User.objects.create(username="a", phone="13812345678")
    settings.EDUGOV = {**settings.EDUGOV, "DATA_KEYS": _spec(("new", new), ("old", old))}
    call_command("rotatekeys")
    assert "accounts.User: re-encrypted 1" in capsys.readouterr().out
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM accounts_user")
        assert crypto.key_id_of(cur.fetchone()[0]) == "new"
    settings.EDUGOV = {**settings.EDUGOV, "DATA_KEYS": _spec(("new", new))}
    assert User.objects.get().phone == "13812345678"
