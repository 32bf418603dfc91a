"""File side of consolidation: finding the inputs, loading them (in parallel when
there are many), reading the « Listes » and « Sources » sheets.

``load_sources`` reads each workbook, then validates the plans in batches of
``VALIDATION_BATCH`` (``validate_plans`` runs each sheet's checks once per
batch: a plan checked alone costs 50 ms, mostly fixed cost, against about 3 ms
in a batch). With many files, worker processes read them while the main
process validates the batches already read; results come back in the order
of the inputs either way.
"""

from __future__ import annotations

import gc
import glob
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import repeat
from pathlib import Path

from ..catalogue import LISTS_SHEET, SHEETS_BY_KEY
from ..errors import CtgxlError, UnusableInputError
from ..model import Origin, Plan, Table

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
PARALLEL_MIN_FILES = 24      # below this, starting worker processes costs more than it saves
MAX_WORKERS = 4
VALIDATION_BATCH = 100       # plans validated together (bounds the frames built at once)


def gather_inputs(arguments: Iterable[str | os.PathLike[str]],
                  exclude: Iterable[Path] = ()) -> list[Path]:
    """The workbooks named by the arguments: files, folders (their workbooks, not
    recursively) or glob patterns (for shells that do not expand them); each once."""
    skip = {Path(p).resolve() for p in exclude}
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            members = sorted(p for p in path.iterdir()
                             if p.suffix.lower() in WORKBOOK_SUFFIXES and p.is_file()
                             and not p.name.startswith(("~$", ".~lock", ".")))
            if not members:
                raise CtgxlError(f"{path} : aucun classeur (.xlsx, .xlsm, .ods) dans ce dossier")
            found += [p for p in members if p.resolve() not in skip]
        elif path.exists():
            found.append(path)
        elif glob.has_magic(str(argument)):
            matches = sorted(Path(m) for m in glob.glob(str(argument))
                             if Path(m).suffix.lower() in WORKBOOK_SUFFIXES)
            if not matches:
                raise CtgxlError(f"{argument} : aucun classeur ne correspond à ce motif")
            found += [p for p in matches if p.resolve() not in skip]
        else:
            raise UnusableInputError(path, "fichier introuvable")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


@dataclass(frozen=True)
class Loaded:
    """One input after reading and validation (``error`` set when it is unusable)."""

    path: Path
    plan: Plan | None
    report: object | None                 # validation FileReport
    lists: dict[str, tuple[str, ...]] | None
    error: str | None = None
    # table key -> the file's rows as rows of the master (with provenance),
    # rendered by the worker that read them (``fastrows.render_rows``)
    rendered: dict[str, list[bytes]] | None = None

    def without_plan(self) -> Loaded:
        """The same, its rows let go once they are in the master."""
        return replace(self, plan=None)

    def without_rendered(self) -> Loaded:
        """The same, its rendered rows let go once the master is written."""
        return replace(self, rendered=None)


def read_source(path: Path) -> Loaded:
    """Read ``path`` and its lists; not validated yet (``report`` is None)."""
    from ..reader import read_plan

    try:
        plan = read_plan(path)
    except UnusableInputError as exc:
        return Loaded(path, None, None, None, exc.reason)
    return Loaded(path, plan, None, read_lists(path))


def load_sources(paths: Sequence[Path], rules, *, advance: Callable[[], None] = lambda: None,
                 workers: int | None = None, names: Sequence[str] | None = None) -> list[Loaded]:
    """Every path read and, unless ``rules`` is None, validated; in order.

    ``advance()`` is called after each file read; the plans are validated in
    batches as they come (in the main process, while the workers read on).
    ``rules`` may be a function returning the rules: it is called once the
    workers have started, so that loading them overlaps the reading.

    With ``names`` (the provenance name of each path, see ``source_names``),
    worker processes also render each file's rows as rows of the master
    (``Loaded.rendered``), so that writing the master only numbers them.
    """
    count = workers if workers is not None else _workers(len(paths))
    results: list[Loaded] = []
    pending: list[Loaded] = []
    with _reading(paths, count, names) as items:
        if callable(rules):                     # the workers read meanwhile
            rules = rules()
        for item in items:
            pending.append(item)
            advance()
            if len(pending) == VALIDATION_BATCH:
                results += _validated(pending, rules)
                pending = []
    return results + _validated(pending, rules)


def _validated(items: list[Loaded], rules) -> list[Loaded]:
    if rules is None:
        return items
    from ..validation import validate_plans

    reports = iter(validate_plans([item.plan for item in items if item.plan is not None],
                                  rules))
    return [replace(item, report=next(reports).files[0]) if item.plan is not None else item
            for item in items]


@contextmanager
def _reading(paths: Sequence[Path], workers: int,
             names: Sequence[str] | None) -> Iterator[Iterator[Loaded]]:
    """The files read, in order; with several workers, every read is submitted on
    entry (the workers start at once) and what is left is cancelled on exit."""
    if workers <= 1:
        yield (read_source(path) for path in paths)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=gc.disable)
    try:
        chunk = max(1, min(16, len(paths) // (workers * 8)))
        tasks = zip(paths, names) if names is not None else zip(paths, repeat(None))
        yield map(_unpack, pool.map(_read_packed, tasks, chunksize=chunk))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _workers(files: int) -> int:
    if files < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def _read_packed(task: tuple[Path, str | None]):
    """``read_source`` in a worker, with the plan flattened to plain tuples for the trip
    back, and its rows rendered for the master when the task names the file."""
    path, name = task
    loaded = read_source(path)
    plan = loaded.plan
    if plan is None:
        return loaded
    tables = {t.sheet.key: (t.rows, t.origin.rows if t.origin else None,
                            dict(t.origin.letters) if t.origin else None,
                            tuple(c.header for c in t.sheet.extra_columns))
              for t in plan.tables}
    rendered = _render(plan, name) if name is not None else None
    return loaded.path, plan.meta, plan.source, plan.notes, tables, loaded.lists, rendered


def _render(plan: Plan, name: str) -> dict[str, list[bytes]]:
    from ..fastrows import render_rows
    from .core import with_provenance

    return {t.sheet.key: [row.encode("utf-8") for row in
                          render_rows(t.sheet, with_provenance(t, name))]
            for t in plan.tables}


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
    rows = _sheet_rows(path, LISTS_SHEET)
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


def read_sources(path: Path):
    """The file lines of the « Sources » sheet of a master file (empty when it has none)."""
    from .sources import TITLE, sources_from_rows

    rows = _sheet_rows(path, TITLE)
    return sources_from_rows(rows) if rows else ()


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet_rows(path: Path, name: str) -> list[list] | None:
    from python_calamine import CalamineWorkbook

    from ..vocabulary import fold

    try:
        workbook = CalamineWorkbook.from_path(str(path))
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
