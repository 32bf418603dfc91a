"""Territories made from the examples, for the panorama's tests and benchmark.

Territory ``k`` is Mont de Marsan's plan under another name and a valid SIREN of its own,
with its own IDs (shifted), statuts and follow-up drawn from ``k``, and a budget written
in the « Moyens financiers » of one action in four.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from ctgxl.model import Plan, Table
from ctgxl.territory import luhn_valid

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["petite_enfance", "enfance", "jeunesse", "cohesion_sociale", "parentalite"]
STATUTS = ["Non démarrée", "En cours", "En cours", "Réalisée", "Reportée", None]


def siren(seed: int) -> str:
    """A SIREN whose check key holds: eight digits from ``seed``, then the key."""
    body = f"{200000000 // 10 + seed:08d}"[-8:]
    return next(body + str(k) for k in range(10) if luhn_valid(body + str(k)))


def example_plans(names=EXAMPLES) -> dict[str, Plan]:
    from ctgxl.reader import read_plan

    return {name: read_plan(ROOT / "examples" / f"{name}.xlsx").replace(source=None, notes=())
            for name in names}


def _renumbered(table: Table, ids: dict) -> Table:
    if "id_action" not in table.sheet.index:
        return table
    i = table.sheet.position("id_action")
    return Table(table.sheet, tuple(row[:i] + (ids.get(row[i], row[i]),) + row[i + 1:]
                                    for row in table.rows))


def territory_plan(plan: Plan, k: int, name: str | None = None,
                   code: str | None = None) -> Plan:
    """``plan`` as territory ``k`` holds it (see the module's docstring)."""
    rnd = random.Random(k * 7919 + len(plan.actions))
    shift = 100 * (k % 7 + 1)
    ident = plan.actions.sheet.position("id_action")
    ids = {}
    for row in plan.actions.rows:
        prefix, _, number = str(row[ident]).partition("-")
        ids[row[ident]] = f"{prefix}-{int(number) + shift:03d}" if number.isdigit() \
            else row[ident]
    tables = {t.sheet.key: _renumbered(t, ids) for t in plan.tables}
    actions = tables["actions"]
    sheet = actions.sheet
    statut, money = sheet.position("statut"), sheet.position("moyens_financiers")
    rows = []
    for n, row in enumerate(actions.rows):
        row = list(row)
        row[statut] = rnd.choice(STATUTS)
        if n % 4 == 0:
            row[money] = f"{row[money] or 'Budget de l’action'} : {rnd.randint(2, 90) * 500} €"
        rows.append(tuple(row))
    tables["actions"] = Table(sheet, tuple(rows))
    suivi = tables["suivi"]
    year = 2023 + k % 3
    ids_kept = [r[ident] for r in rows]
    s = suivi.sheet
    follow = [tuple({"id_action": i, "annee": year, "statut": "En cours"}.get(c.key)
                    for c in s.columns) for i in ids_kept[::3]]
    tables["suivi"] = Table(s, suivi.rows + tuple(follow))
    meta = dataclasses.replace(plan.meta, territoire=name or f"Territoire {k:04d}",
                               code_territoire=code or siren(k))
    return Plan(meta=meta, **tables)


def write_territory(folder: Path, k: int, plans: dict[str, Plan], **names) -> Path:
    """A folder of territory ``k``'s service workbooks, one per example."""
    from ctgxl.writer import write_plan

    folder.mkdir(parents=True, exist_ok=True)
    for name, plan in plans.items():
        write_plan(territory_plan(plan, k, **names), folder / f"{name}.xlsx")
    return folder
