"""Adder: one amount of business time, checked once, added to many instants (the deadline rule's hot path).

:meth:`BusinessCalendar.adding <entitlements.BusinessCalendar.adding>` makes one from its clock's
fast path (wall-clock arithmetic on a regular day) and its exact slow path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from .._checks import check_aware
from .._errors import InputError, cut

__all__ = ["Adder"]


class _Adding(Protocol):
    """What an Adder needs of its calendar: to make the same Adder again (unpickling)."""

    def adding(self, duration: dt.timedelta) -> Adder: ...


class Adder:
    """Adds one checked amount of business time to many instants (see :meth:`BusinessCalendar.adding`).

    ``adder(t)`` is ``calendar.add_business_time(t, duration)``; ``adder.many(ts)``
    answers each of ``ts`` in order and names a bad one by its position.

    Examples:
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> cal = engine.calendar(acme)
        >>> one_day = cal.adding(dt.timedelta(hours=8))
        >>> print(one_day(dt.datetime(2026, 9, 30, 15, tzinfo=ZoneInfo("Asia/Shanghai"))))
        2026-10-08 15:00:00+08:00
    """

    __slots__ = ("_amount", "_calendar", "_fast", "_slow")

    def __init__(
        self,
        fast: Callable[[dt.datetime, int], dt.datetime | None],
        slow: Callable[[dt.datetime, int, str], dt.datetime],
        amount: int,
        *,
        calendar: _Adding,
    ) -> None:
        self._fast = fast
        self._slow = slow
        self._amount = amount
        self._calendar = calendar

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its calendar and amount: unpickled, the calendar's ``adding`` again."""
        return (_adding, (self._calendar, self._amount))

    @property
    def duration(self) -> dt.timedelta:
        """The business time added."""
        return dt.timedelta(microseconds=self._amount)

    def __call__(self, t: dt.datetime, name: str = "t") -> dt.datetime:
        answer = self._fast(t, self._amount)
        if answer is not None:
            return answer
        return self._slow(check_aware(t, name), self._amount, name)

    def many(self, instants: Iterable[dt.datetime], name: str = "t") -> tuple[dt.datetime, ...]:
        """Each of ``instants`` plus the business time, in order; a bad one is named ``name[i]``."""
        if isinstance(instants, (dt.datetime, str, bytes)) or not isinstance(instants, Iterable):
            raise InputError(
                f"{name} must be an iterable of datetimes, got {cut(instants)}", field=name, value=instants
            )
        fast, slow, amount = self._fast, self._slow, self._amount
        out: list[dt.datetime] = []
        append = out.append
        for n, t in enumerate(instants):
            answer = fast(t, amount)
            if answer is None:
                where = f"{name}[{n}]"
                answer = slow(check_aware(t, where), amount, where)
            append(answer)
        return tuple(out)


def _adding(calendar: _Adding, amount: int) -> Adder:
    """The :class:`Adder` of ``amount`` microseconds on ``calendar`` (how an unpickled one is built)."""
    return calendar.adding(dt.timedelta(microseconds=amount))
