"""The fingerprint is canonical JSON's SHA-256: stable, order-free, and refuses what would not round-trip."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from signoffs.hashing import ContentInvalid, canonical_json, content_hash, short_hash

# Text PostgreSQL can store (no NUL), keys and values as a stage would snapshot them.
text = st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=20)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)


def test_known_answer_for_a_small_record():
    content = {"b": 1, "a": ["x", True, None], "é": "ü"}
    assert canonical_json(content) == '{"a":["x",true,null],"b":1,"é":"ü"}'
    expected = hashlib.sha256('{"a":["x",true,null],"b":1,"é":"ü"}'.encode()).hexdigest()
    assert content_hash(content) == expected
    # Pinned so that a change to the canonical form (which would orphan every signature) fails here.
    assert content_hash({"decision": "no review"}) == (
        hashlib.sha256(b'{"decision":"no review"}').hexdigest()
    )


def test_key_order_and_whitespace_do_not_change_the_hash():
    a = json.loads('{"x": 1, "y": {"b": 2, "a": [1, 2]}}')
    b = json.loads('{"y":{"a":[1,2],"b":2},"x":1}')
    assert list(a) != list(b)
    assert content_hash(a) == content_hash(b)


def test_any_change_of_content_changes_the_hash():
    base = {"rationale": "Agencies did not share information."}
    assert content_hash(base) != content_hash({"rationale": "Agencies did not share information"})
    assert content_hash({"n": 1}) != content_hash({"n": "1"})
    assert content_hash([1, 2]) != content_hash([2, 1])  # list order is meaning


@given(json_values)
def test_hash_is_stable_across_a_json_round_trip(value):
    assert content_hash(json.loads(json.dumps(value))) == content_hash(value)
    assert len(content_hash(value)) == 64


@given(st.dictionaries(text, json_values, min_size=2, max_size=6))
def test_hash_ignores_insertion_order(value):
    reversed_order = dict(reversed(list(value.items())))
    assert content_hash(reversed_order) == content_hash(value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"score": 1.5}, "decimal number"),
        ({"text": "a\x00b"}, "NUL"),
        ({1: "x"}, "not a string"),
        ({"when": object()}, "not JSON"),
        ({"nan": float("nan")}, "decimal number"),
    ],
    ids=["float", "nul", "int-key", "object", "nan"],
)
def test_content_that_would_not_store_unchanged_is_refused_with_a_reason(content, message):
    with pytest.raises(ContentInvalid, match=message):
        content_hash(content)


def test_very_deep_nesting_is_refused_not_a_crash():
    deep: object = "leaf"
    for _ in range(100):
        deep = [deep]
    with pytest.raises(ContentInvalid, match="nested"):
        content_hash(deep)  # type: ignore[arg-type]


def test_short_hash_is_the_first_twelve_digits_in_fours():
    assert short_hash("0123456789abcdef" * 4) == "0123 4567 89ab"
