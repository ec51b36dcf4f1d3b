"""``entitlements status``: one inquiry at --now, from a contracts file or the deadline command's flags."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import entitlements as ent
from entitlements._cli import main

CONTRACTS = """\
acme-cn:
  offering: saas-premium
  timezone: Asia/Shanghai
  country: CN
initech:
  offering: tsam
"""
ENGINE = ent.Engine.default()
ACME = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
RECEIVED = "2026-09-30T15:00:00+08:00"  # due 8 October 15:00: National Day week skipped
FLAGS = ("--offering", "saas-premium", "--timezone", "Asia/Shanghai", "--country", "CN")


@pytest.fixture
def contracts(tmp_path: Path) -> Path:
    path = tmp_path / "contracts.yaml"
    path.write_text(CONTRACTS, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_status_of_one_inquiry_from_a_contracts_file(
    capsys: pytest.CaptureFixture[str], contracts: Path
) -> None:
    now = "2026-10-08T14:00:00+08:00"
    code, out, err = run(
        capsys,
        "status",
        "--contracts",
        str(contracts),
        "--contract",
        "acme-cn",
        "--received",
        RECEIVED,
        "--now",
        now,
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[:7] == [
        "at-risk  At risk: 1 hour remaining of 8 hours; due 2026-10-08 15:00 +08:00",
        "  received:    2026-09-30T15:00:00+08:00",
        "  responded:   -",
        "  now:         2026-10-08T14:00:00+08:00",
        "  deadline:    2026-10-08T15:00:00+08:00",
        "  at risk at:  2026-10-08T13:00:00+08:00",
        "  next change: 2026-10-08T15:00:00+08:00",
    ]
    assert out.splitlines()[-1].startswith("  catalog: ")


@pytest.mark.parametrize(
    ("now", "responded"),
    [
        ("2026-10-08T10:00:00+08:00", None),  # open
        ("2026-10-09T10:00:00+08:00", None),  # breached: still exit 0
        ("2026-10-09T10:00:00+08:00", "2026-10-08T11:00:00+08:00"),  # met
        ("2026-10-09T10:00:00+08:00", "2026-10-09T09:30:00+08:00"),  # missed
        ("2026-10-08T10:00:00+08:00", "2026-10-09T09:30:00+08:00"),  # after now: not yet known
    ],
)
def test_json_is_the_models_and_every_state_exits_0(
    capsys: pytest.CaptureFixture[str], contracts: Path, now: str, responded: str | None
) -> None:
    argv = ["--received", RECEIVED, "--now", now, *(["--responded", responded] if responded else [])]
    code, out, err = run(capsys, "status", "--json", *FLAGS, *argv)
    assert (code, err) == (0, "")
    expected = ENGINE.response_status(
        ACME,
        dt.datetime.fromisoformat(RECEIVED),
        now=dt.datetime.fromisoformat(now),
        responded_at=None if responded is None else dt.datetime.fromisoformat(responded),
    )
    assert json.loads(out) == expected.model_dump(mode="json")
    by_file = run(capsys, "status", "--json", "--contracts", str(contracts), "--contract", "acme-cn", *argv)
    assert by_file == (0, out, "")


def test_the_deadline_commands_flags_build_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--received", "2026-10-02T10:00:00-04:00", "--now", "2026-10-05T10:00:00-04:00"]
    flags = ["--offering", "saas-standard", "--timezone", "America/New_York", "--country", "US"]
    code, out, _ = run(
        capsys, "status", "--json", *flags, "--hours", "08:00-18:00", "--target-days", "3", *argv
    )
    assert code == 0
    contract = ent.Contract(
        offering="saas-standard",
        timezone="America/New_York",
        country="US",
        business_hours=("08:00", "18:00"),
        response_business_days=3,
    )
    expected = ENGINE.response_status(
        contract,
        dt.datetime.fromisoformat(argv[1]),
        now=dt.datetime.fromisoformat(argv[3]),
    )
    assert json.loads(out) == expected.model_dump(mode="json")


def test_a_response_after_now_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "--received",
        RECEIVED,
        "--now",
        "2026-10-08T10:00:00+08:00",
        "--responded",
        "2026-10-09T09:30:00+08:00",
    ]
    code, out, _ = run(capsys, "status", *FLAGS, *argv)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("open  Open: ")
    assert "  responded:   -" in lines
    assert (
        "  responded at 2026-10-09T09:30:00+08:00, after now (2026-10-08T10:00:00+08:00): "
        "not yet known at now, so the status is the one that holds at now"
    ) in lines


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            [],
            "no contract: give --contracts FILE --contract ID, or the contract's flags "
            "(missing: --offering, --timezone, --country)",
        ),
        (
            ["--offering", "saas-premium"],
            "no contract: give --contracts FILE --contract ID, or the "
            "contract's flags (missing: --timezone, --country)",
        ),
        (["--contracts", "FILE"], "--contracts needs --contract ID: the contract's id in the file"),
        (["--contract", "acme-cn"], "--contract names a contract of --contracts FILE; give the file too"),
        (
            ["--contracts", "FILE", "--contract", "acme-cn", "--offering", "tsam"],
            "--offering builds a contract from flags; give either --contracts FILE --contract ID or the "
            "contract's flags, not both",
        ),
        (
            ["--contracts", "FILE", "--contract", "acme-cm"],
            "contracts.yaml) (did you mean 'acme-cn'?)",
        ),
        (
            ["--contracts", "FILE", "--contract", "initech"],
            "contract for 'tsam' has no --timezone; a time question needs one",
        ),
        ([*FLAGS[:4], "--country", "China"], "--country"),
    ],
)
def test_bad_arguments_exit_2_with_one_message(
    capsys: pytest.CaptureFixture[str], contracts: Path, argv: list[str], message: str
) -> None:
    argv = [str(contracts) if a == "FILE" else a for a in argv]
    code, out, err = run(
        capsys, "status", *argv, "--received", RECEIVED, "--now", "2026-10-08T10:00:00+08:00"
    )
    assert (code, out) == (2, "")
    assert message in err
    code, out, err = run(
        capsys, "status", "--json", *argv, "--received", RECEIVED, "--now", "2026-10-08T10:00:00+08:00"
    )
    assert (code, out) == (2, "")
    assert message in json.loads(err)["error"]["message"]


def test_bad_instants_name_their_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "status", *FLAGS, "--received", RECEIVED, "--now", "2026-10-08 10:00")
    assert code == 2
    assert "--now" in err
    code, _, err = run(capsys, "status", *FLAGS, "--received", RECEIVED, "--now", "2026-09-30T10:00:00+08:00")
    assert code == 2
    assert "is before received_at" in err
