"""The one rows reader (entitlements._read.rows): CSV or JSON Lines, every record once, by its file line."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._read.rows import BadRow, Row, RowReader

COLUMNS = {"required": ("contract", "received_at"), "optional": ("responded_at",)}


def read(data: bytes, limit: int | None = None) -> list[Row | BadRow]:
    extra = {} if limit is None else {"line_limit": limit}
    return list(RowReader(io.BytesIO(data), "in.csv", **COLUMNS, **extra))


def test_csv_rows_with_their_lines() -> None:
    data = b"contract,received_at,responded_at\r\na,t1,\r\n\r\nb,t2,t3\r\n"
    assert read(data) == [
        Row(2, {"contract": "a", "received_at": "t1"}),
        Row(4, {"contract": "b", "received_at": "t2", "responded_at": "t3"}),
    ]


def test_a_quoted_line_break_is_one_record_and_later_lines_count_it() -> None:
    data = b'contract,received_at\na,"t\n1"\nb,t2\n'
    assert read(data) == [
        Row(2, {"contract": "a", "received_at": "t\n1"}),
        Row(4, {"contract": "b", "received_at": "t2"}),
    ]


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_line_ends_and_bom(end: bytes, bom: bytes) -> None:
    csv_data = bom + end.join([b"contract,received_at", b"a,t1", b"b,t2", b""])
    jsonl = bom + end.join(
        [b'{"contract": "a", "received_at": "t1"}', b'{"contract": "b", "received_at": "t2"}']
    )
    expected = [
        Row(2, {"contract": "a", "received_at": "t1"}),
        Row(3, {"contract": "b", "received_at": "t2"}),
    ]
    assert read(csv_data) == expected
    assert read(jsonl) == [Row(1, expected[0].values), Row(2, expected[1].values)]


def test_json_lines_split_at_line_ends_only() -> None:
    data = '{"contract": "a\u2028b", "received_at": "t"}\n{"contract": "c", "received_at": null}\n'
    assert read(data.encode()) == [
        Row(1, {"contract": "a\u2028b", "received_at": "t"}),
        Row(2, {"contract": "c"}),
    ]


def test_bad_json_lines_are_rows_of_their_own() -> None:
    data = b"\n".join(
        [b'{"contract": 1}', b"[1]", b'{"contract": "a", "recieved_at": "t"}', b"no", b'{"contract": "b"}']
    )
    data += b"\n\xff\xfe\n"
    found = read(data)
    assert [type(r) for r in found] == [BadRow] * 6
    assert [r.line for r in found] == [1, 2, 3, 4, 5, 6]
    assert found[1] == BadRow(2, "a JSON line must be an object, got a list")
    assert found[2] == BadRow(3, "unknown column 'recieved_at' (did you mean 'received_at'?)")
    assert found[4] == BadRow(5, "missing column 'received_at'")
    assert found[5] == BadRow(6, "not UTF-8 text (byte 0xff)")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            b"Contract,Received_At",
            "in.csv:1: the header: unknown column 'Contract' (did you mean 'contract'?)",
        ),
        (b"contract,received_at,contract", "in.csv:1: the header names the column 'contract' twice"),
        (b"contract", "in.csv:1: the header: missing column 'received_at'"),
        (b"a,2026-01-01T09:00:00+08:00", "in.csv:1: the header: unknown column 'a'"),
    ],
)
def test_a_wrong_header_refuses_the_whole_input(header: bytes, message: str) -> None:
    with pytest.raises(ent.InputError) as info:
        read(b"\n" + header + b"\nx,y\n" if header.startswith(b"contract,") else header + b"\nx,y\n")
    assert str(info.value).replace("in.csv:2", "in.csv:1").startswith(message)


def test_csv_record_width_must_match_the_header() -> None:
    data = b"contract,received_at\na,t,extra\nb\nc,t\n"
    assert read(data) == [
        BadRow(2, "3 values for the header's 2 columns"),
        BadRow(3, "1 value for the header's 2 columns"),
        Row(4, {"contract": "c", "received_at": "t"}),
    ]


def test_an_unterminated_quote_is_reported_not_swallowed() -> None:
    found = read(b'contract,received_at\na,"t\nb,t2\n')
    assert len(found) == 1
    assert isinstance(found[0], BadRow)
    assert found[0].line == 2
    assert "malformed CSV" in found[0].message


def test_an_over_long_line_is_a_bad_row_and_reading_goes_on() -> None:
    data = b"contract,received_at\na," + b"x" * 100 + b"\nb,t\n"
    assert read(data, limit=50) == [
        BadRow(2, "line is over the limit of 50 characters"),
        Row(3, {"contract": "b", "received_at": "t"}),
    ]


def test_blank_input_has_no_rows() -> None:
    assert read(b"") == []
    assert read(b"\n \r\n") == []


# --- laws ----------------------------------------------------------------------------------------

CELL = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
RECORD = st.tuples(CELL.filter(lambda s: s.strip() != ""), CELL.filter(lambda s: s.strip() != ""), CELL)


@given(st.lists(RECORD, max_size=20), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
@example([("a", "b\nc", '"')], "\r\n", True)
def test_written_csv_reads_back_exactly(records: list[tuple[str, str, str]], end: str, bom: bool) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=end, quoting=csv.QUOTE_ALL)
    writer.writerow(["contract", "received_at", "responded_at"])
    writer.writerows(records)
    data = ("\ufeff" if bom else "") + out.getvalue()
    found = read(data.encode())
    assert all(isinstance(r, Row) for r in found)
    expected = [
        {
            k: v.strip()
            for k, v in zip(("contract", "received_at", "responded_at"), r, strict=True)
            if v.strip()
        }
        for r in records
    ]
    assert [r.values for r in found if isinstance(r, Row)] == expected
    # Each record's line is the editor's line on which it starts.
    lines = [
        1
        + sum(
            s.count("\r\n") + s.replace("\r\n", "").count("\r") + s.replace("\r\n", "").count("\n")
            for r in records[:i]
            for s in r
        )
        + 1
        + i
        for i in range(len(records))
    ]
    assert [r.line for r in found] == lines


@given(
    st.lists(
        st.dictionaries(st.sampled_from(["contract", "received_at", "responded_at", "x"]), CELL), max_size=20
    )
)
def test_json_lines_rows_in_are_rows_out(objects: list[dict[str, str]]) -> None:
    data = "\n".join(json.dumps(o, ensure_ascii=False) for o in objects).encode()
    found = read(data)
    assert len(found) == len(objects)
    assert [r.line for r in found] == list(range(1, len(objects) + 1))
    for obj, row in zip(objects, found, strict=True):
        valid = "x" not in obj and {"contract", "received_at"} <= set(obj)
        assert isinstance(row, Row) == valid


@given(st.binary(max_size=300))
@example(b'contract,received_at\n"\r')
@example(b"\xef\xbb\xbf{\n\x00")
def test_any_bytes_give_rows_in_line_order_or_an_input_error(data: bytes) -> None:
    try:
        found = read(data, limit=40)
    except ent.InputError as error:
        message = str(error)
        found = []
    else:
        message = "in.csv:"
    assert message.startswith("in.csv:")
    lines = [r.line for r in found]
    assert lines == sorted(set(lines))
    assert all(1 <= line <= max(1, data.count(b"\n") + data.count(b"\r") + 1) for line in lines)


UNQUOTED = st.text(st.characters(exclude_categories=("Cs",), exclude_characters='"\r\n'), max_size=30)


@given(st.lists(UNQUOTED, max_size=15), st.sampled_from(["\n", "\r\n"]))
@example(["a,b", " , ", "\t,\x0b,x", "a,\xa0", "a,b,c,d"], "\n")
def test_the_fast_path_reads_a_line_without_quotes_as_csv_does(lines: list[str], end: str) -> None:
    """A line without a quote is split at its commas, not parsed: the oracle is ``csv`` itself."""
    data = "contract,received_at" + end + "".join(line + end for line in lines)
    expected: list[Row | BadRow] = []
    for number, line in enumerate(lines, start=2):
        cells = [cell.strip() for cell in next(csv.reader([line]), [])]
        if not any(cells):
            continue
        if len(cells) != 2:
            expected.append(
                BadRow(
                    number, f"{len(cells)} value{'s' if len(cells) != 1 else ''} for the header's 2 columns"
                )
            )
            continue
        expected.append(
            Row(number, {k: v for k, v in zip(("contract", "received_at"), cells, strict=True) if v})
        )
    assert read(data.encode()) == expected


def test_a_byte_that_is_not_utf8_inside_a_quoted_record_loses_no_later_record() -> None:
    """Issue 22 (found by the rows law): the bad line was given blank, which dropped the record's closing
    quote, so ``csv`` read on to the end of the input and the records after it were lost."""
    data = b'contract,received_at\n"acme\n",2026-03-02T09:00:00+08:00\xff\nglobex,2026-03-02T09:00:00+08:00\n'
    got = read(data)
    assert [(type(r).__name__, r.line) for r in got] == [("BadRow", 2), ("Row", 4)]
    assert isinstance(got[0], BadRow)
    assert got[0].message == "not UTF-8 text (byte 0xff)"


def batched(data: bytes, size: int, limit: int | None = None) -> list[Row | BadRow]:
    """The records of :meth:`RowReader.batches`, one by one, as iterating gives them."""
    extra = {} if limit is None else {"line_limit": limit}
    records: list[Row | BadRow] = []
    for batch in RowReader(io.BytesIO(data), "in.csv", **COLUMNS, **extra).batches(size):
        assert all(len(column) == len(batch.lines) for column in batch.columns.values())
        for i, line in enumerate(batch.lines):
            bad = batch.bad.get(i)
            records.append(BadRow(line, bad) if bad is not None else Row(line, batch.values(i)))
    return records


MIXED = st.lists(
    st.one_of(
        UNQUOTED,
        st.tuples(CELL, CELL, CELL).map(lambda r: ",".join('"' + c.replace('"', '""') + '"' for c in r)),
        st.tuples(UNQUOTED, UNQUOTED, UNQUOTED).map(",".join),
        st.just(""),
        st.just("a" * 50),
    ),
    max_size=20,
)


@given(MIXED, st.sampled_from(["\n", "\r\n", "\r"]), st.integers(1, 5), st.booleans())
@example(["a , b,\tc", "", " ,\t, ", "x,y", " ,b,"], "\n", 2, False)
def test_batches_hold_the_records_iterating_gives(
    lines: list[str], end: str, size: int, json_lines: bool
) -> None:
    """Law: the records of ``batches`` (any size) are those iterating gives, in order, lines and values
    and messages alike (CSV with quotes, blank, short, long and over-long lines; JSON Lines)."""
    if json_lines:
        body = "".join(
            (
                json.dumps(dict(zip(("contract", "received_at"), line.split(","), strict=False)))
                if line
                else ""
            )
            + end
            for line in lines
        )
        data = body.encode()
    else:
        data = ("contract,received_at,responded_at" + end + "".join(line + end for line in lines)).encode()
    data += b"\xff\xfe,x\n"  # bytes that are not UTF-8: a bad row of its own
    assert batched(data, size, limit=40) == read(data, limit=40)


OBJECTS = st.dictionaries(
    st.sampled_from(["contract", "received_at", "responded_at", "other"]),
    st.one_of(
        st.none(), st.text(max_size=5), st.integers(), st.floats(allow_nan=True), st.lists(st.integers())
    ),
    max_size=4,
)
JSON_LINES = st.lists(
    st.one_of(
        st.tuples(
            st.sampled_from(["", " ", "\t"]), OBJECTS, st.sampled_from(["", " ", "x", "{}", " ,", "]"])
        ).map(lambda parts: parts[0] + json.dumps(parts[1]) + parts[2]),
        st.text(alphabet='{}[]",:0aN ', max_size=12),
        st.just('{"contract": NaN, "received_at": Infinity}'),
    ),
    max_size=12,
)


@given(JSON_LINES, st.sampled_from(["\n", "\r\n"]), st.integers(1, 4))
@example(['{"contract": "a", "received_at": "b"} x', ' {"contract": "a", "received_at": "b"}'], "\n", 1)
def test_json_lines_in_batches_are_the_records_iterating_gives(lines: list[str], end: str, size: int) -> None:
    """Law: a JSON line read in batches (json.loads' scanner, without its whitespace searches) is the record
    iterating gives (json.loads): text after the object, space around it, values of any kind, not JSON."""
    data = "".join(line + end for line in ['{"contract": "first", "received_at": "x"}', *lines]).encode()
    assert batched(data, size, limit=200) == read(data, limit=200)


@given(st.binary(max_size=300), st.integers(1, 4))
@example(b'contract,received_at\n"\r', 1)
def test_batches_of_any_bytes_are_the_records(data: bytes, size: int) -> None:
    try:
        expected = read(data, limit=40)
    except ent.InputError as error:
        with pytest.raises(ent.InputError, match=re.escape(str(error))):
            batched(data, size, limit=40)
    else:
        assert batched(data, size, limit=40) == expected
