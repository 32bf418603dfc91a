"""Process-wide switches the library flips around heavy work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while rows are read, checked and gathered.

    Hundreds of thousands of row tuples are created and none is garbage: the
    collector would walk them again and again (a fifth of the validation time,
    a third of a consolidation at 100,000 actions). Reference counting still
    frees everything as usual. Nested uses are fine: the outermost one restores
    the collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What was made meanwhile is all in the youngest generation: the first
            # collection would walk it at once (0.1 s after a 100,000-finding report, just
            # before a command ends). freeze + unfreeze moves it to the oldest generation
            # without a walk; a later full collection still frees its cycles.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def import_meanwhile(*modules: str) -> None:
    """Import ``modules`` in a background thread, while the caller reads workbooks.

    Reading a workbook spends much of its time in python-calamine's Rust code without
    the GIL; importing pandera (a fifth of a second) can run meanwhile on another core
    instead of after the reading. An import that fails here is left to the caller's own
    ``import``, which raises as usual; a module being imported by the thread is simply
    waited for by an ``import`` of the same module elsewhere (Python's per-module lock).
    """
    import importlib
    import threading

    def run() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the caller's import reports it
                return

    threading.Thread(target=run, name="ctgxl-imports", daemon=True).start()
