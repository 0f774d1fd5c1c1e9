"""Personal data is encrypted at rest: what the database holds is never the plaintext."""

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
