"""Make ``tests/fixtures/office/``: workbooks edited by LibreOffice Calc as a user edits them.

Run from anywhere, with the system Python (it has ``python3-uno``; a virtual environment
does not)::

    /usr/bin/python3 tools/make_office_fixtures.py            # every case
    /usr/bin/python3 tools/make_office_fixtures.py --cas enfance_copier_2_lignes

Each case copies an example of ``examples/`` (or another fixture), opens it in its own
``soffice --headless`` (own profile, own pipe, French locale), makes one edit through the
UI dispatcher (``.uno:DeleteRows``, ``.uno:DataSort``…) or by typing (``.uno:EnterString``),
and saves it as .xlsx and as .ods. Each file is then read back with the standard library
(``office_readback.py``, independent of ctgxl) and checked: the rows really deleted, the
header really renamed… ``manifest.json`` records, for each fixture, its source, the edit in
French and in machine form, and what Calc wrote (``xlsx_facts``), for
``tests/test_office_fixtures.py``. Then ``python tools/make_writer_fixtures.py`` adds the
Excel-style writers' fixtures to the same manifest.

Nothing here imports ctgxl or anything outside the system Python.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fixture_manifest as manifest  # noqa: E402
from office_cases import CASES, Case  # noqa: E402
from office_readback import column_number, read_sheet, xlsx_facts  # noqa: E402
from office_uno import Calc  # noqa: E402

EXAMPLES = manifest.ROOT / "examples"


def source_path(case: Case, folder: Path) -> Path:
    """The file the case edits: an example, or another case's .xlsx (made in ``folder`` by
    this run or an earlier one, else the committed one)."""
    if case.source.endswith(".xlsx"):
        return EXAMPLES / case.source
    made = folder / f"{case.source}.xlsx"
    return made if made.exists() else manifest.FIXTURES / made.name


def make(case: Case, folder: Path) -> dict:
    """Run one case in its own soffice; return its manifest entry."""
    source = source_path(case, folder)
    before = read_sheet(str(source), "Actions")
    started = time.monotonic()
    with Calc(merge_cells=case.merge_cells) as calc:
        version = calc.version()
        calc.open(str(source))
        edit, expect = case.run(calc, before)
        files = []
        for suffix in (".xlsx", ".ods"):
            path = folder / f"{case.name}{suffix}"
            calc.store(str(path))
            files.append(path)
    entry = {
        "name": case.name,
        "files": [p.name for p in files],
        "source": manifest.relative(EXAMPLES / case.example),
        "base": manifest.relative(source),
        "made_by": f"LibreOffice {version}",
        "edit_fr": case.edit_fr,
        "edit": manifest.blank_edit(**edit),
        "expect": {"ids": expect["ids"]},
        "stored": {},
    }
    for path in files:
        entry["stored"][path.suffix.lstrip(".")] = check(path, expect)
    entry["xlsx_facts"] = xlsx_facts(files[0])
    print(f"{case.name} : .xlsx {files[0].stat().st_size:,} octets, .ods "
          f"{files[1].stat().st_size:,} octets ({time.monotonic() - started:.0f} s)")
    return entry


def check(path: Path, expect: dict) -> dict:
    """Read the file back and compare it with what the case expects; return what the
    typed cells hold in this file (Calc's interpretation of the typing)."""
    content = read_sheet(str(path), "Actions")
    header = content.row(1)
    problems = []
    if header != expect["header"]:
        problems.append(f"en-têtes {header} au lieu de {expect['header']}")
    id_column = header.index(expect["id_header"]) + 1 if expect["id_header"] in header else 1
    ids = content.column(id_column)
    if ids != expect["ids"]:
        problems.append(f"ID action {ids} au lieu de {expect['ids']}")
    for key in ("hidden_rows", "merged"):
        found = sorted(getattr(content, key))
        if found != sorted(expect.get(key, [])):
            problems.append(f"{key} {found} au lieu de {sorted(expect.get(key, []))}")
    stored = {}
    for sheet, ref, absent in expect.get("cells", []):
        cells = content if sheet == "Actions" else read_sheet(str(path), sheet)
        letters, row = re.match(r"([A-Z]+)(\d+)", ref).groups()
        value = cells.cells.get(int(row), {}).get(column_number(letters))
        if absent and value is not None:
            problems.append(f"{sheet}!{ref} devrait être vide : {value!r}")
        stored[f"{sheet}!{ref}"] = value
    if problems:
        raise SystemExit(f"{path.name} : " + " ; ".join(problems))
    return stored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cas", action="append", default=[],
                        help="ne refaire que ce cas (plusieurs fois possible)")
    parser.add_argument("--dossier", type=Path, default=manifest.FIXTURES,
                        help="dossier des fichiers produits (par défaut tests/fixtures/office)")
    args = parser.parse_args(argv)
    names = [c.name for c in CASES]
    unknown = [n for n in args.cas if n not in names]
    if unknown:
        parser.error(f"cas inconnu : {', '.join(unknown)} (cas : {', '.join(names)})")
    folder = args.dossier
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for case in CASES:
        if args.cas and case.name not in args.cas:
            continue
        entries.append(make(case, folder))
    version = entries[0]["made_by"] if entries else None
    path = manifest.save(folder, manifest.load(folder), entries,
                         libreoffice=version.split(" ", 1)[1] if version else None)
    print(f"{len(entries)} cas écrits ; manifeste : {manifest.relative(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
