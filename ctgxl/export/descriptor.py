"""The ``datapackage.json`` of an export: one resource per table, each with a Table Schema
derived from the catalogue and from the rows themselves (pure functions).

The schema declares what the rows are, never more: a constraint of the template
(``required``, a list's ``enum``, the primary key, a number type) that some row breaks is
left out of that resource's schema and said in a note, so that every package ctgxl writes
passes ``frictionless validate``. The one exception is the link to the actions: a row of
Offres, Indicateurs or Suivi whose ID action is in no Actions row (an « orpheline », which a
master consolidated with ``--forcer`` may hold) goes to its own resource
(``offres_orphelines``…), without the foreign key, with its rank among the sheet's rows;
the main resource keeps its foreign key, so that every joined row is a real link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..catalogue import ACTIONS, Column, Sheet
from ..model import Plan, Row
from ..wording import agree, plural
from .flavours import OFFICE, OPEN_DATA, neutralised

TYPES = {"text": "string", "int": "integer", "number": "number"}
PROFILE = "tabular-data-package"
ORPHANS_SUFFIX = "_orphelines"
RANK = {OPEN_DATA: "rang", OFFICE: "Rang dans la feuille"}
SHOWN = 5       # values quoted in a note


@dataclass(frozen=True)
class Part:
    """One resource of the package: some rows of one sheet."""

    name: str                  # resource name: « offres », « offres_orphelines »
    sheet: Sheet
    rows: tuple[Row, ...]
    ranks: tuple[int, ...] | None = None    # orphans: 1-based rank among the sheet's rows

    @property
    def orphans(self) -> bool:
        return self.ranks is not None


def linked(sheet: Sheet) -> bool:
    """Whether the rows of ``sheet`` point at an action (foreign key ID action → actions)."""
    return sheet.key != ACTIONS.key and "id_action" in sheet.index


def parts_of(plan: Plan) -> list[Part]:
    """The resources of ``plan``: one per table, and one more for the orphans of a table
    that has some (rows whose ID action is in no Actions row)."""
    known = {v for v in plan.actions.column("id_action") if v is not None}
    parts = []
    for table in plan.tables:
        sheet = table.sheet
        if not linked(sheet):
            parts.append(Part(sheet.key, sheet, table.rows))
            continue
        at = sheet.position("id_action")
        kept, orphans, ranks = [], [], []
        for rank, row in enumerate(table.rows, start=1):
            if row[at] is None or row[at] in known:
                kept.append(row)
            else:
                orphans.append(row)
                ranks.append(rank)
        parts.append(Part(sheet.key, sheet, tuple(kept)))
        if orphans:
            parts.append(Part(sheet.key + ORPHANS_SUFFIX, sheet, tuple(orphans), tuple(ranks)))
    return parts


def field_name(column: Column, flavour: str = OPEN_DATA) -> str:
    """The column's name in the files: the short key (``id_action``) for open data, the
    French header (« ID action », neutralised as the cells are) for office software; an added
    column's header either way."""
    if flavour == OFFICE:
        return neutralised(column.header)
    return column.header if column.extra else column.key


def _conforms(column: Column, values: Sequence[object]) -> bool:
    if column.type == "int":
        return all(v is None or type(v) is int for v in values)
    if column.type == "number":
        return all(v is None or type(v) in (int, float) for v in values)
    return True


def field_type(column: Column, values: Sequence[object]) -> str:
    kind = "string" if column.extra else TYPES[column.type]
    return kind if kind == "string" or _conforms(column, values) else "string"


def _quoted(values) -> str:
    values = list(dict.fromkeys(str(v) for v in values))
    shown = ", ".join(f"« {v} »" for v in values[:SHOWN])
    return shown + (", …" if len(values) > SHOWN else "")


@dataclass(frozen=True)
class Schema:
    schema: dict
    notes: tuple[str, ...]


def table_schema(part: Part, vocabulary, multi_value_lists=frozenset(),
                 flavour: str = OPEN_DATA) -> Schema:
    """The Table Schema of ``part``: what its rows are, and a note for each constraint of
    the template they break (left out)."""
    sheet, rows = part.sheet, part.rows
    where = sheet.name + (" (lignes orphelines)" if part.orphans else "")
    fields, notes = [], []
    if part.orphans:
        fields.append({"name": RANK[flavour], "title": "Rang dans la feuille", "type": "integer",
                       "description": f"Place de la ligne parmi les lignes de la feuille "
                                      f"{sheet.name} (1 : la première sous les en-têtes).",
                       "constraints": {"required": True}})
    for i, column in enumerate(sheet.columns):
        values = [row[i] for row in rows]
        kind = field_type(column, values)
        spec: dict = {"name": field_name(column, flavour), "title": column.header, "type": kind}
        spec["description"] = ("Colonne ajoutée par un service (hors modèle)." if column.extra
                               else column.help)
        if kind == "number" and flavour == OFFICE:
            spec["decimalChar"] = ","
        if not column.extra and kind != TYPES[column.type]:
            notes.append(f"{where} : la colonne « {column.header} » contient des valeurs qui ne "
                         "sont pas des nombres ; elle est exportée comme texte (ctgxl validate "
                         "les signale).")
        constraints: dict = {}
        if column.required:
            empty = sum(v is None for v in values)
            if not empty:
                constraints["required"] = True
            else:
                notes.append(f"{where} : {plural(empty, 'ligne')} sans « {column.header} », "
                             "colonne "
                             "obligatoire ; l'obligation n'est pas déclarée dans le descripteur "
                             "(ctgxl validate les signale).")
        if column.vocabulary and column.vocabulary not in multi_value_lists:
            allowed = vocabulary.values(column.vocabulary)
            outside = [v for v in values if v is not None and v not in allowed]
            if not outside:
                constraints["enum"] = list(allowed)
            else:
                notes.append(f"{where} : la colonne « {column.header} » contient des valeurs "
                             f"hors de sa liste ({_quoted(outside)}) ; la liste n'est pas "
                             "déclarée dans le descripteur (ctgxl validate les signale).")
        if constraints:
            spec["constraints"] = constraints
        fields.append(spec)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if not part.orphans and all(sheet.column(k).required for k in sheet.key_columns):
        positions = [sheet.position(k) for k in sheet.key_columns]
        keys = [tuple(row[i] for i in positions) for row in rows]
        seen: set = set()
        doubles = [k for k in keys if k in seen or seen.add(k)]
        if not doubles and all(None not in k for k in keys):
            schema["primaryKey"] = [field_name(sheet.column(k), flavour)
                                    for k in sheet.key_columns]
        else:
            shown = _quoted(" · ".join(str(v) for v in k) for k in doubles) if doubles else ""
            notes.append(f"{where} : identifiants en double ou incomplets"
                         + (f" ({shown})" if shown else "") + " ; la clé primaire n'est pas "
                         "déclarée dans le descripteur (ctgxl validate les signale).")
    if linked(sheet) and not part.orphans:
        name = field_name(sheet.column("id_action"), flavour)
        schema["foreignKeys"] = [{"fields": [name],
                                  "reference": {"resource": ACTIONS.key, "fields": [name]}}]
    return Schema(schema, tuple(notes))


def orphans_note(part: Part, file_name: str) -> str:
    at = part.sheet.position("id_action")
    ids = _quoted(row[at] for row in part.rows)
    n = len(part.rows)
    return (f"{part.sheet.name} : {plural(n, 'ligne')} dont l'ID action n'est dans aucune "
            f"ligne d'Actions ({ids}) : {agree(n, 'écrite')} à part dans {file_name}, sans lien "
            "vers les actions (ctgxl validate les signale).")


def resource_title(part: Part) -> str:
    if part.orphans:
        return f"{part.sheet.title} : lignes dont l'ID action n'est dans aucune action"
    return part.sheet.title


def package_descriptor(plan: Plan, resources: list[dict], *, name: str,
                       source: str | None) -> dict:
    """``datapackage.json`` around ``resources`` (each with its path, format and schema)."""
    from .. import __version__

    meta = plan.meta
    return {
        "profile": PROFILE, "name": name,
        "title": "Plan d'actions de la Convention Territoriale Globale"
                 + (f" — {meta.thematique}" if meta.thematique else ""),
        "description": "Plan d'actions CTG exporté par ctgxl : une table par feuille du "
                       "classeur (actions, offres, structure du plan, indicateurs, suivi "
                       "annuel), reliées par l'ID action.",
        "licenses": [{"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence 2.0",
                      "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence"}],
        "resources": resources,
        "ctgxl": {"version": __version__, "source": source, "thematique": meta.thematique,
                  "service": meta.service, "template_version": meta.template_version,
                  "schema_version": meta.schema_version, "territoire": meta.territoire,
                  "code_territoire": meta.code_territoire},
    }


def package_name(text: str) -> str:
    """A Data Package name (lower case, digits, « - », « _ », « . »)."""
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9._-]+", "-", ascii_text.lower()).strip("-") or "plan-ctg"
