"""Business time in words for people, in English or Chinese: ``6 hours 30 minutes`` / ``6小时 30分钟``.

pendulum is the project's library for what people read or type about time;
its locales give the words for each unit. Its own ``Duration.in_words``
folds 24 hours into a day and 7 days into a week, which is wrong for
business time (a business day is 8 hours, not 24), so the hours, minutes and
seconds are counted here and only the words come from pendulum. pendulum is
imported the first time something is worded, never on the answering path,
and its process-wide default locale is never changed.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Literal

from .._errors import InputError, cut
from .._inputs.languages import language_code

__all__ = [
    "Lang",
    "business_words",
    "counted",
    "iso_duration",
    "iso_timedelta",
    "join_methods",
    "lang_of",
    "percent",
    "say",
]

Lang = Literal["en", "zh"]
"""The languages answers are worded in."""

_LANGS: tuple[Lang, ...] = ("en", "zh")
_MICROSECOND = dt.timedelta(microseconds=1)


def lang_of(value: object) -> Lang:
    """``en`` or ``zh`` for a tag (``zh-CN``, ``zh_Hans``, ``en-US``, ``eng``); an error otherwise."""
    if value == "en":
        return "en"
    if value == "zh":
        return "zh"
    try:
        code = language_code(value.replace("_", "-") if isinstance(value, str) else value)
    except InputError:
        code = None
    if code == "en":
        return "en"
    if code == "zh":
        return "zh"
    raise InputError(
        f"lang must be 'en' or 'zh' (or a tag of either, such as 'zh-CN'), got {cut(value)}",
        field="lang",
        value=value,
    )


@functools.cache
def _unit(lang: Lang, unit: str, n: int) -> str:
    import pendulum

    locale = pendulum.locale(lang)
    return str(locale.translation(f"units.{unit}.{locale.plural(n)}")).format(n)


def business_words(amount: dt.timedelta, lang: Lang = "en") -> str:
    """Business time in words: hours (never folded into days), minutes, and seconds when there are any.

    ``30 hours``, ``1 hour 30 minutes``, ``0 minutes``; ``30小时``, ``1小时 30分钟``.
    Parts of a second are dropped.
    """
    seconds = max(0, int(amount.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [(unit, n) for unit, n in (("hour", hours), ("minute", minutes), ("second", seconds)) if n]
    if not parts:
        parts = [("minute", 0)]
    return " ".join(_unit(lang, unit, n) for unit, n in parts)


def percent(share: float) -> str:
    """``97.2%``, ``100%``, ``25%``: one decimal where it matters."""
    text = f"{share * 100:.1f}"
    return text.removesuffix(".0") + "%"


def counted(n: float, word: str, plural: str | None = None) -> str:
    """``1 open case``, ``2 open cases``, ``0 items``: a count with its noun in English."""
    return f"{n:g} {word if n == 1 else (plural or word + 's')}"


def say(lang: Lang, en: str, zh: str) -> str:
    """The sentence in ``lang``."""
    return zh if lang == "zh" else en


def iso_duration(us: int) -> str:
    """A business duration (µs, not negative) in ISO 8601, in hours and never in days: ``PT8H``, ``PT40H``.

    A business day is the contract's (8 hours for 09:00-17:00), not 24 hours, so
    ``P1D`` would mislead: 24 business hours are ``PT24H``. Zero is ``PT0S``;
    seconds keep their fraction (``PT0.5S``). pydantic reads the text back as the
    same ``timedelta``.
    """
    seconds, micro = divmod(us, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if seconds or micro:
        text += f"{seconds}.{micro:06d}".rstrip("0") + "S" if micro else f"{seconds}S"
    return text if text != "PT" else "PT0S"


def iso_timedelta(value: dt.timedelta) -> str:
    """:func:`iso_duration` of a ``timedelta``: the JSON form of every business duration in an answer."""
    return iso_duration(value // _MICROSECOND)


def join_methods(names: Sequence[str], lang: Lang) -> str:
    """``a``, ``a or b``, ``a, b or c`` (``a、b或c`` in Chinese), as the document joins methods."""
    if len(names) <= 1:
        return "".join(names)
    if lang == "zh":
        return "、".join(names[:-1]) + "或" + names[-1]
    return ", ".join(names[:-1]) + " or " + names[-1]
