"""Benchmark of ``ctgxl bilan`` (run by hand; pytest does not collect bench_*.py).

    python tests/benchmarks/bench_bilan.py           # example master, then 206 / 1,000 / 5,000
    python tests/benchmarks/bench_bilan.py --pdf     # and the PDF through LibreOffice
    python tests/benchmarks/bench_bilan.py 206 2000  # chosen sizes for the scale table

Measures, side by side in one run:

1. on the fictitious follow-up of the example plan (``examples/suivi_fictif/``: 206
   actions, 276 indicators, Suivi 2023-2025): a bare read of the two masters
   (``read_plan``), the floor of any command on them; the library (``build_bilan`` with
   ``previous``, and ``render``, charts included); ``ctgxl bilan PILOTAGE -o bilan.docx
   --depuis ANCIEN``, process start to exit; ``ctgxl --help`` (Python and click alone).
   Target: the whole command ≤ 3 s (issue 15). Best of a few runs.
2. scale: masters of 206, 1,000 and 5,000 actions made from the same examples
   (``tools/follow_up_example.write_scaled_master``: each service's actions copied under
   new IDs, with their offers, indicators and an invented follow-up), ``ctgxl bilan`` on
   each in a child process that reports its own peak memory: seconds, peak memory,
   milliseconds per action, document size. Targets: time linear (per action at the
   largest size ≤ 1.5 × at the smallest above 500 actions) and memory bounded
   (≤ 400 Mo at 5,000 actions: the document is streamed, only the plan is in memory).
   Measured before the streamed document (issue 27), same machine: 5,000 actions 74 s
   and 1.16 GB, 1,000 actions 15 s and 295 MB.
3. with ``--pdf``: the PDF of the 206- and 1,000-action masters through LibreOffice,
   and the default time limit the bilan gives the conversion (``conversion_limit``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
FOLDER = ROOT / "examples" / "suivi_fictif"
NEW, OLD = FOLDER / "pilotage_2025_fictif.xlsx", FOLDER / "pilotage_2024_fictif.xlsx"
TARGET = 3.0          # seconds, ctgxl bilan of the 206-action master, end to end
LINEAR = 1.5          # ms per action at the largest size / at the smallest size ≥ 500
MEMORY_MB = 400       # peak of the 5,000-action bilan
SIZES = (206, 1000, 5000)

from bench_diff import best_of  # noqa: E402  (best of a few runs, same measure)
from peak import run_ctgxl  # noqa: E402  (ctgxl in a child process, its peak memory)



def process(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ctgxl", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def measured(*args: str) -> tuple[float, int]:
    """(seconds, peak megabytes) of ``ctgxl ARGS`` in a child process."""
    run = run_ctgxl(*args)
    if run.code != 0:
        raise SystemExit(f"ctgxl {' '.join(args)} : code {run.code}\n" + "\n".join(run.lines))
    return run.seconds, run.peak


def example(argv: list[str]) -> bool:
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
    fiches = sum(len(s.fiches) for s in bilan.sections)
    print(f"Exemple : {fiches} fiches, {bilan.counts['indicateurs']} indicateurs, "
          f"{charts} graphiques, document {len(docx) / 1e6:.1f} Mo")
    print(f"lecture des deux fichiers de pilotage {t_read:5.2f} s | bibliothèque (contenu + "
          f"document) {t_lib:5.2f} s ({t_lib / t_read:4.1f} × la lecture) | commande complète "
          f"{t_cli:5.2f} s ({t_cli / t_read:4.1f} × la lecture) | ctgxl --help {t_help:4.2f} s")
    ok = t_cli <= TARGET
    print(f"Objectif ctgxl bilan ≤ {TARGET:.0f} s : {'atteint' if ok else 'MANQUÉ'}")
    return ok


def scale(sizes: list[int], pdf: bool) -> bool:
    from follow_up_example import write_scaled_master

    from ctgxl.bilan import build_bilan, conversion_limit
    from ctgxl.reader import read_plan

    rows = []
    with tempfile.TemporaryDirectory(prefix="ctgxl-bench-bilan-") as tmp:
        for n in sizes:
            master = write_scaled_master(ROOT / "examples", n, Path(tmp) / f"pilotage_{n}.xlsx")
            out = Path(tmp) / f"bilan_{n}.docx"
            runs = 3 if n <= 1000 else 1
            seconds, peak = min(measured("bilan", str(master), "-o", str(out), "--ecraser")
                                for _ in range(runs))
            actions = len(read_plan(master).actions)
            row = {"n": actions, "s": seconds, "mb": peak, "doc": out.stat().st_size / 1e6}
            if pdf and n <= 1000:
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "ctgxl", "bilan", str(master), "-o",
                                str(Path(tmp) / f"bilan_{n}.pdf"), "--ecraser"], check=True,
                               capture_output=True)
                row["pdf"] = time.perf_counter() - start
                row["limit"] = conversion_limit(build_bilan(read_plan(master)))
            rows.append(row)
    print("\nÉchelle : ctgxl bilan PILOTAGE -o bilan.docx (processus complet)")
    print(f"{'actions':>8} {'secondes':>9} {'ms/action':>10} {'mémoire max':>12} "
          f"{'document':>9}" + (f" {'PDF':>8} {'délai par défaut':>17}" if pdf else ""))
    for r in rows:
        line = (f"{r['n']:>8} {r['s']:>8.1f}s {1000 * r['s'] / r['n']:>9.1f} "
                f"{r['mb']:>9} Mo {r['doc']:>6.1f} Mo")
        if "pdf" in r:
            line += f" {r['pdf']:>7.1f}s {r['limit']:>15.0f}s"
        print(line)
    big = [r for r in rows if r["n"] >= 500]
    ok = True
    if len(big) >= 2:
        ratio = (big[-1]["s"] / big[-1]["n"]) / (big[0]["s"] / big[0]["n"])
        linear = ratio <= LINEAR
        ok &= linear
        print(f"temps par action, {big[-1]['n']} / {big[0]['n']} actions : {ratio:4.2f} "
              f"(objectif ≤ {LINEAR}) : {'atteint' if linear else 'MANQUÉ'}")
    largest = rows[-1]
    if largest["n"] >= 5000:
        bounded = 0 < largest["mb"] <= MEMORY_MB
        ok &= bounded
        print(f"mémoire à {largest['n']} actions : {largest['mb']} Mo (objectif ≤ {MEMORY_MB} "
              f"Mo) : {'atteint' if bounded else 'MANQUÉ'}")
    return ok


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv if a.isdigit()] or list(SIZES)
    ok = example(argv)
    ok &= scale(sorted(sizes), "--pdf" in argv)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
