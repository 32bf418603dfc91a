"""The rule files: what a coordinator may change, and the French line a typo gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctgxl.errors import CtgxlError
from ctgxl.model import Meta, Plan
from ctgxl.validation import load_rules, validate_plan, verify_rules
from ctgxl.validation.registry import REGISTRY, all_codes
from ctgxl.vocabulary import default_rules_dir
from workbooks import plan_with, small_plan


def folder(tmp_path: Path, regles: str = "", listes: str | None = None) -> Path:
    path = tmp_path / "regles"
    path.mkdir(exist_ok=True)
    (path / "regles.toml").write_text(regles, encoding="utf-8")
    if listes is not None:
        (path / "listes.toml").write_text(listes, encoding="utf-8")
    return path


def codes(plan: Plan, rules) -> list[tuple[str, str, str | None]]:
    return [(f.code, f.severity, f.cell) for f in validate_plan(plan, rules).findings]


def test_shipped_rules_name_every_code_and_check():
    rules = load_rules()
    assert rules.period == (2022, 2027)
    for code in all_codes():
        assert rules.severity(code) in ("erreur", "avertissement", "information")
        assert rules.message(code) != code
    text = (default_rules_dir() / "regles.toml").read_text(encoding="utf-8")
    for name, spec in REGISTRY.items():
        assert spec.help and name.isidentifier()
        if spec.scope != "colonne" or name not in ("liste", "entier", "nombre"):
            assert f'"{name}"' in text, f"check {name} not used by the shipped rules"


def test_an_empty_rule_folder_means_the_shipped_rules(tmp_path):
    assert codes(plan_with(), load_rules(folder(tmp_path))) == []


def test_names_are_matched_without_accents_or_case(tmp_path):
    rules = load_rules(folder(tmp_path, '[obligatoire]\nactions = ["ID action", "Thématique", '
                                        '"intitulé", "PARTENAIRES"]\n'))
    assert rules.required.default["actions"] == {"id_action", "thematique", "intitule",
                                                 "partenaires"}


def test_a_field_can_be_made_required(tmp_path):
    rules = load_rules(folder(tmp_path, '[obligatoire]\nActions = ["id_action", "thematique", '
                                        '"intitule", "Partenaires"]\n'))
    assert codes(plan_with(actions__1__partenaires=None), rules) == [
        ("champ-obligatoire", "erreur", "M3")]


def test_a_finding_can_be_silenced_or_softened(tmp_path):
    plan = plan_with(actions__0__statut="Fini")
    rules = load_rules(folder(tmp_path, '[gravites]\nvaleur-hors-liste = "ignorer"\n'))
    assert codes(plan, rules) == []
    rules = load_rules(folder(tmp_path, '[gravites]\nvaleur-hors-liste = "information"\n'))
    assert codes(plan, rules) == [("valeur-hors-liste", "information", "S2")]
    assert validate_plan(plan, rules).exit_code() == 0


def test_a_check_can_be_removed_from_a_column(tmp_path):
    plan = plan_with(actions__0__partenaires="CAF, RAM")
    assert [c for c, _, _ in codes(plan, load_rules())] == ["terme-obsolete"]
    rules = load_rules(folder(tmp_path, "[controles.colonnes.Actions]\npartenaires = []\n"))
    assert codes(plan, rules) == []


def test_lists_and_synonyms_come_from_the_folder(tmp_path):
    listes = (default_rules_dir() / "listes.toml").read_text(encoding="utf-8")
    listes = listes.replace('"Abandonnée",', '"Abandonnée",\n    "Suspendue",')
    rules = load_rules(folder(tmp_path, '[synonymes]\n"En pause" = "Suspendue"\n', listes))
    assert codes(plan_with(actions__0__statut="Suspendue"), rules) == []
    finding = validate_plan(plan_with(actions__0__statut="En pause"), rules).findings[0]
    assert finding.suggestion == "Suspendue"


def test_thematique_exception_by_code(tmp_path):
    rules = load_rules(folder(tmp_path, '[a_completer.thematiques.ENF]\nActions = ["statut"]\n'))
    found = codes(plan_with(actions__0__statut=None), rules)
    assert found == [("champ-a-completer", "avertissement", "S2")]


def test_forbidden_transitions_are_data(tmp_path):
    plan = Plan.from_records(Meta(), **{
        **{t.sheet.key: t.records() for t in small_plan(1).tables},
        "suivi": [{"id_action": "ENF-001", "annee": 2023, "statut": "Abandonnée"},
                  {"id_action": "ENF-001", "annee": 2024, "statut": "En cours"}]})
    assert codes(plan, load_rules()) == []
    rules = load_rules(folder(tmp_path, '[suivi]\ntransitions_interdites = '
                                        '[["Abandonnée", "En cours"]]\n'))
    assert codes(plan, rules) == [("suivi-regression", "erreur", "D3")]


TYPOS = {
    "unknown sheet": ('[obligatoire]\nActionz = ["intitule"]\n', "feuille « Actionz » inconnue"),
    "unknown column": ('[obligatoire]\nActions = ["titre"]\n',
                       "colonne « titre » inconnue dans la feuille Actions"),
    "unknown condition column": ('[a_completer]\nPlan = ["oo_intitule si code"]\n',
                                 "colonne « code » inconnue dans la feuille Plan"),
    "unknown thématique": ('[obligatoire.thematiques.Sport]\nActions = ["intitule"]\n',
                           "thématique « Sport » absente de listes.toml"),
    "unknown check": ('[controles.lignes]\nActions = ["tout_va_bien"]\n',
                      "contrôle de ligne « tout_va_bien » inconnu"),
    "check of another scope": ('[controles.colonnes.Actions]\nporteur = ["oo_existants"]\n',
                               "contrôle de colonne « oo_existants » inconnu"),
    "bad severity": ('[gravites]\noo-inconnu = "grave"\n', "« grave » n'est pas une gravité"),
    "bad period": ('[convention]\ndebut = 2027\nfin = 2022\n',
                   "l'année de début est postérieure à l'année de fin"),
    "period not a number": ('[convention]\ndebut = "deux mille"\n',
                            "« debut » et « fin » doivent être des années"),
    "unknown status in a transition": ('[suivi]\ntransitions_interdites = [["Finie", "En cours"]]\n',
                                       "doit être une paire de statuts"),
    "broken braces": ('[messages]\noo-inconnu = "La feuille {oo"\n', "accolades mal fermées"),
    "not TOML": ("[gravites\n", "fichier de règles illisible"),
    "one name where a list is expected": ('[obligatoire]\nActions = "intitule, porteur"\n',
                                          "colonne « intitule, porteur » inconnue"),
}


@pytest.mark.parametrize("case", sorted(TYPOS))
def test_a_typo_in_the_rules_is_one_french_line(case, tmp_path):
    text, words = TYPOS[case]
    path = folder(tmp_path, text)
    with pytest.raises(CtgxlError) as info:
        verify_rules(load_rules(path))
    message = info.value.message
    assert message.startswith(str(path / "regles.toml"))
    assert words in message
    assert "\n" not in message


def test_every_code_check_and_column_is_documented():
    from ctgxl.catalogue import TABLE_SHEETS

    doc = (Path(__file__).resolve().parent.parent / "ctgxl" / "guides" / "validation.md").read_text(
        encoding="utf-8")
    for code in all_codes():
        assert f"`{code}`" in doc, code
    for name in REGISTRY:
        assert f"`{name}`" in doc, name
    for sheet in TABLE_SHEETS:
        for column in sheet.columns:
            assert f"`{column.key}` {column.header}" in doc or sheet.name == "Offres", column.key


def test_loading_rules_imports_no_check_and_no_pandas():
    import subprocess
    import sys

    code = ("import sys; from ctgxl.validation import load_rules; load_rules(); "
            "print(sorted(m for m in ('pandas', 'numpy', 'pandera', "
            "'ctgxl.validation.registry', 'ctgxl.validation.checks_columns') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_typo_in_a_check_name_stops_validation_in_french(tmp_path):
    rules = load_rules(folder(tmp_path, '[controles.lignes]\nActions = ["tout_va_bien"]\n'))
    with pytest.raises(CtgxlError) as info:
        validate_plan(plan_with(), rules)
    assert "contrôle de ligne « tout_va_bien » inconnu" in info.value.message
