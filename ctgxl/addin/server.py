"""The add-in server: xlwings' remote-interpreter protocol over FastAPI.

    POST /xlwings/custom-scripts-call/{verifier|consolider|comparer}
        body: the JSON payload of an xlwings client (see ``payload.py``)
        answer: ``book.json()`` — ``{"actions": [...]}``, 0-based actions Excel
        applies — plus ``"ctgxl": {"message", "counts"}`` for the task pane.
    GET  /sante                      health (also /health)
    GET  /taskpane.html, /taskpane.js, /manifest.xml, /icone-<n>.png
        the Office add-in: sideload ``manifest.xml`` in Excel.

Security: every script call needs ``Authorization: Bearer <CTGXL_ADDIN_TOKEN>``
when a token is configured (``ctgxl serve`` refuses a non-loopback host
without one); bodies are capped (``max_bytes``) and must be JSON; CORS only
for the configured origins. Every refusal is a 4xx with a French JSON message
``{"erreur": "…"}``; an unexpected failure is a 500 with a French message and
no traceback (the traceback goes to the server log).
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import CtgxlError
from .book import AddinError, Outcome
from .payload import (attached_file, attached_files, book_from_payload, clear_range_cache,
                      merged_ranges, plan_of_file, saved_files, task_pane_flag,
                      too_many_cells)

log = logging.getLogger("ctgxl.addin")

SCRIPTS = ("verifier", "consolider", "comparer")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_BUSY_WAIT = 5.0   # seconds a request waits for the one running before a 503
_STATUS_TEXT = {404: "Adresse inconnue du serveur ctgxl.",
                405: "Méthode HTTP non prise en charge à cette adresse."}


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    origins: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    public_url: str | None = None      # base URL written in manifest.xml (else the request's)
    rules: object = field(default=None, compare=False)   # validation Rules (None: shipped)
    busy_wait: float = DEFAULT_BUSY_WAIT   # then « serveur occupé » (503) rather than a queue


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"erreur": message}, status_code=status)


def create_app(settings: Settings = Settings()) -> FastAPI:
    app = FastAPI(title="ctgxl — complément Excel", version=__version__, docs_url=None,
                  redoc_url=None, openapi_url=None)
    if settings.origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    lock = threading.Lock()
    if settings.rules is None:   # read the rule files once, not at every click
        from ..validation import load_rules

        settings = replace(settings, rules=load_rules())

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = _STATUS_TEXT.get(exc.status_code) or f"Requête refusée ({exc.status_code})."
        return error(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return error(400, "Requête invalide.")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        log.exception("ctgxl add-in: unexpected error on %s", request.url.path)
        return error(500, "Erreur interne de ctgxl : l'action n'a pas abouti. Le détail est "
                          "dans le journal du serveur ; signalez le problème.")

    @app.get("/sante")
    @app.get("/health")
    async def health():
        return {"statut": "ok", "ctgxl": __version__, "scripts": list(SCRIPTS)}

    @app.post("/xlwings/custom-scripts-call/{script}")
    async def custom_scripts_call(script: str, request: Request):
        refused = _refusal(request, settings)
        if refused is not None:
            return refused
        if script not in SCRIPTS:
            return error(404, f"Action « {script} » inconnue : actions possibles : "
                              f"{', '.join(SCRIPTS)}.")
        try:
            body = await _read_body(request, settings.max_bytes)
            too_many_cells(body)
            try:
                payload = json.loads(body)
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise AddinError("Requête invalide : le corps n'est pas du JSON lisible.", 400) \
                    from None
            except RecursionError:   # [[[[…]]]] 100,000 deep
                raise AddinError("Requête invalide : JSON trop imbriqué.", 400) from None
            return await run_in_threadpool(_run_script, lock, script, payload, settings)
        except AddinError as exc:
            return error(exc.status, exc.message)
        except CtgxlError as exc:
            return error(422, exc.message)

    for name, media in (("taskpane.html", "text/html; charset=utf-8"),
                        ("taskpane.js", "text/javascript; charset=utf-8")):
        _static_route(app, name, media)

    @app.get("/manifest.xml")
    async def manifest(request: Request):
        base = (settings.public_url or str(request.base_url)).rstrip("/")
        text = _static_text("manifest.xml").replace("{{BASE_URL}}", _xml_attr(base))
        return Response(text, media_type="application/xml; charset=utf-8")

    @app.get("/icone-{size}.png")
    async def icon(size: int):
        if size not in (16, 32, 64, 80):
            return error(404, _STATUS_TEXT[404])
        return Response(_png(size), media_type="image/png")

    return app


def _refusal(request: Request, settings: Settings) -> JSONResponse | None:
    if settings.token:
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                token.strip().encode(), settings.token.encode()):
            return error(401, "Authentification requise : jeton absent ou incorrect "
                              "(en-tête « Authorization: Bearer <jeton> »).")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        return error(415, "Requête invalide : le corps doit être du JSON "
                          "(Content-Type: application/json).")
    return None


async def _read_body(request: Request, limit: int) -> bytes:
    too_big = AddinError(f"Requête trop volumineuse : plus de {limit // (1024 * 1024) or 1} Mo "
                         "(limite du serveur ctgxl).", 413)
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_big
        except ValueError:
            raise AddinError("Requête invalide : longueur annoncée illisible.", 400) from None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _run_script(lock: threading.Lock, script: str, payload: object, settings: Settings) -> dict:
    """Build the book, run the action, return the actions (one request at a time; a request
    that waits more than ``settings.busy_wait`` gets a 503 « serveur occupé »)."""
    if not lock.acquire(timeout=settings.busy_wait):
        raise AddinError("Serveur occupé : une autre action ctgxl est en cours. Réessayez dans "
                         "quelques secondes.", 503)
    try:
        book = book_from_payload(payload)  # type: ignore[arg-type]
        try:
            outcome = _dispatch(script, book, payload, settings)  # type: ignore[arg-type]
            answer = dict(book.json())
        finally:
            _release(book)
    finally:
        lock.release()
    answer["ctgxl"] = outcome.to_dict()
    return answer


def _dispatch(script: str, book, payload: dict, settings: Settings) -> Outcome:
    if script == "verifier":
        from .verifier import verifier

        return verifier(book, settings.rules, merged_ranges(payload))
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
        return consolider(book, paths, settings.rules, names=names,
                          force=task_pane_flag(payload, "forcer"))


def _release(book) -> None:
    """Forget the request's book: xlwings keeps every opened book and caches range values."""
    try:
        book.close()
    except Exception:  # noqa: BLE001 - cleanup must not hide the answer
        pass
    clear_range_cache()


def _static_text(name: str) -> str:
    return resources.files("ctgxl.addin").joinpath("static", name).read_text(encoding="utf-8")


def _static_route(app: FastAPI, name: str, media: str) -> None:
    async def serve() -> Response:
        return Response(_static_text(name), media_type=media)

    app.add_api_route(f"/{name}", serve, methods=["GET"])


def _xml_attr(text: str) -> str:
    return (text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;"))


def _png(size: int) -> bytes:
    """A plain square icon (ctgxl blue), made here so that nothing is fetched elsewhere."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((0x1F, 0x4E, 0x78)) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * size)) + chunk(b"IEND", b""))
