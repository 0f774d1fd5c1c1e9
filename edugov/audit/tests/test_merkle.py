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
