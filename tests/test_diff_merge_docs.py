"""docs/diff-merge.md documents the JSON that diff and merge really print."""

from __future__ import annotations

import json
import re

from compare_helpers import rebuild, write
from conftest import ROOT
from workbooks import small_plan

DOC = (ROOT / "ctgxl" / "guides" / "diff-merge.md").read_text(encoding="utf-8")


def documented():
    """Schema -> its first example; a second example of the same schema (merge --resoudre)
    is under ``schema + "+resoudre"``."""
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", DOC, re.DOTALL)]
    docs = {}
    for b in blocks:
        docs[b["schema"] if b["schema"] not in docs else b["schema"] + "+resoudre"] = b
    return docs


def test_documented_json_keys_match_the_output(run, tmp_path):
    base = small_plan(3)
    rows = base.actions.records()
    rows[1]["porteur"] = "CCAS"
    local = rebuild(base, actions=rows)
    rows = base.actions.records()
    rows[1]["porteur"] = "Relais petite enfance"
    remote = rebuild(base, actions=rows)
    versions = ((base, "b"), (local, "l"), (remote, "r"))
    paths = [write(p, tmp_path / f"{n}.xlsx") for p, n in versions]
    docs = documented()

    diff = json.loads(run("diff", paths[0], paths[1], "--format", "json").stdout)
    doc = docs["ctgxl-diff/1"]
    assert set(diff) == set(doc)
    assert set(diff["summary"]["actions"]) == set(doc["summary"]["actions"])
    assert set(diff["tables"]) == set(doc["tables"])
    (entry,) = diff["tables"]["actions"]
    assert set(entry) == set(doc["tables"]["actions"][0])
    assert set(entry["changes"][0]) == set(doc["tables"]["actions"][0]["changes"][0])

    merge = json.loads(run("merge", *paths, "-o", tmp_path / "f.xlsx", "--format", "json").stdout)
    doc = docs["ctgxl-merge/1"]
    assert set(merge) == set(doc)
    assert set(merge["applied"]["local"]) == set(doc["applied"]["local"])
    assert set(merge["conflicts"][0]) == set(doc["conflicts"][0])
    for field in doc["conflicts"][0]:
        assert f"`{field}`" in DOC, field
    for field in ("input", "resolved"):
        assert f"`{field}`" in DOC, field

    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "f.xlsx")
    wb["Conflits"]["K8"] = "Distant"
    wb.save(tmp_path / "choix.xlsx")
    resolved = run("merge", "--resoudre", tmp_path / "choix.xlsx", "-o", tmp_path / "resolu.xlsx",
                   "--format", "json")
    assert resolved.exit_code == 0, resolved.output
    resolved = json.loads(resolved.stdout)
    doc = docs["ctgxl-merge/1+resoudre"]
    assert set(resolved) == set(doc) == set(merge)
    assert set(resolved["resolved"][0]) == set(doc["resolved"][0])
    for field in set(doc["resolved"][0]) - set(docs["ctgxl-merge/1"]["conflicts"][0]):
        assert f"`{field}`" in DOC, field
