"""Benchmark of ``ctgxl diff`` and ``ctgxl merge`` (run by hand; pytest does not collect it).

    python tests/benchmarks/bench_diff.py            # 10 000 actions
    python tests/benchmarks/bench_diff.py 2000 50000 # chosen sizes

Writes two workbooks of ``n`` realistic actions (with offers and follow-up
rows); the second is the first after a year of edits: ~5 % of actions with a
changed field, 1 % removed, 1 % added (some at the top of the sheet), 0.5 %
renumbered, 0.5 % moved under another axe, 1 % re-typed with other spacing or
case, and every thématique's rows shuffled. Then prints, side by side from one
run (best of three): reading both workbooks, ``diff_plans``, their ratio
(target ≤ 2), building the highlighter workbook, ``merge_plans`` of the two
versions against the first, and the worst case for renumbering detection
(every action renumbered and edited, all compared by similarity).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 2.0  # diff ≤ 2 × reading both workbooks

from french import (ECHEANCES, INDICATEURS, OBJECTS, PARTENAIRES, PLACES,  # noqa: E402
                    PORTEURS, PUBLICS, STATUTS, THEMES, VERBS)


def make_records(n: int, rnd: random.Random):
    per_theme = {code: 0 for _, code in THEMES}
    actions, offres, suivi = [], [], []
    for i in range(n):
        label, code = THEMES[i % len(THEMES)]
        per_theme[code] += 1
        number = per_theme[code]
        actions.append(action_record(label, code, number, rnd))
        for k in range(1, rnd.choice([1, 1, 2, 3]) + 1):
            offres.append({"id_action": f"{code}-{number:04d}", "numero_offre": k,
                           "offre": f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} ({k})",
                           "porteur": rnd.choice(PORTEURS), "statut": rnd.choice(STATUTS)})
        suivi.append({"id_action": f"{code}-{number:04d}", "annee": 2024,
                      "statut": rnd.choice(STATUTS), "valeur": str(rnd.randint(5, 400))})
    return actions, offres, suivi


def action_record(label: str, code: str, number: int, rnd: random.Random) -> dict:
    return {
        "id_action": f"{code}-{number:04d}", "thematique": label,
        "axe": ["I", "II", "III"][number % 3], "objectif": str(1 + number % 4),
        "oo": "OO1 OO2", "numero": str(number),
        "intitule": f"{number}. {rnd.choice(VERBS)} {rnd.choice(OBJECTS)} "
                    f"{rnd.choice(PLACES)} (fiche {code.lower()}-{number})",
        "porteur": rnd.choice(PORTEURS), "public": rnd.choice(PUBLICS),
        "echeances": rnd.choice(ECHEANCES), "partenaires": rnd.choice(PARTENAIRES),
        "moyens_humains": "Agents du service, bénévoles", "indicateurs": rnd.choice(INDICATEURS),
        "statut": rnd.choice(STATUTS),
        "commentaire": rnd.choice([None, None, "Point d'étape au COPIL de juin"]),
    }


def edit(actions: list[dict], offres: list[dict], rnd: random.Random):
    """A year of edits, see the module docstring."""
    actions = [dict(a) for a in actions]
    offres = [dict(o) for o in offres]
    n = len(actions)
    for a in rnd.sample(actions, n // 20):
        field = rnd.choice(["porteur", "public", "statut", "partenaires", "indicateurs"])
        a[field] = rnd.choice({"porteur": PORTEURS, "public": PUBLICS, "statut": STATUTS,
                               "partenaires": PARTENAIRES, "indicateurs": INDICATEURS}[field])
    for a in rnd.sample(actions, n // 100):
        a["porteur"] = f"  {a['porteur'].upper()}  "
    for a in rnd.sample(actions, n // 200):
        a["axe"] = {"I": "II", "II": "III", "III": "I"}[a["axe"]]
    renumbered = {}
    for a in rnd.sample(actions, n // 200):
        new_id = a["id_action"].replace("-", "-9")
        renumbered[a["id_action"]] = new_id
        a["id_action"] = new_id
    for o in offres:
        o["id_action"] = renumbered.get(o["id_action"], o["id_action"])
    removed = {id(a) for a in rnd.sample(actions, n // 100)}
    actions = [a for a in actions if id(a) not in removed]
    rnd.shuffle(actions)
    actions.sort(key=lambda a: a["thematique"])  # shuffled within each thématique
    for k in range(n // 100):
        label, code = THEMES[k % len(THEMES)]
        record = action_record(label, code, 5000 + k, rnd)
        actions.insert(0 if k % 4 == 0 else rnd.randint(0, len(actions)), record)
    return actions, offres


def best_of(runs: int, fn):
    best, value = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def bench(n: int, folder: Path) -> float:
    from ctgxl.compare import diff_plans, merge_plans
    from ctgxl.compare.highlight import build_diff_workbook
    from ctgxl.model import Meta, Plan
    from ctgxl.reader import read_plan
    from ctgxl.writer import write_plan

    rnd = random.Random(n)
    actions, offres, suivi = make_records(n, rnd)
    meta = Meta(thematique="Enfance", service="Coordination CTG")
    old = Plan.from_records(meta, actions=actions, offres=offres, suivi=suivi)
    new_actions, new_offres = edit(actions, offres, rnd)
    new = Plan.from_records(meta, actions=new_actions, offres=new_offres, suivi=suivi)
    paths = folder / f"ancien_{n}.xlsx", folder / f"nouveau_{n}.xlsx"
    write_plan(old, paths[0])
    write_plan(new, paths[1])

    t_read, (a, b) = best_of(3, lambda: (read_plan(paths[0]), read_plan(paths[1])))
    t_diff, diff = best_of(3, lambda: diff_plans(a, b))
    t_book, _ = best_of(1, lambda: build_diff_workbook(diff, str(paths[0]), str(paths[1])))
    t_merge, merged = best_of(3, lambda: merge_plans(a, b, a))
    t = diff.table("actions")
    ratio = t_diff / t_read
    print(f"{n:>7} actions ({len(a.offres)} offres) | lecture des 2 classeurs {t_read:6.2f} s "
          f"| diff {t_diff:6.3f} s | ratio diff/lecture {ratio:5.2f} "
          f"(commande complète {(t_read + t_diff) / t_read:4.2f} × la lecture) "
          f"| classeur surligneur {t_book:5.2f} s | fusion {t_merge:6.3f} s")
    print(f"        différences Actions : +{len(t.added)} -{len(t.removed)} "
          f"~{len(t.modified)} (déplacées {len(t.moved)}, renumérotées {len(t.renumbered)}) "
          f"forme {len(t.cosmetic)} ; Offres ~{len(diff.table('offres').modified)} ; "
          f"fusion = nouveau : {merged.plan == b}")
    worst = Plan.from_records(meta, actions=[
        {**r, "id_action": r["id_action"].replace("-", "-X"), "statut": "Reportée"}
        for r in actions])
    t_worst, worst_diff = best_of(1, lambda: diff_plans(old, worst))
    print(f"        pire cas, toutes les actions renumérotées et modifiées : diff {t_worst:5.2f} s "
          f"({len(worst_diff.table('actions').renumbered)} renumérotées retrouvées sur {n})")
    return ratio


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [10_000]
    with tempfile.TemporaryDirectory() as tmp:
        ratios = [bench(n, Path(tmp)) for n in sizes]
    ok = all(r <= TARGET_RATIO for r in ratios)
    print(f"Objectif diff ≤ {TARGET_RATIO} × lecture : {'atteint' if ok else 'MANQUÉ'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
