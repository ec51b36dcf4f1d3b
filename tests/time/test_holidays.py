"""The holidays package behind one module: country codes checked, a country's name answered with its code."""

from __future__ import annotations

import pytest

import entitlements as ent
from entitlements._time.holidays import check_country


@pytest.mark.parametrize(
    ("given", "code"),
    [("China", "CN"), ("china", "CN"), ("CHN", "CN"), ("United States", "US"), ("united_kingdom", "GB")],
)
def test_a_country_name_or_three_letter_code_suggests_its_two_letter_code(given: str, code: str) -> None:
    with pytest.raises(ent.InputError) as info:
        check_country(given)
    assert str(info.value) == f"unknown country {given!r} for the holidays calendar (did you mean {code!r}?)"
    assert info.value.suggestion == code  # type: ignore[attr-defined]
    assert check_country(code) == code  # the suggestion is itself accepted


@pytest.mark.parametrize(("given", "code"), [("cn", "CN"), ("US", "US"), ("de", "DE")])
def test_two_letter_codes_are_accepted_in_any_case(given: str, code: str) -> None:
    assert check_country(given) == code


def test_the_command_line_suggests_the_code_for_a_name(capsys: pytest.CaptureFixture[str]) -> None:
    from entitlements._cli import main

    code = main(
        ["deadline", "--offering", "saas-premium", "--timezone", "Asia/Shanghai", "--country", "China",
         "--received", "2026-09-30T15:00:00+08:00"]
    )  # fmt: skip
    assert code == 2
    assert "unknown country 'China' for the holidays calendar (did you mean 'CN'?)" in capsys.readouterr().err
