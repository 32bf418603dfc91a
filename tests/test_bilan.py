"""``ctgxl bilan``: what the COPIL document says (library), how it is laid out (the .docx
read back with python-docx), the command, its template and the fictitious follow-up."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from ctgxl.bilan import build_bilan, render
from ctgxl.bilan.template import build_template, template_bytes
from ctgxl.model import Meta, Plan
from ctgxl.reader import read_plan
from ctgxl.validation import load_rules
from workbooks import small_plan

ROOT = Path(__file__).resolve().parent.parent
FOLLOW_UP = ROOT / "examples" / "suivi_fictif"
NEW, OLD = FOLLOW_UP / "pilotage_2025_fictif.xlsx", FOLLOW_UP / "pilotage_2024_fictif.xlsx"
RULES = load_rules()
STATUTS = RULES.vocabulary.values("statuts")
THEMES = RULES.vocabulary.values("thematiques")


def followed(suivi=None, indicateurs=None, actions=None) -> Plan:
    data = {t.sheet.key: t.records() for t in small_plan(3).tables}
    data["indicateurs"] = indicateurs if indicateurs is not None else [
        {"id_action": "ENF-001", "numero_indicateur": 1, "libelle": "Taux de participation",
         "type": "Résultat", "unite": "%", "reference": 60, "annee_reference": 2022,
         "cible": 75, "annee_cible": 2026},
        {"id_action": "ENF-001", "numero_indicateur": 2, "libelle": "Nombre de séances",
         "unite": "séances"}]
    data["suivi"] = suivi if suivi is not None else [
        {"id_action": "ENF-001", "annee": 2023, "statut": "En cours"},
        {"id_action": "ENF-001", "annee": 2024, "statut": "Réalisée",
         "commentaire": "Bilan présenté en conseil d'école."},
        {"id_action": "ENF-001", "annee": 2023, "numero_indicateur": 1, "valeur": 64},
        {"id_action": "ENF-001", "annee": 2024, "numero_indicateur": 1, "valeur": 71.5},
        {"id_action": "ENF-002", "annee": 2024, "statut": "En cours"}]
    for index, values in (actions or {}).items():
        data["actions"][index].update(values)
    return Plan.from_records(Meta(thematique="Enfance", service="Enfance"), **data)


def bilan_of(plan: Plan, **options):
    return build_bilan(plan, period=RULES.period, thematiques=THEMES, statuts=STATUTS,
                       territoire="Mont de Marsan Agglomération",
                       today=dt.date(2025, 11, 1), source="pilotage.xlsx", **options)


# -- what the bilan says -----------------------------------------------------------------------

def test_the_statut_of_the_year_comes_from_the_follow_up_then_from_actions():
    plan = followed(actions={2: {"statut": "Non démarrée"}})
    bilan = bilan_of(plan)
    assert bilan.year == 2024                          # the latest year followed up
    fiches = {f.id_action: f for s in bilan.sections for f in s.fiches}
    assert fiches["ENF-001"].statut == "Réalisée"
    assert fiches["ENF-001"].history == ((2023, "En cours"), (2024, "Réalisée"))
    assert fiches["ENF-001"].commentaire == "Bilan présenté en conseil d'école."
    assert fiches["ENF-002"].statut == "En cours"
    assert fiches["ENF-003"].statut == "Non démarrée"  # no Suivi row: the Actions column
    assert bilan.by_thematique == {"Enfance": {"Réalisée": 1, "En cours": 1,
                                               "Non démarrée": 1}}
    assert bilan.share("Réalisée") == pytest.approx(1 / 3)
    earlier = bilan_of(plan, year=2023)
    assert {f.id_action: f.statut for s in earlier.sections for f in s.fiches}["ENF-001"] == \
        "En cours"


def test_fiches_follow_the_plan_and_carry_their_indicators():
    bilan = bilan_of(followed())
    [section] = bilan.sections
    assert section.thematique == "Enfance"
    axe = section.axes[0]
    assert (axe.code, axe.label) == ("I", "Favoriser l'épanouissement et le bien-être")
    fiche = section.fiches[0]
    first, second = fiche.indicators
    assert first.values == {2023: 64, 2024: 71.5}
    assert first.progress == pytest.approx((71.5 - 60) / (75 - 60))
    assert second.values == {} and second.progress is None
    assert bilan.years == (2023, 2024)
    assert bilan.counts == {"indicateurs": 2, "avec_cible": 1, "avec_valeur": 1,
                            "cible_atteinte": 0}
    assert [f.id_action for f in section.fiches] == ["ENF-001", "ENF-002", "ENF-003"]


def test_evolutions_since_the_last_copil_come_from_the_keyed_diff():
    before = followed(suivi=[{"id_action": "ENF-001", "annee": 2023, "statut": "En cours"},
                             {"id_action": "ENF-001", "annee": 2023, "numero_indicateur": 1,
                              "valeur": 62}])
    now = followed(actions={1: {"porteur": "Centre social de la Moustey"}})
    data = {t.sheet.key: t.records() for t in now.tables}
    data["actions"] = [a for a in data["actions"] if a["id_action"] != "ENF-003"]
    data["actions"].append({**data["actions"][0], "id_action": "ENF-004", "numero": "4",
                            "intitule": "Ludothèque itinérante"})
    now = Plan.from_records(now.meta, **data)
    ev = bilan_of(now, previous=before, previous_name="pilotage_2023.xlsx").evolutions
    assert ev.previous == "pilotage_2023.xlsx"
    assert ev.added == (("ENF-004", "Ludothèque itinérante"),)
    assert [i for i, _ in ev.removed] == ["ENF-003"]
    assert [(i, f) for i, _, f in ev.changed] == [("ENF-002", ("Porteur(s) de projet",))]
    statuts = {i: (a, b) for i, _, a, b in ev.statuts}
    assert statuts == {"ENF-001": ("En cours", "Réalisée")}
    assert [(i, y, old, new) for i, _, y, old, new, _ in ev.values] == [
        ("ENF-001", 2023, 62, 64), ("ENF-001", 2024, None, 71.5)]
    same = bilan_of(now, previous=now, previous_name="x.xlsx").evolutions
    assert same.empty


# -- the document ------------------------------------------------------------------------------

def document_of(bilan, template: bytes | None = None):
    return Document(io.BytesIO(render(bilan, template or template_bytes())))


def texts(doc) -> list[str]:
    """The paragraphs, French no-break spaces read as spaces (typography has its test)."""
    return [p.text.replace("\u00a0", " ") for p in doc.paragraphs]


def test_the_document_has_a_title_page_summary_and_one_fiche_per_action():
    doc = document_of(bilan_of(followed()))
    body = "\n".join(texts(doc))
    assert "Mont de Marsan Agglomération" in body and "Bilan 2024 du plan d'actions" in body
    assert "Période de la convention : 2022-2027" in body
    assert "Document établi le 1er novembre 2025" in body and "« pilotage.xlsx »" in body
    # French typography: « » and the colon keep their word on their line
    raw = "\n".join(p.text for p in doc.paragraphs)
    assert "«\u00a0pilotage.xlsx\u00a0»" in raw and "convention\u00a0: 2022" in raw
    assert "{" not in body
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", "Synthèse de l'avancement en 2024")
    assert ("Heading 1", "Enfance") in headings
    fiches = [t for s, t in headings if s == "Heading 4"]
    assert [f.split(" – ")[0] for f in fiches] == ["ENF-001", "ENF-002", "ENF-003"]
    assert "En 2024, 1 est réalisée (33 %) et 2 en cours (67 %)." in body
    # ENF-003 has no Suivi row in 2024: its statut is the current one, and said to be
    assert "3 actions en 2024 (statut actuel pour 1) : 2 en cours, 1 réalisée." in body
    assert ("Sans statut pour 2024 dans la feuille Suivi, 1 action sur 3 figure avec son "
            "statut actuel (colonne « Statut » de la feuille Actions).") in body
    header = doc.sections[0].header.paragraphs[0].text
    assert header == "Convention Territoriale Globale – Mont de Marsan Agglomération – Bilan 2024"


def test_tables_never_split_a_row_and_repeat_their_header():
    doc = document_of(bilan_of(followed()))
    summary = doc.tables[0]
    assert [c.text for c in summary.rows[0].cells] == [
        "Thématique", "En cours", "Réalisée", "Total", "% réalisées", "% en cours"]
    assert [c.text for c in summary.rows[-1].cells] == ["Total", "2", "1", "3", "33 %", "67 %"]
    for table in doc.tables:
        for row in table.rows:
            assert row._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
        first = table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
        if table.rows[0].cells[0].text in ("Thématique", "N°", "ID"):
            assert first is not None
    fiche = next(t for t in doc.tables if t.rows[0].cells[0].text == "Statut en 2024")
    assert fiche.rows[0].cells[1].text == "Réalisée"
    assert fiche.rows[1].cells[1].text.replace("\u00a0", " ") == "2023 : En cours"
    labels = [r.cells[0].text for r in fiche.rows]
    assert labels[:4] == ["Statut en 2024", "Années précédentes", "Porteur(s) de projet",
                          "Public visé"]
    assert labels[-1] == "Commentaire"
    # a fiche is kept together: every row but the last keeps with the next
    keeps = [r._tr.find(f"{qn('w:tc')}/{qn('w:p')}/{qn('w:pPr')}/{qn('w:keepNext')}") is not None
             for r in fiche.rows]
    assert all(keeps)   # …and with the indicator table that follows
    indicators = next(t for t in doc.tables if t.rows[0].cells[1].text == "Indicateur")
    assert [c.text for c in indicators.rows[0].cells] == [
        "N°", "Indicateur", "Unité", "Référence", "2023", "2024", "Cible"]
    assert [c.text for c in indicators.rows[1].cells] == [
        "1", "Taux de participation\nRésultat", "%", "60\n(2022)", "64", "71,5", "75\n(2026)"]


def test_charts_summary_and_indicators_followed_two_years():
    doc = document_of(bilan_of(followed()))
    pictures = doc.inline_shapes
    assert len(pictures) == 2      # the statut chart and indicator 1 (2 years of values)
    captions = [p.text.replace("\u00a0", " ") for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == [
        "Figure 1 – Avancement des actions par thématique en 2024 (nombre d'actions ; "
        "hachuré : statut non renseigné)",
        "Figure 2 – ENF-001, indicateur 1 : Taux de participation"]
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "Page " in footer


def test_nothing_followed_says_so_in_words():
    plan = followed(suivi=[], actions={i: {"statut": None} for i in range(3)})
    body = "\n".join(texts(document_of(bilan_of(plan, year=2025))))
    assert "Aucune ligne de la feuille Suivi ne donne de statut pour 2025" in body
    assert "Aucun statut n'est renseigné" in body


def test_the_shipped_template_is_what_the_code_builds():
    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    assert parts(template_bytes()) == parts(build_template()), (
        "ctgxl/data/modele_bilan.docx est périmé : python -c \"from ctgxl.bilan.template "
        "import build_template; open('ctgxl/data/modele_bilan.docx', 'wb')"
        ".write(build_template())\"")


def test_a_coordinators_template_keeps_its_own_text_and_fields(tmp_path):
    doc = Document(io.BytesIO(template_bytes()))
    doc.paragraphs[0].text = "Direction de la cohésion sociale – {territoire}"
    out = io.BytesIO()
    doc.save(out)
    result = document_of(bilan_of(followed()), out.getvalue())
    assert result.paragraphs[0].text == \
        "Direction de la cohésion sociale – Mont de Marsan Agglomération"
    assert "Enfance" in [p.text for p in result.paragraphs if p.style.name == "Heading 1"]


# -- the command -------------------------------------------------------------------------------

def test_bilan_of_the_fictitious_follow_up_with_evolutions(run, tmp_path):
    out = tmp_path / "bilan.docx"
    before = NEW.read_bytes(), OLD.read_bytes()
    result = run("bilan", NEW, "-o", out, "--depuis", OLD, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["schema"] == "ctgxl-bilan" and report["annee"] == 2025
    assert report["actions"] == report["fiches"] == 206
    assert report["evolutions"]["changements_de_statut"] > 0
    assert report["evolutions"]["valeurs_d_indicateurs"] > 0
    assert (NEW.read_bytes(), OLD.read_bytes()) == before
    doc = Document(out)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Synthèse de l'avancement en 2025", "Évolutions depuis le dernier COPIL",
                        "Petite enfance", "Enfance", "Jeunesse et vie étudiante",
                        "Cohésion sociale", "Parentalité"]
    fiches = [p.text for p in doc.paragraphs if p.style.name == "Heading 4"]
    assert len(fiches) == 206
    text = run("bilan", NEW, "-o", tmp_path / "b2.docx", "--annee", "2024")
    assert text.exit_code == 0 and "Bilan 2024 écrit" in text.output


@pytest.mark.parametrize("args, words", [
    (["absent.xlsx", "-o", "{tmp}/b.docx"], "absent.xlsx : fichier introuvable"),
    ([str(NEW), "-o", "{tmp}/b.txt"], "le bilan s'écrit en .docx, .odt ou .pdf"),
    ([str(NEW), "-o", "{tmp}/b.docx", "--modele", str(NEW)], "doit être un document Word .docx"),
    ([str(NEW), "-o", "{tmp}/b.docx", "--modele", "{tmp}/faux.docx"],
     "n'est pas un document Word lisible"),
    ([str(NEW), "-o", "{tmp}/b.docx", "--depuis", "{tmp}/faux.docx"], "faux.docx"),
    ([str(NEW), "-o", "{tmp}/faux.docx", "--modele", "{tmp}/faux.docx"],
     "ne peut pas être un fichier d'entrée"),
])
def test_bad_input_is_one_french_line_and_exit_2(run, tmp_path, args, words):
    (tmp_path / "faux.docx").write_bytes(b"pas un document")
    result = run("bilan", *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2, result.output
    assert words in result.output and "Traceback" not in result.output
    assert not (tmp_path / "b.docx").exists()


def test_an_existing_output_is_kept_without_ecraser(run, tmp_path):
    out = tmp_path / "bilan.docx"
    out.write_bytes(b"ancien")
    result = run("bilan", NEW, "-o", out)
    assert result.exit_code == 2 and "--ecraser" in result.output
    assert out.read_bytes() == b"ancien"
    assert run("bilan", NEW, "-o", out, "--ecraser").exit_code == 0
    assert zipfile.is_zipfile(out)


def test_pdf_without_libreoffice_says_how(run, tmp_path, monkeypatch):
    import ctgxl.office as office

    monkeypatch.setattr(office, "soffice", lambda: None)
    result = run("bilan", NEW, "-o", tmp_path / "b.pdf")
    assert result.exit_code == 2
    assert "demande LibreOffice" in result.output and "-o bilan.docx" in result.output
    assert not (tmp_path / "b.pdf").exists()


def test_template_command_writes_the_bilan_template(run, tmp_path):
    out = tmp_path / "modele.docx"
    result = run("template", "-o", out)
    assert result.exit_code == 0 and "{contenu}" in result.output
    assert out.read_bytes() == template_bytes()
    result = run("bilan", NEW, "-o", tmp_path / "b.docx", "--modele", out,
                 "--territoire", "Grand Dax")
    assert result.exit_code == 0
    assert "Grand Dax" in [p.text for p in Document(tmp_path / "b.docx").paragraphs]


@pytest.mark.soffice
def test_pdf_and_odt_through_libreoffice(run, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) absent")
    for suffix in ("pdf", "odt"):
        result = run("bilan", NEW, "-o", tmp_path / f"bilan.{suffix}")
        assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "bilan.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    assert 60 <= len(pages) <= 250
    assert "Synthèse de l'avancement en 2025" in pages[1]
    assert "Page 2 sur" in pages[1]
    for page in pages[2:-1]:
        assert "Bilan 2025" in page            # the header on every page after the title
    with zipfile.ZipFile(tmp_path / "bilan.odt") as odt:
        content = odt.read("content.xml").decode("utf-8")
    assert "Synthèse de l" in content and "PEN-001" in content
    # No fiche is cut where it fits on a page: its heading, its statut and the first line
    # of each of its tables are on one page; the fiches that do not fit are known.
    spanning = _fiches_over_two_pages(pages)
    assert spanning["orphans"] == []
    assert set(spanning["cut"]) == _too_long_for_a_page()


def _fiches_over_two_pages(pages: list[str]) -> dict[str, list[str]]:
    import re

    cut, orphans, current = [], [], None
    for number, page in enumerate(pages):
        for line in page.splitlines():
            text = line.strip()
            heading = re.match(r"^([A-Z]{3}-\d{3}) – ", text)
            if heading:
                current = [heading.group(1), number, True]
            elif current and current[2] and text.startswith("Statut en"):
                if number != current[1]:
                    orphans.append(current[0])
            elif current and current[2] and re.match(r"^N°\s+(Offre|Indicateur)\b", text):
                if number != current[1] and current[0] not in cut:
                    cut.append(current[0])
            elif text.startswith("Figure") and current:
                current[2] = False     # the charts after the tables may go on
    return {"cut": cut, "orphans": orphans}


def _too_long_for_a_page() -> set[str]:
    from ctgxl.bilan.document import fiche_tables, fits_on_a_page

    bilan = bilan_of(read_plan(NEW))
    return {f.id_action for s in bilan.sections for f in s.fiches
            if not fits_on_a_page(fiche_tables(bilan, f))}


@pytest.mark.soffice
def test_a_template_saved_by_libreoffice_still_works(run, tmp_path):
    from conftest import soffice_convert

    source = tmp_path / "modele.docx"
    source.write_bytes(template_bytes())
    odt = soffice_convert(source, "odt", tmp_path / "odt")
    resaved = soffice_convert(odt, "docx", tmp_path / "docx")
    result = run("bilan", NEW, "-o", tmp_path / "b.docx", "--modele", resaved)
    assert result.exit_code == 0, result.output
    doc = Document(tmp_path / "b.docx")
    assert "Synthèse de l'avancement en 2025" in [p.text for p in doc.paragraphs]
    assert len([p for p in doc.paragraphs if p.text.startswith("PEN-0")]) == 23


# -- the fictitious follow-up ------------------------------------------------------------------

def test_committed_follow_up_examples_are_what_the_code_makes(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    from follow_up_example import write_examples

    for fresh in write_examples(ROOT / "examples", tmp_path):
        committed = read_plan(FOLLOW_UP / fresh.name)
        assert committed == read_plan(fresh), (
            f"examples/suivi_fictif/{fresh.name} est périmé : "
            "lancez « python tools/regenerate_examples.py »")
    assert "fictif" in (FOLLOW_UP / "README.md").read_text(encoding="utf-8")


def test_the_follow_up_is_clean_and_keeps_the_real_plan():
    from ctgxl.validation import validate_file

    master = read_plan(NEW)
    codes = {(f.code, f.sheet) for f in validate_file(NEW, RULES).findings}
    assert not {c for c in codes if c[1] == "Suivi"}       # no follow-up mistake
    assert ("indicateur-sans-unite", "Indicateurs") not in codes
    years = {r["annee"] for r in master.suivi.records()}
    assert years == {2023, 2024, 2025}
    assert {r["annee"] for r in read_plan(OLD).suivi.records()} == {2023, 2024}
    originals = {r["id_action"]: r["intitule"]
                 for p in (ROOT / "examples").glob("*.xlsx")
                 for r in read_plan(p).actions.records()}
    assert {r["id_action"]: r["intitule"] for r in master.actions.records()} == originals


def test_without_a_territory_the_header_has_no_empty_dash():
    bilan = build_bilan(followed(), period=RULES.period, thematiques=THEMES, statuts=STATUTS,
                        territoire=None, today=dt.date(2025, 11, 1), source="p.xlsx")
    doc = document_of(bilan)
    assert doc.sections[0].header.paragraphs[0].text == \
        "Convention Territoriale Globale – Bilan 2024"
    assert "Période de la convention : 2022-2027" in texts(doc)
