"""Regenerate ``examples/*.xlsx`` from the Mont de Marsan plan in ``examples/source/``, then
``examples/suivi_fictif/`` (their fictitious follow-up, ``tools/follow_up_example.py``).

Usage, from anywhere::

    python tools/regenerate_examples.py

It runs ``ctgxl import examples/source/plan_ctg_mont_de_marsan.txt -d examples --ecraser
--rapport examples/rapport_import.json --territoire … --code-territoire …`` from the
repository root, so the report names the
source by its relative path. ``tests/test_import_examples.py`` checks that the committed
workbooks are exactly what this produces (contents, read back with ``ctgxl.reader``), and
``tests/test_bilan.py`` does the same for the follow-up.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("examples/source/plan_ctg_mont_de_marsan.txt")
OUTPUT = Path("examples")
REPORT = OUTPUT / "rapport_import.json"
FOLLOW_UP = OUTPUT / "suivi_fictif"
# The territory that signs the plan: the agglomération and its SIREN (its check key holds).
TERRITORY, TERRITORY_CODE = "Mont de Marsan Agglomération", "244000865"


def main() -> int:
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    from ctgxl.cli import group

    try:
        group.main(["import", str(SOURCE), "-d", str(OUTPUT), "--ecraser", "--rapport", str(REPORT),
                    "--territoire", TERRITORY, "--code-territoire", TERRITORY_CODE],
                   prog_name="ctgxl", standalone_mode=False)
    except SystemExit as exc:  # pragma: no cover - click exits on errors
        return int(exc.code or 0)
    sys.path.insert(0, str(ROOT / "tools"))
    from follow_up_example import write_examples

    FOLLOW_UP.mkdir(exist_ok=True)
    for path in write_examples(OUTPUT, FOLLOW_UP):
        print(f"Suivi fictif écrit : {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
