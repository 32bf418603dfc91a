"""No surprise overwrite, one vocabulary of options, JSON from every command.

Every command that writes refuses an existing output unless ``--ecraser``, and always
refuses an output that Excel or LibreOffice holds open (its lock file sits beside it).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ctgxl.catalogue import TEMPLATE_VERSION
from ctgxl.cli import COMMANDS
from ctgxl.outputs import lock_files

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "source" / "plan_ctg_mont_de_marsan.txt"

# command -> (arguments with {a}, {b} two service workbooks and {t} the folder of outputs;
#             the file written; exit code of a normal run)
WRITERS = {
    "template": (["template", "-o", "{t}/vierge.xlsx"], "vierge.xlsx", 0),
    "consolidate": (["consolidate", "{a}", "{b}", "-o", "{t}/pilotage.xlsx", "--forcer"],
                    "pilotage.xlsx", 1),
    "merge": (["merge", "{a}", "{a}", "{a}", "-o", "{t}/fusion.xlsx"], "fusion.xlsx", 0),
    "diff": (["diff", "{a}", "{b}", "-o", "{t}/differences.xlsx"], "differences.xlsx", 1),
    "validate": (["validate", "{a}", "--annoter", "{t}/controle.xlsx"], "controle.xlsx", 1),
    "split": (["split", "{a}", "-d", "{t}"], "enfance.xlsx", 0),
    "import": (["import", str(SEED), "-d", "{t}"], "enfance.xlsx", 0),
    "regles": (["regles", "-d", "{t}"], "regles.toml", 0),
    "bilan": (["bilan", "{a}", "-o", "{t}/bilan.docx"], "bilan.docx", 0),
    "export": (["export", "{a}", "-d", "{t}"], "actions.csv", 0),
    "panorama": (["panorama", "{a}", "-o", "{t}/panorama.xlsx"], "panorama.xlsx", 0),
}


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "entrees"
    folder.mkdir()
    for name in ("enfance.xlsx", "jeunesse.xlsx"):
        shutil.copy(EXAMPLES / name, folder / name)
    out = tmp_path / "sorties"
    out.mkdir()
    return {"a": folder / "enfance.xlsx", "b": folder / "jeunesse.xlsx", "t": out}


def args_of(name: str, inputs) -> tuple[list[str], Path, int]:
    args, written, code = WRITERS[name]
    return [a.format(**inputs) for a in args], inputs["t"] / written, code


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_an_existing_output_is_replaced_only_with_ecraser(run, inputs, name):
    args, target, code = args_of(name, inputs)
    target.write_bytes(b"version precedente")
    refused = run(*args)
    assert refused.exit_code == 2, refused.output
    assert "existe" in refused.stderr and "déjà" in refused.stderr
    assert "--ecraser" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == b"version precedente"
    replaced = run(*args, "--ecraser")
    assert replaced.exit_code == code, replaced.output
    assert target.read_bytes() != b"version precedente"


@pytest.mark.parametrize("lock", [".~lock.{}#", "~${}"])
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_an_output_open_in_excel_or_libreoffice_is_never_replaced(run, inputs, name, lock):
    args, target, _ = args_of(name, inputs)
    target.write_bytes(b"ouvert")
    (target.parent / lock.format(target.name)).write_text("verrou")
    result = run(*args, "--ecraser")
    assert result.exit_code == 2, result.output
    assert "fichier ouvert dans Excel ou LibreOffice" in result.stderr
    assert target.read_bytes() == b"ouvert"


def test_excel_shortens_the_lock_of_a_long_name(tmp_path):
    target = tmp_path / "petite_enfance.xlsx"
    target.write_bytes(b"x")
    assert lock_files(target) == []
    (tmp_path / "~$tite_enfance.xlsx").write_bytes(b"")
    assert [p.name for p in lock_files(target)] == ["~$tite_enfance.xlsx"]


def test_a_lock_without_its_file_is_stale(run, inputs):
    (inputs["t"] / ".~lock.vierge.xlsx#").write_text("verrou")
    assert run("template", "-o", inputs["t"] / "vierge.xlsx").exit_code == 0


# -- one vocabulary of options -------------------------------------------------------------

def _options(run, name: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", run(name, "--help").output))


def test_one_name_per_idea_across_commands(run):
    for name in WRITERS:
        options = _options(run, name)
        assert "--ecraser" in options, name
        assert not options & {"--force", "--overwrite", "--remplacer"}, name
    for name in ("import", "split", "regles", "export"):
        assert {"-d", "--dossier"} <= _options(run, name), name
    for name in ("template", "consolidate", "merge", "diff", "bilan"):
        assert {"-o", "--sortie"} <= _options(run, name), name
    assert "--forcer" in _options(run, "consolidate")


# -- JSON from every command ---------------------------------------------------------------

JSON_RUNS = {
    "template": ["template", "-o", "{t}/vierge.xlsx"],
    "info": ["info", "{a}"],
    "import": ["import", str(SEED), "-d", "{t}"],
    "validate": ["validate", "{a}"],
    "diff": ["diff", "{a}", "{b}"],
    "merge": ["merge", "{a}", "{a}", "{a}", "-o", "{t}/fusion.xlsx"],
    "consolidate": ["consolidate", "{a}", "{b}", "-o", "{t}/pilotage.xlsx", "--forcer"],
    "split": ["split", "{a}", "-d", "{t}"],
    "regles": ["regles", "-d", "{t}"],
    "bilan": ["bilan", "{a}", "-o", "{t}/bilan.docx"],
    "export": ["export", "{a}", "-d", "{t}", "--compte-rendu", "json"],   # then --format json
    "panorama": ["panorama", "{a}", "-o", "{t}/panorama.xlsx", "--compte-rendu", "json"],
}
# --format chooses the data's format there, and its report is --compte-rendu json
NOT_FORMAT_JSON = {"panorama"}


def test_every_command_but_serve_and_aide_has_a_json_run():
    """(serve answers HTTP; aide prints the help and the guides, nothing to compute)"""
    assert set(JSON_RUNS) == set(COMMANDS) - {"serve", "aide"}


@pytest.mark.parametrize("name", sorted(JSON_RUNS))
def test_every_command_prints_documented_json(run, inputs, name):
    result = run(*(a.format(**inputs) for a in JSON_RUNS[name]),
                 *(() if name in NOT_FORMAT_JSON else ("--format", "json")))
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    schema = document["schema"]
    assert schema.startswith("ctgxl-")
    documented = "".join(p.read_text(encoding="utf-8")
                         for p in [ROOT / "README.md", *(ROOT / "ctgxl" / "guides").glob("*.md")])
    assert f"`{schema.split('/')[0]}" in documented, f"{schema} is not documented"


def test_info_json_says_what_the_workbook_holds(run, inputs):
    document = json.loads(run("info", inputs["a"], "--format", "json").stdout)
    assert document["thematique"] == "Enfance" and document["template_version"] == TEMPLATE_VERSION
    assert document["rows"] == {"Actions": 88, "Offres": 135, "Plan": 46, "Indicateurs": 131,
                                "Suivi": 0}


def test_import_json_lists_the_workbooks_written(run, inputs):
    document = json.loads(run("import", SEED, "-d", inputs["t"], "--format", "json").stdout)
    assert sum(t["actions"] for t in document["thematiques"]) == 206
    assert len(document["written"]) == 5
    assert all(Path(p).is_file() for p in document["written"])
