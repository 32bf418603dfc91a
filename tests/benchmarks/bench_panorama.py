"""Benchmark of ``ctgxl panorama`` (run by hand; pytest does not collect bench_*.py).

    python tests/benchmarks/bench_panorama.py                  # both parts
    python tests/benchmarks/bench_panorama.py --departement    # 60 territories × 5 workbooks
    python tests/benchmarks/bench_panorama.py --national 150 300 600 1200
    python tests/benchmarks/bench_panorama.py --dossier DIR    # keep (and reuse) the inputs

**Département.** 60 territories, each the five example workbooks under its own name, a
valid SIREN, its own IDs and statuts (``tests/panorama_helpers.py``): 300 workbooks,
12,360 actions. Measured side by side: python-calamine reading every sheet of every file
(the floor), and ``ctgxl panorama DOSSIERS -o panorama.xlsx`` end to end (each file read
and validated in worker processes). Target: under 60 s on 2 cores.

**National.** Masters of 1,030 actions each (three variants made by ``ctgxl
consolidate`` from five big service workbooks; each territory a copy under its own name
and SIREN): ``ctgxl panorama "masters/*.xlsx" -o panorama.xlsx`` at several sizes up to
1,200 territories (1.2 million actions), then ``--format parquet`` at the largest. Printed:
seconds per file at each size (time linear in the number of files: the same figure at
every size) and the peak memory of the process and its workers (sampled from /proc),
which must not grow with the number of files: one territory's actions are in memory at a
time, the others in the spool on disk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bench_consolidate import sampled  # noqa: E402

TARGET_SECONDS = 60
TERRITORIES, PER_MASTER_COPIES = 60, 5
MODEL_NAME, MODEL_CODE = "Territoire modèle du panorama", "999999998"   # valid key


def _departement_one(args) -> None:
    from panorama_helpers import example_plans, write_territory

    folder, k = args
    write_territory(Path(folder) / f"territoire_{k:02d}", k, example_plans())


def generate_departement(folder: Path) -> float:
    from concurrent.futures import ProcessPoolExecutor

    marker = folder / ".genere"
    if marker.exists():
        return 0.0
    start = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_departement_one, [(str(folder), k) for k in range(TERRITORIES)]))
    marker.touch()
    return time.perf_counter() - start


def _big_services(folder: Path, variant: int) -> None:
    """Five service workbooks of about 200 actions each (the example copied five times)."""
    import dataclasses

    from ctgxl.model import Plan, Table
    from ctgxl.writer import write_plan
    from panorama_helpers import example_plans, territory_plan

    folder.mkdir(parents=True, exist_ok=True)
    for name, plan in example_plans().items():
        copies = [territory_plan(plan, j + 7 * variant, MODEL_NAME, MODEL_CODE)
                  for j in range(PER_MASTER_COPIES)]
        tables = {t.sheet.key: Table(t.sheet, tuple(r for c in copies for r in
                                                    c.table(t.sheet.key).rows))
                  for t in copies[0].tables}
        write_plan(Plan(meta=dataclasses.replace(copies[0].meta), **tables),
                   folder / f"{name}.xlsx")


def generate_masters(folder: Path, count: int) -> float:
    """``count`` masters in ``folder/masters``, copies of three consolidated variants."""
    from concurrent.futures import ProcessPoolExecutor

    masters = folder / "masters"
    masters.mkdir(parents=True, exist_ok=True)
    variants = []
    start = time.perf_counter()
    for v in range(3):
        model = folder / f"modele_{v}.xlsx"
        if not model.exists():
            services = folder / f"services_{v}"
            _big_services(services, v)
            subprocess.run([sys.executable, "-m", "ctgxl", "consolidate", str(services), "-o",
                            str(model), "--forcer"], cwd=ROOT, capture_output=True, check=False)
        variants.append(str(model))
    todo = [(variants[k % 3], str(masters / f"pilotage_{k:04d}.xlsx"), k) for k in range(count)
            if not (masters / f"pilotage_{k:04d}.xlsx").exists()]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_copy_master, todo, chunksize=16))
    return time.perf_counter() - start if todo else 0.0


def _copy_master(args) -> None:
    """A copy of a master under territory ``k``'s name and SIREN (shared strings patched)."""
    from panorama_helpers import siren

    model, target, k = args
    name, code = f"Territoire {k:04d}".encode(), siren(k).encode()
    with zipfile.ZipFile(model) as source, zipfile.ZipFile(target, "w",
                                                           zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/") and info.filename.endswith(".xml") \
                    and MODEL_CODE.encode() in data:   # written inline by openpyxl
                data = data.replace(MODEL_NAME.encode(), name).replace(MODEL_CODE.encode(), code)
            copy.writestr(info, data)


def bare_read(paths: list[Path]) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
        book.close()
    return time.perf_counter() - start


def run_panorama(arguments: list[str], output: list[str]) -> dict:
    """``ctgxl panorama`` in its own process: wall time, CPU, peak memory, its report."""
    command = [sys.executable, "-m", "ctgxl", "panorama", *arguments, *output, "--ecraser",
               "--compte-rendu", "json"]
    out, facts = sampled(command, "panorama")
    document = json.loads(out)
    return {**facts, "territories": document["totals"]["territories"],
            "actions": document["totals"]["actions"]}


def departement(folder: Path) -> bool:
    made = generate_departement(folder)
    territories = sorted(p for p in folder.iterdir() if p.is_dir())
    paths = sorted(folder.glob("territoire_*/*.xlsx"))
    print(f"Département : {len(territories)} territoires, {len(paths)} classeurs "
          f"({folder})" + (f" — générés en {made:.0f} s" if made else " — déjà générés"))
    bare = min(bare_read(paths) for _ in range(2))
    result = run_panorama([str(t) for t in territories], ["-o", str(folder / "panorama.xlsx")])
    print(f"  lecture brute (python-calamine, 1 processus) : {bare:.1f} s")
    print(f"  ctgxl panorama (lecture, contrôle, classeur)  : {result['seconds']:.1f} s "
          f"({result['seconds'] / bare:.1f} × la lecture brute), CPU {result['cpu']:.1f} s, "
          f"mémoire max {result['peak_mb']:.0f} Mo ; {result['territories']} territoires, "
          f"{result['actions']} actions")
    ok = result["seconds"] < TARGET_SECONDS
    print(f"  objectif < {TARGET_SECONDS} s sur {os.cpu_count()} processeurs : "
          f"{'atteint' if ok else 'NON atteint'}")
    return ok


def national(folder: Path, sizes: list[int]) -> None:
    made = generate_masters(folder, max(sizes))
    print(f"National : fichiers de pilotage de 1 030 actions ({folder / 'masters'})"
          + (f" — générés en {made:.0f} s" if made else " — déjà générés"))
    print(f"  {'territoires':>11}{'actions':>11}{'durée':>9}{'par fichier':>13}"
          f"{'CPU':>9}{'CPU par fichier':>17}{'mémoire max':>13}")
    view = folder / "vue"
    results = []
    for size in sizes:
        view.mkdir(exist_ok=True)
        for old in view.iterdir():
            old.unlink()
        for k in range(size):   # links: a pattern over exactly ``size`` masters
            os.symlink(folder / "masters" / f"pilotage_{k:04d}.xlsx",
                       view / f"pilotage_{k:04d}.xlsx")
        result = run_panorama([str(view / "*.xlsx")], ["-o", str(folder / f"panorama_{size}.xlsx")])
        results.append((size, result))
        print(f"  {size:>11}{result['actions']:>11}{result['seconds']:>8.0f}s"
              f"{result['seconds'] / size * 1000:>10.0f} ms{result['cpu']:>8.0f}s"
              f"{result['cpu'] / size * 1000:>14.0f} ms{result['peak_mb']:>10.0f} Mo")
    size, _ = results[-1]
    parquet = run_panorama([str(view / "*.xlsx")], ["-d", str(folder / "ouvert"), "--format",
                                                    "parquet"])
    print(f"  {size} territoires en --format parquet : {parquet['seconds']:.0f} s "
          f"({parquet['seconds'] / size * 1000:.0f} ms par fichier), mémoire max "
          f"{parquet['peak_mb']:.0f} Mo")
    first, last = results[0][1], results[-1][1]
    growth = (last["cpu"] / results[-1][0]) / (first["cpu"] / results[0][0])
    print(f"  CPU par fichier, {results[-1][0]} contre {results[0][0]} territoires : "
          f"× {growth:.2f} (linéaire : ≈ 1 ; la durée dépend aussi de la charge de la machine) ; "
          f"mémoire max × {last['peak_mb'] / first['peak_mb']:.2f}")


def main(argv: list[str]) -> int:
    folder = None
    if "--dossier" in argv:
        i = argv.index("--dossier")
        folder = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    folder = folder or Path(tempfile.mkdtemp(prefix="ctgxl-bench-panorama-"))
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [int(a) for a in argv if a.isdigit()] or [150, 300, 600, 1200]
    print(f"machine : {os.cpu_count()} processeurs, charge {os.getloadavg()[0]:.1f}")
    if "--national" not in argv:
        departement(folder / "departement")
    if "--departement" not in argv:
        national(folder / "national", sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
