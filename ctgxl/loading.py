"""Reading many workbooks: in order, in worker processes when there are many, checked in
batches as they come.

``load_workbooks`` is the one way ctgxl reads a set of workbooks, for
``ctgxl validate`` (``validation.validate_files``) as for ``ctgxl consolidate``
(``consolidation.io.load_sources``) and the add-in. Each workbook becomes a
``Loaded`` (its plan, or why it is unusable); ``check`` (the validation of a
batch of plans) runs in the main process on batches of ``CHECK_BATCH`` plans
while the workers read on: a plan checked alone costs 50 ms, mostly fixed cost,
against about 3 ms in a batch.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from .catalogue import LISTS_SHEET, SHEETS_BY_KEY
from .errors import UnusableInputError
from .model import Origin, Plan, Table

PARALLEL_MIN_FILES = 24      # below this, starting worker processes costs more than it saves
MAX_WORKERS = 4
CHECK_BATCH = 100            # plans checked together (bounds the frames built at once)

Check = Callable[[list[Plan]], list[object]]          # plans -> one FileReport each
Prepare = Callable[[Plan, str], dict[str, list[bytes]]]


@dataclass(frozen=True)
class Loaded:
    """One input after reading and checking (``error`` set when it is unusable)."""

    path: Path
    plan: Plan | None
    report: object | None                 # validation FileReport (None: not checked)
    lists: dict[str, tuple[str, ...]] | None
    error: str | None = None
    # table key -> the file's rows as rows of the master (with provenance),
    # rendered by the worker that read them (see ``prepare``)
    rendered: dict[str, list[bytes]] | None = None
    # what ``iter_prepared``'s ``prepare`` made of the plan, where it was read
    prepared: object | None = None

    def without_plan(self) -> Loaded:
        """The same, its rows let go once they are in the master."""
        return replace(self, plan=None)

    def without_rendered(self) -> Loaded:
        """The same, its rendered rows let go once the master is written."""
        return replace(self, rendered=None)


def read_one(path: Path, *, lists: bool = False) -> Loaded:
    """Read ``path`` (and, with ``lists``, its « Listes » sheet); not checked yet."""
    from .reader import read_plan

    try:
        plan = read_plan(path)
    except UnusableInputError as exc:
        return Loaded(path, None, None, None, exc.reason)
    if plan.source is None:
        plan = plan.replace(source=str(path))
    return Loaded(path, plan, None, read_lists(path) if lists else None)


def load_workbooks(paths: Sequence[Path], *, check: Check | None = None,
                   advance: Callable[[], None] = lambda: None, lists: bool = False,
                   workers: int | None = None, names: Sequence[str] | None = None,
                   prepare: Prepare | None = None) -> list[Loaded]:
    """Every path read and, with ``check``, checked; in the order of ``paths``.

    ``advance()`` is called after each file read. ``check(plans)`` gets batches of
    plans as they are read and returns one report per plan. With ``prepare`` (a
    module-level function, sent to the workers) and ``names``, each worker also
    calls ``prepare(plan, name)`` and keeps the result in ``Loaded.rendered``.
    """
    count = workers if workers is not None else _workers(len(paths))
    results: list[Loaded] = []
    pending: list[Loaded] = []
    with _reading(paths, count, lists, names, prepare) as items:
        for item in items:
            pending.append(item)
            advance()
            if len(pending) == CHECK_BATCH:
                results += _checked(pending, check)
                pending = []
    return results + _checked(pending, check)


def iter_prepared(paths: Sequence[Path],
                  prepare: Callable[[list[Plan], list[str]], list[object]],
                  names: Sequence[str], *, advance: Callable[[], None] = lambda: None,
                  workers: int | None = None, group: int = 8,
                  ahead: int | None = None) -> Iterator[Loaded]:
    """Each path read and prepared where it was read (worker processes when there are
    many), yielded in the order of ``paths`` as soon as it is ready; ``advance()`` after
    each.

    Files go to the workers by groups of ``group``: ``prepare(plans, names)`` gets the
    group's readable plans at once (checking plans together costs a fraction of checking
    them one by one) and returns one result for each. Only these results come back
    (``Loaded.prepared``; ``Loaded.plan`` is None): a plan never leaves the process that
    read it. At most ``ahead`` groups are read before the caller takes them, so that
    memory stays bounded however many files there are (``ctgxl panorama`` reads
    thousands).
    """
    count = workers if workers is not None else _workers(len(paths))
    named = list(zip(paths, names, strict=True))
    tasks = [(named[i:i + group], prepare) for i in range(0, len(named), group)]
    if count <= 1:
        for task in tasks:
            for item in _prepared(task):
                yield item
                advance()
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    limit = ahead or count * 2
    pool = ProcessPoolExecutor(max_workers=count, initializer=_worker_start)
    try:
        pending: deque = deque()
        queue = iter(tasks)
        for task in queue:
            pending.append(pool.submit(_prepared, task))
            if len(pending) >= limit:
                break
        while pending:
            items = pending.popleft().result()
            for task in queue:          # one more group read while this one is used
                pending.append(pool.submit(_prepared, task))
                break
            for item in items:
                yield item
                advance()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _prepared(task) -> list[Loaded]:
    """``read_one`` for each file of a group, then ``prepare`` on the readable plans; the
    plans are let go here (see ``iter_prepared``)."""
    named, prepare = task
    loaded = [read_one(path) for path, _ in named]
    readable = [(item, name) for item, (_, name) in zip(loaded, named) if item.plan is not None]
    results = iter(prepare([item.plan for item, _ in readable], [name for _, name in readable])
                   if readable else [])
    return [replace(item, plan=None, prepared=next(results)) if item.plan is not None else item
            for item in loaded]


def _checked(items: list[Loaded], check: Check | None) -> list[Loaded]:
    if check is None:
        return items
    reports = iter(check([item.plan for item in items if item.plan is not None]))
    return [replace(item, report=next(reports)) if item.plan is not None else item
            for item in items]


def _worker_start() -> None:
    """In each worker: no cyclic GC (see ``runtime.paused_gc``), and on Linux the worker
    is ended with its parent — a ``kill -9`` of ctgxl must not leave readers running."""
    gc.disable()
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)        # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        if os.getppid() == 1:                   # the parent died before prctl took effect
            os._exit(1)


@contextmanager
def _reading(paths: Sequence[Path], workers: int, lists: bool, names: Sequence[str] | None,
             prepare: Prepare | None) -> Iterator[Iterator[Loaded]]:
    """The files read, in order; with several workers, every read is submitted on
    entry (the workers start at once) and what is left is cancelled on exit."""
    if workers <= 1:
        yield (read_one(path, lists=lists) for path in paths)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_start)
    try:
        chunk = max(1, min(16, len(paths) // (workers * 8)))
        named = names if names is not None and prepare is not None else [None] * len(paths)
        tasks = [(path, lists, name, prepare) for path, name in zip(paths, named)]
        yield map(_unpack, pool.map(_read_packed, tasks, chunksize=chunk))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _workers(files: int) -> int:
    if files < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _read_packed(task):
    """``read_one`` in a worker, with the plan flattened to plain tuples for the trip back."""
    path, lists, name, prepare = task
    loaded = read_one(path, lists=lists)
    plan = loaded.plan
    if plan is None:
        return loaded
    tables = {t.sheet.key: (t.rows, t.origin.rows if t.origin else None,
                            dict(t.origin.letters) if t.origin else None,
                            tuple(c.header for c in t.sheet.extra_columns))
              for t in plan.tables}
    rendered = prepare(plan, name) if name is not None else None
    return loaded.path, plan.meta, plan.source, plan.notes, tables, loaded.lists, rendered


def _unpack(packed) -> Loaded:
    if isinstance(packed, Loaded):
        return packed
    path, meta, source, notes, tables, lists, rendered = packed
    rebuilt = {key: Table(SHEETS_BY_KEY[key].with_extras(extras), rows,
                          Origin(lines, letters) if lines is not None else None)
               for key, (rows, lines, letters, extras) in tables.items()}
    return Loaded(path, Plan(meta=meta, source=source, notes=notes, **rebuilt), None, lists,
                  rendered=rendered)


def read_lists(path: Path) -> dict[str, tuple[str, ...]] | None:
    """The « Listes » sheet of a workbook (header -> values), None when it has none."""
    rows = sheet_rows(path, LISTS_SHEET)
    if not rows:
        return None
    headers = rows[0]
    lists: dict[str, tuple[str, ...]] = {}
    for col, header in enumerate(headers):
        if header in (None, ""):
            continue
        values = [_text(r[col]) for r in rows[1:] if col < len(r) and r[col] not in (None, "")]
        lists[str(header).strip()] = tuple(values)
    return lists


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sheet_rows(path: Path, name: str) -> list[list] | None:
    """The raw rows of the sheet ``name`` (matched loosely), None when absent or unreadable."""
    from .reader import open_workbook
    from .vocabulary import fold

    try:
        workbook = open_workbook(path)
    except Exception:  # noqa: BLE001 - the plan itself was readable: lists are optional
        return None
    try:
        names = {fold(n): n for n in workbook.sheet_names}
        if fold(name) not in names:
            return None
        return workbook.get_sheet_by_name(names[fold(name)]).to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001
        return None
    finally:
        workbook.close()
