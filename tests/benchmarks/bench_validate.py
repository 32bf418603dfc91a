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
repeated): the library call, the whole ``ctgxl validate --format json``
process (report written to a file) and its memory, against the bare read.
"""

from __future__ import annotations

import random
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
TARGET_HEAVY = 3.0        # findings-heavy validate ≤ 3 × a bare read (issue 13)

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


def process_json(path: Path, out: Path) -> tuple[float, float]:
    """Seconds and peak MiB of ``ctgxl validate --format json`` writing into a file."""
    import resource

    start = time.perf_counter()
    with open(out, "wb") as fh:
        subprocess.run([sys.executable, "-m", "ctgxl", "validate", str(path), "--format", "json"],
                       cwd=ROOT, stdout=fh, stderr=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def heavy(sizes: list[int]) -> int:
    from ctgxl.validation import load_rules, validate_file, verify_rules
    from ctgxl.writer import write_plan

    rules = verify_rules(load_rules())
    folder = Path(tempfile.mkdtemp(prefix="ctgxl-bench-constats-"))
    print(f"{'actions':>8} {'constats':>9} {'calamine':>9} {'validate':>9} {'÷calam.':>7} "
          f"{'processus':>10} {'÷calam.':>7} {'mémoire':>8}")
    for n in sizes:
        path = folder / f"constats_{n}.xlsx"
        write_plan(make_heavy_plan(n), path)
        t_cal, _ = best(lambda p=path: read_calamine(p), 3)
        t_val, report = best(lambda p=path: validate_file(p, rules), 2)
        t_proc, memory = process_json(path, folder / f"constats_{n}.json")
        print(f"{n:>8} {len(report.findings):>9} {t_cal:>8.2f}s {t_val:>8.2f}s "
              f"{t_val / t_cal:>7.1f} {t_proc:>9.2f}s {t_proc / t_cal:>7.1f} {memory:>6.0f} Mo",
              flush=True)
        verdict = "ok" if t_proc / t_cal <= TARGET_HEAVY else "AU-DESSUS DE LA CIBLE"
        print(f"  {n} actions : ctgxl validate --format json = {t_proc / t_cal:.1f} × la "
              f"lecture brute (cible ≤ {TARGET_HEAVY} : {verdict})")
    print(f"\nClasseurs : {folder}")
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
