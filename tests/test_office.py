"""Conversions by LibreOffice: bounded in time, and nothing left behind — no temporary
folder, no process — whether they succeed, fail, run out of time or are interrupted.

A stand-in ``soffice`` (a script that behaves like it: a child process such as
``soffice.bin`` writing into its profile) lets these run where LibreOffice is absent;
the last test uses the real one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from ctgxl import office
from ctgxl.errors import CtgxlError

ROOT = Path(__file__).resolve().parent.parent

FAKE = textwrap.dedent(f"""\
    #!{sys.executable}
    import os, subprocess, sys, time
    args = sys.argv[1:]
    outdir, source = args[args.index("--outdir") + 1], args[-1]
    fmt = args[args.index("--convert-to") + 1]
    profile = args[0].split("file://", 1)[1]
    os.makedirs(profile, exist_ok=True)
    mode = os.environ["FAKE_SOFFICE"]
    if mode == "fail":
        sys.exit(1)
    if mode == "ok":
        stem = os.path.splitext(os.path.basename(source))[0]
        open(os.path.join(outdir, stem + "." + fmt), "wb").write(b"converti")
        sys.exit(0)
    # slow: like soffice, a child (soffice.bin) that works in the profile, and waits
    subprocess.Popen([sys.executable, "-c",
                      "import os, sys, time\\n"
                      "open(sys.argv[1], 'w').write(str(os.getpid()))\\n"
                      "while True:\\n"
                      "    open(os.path.join(sys.argv[2], 'registrymodifications.xcu'), 'w')\\n"
                      "    time.sleep(0.05)\\n",
                      os.environ["FAKE_PID"], profile])
    time.sleep(120)
    """)


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """The stand-in soffice; temporary folders go to ``tmp_path/tmp`` to be checked."""
    script = tmp_path / "soffice"
    script.write_text(FAKE)
    script.chmod(0o755)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(office, "soffice", lambda: str(script))
    monkeypatch.setenv("FAKE_PID", str(tmp_path / "child.pid"))

    def mode(name: str):
        monkeypatch.setenv("FAKE_SOFFICE", name)
        return temp

    return mode


def gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


pytestmark = pytest.mark.skipif(os.name == "nt", reason="stand-in soffice is a POSIX script")


def test_a_conversion_gives_the_file_and_leaves_nothing(fake):
    temp = fake("ok")
    assert office.convert(b"docx", ".docx", "pdf", missing="") == b"converti"
    assert list(temp.iterdir()) == []


def test_a_failed_conversion_says_what_to_do_and_leaves_nothing(fake):
    temp = fake("fail")
    with pytest.raises(CtgxlError) as failed:
        office.convert(b"docx", ".docx", "pdf", missing="", advice="écrivez un .docx")
    assert str(failed.value) == ("LibreOffice n'a pas pu convertir le fichier en .pdf : "
                                 "écrivez un .docx")
    assert list(temp.iterdir()) == []


def test_the_time_limit_ends_soffice_and_its_children_and_removes_the_profile(fake, tmp_path):
    temp = fake("slow")
    start = time.monotonic()
    with pytest.raises(office.ConversionTimeout) as late:
        office.convert(b"docx", ".docx", "pdf", missing="", timeout=1.5,
                       advice="écrivez le bilan en .docx")
    assert time.monotonic() - start < 15
    assert str(late.value) == ("LibreOffice n'a pas fini de convertir le fichier en .pdf dans "
                               "le délai de 2 s : écrivez le bilan en .docx")
    assert late.value.exit_code == 2
    assert gone(int((tmp_path / "child.pid").read_text()))   # the « soffice.bin »
    assert list(temp.iterdir()) == []                          # its profile with it


def test_ctrl_c_during_a_conversion_leaves_nothing(fake, tmp_path):
    temp = fake("slow")
    code = ("import sys, tempfile\n"
            "tempfile.tempdir = sys.argv[2]\n"
            "from ctgxl import office\n"
            "office.soffice = lambda: sys.argv[1]\n"
            "office.convert(b'docx', '.docx', 'pdf', missing='', timeout=100)\n")
    child = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "soffice"), str(temp)],
                             env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stderr=subprocess.PIPE, text=True)
    pid_file = tmp_path / "child.pid"
    deadline = time.monotonic() + 30
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pid_file.exists(), child.stderr
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=30)
    assert "KeyboardInterrupt" in err
    assert gone(int(pid_file.read_text()))
    assert list(temp.iterdir()) == []


def test_the_bilan_gives_more_time_to_a_bigger_plan():
    from ctgxl.bilan import conversion_limit
    from ctgxl.bilan.content import Axe, Bilan, Objectif, Section

    def of(n: int) -> float:
        fiche = object()
        section = Section("Enfance", (Axe("I", None, (Objectif("1", None, (fiche,) * n),)),))
        return conversion_limit(Bilan(None, None, 2025, (), None, None, (), {}, (section,)))

    assert 60 <= of(0) < of(206) < of(1000) < of(5000)
    assert of(1000) - of(0) == pytest.approx(5 * (of(200) - of(0)))    # in proportion


@pytest.mark.soffice
def test_a_pdf_that_cannot_be_done_in_time_says_how_to_get_it(run, tmp_path, monkeypatch):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    out = tmp_path / "bilan.pdf"
    master = ROOT / "examples" / "suivi_fictif" / "pilotage_2025_fictif.xlsx"
    result = run("bilan", master, "-o", out, "--delai", "1")
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "dans le délai de 1 s" in lines[0]
    assert ("écrivez le bilan en .docx (-o bilan.docx) puis exportez-le en PDF depuis Word "
            "ou LibreOffice") in lines[0]
    assert not out.exists()
    assert list(temp.iterdir()) == []
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".ctgxl-")] == []
