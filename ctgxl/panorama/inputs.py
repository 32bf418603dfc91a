"""What ``ctgxl panorama`` is given: one entry per territory.

Each argument is one territory: a workbook (its master file, or a single workbook), a
folder (the services' workbooks of that territory, not its subfolders), or a pattern
whose every match is one territory (« pilotages/*.xlsx » for a folder of masters). In a
folder, the owner files Excel and LibreOffice leave beside an open workbook (``~$x.xlsx``,
``.~lock.x.xlsx#``) are not workbooks: they are skipped, and the workbook they name is
read as it was last saved (said as an avertissement); any other file that is not a
workbook is skipped and said. Nothing here opens a workbook.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
LOCK_PREFIXES = ("~$", ".~lock.")


@dataclass(frozen=True)
class Entry:
    """One territory as given: ``label`` names it until its workbooks say its name."""

    argument: str
    label: str
    paths: tuple[Path, ...]
    folder: bool


def gather_entries(arguments: Iterable[str | os.PathLike[str]]) -> tuple[list[Entry],
                                                                         list[Finding]]:
    """The entries the arguments name, in order, and what was set aside on the way."""
    entries: list[Entry] = []
    notes: list[Finding] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            entries.append(_folder(path, notes))
        elif path.is_file():
            entries.append(_file(path, str(argument), notes))
        elif glob.has_magic(str(argument)):
            matches = sorted(Path(m) for m in glob.glob(str(argument)))
            kept = [m for m in matches if m.is_dir() or _is_workbook_name(m)]
            if not kept:
                notes.append(Finding("entree-introuvable", "erreur",
                                     f"{argument} : aucun classeur ni dossier ne correspond à "
                                     "ce motif.", file=str(argument)))
            for match in kept:
                entries.append(_folder(match, notes) if match.is_dir()
                               else _file(match, str(match), notes))
        else:
            notes.append(Finding("entree-introuvable", "erreur",
                                 f"{argument} : fichier ou dossier introuvable.",
                                 file=str(argument)))
    return [e for e in entries if e is not None and e.paths], notes


def _is_lock(path: Path) -> bool:
    return path.name.startswith(LOCK_PREFIXES)


def _is_workbook_name(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not _is_lock(path) \
        and not path.name.startswith(".")


def _file(path: Path, argument: str, notes: list[Finding]) -> Entry | None:
    if _is_lock(path):
        notes.append(Finding(
            "fichier-ignore", "avertissement",
            f"{path.name} : fichier de verrou d'Excel ou de LibreOffice (le classeur "
            "qu'il nomme est ouvert), pas un classeur : ignoré.", file=str(path)))
        return None
    _open_elsewhere(path, notes)
    return Entry(argument, path.name, (path,), folder=False)


def _folder(folder: Path, notes: list[Finding]) -> Entry:
    try:
        members = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        members = []
    paths = []
    for member in members:
        if _is_workbook_name(member):
            paths.append(member)
            _open_elsewhere(member, notes)
        elif _is_lock(member) or member.name.startswith("."):
            continue   # an owner file (its workbook is said open), a hidden file
        else:
            notes.append(Finding(
                "fichier-ignore", "avertissement",
                f"{folder.name}/{member.name} : pas un classeur (.xlsx, .xlsm, .ods) : ignoré.",
                file=str(member)))
    if not paths:
        notes.append(Finding("entree-introuvable", "erreur",
                             f"{folder} : aucun classeur (.xlsx, .xlsm, .ods) dans ce dossier.",
                             file=str(folder)))
    return Entry(str(folder), folder.name or str(folder), tuple(paths), folder=True)


def _open_elsewhere(path: Path, notes: list[Finding]) -> None:
    from ..outputs import lock_files

    locks = lock_files(path)
    if locks:
        notes.append(Finding(
            "classeur-ouvert", "avertissement",
            f"{path.name} est ouvert dans Excel ou LibreOffice (verrou {locks[0].name}) : il "
            "est lu tel qu'il a été enregistré, sans les modifications en cours.",
            file=str(path)))
