"""The edits of ``make_office_fixtures.py``: what a service agent does in LibreOffice Calc.

Each case's ``run(calc, before)`` makes the edit in the open document (``calc``, see
``office_uno.Calc``) and returns ``(edit, expect)``: the machine form of the edit for the
manifest (keys of ``fixture_manifest.EDIT_KEYS``) and what the saved file must hold, for the
read-back check: header row, IDs in file order, hidden rows, merged ranges, typed cells.
``before`` is the « Actions » sheet of the source, read back with the standard library.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from office_readback import SheetContent, column_letters

STATUT, PORTEUR, AXE, ID = "Statut", "Porteur(s) de projet", "Axe stratégique", "ID action"


@dataclass(frozen=True)
class Case:
    name: str            # file stem of the fixture
    example: str         # example of examples/ it derives from
    edit_fr: str         # what the user did, in French
    run: Callable
    source: str = ""     # example file, or the name of another case (its .xlsx); default: example
    merge_cells: str | None = None   # see office_uno.Calc

    def __post_init__(self) -> None:
        if not self.source:
            object.__setattr__(self, "source", self.example)


def letter(before: SheetContent, header: str) -> str:
    return column_letters(before.row(1).index(header) + 1)


def ids_of(before: SheetContent) -> list:
    return before.column(1)


def row_of(before: SheetContent, action_id: str) -> int:
    return next(r for r in before.data_rows() if before.cells[r].get(1) == action_id)


def value(before: SheetContent, row: int, header: str):
    return before.cells.get(row, {}).get(before.row(1).index(header) + 1)


def expect(before: SheetContent, ids=None, header=None, id_header=ID, **more) -> dict:
    return {"header": header if header is not None else before.row(1), "id_header": id_header,
            "ids": ids if ids is not None else ids_of(before), **more}


def change(key, column: str, new, sheet: str = "actions") -> dict:
    return {"sheet": sheet, "key": list(key) if isinstance(key, tuple) else [key],
            "column": column, "value": new}


def type_statuts(calc, before: SheetContent, statuts: dict[int, str]) -> list[dict]:
    """Type statuts of the list in the Statut column (the examples have none)."""
    column = letter(before, STATUT)
    for row, statut in statuts.items():
        calc.type(f"{column}{row}", statut)
    return [change(before.cells[row][1], "statut", statut) for row, statut in statuts.items()]


# -- the cases ------------------------------------------------------------------------------
def delete_middle_rows(calc, before):
    calc.sheet("Actions")
    rows = before.data_rows()[8:11]
    calc.select(f"A{rows[0]}:A{rows[-1]}")
    calc.dispatch(".uno:DeleteRows")
    gone = [before.cells[r][1] for r in rows]
    return ({"deleted_ids": gone},
            expect(before, [i for i in ids_of(before) if i not in gone]))


def delete_last_row(calc, before):
    calc.sheet("Actions")
    last = before.data_rows()[-1]
    calc.select(f"A{last}")
    calc.dispatch(".uno:DeleteRows")
    return ({"deleted_ids": [before.cells[last][1]]}, expect(before, ids_of(before)[:-1]))


QUARTIERS = {3: "Peyrouat", 6: "La Moustey", 10: "Saint-Médard"}


def add_column(calc, before):
    calc.sheet("Actions")
    column = letter(before, PORTEUR)
    calc.select(f"{column}1")
    calc.dispatch(".uno:InsertColumnsBefore")
    calc.type(f"{column}1", "Quartier")
    for row, text in QUARTIERS.items():
        calc.type(f"{column}{row}", text)
    header = before.row(1)
    header.insert(header.index(PORTEUR), "Quartier")
    return ({"added_columns": ["Quartier"],
             "changed": [change(before.cells[r][1], "+Quartier", t) for r, t in QUARTIERS.items()]},
            expect(before, header=header))


def delete_added_column(calc, before):
    calc.sheet("Actions")
    column = letter(before, "Quartier")
    calc.select(f"{column}1")
    calc.dispatch(".uno:DeleteColumns")
    header = [h for h in before.row(1) if h != "Quartier"]
    rows = [r for r in before.data_rows() if value(before, r, "Quartier") is not None]
    return ({"deleted_column": "Quartier",
             "changed": [change(before.cells[r][1], "+Quartier", None) for r in rows]},
            expect(before, header=header))


def delete_column(header_text: str, key: str):
    def run(calc, before):
        calc.sheet("Actions")
        calc.select(f"{letter(before, header_text)}1")
        calc.dispatch(".uno:DeleteColumns")
        lost = [r for r in before.data_rows() if value(before, r, header_text) not in (None, "")]
        return ({"deleted_column": header_text,
                 "changed": [change(before.cells[r][1], key, None) for r in lost]},
                expect(before, header=[h for h in before.row(1) if h != header_text]))
    return run


def format_columns(calc, before):
    sheet = calc.sheet("Actions")
    porteur, year = letter(before, PORTEUR), letter(before, "Année début")
    calc.select(f"{porteur}1")
    calc.dispatch(".uno:SelectColumn")
    calc.dispatch(".uno:BackgroundColor", BackgroundColor=0xFFF2CC)
    calc.dispatch(".uno:Color", Color=0x1F4E79)
    calc.dispatch(".uno:Bold")
    calc.select(f"{year}1")
    calc.dispatch(".uno:SelectColumn")
    calc.dispatch(".uno:NumberFormatIncDecimals")
    calc.dispatch(".uno:NumberFormatIncDecimals")
    far = sheet.getCellRangeByName(f"{porteur}100000")
    assert far.CellBackColor == 0xFFF2CC and far.CharWeight == 150.0, "colonne non formatée"
    return {"formatted_columns": [porteur, year]}, expect(before)


SORT_STATUTS = {3: "En cours", 6: "Réalisée", 9: "Non démarrée", 12: "En cours", 15: "Reportée"}


def sort_by_statut(calc, before):
    calc.sheet("Actions")
    changed = type_statuts(calc, before, SORT_STATUTS)
    last = before.data_rows()[-1]
    calc.select(f"A1:{column_letters(len(before.row(1)))}{last}")
    calc.dispatch(".uno:DataSort", ByRows=True, HasHeader=True, CaseSensitive=False,
                  NaturalSort=False, IncludeAttribs=True, UserDefIndex=0,
                  Col1=before.row(1).index(STATUT) + 1, Ascending1=True)
    # Calc collates as French does, accents last (« Réalisée » before « Reportée »); empty
    # cells go last; equal keys keep their order.
    order = sorted(before.data_rows(), key=lambda r: (r not in SORT_STATUTS,
                                                      collation_key(SORT_STATUTS.get(r, ""))))
    return ({"changed": changed, "sorted_by": "statut"},
            expect(before, [before.cells[r][1] for r in order]))


def collation_key(text: str) -> tuple[str, str]:
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.casefold(), text


def hide_rows(calc, before):
    calc.sheet("Actions")
    calc.select("A5:A7")
    calc.dispatch(".uno:HideRow")
    return {"hidden_rows": [5, 6, 7]}, expect(before, hidden_rows=[5, 6, 7])


def toggle_autofilter(calc, before):
    """The examples' « Actions » is a table with filter buttons: the click removes them."""
    calc.sheet("Actions")
    calc.select("A1")
    calc.dispatch(".uno:DataFilterAutoFilter")
    database = calc.doc.DatabaseRanges.getByName("tActions")
    assert not database.AutoFilter, "le filtre automatique est toujours là"
    return {"filter": {"autofilter": False}}, expect(before)


def filter_rows(calc, before):
    """Choose one value in the autofilter of « Axe stratégique »: the other rows are hidden
    by the filter. The dropdown is not reachable headless: the same filter is set on the
    table's database range, as the dropdown does."""
    import uno

    calc.sheet("Actions")
    database = calc.doc.DatabaseRanges.getByName("tActions")
    assert database.AutoFilter
    field = uno.createUnoStruct("com.sun.star.sheet.TableFilterField")
    field.Field = before.row(1).index(AXE)
    field.Operator = uno.Enum("com.sun.star.sheet.FilterOperator", "EQUAL")
    field.IsNumeric, field.StringValue = False, "II"
    descriptor = database.getFilterDescriptor()
    descriptor.setFilterFields((field,))
    database.refresh()
    hidden = [r for r in before.data_rows() if value(before, r, AXE) != "II"]
    return ({"filter": {"autofilter": True, "column": "axe", "equals": "II"},
             "hidden_rows": hidden}, expect(before, hidden_rows=hidden))


def type_date_and_decimal(calc, before):
    calc.sheet("Actions")
    header = "Échéances / calendrier"
    echeances = letter(before, header)
    row = next(r for r in before.data_rows() if value(before, r, header) is None)
    calc.type(f"{echeances}{row}", "15/09/2025")
    indicateurs = calc.sheet("Indicateurs")
    reference = indicateurs.getCellRangeByName("F1").String
    assert reference == "Valeur de référence", reference
    action, number = indicateurs.getCellRangeByName("A2").String, \
        int(indicateurs.getCellRangeByName("B2").Value)
    assert indicateurs.getCellRangeByName("F2").String == ""
    calc.type("F2", "12,5")
    calc.sheet("Actions")
    return ({"changed": [change(before.cells[row][1], "echeances", "15/09/2025"),
                         change((action, number), "reference", 12.5, sheet="indicateurs")]},
            expect(before, cells=[("Actions", f"{echeances}{row}", False),
                                  ("Indicateurs", "F2", False)]))


RENAME_STATUTS = {2: "En cours", 3: "Réalisée", 5: "Reportée", 8: "En cours"}


def rename_header(old: str, new: str, key: str, synonym: bool, statuts: dict | None = None):
    def run(calc, before):
        calc.sheet("Actions")
        changed = type_statuts(calc, before, statuts) if statuts else []
        calc.type(f"{letter(before, old)}1", new)
        header = [new if h == old else h for h in before.row(1)]
        return ({"changed": changed,
                 "renamed_header": {"from": old, "to": new, "column": key, "synonym": synonym}},
                expect(before, header=header, id_header=new if key == "id_action" else ID))
    return run


def merge_cells(header_text: str, differing: bool):
    """Merge two cells of one column, one above the other, both holding a value (equal for a
    hierarchy column, as when a user merges the repeated « I » of an axe; different for
    another column)."""
    def run(calc, before):
        calc.sheet("Actions")
        rows = before.data_rows()
        top = next(r for r, below in zip(rows, rows[1:]) if below == r + 1
                   and value(before, r, header_text) and value(before, below, header_text)
                   and (value(before, r, header_text) != value(before, below, header_text))
                   == differing)
        column = letter(before, header_text)
        area = f"{column}{top}:{column}{top + 1}"
        calc.select(area)
        calc.dispatch(".uno:MergeCells")
        emptied = calc.doc.Sheets.getByName("Actions").getCellRangeByName(
            f"{column}{top + 1}").String == ""
        key = "porteur" if header_text == PORTEUR else "axe"
        changed = [] if not differing else [change(before.cells[top + 1][1], key, None)]
        return ({"merged": [area], "changed": changed},
                expect(before, merged=[area], cells=[("Actions", f"{column}{top + 1}", emptied)]))
    return run


def copy_rows(calc, before):
    calc.sheet("Actions")
    rows = before.data_rows()[1:3]
    calc.select(f"A{rows[0]}:A{rows[-1]}")
    calc.dispatch(".uno:SelectRow")
    calc.dispatch(".uno:Copy")
    calc.select(f"A{before.data_rows()[-1] + 1}")
    calc.dispatch(".uno:Paste")
    copied = [before.cells[r][1] for r in rows]
    return {"duplicated_ids": copied}, expect(before, ids_of(before) + copied)


NEW_ACTION = {"id_action": "COH-012", "thematique": "Cohésion sociale", "axe": "II",
              "intitule": "Accompagner les associations de quartier vers le numérique"}
NEW_HEADERS = {"id_action": ID, "thematique": "Thématique", "axe": AXE,
               "intitule": "Intitulé de l'action"}


def insert_row(calc, before):
    calc.sheet("Actions")
    row = 6
    calc.select(f"A{row}")
    calc.dispatch(".uno:InsertRowsBefore")
    for key, text in NEW_ACTION.items():
        calc.type(f"{letter(before, NEW_HEADERS[key])}{row}", text)
    ids = ids_of(before)
    position = before.data_rows().index(row)
    return ({"inserted_ids": [NEW_ACTION["id_action"]],
             "changed": [change(NEW_ACTION["id_action"], k, v) for k, v in NEW_ACTION.items()]},
            expect(before, ids[:position] + [NEW_ACTION["id_action"]] + ids[position:]))


CASES = (
    Case("jeunesse_supprimer_3_lignes", "jeunesse.xlsx",
         "« Actions » : trois lignes du milieu sélectionnées, « Supprimer des lignes ».",
         delete_middle_rows),
    Case("enfance_supprimer_derniere_ligne", "enfance.xlsx",
         "« Actions » : la dernière ligne du tableau supprimée (« Supprimer des lignes »).",
         delete_last_row),
    Case("petite_enfance_colonne_quartier", "petite_enfance.xlsx",
         "« Actions » : une colonne « Quartier » insérée avant « Porteur(s) de projet » "
         "(« Insérer des colonnes avant »), trois quartiers tapés.", add_column),
    Case("petite_enfance_colonne_quartier_supprimee", "petite_enfance.xlsx",
         "Le classeur « petite_enfance_colonne_quartier » : la colonne ajoutée « Quartier » "
         "supprimée (« Supprimer des colonnes »).", delete_added_column,
         source="petite_enfance_colonne_quartier"),
    Case("jeunesse_supprimer_colonne_statut", "jeunesse.xlsx",
         "« Actions » : la colonne « Statut » supprimée (« Supprimer des colonnes »).",
         delete_column(STATUT, "statut")),
    Case("parentalite_supprimer_colonne_porteur", "parentalite.xlsx",
         "« Actions » : la colonne « Porteur(s) de projet » supprimée.",
         delete_column(PORTEUR, "porteur")),
    Case("jeunesse_format_colonnes", "jeunesse.xlsx",
         "« Actions » : colonne « Porteur(s) de projet » entière sélectionnée, fond jaune, "
         "texte bleu, gras ; colonne « Année début » entière, deux décimales ajoutées.",
         format_columns),
    Case("parentalite_tri_par_statut", "parentalite.xlsx",
         "« Actions » : cinq statuts tapés (les exemples n'en ont pas), puis tableau trié par "
         "« Statut » croissant (Données > Trier, avec ligne d'en-têtes).", sort_by_statut),
    Case("petite_enfance_masquer_lignes", "petite_enfance.xlsx",
         "« Actions » : lignes 5 à 7 masquées (« Masquer des lignes »).", hide_rows),
    Case("cohesion_sociale_filtre_automatique_retire", "cohesion_sociale.xlsx",
         "« Actions » : Données > Filtre automatique, la cellule A1 sélectionnée (le tableau "
         "en avait un : ses boutons disparaissent).", toggle_autofilter),
    Case("jeunesse_filtre_axe", "jeunesse.xlsx",
         "« Actions » : filtre automatique de l'en-tête, « Axe stratégique » = « II » (les "
         "autres lignes sont masquées par le filtre).", filter_rows),
    Case("enfance_saisie_date_decimal", "enfance.xlsx",
         "« 15/09/2025 » tapé dans une cellule vide d'« Échéances / calendrier » (Actions) et "
         "« 12,5 » dans « Valeur de référence » du premier indicateur, avec les paramètres "
         "régionaux français.", type_date_and_decimal),
    Case("enfance_renommer_statut", "enfance.xlsx",
         "« Actions » : quatre statuts tapés, puis l'en-tête « Statut » remplacé par "
         "« Avancement 2025 ».",
         rename_header(STATUT, "Avancement 2025", "statut", False, RENAME_STATUTS)),
    Case("petite_enfance_renommer_id_action", "petite_enfance.xlsx",
         "« Actions » : l'en-tête « ID action » remplacé par « Identifiant ».",
         rename_header(ID, "Identifiant", "id_action", True)),
    Case("parentalite_renommer_id_action_inconnu", "parentalite.xlsx",
         "« Actions » : l'en-tête « ID action » remplacé par « Code fiche ».",
         rename_header(ID, "Code fiche", "id_action", False)),
    Case("petite_enfance_fusion_axe", "petite_enfance.xlsx",
         "« Actions » : deux cellules d'« Axe stratégique » l'une sous l'autre (même valeur) "
         "fusionnées (« Fusionner les cellules », contenu des cellules masquées gardé).",
         merge_cells(AXE, False), merge_cells="garder"),
    Case("jeunesse_fusion_porteur", "jeunesse.xlsx",
         "« Actions » : deux cellules de « Porteur(s) de projet » remplies de valeurs "
         "différentes fusionnées ; « garder le contenu des cellules masquées ».",
         merge_cells(PORTEUR, True), merge_cells="garder"),
    Case("cohesion_sociale_fusion_porteur_videe", "cohesion_sociale.xlsx",
         "« Actions » : deux cellules de « Porteur(s) de projet » remplies de valeurs "
         "différentes fusionnées ; « vider le contenu des cellules masquées ».",
         merge_cells(PORTEUR, True), merge_cells="vider"),
    Case("enfance_copier_2_lignes", "enfance.xlsx",
         "« Actions » : lignes 3 et 4 copiées avec leur ID et collées sous le tableau.",
         copy_rows),
    Case("cohesion_sociale_inserer_ligne", "cohesion_sociale.xlsx",
         "« Actions » : une ligne insérée au-dessus de la ligne 6 (« Insérer des lignes "
         "au-dessus »), ID « COH-012 », thématique, axe et intitulé tapés.", insert_row),
)
