def test_a_nul_character_anywhere_in_the_request_is_a_400(client, db):
    assert client.get("/healthz?x=a%00b").status_code == 400
    response = client.post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400 and "空字符" in response.content.decode()
    assert client.get("/healthz").status_code == 200
