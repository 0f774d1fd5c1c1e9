"""Issue 23: witnesses, database time, quarantine, key rotation, domain replay. Each attack of the
review is repeated here on a small ledger (tests/test_ledger_attacks.py repeats them on a copy of
the demo district) and must fail `audit verify` with a reason that names it."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection

from edugov.accounts.models import Role
from edugov.audit import actions, ledger, merkle, note, signing, witnessing
from edugov.audit.models import Cosignature, Entry, Quarantine, TreeHead, TreeNode, TreeState
from edugov.audit.verify import verify
from edugov.audit.witness import Witness
from edugov.kernel import ledger_port

from . import rfc9162
from .support import triggers_off

ledger_port.declare("test", ("i", "phone"))
pytestmark = pytest.mark.django_db

SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
SPEC_NOTE = ("This is an example message.\n\n\u2014 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONnc"
             "AlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n")


def _write(n, tree, start=0, offer=True):
    """n entries, integrated and offered to the configured witnesses (as the beat task does)."""
    for i in range(start, start + n):
        ledger.record(actor=None, action="test.write", target_type="t", target_id=str(i), organisation=tree.bureau,
                      after={"i": i})
    ledger.integrate()
    if offer:
        witnessing.offer_all()


@pytest.fixture
def city(tmp_path, settings):
    """The city bureau's witness, in a folder of its own, configured for this ledger."""
    w = Witness.init(tmp_path / "city-witness", "city.example/witness", "示范市教育局")
    w.follow(witnessing.origin(), witnessing.log_vkey())
    settings.EDUGOV = {**settings.EDUGOV, "AUDIT_WITNESSES": [{"label": "示范市教育局", "dir": str(w.dir),
                                                               "vkey": w.vkey}]}
    return w


# -- formats --------------------------------------------------------------------------------------

def test_notes_verify_the_specifications_own_example():
    key = note.parse_vkey(SPEC_VKEY)
    text, sigs = note.split(SPEC_NOTE)
    assert note.verified(text, sigs, key) == 0
    with pytest.raises(note.NoteError, match="does not verify"):
        note.verified(text.replace("example", "exemplary"), sigs, key)


def test_consistency_verification_agrees_with_the_rfc_for_every_pair_of_sizes():
    leaves = [merkle.leaf_hash(str(i).encode()) for i in range(33)]
    bodies = [str(i).encode() for i in range(33)]
    for n in range(1, 34):
        root_n = rfc9162.mth(bodies[:n])
        for m in range(1, n + 1):
            proof = merkle.consistency_proof(m, leaves[:n])
            root_m = rfc9162.mth(bodies[:m])
            assert merkle.verify_consistency(m, n, root_m, root_n, proof), (m, n)
            if m < n:
                assert not merkle.verify_consistency(m, n, root_m, merkle.leaf_hash(b"x"), proof)
                if proof:
                    bad = [merkle.leaf_hash(b"y")] + proof[1:]
                    assert not merkle.verify_consistency(m, n, root_m, root_n, bad)


# -- the witness ----------------------------------------------------------------------------------

def _request(old, size, proof=()):
    head = TreeHead.objects.get(tree_size=size)
    lines = [f"old {old}"] + [base64.b64encode(p).decode() for p in proof]
    return "\n".join(lines) + "\n\n" + witnessing.checkpoint_note(head)


def test_the_witness_cosigns_consistent_successors_and_refuses_everything_else(tree, city):
    _write(5, tree, offer=False)
    first = ledger.latest_head().tree_size
    answer = city.add_checkpoint(_request(0, first))
    assert answer.status == 200 and answer.body.startswith("\u2014 city.example/witness ")
    text = witnessing.checkpoint(ledger.latest_head()).text
    assert note.verified(text, [note.parse_signature(answer.body)], note.parse_vkey(city.vkey)) > 0

    _write(6, tree, start=5, offer=False)
    second = ledger.latest_head().tree_size
    proof = [bytes.fromhex(h) for h in ledger.consistency(first, second)["consistency"]]
    stale = city.add_checkpoint(_request(0, second))
    assert (stale.status, stale.body, stale.content_type) == (409, f"{first}\n", "text/x.tlog.size")
    wrong = [merkle.leaf_hash(b"forged")] + proof[1:]
    assert city.add_checkpoint(_request(first, second, wrong)).status == 422
    assert city.add_checkpoint(_request(first, second, proof)).status == 200
    # Smaller than what it holds: refused (the old size cannot exceed the checkpoint's).
    assert city.add_checkpoint(_request(second, first)).status == 400
    # A checkpoint this log did not sign, or for a log it does not follow.
    forged = _request(second, second).replace(witnessing.checkpoint(ledger.latest_head()).text,
                                              witnessing.checkpoint(ledger.latest_head()).text.replace("\n", "\n", 1))
    assert city.add_checkpoint(forged.replace("\u2014 " + witnessing.origin(), "\u2014 other.example/log")).status == 403
    other = Witness.init(city.dir.parent / "other", "other.example/witness")
    assert other.add_checkpoint(_request(0, second)).status == 404
    assert note.parse_checkpoint(note.split(city.latest(witnessing.origin()))[0]).size == second


def test_a_forked_tree_is_refused_and_kept_as_evidence(tree, city):
    _write(4, tree, offer=False)
    size = ledger.latest_head().tree_size
    assert city.add_checkpoint(_request(0, size)).ok
    head = ledger.latest_head()
    fork = witnessing.checkpoint(head).text.replace(
        base64.b64encode(bytes.fromhex(head.root_hash)).decode(), base64.b64encode(b"\x01" * 32).decode())
    body = f"old {size}\n\n" + fork + "\n" + note.sign(fork, witnessing.origin(), signing.private_key()).line()
    answer = city.add_checkpoint(body)
    assert answer.status == 422 and "forked" in answer.body
    assert "a fork" in (city.dir / "refused.jsonl").read_text(encoding="utf-8")


def test_an_edugov_instance_serves_the_witness_protocol_over_http(tree, city, client, settings):
    settings.EDUGOV = {**settings.EDUGOV, "WITNESS_DIR": str(city.dir)}
    _write(3, tree, offer=False)
    size = ledger.latest_head().tree_size
    response = client.post("/witness/add-checkpoint", data=_request(0, size), content_type="text/plain")
    assert response.status_code == 200 and response.content.decode().startswith("\u2014 city.example/witness")
    again = client.post("/witness/add-checkpoint", data=_request(0, size), content_type="text/plain")
    assert again.status_code == 409 and again.content == f"{size}\n".encode()
    from edugov.audit.witness import origin_hash

    served = client.get(f"/witness/{origin_hash(witnessing.origin())}/checkpoint")
    assert served.status_code == 200 and f"\n{size}\n" in served.content.decode()
    assert client.get(f"/witness/{'0' * 64}/checkpoint").status_code == 404
    settings.EDUGOV = {**settings.EDUGOV, "WITNESS_DIR": ""}
    assert client.post("/witness/add-checkpoint", data="x", content_type="text/plain").status_code == 404


# -- the ledger's side -----------------------------------------------------------------------------

def test_each_write_is_offered_to_a_folder_witness_and_published_with_its_cosignature(
        tree, city, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the embedded default: right after the commit
        ledger.record(actor=None, action="test.write", target_type="t", target_id="1", organisation=tree.bureau,
                      after={"i": 1})
    head = ledger.latest_head()
    assert Cosignature.objects.filter(tree_size=head.tree_size).exists()
    published = client.get("/api/v1/audit/checkpoint").content.decode()
    text, sigs = note.split(published)
    assert note.verified(text, sigs, note.parse_vkey(city.vkey)) > 0
    assert note.verified(text, sigs, note.parse_vkey(witnessing.log_vkey())) == 0
    page = client.get("/audit/public/").content.decode()
    assert "示范市教育局" in page and signing.fingerprint() in page and str(head.tree_size) in page


def test_rollback_fails_verify_naming_the_witness_and_the_sizes(tree, city, audit_verify):
    """Attack 1: delete the newest entries together with the newest heads (and the tree's own
    state, as a careful administrator would): verify used to say OK."""
    _write(6, tree)
    kept = ledger.latest_head().tree_size
    _write(5, tree, start=6)
    full = ledger.latest_head()
    assert audit_verify()[0] == 0
    with triggers_off(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_entry WHERE tree_index >= %s", [kept])
        cur.execute("DELETE FROM audit_treehead WHERE tree_size > %s", [kept])
        cur.execute("DELETE FROM audit_cosignature WHERE tree_size > %s", [kept])
    TreeNode.objects.filter(level__gt=0).delete()
    TreeState.objects.all().delete()
    assert verify().ok  # the ledger alone cannot tell
    status, _out, err = audit_verify()
    assert status == 1
    assert f"witness 示范市教育局 cosigned a tree of {full.tree_size} entries (root {full.root_hash})" in err
    assert f"newest signed head has {kept} entries" in err and "rollback" in err


def test_a_rewritten_history_fails_against_the_witness_even_when_re_signed(tree, city, audit_verify):
    """A fork: the history is rewritten and every head re-signed with the (stolen) key; the ledger
    is self-consistent, the witness still holds the old root."""
    _write(5, tree)
    witnessed = ledger.latest_head()
    victim = Entry.objects.get(tree_index=2)
    forged = victim.body.replace('"i":2', '"i":99')
    with triggers_off(), connection.cursor() as cur:
        cur.execute("UPDATE audit_entry SET body = %s, leaf_hash = %s WHERE id = %s",
                    [forged, merkle.leaf_hash(forged.encode()), victim.pk])
        leaves = [bytes(h) for h in Entry.objects.order_by("tree_index").values_list("leaf_hash", flat=True)]
        for head in TreeHead.objects.all():
            root = merkle.root(leaves[:head.tree_size]).hex()
            cur.execute("UPDATE audit_treehead SET root_hash = %s, signature = %s WHERE id = %s",
                        [root, signing.sign_head(head.tree_size, root, head.timestamp), head.pk])
    assert verify().ok  # re-signed with the same key: only a witness can tell
    status, _out, err = audit_verify()
    assert status == 1
    assert f"differs from the root {witnessed.root_hash} that witness 示范市教育局 cosigned" in err


def test_verify_names_a_witness_it_cannot_believe(tree, city, audit_verify, settings):
    _write(2, tree)
    impostor = Witness.init(city.dir.parent / "impostor", "city.example/witness")
    settings.EDUGOV = {**settings.EDUGOV, "AUDIT_WITNESSES": [{"label": "示范市教育局", "dir": str(city.dir),
                                                               "vkey": impostor.vkey}]}
    status, _out, err = audit_verify()
    assert status == 1 and "no cosignature of its pinned key" in err


# -- database time and backdating ----------------------------------------------------------------

def test_entries_are_dated_by_the_database_and_keep_the_acts_own_time(tree):
    import time_machine

    with time_machine.travel(dt.datetime(2031, 5, 1, 9, tzinfo=dt.UTC), tick=False):
        ledger.record(actor=None, action="test.write", target_type="t", target_id="1", organisation=tree.bureau,
                      at=dt.datetime(2024, 3, 1, 8, tzinfo=dt.UTC), after={"i": 1})
    body = json.loads(Entry.objects.get().body)
    assert body["v"] == 2 and body["acted_at"] == "2024-03-01T08:00:00.000000+00:00"
    recorded = dt.datetime.fromisoformat(body["time"])
    assert abs(recorded - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)  # the database's clock, not Python's


def test_a_backdated_row_is_quarantined_listed_and_released_only_by_a_recorded_act(tree, audit_verify, make_user):
    """Attack 2: a row inserted as pending with a 2024 time in its body used to be integrated and
    signed by the next run."""
    _write(3, tree)
    size = ledger.latest_head().tree_size
    backdated = ('{"v":1,"action":"test.write","actor":null,"org":null,"target":["t","x"],"request_id":"",'
                 '"time":"2024-02-01T09:00:00.000000+00:00","after":{"i":7}}')
    with connection.cursor() as cur:
        cur.execute("INSERT INTO audit_entry (action, target_type, target_id, request_id, body) "
                    "VALUES ('test.write', 't', 'x', '', %s)", [backdated])
    ledger.integrate()
    assert ledger.latest_head().tree_size == size  # not integrated
    q = Quarantine.objects.get()
    assert "2024-02-01T09:00:00.000000Z" in q.reason and "earlier than the newest signed tree head" in q.reason
    status, _out, err = audit_verify()
    assert status == 1 and f"entry id {q.entry_id}" in err and "quarantined" in err
    # Marking it released in the table is not a release.
    Quarantine.objects.filter(pk=q.pk).update(released=True)
    status, _out, err = audit_verify()
    assert status == 1 and "without a recorded release" in err
    Quarantine.objects.filter(pk=q.pk).update(released=False)
    from edugov.kernel.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.release(actor=make_user(Role.DEPARTMENT_STAFF, tree.dept), entry_id=q.entry_id, reason="long import job")
    admin = make_user(Role.SYSADMIN, tree.bureau)
    actions.release(actor=admin, entry_id=q.entry_id, reason="a legitimate write held by a long transaction")
    ledger.integrate()
    assert Entry.objects.get(pk=q.entry_id).tree_index is not None
    assert Entry.objects.filter(action="audit.release", target_id=str(q.entry_id)).exists()
    assert audit_verify()[0] == 0


def test_a_long_transaction_within_the_tolerance_is_integrated(tree):
    _write(2, tree)
    ledger.record(actor=None, action="test.write", target_type="t", target_id="late", organisation=tree.bureau,
                  after={"i": 3})
    ledger.integrate()
    assert not Quarantine.objects.exists() and Entry.objects.filter(tree_index__isnull=True).count() == 0


# -- key rotation --------------------------------------------------------------------------------

def test_a_rotation_is_recorded_and_endorsed_by_the_old_key(tree, audit_verify, tmp_path):
    _write(3, tree)
    old = signing.fingerprint()
    call_command("audit", "keygen", "--rotate")
    entry = Entry.objects.get(action="audit.key_rotate")
    after = json.loads(entry.body)["after"]
    assert after["old_key"] == old and after["new_key"] == signing.fingerprint()
    assert TreeHead.objects.filter(tree_size__gt=entry.tree_index).order_by("tree_size").first().key_id == old[:16]
    _write(2, tree, start=3)
    assert audit_verify()[0] == 0
    # A key swapped in without a recorded rotation: its heads fail.
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.EDUGOV["SIGNING_KEY_FILE"])
    signing.retire_current_key()
    path.unlink()
    signing._load.cache_clear()
    signing.generate_key_file(path)
    signing._load.cache_clear()
    _write(1, tree, start=9)
    status, _out, err = audit_verify()
    assert status == 1 and "which no recorded key rotation endorsed" in err


def test_backups_leave_the_private_signing_key_out_in_production(tree, settings):
    """Pinned keys: a backup holds the public halves (to verify a restore), never the key that signs."""
    from pathlib import Path

    from edugov.audit import backup

    _write(1, tree, offer=False)
    settings.EDUGOV = {**settings.EDUGOV, "DEMO": False}
    keys = backup._keys()
    private = Path(settings.EDUGOV["SIGNING_KEY_FILE"]).read_text()
    assert private not in keys["pem_files"].values() and keys["signing_key_file"] == ""
    assert keys["pem_files"][f"{signing.key_id()}.pub.pem"] == signing.public_key_pem()
    settings.EDUGOV = {**settings.EDUGOV, "DEMO": True}
    assert private in backup._keys()["pem_files"].values()  # the demo's key lives in var/ anyway
