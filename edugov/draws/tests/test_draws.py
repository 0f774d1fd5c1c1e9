import json
import secrets

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from edugov.accounts.models import Role
from edugov.audit.models import Entry
from edugov.draws import actions, algorithm
from edugov.draws.models import Draw
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed

from . import independent


def _bundle(candidates, k=3, constraints=None, public_value="", draw_id="T-1"):
    secret_hex = secrets.token_bytes(32).hex()
    outcome = algorithm.run(draw_id=draw_id, candidates=candidates, secret_hex=secret_hex,
                            public_value=public_value, k=k, constraints=constraints)
    return {"v": 1, "draw_id": draw_id, "purpose": "test", "candidates": list(candidates),
            "candidates_digest": algorithm.candidates_digest(candidates),
            "commitment": algorithm.commitment(bytes.fromhex(secret_hex)), "committed_at": "2024-01-01T00:00:00+00:00",
            "secret": secret_hex, "public_value": public_value, "drawn_at": "2024-01-02T00:00:00+00:00", "k": k,
            "constraints": constraints or {}, "order": outcome.order, "selected": outcome.selected,
            **({"assignments": outcome.assignments} if outcome.assignments else {})}


ids = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12),
               min_size=1, max_size=60, unique=True)


@settings(max_examples=200, deadline=None)
@given(ids, st.integers(0, 70), st.text(max_size=20))
def test_order_matches_an_independent_implementation_and_the_bundle_verifies(candidates, k, public_value):
    bundle = _bundle(candidates, k=k, public_value=public_value)
    assert bundle["order"] == independent.order_of(bundle)
    assert bundle["selected"] == bundle["order"][:k]
    assert algorithm.verify_bundle(bundle) == []


@pytest.mark.parametrize("field, change, fragment", [
    ("candidates", lambda b: b["candidates"] + ["extra"], "candidates_digest"),
    ("secret", lambda b: ("0" if b["secret"][0] != "0" else "1") + b["secret"][1:], "commitment"),
    ("public_value", lambda b: "changed", "order"),
    ("selected", lambda b: list(reversed(b["selected"])), "selected: differs at position 1"),
    ("draw_id", lambda b: "T-2", "order"),
])
def test_any_change_to_a_bundle_is_named(field, change, fragment):
    bundle = _bundle([f"机构{i}" for i in range(30)], k=5)
    bundle[field] = change(bundle)
    problems = algorithm.verify_bundle(bundle)
    assert problems and fragment in problems[0]


def test_strata_take_their_own_k_in_draw_order_and_skip_exclusions():
    high = [f"H{i}" for i in range(10)]
    low = [f"L{i}" for i in range(40)]
    constraints = {"strata": {"high": {"members": high, "k": 3}, "low": {"members": low, "k": 2}},
                   "exclude": [high[0], low[0]]}
    bundle = _bundle(high + low, k=5, constraints=constraints)
    chosen = bundle["selected"]
    assert len([c for c in chosen if c in high]) == 3 and len([c for c in chosen if c in low]) == 2
    assert high[0] not in chosen and low[0] not in chosen
    assert [c for c in bundle["order"] if c in chosen] == chosen
    assert algorithm.verify_bundle(bundle) == []


def test_teams_respect_size_recusal_and_cap():
    inspectors = [f"I{i}" for i in range(6)]
    targets = [f"T{i}" for i in range(5)]
    teams = {"targets": targets, "size": 2, "cap": 2, "recusal": {"T0": ["I0", "I1", "I2"]}}
    bundle = _bundle(inspectors, constraints={"teams": teams})
    a = bundle["assignments"]
    assert set(a) == set(targets) and all(len(t) == 2 for t in a.values())
    assert not set(a["T0"]) & {"I0", "I1", "I2"}
    assert max(sum(i in t for t in a.values()) for i in inspectors) <= 2
    assert algorithm.verify_bundle(bundle) == []
    with pytest.raises(algorithm.DrawError, match="not enough eligible inspectors"):
        algorithm.select(inspectors, 0, {"teams": {**teams, "cap": 1}})


@pytest.fixture
def officer(tree, make_user):
    return make_user(Role.ENFORCEMENT_OFFICER, tree.dept)


def test_commit_seals_the_secret_and_reveal_publishes_a_verifiable_bundle(tree, officer, tmp_path, capsys):
    draw = actions.draw_commit(actor=officer, draw_id="2024-ENF-007", purpose="双减专项检查对象抽取",
                               organisation=tree.bureau, candidates=[f"机构{i:03d}" for i in range(100)], k=12)
    with connection.cursor() as cur:
        cur.execute("SELECT sealed_secret, secret FROM draws_draw WHERE id = %s", [draw.pk])
        sealed, revealed = cur.fetchone()
    assert revealed == "" and sealed.startswith("v1:")
    assert Entry.objects.filter(action="draw.commit", body__contains=draw.commitment).exists()
    draw = actions.draw_reveal(actor=officer, draw=draw, public_value="2024-03-01 福彩3D 123")
    bundle = actions.bundle(draw)
    assert len(bundle["selected"]) == 12 and bundle["order"] == independent.order_of(bundle)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    call_command("draw", "verify", str(path))
    assert capsys.readouterr().out.strip() == "OK"
    with pytest.raises(Conflict, match="已揭晓，结果不可更改"):
        actions.draw_reveal(actor=officer, draw=draw)


def test_a_commitment_is_public_before_its_draw_which_names_the_candidates_and_comes_after_it(tree, officer, client):
    """Issue 27: the public sees the commitment (never the secret) while it waits; the draw cannot
    be dated before it; the drawn page names the candidates the domain labelled."""
    import datetime as dt

    from django.utils import timezone

    committed_at = timezone.now() - dt.timedelta(hours=17)
    draw = actions.draw_commit(actor=officer, draw_id="2024-ENF-008", purpose="春季抽查对象", organisation=tree.bureau,
                               candidates=["C1", "C2", "C3"], k=2, labels={"C1": "星光培训学校", "C2": "博雅艺术"},
                               at=committed_at)
    page = client.get(f"/draws/{draw.draw_id}/").content.decode()
    assert draw.commitment in page and "尚未抽取" in page and draw.sealed_secret not in page
    assert "下载抽取数据包" not in page and "2024-ENF-008" in client.get("/draws/").content.decode()
    with pytest.raises(ValidationFailed, match="之后进行"):
        actions.draw_reveal(actor=officer, draw=draw, at=committed_at - dt.timedelta(minutes=1))
    draw = actions.draw_reveal(actor=officer, draw=draw, public_value="福彩3D 518")
    page = client.get(f"/draws/{draw.draw_id}/").content.decode()
    named = {"C1": "星光培训学校", "C2": "博雅艺术", "C3": ""}
    for code in draw.selected:
        assert code in page and named[code] in page
    assert draw.committed_at < draw.drawn_at


def test_a_tampered_bundle_fails_the_command_with_exit_1(tmp_path, capsys):
    bundle = _bundle([f"c{i}" for i in range(20)], k=4)
    bundle["selected"][0] = "c-forged"
    path = tmp_path / "b.json"
    path.write_text(json.dumps(bundle))
    with pytest.raises(SystemExit) as exc:
        call_command("draw", "verify", str(path))
    assert exc.value.code == 1 and "selected" in capsys.readouterr().err


def test_bad_draw_inputs_are_refused_with_a_reason(tree, officer, make_user):
    with pytest.raises(ValidationFailed):
        actions.draw_commit(actor=officer, draw_id="D-1", purpose="x", organisation=tree.bureau, candidates=["a", "a"])
    with pytest.raises(ValidationFailed):
        actions.draw_commit(actor=officer, draw_id="D 1/..", purpose="x", organisation=tree.bureau, candidates=["a"])
    with pytest.raises(ValidationFailed):
        actions.draw_commit(actor=officer, draw_id="D-2", purpose="x", organisation=tree.bureau, candidates=["a", "b"],
                            constraints={"teams": {"targets": ["t"], "size": 3}})
    with pytest.raises(PermissionDenied):
        actions.draw_commit(actor=make_user(Role.SCHOOL_ADMIN, tree.school_org), draw_id="D-3", purpose="x",
                            organisation=tree.bureau, candidates=["a"])
    assert not Draw.objects.exists()


def test_public_list_bundle_endpoint_and_page(client, tree, officer):
    sealed = actions.draw_commit(actor=officer, draw_id="2024-ENF-001", purpose="未揭晓", organisation=tree.bureau,
                                 candidates=["a", "b", "c"], k=1)
    done = actions.draw_reveal(actor=officer, draw=actions.draw_commit(
        actor=officer, draw_id="2024-ENF-002", purpose="已揭晓", organisation=tree.bureau,
        candidates=["a", "b", "c"], k=1))
    listing = client.get("/api/v1/public/draws").json()
    assert [d["draw_id"] for d in listing] == ["2024-ENF-002"]
    assert client.get(f"/api/v1/public/draws/{sealed.draw_id}/bundle").status_code == 404
    bundle = client.get(f"/api/v1/public/draws/{done.draw_id}/bundle").json()
    assert algorithm.verify_bundle(bundle) == []
    page = client.get(done.get_absolute_url()).content.decode()
    assert done.commitment in page and "edugov draw verify" in page
    download = client.get(done.get_absolute_url() + "?download=1")
    assert json.loads(download.content) == bundle


def test_equal_keys_fall_back_to_ordering_by_id(monkeypatch):
    """Only a SHA-256 collision makes two keys equal; the spec orders such ties by id."""
    import hashlib

    original = hashlib.sha256

    class Colliding:
        def __init__(self, data):
            self.data = data

        def digest(self):
            return b"\x00" * 32 if self.data.endswith((b"b", b"a")) else original(self.data).digest()

    monkeypatch.setattr(algorithm.hashlib, "sha256", Colliding)
    assert algorithm.order(["b", "a", "zz"], b"seed")[:2] == ["a", "b"]
