"""File side of consolidation: finding the inputs, loading them, reading the « Sources »
sheet of a master.

``load_sources`` reads and validates every workbook with ``loading.load_workbooks``
(worker processes when there are many, validation by batches as they come), the
same reading as ``ctgxl validate``, plus each file's « Listes » sheet and, in the
workers, its rows rendered as rows of the master.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..errors import CtgxlError, UnusableInputError
from ..loading import Loaded, load_workbooks, sheet_rows
from ..model import Plan

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")


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


def load_sources(paths: Sequence[Path], rules, *, advance: Callable[[], None] = lambda: None,
                 workers: int | None = None, names: Sequence[str] | None = None) -> list[Loaded]:
    """Every path read with its lists and, unless ``rules`` is None, validated; in order.

    With ``names`` (the provenance name of each path, see ``source_names``),
    worker processes also render each file's rows as rows of the master
    (``Loaded.rendered``), so that writing the master only numbers them.
    """
    from ..validation import checker

    return load_workbooks(paths, check=checker(rules) if rules is not None else None,
                          advance=advance, lists=True, workers=workers, names=names,
                          prepare=render_for_master)


def render_for_master(plan: Plan, name: str) -> dict[str, list[bytes]]:
    """The rows of ``plan`` as rows of a master (provenance ``name``), rendered as XML."""
    from ..fastrows import render_rows
    from .core import with_provenance

    return {t.sheet.key: [row.encode("utf-8") for row in
                          render_rows(t.sheet, with_provenance(t, name))]
            for t in plan.tables}


GAP_PREFIX = "Chiffres incomplets : "   # in « Contrôle du fichier » of Sources (write_master)


def read_gaps(path: Path) -> tuple[str, ...]:
    """The « Chiffres incomplets » sentences a master's Sources sheet holds (columns its
    files lacked when consolidated with --forcer); empty for any other workbook."""
    from .sources import TITLE

    rows = sheet_rows(path, TITLE) or []
    return tuple(line[len(GAP_PREFIX):] for row in rows for value in row
                 if isinstance(value, str) and GAP_PREFIX in value
                 for line in value.splitlines() if line.startswith(GAP_PREFIX))


def read_sources(path: Path):
    """The file lines of the « Sources » sheet of a master file (empty when it has none)."""
    from .sources import TITLE, sources_from_rows

    rows = sheet_rows(path, TITLE)
    return sources_from_rows(rows) if rows else ()
