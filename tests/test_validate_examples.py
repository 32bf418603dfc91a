"""The five example workbooks (the real Mont de Marsan plan) against the shipped rules.

Every erreur left is a true problem of the original document, listed here
and in docs/validation.md; anything else is a regression (of the rules or of
the import). Avertissements are allowed: the plan really has gaps (porteur,
public or indicateurs missing, schedules without years, actions started in
2021, « Pôle Emploi » since renamed France Travail…).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgxl.reader import read_plan
from ctgxl.validation import load_rules, validate_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# file -> (code, sheet, action) of each erreur, all present in the source document
SEED_PROBLEMS = {
    "petite_enfance.xlsx": {
        ("oo-inconnu", "Actions", "PEN-004"),       # cites OO5; objectif 1 has OO1 to OO4
    },
    "enfance.xlsx": {
        ("champ-obligatoire", "Offres", "ENF-003"),  # row shifted: no offer text
        ("champ-obligatoire", "Offres", "ENF-072"),  # TPS: offer cell empty
        ("champ-obligatoire", "Offres", "ENF-079"),  # row shifted: no offer text
    },
    "jeunesse.xlsx": {
        ("champ-obligatoire", "Actions", "JEU-002"),  # titles lost in the document
        ("champ-obligatoire", "Actions", "JEU-004"),
        ("champ-obligatoire", "Actions", "JEU-007"),
        ("oo-inconnu", "Actions", "JEU-061"),         # cites OO2; objectif IV-3 has only OO1
    },
    "cohesion_sociale.xlsx": {
        ("oo-inconnu", "Actions", "COH-003"),         # cite OO1 OO2 OO3 where fewer exist
        ("oo-inconnu", "Actions", "COH-004"),
        ("oo-inconnu", "Actions", "COH-009"),
    },
    "parentalite.xlsx": set(),
}


def erreurs(path: Path) -> set[tuple]:
    plan = read_plan(path)
    ids = {}
    for table in plan.tables:
        if "id_action" in table.sheet.keys:
            for i, ident in enumerate(table.column("id_action")):
                ids[(table.sheet.name, table.excel_row(i))] = ident
    report = validate_file(path, load_rules())
    assert "controle-impossible" not in report.codes()
    return {(f.code, f.sheet, ids.get((f.sheet, f.row))) for f in report.findings
            if f.severity == "erreur"}


@pytest.mark.parametrize("name", sorted(SEED_PROBLEMS))
def test_example_has_no_erreur_but_the_seed_problems(name):
    path = EXAMPLES / name
    if not path.exists():
        pytest.skip(f"{name} absent (examples/ pas encore générés)")
    assert erreurs(path) == SEED_PROBLEMS[name]


def test_parentalite_validates_without_erreur(run):
    path = EXAMPLES / "parentalite.xlsx"
    if not path.exists():
        pytest.skip("examples/ pas encore générés")
    result = run("validate", path)
    assert result.exit_code == 0
    assert "Aucune erreur ; vérifiez les avertissements." in result.stdout
