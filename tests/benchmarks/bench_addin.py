"""Latency of the add-in's Vérifier request (run by hand; pytest does not collect bench_*.py).

    python tests/benchmarks/bench_addin.py          # 200 actions, 50 warm requests
    python tests/benchmarks/bench_addin.py 1000 30  # actions, requests

Builds a realistic 200-action workbook (``bench_validate.make_plan``), plants
a faulty status every 40 rows, turns it into the payload an xlwings client sends, then
posts it to the FastAPI app through TestClient: one cold request (imports,
first validation), then warm requests. Prints p50 and p95 of the warm
requests (wall clock, and CPU time, which a busy machine disturbs less), the time
of validation alone, and the size of the answer.
Goal: p50 ≤ 100 ms for 200 actions.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

TARGET_P50_MS = 100


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main(argv: list[str]) -> int:
    import json

    from addin_payloads import first_data_row, header_ref, payload_of, set_cell
    from bench_validate import make_plan
    from fastapi.testclient import TestClient

    from ctgxl.addin.server import Settings, create_app
    from ctgxl.validation import validate_plan
    from ctgxl.writer import write_plan

    n = int(argv[0]) if argv else 200
    requests = int(argv[1]) if len(argv) > 1 else 50
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.xlsx"
        write_plan(make_plan(n), path)
        payload = payload_of(path)
    # A few faulty cells, so that the answer colours cells and lists findings.
    first = first_data_row(payload, "Actions")
    for row in range(first, first + n, 40):
        payload = set_cell(payload, "Actions", header_ref(payload, "Actions", "Statut", row),
                           "Peut-être")
    body = json.dumps(payload).encode()
    token = "jeton-bench"
    client = TestClient(create_app(Settings(token=token)))
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    url = "/xlwings/custom-scripts-call/verifier"

    start = time.perf_counter()
    first = client.post(url, content=body, headers=headers)
    cold = time.perf_counter() - start
    assert first.status_code == 200, first.text
    times, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.post(url, content=body, headers=headers)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200
    answer = response.json()

    import xlwings as xw

    from ctgxl.addin.book import plan_of

    plan = plan_of(xw.Book(json=json.loads(body)))
    validation = min(_timed(lambda: validate_plan(plan)) for _ in range(5))

    p50, p95 = percentile(times, 0.5) * 1000, percentile(times, 0.95) * 1000
    print(f"Vérifier, {n} actions, requête de {len(body) / 1024:.0f} Ko, "
          f"{len(answer['actions'])} actions en réponse ({answer['ctgxl']['message'][:60]}…)")
    print(f"  première requête (à froid) : {cold * 1000:.0f} ms")
    print(f"  {requests} requêtes à chaud : p50 {p50:.1f} ms · p95 {p95:.1f} ms · "
          f"min {min(times) * 1000:.1f} ms · moyenne {statistics.mean(times) * 1000:.1f} ms")
    print(f"  temps processeur par requête (client de test compris) : p50 "
          f"{percentile(cpu, 0.5) * 1000:.1f} ms · p95 {percentile(cpu, 0.95) * 1000:.1f} ms "
          f"(moins sensible à la charge de la machine ; charge moyenne : "
          f"{os.getloadavg()[0]:.1f} pour {os.cpu_count()} processeurs)")
    print(f"  dont validate_plan seul : {validation * 1000:.1f} ms")
    verdict = "atteint" if p50 <= TARGET_P50_MS else "NON atteint"
    print(f"  objectif p50 ≤ {TARGET_P50_MS} ms : {verdict}")
    return 0


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
