"""Pandera schemas built from the column catalogue and the rules, one per sheet.

A schema is built for each batch of plans validated (``batch.py``): the
required-field check depends on each row's thématique (and, for Enfance, on
the offers of the action in the row's plan), so its mask is computed from the
plans and closed over. Check names are the
registered names; ``Explainers`` maps them back to the code that words a
failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from ..catalogue import Column
from .batch import Batch
from .context import SheetData
from .registry import REGISTRY, RowTest, Verdict
from .rules import Required

REQUIRED_CHECKS = ("obligatoire", "a_completer")  # pandera names of the two tiers


@dataclass
class Explainers:
    columns: dict[tuple[str, str], object] = field(default_factory=dict)  # (check, key) -> fn


def column_checks(ctx: Batch, sd: SheetData, column: Column) -> list[str]:
    """Registered checks for a column: from the catalogue (lists, integers) and the rules."""
    names = list(ctx.rules.column_checks.get(sd.sheet.key, {}).get(column.key, ()))
    if column.vocabulary and "liste" not in names:
        names.insert(0, "liste")
    if column.type == "int" and not {"entier", "annee"} & set(names):
        names.insert(0, "entier")
    if column.type == "number" and "nombre" not in names:
        names.insert(0, "nombre")
    return names


def required_mask(ctx: Batch, sd: SheetData, tier: Required, key: str) -> pd.Series | None:
    """True for the rows where ``key`` must be filled; None when no row needs it."""
    import numpy as np

    sheet = sd.sheet.key
    codes, positions = sd.theme_groups
    direct = np.array([key in tier.columns(sheet, c) for c in codes], dtype=bool)
    via_offers = np.array([sheet == "actions" and key in tier.from_offers.get(c or "", ())
                           for c in codes], dtype=bool)
    if not direct.any() and not via_offers.any():
        return None
    mask = direct[positions]
    if via_offers.any():
        mask = mask | (via_offers[positions] & ~ctx.offers_filling(sd, key))
    condition = tier.condition(sheet, key)
    if condition is not None:
        other, filled = condition
        mask = mask & np.array([(v is not None) is filled for v in sd.raw[other]], dtype=bool)
    return pd.Series(mask, index=sd.index)


def explain_required(ctx: Batch, sd: SheetData, tier: Required, key: str):
    codes: list = []   # the rows' thématique codes, as a list once needed (iat is slow)

    def explain(index: int, value: object) -> Verdict:
        if not codes:
            codes.extend(sd.theme_code.tolist())
        code = codes[index]
        params = {"thematique": ctx.theme_label(code)}
        if sd.sheet.key == "actions" and key in tier.from_offers.get(code or "", ()):
            return Verdict(tier.code, (key,), params, variant="offres")
        if sd.sheet.key in tier.by_thematique.get(code or "", {}):
            return Verdict(tier.code, (key,), params, variant="thematique")
        condition = tier.condition(sd.sheet.key, key)
        if condition is not None:
            other, filled = condition
            params["condition"] = sd.sheet.column(other).header
            return Verdict(tier.code, (key,), params,
                           variant="condition" if filled else "condition_vide")
        return Verdict(tier.code, (key,), params)

    def many(indexes: list[int], values: list) -> list[Verdict]:
        """The verdicts of many rows: one per thématique, shared by its rows."""
        if not codes:
            codes.extend(sd.theme_code.tolist())
        verdicts: dict[object, Verdict] = {}
        out = []
        for index in indexes:
            code = codes[index]
            verdict = verdicts.get(code)
            if verdict is None:
                verdict = verdicts[code] = explain(index, None)
            out.append(verdict)
        return out

    explain.many = many
    return explain


def build_schema(ctx: Batch, sd: SheetData) -> tuple[pa.DataFrameSchema, Explainers]:
    """The sheet's schema; its columns are the ones with column checks (build the frame
    to validate with ``sd.frame(schema.columns)``)."""
    explainers = Explainers()
    columns = {}
    row_tests = _row_tests(ctx, sd)
    for column in sd.sheet.columns:
        if column.key not in sd.present:
            continue  # an absent column is reported once, not on every row
        checks = []
        for name, tier in zip(REQUIRED_CHECKS, (ctx.rules.required, ctx.rules.to_complete)):
            mask = required_mask(ctx, sd, tier, column.key)
            if mask is not None:
                checks.append(pa.Check(lambda s, m=mask: s.notna() | ~m, name=name,
                                       ignore_na=False))
                explainers.columns[(name, column.key)] = explain_required(
                    ctx, sd, tier, column.key)
        for name in column_checks(ctx, sd, column):
            test = REGISTRY[name].func(ctx, sd, column)
            checks.append(pa.Check(test.predicate, name=name, ignore_na=test.ignore_na))
            explainers.columns[(name, column.key)] = test.explain
        for name, test in row_tests.get(column.key, ()):
            # ignore_na=False: predicates handle empty cells themselves
            checks.append(pa.Check(_row_predicate(test), name=name, ignore_na=False))
            explainers.columns[(name, column.key)] = _row_explain(test)
        if checks:
            columns[column.key] = pa.Column(checks=checks, nullable=True, required=False)
    schema = pa.DataFrameSchema(columns, name=sd.sheet.name, strict=False, coerce=False)
    return schema, explainers


def _row_tests(ctx: Batch, sd: SheetData) -> dict[str, list[tuple[str, RowTest]]]:
    """The sheet's row checks, by the column that carries them: the first column they read
    that the sheet has. A row check runs as a pandera check of that column (its predicate
    reads the sheet's plain columns, ``sd.raw``, and gives one boolean per row), so that a
    failing row is one failure case — a dataframe-wide check would give one per column of
    the frame, and a row failing in 20,000 rows would cost 300,000 cases."""
    carried: dict[str, list[tuple[str, RowTest]]] = {}
    for name in ctx.rules.row_checks.get(sd.sheet.key, ()):
        test = REGISTRY[name].func(ctx, sd)
        present = [key for key in test.columns if key in sd.present]
        if present:
            carried.setdefault(present[0], []).append((name, test))
    return carried


def _row_predicate(test: RowTest):
    def predicate(series: pd.Series) -> pd.Series:
        return test.predicate(series.to_frame())
    return predicate


def _row_explain(test: RowTest):
    def explain(index: int, value: object) -> Verdict | None:
        return test.explain(index)
    return explain
