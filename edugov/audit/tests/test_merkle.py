import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from edugov.audit import merkle

from . import rfc9162


def _data(n):
    return [f"entry {i}".encode() for i in range(n)]


def test_roots_match_the_plain_rfc_implementation_for_every_size_up_to_70():
    for n in range(0, 71):
        d = _data(n)
        leaves = [merkle.leaf_hash(x) for x in d]
        expected = rfc9162.mth(d)
        assert merkle.root(leaves) == expected, n
        cr = merkle.CompactRange()
        for h in leaves:
            cr.append(h)
        assert cr.root() == expected, n
        assert merkle.CompactRange.from_bytes(cr.size, cr.to_bytes()).root() == expected


def test_empty_tree_root_is_sha256_of_nothing():
    assert merkle.root([]).hex() == hashlib.sha256(b"").hexdigest()


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 140), st.data())
def test_inclusion_proofs_equal_rfc_paths_and_verify(n, data):
    m = data.draw(st.integers(0, n - 1))
    d = _data(n)
    leaves = [merkle.leaf_hash(x) for x in d]
    audit_path = merkle.inclusion_path(m, leaves)
    assert audit_path == rfc9162.path(m, d)
    assert rfc9162.verify_inclusion(m, n, leaves[m], audit_path, rfc9162.mth(d))
    assert not rfc9162.verify_inclusion(m, n, merkle.leaf_hash(b"forged"), audit_path, rfc9162.mth(d))


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 140), st.data())
def test_consistency_proofs_equal_the_rfc(n, data):
    m = data.draw(st.integers(1, n))
    d = _data(n)
    leaves = [merkle.leaf_hash(x) for x in d]
    assert merkle.consistency_proof(m, leaves) == rfc9162.proof(m, d)



def _store(leaves):
    """What the sequencer keeps: leaf hashes, and the nodes each append completes."""
    cr, store = merkle.CompactRange(), {}
    for i, h in enumerate(leaves):
        store[(0, i)] = h
        for level, index, node in cr.append(h):
            store[(level, index)] = node
    return cr, store


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 300), st.data())
def test_proofs_from_stored_nodes_equal_the_rfc_and_read_few_pieces(n, data):
    m = data.draw(st.integers(0, n - 1))
    old = data.draw(st.integers(1, n))
    d = _data(n)
    leaves = [merkle.leaf_hash(x) for x in d]
    cr, store = _store(leaves)
    get = lambda level, index: store[(level, index)]  # noqa: E731
    assert merkle.range_root(0, n, get) == cr.root() == rfc9162.mth(d)
    assert merkle.inclusion_path_from(m, n, get) == rfc9162.path(m, d)
    assert merkle.consistency_proof_from(old, n, get) == rfc9162.proof(old, d)
    reads = merkle.needed(lambda g: merkle.inclusion_path_from(m, n, g))
    log = max(1, n.bit_length())
    assert len(reads) <= log * log, f"{len(reads)} pieces read for a tree of {n}"


def test_each_append_reports_the_perfect_subtrees_it_completes():
    cr = merkle.CompactRange()
    made = [cr.append(merkle.leaf_hash(bytes([i]))) for i in range(8)]
    assert [[(lv, ix) for lv, ix, _h in m] for m in made] == [
        [], [(1, 0)], [], [(1, 1), (2, 0)], [], [(1, 2)], [], [(1, 3), (2, 1), (3, 0)]]
