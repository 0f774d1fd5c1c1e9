def test_a_control_character_anywhere_in_the_request_is_a_400(client, db):
    assert client.get("/healthz?x=a%00b").status_code == 400
    assert client.get("/healthz?x=a%0Bb").status_code == 400  # vertical tab: no XML document can hold it
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400 and "控制字符" in response.content.decode()
    assert client.post("/accounts/login/", {"username": "a\x1bb", "password": "x"}).status_code == 400
    # tab, line feed and carriage return are text: a pasted multi-line answer is accepted
    assert client.post("/accounts/login/", {"username": "a\tb\r\nc", "password": "x"}).status_code == 200
    assert client.get("/healthz").status_code == 200
