"""Words for people: counts with their nouns."""

from __future__ import annotations

import pytest

from entitlements._text.words import counted


@pytest.mark.parametrize(
    ("n", "word", "plural", "text"),
    [
        (1, "open case", None, "1 open case"),
        (2, "open case", None, "2 open cases"),
        (0, "item", None, "0 items"),
        (1.0, "hour", None, "1 hour"),
        (2.5, "hour", None, "2.5 hours"),
        (3, "inquiry", "inquiries", "3 inquiries"),
        (1, "inquiry", "inquiries", "1 inquiry"),
    ],
)
def test_counted_says_one_in_the_singular(n: float, word: str, plural: str | None, text: str) -> None:
    assert counted(n, word, plural) == text
