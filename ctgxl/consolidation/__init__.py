"""Consolidation of service workbooks into one master file, and the way back.

Library entry points (``ctgxl consolidate`` and ``ctgxl split`` only read,
call and render):

    from ctgxl.consolidation import consolidate_plans, split_plan, summarize
    result = consolidate_plans([("enfance.xlsx", plan_enfance), ("jeunesse.xlsx", plan_j)])
    result.master, result.findings, result.sources
    split_plan(result.master, by="source", sources=result.sources)  # name -> Plan

All are pure functions over ``Plan``; reading and writing files is left to
``io.py`` and the commands. The « Synthèse », « Calendrier » and « Sources »
sheets of the master are built by ``dashboard``, ``timeline`` and ``sources``.
"""

from __future__ import annotations

from .core import Consolidation, Source, consolidate_plans, source_names
from .split import NO_SOURCE, NO_THEMATIQUE, split_plan
from .summary import Summary, summarize

__all__ = ["Consolidation", "NO_SOURCE", "NO_THEMATIQUE", "Source", "Summary",
           "consolidate_plans", "source_names", "split_plan", "summarize"]
