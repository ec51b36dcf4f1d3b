"""Parquet in, Parquet out (bulk.write_response_statuses): batches, summaries, round trips, bad files.

- The file written equals the in-memory answer (itself the scalar path's, tests/test_inquiries.py),
  whatever the batch size, for a file and for a folder of files.
- The summaries are SlaTally's for the same inquiries; every bad row is reported once, in order.
- Hostile files: not Parquet, missing, empty, missing or ill-typed columns, an unwritable
  destination; nothing half-written is left behind.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import entitlements as ent
from entitlements import bulk

from .test_tables import CONTRACTS, NOW, ROWS, answerable, answers, table

ENGINE = ent.Engine.default()


def tally_of(rows: list[tuple[str | None, dt.datetime | None, dt.datetime | None]]) -> ent.SlaTally:
    """The scalar tally of the rows: every answerable row counted, every other one refused with our error."""
    tally = ENGINE.sla_tally(CONTRACTS, now=NOW)
    for key, received, responded in rows:
        if answerable((key, received, responded)):
            tally.count(key, received, responded)  # type: ignore[arg-type]
            continue
        with pytest.raises(ent.EntitlementsError):
            tally.count(key, received, responded)  # type: ignore[arg-type]
    assert tally.total().inquiries == sum(map(answerable, rows)) > 0
    return tally


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("in") / "inquiries.parquet"
    pq.write_table(table(ROWS), path, row_group_size=700)
    return path


@pytest.mark.parametrize("batch_size", [1, 333, 1_000_000])
def test_the_file_written_is_the_in_memory_answer_whatever_the_batch(
    source: Path, tmp_path: Path, batch_size: int
) -> None:
    rows = ROWS if batch_size > 1 else ROWS[:200]
    if batch_size == 1:
        pq.write_table(table(rows), source := tmp_path / "few.parquet")
    out = tmp_path / "statuses.parquet"
    seen: list[tuple[int, str, str]] = []
    report = bulk.write_response_statuses(
        source,
        out,
        CONTRACTS,
        now=NOW,
        batch_size=batch_size,
        on_problem=lambda row, error: seen.append((row, type(error).__name__, str(error))),
    )
    written = pq.read_table(out)
    whole = bulk.add_response_statuses(table(rows), CONTRACTS, now=NOW)
    assert written.schema == whole.schema
    assert written.equals(whole.cast(written.schema)) or answers(written) == answers(whole)
    assert answers(written) == answers(whole)
    assert written.select(["ticket", "contract", "received_at", "responded_at"]) == table(rows)
    problems = written.column("problem").to_pylist()
    assert [(row, message) for row, _, message in seen] == [
        (i, p) for i, p in enumerate(problems) if p is not None
    ]
    assert {kind for _, kind, _ in seen} == {"InputError", "UnknownIdError", "ContractError"}
    tally = tally_of(rows)
    assert report.contracts == tally.summaries()
    assert report.total == tally.total()
    assert (report.rows, report.bad_rows) == (len(rows), len(seen))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no part file left


def test_a_folder_of_files_is_read_in_order(tmp_path: Path) -> None:
    folder = tmp_path / "inquiries"
    folder.mkdir()
    for i, start in enumerate(range(0, 1_500, 500)):
        pq.write_table(table(ROWS[start : start + 500]), folder / f"part-{i}.parquet")
    report = bulk.write_response_statuses(
        folder, tmp_path / "out.parquet", CONTRACTS, now=NOW, batch_size=128
    )
    written = pq.read_table(tmp_path / "out.parquet")
    assert written.column("ticket").to_pylist() == list(range(500)) * 3
    expected = [a for s in range(0, 1_500, 500) for a in answers(bulk.add_response_statuses(
        table(ROWS[s : s + 500]), CONTRACTS, now=NOW))]  # fmt: skip
    assert answers(written) == expected
    assert report.total == tally_of(ROWS[:1_500]).total()


def test_the_report_round_trips_through_json(source: Path, tmp_path: Path) -> None:
    report = bulk.write_response_statuses(source, tmp_path / "out.parquet", CONTRACTS, now=NOW)
    data = json.loads(json.dumps(report.model_dump(mode="json")))
    assert bulk.SlaFileReport.model_validate(data) == report
    assert data["now"] == "2026-11-03T14:30:00+08:00"
    assert [r["code"] for r in data["reasons"]] == ["at-risk-rule", "response-times"]
    assert data["total"]["contract"] is None
    assert report.catalog == ENGINE.sla_report(CONTRACTS, [], now=NOW).catalog


def test_an_empty_file_gives_an_empty_output_and_zero_summaries(tmp_path: Path) -> None:
    pq.write_table(table([]), tmp_path / "empty.parquet")
    report = bulk.write_response_statuses(
        tmp_path / "empty.parquet", tmp_path / "out.parquet", CONTRACTS, now=NOW
    )
    assert (report.rows, report.bad_rows, report.contracts, report.total.inquiries) == (0, 0, (), 0)
    written = pq.read_table(tmp_path / "out.parquet")
    assert written.num_rows == 0
    assert written.column_names[-len(bulk.STATUS_COLUMNS) :] == list(bulk.STATUS_COLUMNS)


def test_bad_sources_and_destinations(source: Path, tmp_path: Path) -> None:
    def fails(src: Path, dst: Path, message: str) -> None:
        with pytest.raises(ent.InputError) as info:
            bulk.write_response_statuses(src, dst, CONTRACTS, now=NOW)
        assert str(info.value) == message
        assert not dst.exists()
        assert (
            [p.name for p in dst.parent.iterdir() if p.name.endswith(".part")] == []
            if dst.parent.exists()
            else True
        )

    out = tmp_path / "out.parquet"
    fails(tmp_path / "none.parquet", out, f"{tmp_path / 'none.parquet'}: cannot read: no such file or folder")
    (tmp_path / "not.parquet").write_text("contract,received_at\n", encoding="utf-8")
    with pytest.raises(ent.InputError, match="cannot read as Parquet: "):
        bulk.write_response_statuses(tmp_path / "not.parquet", out, CONTRACTS, now=NOW)
    assert not out.exists()
    pq.write_table(table(ROWS[:5]).drop_columns(["contract"]), tmp_path / "nocontract.parquet")
    fails(
        tmp_path / "nocontract.parquet",
        out,
        f"{tmp_path / 'nocontract.parquet'} has no column 'contract' "
        "(columns: ticket, received_at, responded_at)",
    )
    naive = table(ROWS[:5])
    naive = naive.set_column(2, "received_at", naive.column("received_at").cast(pa.timestamp("ns")))
    pq.write_table(naive, tmp_path / "naive.parquet")
    with pytest.raises(ent.InputError, match=r"column 'received_at' holds timestamps without a time zone"):
        bulk.write_response_statuses(tmp_path / "naive.parquet", out, CONTRACTS, now=NOW)
    fails(
        source,
        tmp_path / "no" / "such" / "out.parquet",
        f"{tmp_path / 'no' / 'such' / 'out.parquet'}: cannot write: No such file or directory",
    )
    with pytest.raises(ent.InputError, match=r"^batch_size must be a whole number of rows from 1, got 0"):
        bulk.write_response_statuses(source, out, CONTRACTS, now=NOW, batch_size=0)
    with pytest.raises(ent.InputError, match=r"^source must be a path, got 3"):
        bulk.write_response_statuses(3, out, CONTRACTS, now=NOW)  # type: ignore[arg-type]


def test_a_file_cut_short_is_one_error_and_leaves_no_output(source: Path, tmp_path: Path) -> None:
    data = source.read_bytes()
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(data[: len(data) // 2] + data[-(8 + 4096) :])  # the footer kept, pages lost
    out = tmp_path / "out.parquet"
    with pytest.raises(ent.InputError, match="cannot read as Parquet: "):
        bulk.write_response_statuses(broken, out, CONTRACTS, now=NOW)
    assert not out.exists()


def test_a_folder_whose_files_differ_is_one_error(tmp_path: Path) -> None:
    folder = tmp_path / "inquiries"
    folder.mkdir()
    pq.write_table(table(ROWS[:10]), folder / "a.parquet")
    pq.write_table(table(ROWS[10:20]).drop_columns(["ticket"]), folder / "b.parquet")
    out = tmp_path / "out.parquet"
    with pytest.raises(ent.InputError) as info:
        bulk.write_response_statuses(folder, out, CONTRACTS, now=NOW)
    assert str(info.value) == (
        f"{folder / 'b.parquet'}: its columns (contract: string, received_at: timestamp[us, tz=UTC], "
        "responded_at: timestamp[us, tz=UTC]) are not those of the other files of "
        f"{folder} (ticket: int64, contract: string, received_at: timestamp[us, tz=UTC], "
        "responded_at: timestamp[us, tz=UTC])"
    )
    assert not out.exists()


def test_a_folder_is_read_as_pyarrow_dataset_discovers_it(tmp_path: Path) -> None:
    """Files below the folder in path order, subfolders too, none under a name starting with . or _
    (what ``pyarrow.dataset`` reads; the module no longer imports it, for memory)."""
    import pyarrow.dataset as ds

    folder = tmp_path / "inquiries"
    (folder / "b").mkdir(parents=True)
    (folder / "_tmp").mkdir()
    for i, name in enumerate(["b/part-1.parquet", "a.parquet", "_tmp/x.parquet", ".hidden.parquet", "_meta"]):
        pq.write_table(table(ROWS[i * 100 : i * 100 + 100]), folder / name)
    bulk.write_response_statuses(folder, tmp_path / "out.parquet", CONTRACTS, now=NOW)
    read = pq.read_table(tmp_path / "out.parquet").column("ticket").to_pylist()
    assert read == ds.dataset(folder, format="parquet").to_table().column("ticket").to_pylist()
    assert len(read) == 200  # b/part-1 and a, not _tmp/x, .hidden or _meta
