"""``ctgxl serve`` refusals, and the core staying free of xlwings and FastAPI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ctgxl.commands.serve import is_loopback


def test_core_modules_never_import_xlwings():
    code = ("import sys, ctgxl.reader, ctgxl.writer, ctgxl.validation, ctgxl.compare, "
            "ctgxl.addin.book, ctgxl.addin.verifier, ctgxl.addin.comparer\n"
            "print('XL', 'xlwings' in sys.modules, 'fastapi' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "XL False False" in out.stdout


def test_serve_help_is_french(run):
    result = run("serve", "--help")
    assert result.exit_code == 0
    assert "CTGXL_ADDIN_TOKEN" in result.output and "XLWINGS_LICENSE_KEY" in result.output


def test_serve_without_the_addin_extra_says_how_to_install(run, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("xlwings", "fastapi") else real(name, *a))
    result = run("serve")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ['ctgxl : erreur : le serveur du complément demande xlwings, fastapi : '
                     'installez-les avec pip install -e ".[addin]"']


def test_serve_refuses_a_network_host_without_token(run, monkeypatch):
    monkeypatch.delenv("CTGXL_ADDIN_TOKEN", raising=False)
    result = run("serve", "--host", "0.0.0.0")
    assert result.exit_code == 2
    assert "CTGXL_ADDIN_TOKEN" in result.stderr and "0.0.0.0" in result.stderr


def test_serve_needs_the_xlwings_licence_key(run, monkeypatch):
    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    result = run("serve")
    assert result.exit_code == 2
    assert "XLWINGS_LICENSE_KEY=noncommercial" in result.stderr


def test_serve_certificate_and_key_go_together(run, monkeypatch, tmp_path):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    result = run("serve", "--certificat", tmp_path / "c.pem")
    assert result.exit_code == 2
    assert "--certificat et --cle" in result.stderr


@pytest.mark.parametrize("host,expected", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.10", False), ("::", False),
    ("ctg.example.fr", False)])
def test_loopback_hosts(host, expected):
    assert is_loopback(host) is expected
