"""Issue 23, done when: the four ways an outside review rewrote the demo's history without
`audit verify` noticing, each repeated on a copy of the demo district (tests/demo_db.py) with the
demo's witness, the city bureau, keeping its state in a folder of its own. Each must make
`edugov audit verify` fail and name the cause; the untouched copy passes `verify --domain`."""

from __future__ import annotations

import base64

import pytest
from django.db import connection

from edugov.audit import ledger, merkle, signing, witnessing
from edugov.audit.models import Entry, TreeHead, TreeNode, TreeState
from edugov.audit.tests.support import triggers_off
from edugov.audit.witness import Witness
from edugov.demo.witness import LABEL, NAME


@pytest.fixture
def copy(demo_rollback, tmp_path, settings):
    """The demo copy (rolled back after the test) and its witness, fed the newest head."""
    city = Witness.init(tmp_path / "var-witness", NAME, LABEL)
    city.follow(witnessing.origin(), witnessing.log_vkey())
    settings.EDUGOV = {**settings.EDUGOV, "AUDIT_WITNESSES": [{"label": LABEL, "dir": str(city.dir),
                                                               "vkey": city.vkey}]}
    ledger.integrate()
    assert witnessing.offer_all() == [f"{LABEL}: cosigned size {ledger.latest_head().tree_size}"]
    return city


def test_the_untouched_copy_passes_verify_with_the_witness_and_the_domain_replay(copy, audit_verify):
    status, out, err = audit_verify("--domain")
    head = ledger.latest_head()
    assert (status, out.strip()) == (0, f"OK {head.tree_size} {head.root_hash}")
    assert f"witnessed: {LABEL} at {head.tree_size}" in err


def test_attack_1_rollback_of_entries_and_heads(copy, audit_verify):
    witnessed = ledger.latest_head()
    cut = witnessed.tree_size - 40
    with triggers_off(), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_entry WHERE tree_index >= %s", [cut])
        cur.execute("DELETE FROM audit_treehead WHERE tree_size > %s", [cut])
        cur.execute("DELETE FROM audit_cosignature")
    TreeNode.objects.all().delete()
    TreeState.objects.all().delete()
    status, _out, err = audit_verify()
    assert status == 1
    assert f"witness {LABEL} cosigned a tree of {witnessed.tree_size} entries (root {witnessed.root_hash})" in err
    assert "rollback" in err


def test_attack_2_a_backdated_row_is_quarantined_not_signed(copy, audit_verify):
    size = ledger.latest_head().tree_size
    body = ('{"v":1,"action":"petition.close","actor":null,"org":null,"target":["cases.case","1"],'
            '"request_id":"","time":"2024-03-04T02:00:00.000000+00:00","after":{"state":"closed"}}')
    with connection.cursor() as cur:
        cur.execute("INSERT INTO audit_entry (action, target_type, target_id, request_id, body) "
                    "VALUES ('petition.close', 'cases.case', '1', '', %s)", [body])
    status, _out, err = audit_verify()  # verify integrates first: the row is not signed
    assert status == 1 and "quarantined" in err and "2024-03-04T02:00:00.000000Z" in err
    assert ledger.latest_head().tree_size == size


def test_attack_3_re_signing_with_a_key_of_ones_own(copy, audit_verify, settings, tmp_path):
    """Change an entry, recompute the tree and re-sign every head with a key of one's own, put
    where the signing key was (var/keys/ in the demo). A pinned key: refused by name; unpinned,
    the witness still holds a checkpoint the new key never signed."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pinned = signing.fingerprint()
    victim = Entry.objects.filter(action__endswith=".open").order_by("tree_index").first()
    forged = victim.body.replace('"after":{', '"after":{"forged":1,', 1)
    mine = Ed25519PrivateKey.generate()
    mine_id = signing.key_id(mine.public_key())
    with triggers_off(), connection.cursor() as cur:
        cur.execute("UPDATE audit_entry SET body = %s, leaf_hash = %s WHERE id = %s",
                    [forged, merkle.leaf_hash(forged.encode()), victim.pk])
        leaves = [bytes(h) for h in Entry.objects.filter(tree_index__isnull=False).order_by("tree_index")
                  .values_list("leaf_hash", flat=True)]
        frontier = merkle.CompactRange()
        for head in TreeHead.objects.order_by("tree_size"):
            while frontier.size < head.tree_size:
                frontier.append(leaves[frontier.size])
            root = frontier.root().hex()
            sig = base64.b64encode(mine.sign(signing.head_message(head.tree_size, root, head.timestamp))).decode()
            cur.execute("UPDATE audit_treehead SET root_hash = %s, signature = %s, key_id = %s WHERE id = %s",
                        [root, sig, mine_id, head.pk])
    key_file = tmp_path / "keys" / "tree-signing.pem"
    key_file.parent.mkdir()
    key_file.write_bytes(mine.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
    witnesses = settings.EDUGOV["AUDIT_WITNESSES"]
    settings.EDUGOV = {**settings.EDUGOV, "SIGNING_KEY_FILE": str(key_file), "AUDIT_PINNED_KEYS": [pinned],
                       "AUDIT_WITNESSES": []}
    signing._load.cache_clear()
    try:
        status, _out, err = audit_verify()  # the pinned fingerprint alone refuses it
        assert status == 1 and f"signed by key {mine_id}, which is not pinned" in err
        settings.EDUGOV = {**settings.EDUGOV, "AUDIT_PINNED_KEYS": [], "AUDIT_WITNESSES": witnesses}
        status, _out, err = audit_verify()
        assert status == 1 and f"witness {LABEL}: the checkpoint witness {LABEL} holds is not signed by a key of " \
                               "this ledger" in err
    finally:
        signing._load.cache_clear()


def test_attack_4_a_case_state_and_a_rating_changed_in_their_tables(copy, audit_verify):
    from edugov.cases.models import Case
    from edugov.services.models import Rating

    case = Case.objects.filter(is_open=True).order_by("pk").first()
    rating = Rating.objects.filter(application__isnull=False).order_by("pk").first()
    Case.objects.filter(pk=case.pk).update(state="closed", is_open=False)
    Rating.objects.filter(pk=rating.pk).update(level=5 if rating.level != 5 else 4)
    status, _out, err = audit_verify()
    assert status == 0  # the ledger itself is intact
    status, _out, err = audit_verify("--domain")
    assert status == 1
    assert f"cases.case:{case.pk} state: the ledger says '{case.state}', the table holds 'closed'" in err
    assert f"services.rating:case-{rating.application.case_id} level: the ledger says {rating.level}" in err
