"""Entity-expansion attacks ("billion laughs") hidden in a workbook are refused."""

from __future__ import annotations

import zipfile

import pytest

from ctgxl.errors import UnusableInputError
from ctgxl.reader import read_plan
from ctgxl.writer import write_plan
from workbooks import small_plan

DOCTYPE = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
           + "]>")
ACTIONS_PART = "xl/worksheets/sheet2.xml"


def bomb_workbook(tmp_path):
    source = write_plan(small_plan(1), tmp_path / "sain.xlsx")
    out = tmp_path / "piege.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == ACTIONS_PART:
                text = data.decode("utf-8")
                assert "ENF-001" in text
                data = (DOCTYPE + text.replace("ENF-001", "&lol9;", 1)).encode("utf-8")
            zout.writestr(item, data)
    return out


def test_openpyxl_uses_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_openpyxl_refuses_the_bomb(tmp_path):
    from defusedxml import DefusedXmlException
    from openpyxl import load_workbook

    with pytest.raises(ValueError) as info:
        load_workbook(bomb_workbook(tmp_path))
    assert isinstance(info.value.__cause__, DefusedXmlException)


def test_reader_does_not_expand_the_bomb(tmp_path):
    path = bomb_workbook(tmp_path)
    try:
        plan = read_plan(path)
    except UnusableInputError:
        return
    longest = max((len(str(v)) for t in plan.tables for r in t.rows for v in r if v), default=0)
    assert longest < 10_000
