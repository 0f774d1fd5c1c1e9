import base64
import os

from edugov.kernel import crypto


def _spec(*items):
    return ",".join(f"{kid}:{base64.b64encode(key).decode()}" for kid, key in items)


def test_round_trip_and_key_rotation(settings):
    old, new = os.urandom(32), os.urandom(32)
    settings.EDUGOV = {**settings.EDUGOV, "DATA_KEYS": _spec(("k1", old))}
    token = crypto.encrypt("500101200901011234")
    assert crypto.key_id_of(token) == "k1" and "500101" not in token
    settings.EDUGOV = {**settings.EDUGOV, "DATA_KEYS": _spec(("k2", new), ("k1", old))}
    assert crypto.decrypt(token) == "500101200901011234"
    assert crypto.key_id_of(crypto.encrypt("x")) == "k2"


def test_blind_index_is_stable_and_purpose_bound():
    a = crypto.blind_index("138 0013 8000", purpose="phone")
    assert a == crypto.blind_index("13800138000", purpose="phone")
    assert a != crypto.blind_index("13800138000", purpose="name")
