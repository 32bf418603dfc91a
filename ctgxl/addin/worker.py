"""Where an add-in request is computed: in worker processes of ``ctgxl serve``.

The server process only reads requests and writes answers; each request body goes
to ``compute``, which parses the JSON, builds the xlwings book, runs the action and
returns the HTTP status and the JSON bytes of the answer. ``compute`` never raises:
a refusal is a French ``{"erreur": …}`` with its 4xx, an unexpected failure a 500
whose traceback goes to the log of the process that computed it.

The pool is made to run on every platform (``spawn`` start method, as on Windows;
no fork-only trick): ``start`` is the initializer of each worker, it receives
everything it needs as arguments (the validation rules, the xlwings licence key),
imports xlwings and the actions once, and leaves Ctrl+C to the server process.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from ..errors import CtgxlError
from .book import AddinError
from .payload import (attached_file, attached_files, book_from_payload, clear_range_cache,
                      merged_ranges, plan_of_file, saved_files, task_pane_flag)

log = logging.getLogger("ctgxl.addin")

SCRIPTS = ("verifier", "consolider", "comparer")
INTERNAL_ERROR = ("Erreur interne de ctgxl : l'action n'a pas abouti. Le détail est dans le "
                  "journal du serveur ; signalez le problème.")
LOG_FORMAT = "%(asctime)s ctgxl : %(message)s"

_rules = None   # the validation rules of this worker (set by ``start``)


def start(rules, licence_key: str | None, server_pid: int) -> None:
    """Initializer of each worker process: its rules, xlwings imported with its licence
    key, the actions' modules imported (pandas, pandera…) before the first request."""
    import signal

    global _rules
    _rules = rules
    die_with_parent(server_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl+C: the server stops the pool
    configure_log()
    if licence_key:
        os.environ["XLWINGS_LICENSE_KEY"] = licence_key
    from ..validation import validate_plan  # noqa: F401 - imported once, not at a click
    from . import comparer, consolider, verifier  # noqa: F401
    from .payload import xlwings_module

    try:
        xlwings_module()
    except AddinError as exc:   # said again at each request, as a 503
        log.warning("%s", exc.message)


def ready() -> int:
    """A task that only proves the worker is up (the server waits for one per worker)."""
    return os.getpid()


def compute(script: str, body: bytes, rules=None) -> tuple[int, bytes]:
    """(HTTP status, JSON answer) of the action ``script`` on the request ``body``."""
    import orjson

    try:
        payload = _parsed(body)
        answer = run_script(script, payload, rules if rules is not None else _rules)
        return 200, orjson.dumps(answer)
    except AddinError as exc:
        return exc.status, error_body(exc.message)
    except CtgxlError as exc:
        return 422, error_body(exc.message)
    except Exception:  # noqa: BLE001 - the answer is French; the traceback goes to the log
        log.exception("ctgxl add-in: unexpected error in %s", script)
        return 500, error_body(INTERNAL_ERROR)


def error_body(message: str) -> bytes:
    import orjson

    return orjson.dumps({"erreur": message})


def _parsed(body: bytes) -> object:
    import json

    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise AddinError("Requête invalide : le corps n'est pas du JSON lisible.", 400) from None
    except RecursionError:   # [[[[…]]]] 100,000 deep
        raise AddinError("Requête invalide : JSON trop imbriqué.", 400) from None


def run_script(script: str, payload: object, rules) -> dict:
    """Build the book, run the action, return the actions Excel applies and the summary."""
    book = book_from_payload(payload)  # type: ignore[arg-type]
    try:
        outcome = _dispatch(script, book, payload, rules)  # type: ignore[arg-type]
        answer = dict(book.json())
    finally:
        _release(book)
    answer["ctgxl"] = outcome.to_dict()
    return answer


def _dispatch(script: str, book, payload: dict, rules):
    if script == "verifier":
        from .verifier import verifier

        return verifier(book, rules, merged_ranges(payload))
    if script == "comparer":
        from .comparer import comparer

        attached = attached_file(payload, "reference")
        if attached is None:
            raise AddinError("Comparer : choisissez d'abord la version de référence (fichier "
                             ".xlsx, .xlsm ou .ods) dans le volet ctgxl.")
        name, data = attached
        return comparer(book, plan_of_file(name, data), name, merged=merged_ranges(payload))
    import tempfile

    from .consolider import consolider

    with tempfile.TemporaryDirectory(prefix="ctgxl-addin-") as folder:
        names, paths = saved_files(attached_files(payload, "sources"), Path(folder))
        return consolider(book, paths, rules, names=names,
                          force=task_pane_flag(payload, "forcer"))


def _release(book) -> None:
    """Forget the request's book: xlwings keeps every opened book and caches range values."""
    try:
        book.close()
    except Exception:  # noqa: BLE001 - cleanup must not hide the answer
        pass
    clear_range_cache()


def configure_log() -> None:
    """One line per event, with its time, on the error output (the service's journal)."""
    logger = logging.getLogger("ctgxl")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT, "%Y-%m-%d %H:%M:%S"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def die_with_parent(server_pid: int) -> None:
    """On Linux, a worker ends with the server: a ``kill -9`` of ``ctgxl serve`` must not
    leave workers running. Elsewhere the pool ends them when the server stops."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)        # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != server_pid:          # the server died before prctl took effect
        os._exit(1)
