"""Language codes: a BCP 47 tag or ISO 639 code as the one code the library compares.

Contracts, requests and the words of answers name languages; the registry is
the `langcodes` package's, imported the first time a language is checked.
"""

from __future__ import annotations

import functools

from .._errors import InputError, cut

__all__ = ["language_code"]

MAX_TAG = 64
"""No language tag is longer than this; a longer value is refused without a lookup."""

_NOT_LANGUAGES = frozenset({"und", "mul", "mis", "zxx"})
"""Registered codes that name no language: undetermined, multiple, uncoded, no linguistic content."""


@functools.lru_cache(maxsize=1024)
def _language(tag: str) -> str | None:
    import re

    from langcodes import Language
    from langcodes.tag_parser import LanguageTagError

    if not re.fullmatch(r"[A-Za-z]{2,3}", re.split(r"[-_]", tag, maxsplit=1)[0]):
        return None
    try:
        language = Language.get(tag).prefer_macrolanguage()
    except (LanguageTagError, ValueError):
        return None
    code = language.language
    if (
        not language.is_valid()
        or code is None
        or code in _NOT_LANGUAGES
        or re.fullmatch(r"q[a-t][a-z]", code)  # reserved for private use
    ):
        return None
    return code


def language_code(value: object) -> str:
    """The language of a BCP 47 tag or ISO 639 code: ``zh-CN``, ``zho``, ``chi`` -> ``zh``; ``eng`` -> ``en``.

    Two-letter ISO 639-1 codes where one exists, else the three-letter code;
    macrolanguages stand for their members (``cmn`` -> ``zh``). Anything that
    is not a registered language (``中文``, ``xx``, ``und``) is an
    :class:`InputError`. The registry is the `langcodes` package's.
    """
    if not isinstance(value, str):
        raise InputError(f"a language is a code such as 'zh' or 'en-US', got {cut(value)}", value=value)
    code = _language(value) if 0 < len(value) <= MAX_TAG and value.isascii() else None
    if code is None:
        raise InputError(
            f"{cut(value)} is not a language code; give an ISO 639 code or a BCP 47 tag such as "
            "'zh', 'zh-CN' or 'eng'",
            value=value,
        )
    return code
