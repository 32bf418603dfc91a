"""``ctgxl serve`` started as a user starts it, on loopback, for the tests and the benchmark.

``serving("--processus", "1")`` starts the server in its own process on a free port
with a token, waits until ``/sante`` answers, yields a ``Served`` (URL, token, the log
file of the server), and stops the server on exit (SIGTERM, then SIGKILL; its workers
end with it).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "jeton-de-test-navigateur"


@dataclass
class Served:
    host: str
    port: int
    token: str
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def get_json(self, path: str) -> dict:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request("GET", path)
            return json.loads(connection.getresponse().read())
        finally:
            connection.close()

    def post(self, script: str, body: bytes, token: str | None = None,
             timeout: float = 120) -> tuple[int, dict]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request("POST", f"/xlwings/custom-scripts-call/{script}", body=body,
                               headers={"Content-Type": "application/json",
                                        "Authorization": f"Bearer {token or self.token}"})
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            connection.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(*options: str, token: str = TOKEN, startup: float = 90) -> Iterator[Served]:
    port = free_port()
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "CTGXL_ADDIN_TOKEN": token,
           "XLWINGS_LICENSE_KEY": os.environ.get("XLWINGS_LICENSE_KEY", "noncommercial")}
    with tempfile.TemporaryDirectory(prefix="ctgxl-serve-") as folder:
        log = Path(folder) / "serveur.log"
        with open(log, "wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "ctgxl", "serve", "--host", "127.0.0.1", "--port",
                 str(port), *options], env=env, stdout=sink, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=_end_with_us)
        served = Served("127.0.0.1", port, token, process, log)
        try:
            _wait_until_up(served, startup)
            yield served
        finally:
            stop(process)


def _end_with_us() -> None:
    """In the server's process, before it runs: on Linux, end it when the test ends, even
    killed (PR_SET_PDEATHSIG), so that no server outlives an interrupted run."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
        except (OSError, AttributeError):
            pass


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _wait_until_up(served: Served, startup: float) -> None:
    deadline = time.monotonic() + startup
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"ctgxl serve s'est arrêté au démarrage :\n{served.log_text()}")
        try:
            if served.get_json("/sante").get("statut") == "ok":
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"ctgxl serve ne répond pas après {startup:g} s :\n{served.log_text()}")
