"""The registry of named checks that rule files refer to.

A check is Python code registered under a French name; ``regles.toml`` says
which check runs on which sheet or column, the engine does the rest. There
are three scopes:

``colonne``  ``factory(ctx, sheet_data, column) -> ColumnTest``: a vectorised
             predicate on one column (run as a pandera column check) and an
             ``explain(index, value)`` that words one failing cell.
``ligne``    ``factory(ctx, sheet_data) -> RowTest``: a vectorised predicate on
             the sheet's frame (a pandera dataframe-wide check) and an
             ``explain(index)`` naming only the cells involved.
``plan``     ``func(ctx) -> Iterable[Hit]``: compares rows or sheets (plain
             Python over the frames).

Column and row checks run on a ``Batch`` of plans (``batch.py``): the sheet
data holds the rows of every plan of the batch, so a predicate must judge each
row on its own, and read what depends on the plan (the workbook's thématique,
an action's offers) through the batch, per row. Plan checks get one plan's
``Context``.

Each check declares the finding codes it may emit; ``regles.toml`` must give
every code a severity and a French message (checked when rules load).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Scope = Literal["colonne", "ligne", "plan"]


@dataclass(frozen=True)
class Verdict:
    """What a failed check says about one row (or a sheet when no row is concerned).

    ``columns`` are the column keys involved, the primary one first: the
    finding points at the primary cell and names the others.
    """

    code: str
    columns: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    variant: str | None = None
    suggestion: str | None = None
    value: Any = None          # shown value; the primary cell's value when None
    cell: str | None = None    # for a verdict on no row: the cell it points at (« S1 »)


@dataclass(frozen=True)
class Hit:
    """A verdict placed on a sheet (key) and a row (0-based index in its table)."""

    sheet: str | None
    index: int | None
    verdict: Verdict


@dataclass(frozen=True)
class ColumnTest:
    predicate: Callable[[Any], Any]                  # Series -> bool Series (True = valid)
    explain: Callable[[int, Any], Verdict | None]
    ignore_na: bool = True


@dataclass(frozen=True)
class RowTest:
    predicate: Callable[[Any], Any]                  # DataFrame -> bool Series (True = valid)
    explain: Callable[[int], Verdict | None]
    columns: tuple[str, ...] = ()                    # columns the check reads


@dataclass(frozen=True)
class CheckSpec:
    name: str
    scope: Scope
    codes: tuple[str, ...]
    func: Callable[..., Any]
    help: str


REGISTRY: dict[str, CheckSpec] = {}

# Codes emitted by the engine itself rather than by a registered check.
ENGINE_CODES = ("champ-obligatoire", "champ-a-completer", "controle-impossible")


def register(name: str, scope: Scope, codes: Iterable[str], help: str) -> Callable:
    """Register ``func`` as the check ``name`` (decorator)."""

    def decorate(func: Callable) -> Callable:
        if name in REGISTRY:
            raise ValueError(f"check {name!r} registered twice")
        REGISTRY[name] = CheckSpec(name, scope, tuple(codes), func, help)
        return func

    return decorate


def load_checks() -> Mapping[str, CheckSpec]:
    """Import the modules that register the checks (once) and return the registry."""
    from . import checks_columns, checks_plan, checks_rows, checks_territory  # noqa: F401

    return REGISTRY


def all_codes() -> tuple[str, ...]:
    codes = list(ENGINE_CODES)
    for spec in load_checks().values():
        codes.extend(c for c in spec.codes if c not in codes)
    return tuple(codes)
