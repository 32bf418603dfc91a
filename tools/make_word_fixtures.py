"""Make the Word and OpenDocument plans the import tests read, with LibreOffice.

    python tools/make_word_fixtures.py          # writes tests/fixtures/word/ (needs soffice)
    python tools/make_word_fixtures.py DOSSIER  # writes them elsewhere

Each plan is described here as blocks (``tools/fodt.py``: headings, paragraphs, lists,
tables with column widths and merged cells), written as flat OpenDocument (.fodt) in a
temporary folder and converted by LibreOffice headless, as users' office software writes
documents — not by python-docx, which writes exactly what a reader expects:

- ``plan_grille``: the Mont de Marsan plan of ``examples/source`` as a coordinator's
  document (one table per objectif; OO cells merged over the empty cells after them,
  « MOYENS » over its three columns, an action cell merged over the row below it), as .docx
  and .odt;
- ``plan_word``: the same plan as the Word document of ``tests/documents.py`` (merged cells,
  tracked changes, content controls, Word list numbering), then the way ctgxl tells users to
  bring a Word 97-2003 file: ``soffice --convert-to doc`` and back with ``--convert-to docx``
  and ``--convert-to odt`` (``plan_word_via_doc.docx``, ``.odt``) — LibreOffice rebuilds
  each table's grid from the cell widths: more grid columns, other ``gridSpan`` values;
- ``plan_enjeux``: another territory's grid plan (« Enjeu », « Objectif 1.2 », titles aligned
  with a tab, header cells merged over columns of other widths, indicators as list items),
  as .docx and through .doc;
- ``fiches_tableaux``, ``fiches_paragraphes``, ``fiches_quatre_colonnes``: plans written
  as fiches actions by three authors (``word_fixture_plans.py``), as .docx and .odt.

The tests use the committed files and never need LibreOffice. The territories, people and
figures of the fiches are fictitious.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

sys.path.insert(0, str(ROOT / "tests"))

from fodt import Cell, Para, Table, document  # noqa: E402
from word_fixture_plans import FICHES, PLAN_ENJEUX  # noqa: E402

SEED = ROOT / "examples" / "source" / "plan_ctg_mont_de_marsan.txt"
TARGET = ROOT / "tests" / "fixtures" / "word"
PAGE_WIDTH = 26.7     # centimetres inside the margins of a landscape A4 page


def seed_blocks() -> list:
    """The seed plan: lines with tabs grouped into tables, other lines as paragraphs."""
    blocks: list = []
    run: list[list[str]] = []
    for line in SEED.read_text(encoding="utf-8").splitlines() + [""]:
        if "\t" in line:
            run.append(line.split("\t"))
            continue
        if run:
            blocks.append(_seed_table(run))
            run = []
        blocks.append(Para(line))
    return blocks


def _seed_table(lines: list[list[str]]) -> Table:
    width = max(len(cells) for cells in lines)
    rest = (PAGE_WIDTH - 3.6) / max(width - 1, 1)
    table = Table([3.6] + [round(rest, 3)] * (width - 1))
    lines = [cells + [""] * (width - len(cells)) for cells in lines]
    merged_below: int | None = None      # the row whose action cell runs down the next one
    for r, cells in enumerate(lines[:-1]):
        below = lines[r + 1]
        if (cells[0][:1].isdigit() and not below[0] and below[1:3] != ["", ""]
                and not any("MOYENS" in x for x in below)):
            merged_below = r
            break
    for r, cells in enumerate(lines):
        row: list[Cell] = []
        c = 1 if merged_below is not None and r == merged_below + 1 else 0
        while c < width:
            text, span = cells[c], 1
            if text and (cells[0] == "OBJECTIFS OPERATIONNELS" or text.startswith("MOYENS")):
                # merged over the empty cells after it, as typed in Word (« MOYENS » over 3)
                limit = 3 if text.startswith("MOYENS") else 4
                while c + span < width and not cells[c + span] and span < limit:
                    span += 1
            row.append(Cell(text, span=span, rows=2 if r == merged_below and c == 0 else 1))
            c += span
        table.rows.append(row)
    return table


def soffice(source: Path, fmt: str, outdir: Path, profile: Path) -> Path:
    """``source`` converted by LibreOffice headless into ``outdir``."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        sys.exit("LibreOffice (soffice) est introuvable : installez-le pour refaire les "
                 "documents de test.")
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([binary, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", fmt, "--outdir", str(outdir), str(source)],
                   check=True, capture_output=True, timeout=300)
    target = outdir / f"{source.stem}.{fmt.split(':')[0]}"
    if not target.exists():
        sys.exit(f"LibreOffice n'a pas produit {target.name}")
    return target


def make(name: str, blocks: list, work: Path, *, via_doc: bool = False,
         landscape: bool = True) -> list[Path]:
    profile = work / "profil"
    source = work / f"{name}.fodt"
    source.write_text(document(blocks, landscape=landscape), encoding="utf-8")
    made = [soffice(source, fmt, work / "direct", profile) for fmt in ("docx", "odt")]
    if via_doc:
        made += through_doc(made[0], name, work)
    return made


def through_doc(source: Path, name: str, work: Path) -> list[Path]:
    """``source`` saved as a Word 97-2003 .doc, then brought back as .docx and .odt."""
    profile = work / "profil"
    doc = soffice(source, "doc", work / f"doc_{name}", profile)
    made = []
    for fmt in ("docx", "odt"):
        converted = soffice(doc, fmt, work / f"via_doc_{name}", profile)
        made.append(converted.rename(converted.with_name(f"{name}_via_doc.{fmt}")))
    return made


def word_plan(work: Path) -> list[Path]:
    """The Word document of ``tests/documents.py`` (python-docx, as Word writes it) ending with
    a paragraph as every Word document does, and its conversions through .doc."""
    import docx

    from documents import seed_docx

    original = seed_docx(work / "plan_word.docx", deleted_row=False)
    document_ = docx.Document(str(original))
    document_.add_paragraph("")
    document_.save(str(original))
    return [original, *through_doc(original, "plan_word", work)]


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else TARGET
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        made = make("plan_grille", seed_blocks(), work)
        made += word_plan(work)
        made += make("plan_enjeux", PLAN_ENJEUX, work, via_doc=True)
        for name, blocks in FICHES.items():
            made += make(name, blocks, work, landscape=False)
        for path in made:
            shutil.copyfile(path, target / path.name)
            print(f"{target / path.name} ({path.stat().st_size // 1024} Ko)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
