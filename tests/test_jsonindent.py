"""claimref.jsonindent writes what json.dumps(indent=..., ensure_ascii=False) writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimref.jsonindent import dumps

_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=("Cs",))),
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=6), inner, max_size=4),
    ),
    max_leaves=25,
)


@settings(max_examples=600, deadline=None)
@given(_VALUES, st.integers(min_value=0, max_value=3))
def test_random_values_are_written_as_json_dumps_writes_them(value: Any, indent: int) -> None:
    assert dumps(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)


def test_what_json_dumps_writes_otherwise_is_left_to_it() -> None:
    # Non-string keys are converted by json.dumps; other objects are rejected by it, as before.
    assert dumps({1: [True, None], "a": {}}) == json.dumps({1: [True, None], "a": {}}, indent=1)
    with pytest.raises(TypeError):
        dumps({"a": object()})


def test_the_reference_dataset_is_written_as_before() -> None:
    record = {"id": "x", "statements": [{"words": "\u201cnot one inch\u201d", "date": "1990-02-09"}], "n": 1.5}
    assert dumps([record]) == json.dumps([record], indent=1, ensure_ascii=False)
