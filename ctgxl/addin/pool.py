"""The server's computing side: worker processes and a bounded queue in front of them.

``Pool(workers=N, queue=Q)`` computes at most N requests at once, each in its own
process (``worker.compute``), and lets at most Q more wait for a free worker; the
request after that is answered at once with a 503 « serveur occupé » rather than
kept waiting. ``workers=0`` computes in the server process itself, one request at a
time (the tests of the application and embedding use it); the queue is the same.

A worker that dies (killed, out of memory) breaks the executor: the request it
was computing gets a 500, the log one French line, and a fresh pool takes over.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures import Executor

from .worker import INTERNAL_ERROR, compute, error_body, ready, start

log = logging.getLogger("ctgxl.addin")

DEFAULT_QUEUE = 32
BUSY = ("Serveur occupé : toutes les places de la file d'attente du serveur ctgxl sont "
        "prises. Réessayez dans quelques secondes.")


def default_workers() -> int:
    """One worker per processor the server may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:   # Windows, macOS
        return max(1, os.cpu_count() or 1)


class Pool:
    """Computes requests in ``workers`` processes with at most ``queue`` waiting."""

    def __init__(self, workers: int, queue: int, rules) -> None:
        self.workers, self.queue, self.rules = workers, queue, rules
        self.capacity = max(1, workers) + queue
        self.admitted = 0        # requests computing or waiting, in the event loop's thread
        self._executor: Executor | None = None

    @property
    def computing(self) -> int:
        return min(self.admitted, max(1, self.workers))

    @property
    def waiting(self) -> int:
        return self.admitted - self.computing

    async def open(self) -> None:
        """Start the workers and wait until each has taken a first task (imports done)."""
        executor = self._executor_()
        if self.workers:
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(loop.run_in_executor(executor, ready)
                                   for _ in range(self.workers)))

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    async def compute(self, script: str, body: bytes) -> tuple[int, bytes]:
        """(HTTP status, JSON answer) of the request; a 503 when the queue is full.

        Cancelled (its client left), a request still waiting leaves the queue; one being
        computed keeps its place until its worker is free again."""
        from concurrent.futures.process import BrokenProcessPool

        if self.admitted >= self.capacity:
            return 503, error_body(BUSY)
        loop = asyncio.get_running_loop()
        executor = self._executor_()
        args = (script, body) if self.workers else (script, body, self.rules)
        try:
            task = executor.submit(compute, *args)
        except BrokenProcessPool:
            return self._broken(executor, script)
        self.admitted += 1
        task.add_done_callback(lambda _: _call_soon(loop, self._left))
        try:
            return await asyncio.wrap_future(task)
        except asyncio.CancelledError:
            task.cancel()
            raise
        except BrokenProcessPool:
            return self._broken(executor, script)

    def _left(self) -> None:
        self.admitted -= 1

    def _broken(self, executor: Executor, script: str) -> tuple[int, bytes]:
        log.error("un processus de calcul s'est arrêté brutalement (mémoire insuffisante ?) : "
                  "la requête « %s » a échoué, les processus sont relancés.", script)
        if self._executor is executor:
            self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)
        return 500, error_body(INTERNAL_ERROR)

    def _executor_(self) -> Executor:
        if self._executor is None:
            self._executor = self._make()
        return self._executor

    def _make(self) -> Executor:
        if not self.workers:
            from concurrent.futures import ThreadPoolExecutor

            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="ctgxl-addin")
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=start,
            initargs=(self.rules, os.environ.get("XLWINGS_LICENSE_KEY"), os.getpid()))


def _call_soon(loop: asyncio.AbstractEventLoop, callback) -> None:
    """``callback`` in the event loop's thread (a task ends in the executor's thread)."""
    try:
        loop.call_soon_threadsafe(callback)
    except RuntimeError:   # the loop is closed: the server has stopped
        pass
