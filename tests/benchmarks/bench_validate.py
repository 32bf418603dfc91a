"""Benchmark of ``ctgxl validate`` (run by hand; pytest does not collect bench_*.py).

    python tests/benchmarks/bench_validate.py            # 200, 10 000, 100 000 actions
    python tests/benchmarks/bench_validate.py 200 10000  # chosen sizes
    python tests/benchmarks/bench_validate.py --sans-frictionless
    python tests/benchmarks/bench_validate.py --constats 20000   # findings-heavy workbooks

Generates workbooks of realistic French plan rows (with ~1 % planted mistakes
so that validation does real work), then prints, side by side and from one
run: a bare python-calamine read of every sheet, a fastexcel read, the
library call ``validate_file`` (reading included) and their ratios; the
end-to-end process time of ``ctgxl validate`` on the 200-action workbook; and,
when frictionless is installed, ``frictionless validate`` of the Actions
sheet against an equivalent schema. Each figure is the best of a few runs.

``--constats`` measures instead workbooks as services return them, where every
action carries about five avertissements (optional fields left empty, titles
repeated): the whole ``ctgxl validate --format json`` process (report written to
a file) and its memory, against a bare python-calamine read process and
``frictionless validate`` without a schema of the same file, and says how much of
it is importing pandas and pandera.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 2.5        # validate ≤ 2.5 × a bare read (100k actions)
TARGET_CLI = 1.0          # seconds, 200 actions, process start to exit
TARGET_FRICTIONLESS = 5   # validate ≥ 5 × faster than frictionless
TARGET_HEAVY = 6.0        # findings-heavy: whole process ≤ 6 × a bare read process (issue 30)
STRETCH_HEAVY = 4.0
TARGET_MEMORY = 250       # MiB, findings-heavy 20,000 actions
TARGET_VS_FRICTIONLESS = 2.5   # ≥ 2.5 × faster than frictionless validate without a schema

from french import (ECHEANCES, INDICATEURS, OBJECTS, PARTENAIRES, PLACES,  # noqa: E402
                    PORTEURS, PUBLICS, STATUTS, THEMES, VERBS)


def make_plan(n: int, seed: int = 4):
    """A plan of ``n`` actions over five thématiques, ~1 % of rows with a planted mistake."""
    from ctgxl.model import Meta, Plan

    rnd = random.Random(seed)
    per_theme = {code: 0 for _, code in THEMES}
    actions, offres, suivi = [], [], []
    for i in range(n):
        label, code = THEMES[i % len(THEMES)]
        per_theme[code] += 1
        number = per_theme[code]
        axe = ["I", "II", "III"][number % 3]
        objectif = str(1 + number % 4)
        start = rnd.choice([2022, 2023, 2024, 2025])
        row = {
            "id_action": f"{code}-{number:03d}", "thematique": label, "axe": axe,
            "objectif": objectif, "oo": " ".join(f"OO{k}" for k in rnd.sample([1, 2, 3], 2)),
            "numero": str(number),
            "intitule": f"{number}. {rnd.choice(VERBS)} {rnd.choice(OBJECTS)} "
                        f"{rnd.choice(PLACES)} (fiche {code.lower()}-{number})",
            "porteur": rnd.choice(PORTEURS), "public": rnd.choice(PUBLICS),
            "echeances": rnd.choice(ECHEANCES), "annee_debut": start,
            "annee_fin": start + rnd.randint(0, 2), "partenaires": rnd.choice(PARTENAIRES),
            "moyens_humains": "Agents du pôle, bénévoles", "moyens_techniques": "Locaux, supports",
            "moyens_financiers": "Prestation de service CAF, budget communautaire",
            "indicateurs": rnd.choice(INDICATEURS), "statut": rnd.choice(STATUTS),
        }
        if rnd.random() < 0.01:  # planted mistakes, as real files have
            mistake = rnd.randrange(5)
            if mistake == 0:
                row["porteur"] = None
            elif mistake == 1:
                row["statut"] = "Realisée"
            elif mistake == 2:
                row["annee_debut"], row["annee_fin"] = 2026, 2023
            elif mistake == 3:
                row["oo"] = "OO9"
            else:
                row["echeances"], row["annee_debut"], row["annee_fin"] = "2019-2021", None, None
        actions.append(row)
        if i % 5 == 0:
            offres.append({"id_action": row["id_action"], "numero_offre": 1,
                           "offre": f"Atelier {rnd.choice(OBJECTS)}", "porteur": row["porteur"]})
            suivi.append({"id_action": row["id_action"], "annee": 2024,
                          "statut": rnd.choice(STATUTS[:3]), "valeur": str(rnd.randint(5, 400))})
    plan_rows = [{"thematique": label, "axe": axe, "axe_intitule": f"Axe {axe} de la thématique",
                  "objectif": str(o), "objectif_intitule": f"Objectif {o} de l'axe {axe}",
                  "oo": f"OO{k}", "oo_intitule": f"Objectif opérationnel {k}"}
                 for label, _ in THEMES for axe in ("I", "II", "III") for o in (1, 2, 3, 4)
                 for k in (1, 2, 3)]
    return Plan.from_records(Meta(thematique=None, template_version="1.0", schema_version="1.0"),
                             actions=actions, offres=offres, plan=plan_rows, suivi=suivi)


def make_heavy_plan(n: int):
    """``n`` Enfance actions holding only ID, hierarchy, a title shared by fifty actions, an
    unreadable échéance and a statut: about five avertissements per action."""
    from ctgxl.model import Meta, Plan

    actions = [{"id_action": f"ENF-{i:05d}", "thematique": "Enfance", "axe": "I",
                "objectif": "1", "oo": "OO1", "numero": str(i),
                "intitule": f"Accueil périscolaire {i % (n // 50 or 1)}",
                "echeances": "année scolaire", "statut": "En cours"} for i in range(1, n + 1)]
    plan = [{"thematique": "Enfance", "axe": "I", "axe_intitule": "Axe", "objectif": "1",
             "objectif_intitule": "Objectif", "oo": "OO1", "oo_intitule": "OO un"}]
    return Plan.from_records(Meta(thematique="Enfance", service="Enfance"), actions=actions,
                             plan=plan)


MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "out = open(sys.argv[1], 'wb'); "
           "subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.DEVNULL); "
           "print(time.perf_counter() - t, "
           "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")
CALAMINE_READ = ("import sys; from python_calamine import CalamineWorkbook; "
                 "wb = CalamineWorkbook.from_path(sys.argv[1]); "
                 "[wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]")


def process(command: list[str], out: Path, repeat: int = 3,
            cwd: Path = ROOT) -> tuple[float, float]:
    """Best seconds and peak MiB of a whole process (interpreter start to exit), its
    output written into ``out``."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", MEASURE, str(out), *command],
                              capture_output=True, text=True, check=True, cwd=cwd)
        seconds, peak = done.stdout.split()
        runs.append((float(seconds), float(peak)))
    return min(runs)


def import_seconds() -> tuple[float, float]:
    """Seconds of importing pandas, then pandera (``python -X importtime``, cumulative)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c",
                           "import pandas; import pandera.pandas"],
                          capture_output=True, text=True, check=True)
    total = {}
    for line in done.stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] in ("pandas", "pandera.pandas", "pandera"):
            total[parts[2]] = max(total.get(parts[2], 0), int(parts[1]) / 1e6)
    return total.get("pandas", 0.0), total.get("pandera.pandas", 0.0) + total.get("pandera", 0.0)


def heavy(sizes: list[int]) -> int:
    """Findings-heavy workbooks (issue 30): the whole ``ctgxl validate --format json``
    process against a bare python-calamine read process and ``frictionless validate`` (no
    schema) of the same file, side by side."""
    from ctgxl.writer import write_plan

    folder = Path(tempfile.mkdtemp(prefix="ctgxl-bench-constats-"))
    use_frictionless = shutil.which("frictionless") is not None
    print(f"{'actions':>8} {'constats':>9} {'lecture':>8} {'ctgxl':>7} {'÷lect.':>6} "
          f"{'mémoire':>8}" + (f" {'frictionless':>12} {'×':>5}" if use_frictionless else ""))
    for n in sizes:
        path = folder / f"constats_{n}.xlsx"
        write_plan(make_heavy_plan(n), path)
        report = folder / f"constats_{n}.json"
        t_read, _ = process([sys.executable, "-c", CALAMINE_READ, str(path)], folder / "x")
        t_ctgxl, memory = process([sys.executable, "-m", "ctgxl", "validate", str(path),
                                   "--format", "json"], report)
        found = len(json.loads(report.read_bytes())["files"][0]["findings"])
        line = (f"{n:>8} {found:>9} {t_read:>7.2f}s {t_ctgxl:>6.2f}s {t_ctgxl / t_read:>6.1f}"
                f" {memory:>5.0f} Mo")
        if use_frictionless:
            # a relative path: frictionless refuses absolute ones as « not safe »
            t_fr, _ = process(["frictionless", "validate", path.name, "--sheet", "Actions"],
                              folder / "f", repeat=1, cwd=folder)
            line += f" {t_fr:>11.2f}s {t_fr / t_ctgxl:>5.1f}"
        print(line, flush=True)
        ratio = t_ctgxl / t_read
        print(f"  {n} actions : ctgxl validate --format json = {ratio:.1f} × la lecture brute "
              f"(processus entiers ; cible ≤ {TARGET_HEAVY:g} : "
              f"{'atteinte' if ratio <= TARGET_HEAVY else 'NON atteinte'} ; idéal ≤ "
              f"{STRETCH_HEAVY:g} : {'atteint' if ratio <= STRETCH_HEAVY else 'non atteint'}), "
              f"mémoire "
              f"{memory:.0f} Mo (cible ≤ {TARGET_MEMORY} : "
              f"{'atteinte' if memory <= TARGET_MEMORY else 'NON atteinte'})"
              + (f", {t_fr / t_ctgxl:.1f} × plus rapide que frictionless sans schéma (cible ≥ "
                 f"{TARGET_VS_FRICTIONLESS:g} : "
                 f"{'atteinte' if t_fr / t_ctgxl >= TARGET_VS_FRICTIONLESS else 'NON atteinte'})"
                 if use_frictionless else ""))
    pandas_s, pandera_s = import_seconds()
    print(f"\nDont importations (python -X importtime) : pandas {pandas_s:.2f} s, pandera "
          f"{pandera_s:.2f} s (pandas compris) — le moteur de contrôle imposé, payé par chaque "
          "processus.")
    print(f"Classeurs : {folder}")
    return 0


def best(func, repeat: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def read_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    count = sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names)
    wb.close()
    return count


def read_fastexcel(path: Path) -> int:
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    return sum(reader.load_sheet_by_name(n, header_row=None).to_arrow().num_rows
               for n in reader.sheet_names)


def frictionless_schema():
    from frictionless import Schema, fields

    from ctgxl.catalogue import ACTIONS
    from ctgxl.vocabulary import load_vocabulary

    vocab = load_vocabulary()
    result = []
    for column in ACTIONS.columns:
        field = (fields.IntegerField if column.type == "int" else fields.StringField)(
            name=column.header)
        constraints = {}
        if column.key in ("id_action", "thematique", "intitule", "porteur", "public",
                          "echeances", "indicateurs"):
            constraints["required"] = True
        if column.key == "id_action":
            constraints["pattern"] = r"[A-Z]{2,5}-\d{3,}"
            constraints["unique"] = True
        if column.vocabulary:
            constraints["enum"] = list(vocab.values(column.vocabulary))
        if column.key in ("annee_debut", "annee_fin"):
            constraints.update(minimum=1900, maximum=2100)
        field.constraints = constraints
        result.append(field)
    return Schema(fields=result)


def run_frictionless(path: Path, schema) -> int:
    from frictionless import Resource, formats

    resource = Resource(path=path.name, basepath=str(path.parent), schema=schema,
                        control=formats.ExcelControl(sheet="Actions"))
    report = resource.validate(limit_errors=10**9)
    return len(report.flatten(["type"]))


def cli_seconds(path: Path, repeat: int = 5) -> float:
    command = [sys.executable, "-m", "ctgxl", "validate", str(path)]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str]) -> int:
    from ctgxl.validation import load_rules, validate_file
    from ctgxl.writer import write_plan

    use_frictionless = "--sans-frictionless" not in argv
    if "--constats" in argv:
        return heavy([int(a) for a in argv if a.isdigit()] or [20_000])
    sizes = [int(a) for a in argv if a.isdigit()] or [200, 10_000, 100_000]
    try:
        import frictionless  # noqa: F401
    except ImportError:
        use_frictionless = False
    rules = load_rules()
    folder = Path(tempfile.mkdtemp(prefix="ctgxl-bench-"))
    print(f"{'actions':>8} {'Mo':>5} {'calamine':>9} {'fastexcel':>9} {'validate':>9} "
          f"{'÷calam.':>7} {'÷fastex.':>8} {'constats':>8}"
          + (f" {'frictionl.':>10} {'×':>5}" if use_frictionless else ""))
    results = {}
    for n in sizes:
        path = folder / f"plan_{n}.xlsx"
        write_plan(make_plan(n), path)
        size = path.stat().st_size / 1e6
        repeat = 3 if n <= 10_000 else 2
        t_cal, _ = best(lambda p=path: read_calamine(p), repeat)
        t_fx, _ = best(lambda p=path: read_fastexcel(p), repeat)
        t_val, report = best(lambda p=path: validate_file(p, rules), repeat)
        line = (f"{n:>8} {size:>5.1f} {t_cal:>8.2f}s {t_fx:>8.2f}s {t_val:>8.2f}s "
                f"{t_val / t_cal:>7.2f} {t_val / t_fx:>8.2f} {len(report.findings):>8}")
        if use_frictionless:
            schema = frictionless_schema()
            t_fr, _ = best(lambda p=path, s=schema: run_frictionless(p, s), 1)
            line += f" {t_fr:>9.2f}s {t_fr / t_val:>5.1f}"
        print(line, flush=True)
        results[n] = (t_cal, t_fx, t_val)
    if 200 in sizes:
        seconds = cli_seconds(folder / "plan_200.xlsx")
        verdict = "ok" if seconds <= TARGET_CLI else "AU-DESSUS DE LA CIBLE"
        print(f"\nctgxl validate plan_200.xlsx, processus complet : {seconds:.2f} s "
              f"(cible ≤ {TARGET_CLI:.1f} s : {verdict})")
    if 100_000 in results:
        t_cal, t_fx, t_val = results[100_000]
        for reader, t_read in (("python-calamine", t_cal), ("fastexcel", t_fx)):
            ratio = t_val / t_read
            verdict = "ok" if ratio <= TARGET_RATIO else "AU-DESSUS DE LA CIBLE"
            print(f"100 000 actions : validate = {ratio:.2f} × la lecture brute {reader} "
                  f"(cible ≤ {TARGET_RATIO} : {verdict})")
    print(f"\nClasseurs : {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
