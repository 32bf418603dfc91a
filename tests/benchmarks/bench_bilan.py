"""Benchmark of ``ctgxl bilan`` (run by hand; pytest does not collect bench_*.py).

    python tests/benchmarks/bench_bilan.py           # the example master, 5 runs each
    python tests/benchmarks/bench_bilan.py --pdf     # and the PDF through LibreOffice

Measures, side by side in one run, on the fictitious follow-up of the example plan
(``examples/suivi_fictif/``: 206 actions, 276 indicators, Suivi 2023-2025):

- a bare read of the two masters (``read_plan``), the floor of any command on them;
- the library: ``build_bilan`` with ``previous`` and ``render`` (charts included);
- ``ctgxl bilan PILOTAGE -o bilan.docx --depuis ANCIEN``, process start to exit;
- ``ctgxl --help``, process start to exit (what Python and click cost alone);

and prints the ratios command / read and the target: the whole command ≤ 3 s (issue 15).
Each figure is the best of a few runs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
FOLDER = ROOT / "examples" / "suivi_fictif"
NEW, OLD = FOLDER / "pilotage_2025_fictif.xlsx", FOLDER / "pilotage_2024_fictif.xlsx"
TARGET = 3.0   # seconds, ctgxl bilan of the 206-action master, end to end

from bench_diff import best_of  # noqa: E402  (best of a few runs, same measure)


def process(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ctgxl", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str]) -> int:
    from ctgxl.bilan import build_bilan, load_template, render
    from ctgxl.reader import read_plan
    from ctgxl.validation import load_rules

    rules = load_rules()
    template = load_template(None)
    t_read, (new, old) = best_of(5, lambda: (read_plan(NEW), read_plan(OLD)))

    def library():
        bilan = build_bilan(new, previous=old, period=rules.period,
                            thematiques=rules.vocabulary.values("thematiques"),
                            statuts=rules.vocabulary.values("statuts"))
        return bilan, render(bilan, template)

    t_lib, (bilan, docx) = best_of(5, library)
    charts = 1 + sum(sum(type(v) in (int, float) for v in i.values.values()) >= 2
                     for s in bilan.sections for f in s.fiches for i in f.indicators)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bilan.docx"
        t_cli = min(process("bilan", str(NEW), "-o", str(out), "--depuis", str(OLD),
                            "--ecraser") for _ in range(5))
        t_help = min(process("--help") for _ in range(5))
        t_pdf = None
        if "--pdf" in argv:
            t_pdf = process("bilan", str(NEW), "-o", str(Path(tmp) / "bilan.pdf"),
                            "--depuis", str(OLD))
    fiches = sum(len(s.fiches) for s in bilan.sections)
    print(f"{fiches} fiches, {bilan.counts['indicateurs']} indicateurs, {charts} graphiques, "
          f"document {len(docx) / 1e6:.1f} Mo")
    print(f"lecture des deux fichiers de pilotage {t_read:5.2f} s | bibliothèque (contenu + "
          f"document) {t_lib:5.2f} s ({t_lib / t_read:4.1f} × la lecture) | commande complète "
          f"{t_cli:5.2f} s ({t_cli / t_read:4.1f} × la lecture) | ctgxl --help {t_help:4.2f} s")
    if t_pdf is not None:
        print(f"commande complète en PDF (LibreOffice) {t_pdf:5.1f} s")
    ok = t_cli <= TARGET
    print(f"Objectif ctgxl bilan ≤ {TARGET:.0f} s : {'atteint' if ok else 'MANQUÉ'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
