"""The deployment chapter of ctgxl/guides/addin.md can be followed as written: its systemd unit is
valid, its service command lines are ``ctgxl serve`` commands, its options exist, and the
answers it shows (``/sante``, a call without the token) are the server's."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess

import pytest

from conftest import ROOT

DOC = (ROOT / "ctgxl" / "guides" / "addin.md").read_text(encoding="utf-8")


def block(language: str, containing: str) -> str:
    found = [b for b in re.findall(rf"```{language}\n(.*?)```", DOC, re.DOTALL)
             if containing in b]
    assert len(found) == 1, f"one ```{language} block with {containing!r} expected"
    return found[0]


UNIT = block("ini", "[Unit]")


def exec_start() -> list[str]:
    line = next(x for x in UNIT.splitlines() if x.startswith("ExecStart="))
    return shlex.split(line.removeprefix("ExecStart="))


def nssm_install() -> list[str]:
    line = next(x for x in block("powershell", "nssm install").splitlines()
                if x.startswith("nssm install "))
    return line.split()[3:]          # nssm install ctgxl <program> <arguments…>


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze absent")
def test_the_systemd_unit_of_the_guide_is_valid(tmp_path):
    program = tmp_path / "ctgxl"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    unit = tmp_path / "ctgxl.service"
    unit.write_text(UNIT.replace(exec_start()[0], str(program)), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


@pytest.mark.parametrize("command", [exec_start, nssm_install], ids=["systemd", "nssm"])
def test_the_services_run_ctgxl_serve_with_options_it_has(command):
    from ctgxl.commands.serve import command as serve

    program, name, *arguments = command()
    assert program.endswith(("/bin/ctgxl", "\\Scripts\\ctgxl.exe")) and name == "serve"
    context = serve.make_context("serve", list(arguments))   # raises on an unknown option
    assert context.params["host"] == "0.0.0.0" and context.params["port"] == 8443
    assert context.params["public_url"] == "https://ctg.exemple.fr:8443"
    assert context.params["certfile"] is not None and context.params["keyfile"] is not None


def test_the_options_the_guide_lists_are_options_of_ctgxl_serve():
    from ctgxl.commands.serve import command as serve

    documented = set(re.findall(r"^\| `(--[a-z-]+)", DOC, re.MULTILINE))
    known = {option for param in serve.params for option in param.opts}
    assert {"--processus", "--file-attente", "--delai-entetes", "--delai-corps",
            "--connexions-max"} <= documented
    assert documented <= known


def test_the_health_answer_and_the_refusal_the_guide_shows_are_the_servers():
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from ctgxl import __version__
    from ctgxl.addin.server import Settings, create_app

    client = TestClient(create_app(Settings(token="jeton", workers=2)))
    shown = json.loads(block("json", '"statut"'))
    assert client.get("/sante").json() == {**shown, "ctgxl": __version__}

    curl = block("bash", "curl -s -X POST")
    refused = client.post("/xlwings/custom-scripts-call/verifier", json={})
    assert refused.status_code == 401
    said = re.search(r'# (\{"erreur":.*\})', curl).group(1)
    prefix = json.loads(said.replace("(…)", "").replace("…", ""))["erreur"].rstrip(".")
    assert refused.json()["erreur"].startswith(prefix.strip())
