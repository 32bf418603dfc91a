"""``ctgxl ARGS`` in a child process that reports its own peak memory: shared by the tests
and the benchmarks that bound a command's memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The command in a child process that reports its own peak memory (last line of stderr).
CHILD = """
import resource, sys
from ctgxl import console
from ctgxl.cli import group
console.install()
try:
    group.main(args=sys.argv[1:], prog_name="ctgxl")
    code = 0
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
def peak():  # this process's own high-water mark: ru_maxrss keeps the parent's across exec
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
sys.stderr.write("\\nPEAK %d\\n" % peak())
sys.exit(code)
"""


@dataclass(frozen=True)
class Run:
    code: int
    lines: list[str]        # non-empty lines of stderr, the PEAK line removed
    seconds: float
    peak: int               # megabytes, -1 when the child could not say


def run_ctgxl(*args: str, **options) -> Run:
    """``ctgxl ARGS`` of this checkout in a child process (``options`` go to
    ``subprocess.run``)."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": path}, **options)
    seconds = time.perf_counter() - start
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    peak = int(lines.pop()[len("PEAK "):]) if lines and lines[-1].startswith("PEAK ") else -1
    return Run(done.returncode, lines, seconds, peak)
