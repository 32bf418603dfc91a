"""The importer is general: small legacy grids written by hand in the style of other
territories' plans (other thématiques, axes called « Enjeu », other headers and numbering),
and the same grid pasted into a sheet of a workbook."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgxl.errors import CtgxlError, UnusableInputError
from ctgxl.legacy import import_legacy, parse_grid

T = "\t"

# Logement: « ENJEU » instead of axe, « OBJECTIF GENERAL », OO labels without « OO »,
# synonyms of the headers (Pilote, Public cible, Calendrier, Indicateurs liés, Statut),
# actions numbered « 1) ».
LOGEMENT = """\
THEMATIQUE LOGEMENT

ENJEU 1 : Favoriser l'accès des jeunes au logement
OBJECTIF GENERAL 1
Mieux informer les familles et les jeunes
OBJECTIFS OPERATIONNELS\t1\tDévelopper un guichet unique du logement
\t2\tFaire connaître les aides existantes
N° et intitulé\tOO\tPilote\tPublic cible\tCalendrier\tPartenaires\tMoyens humains\tMoyens financiers\tIndicateurs liés\tStatut
1) Ouvrir un guichet logement au CCAS\t1\tCCAS\tJeunes 18-25 ans\t2024-2026\tADIL 40\t1 ETP\tCAF, Commune\tNombre de ménages reçus\tEn cours
2) Publier un guide des aides\t2\tService habitat\tFamilles\t2025\t\t\t\tGuide diffusé\t
ENJEU 2 : Lutter contre l'habitat indigne
OBJECTIF GENERAL 1 : Repérer les logements indignes
N° et intitulé\tOO\tPilote\tPublic cible\tCalendrier\tPartenaires\tMoyens humains\tMoyens financiers\tIndicateurs liés\tStatut
3) Former les agents au repérage\t\tService habitat\tAgents\t2024\tARS\t\t\tNombre d'agents formés\tNon démarrée
"""


def grid(text: str) -> list[list[str]]:
    return [line.split(T) for line in text.split("\n")]


def records(result, label, table="actions"):
    return result.plan(label).table(table).records()


def test_a_plan_of_another_territory_with_other_axes_and_headers():
    result = parse_grid(grid(LOGEMENT))
    assert [t.thematique.libelle for t in result.thematiques] == ["Logement"]
    actions = records(result, "Logement")
    assert [a["id_action"] for a in actions] == ["LOG-001", "LOG-002", "LOG-003"]
    first = actions[0]
    assert (first["axe"], first["objectif"], first["oo"], first["numero"]) == ("1", "1", "OO1", "1")
    assert first["intitule"] == "Ouvrir un guichet logement au CCAS"
    assert (first["porteur"], first["public"], first["echeances"]) == (
        "CCAS", "Jeunes 18-25 ans", "2024-2026")
    assert (first["annee_debut"], first["annee_fin"]) == (2024, 2026)
    assert (first["moyens_humains"], first["moyens_financiers"]) == ("1 ETP", "CAF, Commune")
    assert first["indicateurs"] == "Nombre de ménages reçus" and first["statut"] == "En cours"
    assert actions[2]["axe"] == "2" and actions[2]["statut"] == "Non démarrée"
    plan = records(result, "Logement", "plan")
    assert [(r["axe"], r["objectif"], r["oo"], r["oo_intitule"]) for r in plan] == [
        ("1", "1", "OO1", "Développer un guichet unique du logement"),
        ("1", "1", "OO2", "Faire connaître les aides existantes"),
        ("2", "1", None, None)]
    assert plan[0]["axe_intitule"] == "Favoriser l'accès des jeunes au logement"
    assert plan[0]["objectif_intitule"] == "Mieux informer les familles et les jeunes"
    assert plan[2]["objectif_intitule"] == "Repérer les logements indignes"
    assert not result.entries_with("ligne-non-placee")


SANTE_ET_ENFANCE = """\
THEMATIQUE SANTE
AXE A
Prévenir
OBJECTIF 1 Promouvoir l'activité physique
ACTIONS\tPORTEUR\tPUBLIC\tECHEANCIER\tPARTENAIRES\tINDICATEURS
Marche santé hebdomadaire\tCCAS\tSeniors\tChaque mardi\tClub de marche\tNombre de marcheurs
Ateliers nutrition\tASV\tFamilles\t2025\t\tNombre d'ateliers
Ateliers nutrition\tCIAS\tParents\t2026\t\t
THEMATIQUE ENFANCE
AXE STRATEGIQUE I Épanouir
OBJECTIF INTERMEDIAIRE 1 Ouvrir à la culture
OBJECTIFS OPERATIONNELS\t1\t\t2
\tOO1. Lire\t\tOO2. Chanter
ACTIONS\tOO\tExemples d'offres\tPorteur de projets\tPublic visé\tÉchéances\tPartenaires\tParcours\tIndicateurs
4. Lecture partagée\t1\tHeure du conte\tMédiathèque\tCP\tAnnée scolaire\t\tJ'explore, je découvre de nouveaux environnements\tNombre de séances
\t\tPrix des lecteurs\tÉcoles\tCM2\t\t\t\t
5. Chorale\t2\tChorale d'école\tÉcoles\tCE\t\t\t\tNombre de choristes
"""


def test_two_thematiques_unnumbered_actions_and_offers():
    result = parse_grid(grid(SANTE_ET_ENFANCE))
    assert [t.thematique.libelle for t in result.thematiques] == ["Santé", "Enfance"]
    sante = records(result, "Santé")
    assert [a["id_action"] for a in sante] == ["SAN-001", "SAN-002", "SAN-003"]
    assert [(a["axe"], a["objectif"]) for a in sante] == [("A", "1")] * 3
    assert sante[0]["echeances"] == "Chaque mardi" and sante[0]["indicateurs"] == \
        "Nombre de marcheurs"
    assert records(result, "Santé", "plan")[0]["axe_intitule"] == "Prévenir"
    assert {e.line for e in result.entries_with("titre-repete")} == {8}
    assert result.entries_with("identifiants-sequentiels")
    enfance = records(result, "Enfance")
    assert [(a["id_action"], a["oo"], a["intitule"]) for a in enfance] == [
        ("ENF-004", "OO1", "Lecture partagée"), ("ENF-005", "OO2", "Chorale")]
    offers = records(result, "Enfance", "offres")
    assert [(o["id_action"], o["numero_offre"], o["offre"], o["porteur"]) for o in offers] == [
        ("ENF-004", 1, "Heure du conte", "Médiathèque"),
        ("ENF-004", 2, "Prix des lecteurs", "Écoles"),
        ("ENF-005", 1, "Chorale d'école", "Écoles")]
    assert offers[0]["parcours"] == "J'explore, je découvre de nouveaux environnements"
    assert [r["oo_intitule"] for r in records(result, "Enfance", "plan")] == ["Lire", "Chanter"]
    assert {e.line for e in result.entries_with("numeros-manquants")} == {9}


def test_lost_title_and_second_row_in_a_small_grid():
    text = """\
THEMATIQUE JEUNESSE
AXE 1 Informer
OBJECTIF 1 Informer les jeunes
ACTIONS\tOO\tPORTEUR\tPUBLIC\tECHEANCES\tPARTENAIRES
1. Ouvrir un point information\t1\tBIJ\t12-30 ans\t2024\tCAF
\t1\tBIJ\t16-25 ans\t2025\tMission locale
3. Créer une application\t\tBIJ\t12-30 ans\t2025\t
\t2\t\t\t\tRégion
4. Animer un réseau\t1\tBIJ\t\t\t
"""
    result = parse_grid(grid(text))
    jeunesse = {a["id_action"]: a for a in records(result, "Jeunesse et vie étudiante")}
    assert sorted(jeunesse) == ["JEU-001", "JEU-002", "JEU-003", "JEU-004"]
    assert jeunesse["JEU-002"]["intitule"] is None
    assert jeunesse["JEU-002"]["partenaires"] == "Mission locale"
    assert jeunesse["JEU-003"]["oo"] == "OO2" and jeunesse["JEU-003"]["partenaires"] == "Région"
    assert {e.line for e in result.entries_with("titre-perdu")} == {6}
    assert {e.line for e in result.entries_with("ligne-fusionnee")} == {8}


def test_a_table_with_its_own_number_column():
    text = """\
THEMATIQUE INCLUSION NUMERIQUE
AXE 1 Équiper
N° fiche\tIntitulé de l'action\tPilote\tCibles\tÉchéancier
12\tOuvrir un espace numérique\tMédiathèque\tSeniors\t2025
3.4.\tFormer les aidants\tCCAS\tAidants\t2026
"""
    actions = records(parse_grid(grid(text)), "Inclusion numérique")
    assert [(a["id_action"], a["numero"], a["intitule"], a["porteur"]) for a in actions] == [
        ("NUM-001", "12", "Ouvrir un espace numérique", "Médiathèque"),
        ("NUM-002", "3.4.", "Former les aidants", "CCAS")]
    assert actions[1]["echeances"] == "2026"


def test_rows_before_any_heading_take_the_thematique_given():
    rows = [["ACTIONS", "PORTEUR", "PUBLIC", "CALENDRIER"],
            ["1. Créer un LAEP", "CAF", "Parents", "2025"]]
    result = parse_grid(rows, thematique="parentalite")
    assert records(result, "Parentalité")[0]["id_action"] == "PAR-001"
    with pytest.raises(CtgxlError, match="thématique « Sport » inconnue"):
        parse_grid(rows, thematique="Sport")
    assert parse_grid(rows).thematiques == ()


def test_unknown_thematique_is_skipped_and_reported():
    text = "THEMATIQUE SPORT\nAXE 1 Bouger\nACTIONS\tPORTEUR\tPUBLIC\n1. Courir\tClub\tTous\n" \
           + LOGEMENT
    result = parse_grid(grid(text))
    assert [t.thematique.libelle for t in result.thematiques] == ["Logement"]
    unknown = result.entries_with("thematique-inconnue")[0]
    assert unknown.line == 1 and "« SPORT »" in unknown.message
    assert result.entries_with("section-ignoree")[0].line == 1


def write_sheet(path: Path, rows: list[list[object]], *, before: int = 0) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes["A1"] = "Plan collé depuis Word le 3 mars"
    sheet = wb.create_sheet("Plan CTG")
    for _ in range(before):
        sheet.append([])
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path


def test_grid_pasted_in_a_sheet(tmp_path):
    rows: list[list[object]] = [[c or None for c in line.split(T)]
                                for line in LOGEMENT.split("\n")]
    # what a paste from Word gives: numbers as numbers, a heading and its label in one cell
    rows[5] = ["OBJECTIFS OPERATIONNELS", 1, "Développer un guichet unique du logement"]
    rows[6] = [None, 2.0, "Faire connaître les aides existantes"]
    rows[8][1] = 1
    rows[11] = ["OBJECTIF GENERAL 1\nRepérer les logements indignes"]
    path = write_sheet(tmp_path / "plan.xlsx", rows, before=2)
    result = import_legacy(path)
    actions = records(result, "Logement")
    assert [a["id_action"] for a in actions] == ["LOG-001", "LOG-002", "LOG-003"]
    assert actions[0]["oo"] == "OO1" and actions[1]["oo"] == "OO2"
    plan = records(result, "Logement", "plan")
    assert plan[1]["oo_intitule"] == "Faire connaître les aides existantes"
    assert plan[2]["objectif_intitule"] == "Repérer les logements indignes"
    # positions in the report are the sheet's own rows; the notes sheet is set aside
    label = result.entries_with("intitule-ligne-suivante")[0]
    assert (label.sheet, label.line, label.where) == ("Plan CTG", 6, "Plan CTG, ligne 6")
    notes = result.entries_with("feuille-ignoree")[0]
    assert notes.sheet == "Notes" and "Notes" in notes.message
    assert not result.entries_with("ligne-non-placee")


def test_a_pasted_sheet_without_any_plan_is_unusable(tmp_path):
    path = write_sheet(tmp_path / "vide.xlsx", [["Budget 2024", 1200], ["Total", 1200]])
    with pytest.raises(UnusableInputError, match="aucun tableau de plan d'actions reconnu"):
        import_legacy(path)


def test_a_ctgxl_workbook_is_not_imported_again(tmp_path):
    from ctgxl.legacy import import_legacy as again
    from ctgxl.writer import write_plan

    result = parse_grid(grid(LOGEMENT))
    path = write_plan(result.plan("Logement"), tmp_path / "logement.xlsx")
    with pytest.raises(UnusableInputError, match="déjà au format ctgxl"):
        again(path)


@pytest.mark.soffice
def test_grid_pasted_in_an_ods_sheet(tmp_path):
    from conftest import soffice_convert

    rows = [[c or None for c in line.split(T)] for line in LOGEMENT.split("\n")]
    xlsx = write_sheet(tmp_path / "plan.xlsx", rows)
    ods = soffice_convert(xlsx, "ods", tmp_path / "ods")
    result = import_legacy(ods)
    assert [a["id_action"] for a in records(result, "Logement")] == [
        "LOG-001", "LOG-002", "LOG-003"]


_TOKENS = ["THEMATIQUE ENFANCE", "THEMATIQUE SPORT", "PARENTALITE", "AXE STRATEGIQUE II",
           "AXE 1 Informer", "OBJECTIF INTERMEDIAIRE 1", "OBJECTIF INTERMEDIAIRE 2 Lire",
           "OBJECTIFS OPERATIONNELS", "ACTIONS", "OO", "PORTEUR DE PROJETS", "PUBLIC VISE",
           "ECHANGES DE REALISATION CALENDRIER", "MOYENS", "HUMAINS", "FINANCIERS",
           "INDICATEURS EVALUATION", "exemple d'offres", "N°", "1", "2", "1 2", "OO1. Lire",
           "1 OO2. Écrire", "3. Agir", "3.4. Référence", "texte libre", "Nombre de séances",
           "2024-2026", "Je suis bien dans mon corps", "THEMATIQUE 2 Groupe", "**TITRE**",
           "SIX GRANDES THEMATIQUES", "", "", ""]


def test_any_grid_imports_without_crash_and_with_unique_keys():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    rows = st.lists(st.lists(st.sampled_from(_TOKENS), max_size=8), max_size=25)

    @settings(max_examples=150, deadline=None)
    @given(rows)
    def check(grid_rows):
        result = parse_grid(grid_rows)
        for imported in result.thematiques:
            plan = imported.plan
            for table in (plan.actions, plan.offres, plan.plan):
                keys = [table.key_of(row) for row in table.rows]
                assert len(keys) == len(set(keys)), table.sheet.name
        assert all(e.message and e.code for e in result.entries)

    check()


def test_an_objectif_declared_twice_gives_one_plan_row():
    """Found by hypothesis: the same thématique and objectif written twice made two Plan rows
    with the same key."""
    rows = [["THEMATIQUE ENFANCE"], ["OBJECTIF INTERMEDIAIRE 1"], ["THEMATIQUE ENFANCE"],
            ["OBJECTIF INTERMEDIAIRE 1"]]
    (imported,) = parse_grid(rows).thematiques
    keys = [imported.plan.plan.key_of(row) for row in imported.plan.plan.rows]
    assert len(keys) == len(set(keys)) == 1
