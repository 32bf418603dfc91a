"""The plan model: what a canonical workbook holds, independent of any file.

A ``Plan`` is immutable: one ``Table`` per table sheet of the catalogue plus
the workbook's metadata. Rows are tuples aligned with the sheet's columns
(compact and fast at 100,000 rows); ``records()`` gives dicts when that reads
better. A table read from a file remembers where each row and column came
from, so that any value can be pointed at as ``Actions!H12``. Where a value
came from never takes part in equality: ``read(write(plan)) == plan``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from .catalogue import (ACTIONS, EXTRA_PREFIX, INDICATEURS, OFFRES, PLAN, SHEETS_BY_KEY, SUIVI,
                        TABLE_SHEETS,
                        Sheet, union_sheet)
from .findings import Finding
from .values import Value, normalize, years_of

Row = tuple[Value, ...]


def column_letter(position: int) -> str:
    """Excel letter of a 1-based column position: 1 -> A, 27 -> AA (no openpyxl import)."""
    letters = ""
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """1-based position of an Excel column letter: A -> 1, AA -> 27."""
    position = 0
    for letter in letters.upper():
        position = position * 26 + ord(letter) - 64
    return position


@dataclass(frozen=True)
class Origin:
    """Where a table was read: Excel row number of each row, letter of each column."""

    rows: tuple[int, ...]
    letters: Mapping[str, str]


@dataclass(frozen=True)
class Table:
    sheet: Sheet
    rows: tuple[Row, ...] = ()
    origin: Origin | None = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_records(cls, sheet: Sheet, records: Iterable[Mapping[str, object]]) -> Table:
        """Build a table from dicts keyed by column key; values are normalised.

        A key ``"+Header"`` is a column the service added (see ``Column.extra``).
        """
        records = list(records)
        added = [k[len(EXTRA_PREFIX):] for r in records for k in r
                 if k.startswith(EXTRA_PREFIX) and k not in sheet.index]
        if added:
            sheet = sheet.with_extras([*(c.header for c in sheet.extra_columns), *added])
        columns = sheet.columns
        unknown = set().union(*(r.keys() for r in records)) - set(sheet.keys)
        if unknown:
            raise KeyError(f"unknown columns for sheet {sheet.name}: {sorted(unknown)}")
        rows = tuple(tuple(normalize(c, r.get(c.key)) for c in columns) for r in records)
        return cls(sheet, rows)

    def records(self) -> list[dict[str, Value]]:
        keys = self.sheet.keys
        return [dict(zip(keys, row)) for row in self.rows]

    def column(self, key: str) -> list[Value]:
        i = self.sheet.position(key)
        return [row[i] for row in self.rows]

    def key_of(self, row: Row) -> tuple[Value, ...]:
        return tuple(row[self.sheet.position(k)] for k in self.sheet.key_columns)

    def excel_row(self, index: int) -> int | None:
        """Row number in the source file of the row at ``index`` (None if built in memory)."""
        return self.origin.rows[index] if self.origin else None

    def cell(self, index: int, key: str) -> str | None:
        """``Sheet!A1`` reference of one value in the source file, when known."""
        if not self.origin or key not in self.origin.letters:
            return None
        return f"{self.sheet.name}!{self.origin.letters[key]}{self.origin.rows[index]}"

    def with_rows(self, rows: Iterable[Row]) -> Table:
        return Table(self.sheet, tuple(rows))

    def without_provenance(self) -> Table:
        """The same rows with the provenance columns emptied."""
        blank = [i for i, c in enumerate(self.sheet.columns) if c.provenance]
        if not any(row[i] is not None for row in self.rows for i in blank):
            return self
        rows = tuple(tuple(None if i in blank else v for i, v in enumerate(row))
                     for row in self.rows)
        return Table(self.sheet, rows, self.origin)


def conform(table: Table, sheet: Sheet) -> tuple[Row, ...]:
    """The rows of ``table`` laid out as ``sheet`` (same catalogue sheet, other added columns).

    Canonical columns keep their place; an added column ``sheet`` has and the
    table lacks is empty, one the table has and ``sheet`` lacks is dropped.
    """
    if table.sheet == sheet:
        return table.rows
    base = len(sheet.base.columns)
    have = {c.key: i for i, c in enumerate(table.sheet.columns)}
    picks = [have.get(c.key) for c in sheet.columns[base:]]
    return tuple(row[:base] + tuple(None if i is None else row[i] for i in picks)
                 for row in table.rows)


def on_common_columns(*plans: Plan) -> tuple[Plan, ...]:
    """The plans with each table laid out on the union of their added columns, so that
    rows compare and merge column by column (an added column a plan lacks is empty)."""

    changes: list[dict[str, Table]] = [{} for _ in plans]
    for base in TABLE_SHEETS:
        tables = [p.table(base.key) for p in plans]
        sheet = union_sheet(t.sheet for t in tables)
        for change, table in zip(changes, tables):
            if table.sheet != sheet:
                change[base.key] = Table(sheet, conform(table, sheet), table.origin)
    return tuple(replace(p, **c) if c else p for p, c in zip(plans, changes))


@dataclass(frozen=True)
class Meta:
    """Content of the hidden metadata sheet."""

    thematique: str | None = None
    service: str | None = None
    # Versions describe the file, not the plan: they take no part in equality.
    template_version: str | None = field(default=None, compare=False)
    schema_version: str | None = field(default=None, compare=False)
    # The territory that signs the CTG: its name and SIREN (EPCI) or INSEE (commune) code.
    territoire: str | None = None
    code_territoire: str | None = None


@dataclass(frozen=True)
class Plan:
    meta: Meta = Meta()
    actions: Table = Table(ACTIONS)
    offres: Table = Table(OFFRES)
    plan: Table = Table(PLAN)
    indicateurs: Table = Table(INDICATEURS)
    suivi: Table = Table(SUIVI)
    source: str | None = field(default=None, compare=False)
    notes: tuple[Finding, ...] = field(default=(), compare=False)

    def table(self, key: str) -> Table:
        return getattr(self, key)

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(self.table(s.key) for s in TABLE_SHEETS)

    @classmethod
    def from_records(cls, meta: Meta = Meta(), **records: Iterable[Mapping[str, object]]) -> Plan:
        """``Plan.from_records(meta, actions=[{...}], plan=[...])``."""
        tables = {key: Table.from_records(SHEETS_BY_KEY[key], list(rows))
                  for key, rows in records.items()}
        return cls(meta=meta, **tables)

    def replace(self, **changes: object) -> Plan:
        return replace(self, **changes)

    def without_provenance(self) -> Plan:
        """The plan as a service holds it: provenance columns emptied."""
        return replace(self, **{t.sheet.key: t.without_provenance() for t in self.tables})


def fill_years(table: Table) -> Table:
    """Fill empty ``annee_debut``/``annee_fin`` from ``echeances`` where it can be parsed."""
    sheet = table.sheet
    if "echeances" not in sheet.index:
        return table
    e, d, f = (sheet.position(k) for k in ("echeances", "annee_debut", "annee_fin"))
    rows = []
    for row in table.rows:
        if row[d] is None and row[f] is None and row[e]:
            start, end = years_of(str(row[e]))
            if start is not None:
                row = row[:d] + (start,) + row[d + 1:f] + (end,) + row[f + 1:]
        rows.append(row)
    return Table(sheet, tuple(rows), table.origin)
