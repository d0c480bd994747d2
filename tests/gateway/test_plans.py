"""Return-plan PDFs: served by their unguessable link, deleted with the conversation."""


async def test_plan_is_served_and_deleted_with_the_conversation(client, fake_rasa, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PASSAGE_PLANS_DIR", str(tmp_path))
    (tmp_path / "AAAAAAAAAAAAAAAAAAAAAA.pdf").write_bytes(b"%PDF-1.4 plan")
    await client.post("/api/chat", json={"sender": "planner", "text": "please make my plan"})
    served = await client.get("/plans/AAAAAAAAAAAAAAAAAAAAAA.pdf")
    assert served.status == 200 and served.headers["Content-Type"] == "application/pdf"
    assert await served.read() == b"%PDF-1.4 plan"
    await client.post("/api/chat", json={"sender": "planner", "text": "delete"})
    assert not (tmp_path / "AAAAAAAAAAAAAAAAAAAAAA.pdf").exists()
    assert (await client.get("/plans/AAAAAAAAAAAAAAAAAAAAAA.pdf")).status == 404


async def test_bad_plan_links_are_404_not_errors(client) -> None:
    for path in ("/plans/short.pdf", "/plans/..%2F..%2Fetc%2Fpasswd.pdf", "/plans/BBBBBBBBBBBBBBBBBBBBBB.pdf"):
        assert (await client.get(path)).status == 404
