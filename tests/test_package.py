"""ctgxl is a self-contained program: what it needs at run time is inside the package.

``.ci/run`` also installs the wheel in a fresh virtual environment and runs the README's
main command from another folder; the tests here check the same without the network.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ctgxl.cli import ALIASES, COMMANDS
from ctgxl.vocabulary import default_rules_dir

ROOT = Path(__file__).resolve().parent.parent
DATA = ("regles.toml", "listes.toml")


def test_the_rules_are_shipped_inside_the_package():
    assert default_rules_dir() == ROOT / "ctgxl" / "data"


@pytest.mark.parametrize("name", DATA)
def test_the_documented_copy_in_validation_is_the_shipped_one(name):
    shipped = (ROOT / "ctgxl" / "data" / name).read_bytes()
    assert (ROOT / "validation" / name).read_bytes() == shipped, \
        f"validation/{name} differs: run « ctgxl regles -d validation --ecraser »"


def test_regles_gives_an_editable_copy_that_validate_uses(run, tmp_path):
    folder = tmp_path / "mes_regles"
    result = run("regles", "-d", folder)
    assert result.exit_code == 0, result.output
    for name in DATA:
        assert (folder / name).read_bytes() == (default_rules_dir() / name).read_bytes()
    rules = folder / "regles.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(re.sub(r"(?m)^debut = \d{4}", "debut = 2025", text, count=1),
                     encoding="utf-8")
    again = run("regles", "-d", folder)
    assert again.exit_code == 2 and "--ecraser" in again.stderr
    assert "debut = 2025" in rules.read_text(encoding="utf-8")   # edits are not lost
    import json

    doc = json.loads(run("validate", "--regles", folder, ROOT / "examples" / "enfance.xlsx",
                         "--format", "json").stdout)
    assert doc["rules"]["period"] == [2025, 2027]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built as ``pip wheel`` builds it (needs setuptools and wheel)."""
    pytest.importorskip("setuptools")
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        pytest.skip(f"pip wheel impossible here: {result.stderr[-300:]}")
    (path,) = out.glob("ctgxl-*.whl")
    return path


def test_the_wheel_holds_the_rules_lists_and_addin_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (*(f"ctgxl/data/{n}" for n in DATA), "ctgxl/addin/static/manifest.xml",
                 "ctgxl/addin/ctgxl.bas", "ctgxl/commands/regles.py",
                 *(f"ctgxl/guides/{p.name}" for p in (ROOT / "ctgxl" / "guides").glob("*.md"))):
        assert name in names, name
    assert not any(n.startswith(("tests/", "validation/", "templates/", "examples/"))
                   for n in names)


def test_the_installed_wheel_works_from_another_folder(wheel, tmp_path):
    """The wheel's code, unpacked away from the checkout (its dependencies are those of this
    environment), runs template and validate from an unrelated folder."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "ailleurs"
    work.mkdir()
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import ctgxl; "
            "assert ctgxl.__file__.startswith(sys.argv[1]), ctgxl.__file__; "
            "from ctgxl.cli import main; main(sys.argv[2:])")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def ctgxl(*args):
        return subprocess.run([sys.executable, "-c", code, str(site), *map(str, args)],
                              cwd=work, capture_output=True, text=True, env=env, timeout=120)

    made = ctgxl("template", "-o", "vierge.xlsx", "--thematique", "Enfance")
    assert made.returncode == 0, made.stderr
    assert ctgxl("validate", "vierge.xlsx").returncode == 0
    checked = ctgxl("validate", ROOT / "examples" / "enfance.xlsx")
    assert checked.returncode == 1 and "Des erreurs sont à corriger." in checked.stdout
    assert ctgxl("regles", "-d", "mes_regles").returncode == 0


def test_the_readme_lists_every_command_and_its_french_name():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `ctgxl ")]
    listed = {re.match(r"\| `ctgxl (\w+)", line).group(1) for line in rows}
    assert listed == set(COMMANDS)
    for line in rows:
        name = re.match(r"\| `ctgxl (\w+)", line).group(1)
        french = re.match(r"\| `[^`]+` \| *(?:`(\w+)`)? *\|", line).group(1)
        if french:
            assert ALIASES[french] == name, line


def test_the_readme_has_exactly_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    setup = [b for b in blocks if "pip install" in b]
    assert [b.strip() for b in setup] == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && "
        "ctgxl consolidate examples/*.xlsx -o master.xlsx --forcer",
        'pip install -q -e ".[dev]" && python -m pytest']
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q -e ".[dev]" && python -m pytest' in ci
    assert "ctgxl consolidate \"$ROOT\"/examples/*.xlsx -o master.xlsx --forcer" in ci
