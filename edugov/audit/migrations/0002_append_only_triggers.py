"""Make the ledger append-only in the database itself.

audit_entry: no DELETE; an UPDATE only sets tree_index and leaf_hash once (the sequencer), with
every other column unchanged. audit_treehead: neither UPDATE nor DELETE. On both PostgreSQL
and SQLite; `edugov audit verify` still detects any change made by someone who drops them."""

from django.db import migrations

PG = """
CREATE OR REPLACE FUNCTION edugov_audit_entry_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.tree_index IS NULL AND NEW.tree_index IS NOT NULL
     AND NEW.body = OLD.body AND NEW.action = OLD.action
     AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.target_type = OLD.target_type
     AND NEW.target_id = OLD.target_id AND NEW.organisation_id IS NOT DISTINCT FROM OLD.organisation_id
     AND NEW.request_id = OLD.request_id AND NEW.id = OLD.id THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION USING MESSAGE = 'edugov ledger entries are append-only (' || TG_OP || ' refused)';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION edugov_audit_entry_guard();
CREATE OR REPLACE FUNCTION edugov_audit_head_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = 'edugov tree heads are append-only (' || TG_OP || ' refused)';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER audit_treehead_append_only BEFORE UPDATE OR DELETE ON audit_treehead
  FOR EACH ROW EXECUTE FUNCTION edugov_audit_head_guard();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry;
DROP TRIGGER IF EXISTS audit_treehead_append_only ON audit_treehead;
DROP FUNCTION IF EXISTS edugov_audit_entry_guard();
DROP FUNCTION IF EXISTS edugov_audit_head_guard();
"""
SQLITE = [
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'edugov ledger entries are append-only (DELETE refused)'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry
       WHEN NOT (OLD.tree_index IS NULL AND NEW.tree_index IS NOT NULL AND NEW.body = OLD.body
                 AND NEW.action = OLD.action
                 AND NEW.actor_id IS OLD.actor_id AND NEW.target_type = OLD.target_type
                 AND NEW.target_id = OLD.target_id AND NEW.organisation_id IS OLD.organisation_id
                 AND NEW.request_id = OLD.request_id AND NEW.id = OLD.id)
       BEGIN SELECT RAISE(ABORT, 'edugov ledger entries are append-only (UPDATE refused)'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_treehead_no_delete BEFORE DELETE ON audit_treehead
       BEGIN SELECT RAISE(ABORT, 'edugov tree heads are append-only (DELETE refused)'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_treehead_no_update BEFORE UPDATE ON audit_treehead
       BEGIN SELECT RAISE(ABORT, 'edugov tree heads are append-only (UPDATE refused)'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_entry_no_delete", "DROP TRIGGER IF EXISTS audit_entry_no_update",
               "DROP TRIGGER IF EXISTS audit_treehead_no_delete", "DROP TRIGGER IF EXISTS audit_treehead_no_update"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG)
    elif vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
