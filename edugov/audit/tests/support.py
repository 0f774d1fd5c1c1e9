"""Helpers of the ledger tests: tampering as a database owner would."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def triggers_off():
    """Tampering as a database owner would: bypass the append-only triggers for the block."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")
        else:
            for name in ("audit_entry_no_update", "audit_entry_no_delete", "audit_treehead_no_update",
                         "audit_treehead_no_delete"):
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET session_replication_role = DEFAULT")
