"""Small plans and hand-made workbooks for the tests."""

from __future__ import annotations

from pathlib import Path

from ctgxl.model import Meta, Plan

ENF = "Enfance"


def small_plan(n: int = 3) -> Plan:
    """A plausible Enfance plan with n actions, offers, hierarchy and follow-up."""
    actions = [{
        "id_action": f"ENF-{i:03d}", "thematique": ENF, "axe": "I", "objectif": "1",
        "oo": "OO1 OO2", "numero": str(i),
        "intitule": f"Développement de loisirs de proximité n° {i} (cinéma, musée, médiathèque…)",
        "porteur": "Pôle Éducation de l'Agglomération",
        "public": "Élèves des écoles communautaires\net enfants des ALSH",
        "echeances": "2023-2026", "annee_debut": 2023, "annee_fin": 2026,
        "partenaires": "Médiathèque de Marsan, musée Despiau-Wlérick",
        "moyens_humains": "Les équipes périscolaires", "moyens_techniques": None,
        "moyens_financiers": "Dotations des ALSH", "indicateurs": "Taux de participation",
        "parcours": "Je suis bien dans mon corps", "statut": "En cours",
    } for i in range(1, n + 1)]
    plan_rows = [
        {"thematique": ENF, "axe": "I", "axe_intitule": "Favoriser l'épanouissement et le bien-être",
         "objectif": "1", "objectif_intitule": "Maintenir une offre qualitative et diversifiée",
         "oo": f"OO{k}", "oo_intitule": f"Objectif opérationnel {k}"} for k in (1, 2)]
    offres = [{"id_action": "ENF-001", "numero_offre": k, "offre": f"Offre {k}",
               "porteur": "Écoles / ALSH"} for k in (1, 2)]
    indicateurs = [{"id_action": "ENF-001", "numero_indicateur": 1,
                    "libelle": "Taux de participation", "type": "Résultat", "unite": "%",
                    "reference": 60, "annee_reference": 2022, "cible": 75, "annee_cible": 2026}]
    suivi = [{"id_action": "ENF-001", "annee": 2024, "numero_indicateur": 1,
              "statut": "En cours", "valeur": 68}]
    return Plan.from_records(Meta(thematique=ENF, service=ENF), actions=actions,
                             plan=plan_rows, offres=offres, indicateurs=indicateurs,
                             suivi=suivi)


def plan_with(**changes) -> Plan:
    """``small_plan(3)`` with some cells changed: ``plan_with(actions__0__statut="Fini")``."""
    data = {t.sheet.key: t.records() for t in small_plan(3).tables}
    for key, value in changes.items():
        sheet, index, column = key.split("__")
        data[sheet][int(index)][column] = value
    return Plan.from_records(Meta(thematique=ENF), **data)

def write_grid(path: Path, sheets: dict[str, list[list]], *, merged: dict[str, list[str]] = {}) -> Path:
    """A workbook made by hand with openpyxl: sheet name -> rows of values."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for area in merged.get(name, []):
            ws.merge_cells(area)
    wb.save(path)
    return path
