"""How ``ctgxl serve`` listens: uvicorn with limits that let no connection hang.

- headers: a request line and its headers must arrive within ``header_timeout``
  seconds of the connection (or of the first byte of the next request on a kept-alive
  connection), at most ``HEADER_BYTES`` of them — else 408 (or 400) and the
  connection is closed; a connection that sends nothing is closed at that time too;
- body: ``Settings.body_timeout`` seconds for the whole body (``server._read_body``);
- between two requests, a kept-alive connection is closed after ``KEEP_ALIVE`` seconds;
- at most ``connections`` connections and requests at once: uvicorn answers the next
  request with a 503 (``limit_concurrency``) rather than let it pile up;
- stopped (SIGTERM, Ctrl+C), the server gives the requests being answered
  ``GRACEFUL_STOP`` seconds, then stops its workers.

uvicorn has no header timeout of its own: ``guarded_protocol`` adds one to its h11
protocol (the one it uses when ``httptools`` is absent; it is chosen explicitly).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_CONNECTIONS = 100
KEEP_ALIVE = 5
GRACEFUL_STOP = 30   # seconds the requests being answered get when the server stops
HEADER_BYTES = 16 * 1024

_TOO_SLOW = ('{"erreur": "Requête trop lente : en-têtes non reçus à temps (limite du serveur '
             'ctgxl)."}').encode()
RESPONSE_408 = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json; charset=utf-8"
                b"\r\nconnection: close\r\ncontent-length: %d\r\n\r\n" % len(_TOO_SLOW)) \
    + _TOO_SLOW


@dataclass(frozen=True)
class Limits:
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    connections: int = DEFAULT_CONNECTIONS


def run(app, *, host: str, port: int, limits: Limits = Limits(),
        certfile: Path | None = None, keyfile: Path | None = None) -> None:
    import uvicorn

    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", http=guarded_protocol(limits),
        timeout_keep_alive=KEEP_ALIVE, limit_concurrency=limits.connections,
        timeout_graceful_shutdown=GRACEFUL_STOP,
        h11_max_incomplete_event_size=HEADER_BYTES,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None)
    uvicorn.Server(config).run()


def guarded_protocol(limits: Limits):
    """uvicorn's h11 protocol, with a deadline for the request line and headers."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(H11Protocol):
        _header_timer = None
        _heard = False

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            self._heard = True
            super().data_received(data)
            if self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
                self._arm()        # part of a request line or of its headers is waiting
            else:
                self._disarm()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._header_timer is None:
                self._header_timer = self.loop.call_later(limits.header_timeout,
                                                          self._headers_too_slow)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _headers_too_slow(self) -> None:
            self._header_timer = None
            if self.conn.their_state is not h11.IDLE or self.transport.is_closing():
                return
            if self._heard:
                self.transport.write(RESPONSE_408)
            self.transport.close()

    return GuardedH11Protocol
