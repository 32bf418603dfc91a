"""``ctgxl serve`` lets nothing hang: raw sockets against the running server.

Slow headers and slow bodies get a 408 and their connection is closed, a silent
connection is closed, connections beyond the cap get a 503, a client leaving in the
middle of its body leaves one French line in the log, a request with both
``Content-Length`` and ``Transfer-Encoding: chunked`` gets a 400; the requests are
computed in worker processes that end with the server.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time

import pytest

# addin_payloads first: it sets xlwings' licence key, read when xlwings is imported
from addin_payloads import long_consolidation, payload_as_sent

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from addin_serving import ROOT, TOKEN, serving  # noqa: E402

HEADER_TIMEOUT, BODY_TIMEOUT, CONNECTIONS = 1.5, 2.0, 4
HEAD = (b"POST /xlwings/custom-scripts-call/verifier HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Authorization: Bearer " + TOKEN.encode() + b"\r\nContent-Type: application/json\r\n")


@pytest.fixture(scope="module")
def server():
    with serving("--processus", "2", "--delai-entetes", str(HEADER_TIMEOUT), "--delai-corps",
                 str(BODY_TIMEOUT), "--connexions-max", str(CONNECTIONS)) as served:
        yield served


def connect(server) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=15)


def answer(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and when it closed."""
    start, data = time.monotonic(), b""
    while chunk := sock.recv(65536):
        data += chunk
    return data, time.monotonic() - start


def status_and_body(data: bytes) -> tuple[int, dict]:
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


def test_headers_that_trickle_get_a_408_and_the_connection_closes(server):
    with connect(server) as sock:
        sock.sendall(b"POST /xlwings/custom-scripts-call/verifier HTTP/1.1\r\nHost: x\r\n")
        time.sleep(0.5)
        sock.sendall(b"X-Lent: 1\r\n")          # a byte now and then is not enough
        data, waited = answer(sock)
    status, body = status_and_body(data)
    assert status == 408 and "trop lente" in body["erreur"]
    assert waited < HEADER_TIMEOUT + 3


def test_a_connection_that_sends_nothing_is_closed(server):
    with connect(server) as sock:
        data, waited = answer(sock)
    assert data == b"" and waited < HEADER_TIMEOUT + 3


def test_a_body_that_trickles_gets_a_408(server):
    with connect(server) as sock:
        sock.sendall(HEAD + b"Content-Length: 1000\r\n\r\n{\"client\": ")
        for _ in range(3):
            time.sleep(0.8)
            sock.sendall(b" ")
        data, waited = answer(sock)
    status, body = status_and_body(data)
    assert status == 408
    assert body["erreur"] == (f"Requête trop lente : le corps n'est pas arrivé en entier en "
                              f"{BODY_TIMEOUT:g} s (limite du serveur ctgxl).")


def test_content_length_with_chunked_is_a_400_at_once(server):
    with connect(server) as sock:
        sock.sendall(HEAD + b"Content-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n{\"a\":1}")
        data, waited = answer(sock)
    status, body = status_and_body(data)
    assert status == 400 and "Transfer-Encoding" in body["erreur"]
    assert b"\r\nconnection: close\r\n" in data.lower()
    assert waited < 2


def test_a_client_leaving_mid_body_leaves_one_french_line(server):
    before = server.log_text()
    with connect(server) as sock:
        sock.sendall(HEAD + b"Content-Length: 5000\r\n\r\n{\"client\": \"Office.js\"")
        time.sleep(0.3)
    time.sleep(1)
    new = server.log_text()[len(before):]
    assert new.count("\n") == 1, new
    assert "s'est déconnecté avant la fin de sa requête « verifier »" in new
    assert "22 octets reçus sur 5000" in new and "Traceback" not in new


def test_connections_beyond_the_cap_get_a_503_then_the_server_serves_again(server):
    idle = [connect(server) for _ in range(CONNECTIONS - 1)]
    try:
        time.sleep(0.2)
        with connect(server) as sock:
            sock.sendall(b"GET /sante HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data, _ = answer(sock)
        assert data.startswith(b"HTTP/1.1 503")
    finally:
        for sock in idle:
            sock.close()
    time.sleep(0.5)
    assert server.get_json("/sante")["statut"] == "ok"


def test_a_request_whose_client_leaves_while_it_waits_leaves_the_queue():
    """One worker busy with a long consolidation, a Vérifier waiting in the queue: its client
    closes the connection; the request leaves the queue (one French line), its place is
    free again for the next one."""
    import threading

    verifier = json.dumps(payload_as_sent(ROOT / "examples" / "enfance.xlsx")).encode()
    with serving("--processus", "1", "--file-attente", "1") as served:
        results = {}
        busy = threading.Thread(target=lambda: results.update(
            long=served.post("consolider", long_consolidation())[0]))
        busy.start()
        wait_for(lambda: served.get_json("/sante")["file_attente"]["en_cours"] == 1)
        with socket.create_connection((served.host, served.port)) as sock:
            sock.sendall(HEAD.replace(TOKEN.encode(), served.token.encode())
                         + b"Content-Length: %d\r\n\r\n" % len(verifier) + verifier)
            wait_for(lambda: served.get_json("/sante")["file_attente"]["en_attente"] == 1)
        wait_for(lambda: served.get_json("/sante")["file_attente"]["en_attente"] == 0)
        assert served.get_json("/sante")["file_attente"]["en_cours"] == 1   # still computing
        status, answer = served.post("verifier", verifier)   # the freed place is used
        busy.join(120)
        log = served.log_text()
    assert status == 200 and results["long"] == 200
    assert log.count("s'est déconnecté avant la réponse à sa requête « verifier »") == 1
    assert "Traceback" not in log


def wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition never met"
        time.sleep(0.02)


def test_the_health_check_says_how_the_server_computes(server):
    health = server.get_json("/sante")
    assert health["processus"] == 2
    assert health["file_attente"] == {"places": 32, "en_cours": 0, "en_attente": 0}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="lit /proc (Linux)")
def test_requests_are_computed_in_worker_processes_that_end_with_the_server():
    body = json.dumps(payload_as_sent(ROOT / "examples" / "enfance.xlsx")).encode()
    with serving("--processus", "2") as served:
        status, answer = served.post("verifier", body)
        assert status == 200 and answer["ctgxl"]["counts"]["erreur"] > 0
        workers = children(served.process.pid)
        assert len(workers) == 2
        os.kill(served.process.pid, signal.SIGKILL)   # not even a chance to stop them
        served.process.wait(10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers)


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and "spawn" in _cmdline(int(entry)):
                found.append(int(entry))
    return found


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
