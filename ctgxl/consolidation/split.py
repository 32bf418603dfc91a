"""Split a master plan back into one plan per thématique or per source file.

``split_plan(master, by="thematique" | "source", sources=…)`` is pure. Each
row goes to one group, in the master's order, with its provenance emptied:

- ``by="source"``: the file named in « Fichier source ». A row without
  provenance (added in the master after consolidation) goes to the file of
  its action (Offres, Suivi) or to the file holding its thématique;
- ``by="thematique"``: the row's thématique (Actions, Plan); Offres and Suivi
  rows follow their action (same ID action, same source file); a row whose
  thématique cannot be told goes by its source file's thématique.

What cannot be placed at all goes to « Sans fichier source » / « Sans
thématique »: nothing is dropped. A file listed in ``sources`` that brought
no row still gets its (empty) plan back. ``sources`` (read from the master's
« Sources » sheet) gives back each file's metadata (thématique, service), so
that split(consolidate(files)) gives the files back as they were; every part carries
the master's territory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from ..catalogue import TABLE_SHEETS
from ..model import Meta, Plan, Table, conform
from .summary import fold
from .core import Source

SplitBy = Literal["thematique", "source"]
NO_THEMATIQUE = "Sans thématique"
NO_SOURCE = "Sans fichier source"


class _Groups:
    """Group label of every row of the master, and each label's first spelling."""

    def __init__(self, master: Plan, by: SplitBy, sources: Sequence[Source]) -> None:
        self.by = by
        self.sources = {s.name: s for s in sources}
        self.labels: dict[str, str] = {}          # folded label -> label as first seen
        self.source_thematique: dict[str, str] = {}
        for s in sources:
            if s.meta.thematique:
                self.source_thematique[s.name] = s.meta.thematique.strip()
        actions = master.actions
        pos = {k: actions.sheet.position(k) for k in ("id_action", "thematique",
                                                       "source_fichier")}
        for row in actions.rows:
            name, them = row[pos["source_fichier"]], row[pos["thematique"]]
            if name is not None and them is not None:
                self.source_thematique.setdefault(str(name), str(them))
        # thématique (folded) -> first source holding it, for rows without provenance
        self.thematique_source: dict[str, str] = {}
        for name, them in self.source_thematique.items():
            self.thematique_source.setdefault(fold(them), name)
        self.action_group: dict[tuple, str] = {}
        self.id_group: dict[object, str] = {}

    def label(self, text: str) -> str:
        return self.labels.setdefault(fold(text), text.strip())

    def of_row(self, thematique, source) -> str:
        """Group of an Actions or Plan row."""
        if self.by == "source":
            if source is not None:
                return str(source)
            if thematique is not None and fold(str(thematique)) in self.thematique_source:
                return self.thematique_source[fold(str(thematique))]
            return NO_SOURCE
        if thematique is not None:
            return self.label(str(thematique))
        if source is not None and str(source) in self.source_thematique:
            return self.label(self.source_thematique[str(source)])
        return NO_THEMATIQUE

    def of_child(self, ident, source) -> str:
        """Group of an Offres or Suivi row: its action's."""
        found = self.action_group.get((ident, source))
        if found is not None:
            return found
        if source is not None:
            if self.by == "source":
                return str(source)
            if str(source) in self.source_thematique:
                return self.label(self.source_thematique[str(source)])
        found = self.id_group.get(ident)
        if found is not None:
            return found
        return NO_SOURCE if self.by == "source" else NO_THEMATIQUE


def split_plan(master: Plan, by: SplitBy = "thematique",
               sources: Sequence[Source] = ()) -> dict[str, Plan]:
    """One plan per group label (source file name or thématique), in a stable order."""
    if by not in ("thematique", "source"):
        raise ValueError(f"unknown split: {by!r}")
    groups = _Groups(master, by, sources)
    assigned: dict[str, dict[str, list]] = {}

    def group(label: str) -> dict[str, list]:
        return assigned.setdefault(label, {s.key: [] for s in TABLE_SHEETS})

    def put(label: str, key: str, row) -> None:
        group(label)[key].append(row)

    for source in sources:  # a file that had no rows still gets its (empty) workbook back
        if by == "source":
            group(source.name)
        elif source.meta.thematique:
            group(groups.label(source.meta.thematique))

    for key in ("actions", "plan"):
        table = master.table(key)
        them, src = table.sheet.position("thematique"), table.sheet.position("source_fichier")
        ident = table.sheet.position("id_action") if key == "actions" else None
        for row in table.rows:
            label = groups.of_row(row[them], row[src])
            put(label, key, row)
            if ident is not None:
                groups.action_group.setdefault((row[ident], row[src]), label)
                groups.id_group.setdefault(row[ident], label)
    for key in ("offres", "indicateurs", "suivi"):
        table = master.table(key)
        ident, src = table.sheet.position("id_action"), table.sheet.position("source_fichier")
        for row in table.rows:
            put(groups.of_child(row[ident], row[src]), key, row)

    result = {}
    for label in _ordered(assigned, groups):
        order = _added_order(label, groups)
        tables = {key: _used_columns(Table(master.table(key).sheet, tuple(rows)), order)
                  .without_provenance() for key, rows in assigned[label].items()}
        meta = replace(_meta(label, groups, tables["actions"]),   # the master's territory
                       territoire=master.meta.territoire,
                       code_territoire=master.meta.code_territoire)
        result[label] = Plan(meta=meta, **tables)
    return result


def _added_order(label: str, groups: _Groups) -> dict[str, list[str]]:
    """Table key -> added headers in the order of the group's own file(s) (Sources sheet)."""
    if groups.by == "source":
        owners = [groups.sources[label]] if label in groups.sources else []
    else:
        owners = [s for s in groups.sources.values()
                  if s.meta.thematique and fold(s.meta.thematique) == fold(label)]
    order: dict[str, list[str]] = {}
    for source in owners:
        for key, headers in source.columns.items():
            order.setdefault(key, []).extend(h for h in headers if h not in order.get(key, []))
    return order


def _used_columns(table: Table, order: dict[str, list[str]]) -> Table:
    """The table with the added columns its group's file had, in that file's order, and those
    some row fills: a service gets back its columns, not those of the other services."""
    extras = table.sheet.extra_columns
    if not extras:
        return table
    start = len(table.sheet.columns) - len(extras)
    own = order.get(table.sheet.key, [])
    used = [c.header for j, c in enumerate(extras, start=start)
            if c.header in own or any(row[j] is not None for row in table.rows)]
    rank = {h: i for i, h in enumerate(own)}
    used.sort(key=lambda h: rank.get(h, len(rank)))
    if used == [c.header for c in extras]:
        return table
    sheet = table.sheet.with_extras(used)
    return Table(sheet, conform(table, sheet))


def _ordered(assigned: dict, groups: _Groups) -> list[str]:
    labels = list(assigned)
    if groups.by == "source":
        order = {name: i for i, name in enumerate(groups.sources)}
        labels.sort(key=lambda label: order.get(label, len(order)))
    leftover = NO_SOURCE if groups.by == "source" else NO_THEMATIQUE
    return [label for label in labels if label != leftover] + \
        ([leftover] if leftover in assigned else [])


def _meta(label: str, groups: _Groups, actions: Table) -> Meta:
    """Metadata of a split workbook: its source's, when one file stands for the group."""
    if groups.by == "source":
        source = groups.sources.get(label)
        if source is not None:
            return Meta(thematique=source.meta.thematique, service=source.meta.service)
        found = {fold(str(v)): str(v) for v in actions.column("thematique") if v is not None}
        only = next(iter(found.values())) if len(found) == 1 else None
        return Meta(thematique=only, service=only)
    if label == NO_THEMATIQUE:
        return Meta()
    owners = [s for s in groups.sources.values()
              if s.meta.thematique and fold(s.meta.thematique) == fold(label)]
    if len(owners) == 1:
        return Meta(thematique=owners[0].meta.thematique, service=owners[0].meta.service)
    services = {s.meta.service for s in owners if s.meta.service}
    return Meta(thematique=label, service=services.pop() if len(services) == 1 else label)
