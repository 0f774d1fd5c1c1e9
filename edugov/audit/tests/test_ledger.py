import base64
import hashlib
import json

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from edugov.audit import ledger, merkle, signing
from edugov.audit.models import Entry, TreeHead
from edugov.audit.verify import verify
from edugov.kernel import ledger_port

from . import rfc9162
from .support import triggers_off

ledger_port.declare("test", ("i", "phone"))  # what these tests record


def _entries(n, tree):
    for i in range(n):
        ledger.record(actor=None, action="test.write", target_type="t", target_id=str(i), organisation=tree.bureau,
                      after={"i": i, "phone": "13812345678"})
    ledger.integrate(batch=7)


@pytest.mark.django_db
def test_integrated_tree_matches_rfc_and_heads_are_signed(tree):
    _entries(20, tree)
    bodies = [e.body.encode() for e in Entry.objects.order_by("tree_index")]
    head = TreeHead.objects.latest()
    assert head.tree_size == Entry.objects.count()
    assert head.root_hash == rfc9162.mth(bodies).hex()
    assert signing.verify_head(head.tree_size, head.root_hash, head.timestamp, head.signature)
    assert not signing.verify_head(head.tree_size, head.root_hash, head.timestamp + "x", head.signature)
    result = verify()
    assert result.ok and result.tree_size == head.tree_size and result.root_hex == head.root_hash


@pytest.mark.django_db
def test_personal_data_never_enters_the_ledger_in_clear(tree):
    _entries(1, tree)
    assert "13812345678" not in Entry.objects.get().body


@pytest.mark.django_db
def test_database_refuses_update_and_delete_of_entries(tree):
    _entries(3, tree)
    entry = Entry.objects.order_by("tree_index").first()
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(body=entry.body.replace("test.write", "test.other"))
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).delete()
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        TreeHead.objects.all().delete()


@pytest.mark.django_db
def test_verify_names_an_edited_entry(tree):
    _entries(12, tree)
    victim = Entry.objects.get(tree_index=5)
    with triggers_off():
        Entry.objects.filter(pk=victim.pk).update(body=victim.body.replace('"i":5', '"i":55'))
    result = verify()
    assert not result.ok and result.bad_index == 5 and "index 5" in result.problem


@pytest.mark.django_db
def test_verify_names_a_deleted_entry(tree):
    _entries(12, tree)
    with triggers_off():
        Entry.objects.filter(tree_index=7).delete()
    result = verify()
    assert not result.ok and result.bad_index == 7 and "deleted" in result.problem


@pytest.mark.django_db
def test_verify_names_the_first_of_two_swapped_entries(tree):
    _entries(12, tree)
    a, b = Entry.objects.get(tree_index=3), Entry.objects.get(tree_index=4)
    with triggers_off():
        for src, dst in ((a, b), (b, a)):
            Entry.objects.filter(pk=dst.pk).update(body=src.body, target_id=src.target_id)
    result = verify()
    assert not result.ok and result.bad_index == 3


@pytest.mark.django_db
def test_verify_catches_a_rewrite_that_also_fixed_the_leaf_hash(tree):
    _entries(12, tree)
    victim = Entry.objects.get(tree_index=9)
    forged = victim.body.replace('"i":9', '"i":99')
    with triggers_off():
        Entry.objects.filter(pk=victim.pk).update(body=forged, leaf_hash=merkle.leaf_hash(forged.encode()))
    result = verify()
    assert not result.ok and "signed tree head" in result.problem and result.bad_index is not None
    assert result.bad_index <= 9


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_no_entry(tree):
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger.record(actor=None, action="test.write", target_type="t", target_id="x")
        raise RuntimeError
    assert not Entry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_commands_and_public_key_endpoint(tree, client, capsys):
    from cryptography.hazmat.primitives.serialization import load_pem_public_key
    from django.core.management import call_command

    _entries(10, tree)
    call_command("audit", "verify")
    out = capsys.readouterr().out.split()
    head = TreeHead.objects.latest()
    assert out == ["OK", str(head.tree_size), head.root_hash]

    call_command("audit", "tree-head", "--json")
    th = json.loads(capsys.readouterr().out)
    pem = client.get("/api/v1/audit/public-key").content
    pub = load_pem_public_key(pem)
    assert signing.verify_head(th["tree_size"], th["root_hash"], th["timestamp"], th["signature"], pub)
    assert th["key_id"] == signing.key_id(pub)

    call_command("audit", "export", "--jsonl")
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["index"] for x in lines] == list(range(head.tree_size))
    leaves = [base64.b64decode(x["leaf"]) for x in lines]
    assert rfc9162.mth(leaves).hex() == head.root_hash

    call_command("audit", "prove", "4")
    p = json.loads(capsys.readouterr().out)
    assert p["tree_size"] == head.tree_size and p["root_hash"] == head.root_hash
    assert rfc9162.verify_inclusion(4, p["tree_size"], hashlib.sha256(b"\x00" + leaves[4]).digest(),
                                    [bytes.fromhex(h) for h in p["audit_path"]], bytes.fromhex(p["root_hash"]))
    api = client.get("/api/v1/audit/proof/4").json()
    assert api == p


@pytest.mark.django_db
@pytest.mark.parametrize("chunk", [1, 2, 4, 8])
def test_streaming_verify_checks_every_head_across_chunk_boundaries(tree, monkeypatch, chunk):
    from edugov.audit import verify as verify_module

    monkeypatch.setattr(verify_module._HeadChecker, "CHUNK", chunk)
    _entries(30, tree)  # heads at 7, 14, 21, 28 and 30 (batch of 7)
    assert list(TreeHead.objects.values_list("tree_size", flat=True)) == [7, 14, 21, 28, 30]
    result = verify()
    assert result.ok and result.tree_size == 30
    victim = Entry.objects.get(tree_index=13)
    forged = victim.body.replace('"i":13', '"i":31')
    with triggers_off():
        Entry.objects.filter(pk=victim.pk).update(body=forged, leaf_hash=merkle.leaf_hash(forged.encode()))
    result = verify()
    assert not result.ok and "7..13" in result.problem


@pytest.mark.django_db
def test_verify_names_an_entry_whose_queried_column_was_changed(tree):
    _entries(6, tree)
    with triggers_off():
        Entry.objects.filter(tree_index=2).update(action="test.innocent")
    result = verify()
    assert not result.ok and result.bad_index == 2 and "columns" in result.problem


def test_compact_range_appends_aligned_subtrees():
    leaves = [merkle.leaf_hash(bytes([i])) for i in range(24)]
    cr = merkle.CompactRange()
    cr.append_subtree(merkle.root(leaves[:16]), 16)
    cr.append_subtree(merkle.root(leaves[16:24]), 8)
    assert cr.root() == merkle.root(leaves) and cr.size == 24
    with pytest.raises(ValueError):
        cr.append_subtree(merkle.root(leaves[:16]), 16)  # 24 is not a multiple of 16


@pytest.fixture
def small_streams(monkeypatch):
    """Groups of 3 entries, ranges of 6 and chunks of 4: every boundary is crossed."""
    from edugov.audit import verify as verify_module

    if connection.vendor != "postgresql":
        pytest.skip("the streaming pass is PostgreSQL's")
    monkeypatch.setattr(verify_module, "GROUP", 3)
    monkeypatch.setattr(verify_module, "RANGE", 6)
    monkeypatch.setattr(verify_module._HeadChecker, "CHUNK", 4)
    return verify_module


@pytest.mark.django_db(transaction=True)
def test_the_streaming_pass_itself_accepts_an_intact_ledger(tree, small_streams):
    _entries(40, tree)
    result = small_streams._verify_streaming(None)
    assert result is not None and result.ok and result.tree_size == 40


@pytest.mark.django_db(transaction=True)
def test_the_streaming_pass_hands_tampering_to_the_detailed_pass(tree, small_streams):
    _entries(40, tree)
    victim = Entry.objects.get(tree_index=22)
    forged = victim.body.replace('"i":22', '"i":99')
    with triggers_off():
        Entry.objects.filter(pk=victim.pk).update(body=forged, leaf_hash=merkle.leaf_hash(forged.encode()))
    assert small_streams._verify_streaming(None) is None
    result = verify()
    # each committed entry was integrated on its own here, so its signed head pins it exactly
    assert not result.ok and result.bad_index == 22 and "22..22" in result.problem


@pytest.mark.django_db(transaction=True)
def test_a_whole_deleted_range_is_named_and_nothing_hangs(tree, small_streams):
    _entries(40, tree)
    with triggers_off():
        Entry.objects.filter(tree_index__gte=12, tree_index__lt=18).delete()
    result = verify()
    assert not result.ok and result.bad_index == 12 and "deleted" in result.problem


@pytest.mark.django_db
def test_heads_signed_before_a_key_rotation_still_verify(tree, capsys):
    from django.core.management import call_command

    _entries(5, tree)
    old_id = TreeHead.objects.latest().key_id
    call_command("audit", "keygen", "--rotate")
    assert signing.key_id() != old_id
    _entries(3, tree)
    assert TreeHead.objects.latest().key_id == signing.key_id()
    assert verify().ok


@pytest.mark.django_db
def test_proofs_come_from_stored_nodes_and_match_the_leaves(tree, django_assert_max_num_queries):
    """Issue 23 (proofs that scale): an inclusion or consistency proof reads a few stored nodes, not
    every leaf, and equals the proof computed from all the leaves."""
    for i in range(300):
        ledger.record(actor=None, action="test.write", target_type="t", target_id=str(i), organisation=tree.bureau,
                      after={"i": i})
    ledger.integrate()
    leaves = ledger.leaf_hashes(300)
    for index in (0, 1, 150, 255, 256, 299):
        with django_assert_max_num_queries(12):  # the head, the leaves, a few levels of nodes
            proof = ledger.inclusion_proof(index, 300)
        assert proof["audit_path"] == [h.hex() for h in merkle.inclusion_path(index, leaves)]
        assert proof["root_hash"] == merkle.root(leaves).hex()
    for first in (1, 64, 200, 300):
        with django_assert_max_num_queries(12):
            got = ledger.consistency(first, 300)
        assert got["consistency"] == [h.hex() for h in merkle.consistency_proof(first, leaves)]
        assert got["first_root"] == merkle.root(leaves[:first]).hex()


@pytest.mark.django_db
def test_the_public_proof_endpoint_is_rate_limited(tree, client, settings):
    from django.core.cache import cache

    settings.EDUGOV = {**settings.EDUGOV, "RATE_LIMITS": {**settings.EDUGOV["RATE_LIMITS"], "proof": "3/m"}}
    cache.clear()
    for i in range(4):
        ledger.record(actor=None, action="test.write", target_type="t", target_id=str(i), after={"i": i})
    ledger.integrate()
    answers = [client.get("/api/v1/audit/proof/1") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429] and answers[3]["Retry-After"]


@pytest.mark.django_db
def test_a_history_re_signed_with_another_key_fails_when_the_key_is_pinned(tree, settings):
    """Issue 23, attack 3: whoever can write the key folder makes a new key and re-signs every head;
    unpinned, verify cannot tell. With the original key's fingerprint pinned (in the environment,
    outside the data directory) it fails and says why."""
    from django.core.management import call_command

    _entries(6, tree)
    original = signing.fingerprint()
    call_command("audit", "keygen", "--rotate")  # the attacker's key, its public half beside the data
    with triggers_off():
        for head in TreeHead.objects.all():
            TreeHead.objects.filter(pk=head.pk).update(
                signature=signing.sign_head(head.tree_size, head.root_hash, head.timestamp), key_id=signing.key_id())
    assert verify().ok  # the attack works against an unpinned verifier
    settings.EDUGOV = {**settings.EDUGOV, "AUDIT_PINNED_KEYS": [original]}
    result = verify()
    assert not result.ok and "not pinned" in result.problem and signing.key_id() in result.problem
    settings.EDUGOV = {**settings.EDUGOV, "AUDIT_PINNED_KEYS": [original, signing.fingerprint()]}
    assert verify().ok  # a rotation the operator made is pinned beside the old key


def test_production_refuses_a_signing_key_beside_the_data_and_an_unpinned_verify(settings, tmp_path):
    from edugov.audit.checks import signing_key_apart_and_pinned

    def ids():
        return {e.id for e in signing_key_apart_and_pinned()}

    settings.VAR_DIR = tmp_path / "var"
    settings.EDUGOV = {**settings.EDUGOV, "SIGNING_KEY_FILE": str(tmp_path / "var" / "keys" / "k.pem"),
                       "AUDIT_PINNED_KEYS": []}
    assert ids() == {"edugov.E004", "edugov.E005"}
    key = tmp_path / "etc" / "k.pem"
    signing.generate_key_file(key)
    settings.EDUGOV = {**settings.EDUGOV, "SIGNING_KEY_FILE": str(key), "AUDIT_PINNED_KEYS": ["0" * 64]}
    assert ids() == {"edugov.E006"}  # the key in use is not the pinned one: every new head would fail
    settings.EDUGOV = {**settings.EDUGOV, "AUDIT_PINNED_KEYS": [signing.fingerprint()]}
    assert ids() == set()
