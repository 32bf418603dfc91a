"""Benchmark of ``ctgxl consolidate`` (run by hand; pytest does not collect bench_*.py).

    python tests/benchmarks/bench_consolidate.py                 # 500 files, 100,000 actions
    python tests/benchmarks/bench_consolidate.py 50 10000        # files, actions
    python tests/benchmarks/bench_consolidate.py --dossier DIR   # keep (and reuse) the inputs

Generates service workbooks of realistic French plan rows (thématiques in
turn, so each is claimed by several files, as when a service sends one file
per team; IDs unique across files; one action in five with an offer and a
follow-up row), then measures, each in a fresh process, from one run:

- ``lecture brute``: python-calamine reading every sheet of every input (the
  reference of the target);
- ``bibliothèque``: the command's steps without validation, through the
  library: reading every input (worker processes, as the command), then
  consolidate_plans + summarize + the master with its Synthèse, Calendrier
  and Sources sheets;
- ``commande``: ``ctgxl consolidate DIR -o master.xlsx`` end to end (each
  file validated, in worker processes when there are many).

Peak memory is the largest sum of the resident sizes of the process and its
worker processes, sampled every 20 ms from /proc (Linux), next to the
process's own ``ru_maxrss``. Targets: consolidation ≤ 2 × the bare reads,
peak ≤ 1 GiB.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 2.0
TARGET_MEMORY_MB = 1024

from french import (INDICATEURS, OBJECTS, PARTENAIRES, PLACES, PORTEURS,  # noqa: E402
                    PUBLICS, STATUTS, VERBS)


def make_service(k: int, per_file: int):
    """The plan of service workbook number ``k``."""
    from ctgxl.model import Meta, Plan
    from ctgxl.vocabulary import load_vocabulary

    themes = load_vocabulary().thematiques
    theme = themes[k % len(themes)]
    rnd = random.Random(k)
    base = (k // len(themes)) * per_file
    actions, offres, suivi = [], [], []
    for i in range(1, per_file + 1):
        number = base + i
        start = rnd.choice([2022, 2023, 2024, 2025])
        end = start + rnd.randint(0, 2)
        ident = f"{theme.code}-{number:05d}"
        actions.append({
            "id_action": ident, "thematique": theme.libelle, "axe": ["I", "II", "III"][i % 3],
            "objectif": "1", "oo": "OO1 OO2", "numero": str(number),
            "intitule": f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} {rnd.choice(PLACES)} "
                        f"(fiche {number})",
            "porteur": rnd.choice(PORTEURS), "public": rnd.choice(PUBLICS),
            "echeances": f"{start}-{end}", "annee_debut": start, "annee_fin": end,
            "partenaires": rnd.choice(PARTENAIRES), "moyens_humains": "Agents du pôle",
            "moyens_financiers": "Prestation de service CAF, budget communautaire",
            "indicateurs": rnd.choice(INDICATEURS), "statut": rnd.choice(STATUTS),
        })
        if i % 5 == 0:
            offres.append({"id_action": ident, "numero_offre": 1,
                           "offre": f"Atelier : {rnd.choice(OBJECTS)}",
                           "porteur": rnd.choice(PORTEURS), "indicateurs": "Fréquentation"})
            suivi.append({"id_action": ident, "annee": 2024, "statut": "En cours",
                          "valeur": str(rnd.randint(5, 400))})
    plan = [{"thematique": theme.libelle, "axe": axe, "axe_intitule": f"Axe {axe} : {verb}",
             "objectif": "1", "objectif_intitule": "Objectif intermédiaire 1",
             "oo": oo, "oo_intitule": f"Objectif opérationnel {oo[-1]}"}
            for axe, verb in (("I", "accueillir"), ("II", "accompagner"), ("III", "informer"))
            for oo in ("OO1", "OO2")]
    return Plan.from_records(Meta(thematique=theme.libelle, service=f"Équipe {k + 1}"),
                             actions=actions, offres=offres, plan=plan, suivi=suivi)


def _write_one(args) -> None:
    from ctgxl.writer import write_plan

    k, per_file, folder = args
    write_plan(make_service(k, per_file), Path(folder) / f"service_{k + 1:03d}.xlsx")


def generate(folder: Path, files: int, actions: int) -> float:
    from concurrent.futures import ProcessPoolExecutor

    marker = folder / f".genere-{files}-{actions}"
    if marker.exists():
        return 0.0
    for old in folder.glob("service_*.xlsx"):
        old.unlink()
    start = time.perf_counter()
    per_file = actions // files
    with ProcessPoolExecutor() as pool:
        list(pool.map(_write_one, [(k, per_file, str(folder)) for k in range(files)],
                      chunksize=8))
    marker.touch()
    return time.perf_counter() - start


# -- phases, each run in a fresh process -----------------------------------------------------

def phase_bare(folder: Path) -> dict:
    from python_calamine import CalamineWorkbook

    begin = time.perf_counter()
    rows = 0
    for path in sorted(folder.glob("service_*.xlsx")):
        wb = CalamineWorkbook.from_path(str(path))
        rows += sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names)
        wb.close()
    return {"rows": rows, "inside": time.perf_counter() - begin}


def phase_library(folder: Path) -> dict:
    """What ``ctgxl consolidate`` does, minus validation, through the library calls
    (``consolidation.pipeline``: the workers read and render the rows of the master)."""
    from ctgxl.consolidation import consolidate_plans, source_names
    from ctgxl.consolidation.io import load_sources
    from ctgxl.runtime import paused_gc
    from ctgxl.consolidation.pipeline import summarize_master, write_master
    from ctgxl.validation import load_rules

    begin = time.perf_counter()
    rules = load_rules()
    times = {}
    t = time.perf_counter()
    paths = sorted(folder.glob("service_*.xlsx"))
    names = source_names(paths)
    loaded = load_sources(paths, None, names=names)  # worker processes when there are many
    times["lecture"] = time.perf_counter() - t
    t = time.perf_counter()
    with paused_gc():
        result = consolidate_plans(list(zip(names, (item.plan for item in loaded))),
                                   lists={n: i.lists for n, i in zip(names, loaded)},
                                   vocabulary=rules.vocabulary)
        loaded = [item.without_plan() for item in loaded]
        summary = summarize_master(result, rules)
        times["consolidation"] = time.perf_counter() - t
        t = time.perf_counter()
        write_master(folder.parent / f"{folder.name}-master-bibliotheque.xlsx", result, summary,
                     rules, loaded)
    times["ecriture"] = time.perf_counter() - t
    return {"actions": len(result.master.actions), "constats": len(result.findings),
            "phases": times, "inside": time.perf_counter() - begin}


def run_phase(name: str, folder: Path) -> dict:
    """Run a phase in a fresh interpreter; wall time, CPU time and peak memory."""
    command = [sys.executable, __file__, "--phase", name, str(folder)]
    if name == "commande":
        command = [sys.executable, "-m", "ctgxl", "consolidate", str(folder), "-o",
                   str(folder.parent / f"{folder.name}-master.xlsx"), "--format", "json"]
    out, facts = sampled(command, name)
    data = json.loads(out.strip().splitlines()[-1]) if name != "commande" else \
        _command_facts(json.loads(out))
    data.update(facts)
    return data


def sampled(command: list[str], name: str) -> tuple[str, dict]:
    """Run ``command`` (exit 0 or 1 expected); its stdout and its wall time, CPU time and
    peak memory of the whole process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid)
    sampler.start()
    out, err = process.communicate()
    wall = time.perf_counter() - start
    sampler.stop()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{name} a échoué ({process.returncode}) : {err[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime + usage.ru_stime) - (before.ru_utime + before.ru_stime)
    return out, {"seconds": wall, "cpu": cpu, "peak_mb": sampler.peak / 2**20,
                 "exit": process.returncode}


def _command_facts(document: dict) -> dict:
    return {"actions": document["totals"].get("actions"), "statut": document["status"],
            "constats": sum(document["totals"]["cross_file"].values()),
            "erreurs_de_controle": document["totals"]["validation"]["erreur"]}


class TreeSampler(threading.Thread):
    """Largest total resident size of a process and its descendants (/proc, Linux)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self._halt = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.peak = max(self.peak, sum(_rss(p) for p in _tree(self.pid)))
            time.sleep(0.02)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--phase"]:
        phase, folder = argv[1], Path(argv[2])
        result = {"bare": phase_bare, "library": phase_library}[phase](folder)
        print(json.dumps(result))
        return 0
    folder = None
    if "--dossier" in argv:
        i = argv.index("--dossier")
        folder = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    numbers = [int(a) for a in argv if a.isdigit()]
    files, actions = (numbers + [500, 100_000][len(numbers):])[:2]
    folder = folder or Path(tempfile.mkdtemp(prefix="ctgxl-bench-consolidate-"))
    folder.mkdir(parents=True, exist_ok=True)
    made = generate(folder, files, actions)
    size = sum(p.stat().st_size for p in folder.glob("service_*.xlsx")) / 2**20
    print(f"{files} classeurs, {actions} actions, {size:.0f} Mo ({folder})"
          + (f" — générés en {made:.0f} s" if made else " — déjà générés"))
    print(f"machine : {os.cpu_count()} processeurs, charge {os.getloadavg()[0]:.1f}")

    bare = min((run_phase("bare", folder) for _ in range(2)), key=lambda r: r["inside"])
    library = run_phase("library", folder)
    cli = run_phase("commande", folder)
    cli["inside"] = cli["seconds"]           # the command is timed from process start to exit
    reference = bare["inside"]
    print()
    print(f"{'':<36}{'travail':>9}{'÷ lecture':>11}{'processus':>11}{'CPU':>8}"
          f"{'÷ CPU lect.':>13}{'mémoire max':>13}")
    for label, result in (("lecture brute (python-calamine)", bare),
                          ("bibliothèque (sans contrôle)", library),
                          ("ctgxl consolidate (avec contrôle)", cli)):
        print(f"{label:<36}{result['inside']:>8.1f}s{result['inside'] / reference:>10.2f}×"
              f"{result['seconds']:>10.1f}s{result['cpu']:>7.1f}s"
              f"{result['cpu'] / bare['cpu']:>12.2f}×{result['peak_mb']:>10.0f} Mo")
    print("  travail : dans le processus, sans le démarrage de Python (la commande : du lancement "
          "à la fin) ; CPU : processus et sous-processus, démarrage compris")
    phases = library["phases"]
    print(f"  bibliothèque : lecture et rendu des lignes (processus parallèles) {phases['lecture']:.1f} s, consolidation, "
          f"contrôles entre fichiers et synthèse {phases['consolidation']:.1f} s, écriture du "
          f"fichier de pilotage {phases['ecriture']:.1f} s")
    print(f"  commande : {cli['actions']} actions, statut « {cli['statut']} », "
          f"{cli['constats']} constats entre fichiers, "
          f"{cli['erreurs_de_controle']} erreurs de contrôle ; démarrage et contrôle compris")
    print()
    ok_lib = library["inside"] <= TARGET_RATIO * reference
    ok_cli = cli["inside"] <= TARGET_RATIO * reference
    ok_mem = cli["peak_mb"] <= TARGET_MEMORY_MB and library["peak_mb"] <= TARGET_MEMORY_MB
    print(f"objectif temps ≤ {TARGET_RATIO:g} × lecture brute : bibliothèque "
          f"{'atteint' if ok_lib else 'NON atteint'}, commande "
          f"{'atteint' if ok_cli else 'NON atteint'}")
    print(f"objectif mémoire ≤ {TARGET_MEMORY_MB} Mo (processus et ses sous-processus) : "
          f"{'atteint' if ok_mem else 'NON atteint'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
