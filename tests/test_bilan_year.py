"""``ctgxl bilan --annee``: a year of the plan's period, and statuts dated only when the
Suivi sheet dates them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document

from ctgxl.bilan import build_bilan
from ctgxl.bilan.content import YearOutsidePlanError, plan_period
from ctgxl.model import Meta, Plan
from workbooks import small_plan

ROOT = Path(__file__).resolve().parent.parent
FOLLOW_UP = ROOT / "examples" / "suivi_fictif"
NEW, OLD = FOLLOW_UP / "pilotage_2025_fictif.xlsx", FOLLOW_UP / "pilotage_2024_fictif.xlsx"


def paragraphs(path: Path) -> list[str]:
    doc = Document(path)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    # French no-break spaces (« », :) read as spaces: the wording is what is checked here
    return [t.replace("\u00a0", " ") for t in [p.text for p in doc.paragraphs] + cells]


@pytest.mark.parametrize("year", ["1999", "2040", "2021", "2028"])
def test_a_year_outside_the_plan_is_refused_naming_the_period(run, tmp_path, year):
    out = tmp_path / "bilan.docx"
    result = run("bilan", NEW, "-o", out, "--annee", year)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert f"l'année {year} est en dehors de la période du plan (2022-2027, période de la " \
           "convention)" in lines[0]
    assert "une année de 2022 à 2027" in lines[0]
    assert not out.exists()


def test_the_years_of_the_suivi_widen_the_period():
    assert plan_period((2022, 2027), [2021, 2023]) == (2021, 2027)
    assert plan_period((2022, 2027), [2028]) == (2022, 2028)
    assert plan_period(None, []) is None
    data = {t.sheet.key: t.records() for t in small_plan(2).tables}
    data["suivi"] = [{"id_action": "ENF-001", "annee": 2021, "statut": "En cours"}]
    plan = Plan.from_records(Meta(thematique="Enfance"), **data)
    bilan = build_bilan(plan, year=2021, period=(2022, 2027))
    assert bilan.year == 2021 and bilan.statuts_of_year == 1 and bilan.current_statuts == 1
    with pytest.raises(YearOutsidePlanError) as refused:
        build_bilan(plan, year=2020, period=(2022, 2027))
    assert "(2021-2027, convention 2022-2027 et années de la feuille Suivi)" in str(refused.value)


def test_a_year_without_suivi_shows_the_current_statuts_and_says_so(run, tmp_path):
    out = tmp_path / "bilan_2026.docx"
    result = run("bilan", NEW, "-o", out, "--annee", "2026", "--depuis", OLD)
    assert result.exit_code == 0, result.output
    assert "Bilan 2026 écrit" in result.output
    assert ("Aucun statut de 2026 dans la feuille Suivi : le bilan présente les statuts "
            "actuels (feuille Actions), pas ceux de cette année.") in result.output
    texts = paragraphs(out)
    body = "\n".join(texts)
    assert "Synthèse de l'avancement (statuts actuels)" in texts
    assert ("Aucune ligne de la feuille Suivi ne donne de statut pour 2026 : les statuts "
            "présentés sont les statuts actuels des actions") in body
    assert "Selon leur statut actuel, 100 sont réalisées" in body
    assert "23 actions selon leur statut actuel : 6 en cours" in body
    assert texts.count("Statut actuel") == 206 and "Statut en 2026" not in texts
    assert "Actuel" in texts                   # the evolutions' « now » column
    # nothing dates a statut to 2026: no title, caption, sentence or label
    dated = [t for t in texts if re.search(r"(avancement|actions|thématique|Statut|statuts?) "
                                           r"(en|de) 2026|En 2026", t)]
    assert dated == []
    # the indicators' values and the title page keep the year: they are the year's
    assert "Bilan 2026 du plan d'actions" in texts

    report = json.loads(run("bilan", NEW, "-o", tmp_path / "b.docx", "--annee", "2026",
                            "--format", "json").stdout)
    assert report["annee"] == 2026
    assert (report["statuts_de_l_annee"], report["statuts_actuels"]) == (0, 206)


def test_a_followed_year_dates_its_statuts(run, tmp_path):
    out = tmp_path / "bilan_2024.docx"
    result = run("bilan", NEW, "-o", out, "--annee", "2024", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["statuts_de_l_annee"], report["statuts_actuels"]) == (206, 0)
    texts = paragraphs(out)
    assert "Synthèse de l'avancement en 2024" in texts
    assert texts.count("Statut en 2024") == 206 and "Statut actuel" not in texts
    assert not any("statut actuel" in t.lower() for t in texts)
