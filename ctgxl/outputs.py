"""Where outputs go: refusal of a surprise overwrite, lock files, atomic writes.

Every file ctgxl produces goes through here (workbooks through
``writer.save_workbook``). Rules, the same for every command:

- an existing output is replaced only when asked (``--ecraser``);
- an output that Excel or LibreOffice holds open — its lock file
  ``~$NAME`` or ``.~lock.NAME#`` sits beside it — is always refused: the
  application would keep showing the old content and save over the new one;
- a file is written to a temporary name in the destination folder, then
  renamed in one step: a reader never sees half a file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError, os_reason
from .wording import plural

OVERWRITE_FLAG = "--ecraser"


def lock_files(path: str | os.PathLike[str]) -> list[Path]:
    """Lock files that say ``path`` is open in LibreOffice (``.~lock.NAME#``) or Excel (``~$NAME``).

    Excel shortens the owner file of a long name by its first two characters
    (``~$fance.xlsx`` for ``enfance.xlsx``); both spellings are looked for.
    """
    target = Path(path)
    if not target.exists():  # a lock without its file is stale: nothing is open
        return []
    name = target.name
    candidates = [f".~lock.{name}#", f"~${name}"]
    if len(name) > 2:
        candidates.append(f"~${name[2:]}")
    return [target.with_name(c) for c in candidates if target.with_name(c).is_file()]


def refuse_if_open(path: str | os.PathLike[str]) -> None:
    locks = lock_files(path)
    if locks:
        raise OutputError(f"{path} : fichier ouvert dans Excel ou LibreOffice (verrou "
                          f"{locks[0].name}) : fermez-le, puis relancez")


def check_target(path: str | os.PathLike[str], *, overwrite: bool) -> Path:
    """Refuse, before any work, an output that is open elsewhere or that exists (unless ``overwrite``)."""
    target = Path(path)
    refuse_if_open(target)
    if target.is_dir():
        raise OutputError(f"{target} : est un dossier, pas un nom de fichier")
    if target.exists() and not overwrite:
        raise OutputError(f"{target} : existe déjà ; relancez avec {OVERWRITE_FLAG} pour le "
                          "remplacer, ou choisissez un autre nom")
    return target


def check_targets(paths, *, overwrite: bool, folder: Path | None = None) -> None:
    """``check_target`` for the files written into one folder, said in one line; ``folder``,
    when given, must be a folder or not exist yet."""
    if folder is not None and folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} : est un fichier, pas un dossier")
    paths = [Path(p) for p in paths]
    for path in paths:
        refuse_if_open(path)
    existing = [p for p in paths if p.exists()]
    if existing and not overwrite:
        shown = ", ".join(p.name for p in existing[:5])
        more = f" et {plural(len(existing) - 5, 'autre')}" if len(existing) > 5 else ""
        verb = "existent" if len(existing) > 1 else "existe"
        where = folder if folder is not None else existing[0].parent
        raise OutputError(f"{where} : {shown}{more} {verb} déjà ; relancez avec "
                          f"{OVERWRITE_FLAG} pour les remplacer, ou choisissez un autre dossier")


def make_folder(folder: Path) -> Path:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{folder} : est un fichier, pas un dossier") from None
    except OSError as exc:
        raise OutputError(f"{folder} : impossible de créer le dossier ({os_reason(exc)})") from None
    return folder


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


TEMP_PREFIX = ".ctgxl-"   # temporary files: .ctgxl-<pid>-<random><suffix> (and <that>.rows)
STALE_WITHOUT_PID = 24 * 3600   # seconds: an older-style temporary file is that old


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporary files and folders a killed run of ctgxl left in ``folder`` (its
    process is gone); a run still writing keeps its own."""
    import re
    import time

    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        found = re.match(rf"{re.escape(TEMP_PREFIX)}(\d+)-", entry.name)
        try:
            if entry.is_dir(follow_symlinks=False):     # a folder of ``staged_folder``
                if found and not _alive(int(found.group(1))):
                    shutil.rmtree(entry.path, ignore_errors=True)
                continue
            if not entry.is_file(follow_symlinks=False):
                continue
            if found:
                if _alive(int(found.group(1))):
                    continue
            elif time.time() - entry.stat().st_mtime < STALE_WITHOUT_PID:
                continue
            os.unlink(entry.path)
        except OSError:
            pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":   # os.kill would end the process there: ask the system instead
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True   # another user's process, or no way to know: keep its file
    return True


def _alive_windows(pid: int) -> bool:
    import ctypes

    try:
        kernel = ctypes.windll.kernel32   # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)   # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259                          # STILL_ACTIVE
    except (AttributeError, OSError):
        return True


def write_error(target, exc: OSError) -> OutputError:
    """The French line of an output that could not be written."""
    if isinstance(exc, PermissionError):
        return OutputError(f"{target} : écriture refusée (fichier ouvert dans Excel ou "
                           "LibreOffice, ou dossier protégé)")
    return OutputError(f"{target} : écriture impossible ({os_reason(exc)})")


def write_atomically(path: str | os.PathLike[str], write: Callable[[str], None]) -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it to ``path``."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    remove_stale_temporaries(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=target.suffix,
                                   dir=folder)
    except OSError as exc:
        raise OutputError(f"{target} : impossible d'écrire dans {folder} ({os_reason(exc)})") from None
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600: give the usual rights
        refuse_if_open(target)            # opened while we worked
        os.replace(tmp, target)
    except OSError as exc:
        raise write_error(target, exc) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


@contextmanager
def staged_folder(folder: str | os.PathLike[str], *, remove=()) -> Iterator[Path]:
    """A private folder to write several files into; when the block ends, they are moved into
    ``folder`` together — all or nothing. The files of ``folder`` named in ``remove`` (an
    earlier output this one no longer makes) go in the same step, and come back on failure.

    A new ``folder`` is the staging folder itself, renamed in one step. Into an existing
    one, each file replaces its namesake (kept aside until the end); if one cannot be put
    in place (open in Excel, a folder of that name, disk full), the files already moved are
    taken back and the kept ones restored. Either way, on failure nothing new is left and
    the folder's other files are not touched.
    """
    target = Path(folder)
    fresh = not target.exists()
    where = make_folder(target.parent if str(target.parent) else Path(".")) if fresh \
        else target
    remove_stale_temporaries(where)
    try:
        stage = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", dir=where))
    except OSError as exc:
        raise OutputError(f"{target} : impossible d'écrire dans {where} ({os_reason(exc)})") \
            from None
    try:
        yield stage
        if fresh:
            os.chmod(stage, 0o777 & ~_umask())   # mkdtemp makes 0700: give the usual rights
            os.rename(stage, target)
        else:
            _move_in(stage, target, remove)
    except OSError as exc:
        raise write_error(target, exc) from None
    finally:
        if stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def _move_in(stage: Path, folder: Path, remove=()) -> None:
    """Move every file of ``stage`` into ``folder`` and take the files ``remove`` names out of
    it, or do nothing (see ``staged_folder``)."""
    kept = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=stage))
    done: list[tuple[Path, Path | None, bool]] = []   # (target, its old file kept, placed)
    try:
        for name in remove:
            target = folder / name
            if (target.is_file() or target.is_symlink()) and not (stage / name).exists():
                refuse_if_open(target)
                os.replace(target, kept / name)
                done.append((target, kept / name, False))
        for entry in sorted(p for p in stage.iterdir() if p != kept):
            target = folder / entry.name
            refuse_if_open(target)
            if target.is_dir() and not target.is_symlink():
                raise OutputError(f"{target} : est un dossier, pas un nom de fichier")
            old = None
            if target.exists() or target.is_symlink():
                old = kept / entry.name
                os.replace(target, old)
            done.append((target, old, False))
            os.replace(entry, target)
            done[-1] = (target, old, True)
    except BaseException:
        for target, old, placed in reversed(done):
            try:
                if placed:
                    os.unlink(target)
                if old is not None:
                    os.replace(old, target)
            except OSError:
                pass
        raise


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text atomically (« � » for the undecodable bytes of a file name it quotes,
    see ``values.encodable``)."""
    from .values import encodable

    text = encodable(text)

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)

    return write_atomically(path, write)


def write_json(path: str | os.PathLike[str], data) -> Path:
    import json

    return write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
