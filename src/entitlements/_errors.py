"""The errors this library raises on purpose, all under one base, and the two message builders.

::

    EntitlementsError                   anything raised on purpose; .field, .value
    ├── CatalogError (ValueError)       a catalog file or folder is wrong; .problems
    ├── UnknownIdError (LookupError)    an offering, feature, method... id not in the catalog
    ├── InputError (ValueError)         a bad argument: naive datetime, negative count, wrong type
    │   └── ContractError               a Contract that cannot be built or cannot answer: bad zone, hours
    │       └── ContractsFileError      a contracts file with bad entries; .problems
    └── NotSpecifiedError (LookupError) the document states no such fact (tsam's response target)

Every message names the offending value and where it came from: the file and
line for catalog problems, the field or argument for a bad call, and a "did
you mean" where a near id exists. "Not included" and "over capacity" are never
errors: they are results with reasons.

Messages are built in two places only: :func:`unknown` for an id that is not
known, and :func:`from_validation` (with :func:`describe`) for what pydantic
found wrong. A message names a field with :func:`field_ref`, so that a caller
that spells fields differently (the command line's ``--target-days`` for
``response_business_days``) can show its own name with
:meth:`EntitlementsError.render`. Every error survives pickling, so a worker
process can raise one to its pool.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError
    from pydantic_core import ErrorDetails

__all__ = [
    "MAX_SHOWN",
    "CatalogError",
    "ContractError",
    "ContractsFileError",
    "EntitlementsError",
    "InputError",
    "NotSpecifiedError",
    "Problem",
    "UnknownIdError",
    "cut",
    "describe",
    "field_ref",
    "from_validation",
    "unknown",
]

_MARK = "\x1f"
"""Wraps a field name inside a message (see :func:`field_ref`); never shown."""
_FIELD = re.compile(f"{_MARK}([^{_MARK}]*){_MARK}")

MAX_SHOWN = 80
"""A value longer than this (as repr) is cut in messages."""
MAX_LISTED = 40
"""Known ids are listed in a message only when there are at most this many."""
MAX_SUGGESTED = 64
"""No "did you mean" is looked for when the value is longer than this: no id is that long."""


def field_ref(name: str) -> str:
    """``name`` marked as a field inside a message, for :meth:`EntitlementsError.render`."""
    return f"{_MARK}{name}{_MARK}"


def cut(value: object, limit: int = MAX_SHOWN) -> str:
    """``repr(value)``, cut to about ``limit`` characters with the length said."""
    try:
        text = repr(value)
    except Exception:  # a repr that fails must not hide the error being reported
        text = f"<{type(value).__name__}>"
    if len(text) <= limit:
        return text
    return f"{text[: limit - 20]}...({len(text)} characters)"


def _spell(field: str, names: Mapping[str, str]) -> str:
    if field in names:
        return names[field]
    head = re.match(r"[A-Za-z_][A-Za-z0-9_]*", field)
    if head is not None and head[0] in names:
        return names[head[0]] + field[head.end() :]
    return field


def _restore(cls: type[EntitlementsError], message: str, state: dict[str, Any]) -> EntitlementsError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class EntitlementsError(Exception):
    """Base of every error the library raises on purpose.

    ``field`` names the argument or field at fault, when there is one;
    ``value`` is the value found there.

    Examples:
        >>> try:
        ...     engine.entitlement("saas-premum", "service-review")
        ... except ent.EntitlementsError as error:
        ...     print(error)
        ...     print(error.field, error.value)
        unknown offering 'saas-premum' (did you mean 'saas-premium'?)
        offering saas-premum
    """

    field: str | None
    value: object

    def __init__(self, message: str, *, field: str | None = None, value: object = None) -> None:
        super().__init__(message)
        self._message = message
        self.field = field
        self.value = value

    def __str__(self) -> str:
        return self._message.replace(_MARK, "")

    def render(self, names: Mapping[str, str]) -> str:
        """The message with each field it names spelt as in ``names`` (others as they are).

        A field with an index or a nested part (``weekly_hours[0]``) is spelt by its first name.
        """
        return _FIELD.sub(lambda m: _spell(m[1], names), self._message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self._message, self.__dict__))


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a catalog (or a contracts file), located as precisely as the loader can.

    Examples:
        >>> import io
        >>> try:
        ...     ent.load_contracts(io.StringIO("acme: {offering: tsam, timezone: Mars/Base}"), name="c.yaml")
        ... except ent.ContractsFileError as error:
        ...     problem = error.problems[0]
        >>> problem.file, problem.line
        ('c.yaml', 1)
    """

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

    Examples:
        >>> try:
        ...     ent.Engine.from_path("no-such-folder")
        ... except ent.CatalogError as error:
        ...     print(type(error).__name__, isinstance(error, ValueError))
        CatalogError True
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        found = tuple(problems)
        if not found:
            raise ValueError("CatalogError needs at least one problem")
        super().__init__("\n".join(str(p) for p in found), field=found[0].file, value=None)
        self.problems = found

    @classmethod
    def single(cls, file: str, line: int | None, message: str) -> CatalogError:
        return cls((Problem(file, line, message),))


class UnknownIdError(EntitlementsError, LookupError):
    """An id that the catalog does not define; ``suggestion`` is the nearest known one, if any.

    Examples:
        >>> try:
        ...     engine.offering("saas-premum")
        ... except ent.UnknownIdError as error:
        ...     print(error)
        unknown offering 'saas-premum' (did you mean 'saas-premium'?)
    """

    kind: str
    known: tuple[str, ...]
    suggestion: str | None


Finding = tuple[str, str, str, object]
"""One thing a validation found: (pydantic's error type, the field's location, our words, the value)."""


class InputError(EntitlementsError, ValueError):
    """A query or constructor called with an argument it cannot answer for.

    ``details``: for an error made from a validation, each finding as
    ``(kind, field, words, value)``, so that a model holding the one that
    failed can say where, in its own terms.

    Examples:
        >>> try:
        ...     ent.Usage(contacts=-1)
        ... except ent.InputError as error:
        ...     print(isinstance(error, ValueError), error.field)
        True contacts
    """

    details: tuple[Finding, ...] = ()


class ContractError(InputError):
    """A contract whose fields cannot describe business time or a service.

    Examples:
        >>> try:
        ...     ent.Contract(offering="tsam", country="XX")
        ... except ent.ContractError as error:
        ...     print(error.field, error.value)
        country XX
    """


class ContractsFileError(ContractError):
    """A contracts file that cannot be read, or holds bad contracts; ``problems`` lists every one.

    The message is those problems, one ``file:line: contract 'id': ...`` per line.

    Examples:
        >>> import io
        >>> try:
        ...     ent.load_contracts(io.StringIO("acme: {offering: tsam, timezone: Mars/Base}"), name="c.yaml")
        ... except ent.ContractsFileError as error:
        ...     print(error)
        c.yaml:1: contract 'acme': invalid timezone: unknown time zone 'Mars/Base'
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        found = tuple(problems)
        if not found:
            raise ValueError("ContractsFileError needs at least one problem")
        super().__init__("\n".join(str(p) for p in found), field=found[0].file)
        self.problems = found


class NotSpecifiedError(EntitlementsError, LookupError):
    """The service description states no such fact, and the call supplied none.

    Examples:
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> contract = ent.Contract(offering="tsam", timezone="Asia/Shanghai", country="CN")
        >>> try:
        ...     engine.response_deadline(contract, dt.datetime(2026, 9, 30, 15, tzinfo=tz))
        ... except ent.NotSpecifiedError as error:
        ...     print(isinstance(error, LookupError))
        True
    """


def _suggest(value: object, known: Iterable[str]) -> str | None:
    """The known id nearest to ``value``, or None when nothing is near.

    Nearness is difflib's ratio; ties go to the longer common prefix, then to
    the earlier id. A case or separator slip (``SAAS_PREMIUM``) always matches.
    Values longer than any plausible id get no suggestion (difflib is quadratic).
    """
    if not isinstance(value, str) or not value or len(value) > MAX_SUGGESTED:
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
        matcher = difflib.SequenceMatcher(None, value, candidate)
        if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
            continue
        ratio = matcher.ratio()
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


def unknown(  # noqa: PLR0913 - the message's parts, each named
    kind: str,
    value: object,
    known: Iterable[str],
    *,
    field: str | None = None,
    of: str = "",
    error: type[EntitlementsError] = UnknownIdError,
    suggest: str | None = None,
) -> EntitlementsError:
    """``unknown offering 'saas-premum' (did you mean 'saas-premium'?)``, as an error to raise.

    ``of`` follows the value (``for the holidays calendar``). Without a
    suggestion the known ids are listed, when there are few enough to read
    (not the hundreds of time zones). ``error`` is the class:
    :class:`UnknownIdError` for an id the catalog lacks, :class:`InputError`
    for a value a validator refuses; ``suggest`` is a suggestion the caller knows better than a
    spelling match (a country's code for its name). The error carries ``suggestion`` and ``known``.
    """
    names = tuple(known)
    suggestion = suggest if suggest is not None else _suggest(value, names)
    message = f"unknown {kind} {cut(value)}" + (f" {of}" if of else "")
    if suggestion is not None:
        message += f" (did you mean {suggestion!r}?)"
    elif len(names) <= MAX_LISTED:
        message += f"; known: {', '.join(names) or 'none'}"
    result = error(message, field=field or kind, value=value)
    result.kind = kind  # type: ignore[attr-defined]
    result.known = names  # type: ignore[attr-defined]
    result.suggestion = suggestion  # type: ignore[attr-defined]
    return result


# --- pydantic's findings in our words -----------------------------------------------------

_KIND = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "list": "a list",
    "tuple": "a list",
    "frozenset": "a list",
    "set": "a list",
    "dict": "a mapping",
    "model": "a mapping",
    "model_attributes": "a mapping",
    "date": "a date 'YYYY-MM-DD'",
    "time": "a time 'HH:MM'",
    "datetime": "a date and time in ISO 8601 with an offset",
    "timedelta": "an ISO 8601 duration such as 'PT1H30M'",
    "decimal": "a number",
}
"""pydantic's ``<kind>_type`` / ``<kind>_parsing`` error types, as a person would name the kind."""


def _our_words(error: ErrorDetails) -> str:
    cause = (error.get("ctx") or {}).get("error")
    return str(cause) if cause is not None else str(error["msg"]).removeprefix("Value error, ")


def _literal(error: ErrorDetails) -> str:
    given = error.get("input")
    options = re.findall(r"'([^']*)'", str((error.get("ctx") or {}).get("expected", "")))
    hint = _suggest(given, options)
    text = f"must be one of: {', '.join(options)}, got {cut(given)}"
    return text + (f" (did you mean {hint!r}?)" if hint else "")


_BOUNDS = {
    "greater_than": "more than",
    "greater_than_equal": "at least",
    "less_than": "less than",
    "less_than_equal": "at most",
}


def _bound(error: ErrorDetails) -> str:
    bound = next(iter((error.get("ctx") or {}).values()), "?")
    return f"must be {_BOUNDS[error['type']]} {bound}, got {cut(error.get('input'))}"


def _length(error: ErrorDetails) -> str:
    ctx = error.get("ctx") or {}
    if error["type"] == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    least = ctx.get("min_length", 1)
    return "must not be empty" if least == 1 else f"must have at least {least} items"


def _tag(error: ErrorDetails) -> str:
    ctx = error.get("ctx") or {}
    if error["type"] == "union_tag_invalid":
        return f"must be one of: {ctx.get('expected_tags')}, got {cut(ctx.get('tag'))}"
    return f"needs a {ctx.get('discriminator', 'kind')!s}"


_DESCRIBE: dict[str, Callable[[ErrorDetails], str]] = {
    "value_error": _our_words,
    "assertion_error": _our_words,
    "missing": lambda error: "is required",
    "literal_error": _literal,
    **dict.fromkeys(_BOUNDS, _bound),
    "too_short": _length,
    "too_long": _length,
    "int_from_float": lambda error: f"must be a whole number, got {cut(error.get('input'))}",
    "union_tag_invalid": _tag,
    "union_tag_not_found": _tag,
    "recursion_loop": lambda error: "refers to itself",
}
"""pydantic error types in our words, each said of the field it is about."""


def _kind_stem(kind: str) -> str:
    for suffix in ("_type", "_parsing", "_from_datetime_inexact", "_from_datetime_parsing"):
        if kind.endswith(suffix):
            return kind.removesuffix(suffix)
    return kind


def describe(error: ErrorDetails, known_fields: Iterable[str] = ()) -> str:
    """One pydantic error in our words, said of the field it is about: ``must be ..., got ...``.

    The words follow the field's name (``frequency must be text, got 3``);
    the location is the caller's to say. ``known_fields`` are the keys of the
    mapping the error is in, for the "did you mean" of an unknown one. A
    problem one of our own validators raised keeps its own words.
    """
    kind = error["type"]
    if kind in _DESCRIBE:
        return _DESCRIBE[kind](error)
    if kind == "extra_forbidden":
        name = str(error["loc"][-1]) if error["loc"] else ""
        fields = tuple(known_fields)
        hint = _suggest(name, fields)
        if hint is not None:
            return f"is not a known key (did you mean {hint!r}?)"
        return "is not a known key" + (f"; keys: {', '.join(fields)}" if fields else "")
    stem = _kind_stem(kind)
    if stem in _KIND:
        return f"must be {_KIND[stem]}, got {cut(error.get('input'))}"
    return f"{str(error['msg']).rstrip('.')}, got {cut(error.get('input'))}"


def _location(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(("." if parts else "") + part)
    return "".join(parts)


def from_validation(
    exc: ValidationError,
    what: str,
    known_fields: Iterable[str] = (),
    *,
    error: type[InputError] = InputError,
    skip: int = 0,
) -> InputError:
    """A pydantic ``ValidationError`` as one of ours: every problem in one message.

    ``what`` names the thing validated (``contract``, ``usage``, ``deliverable
    request``); the error's ``field`` and ``value`` are the first problem's.
    A problem that one of our own validators raised keeps its own words; one
    that a nested model of ours found is said where it is in the whole
    (``invalid capacity request usage.contacts: ...``). ``skip`` drops that many
    leading parts of each location (a union's tag).
    """
    fields = tuple(known_fields)
    found: list[Finding] = []
    named: list[str | None] = []  # the field a validator of ours named, for a finding about the whole
    for detail in exc.errors(include_url=False):
        loc = tuple(detail["loc"])[skip:]
        where = _location(loc)
        cause = (detail.get("ctx") or {}).get("error")
        if isinstance(cause, InputError) and cause.details:  # a nested model of ours: its own findings
            found.extend(
                (kind, _join(where, inner), words, value) for kind, inner, words, value in cause.details
            )
            continue
        words = describe(detail, fields if len(loc) <= 1 else ())
        found.append((detail["type"], where, words, detail.get("input")))
        named.append(cause.field if isinstance(cause, EntitlementsError) else None)
    messages = [say(finding, what, field_ref) for finding in found]
    first = found[0] if found else None
    result = error(
        "; ".join(messages) or f"invalid {what}",
        field=(first[1] or (named[0] if named else None)) if first else None,
        value=(_cause_value(exc) if first and not first[1] else first[3]) if first else None,
    )
    result.details = tuple(found)
    return result


def _cause_value(exc: ValidationError) -> object:
    """The value a validator of ours named, for a finding about the whole model."""
    cause = (exc.errors(include_url=False)[0].get("ctx") or {}).get("error")
    return cause.value if isinstance(cause, EntitlementsError) else None


def say(finding: Finding, what: str = "", mark: Callable[[str], str] = str) -> str:
    """One finding as a sentence: ``invalid contract timezone: unknown time zone 'Mars/Olympus'``.

    ``what`` names the thing (none: the sentence starts at the field); ``mark``
    wraps the field's name (:func:`field_ref`, for :meth:`EntitlementsError.render`).
    """
    kind, where, words, _ = finding
    thing = f"{what} " if what else ""
    if kind == "extra_forbidden":
        hint = words.removeprefix("is not a known key").replace("; keys:", "; fields:")
        return f"unknown {thing}field '{mark(where)}'{hint}"
    if kind == "missing":
        return f"{thing}field '{mark(where)}' is required"
    if where:
        return f"invalid {thing}{mark(where)}: {words}"
    return f"invalid {what}: {words}" if what else words


def _join(outer: str, inner: str) -> str:
    if not inner or not outer:
        return outer or inner
    return f"{outer}{inner}" if inner.startswith("[") else f"{outer}.{inner}"
