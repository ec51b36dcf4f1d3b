"""The errors this library raises on purpose, all under one base.

::

    EntitlementsError                  anything raised on purpose
    ├── CatalogError (ValueError)      a catalog file or folder is wrong; .problems
    ├── UnknownIdError (LookupError)   an offering, feature, method... id not in the catalog
    ├── InputError (ValueError)        a bad argument to a query: naive datetime, negative count
    │   └── ContractError              a Contract that cannot be built: unknown zone, bad hours
    └── NotSpecifiedError (LookupError) the document states no such fact (tsam's response target)

Every message names the offending value and where it came from: the file and
line for catalog problems, the argument for a bad call, and a "did you mean"
where a near id exists. "Not included" and "over capacity" are never errors:
they are results with reasons.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CatalogError",
    "ContractError",
    "EntitlementsError",
    "InputError",
    "NotSpecifiedError",
    "Problem",
    "UnknownIdError",
    "did_you_mean",
]


class EntitlementsError(Exception):
    """Base of every error the library raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a catalog, located as precisely as the loader can."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class CatalogError(EntitlementsError, ValueError):
    """A catalog that cannot be read or does not hold together.

    ``problems`` lists every problem found, each with its file and line; the
    message is those problems, one ``file:line: message`` per line.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("CatalogError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, line: int | None, message: str) -> CatalogError:
        return cls((Problem(file, line, message),))


class UnknownIdError(EntitlementsError, LookupError):
    """An id that the catalog does not define."""

    def __init__(self, kind: str, value: object, known: Iterable[str]) -> None:
        self.kind = kind
        self.value = value
        self.known: tuple[str, ...] = tuple(known)
        self.suggestion = did_you_mean(value, self.known)
        message = f"unknown {kind} {value!r}"
        if self.suggestion is not None:
            message += f" (did you mean {self.suggestion!r}?)"
        else:
            message += f"; known: {', '.join(self.known)}"
        super().__init__(message)

    def __str__(self) -> str:  # LookupError would quote the message otherwise
        return str(self.args[0])


class InputError(EntitlementsError, ValueError):
    """A query called with an argument it cannot answer for."""


class ContractError(InputError):
    """A contract whose fields cannot describe business time or a service."""


class NotSpecifiedError(EntitlementsError, LookupError):
    """The service description states no such fact, and the call supplied none."""

    def __str__(self) -> str:
        return str(self.args[0])


def did_you_mean(value: object, known: Iterable[str]) -> str | None:
    """The known id nearest to ``value``, or None when nothing is near.

    Nearness is difflib's ratio; ties go to the longer common prefix, then to
    the earlier id. A case or separator slip (``SAAS_PREMIUM``) always matches.
    """
    if not isinstance(value, str):
        return None
    candidates = list(known)
    normal = value.lower().replace("_", "-").replace(" ", "-")
    for candidate in candidates:
        if candidate.lower() == normal:
            return candidate
    cutoff = 0.5 if len(value) <= 3 else 0.6
    best: tuple[float, int, int] | None = None
    choice = None
    for index, candidate in enumerate(candidates):
        ratio = difflib.SequenceMatcher(None, value, candidate).ratio()
        prefix = _common_prefix(value, candidate)
        if ratio < cutoff or (len(value) <= 3 and prefix == 0):  # short codes: same first letter
            continue
        key = (ratio, prefix, -index)
        if best is None or key > best:
            best, choice = key, candidate
    return choice


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
