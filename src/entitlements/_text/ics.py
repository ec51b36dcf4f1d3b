"""iCalendar (RFC 5545) files of all-day events, made with the `icalendar` package.

`icalendar` is an optional extra (``pip install 'entitlements[ics]'``) and is
imported only when a calendar file is made, never at package import. This
module takes plain values (:class:`AllDayEvent`), so the answers that offer a
calendar file (``EngagementPlan.to_ics``) stay above it.

The output is deterministic: the same events and stamp give the same bytes
(CRLF line ends, long lines folded), so a file can be compared and committed.
Each event's SEQUENCE is a fingerprint of what it says (:attr:`AllDayEvent.sequence`),
so a re-export marks exactly the events whose content moved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from .._errors import InputError

__all__ = ["EXTRA", "AllDayEvent", "calendar_file"]

EXTRA = "ics"
"""The extra that installs icalendar: ``pip install 'entitlements[ics]'``."""


@dataclass(frozen=True, slots=True)
class AllDayEvent:
    """One all-day event from ``first`` to ``last`` (both included)."""

    uid: str
    first: dt.date
    last: dt.date
    summary: str
    description: str
    categories: tuple[str, ...] = ()

    @property
    def sequence(self) -> int:
        """The event's SEQUENCE: the first 31 bits of the SHA-256 of its content, as an integer.

        The content is everything the event says except its UID and DTSTAMP:
        ``first``, ``last``, ``summary``, ``description`` and ``categories``,
        hashed as one canonical JSON array (UTF-8, ISO dates). An unchanged
        event keeps its number in every export; an event whose dates,
        methods, wording or categories changed gets another one (two different
        contents share a number with odds of 1 in 2**31). RFC 5545 asks for a
        number that only grows; no stateless export can know the number of an
        earlier file, so this one moves rather than grows, and a client that
        keeps the higher SEQUENCE (iTIP scheduling, RFC 5546) may keep the older
        copy of a changed event: such a client should drop the plan's events
        and re-import.
        """
        content = [
            self.first.isoformat(),
            self.last.isoformat(),
            self.summary,
            self.description,
            list(self.categories),
        ]
        data = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return int.from_bytes(hashlib.sha256(data).digest()[:4], "big") >> 1


def _utc(dtstamp: dt.datetime) -> dt.datetime:
    """``dtstamp`` in UTC, where iCalendar writes it; one the calendar's ends push past is refused."""
    try:
        return dtstamp.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise InputError(
            f"dtstamp {dtstamp.isoformat()} is outside the range of instants iCalendar can write in UTC",
            field="dtstamp",
            value=dtstamp,
        ) from None


def calendar_file(events: Iterable[AllDayEvent], *, prodid: str, name: str, dtstamp: dt.datetime) -> bytes:
    """A VCALENDAR of one VEVENT per event (``DTSTART;VALUE=DATE``, exclusive ``DTEND``), as bytes.

    ``dtstamp`` is an aware instant written in UTC on every event; each event's
    SEQUENCE is :attr:`AllDayEvent.sequence`. Raises
    :class:`ModuleNotFoundError` naming the extra when icalendar is missing.
    """
    try:
        from icalendar import Calendar, Event
    except ImportError:
        raise ModuleNotFoundError(
            f"a calendar file needs the icalendar package: pip install 'entitlements[{EXTRA}]'",
            name="icalendar",
        ) from None
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = _utc(dtstamp)
    for event in events:
        ev = Event()
        ev.add("uid", event.uid)
        ev.add("dtstamp", stamp)
        ev.add("sequence", event.sequence)
        ev.add("dtstart", event.first)
        if event.last == dt.date.max:
            raise InputError(
                f"an event ending on {event.last.isoformat()} has no next day to end before in iCalendar",
                field="end",
                value=event.last,
            )
        ev.add("dtend", event.last + dt.timedelta(days=1))
        ev.add("summary", event.summary)
        ev.add("description", event.description)
        if event.categories:
            ev.add("categories", list(event.categories))
        ev.add("transp", "TRANSPARENT")  # a reminder for the period, not a busy block
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data
