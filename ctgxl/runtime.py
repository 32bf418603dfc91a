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
