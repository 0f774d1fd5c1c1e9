"""RFC 9162 §2.1 Merkle tree hashing (SHA-256), written out because no maintained PyPI package
implements the tree, the compact range and both proofs over externally stored leaves."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH over already-hashed leaves. Bottom-up pairing that carries an odd last node up
    unchanged builds exactly RFC 9162's left-balanced tree."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    sha = hashlib.sha256
    while len(level) > 1:
        nxt = [sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


class CompactRange:
    """The O(log n) frontier of a growing tree: the roots of its perfect subtrees, largest first.

    Appending a leaf costs one leaf insert plus one node hash per carry (amortised < 2)."""

    __slots__ = ("size", "hashes")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        self.size = size
        self.hashes = list(hashes)
        if len(self.hashes) != bin(size).count("1"):
            raise ValueError("frontier does not match tree size")

    def append(self, h: bytes) -> list[tuple[int, int, bytes]]:
        """Append a leaf hash; returns the perfect subtrees the append completed, as
        (level, index, hash): the node over leaves [index·2^level, (index+1)·2^level)."""
        size, index, level = self.size, self.size, 0
        made = []
        while size & 1:
            h = node_hash(self.hashes.pop(), h)
            size >>= 1
            level += 1
            made.append((level, index >> level, h))
        self.hashes.append(h)
        self.size += 1
        return made

    def append_subtree(self, h: bytes, size: int) -> None:
        """Append the root of a perfect subtree of `size` (a power of two) leaves; the tree's size
        must be a multiple of `size`, as it is for aligned chunks."""
        if size & (size - 1) or self.size % size:
            raise ValueError("subtree must be a power of two aligned with the tree size")
        level = self.size // size
        while level & 1:
            h = node_hash(self.hashes.pop(), h)
            level >>= 1
        self.hashes.append(h)
        self.size += size

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        r = self.hashes[-1]
        for h in reversed(self.hashes[:-1]):
            r = node_hash(h, r)
        return r

    def to_bytes(self) -> bytes:
        return b"".join(self.hashes)

    @classmethod
    def from_bytes(cls, size: int, raw: bytes) -> CompactRange:
        return cls(size, [raw[i:i + 32] for i in range(0, len(raw), 32)])


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_path(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1, for leaf `index` in the tree over `leaves`."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError("leaf index outside the tree")
    path: list[bytes] = []
    lo, hi, m = 0, n, index
    stack: list[bytes] = []
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            stack.append(root(leaves[lo + k:hi]))
            hi = lo + k
        else:
            stack.append(root(leaves[lo:lo + k]))
            lo, m = lo + k, m - k
    path.extend(reversed(stack))
    return path


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1."""
    n = len(leaves)
    if not 0 < m <= n:
        raise ValueError("old size must be within 1..n")
    return _subproof(m, leaves, True)


def _subproof(m: int, leaves: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root(leaves)]
    k = _split(n)
    if m <= k:
        return _subproof(m, leaves[:k], complete) + [root(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [root(leaves[:k])]



# ---- proofs from stored perfect subtrees (O(log n) reads instead of every leaf) -----------------
# A range [lo, hi) of the left-balanced tree that RFC 9162's recursion visits starts at a multiple
# of the largest power of two it holds, so it is the right fold of its aligned perfect pieces,
# largest first. Each piece is one stored node (level >= 1) or one leaf hash (level 0).

Getter = Callable[[int, int], bytes]


def pieces(lo: int, hi: int) -> list[tuple[int, int]]:
    """The aligned perfect subtrees covering [lo, hi), left to right, as (level, index)."""
    out = []
    while lo < hi:
        size = 1 << ((hi - lo).bit_length() - 1)
        while lo % size:
            size >>= 1
        level = size.bit_length() - 1
        out.append((level, lo >> level))
        lo += size
    return out


def range_root(lo: int, hi: int, get: Getter) -> bytes:
    """MTH(D[lo:hi]) from stored pieces."""
    hashes = [get(level, index) for level, index in pieces(lo, hi)]
    r = hashes[-1]
    for h in reversed(hashes[:-1]):
        r = node_hash(h, r)
    return r


def inclusion_path_from(index: int, n: int, get: Getter) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1, reading only O(log² n) stored pieces."""
    if not 0 <= index < n:
        raise ValueError("leaf index outside the tree")
    stack: list[bytes] = []
    lo, hi, m = 0, n, index
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            stack.append(range_root(lo + k, hi, get))
            hi = lo + k
        else:
            stack.append(range_root(lo, lo + k, get))
            lo, m = lo + k, m - k
    return list(reversed(stack))


def consistency_proof_from(m: int, n: int, get: Getter) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1 from stored pieces."""
    if not 0 < m <= n:
        raise ValueError("old size must be within 1..n")
    return _subproof_from(m, 0, n, True, get)


def _subproof_from(m: int, lo: int, hi: int, complete: bool, get: Getter) -> list[bytes]:
    n = hi - lo
    if m == n:
        return [] if complete else [range_root(lo, hi, get)]
    k = _split(n)
    if m <= k:
        return _subproof_from(m, lo, lo + k, complete, get) + [range_root(lo + k, hi, get)]
    return _subproof_from(m - k, lo + k, hi, False, get) + [range_root(lo, lo + k, get)]


def needed(compute: Callable[[Getter], object]) -> set[tuple[int, int]]:
    """The (level, index) pieces a computation reads, found by running it on placeholders, so that
    the caller can fetch them all in one query."""
    keys: set[tuple[int, int]] = set()

    def record(level: int, index: int) -> bytes:
        keys.add((level, index))
        return EMPTY_ROOT

    compute(record)
    return keys


def verify_consistency(first: int, second: int, first_hash: bytes, second_hash: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: does `proof` show that the tree of `second` leaves (root `second_hash`)
    extends the tree of `first` leaves (root `first_hash`)? What a witness checks before it cosigns."""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_hash == second_hash
    if first == 0:
        return not proof  # the empty tree is consistent with every tree (C2SP tlog-witness)
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: its root is the first piece
        path.insert(0, first_hash)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_hash and sr == second_hash and sn == 0


def root_from_path(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """The root an inclusion path leads to from `leaf` at `index` in a tree of `size` leaves (RFC 9162
    §2.1.3.2); a path that does not fit the tree gives a value no root equals (empty bytes)."""
    if not 0 <= index < size:
        return b""
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return b""
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else b""
