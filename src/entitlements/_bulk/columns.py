"""Columns of inquiries checked and read into numbers: the contract ids, and times as microseconds.

A table's columns are checked before any row is answered (:class:`Columns`):
contract ids are text, times are timestamps with a time zone or ISO 8601 text
with an offset. Then each batch's columns become numpy arrays: the ids as
dictionary codes (:func:`contract_codes`), each time column as microseconds
since 1970 with, for every row present but without a usable instant, the words
why (:class:`Times`). Times are timestamp columns with a time zone (any unit;
nanoseconds are cut to the microsecond the instant falls in, as the kernel
does), or text parsed by Arrow where it has the plain form
``YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM)``, by the one instant parser
(:func:`.._checks.parse_instant`) otherwise, row by row, with its message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._checks import parse_instant
from .._errors import InputError, cut
from .._time.units import MAX_YEAR, MIN_YEAR, from_micros, micros

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Ints = NDArray[np.int64]
    Bools = NDArray[np.bool_]

__all__ = [
    "HIGHEST",
    "LOWEST",
    "Columns",
    "Times",
    "column_name",
    "contract_codes",
    "one_array",
    "read_times",
]

_DAY = 86_400_000_000


LOWEST = micros(dt.datetime(MIN_YEAR, 1, 1, tzinfo=dt.UTC)) + 2 * _DAY
HIGHEST = micros(dt.datetime(MAX_YEAR, 12, 31, tzinfo=dt.UTC)) - _DAY
"""Instants the calendar answers for (the kernel's own bounds); outside them a row is a problem."""

_PLAIN = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the inquiries are: the names of the contract, receipt and response columns."""

    contract: str = "contract"
    received: str = "received_at"
    responded: str | None = "responded_at"
    """None: no responses. The default name is optional: absent, nothing is answered yet."""

    @classmethod
    def named(cls, contract: Any, received: Any, responded: Any = None) -> Columns:
        """The columns a caller named (``contract_col``, ``received_col``, ``responded_col``), checked."""
        return cls(
            column_name(contract, "contract_col"),
            column_name(received, "received_col"),
            None if responded is None else column_name(responded, "responded_col"),
        )

    def check(self, schema: pa.Schema, where: str, *, statuses: bool) -> bool:
        """Whether there is a response column; an error naming the first missing or ill-typed column."""
        names = schema.names
        for name in (self.contract, self.received):
            _present(name, names, where)
        responded = statuses and self.responded is not None
        if responded and self.responded not in names:
            if self.responded != "responded_at":
                _present(str(self.responded), names, where)
            responded = False
        _id_type(schema.field(self.contract).type, self.contract, where)
        _time_type(schema.field(self.received).type, self.received, where)
        if responded:
            _time_type(schema.field(str(self.responded)).type, str(self.responded), where)
        return responded


def _present(name: str, names: list[str], where: str) -> None:
    if not isinstance(name, str) or name not in names:
        shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
        raise InputError(f"{where} has no column {cut(name)} (columns: {shown or 'none'})", field=str(name))


def _id_type(kind: pa.DataType, name: str, where: str) -> None:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)):
        raise InputError(f"{where}: column {name!r} must hold contract ids as text, got {kind}", field=name)


def _is_text(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind))


def _time_type(kind: pa.DataType, name: str, where: str) -> None:
    if pa.types.is_timestamp(kind):
        if kind.tz is None:
            raise InputError(
                f"{where}: column {name!r} holds timestamps without a time zone ({kind}): their instants "
                "are unknown; store them with one (e.g. pyarrow.compute.assume_timezone), or as ISO 8601 "
                "text with an offset",
                field=name,
            )
        if kind.unit not in ("s", "ms", "us", "ns"):  # pragma: no cover - Arrow has no other unit
            raise InputError(f"{where}: column {name!r} has the unit {kind.unit!r}", field=name)
        return
    if not _is_text(kind):
        raise InputError(
            f"{where}: column {name!r} must hold timestamps with a time zone, or ISO 8601 text with an "
            f"offset, got {kind}",
            field=name,
        )


# --- columns to numbers ---------------------------------------------------------------------------


def one_array(column: Any) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        if column.num_chunks == 1:
            return column.chunk(0)
        if column.num_chunks == 0:
            return pa.array([], type=column.type)
        return column.combine_chunks()
    return column


def contract_codes(column: pa.Array) -> tuple[Ints, list[str]]:
    """Dictionary codes of the contract ids (-1: null or empty) and the distinct ids."""
    encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
    values = encoded.dictionary.to_pylist()
    codes = pc.fill_null(encoded.indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)
    codes = codes.astype(np.int64, copy=True)
    empty = [i for i, v in enumerate(values) if not v]
    if empty:
        codes[np.isin(codes, empty)] = -1
    return codes, values


@dataclass(slots=True)
class Times:
    """A time column: microseconds since 1970 (0 where unusable), which rows have one, each row's problem."""

    name: str
    us: Ints
    present: Bools
    """Not null and not empty text."""
    problems: dict[int, str] = field(default_factory=dict)
    """Rows present but not a usable time: the words why."""
    shown: Callable[[int], str] = str

    @property
    def usable(self) -> Bools:
        ok = self.present.copy()
        if self.problems:
            ok[list(self.problems)] = False
        return ok


def read_times(column: pa.Array, name: str) -> Times:
    kind = column.type
    if pa.types.is_timestamp(kind):
        return _timestamps(column, name)
    if pa.types.is_dictionary(kind):
        column = column.dictionary_decode()
    return _texts(column, name)


def _zone(name: str) -> dt.tzinfo:
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", name)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        return dt.timezone(sign * dt.timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    try:
        return ZoneInfo(name)
    except (ValueError, OSError):  # Arrow's zone that zoneinfo does not know: show UTC
        return dt.UTC


def _timestamps(column: pa.Array, name: str) -> Times:
    kind = column.type
    raw = column.view(pa.int64())
    present = np.asarray(raw.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    ints = pc.fill_null(raw, 0).to_numpy(zero_copy_only=False).astype(np.int64, copy=True)
    zone = _zone(kind.tz)
    problems: dict[int, str] = {}
    if kind.unit == "ns":
        ints //= 1_000  # floor: the microsecond the instant falls in
    elif kind.unit != "us":
        factor = 1_000_000 if kind.unit == "s" else 1_000
        limit = np.iinfo(np.int64).max // factor
        wild = present & ((ints > limit) | (ints < -limit))
        if wild.any():
            for i in np.flatnonzero(wild).tolist():
                problems[i] = (
                    f"{name} {ints[i]} {kind.unit} since 1970 is outside the years {MIN_YEAR}-{MAX_YEAR} "
                    "the calendar answers for"
                )
            ints[wild] = 0
        ints *= factor

    def shown(i: int) -> str:
        try:
            return from_micros(int(ints[i]), zone).isoformat()
        except (OverflowError, ValueError):
            return f"{int(ints[i])} microseconds since 1970"

    times = Times(name, ints, present, problems, shown)
    _bounded(times)
    return times


def _texts(column: pa.Array, name: str) -> Times:
    """ISO 8601 text: the plain form parsed by Arrow, the rest by the one instant parser row by row."""
    n = len(column)
    present = np.asarray(
        pc.and_(pc.is_valid(column), pc.not_equal(pc.utf8_length(column), 0))
        .fill_null(False)
        .to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    ints = np.zeros(n, dtype=np.int64)
    plain = np.asarray(
        pc.match_substring_regex(column, _PLAIN.pattern).fill_null(False).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    slow = present & ~plain
    if plain.any():
        try:
            parsed = pc.cast(pc.if_else(pa.array(plain), column, None), pa.timestamp("us", tz="UTC"))
            values = pc.fill_null(parsed.view(pa.int64()), 0).to_numpy(zero_copy_only=False)
            ints = np.where(plain, values, 0).astype(np.int64)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a plain-looking but wrong date: row by row
            slow = present
    problems: dict[int, str] = {}
    if slow.any():
        for i in np.flatnonzero(slow).tolist():
            text = column[i].as_py()
            try:
                ints[i] = micros(parse_instant(text, name))
            except InputError as exc:
                problems[i] = str(exc)

    def shown(i: int) -> str:
        return str(column[i].as_py())

    times = Times(name, ints, present, problems, shown)
    _bounded(times)
    return times


def _bounded(times: Times) -> None:
    """Rows outside the calendar's years are problems, as for one inquiry."""
    ok = times.present.copy()
    if times.problems:
        ok[list(times.problems)] = False
    outside = ok & ((times.us < LOWEST) | (times.us > HIGHEST))
    for i in np.flatnonzero(outside).tolist():
        times.problems[i] = (
            f"{times.name} {times.shown(i)} is outside the years {MIN_YEAR}-{MAX_YEAR} "
            "the calendar answers for"
        )


def column_name(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise InputError(f"{name} must be a column name, got {cut(value)}", field=name)
    return value
