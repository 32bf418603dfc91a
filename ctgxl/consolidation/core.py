"""Consolidation: the plans of several service workbooks gathered into one master plan.

``consolidate_plans([(name, plan), …])`` is pure: every row of every table of
every plan goes into the master, in the order of the files and of their rows,
with its provenance — the file's name (not its full path on this machine) and
the Excel row it was read from — in the two provenance columns of the
catalogue. Nothing is merged, dropped or deduplicated: what looks wrong
across files (the same ID action twice, two files for one thématique…) is
reported as findings (``checks.py``), never silently fixed, so that
``split_plan`` can give every service back exactly its rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from ..catalogue import TABLE_SHEETS, union_sheet
from ..errors import printable
from ..findings import Finding
from ..model import Meta, Plan, Row, Table, conform
from ..values import writable_text

# Workbook a row of a table built in memory would occupy: data start on row 2.
FIRST_DATA_ROW = 2


@dataclass(frozen=True)
class Source:
    """One consolidated file: its provenance name, metadata and row counts per table key."""

    name: str
    meta: Meta = Meta()
    rows: Mapping[str, int] = field(default_factory=dict)
    # table key -> headers of the columns the file added, in the file's order
    columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def actions(self) -> int:
        return self.rows.get("actions", 0)


@dataclass(frozen=True)
class Consolidation:
    """The master plan, the checks across files and what each file brought."""

    master: Plan
    findings: tuple[Finding, ...]
    sources: tuple[Source, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "erreur")


def source_names(paths: Sequence[str | PurePath]) -> list[str]:
    """Provenance name of each input: its file name, with as many parent folders as
    needed to tell apart two inputs with the same name (``2024/enfance.xlsx``).

    Names are as users read them (``errors.printable``: « ? » for a control character, « � »
    for each byte that is not UTF-8), numbered when only such characters told two apart
    (``r�sum�.xlsx``, ``r�sum� (2).xlsx``): every cell, report and ``ctgxl split --par
    fichier`` can hold and tell them apart.
    """
    parts = [PurePath(p).parts or (str(p),) for p in paths]
    depth = [1] * len(parts)
    while True:
        names = ["/".join(p[-d:]) for p, d in zip(parts, depth)]
        seen: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            seen.setdefault(name, []).append(i)
        clashes = [i for group in seen.values() if len(group) > 1 for i in group
                   if depth[i] < len(parts[i])]
        if not clashes:
            return _numbered([printable(name) for name in names])
        for i in clashes:
            depth[i] += 1


def _numbered(names: list[str]) -> list[str]:
    """``names`` with the second, third… of a name numbered (« nom (2).xlsx »)."""
    taken = set(names)
    seen: set[str] = set()
    out = []
    for name in names:
        if name in seen:
            stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
            k = 2
            while (candidate := f"{stem} ({k}){dot}{suffix}") in taken:
                k += 1
            taken.add(candidate)
            name = candidate
        seen.add(name)
        out.append(name)
    return out


def with_provenance(table: Table, name: str) -> tuple[Row, ...]:
    """Rows of ``table`` with their provenance columns set to ``name`` and source row."""
    name = writable_text(name)   # rows are rendered as XML as they are (fastrows)
    sheet = table.sheet
    f, r = sheet.position("source_fichier"), sheet.position("source_ligne")
    lines = table.origin.rows if table.origin is not None else \
        range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(table.rows))
    if (f, r) == (len(sheet.columns) - 2, len(sheet.columns) - 1):  # the catalogue's layout
        return tuple(row[:f] + (name, line) for row, line in zip(table.rows, lines))
    out = []
    for row, line in zip(table.rows, lines):
        values = list(row)
        values[f], values[r] = name, line
        out.append(tuple(values))
    return tuple(out)


def consolidate_plans(named_plans: Sequence[tuple[str, Plan]], *,
                      lists: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
                      vocabulary=None, rules=None) -> Consolidation:
    """Gather ``(name, plan)`` pairs into one master plan with provenance.

    ``lists`` (file name -> list header -> values, as read from each file's
    « Listes » sheet) and ``vocabulary`` (the coordinator's lists) enable the
    check that every file uses the same dropdown lists. The master carries the
    territory its files name (most of them, when one names another: an erreur); a file
    of a template before 1.2 names the one of ``rules`` (``[convention]``).
    """
    from ..territory import Territory, common_territory, workbook_territory
    from .checks import check_across_files

    names = [name for name, _ in named_plans]
    if len(set(names)) != len(names):
        raise ValueError(f"source names must be unique: {names}")
    tables = {}
    for base in TABLE_SHEETS:
        parts = [plan.table(base.key) for _, plan in named_plans]
        sheet = union_sheet(t.sheet for t in parts) if parts else base
        rows: list[Row] = []
        for (name, _), table in zip(named_plans, parts):
            rows.extend(with_provenance(table, name) if table.sheet == sheet else
                        conform(Table(table.sheet, with_provenance(table, name)), sheet))
        tables[base.key] = Table(sheet, tuple(rows))
    fallback = rules.territory_of_rules if rules is not None else Territory()
    territory = common_territory([(name, workbook_territory(plan.meta, fallback))
                                  for name, plan in named_plans])
    master = Plan(meta=Meta(territoire=territory.name, code_territoire=territory.code), **tables)
    sources = tuple(
        Source(name, plan.meta, {t.sheet.key: len(t) for t in plan.tables},
               {t.sheet.key: tuple(c.header for c in t.sheet.extra_columns)
                for t in plan.tables if t.sheet.extra_columns})
        for name, plan in named_plans)
    findings = check_across_files(named_plans, lists=lists, vocabulary=vocabulary, rules=rules)
    return Consolidation(master, tuple(findings), sources)
