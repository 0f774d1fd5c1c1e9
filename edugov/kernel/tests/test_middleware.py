def test_a_control_character_anywhere_in_the_request_is_a_400(client, db):
    assert client.get("/healthz?x=a%00b").status_code == 400
    assert client.get("/healthz?x=a%0Bb").status_code == 400  # vertical tab: no XML document can hold it
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400 and "控制字符" in response.content.decode()
    assert client.post("/accounts/login/", {"username": "a\x1bb", "password": "x"}).status_code == 400
    # tab, line feed and carriage return are text: a pasted multi-line answer is accepted
    assert client.post("/accounts/login/", {"username": "a\tb\r\nc", "password": "x"}).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_deceptive_characters_are_refused_at_the_door(client, db):
    """A subject with a right-to-left override or a zero-width space (a school's name shown
    reversed or looking equal to another) is refused with a message, before anything is stored;
    an emoji made with the zero-width joiner passes."""
    for text in ("甲区\u202e学小一第", "甲区第\u200b一小学", "\u2066甲区\u2069", "甲\ufeff区"):
        r = client.post("/complaints/new/", {"subject": text, "description": "x"})
        assert r.status_code == 400 and "看不见" in r.content.decode()
        assert client.get("/search/", {"q": text}).status_code == 400
    assert client.get("/search/", {"q": "家长👨\u200d👩\u200d👧"}).status_code == 200
