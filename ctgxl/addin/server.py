"""The add-in server: xlwings' remote-interpreter protocol over FastAPI.

    POST /xlwings/custom-scripts-call/{verifier|consolider|comparer}
        body: the JSON payload of an xlwings client (see ``payload.py``)
        answer: ``book.json()`` — ``{"actions": [...]}``, 0-based actions Excel
        applies — plus ``"ctgxl": {"message", "counts"}`` for the task pane.
    GET  /sante                      health (also /health)
    GET  /taskpane.html, /taskpane.js, /manifest.xml, /icone-<n>.png
        the Office add-in: sideload ``manifest.xml`` in Excel.

Computing: this process reads requests and writes answers; the actions run in
``Settings.workers`` worker processes behind a queue of ``Settings.queue`` places
(``pool.Pool``): a request finding the queue full gets a 503 « serveur occupé » at once,
a request whose client leaves is dropped from the queue.

Security: every script call needs ``Authorization: Bearer <CTGXL_ADDIN_TOKEN>``
when a token is configured (``ctgxl serve`` refuses a non-loopback host
without one); bodies are capped (``max_bytes``), must arrive within
``body_timeout`` seconds and be JSON; a request announcing both a length and a
chunked body is refused; CORS only for the configured origins. Header timeout and
connection cap: ``serving.py``. Every refusal is a 4xx with a French JSON message
``{"erreur": "…"}``; an unexpected failure is a 500 with a French message and
no traceback (the traceback goes to the server log); a client that leaves is one
French line in the log.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..wording import plural
from .book import AddinError
from .payload import too_many_cells
from .pool import DEFAULT_QUEUE, Pool
from .worker import INTERNAL_ERROR, SCRIPTS

log = logging.getLogger("ctgxl.addin")

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_BODY_TIMEOUT = 120.0   # seconds for a whole request body, however it trickles in
_STATUS_TEXT = {404: "Adresse inconnue du serveur ctgxl.",
                405: "Méthode HTTP non prise en charge à cette adresse."}
_CLOSE = {"Connection": "close"}


@dataclass(frozen=True)
class Settings:
    token: str | None = None
    origins: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    public_url: str | None = None      # base URL written in manifest.xml (else the request's)
    rules: object = field(default=None, compare=False)   # validation Rules (None: shipped)
    workers: int = 0                   # worker processes; 0: in this process, one at a time
    queue: int = DEFAULT_QUEUE         # requests waiting for a worker, then 503
    body_timeout: float = DEFAULT_BODY_TIMEOUT


class ClientGone(Exception):
    """The client closed its connection before its request was answered."""


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"erreur": message}, status_code=status, headers=headers)


def create_app(settings: Settings = Settings()) -> FastAPI:
    if settings.rules is None:   # read the rule files once, not at every click
        from ..validation import load_rules

        settings = replace(settings, rules=load_rules())
    pool = Pool(settings.workers, settings.queue, settings.rules)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await pool.open()
        try:
            yield
        finally:
            pool.close()

    app = FastAPI(title="ctgxl — complément Excel", version=__version__, docs_url=None,
                  redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.pool = pool
    if settings.origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(FramingGuard)

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
        return error(500, INTERNAL_ERROR)

    @app.get("/sante")
    @app.get("/health")
    async def health():
        return {"statut": "ok", "ctgxl": __version__, "scripts": list(SCRIPTS),
                "processus": pool.workers,
                "file_attente": {"places": pool.queue, "en_cours": pool.computing,
                                 "en_attente": pool.waiting}}

    @app.post("/xlwings/custom-scripts-call/{script}")
    async def custom_scripts_call(script: str, request: Request):
        refused = _refusal(request, settings)
        if refused is not None:
            return refused
        if script not in SCRIPTS:
            return error(404, f"Action « {script} » inconnue : actions possibles : "
                              f"{', '.join(SCRIPTS)}.")
        try:
            body = await _read_body(request, settings.max_bytes, settings.body_timeout)
            too_many_cells(body)
        except ClientGone as gone:
            client = request.client.host if request.client else "un client"
            log.warning("%s s'est déconnecté avant la fin de sa requête « %s » (%s) : "
                        "requête abandonnée.", client, script, gone)
            return Response(status_code=400)   # nobody is left to read it
        except AddinError as exc:
            return error(exc.status, exc.message, _CLOSE if exc.status == 408 else None)
        try:
            status, answer = await _unless_gone(request, pool.compute(script, body))
        except ClientGone:
            client = request.client.host if request.client else "un client"
            log.warning("%s s'est déconnecté avant la réponse à sa requête « %s » : requête "
                        "abandonnée.", client, script)
            return Response(status_code=400)
        return Response(answer, status_code=status, media_type="application/json")

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


async def _unless_gone(request: Request, work):
    """The result of ``work``, or ``ClientGone`` (``work`` cancelled) when the client
    closes its connection first: a request nobody waits for leaves the queue."""
    task = asyncio.ensure_future(work)
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({task, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
    if not task.done():
        task.cancel()
        raise ClientGone("pendant le calcul")
    return task.result()


async def _disconnected(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


class FramingGuard:
    """A request announcing both ``Content-Length`` and ``Transfer-Encoding`` is answered
    400 and its connection closed before anything reads its body (the two disagree on
    where the body ends: the smuggling of one request inside another starts there)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            names = {name.lower() for name, _ in scope["headers"]}
            if b"content-length" in names and b"transfer-encoding" in names:
                response = error(400, "Requête invalide : « Content-Length » et "
                                      "« Transfer-Encoding » annoncés ensemble.", _CLOSE)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


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


async def _read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The request body, refused beyond ``limit`` bytes (413) or when it has not fully
    arrived ``timeout`` seconds after its headers (408); ``ClientGone`` if the client
    leaves before its end."""
    too_big = AddinError(f"Requête trop volumineuse : plus de {limit // (1024 * 1024) or 1} Mo "
                         "(limite du serveur ctgxl).", 413)
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_big
        except ValueError:
            raise AddinError("Requête invalide : longueur annoncée illisible.", 400) from None
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    chunks, size = [], 0
    while True:
        try:
            message = await asyncio.wait_for(request.receive(), max(0.0, deadline - loop.time()))
        except asyncio.TimeoutError:
            raise AddinError(f"Requête trop lente : le corps n'est pas arrivé en entier en "
                             f"{timeout:g} s (limite du serveur ctgxl).", 408) from None
        if message["type"] == "http.disconnect":
            raise ClientGone(plural(size, "octet reçu") + (f" sur {declared}" if declared else ""))
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


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
