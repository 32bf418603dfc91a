"""Validation of a CTG plan: rules as data, pandera schemas, cell-precise French findings.

Library entry points (``ctgxl validate`` only parses options and renders):

    from ctgxl.validation import load_rules, validate_file, validate_plan, validate_plans
    report = validate_file("enfance.xlsx", load_rules("mes_regles"))
    report.exit_code(), report.to_dict()
    reports = validate_plans(plans, rules)   # one report per plan, checked in batches

Importing this package and loading rules are cheap (rules are plain TOML data);
pandas and pandera load when a plan is checked, or when ``verify_rules`` checks
the rules against the registry of checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .report import FileReport, Report, ValidationFinding
from .rules import Rules, load_rules

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from ..model import Plan

__all__ = ["FileReport", "Report", "Rules", "ValidationFinding", "load_rules",
           "checker", "validate_file", "validate_files", "validate_plan", "validate_plans",
           "verify_rules"]


def verify_rules(rules: Rules) -> Rules:
    """Check the rules' check names and codes against the checks (imports them: pandas);
    see ``engine.verify_rules``. Validation does it anyway before its first run."""
    from .engine import verify_rules as run

    return run(rules)


def validate_plan(plan: Plan, rules: Rules | None = None) -> Report:
    """Check an in-memory plan; see ``engine.validate_plan``."""
    from .engine import validate_plan as run

    return run(plan, rules)


def validate_plans(plans: Iterable[Plan], rules: Rules | None = None) -> list[Report]:
    """``[validate_plan(p, rules) for p in plans]``, much faster for many plans; see
    ``engine.validate_plans``."""
    from .engine import validate_plans as run

    return run(plans, rules)


def validate_file(path: str | Path, rules: Rules | None = None) -> Report:
    """Read and check one workbook; raises ``UnusableInputError``."""
    from .engine import validate_file as run

    return run(path, rules)


def validate_files(paths, rules: Rules | None = None, *, advance=lambda: None) -> Report:
    """Read and check several workbooks; unusable ones are recorded in the report
    (``advance()`` after each file read); see ``engine.validate_files``."""
    from .engine import validate_files as run

    return run(paths, rules, advance=advance)


def checker(rules: Rules | None = None):
    """The batch check of ``loading.load_workbooks``; see ``engine.checker``."""
    from .engine import checker as make

    return make(rules)
