"""Benchmark of ``ctgxl import`` of a Word document (run by hand; pytest does not collect it).

    python tests/benchmarks/bench_import.py              # 1 250 to 10 000 rows / tables
    python tests/benchmarks/bench_import.py 500 1000     # chosen sizes

Writes .docx plans of realistic rows (``french.py``) in two shapes — one action table of
N rows, and N tables of one action each, a paragraph between them — and imports each in a
fresh process (``import_legacy``: reading the document, recognising the plan, building the
workbooks' content; the workbooks are not written). Prints, side by side from one run, the
elapsed and CPU time (on a machine shared with other work, the elapsed time varies from run
to run), the cost per row (linear cost: the same per row at every size) and the peak memory
of the process. Targets (issue 26): the 10 000-row table in under 10 s, the cost per row at
the largest size within 1.5 × the cost at the smallest.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from french import (ECHEANCES, INDICATEURS, OBJECTS, PARTENAIRES, PLACES,  # noqa: E402
                    PORTEURS, PUBLICS, VERBS)
from rawdocs import p, tbl, write_docx  # noqa: E402

TARGET_SECONDS = 10.0   # the 10 000-row table
TARGET_LINEARITY = 1.5  # cost per row, largest size / smallest size
HEADER = ["ACTIONS", "OO", "PORTEUR DE PROJETS", "PUBLIC VISE",
          "ECHEANCES DE REALISATION CALENDRIER", "PARTENAIRES", "MOYENS HUMAINS",
          "MOYENS TECHNIQUES", "MOYENS FINANCIERS", "INDICATEURS EVALUATION"]
HEADINGS = [p("THEMATIQUE ENFANCE"), p("AXE STRATEGIQUE I Favoriser l'épanouissement"),
            p("OBJECTIF INTERMEDIAIRE 1 Développer l'offre de loisirs")]

MEASURE = """
import json, resource, sys, time
from ctgxl.legacy import import_legacy
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
start, start_cpu = time.perf_counter(), cpu()
result = import_legacy(sys.argv[1])
seconds, cpu_seconds = time.perf_counter() - start, cpu() - start_cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "peak": peak,
                  "actions": sum(len(t.plan.actions) for t in result.thematiques)}))
"""


def action_row(number: int, rnd: random.Random) -> list[str]:
    return [f"{number}. {rnd.choice(VERBS)} {rnd.choice(OBJECTS)} {rnd.choice(PLACES)}",
            rnd.choice(["1", "2", "1 2"]), rnd.choice(PORTEURS), rnd.choice(PUBLICS),
            rnd.choice(ECHEANCES), rnd.choice(PARTENAIRES), "Agents du service, bénévoles",
            "Salle municipale", "Budget du service, CAF", rnd.choice(INDICATEURS)]


def one_table(path: Path, n: int) -> Path:
    rnd = random.Random(n)
    rows = [HEADER] + [action_row(i, rnd) for i in range(1, n + 1)]
    return write_docx(path, "".join(HEADINGS) + tbl(rows) + p(""))


def many_tables(path: Path, n: int) -> Path:
    rnd = random.Random(n)
    body = "".join(tbl([HEADER, action_row(i, rnd)]) + p("") for i in range(1, n + 1))
    return write_docx(path, "".join(HEADINGS) + body)


def measure(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path)], check=True,
                          capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout)


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1250, 2500, 5000, 10000]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for shape, make in (("lignes dans un tableau", one_table),
                            ("tableaux d'une action", many_tables)):
            print(f"\n{shape} :")
            print(f"{'taille':>8} {'durée':>8} {'CPU':>8} {'par ligne':>10} {'rapport':>8} "
                  f"{'mémoire':>9}")
            first = None
            for n in sizes:
                path = make(Path(tmp) / f"{n}.docx", n)
                got = measure(path)
                per_row = got["seconds"] / n * 1e6
                first = first or per_row
                print(f"{n:>8} {got['seconds']:>7.2f}s {got['cpu']:>7.2f}s {per_row:>8.0f}µs "
                      f"{per_row / first:>7.2f}× {got['peak']:>7.0f}Mo"
                      + ("" if got["actions"] == n else f"  ({got['actions']} actions ?)"))
            linear = per_row / first <= TARGET_LINEARITY
            ok &= linear
            print(f"coût par ligne {per_row / first:.2f} × celui de la plus petite taille : "
                  f"{'linéaire' if linear else 'NON LINÉAIRE'}")
            if shape.startswith("lignes") and sizes[-1] >= 10000:
                fast = got["seconds"] < TARGET_SECONDS
                ok &= fast
                print(f"Objectif {sizes[-1]} lignes < {TARGET_SECONDS:.0f} s : "
                      f"{'atteint' if fast else 'MANQUÉ'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
