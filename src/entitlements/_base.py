"""The two pydantic bases every model of the library stands on.

- :class:`Frozen`: immutable, unknown keys refused, schema built on first use.
  Catalog models and answers.
- :class:`Input`: a :class:`Frozen` that callers build from their own data
  (``Contract``, ``Usage``, requests). It has one validation path: the
  constructor, ``model_validate``, ``model_validate_json``,
  ``model_validate_strings``, ``model_construct``, ``model_copy(update=...)``
  and :meth:`Input.replace` all validate, and whatever is wrong comes out as
  the class's :class:`~entitlements.InputError` (never a pydantic
  ``ValidationError``, ``TypeError`` or ``OverflowError``), translated in one
  place (:func:`~entitlements._errors.from_validation`).

A validator of ours raises :class:`~entitlements.InputError` (a
``ValueError``, so pydantic collects it with the others) or a plain
``ValueError``; either way the message is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Self, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from ._errors import EntitlementsError, InputError, cut, from_validation

__all__ = ["Frozen", "Input", "constructed", "guarded", "unexpected"]


class Frozen(BaseModel):
    """An immutable model that refuses unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @property
    def model_fields_set(self) -> set[str]:
        """The fields set at construction, as pydantic's, in a set of the caller's own: the answers
        :func:`constructed` makes share one set of every field name (pydantic never changes it on a frozen
        model), which no caller can change through this."""
        return set(self.__pydantic_fields_set__)


_M = TypeVar("_M", bound="Frozen")


_new = object.__new__

_EVERY_FIELD: dict[type, set[str]] = {}
"""Each model's field names, for :func:`constructed`: one set per model class, shared by its answers."""


def constructed(cls: type[_M], fields: dict[str, Any]) -> _M:
    """``cls.model_construct(**fields)`` for an answer whose every value the library computed and checked,
    ``fields`` naming every field: the instance pydantic's ``model_construct`` makes (the same ``__dict__``,
    fields set, no extra, no private), without its per-field Python loop. For hot paths only (a status per
    inquiry); their tests hold the result equal to the validated model.

    Every field is set, so the fields set is the model's one set of every field name (see
    :attr:`Frozen.model_fields_set`): one allocation fewer per answer."""
    made = _new(cls)  # no model here defines __new__: object's, without looking it up
    setter = object.__setattr__
    setter(made, "__dict__", fields)
    every = _EVERY_FIELD.get(cls)
    if every is None:
        every = _EVERY_FIELD[cls] = set(cls.model_fields)
    setter(made, "__pydantic_fields_set__", every)
    setter(made, "__pydantic_extra__", None)
    setter(made, "__pydantic_private__", None)
    return made


_UNEXPECTED = (TypeError, OverflowError, RecursionError, ArithmeticError, LookupError, AttributeError)
"""What a validator can trip over on input no one foresaw: made an error of ours, never let through."""


def unexpected(exc: BaseException, what: str, error: type[InputError] = InputError) -> InputError:
    """An exception no validator foresaw, as an error of ours naming what was being validated."""
    return error(f"invalid {what}: {type(exc).__name__}: {cut(str(exc))[1:-1]}")


def guarded(
    validate: Any,
    obj: Any,
    *,
    what: str,
    fields: Iterable[str],
    error: type[InputError] = InputError,
    skip: int = 0,
    **kwargs: Any,
) -> Any:
    """``validate(obj, **kwargs)``, with whatever goes wrong made one of our errors (see the module)."""
    try:
        return validate(obj, **kwargs)
    except ValidationError as exc:
        raise from_validation(exc, what, fields, error=error, skip=skip) from None
    except EntitlementsError:
        raise
    except _UNEXPECTED as exc:
        raise unexpected(exc, what, error) from None


class Input(Frozen):
    """A model built from a caller's data: one validation path, errors of ours only.

    Subclasses name themselves for messages with ``what`` and choose the
    error class with ``error``.
    """

    what: ClassVar[str] = "input"
    error: ClassVar[type[InputError]] = InputError

    def __init__(self, /, **data: Any) -> None:
        def build(values: dict[str, Any]) -> None:
            super(Input, self).__init__(**values)

        guarded(build, data, what=self.what, fields=type(self).model_fields, error=self.error)

    @classmethod
    def _validated(cls, validate: Any, obj: Any, **kwargs: Any) -> Self:
        result: Self = guarded(
            validate, obj, what=cls.what, fields=cls.model_fields, error=cls.error, **kwargs
        )
        return result

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate plain data (a mapping) or an instance; an :class:`InputError` if it does not hold."""
        return cls._validated(super().model_validate, obj, **kwargs)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Self:
        """Validate a JSON document; an :class:`InputError` if it does not hold."""
        return cls._validated(super().model_validate_json, json_data, **kwargs)

    @classmethod
    def model_validate_strings(cls, obj: Any, **kwargs: Any) -> Self:
        """Validate a mapping of strings; an :class:`InputError` if it does not hold."""
        return cls._validated(super().model_validate_strings, obj, **kwargs)

    @classmethod
    def model_construct(  # type: ignore[override]  # the plugin types it per model; ours validates
        cls, _fields_set: set[str] | None = None, **values: Any
    ) -> Self:
        """Validates like the constructor: there is no unvalidated way to build one."""
        return cls(**values)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; with ``update``, the same as :meth:`replace` (validated)."""
        if update:
            return self.replace(**update)
        return self  # immutable: the copy may be the value itself

    def replace(self, **changes: Any) -> Self:
        """A new, fully validated instance with ``changes`` applied (an unknown name is refused)."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(changes)
        return type(self)(**data)
