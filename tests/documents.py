"""Word documents built from the seed's text export, the way a coordinator's .docx looks.

``seed_docx`` writes the plan of ``examples/source`` as a .docx with python-docx: each
run of tab-separated lines becomes a table (one row per line), each other line a
paragraph. What Word documents do and a text export hides is put in on purpose:

- « MOYENS – LEVIERS D'ACTIONS » spans the three columns it heads (``gridSpan``);
- an empty action cell under an action is merged with it (``vMerge``), as when an action's
  cell runs down its offers;
- one action table is split in two tables with an empty paragraph between them;
- a cell's text is a tracked change (an insertion after a deletion);
- a heading paragraph, a table row and a cell's text sit inside content controls;
- a deleted row (tracked) holds text that must not be read;
- the first three actions of Petite enfance are numbered by Word's list numbering (the
  « List Number » style), not typed.

The text of every cell stays the seed's, so the import must equal the text import.
"""

from __future__ import annotations

import copy
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "examples" / "source" / "plan_ctg_mont_de_marsan.txt"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DELETED_ROW_TEXT = "LIGNE SUPPRIMÉE EN SUIVI DE MODIFICATIONS"
DELETED_WORDS = "Ancien intitulé retiré "


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def blocks_of(lines: list[str]) -> list:
    """Paragraph texts (str) and tables (lists of cell lists), in order."""
    blocks: list = []
    for line in lines:
        if "\t" in line:
            cells = line.split("\t")
            if blocks and isinstance(blocks[-1], list):
                blocks[-1].append(cells)
            else:
                blocks.append([cells])
        else:
            blocks.append(line)
    return blocks


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _el(tag: str, **attrs):
    from docx.oxml import OxmlElement

    element = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        element.set(_w(key), value)
    return element


def _sdt_around(element) -> None:
    """Wrap ``element`` (a paragraph, a row, a run) in a content control."""
    sdt = _el("sdt")
    sdt.append(_el("sdtPr"))
    content = _el("sdtContent")
    sdt.append(content)
    element.addprevious(sdt)
    content.append(element)


def seed_docx(path: Path, *, lines: list[str] | None = None, split_at: str = "36. ",
              deleted_row: bool = True) -> Path:
    """The seed plan as a .docx at ``path`` (see the module docstring); ``deleted_row=False``
    leaves out the deleted row (LibreOffice does not keep a deleted row as a tracked change
    when it converts a .docx to .odt: the row comes back as ordinary text)."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    document.styles["Normal"].font.size = Pt(8)
    numbered = 0
    block_list = blocks_of(lines if lines is not None else seed_lines())
    # One action table split in two: before the row whose first cell starts with ``split_at``.
    split: list = []
    for block in block_list:
        if isinstance(block, list) and split_at:
            at = next((i for i, row in enumerate(block) if row[0].startswith(split_at)), None)
            if at:
                split.extend([block[:at], "", block[at:]])
                split_at = ""
                continue
        split.append(block)

    wrapped_heading = wrapped_row = tracked = False
    deleted = not deleted_row
    for block in split:
        if not isinstance(block, list):
            paragraph = document.add_paragraph(block)
            if block.startswith("AXE STRATEGIQUE") and not wrapped_heading:
                _sdt_around(paragraph._p)
                wrapped_heading = True
            continue
        width = max(len(row) for row in block)
        table = document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for cells in block:
            row = table.add_row()
            for c in range(width):
                text = cells[c] if c < len(cells) else ""
                cell = row.cells[c]
                label = text.split(" ", 1)
                if (numbered < 3 and c == 0 and len(label) == 2 and label[0] == f"{numbered + 1}."
                        and "Pérenniser" not in text):
                    cell.paragraphs[0].style = document.styles["List Number"]
                    cell.paragraphs[0].add_run(label[1])
                    numbered += 1
                elif text.startswith("4. Organiser un forum") and not tracked:
                    _tracked_text(cell.paragraphs[0], text)
                    tracked = True
                else:
                    cell.text = text
        _merge(table, block)
        # After the merges (python-docx finds rows by position): a row in a content control,
        # a deleted row.
        for row, cells in zip(list(table.rows), block):
            if cells[0].startswith("5. ") and not wrapped_row:
                _sdt_around(row._tr)
                wrapped_row = True
            if cells[0].startswith("3. ") and not deleted:
                _deleted_row_after(row._tr)
                deleted = True
    document.save(path)
    return path


def _tracked_text(paragraph, text: str) -> None:
    """``text`` as an insertion, after a deleted former wording (Suivi des modifications)."""
    deletion = _el("del", id="901", author="Service", date="2025-01-10T10:00:00Z")
    run = _el("r")
    gone = _el("delText")
    gone.text = DELETED_WORDS
    gone.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(gone)
    deletion.append(run)
    insertion = _el("ins", id="902", author="Service", date="2025-01-10T10:00:00Z")
    run = _el("r")
    kept = _el("t")
    kept.text = text
    run.append(kept)
    insertion.append(run)
    paragraph._p.append(deletion)
    paragraph._p.append(insertion)


def _deleted_row_after(tr) -> None:
    row = copy.deepcopy(tr)
    for t in row.iter(_w("t")):
        t.text = ""
    first = next(row.iter(_w("t")), None)
    if first is not None:
        first.text = DELETED_ROW_TEXT
    props = row.find(_w("trPr"))
    if props is None:
        props = _el("trPr")
        row.insert(0, props)
    props.append(_el("del", id="903", author="Service", date="2025-01-10T10:00:00Z"))
    tr.addnext(row)


def _merge(table, block: list[list[str]]) -> None:
    """Merge as Word users do: MOYENS over its three columns; an empty action cell into the
    action cell above it."""
    rows = table.rows
    for r, cells in enumerate(block):
        for c, text in enumerate(cells):
            if text.startswith("MOYENS") and c + 2 < len(cells) and not any(cells[c + 1:c + 3]):
                rows[r].cells[c].merge(rows[r].cells[c + 2])
    for r in range(1, len(block)):
        above, here = block[r - 1], block[r]
        if (here[0] == "" and above[0][:1].isdigit() and len(here) > 2 and here[1:3] != ["", ""]
                and not any("MOYENS" in x for x in here)):
            try:
                table.cell(r - 1, 0).merge(table.cell(r, 0))
            except Exception:   # noqa: BLE001 - a cell already merged sideways: leave it
                pass
            return   # one vertical merge per table is enough to prove the point
