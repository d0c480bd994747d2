"""Hostile and odd input: a clear reply or a 4xx with a reason — never a 5xx, a crash or silence."""
import json
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CORPUS = yaml.safe_load((Path(__file__).parents[1] / "data" / "hostile_inputs.yml").read_text(encoding="utf-8"))
SPEC = yaml.safe_load((Path(__file__).parents[2] / "bot" / "static" / "openapi.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", CORPUS["texts"])
async def test_odd_texts_get_a_reply(client, text: str) -> None:
    payload = json.dumps({"sender": "hostile", "text": text}, ensure_ascii=True)  # lone surrogates survive as \ud800
    response = await client.post("/api/chat", data=payload, headers={"Content-Type": "application/json"})
    assert response.status == 200
    body = await response.json()
    assert body["messages"] and all(isinstance(m["text"], str) and m["text"] for m in body["messages"])


@pytest.mark.parametrize("case", CORPUS["raw_bodies"], ids=lambda case: case["body"][:30])
async def test_malformed_bodies_get_400_with_a_reason(client, case: dict) -> None:
    response = await client.post("/api/chat", data=case["body"].encode(), headers={"Content-Type": "application/json"})
    assert response.status == case["status"]
    assert (await response.json())["error"]


async def test_invalid_utf8_and_huge_messages(client) -> None:
    broken = await client.post("/api/chat", data=b'{"sender": "x", "text": "\xc3\x28"}', headers={"Content-Type": "application/json"})
    assert broken.status == 400 and "UTF-8" in (await broken.json())["error"]
    huge = await client.post("/api/chat", json={"sender": "big", "text": "word " * 20_000})  # 100 KB
    assert huge.status == 200
    assert "only the beginning" in (await huge.json())["messages"][-2]["text"]


async def test_injection_is_never_rendered_as_html_in_the_web_chat(client) -> None:
    script = await (await client.get("/static/chat.js")).text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script


def _schema_field(schema: dict) -> st.SearchStrategy:
    """Values of the right type (per the OpenAPI spec) and of every wrong type."""
    wrong = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
    if schema.get("type") == "string":
        right = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=schema.get("maxLength", 200) + 20)
    elif schema.get("type") == "integer":
        right = st.integers(min_value=-5, max_value=10**6)
    else:
        right = wrong
    return st.one_of(right, right, wrong)


def _bodies(path: str) -> st.SearchStrategy:
    schema = SPEC["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    fields = {name: _schema_field(prop) for name, prop in schema["properties"].items()}
    required = {name: fields.pop(name) for name in schema.get("required", [])}
    valid = {
        name: st.text(alphabet=string.ascii_letters, min_size=1, max_size=20) if name == "sender" else st.text(max_size=300)
        for name in required
    }
    # a third well-formed, the rest with required fields of any type, or missing
    return st.one_of(
        st.fixed_dictionaries(valid),
        st.fixed_dictionaries(required, optional={**fields, "extra": st.text(max_size=5)}),
        st.fixed_dictionaries({}, optional={**required, **fields}),
    )


def _examples(strategy: st.SearchStrategy, count: int) -> list:
    """Draws examples with Hypothesis (the sending itself is async, which Hypothesis cannot drive)."""
    drawn: list = []

    @settings(max_examples=count, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=False)
    @given(strategy)
    def collect(example) -> None:  # type: ignore[no-untyped-def]
        drawn.append(example)

    collect()
    return drawn


@pytest.mark.parametrize("path", ["/api/chat", "/api/poll"])
async def test_fuzzing_the_json_api_from_its_openapi_description_gives_no_5xx(client, path: str) -> None:
    seen: list[int] = []
    for number, body in enumerate(_examples(_bodies(path), 80)):
        if isinstance(body.get("sender"), str) and body["sender"]:
            body["sender"] = f"{body['sender'][:100]}-{number}"  # spread over many users (the rate limit is per user)
        response = await client.post(path, data=json.dumps(body), headers={"Content-Type": "application/json"})
        seen.append(response.status)
        assert response.status < 500, (body, response.status)
        if response.status >= 400:
            assert (await response.json())["error"]
    assert 200 in seen and 400 in seen  # both the valid and the invalid sides were exercised
