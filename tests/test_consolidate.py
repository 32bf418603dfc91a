"""consolidate_plans, the checks across files and the Synthèse figures (library, no files)."""

from __future__ import annotations

from collections import Counter

import pytest

from ctgxl.catalogue import ACTIONS, SCHEMA_VERSION, TEMPLATE_VERSION
from ctgxl.consolidation import consolidate_plans, source_names, summarize
from ctgxl.consolidation.checks import expected_lists
from ctgxl.consolidation.summary import NO_STATUT, split_porteurs
from ctgxl.model import Meta, Plan
from ctgxl.vocabulary import load_vocabulary

from consolidation_helpers import service

PE, ENF, JEU, PAR = "Petite enfance", "Enfance", "Jeunesse et vie étudiante", "Parentalité"


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def test_every_row_is_in_the_master_with_its_file_and_row():
    pe, enf = service(PE, "PEN", 3), service(ENF, "ENF", 2, offres=2, suivi=True)
    result = consolidate_plans([("petite_enfance.xlsx", pe), ("enfance.xlsx", enf)])
    master = result.master
    assert [len(t) for t in master.tables] == [5, 2, 4, 1, 1]
    provenance = [(r["id_action"], r["source_fichier"], r["source_ligne"])
                  for r in master.actions.records()]
    assert provenance == [("PEN-001", "petite_enfance.xlsx", 2), ("PEN-002", "petite_enfance.xlsx", 3),
                          ("PEN-003", "petite_enfance.xlsx", 4), ("ENF-001", "enfance.xlsx", 2),
                          ("ENF-002", "enfance.xlsx", 3)]
    assert master.offres.records()[1]["source_ligne"] == 3
    assert master.suivi.records()[0]["source_fichier"] == "enfance.xlsx"
    assert master.without_provenance().actions.rows == pe.actions.rows + enf.actions.rows
    assert [s.name for s in result.sources] == ["petite_enfance.xlsx", "enfance.xlsx"]
    assert result.sources[1].rows == {"actions": 2, "offres": 2, "plan": 2,
                                      "indicateurs": 1, "suivi": 1}
    assert result.findings == ()


def test_source_row_is_the_excel_row_the_reader_saw(tmp_path):
    from ctgxl.reader import read_plan

    from workbooks import write_grid

    headers = list(ACTIONS.headers[:7])
    path = write_grid(tmp_path / "pe.xlsx", {"Actions": [
        ["Plan d'actions Petite enfance"], headers,
        ["PEN-001", PE, "I", "1", "OO1", "1", "Accueil"], [],
        ["PEN-002", PE, "I", "1", "OO1", "2", "Relais"]]})
    result = consolidate_plans([("pe.xlsx", read_plan(path))])
    assert result.master.actions.column("source_ligne") == [3, 5]


def test_source_names_are_file_names_told_apart_by_their_folder():
    assert source_names(["/home/coord/retours/enfance.xlsx", "jeunesse.xlsx"]) == \
        ["enfance.xlsx", "jeunesse.xlsx"]
    assert source_names(["2023/enfance.xlsx", "2024/enfance.xlsx", "a/jeunesse.xlsx"]) == \
        ["2023/enfance.xlsx", "2024/enfance.xlsx", "jeunesse.xlsx"]


def test_names_must_be_unique():
    with pytest.raises(ValueError):
        consolidate_plans([("a.xlsx", Plan()), ("a.xlsx", Plan())])


def test_same_id_in_two_files_is_an_erreur_naming_both():
    a = service(ENF, "ENF", 3)
    b = service(ENF, "ENF", 2, first=3, service_name="Enfance bis")
    result = consolidate_plans([("enfance.xlsx", a), ("enfance_bis.xlsx", b)])
    [duplicate] = [f for f in result.findings if f.code == "id-action-en-double"]
    assert duplicate.severity == "erreur"
    assert duplicate.value == "ENF-003"
    assert (duplicate.file, duplicate.sheet, duplicate.cell) == ("enfance_bis.xlsx", "Actions", "A2")
    assert "enfance.xlsx (ligne 4)" in duplicate.message
    assert "enfance_bis.xlsx (ligne 2)" in duplicate.message
    assert result.errors == (duplicate,)
    assert len(result.master.actions) == 5     # both kept: nothing is dropped


def test_same_thematique_claimed_by_two_files():
    result = consolidate_plans([("enfance.xlsx", service(ENF, "ENF", 1)),
                                ("jeunesse.xlsx", service(JEU, "JEU", 1)),
                                ("enfance_v2.xlsx", service(ENF, "ENF", 1, first=5))])
    [shared] = [f for f in result.findings if f.code == "thematique-en-double"]
    assert shared.severity == "avertissement"
    assert "« Enfance » est déclarée par 2 fichiers : enfance.xlsx et enfance_v2.xlsx" \
        in shared.message


def test_thematique_without_metadata_is_the_actions_one():
    bare = service(ENF, "ENF", 1, first=7).replace(meta=Meta())
    result = consolidate_plans([("a.xlsx", service(ENF, "ENF", 1)), ("b.xlsx", bare)])
    assert "thematique-en-double" in codes(result)


def test_oo_label_that_differs_between_files():
    a = service(ENF, "ENF", 1)
    b = service(ENF, "ENF", 1, first=2, oo_label="Intitulé réécrit {k}")
    result = consolidate_plans([("a.xlsx", a), ("b.xlsx", b)])
    different = [f for f in result.findings if f.code == "oo-intitule-different"]
    assert len(different) == 2                      # OO1 and OO2
    first = different[0]
    assert (first.file, first.sheet, first.cell) == ("b.xlsx", "Plan", "G2")
    assert "L'objectif opérationnel OO1 (axe I, objectif 1)" in first.message
    assert "« Objectif opérationnel 1 » dans a.xlsx (ligne 2)" in first.message
    assert first.suggestion == "Reprendre l'intitulé de a.xlsx : « Objectif opérationnel 1 »."


def test_same_oo_code_in_two_thematiques_is_not_a_difference():
    a = service(ENF, "ENF", 1)
    b = service(JEU, "JEU", 1, oo_label="Autre chose {k}")
    result = consolidate_plans([("a.xlsx", a), ("b.xlsx", b)])
    assert not any(c.endswith("intitule-different") for c in codes(result))


def test_spacing_alone_is_not_a_different_label():
    a = service(ENF, "ENF", 1)
    b = service(ENF, "ENF", 1, first=2, oo_label="Objectif  opérationnel {k}")
    assert "oo-intitule-different" not in codes(consolidate_plans([("a.xlsx", a), ("b.xlsx", b)]))


def test_lists_that_differ_from_the_coordinators():
    vocabulary = load_vocabulary()
    same = expected_lists(vocabulary)
    other = dict(same, Statuts=("Non démarrée", "En cours", "Terminé"))
    plans = [("a.xlsx", service(ENF, "ENF", 1)), ("b.xlsx", service(JEU, "JEU", 1))]
    result = consolidate_plans(plans, lists={"a.xlsx": same, "b.xlsx": other},
                               vocabulary=vocabulary)
    [finding] = [f for f in result.findings if f.code == "listes-differentes"]
    assert finding.file == "b.xlsx"
    assert "Statuts : « Terminé » en plus" in finding.message
    assert "Statuts : « Réalisée », « Reportée », « Abandonnée » en moins" in finding.message


def test_template_versions():
    old = service(JEU, "JEU", 1).replace(meta=Meta(JEU, JEU, template_version="0.9",
                                                     schema_version="0.9"))
    unknown = service(PE, "PEN", 1).replace(meta=Meta(PE, PE), source="c.xlsx")
    current = service(ENF, "ENF", 1).replace(meta=Meta(ENF, ENF, TEMPLATE_VERSION, SCHEMA_VERSION))
    older = service(PAR, "PAR", 1).replace(meta=Meta(PAR, PAR, "1.0", "1.0"))
    result = consolidate_plans([("a.xlsx", current), ("b.xlsx", old), ("c.xlsx", unknown),
                                ("d.xlsx", older)])
    versions = [f for f in result.findings if f.code == "version-differente"]
    assert [f.file for f in versions] == ["b.xlsx", "c.xlsx", "d.xlsx"]
    assert f"le modèle {TEMPLATE_VERSION}" in versions[2].message
    assert "modèle 0.9" in versions[0].message
    assert "n'indique pas sa version du modèle" in versions[1].message


def test_an_input_that_is_already_a_master():
    inner = consolidate_plans([("enfance.xlsx", service(ENF, "ENF", 2))]).master
    result = consolidate_plans([("pilotage_2023.xlsx", inner)])
    assert codes(result) == ["fichier-deja-consolide"]
    assert set(result.master.actions.column("source_fichier")) == {"pilotage_2023.xlsx"}


# -- Synthèse figures --------------------------------------------------------------------------

def test_summary_counts_match_the_plans():
    vocabulary = load_vocabulary()
    plans = {
        "pe.xlsx": service(PE, "PEN", 4, statuts=("En cours", "Réalisée"),
                           years=((2022, 2023), (2025, 2025))),
        "enfance.xlsx": service(ENF, "ENF", 3, statuts=(None,), offres=2, indicateurs=False),
        "jeunesse.xlsx": service(JEU, "JEU", 2, statuts=("Reportée", None),
                                 years=((2030, 2031),)),
    }
    master = consolidate_plans(list(plans.items())).master
    summary = summarize(master, period=(2022, 2027),
                        thematiques=vocabulary.values("thematiques"),
                        statuts=vocabulary.values("statuts"))
    assert summary.thematiques == (PE, ENF, JEU)
    assert summary.actions == {t: len(p.actions) for t, p in zip((PE, ENF, JEU), plans.values())}
    assert summary.offres == {PE: 0, ENF: 2, JEU: 0}
    expected = Counter()
    for plan in plans.values():
        expected.update((r["thematique"], r["statut"] or NO_STATUT) for r in plan.actions.records())
    assert {(t, s): n for t, row in summary.by_statut.items() for s, n in row.items() if n} \
        == dict(expected)
    # Enfance actions have no indicators of their own: only ENF-001 gets them from its offers.
    assert summary.with_indicators == {PE: 4, ENF: 1, JEU: 2}
    assert summary.share_with_indicators() == pytest.approx(7 / 9)
    assert summary.years == tuple(range(2022, 2032))
    assert summary.running[2023] == 2 + 3      # PEN-001, PEN-003, ENF-001..003 (2023-2026)
    assert summary.ending[2025] == 2           # PEN-002 and PEN-004
    assert summary.running[2031] == 2 and summary.undated == 0
    assert summary.porteurs[0] == ("Service Petite enfance", 4, 1)


def test_statut_falls_back_on_the_latest_follow_up_year():
    plan = service(ENF, "ENF", 2, statuts=(None,), suivi=True)
    master = consolidate_plans([("e.xlsx", plan)]).master
    summary = summarize(master, statuts=("Non démarrée", "En cours", "Réalisée"))
    assert summary.by_statut[ENF] == {"Non démarrée": 0, "En cours": 0, "Réalisée": 1,
                                      NO_STATUT: 1}


def test_years_come_from_echeances_or_offers_when_the_action_has_none():
    plan = Plan.from_records(
        Meta(thematique=ENF),
        actions=[{"id_action": "ENF-001", "thematique": ENF, "echeances": "2024-26"},
                 {"id_action": "ENF-002", "thematique": ENF},
                 {"id_action": "ENF-003", "thematique": ENF, "echeances": "année scolaire"}],
        offres=[{"id_action": "ENF-002", "numero_offre": 1, "echeances": "2023"},
                {"id_action": "ENF-002", "numero_offre": 2, "annee_debut": 2025,
                 "annee_fin": 2027}])
    summary = summarize(consolidate_plans([("e.xlsx", plan)]).master, period=(2022, 2027))
    assert [(f.start, f.end) for f in summary.facts] == [(2024, 2026), (2023, 2027),
                                                          (None, None)]
    assert summary.undated == 1


def test_porteurs_are_cut_and_compared_without_case():
    assert split_porteurs("Direction Pôle Petite Enfance + RPE") == \
        ["Direction Pôle Petite Enfance", "RPE"]
    assert split_porteurs("CCAS ; CAF\nPMI, MSA / CD") == ["CCAS", "CAF", "PMI", "MSA", "CD"]
    plans = [("a.xlsx", service(ENF, "ENF", 2, porteur="Pôle Éducation")),
             ("b.xlsx", service(JEU, "JEU", 1, porteur="pôle éducation + BIJ"))]
    summary = summarize(consolidate_plans(plans).master)
    assert summary.porteurs[0] == ("Pôle Éducation", 3, 2)


def test_every_cross_file_code_is_documented():
    import re

    from conftest import ROOT

    source = (ROOT / "ctgxl" / "consolidation" / "checks.py").read_text(encoding="utf-8")
    codes_in_code = set(re.findall(r'Finding\(\s*"([a-z-]+)"', source))
    codes_in_code |= set(re.findall(r'\("([a-z-]+-intitule-different)"', source))
    docs = (ROOT / "ctgxl" / "guides" / "consolidation.md").read_text(encoding="utf-8")
    assert len(codes_in_code) == 8
    assert [c for c in sorted(codes_in_code) if f"`{c}`" not in docs] == []
