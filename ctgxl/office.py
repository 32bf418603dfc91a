"""LibreOffice as a converter (``soffice --headless --convert-to``), for the formats ctgxl
does not write itself: the bilan as .odt/.pdf, the workbook as .ods.

Each conversion runs in its own temporary folder — the source, the result and a user
profile of its own, so that it works while the user has LibreOffice open (a shared
profile makes the headless run exit without converting). Whatever happens — success,
failure, the time limit, Ctrl-C — the LibreOffice processes of the conversion are ended
(they run in a process group of their own: ``soffice`` starts ``soffice.bin``) and the
folder is removed.

The time is bounded: ``timeout`` seconds, ``TIMEOUT`` unless the caller knows better (the
bilan gives a limit that grows with its number of fiches, see ``ctgxl.bilan``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import CtgxlError

TIMEOUT = 300   # seconds: a 200-page bilan converts in about 10 s
PREFIX = "ctgxl-conversion-"


class ConversionTimeout(CtgxlError):
    """LibreOffice did not finish within its time limit (exit code 2)."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, fmt: str, *, missing: str, timeout: float = TIMEOUT,
            advice: str = "") -> bytes:
    """``data`` (a file of type ``suffix``, e.g. ".docx") converted to ``fmt`` ("pdf"…).
    ``missing``: the French line to show when LibreOffice is not installed; ``advice``:
    what to do instead, added to the line that says the conversion failed."""
    with tempfile.TemporaryDirectory(prefix="ctgxl-source-") as folder:
        source = Path(folder) / f"document{suffix}"
        source.write_bytes(data)
        with converted(source, fmt, missing=missing, timeout=timeout, advice=advice) as result:
            return result.read_bytes()


@contextmanager
def converted(source: Path, fmt: str, *, missing: str, timeout: float = TIMEOUT,
              advice: str = "") -> Iterator[Path]:
    """The file ``source`` converted to ``fmt``, in a temporary folder removed when the
    block ends (copy or read the result inside it)."""
    program = soffice()
    if program is None:
        raise CtgxlError(missing)
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    tail = f" : {advice}" if advice else ""
    process = None
    try:
        profile = folder / "profil"
        try:
            process = _start([program, f"-env:UserInstallation={profile.as_uri()}",
                              "--headless", "--norestore", "--convert-to", fmt,
                              "--outdir", str(folder), str(source)],
                             env={**os.environ, "HOME": str(folder)})
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ConversionTimeout(f"LibreOffice n'a pas fini de convertir le fichier en "
                                    f".{fmt} dans le délai de {_seconds(timeout)}{tail}"
                                    ) from None
        except OSError:
            raise CtgxlError(f"LibreOffice n'a pas pu être lancé pour convertir le fichier "
                             f"en .{fmt}{tail}") from None
        result = folder / f"{source.stem}.{fmt}"
        if code != 0 or not result.is_file():
            raise CtgxlError(f"LibreOffice n'a pas pu convertir le fichier en .{fmt}{tail}")
        yield result
    finally:
        if process is not None:
            _end(process)
        shutil.rmtree(folder, ignore_errors=True)


def _seconds(timeout: float) -> str:
    seconds = max(1, round(timeout))
    if seconds < 120:
        return f"{seconds} s"
    return f"{seconds // 60} min" + (f" {seconds % 60} s" if seconds % 60 else "")


def _start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    """``args`` in a process group of its own (so that its children can be ended too)."""
    if os.name == "nt":
        return subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                creationflags=subprocess.CREATE_NEW_PROCESS_GROUP)
    return subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _end(process: subprocess.Popen, wait: float = 10.0) -> None:
    """End ``process`` and every process of its group, and wait until they are gone (a
    ``soffice.bin`` still running would write into the folder being removed)."""
    if os.name == "nt":
        if process.poll() is None:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)],
                           capture_output=True, check=False)
        _reap(process, wait)
        return
    group = process.pid          # start_new_session: the group's id is the leader's pid
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _reap(process, wait)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.05)


def _reap(process: subprocess.Popen, wait: float) -> None:
    try:
        process.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        pass
