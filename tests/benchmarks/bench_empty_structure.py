"""Benchmark: empty structure costs (almost) nothing (run by hand; pytest does not collect it).

    python tests/benchmarks/bench_empty_structure.py          # the Enfance example, 10 000 actions
    python tests/benchmarks/bench_empty_structure.py 20000    # chosen sizes (actions)

For each workbook, the same plan three ways, measured side by side in one run: as ctgxl
writes it; with LibreOffice Calc's empty rows down to row 1,048,576 (what « Supprimer des
lignes » leaves); with Excel-style styled empty rows and cells to the last row, a dimension
« A1:XFD1048576 » and a whole-column format to XFD. Each figure is the whole
``ctgxl validate --format json`` process, best of five, with its peak memory. Target
(issue 25): the padded workbooks validate within 2× the time of the plain one.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from office_habits import calc_rows, excel_rows, rewritten, with_tail  # noqa: E402

TARGET = 2.0
MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
           "print(time.perf_counter() - t, "
           "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")


def validate(path: Path) -> tuple[float, float]:
    """(seconds, peak MB) of one ``ctgxl validate --format json`` process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "ctgxl",
                          "validate", str(path), "--format", "json"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, peak = out.stdout.split()
    return float(seconds), float(peak)


def workbooks(folder: Path, size: int | None) -> Path:
    if size is None:
        return ROOT / "examples" / "enfance.xlsx"
    from bench_validate import make_plan

    from ctgxl.writer import write_plan
    path = folder / f"plan_{size}.xlsx"
    write_plan(make_plan(size), path)
    return path


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [None, 10_000]
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"{'classeur':<24}{'variante':<10}{'secondes':>10}{'Mo':>8}{'rapport':>9}")
        for size in sizes:
            plain = workbooks(folder, size)
            name = plain.stem if size is None else f"{size} actions"
            variants = {
                "simple": plain,
                "calc": rewritten(plain, folder / f"{plain.stem}_calc.xlsx", with_tail(calc_rows)),
                "excel": rewritten(plain, folder / f"{plain.stem}_excel.xlsx",
                                   with_tail(excel_rows, dimension=b"A1:XFD1048576", cols=True)),
            }
            best: dict[str, tuple[float, float]] = {}
            for _ in range(5):       # interleaved: the three see the same machine load
                for label, path in variants.items():
                    seconds, peak = validate(path)
                    if label not in best or seconds < best[label][0]:
                        best[label] = (seconds, peak)
            base = best["simple"][0]
            for label, (seconds, peak) in best.items():
                ratio = seconds / base
                worst = max(worst, ratio)
                print(f"{name:<24}{label:<10}{seconds:>10.2f}{peak:>8.0f}{ratio:>8.2f}×")
    verdict = "atteint" if worst <= TARGET else "NON atteint"
    print(f"\nPire rapport : {worst:.2f}× (objectif ≤ {TARGET:.0f}×) — {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
