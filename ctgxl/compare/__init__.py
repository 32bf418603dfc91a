"""Comparing and merging versions of a plan: pure functions over ``Plan``.

``diff_plans(old, new)`` says what changed, row by row and field by field;
``merge_plans(base, local, remote)`` combines two edited copies of the same
plan. Neither reads nor writes files.
"""

from .diff import FieldChange, PlanDiff, RowChange, TableDiff, diff_plans
from .merge import Conflict, MergeResult, merge_plans

__all__ = ["Conflict", "FieldChange", "MergeResult", "PlanDiff", "RowChange", "TableDiff",
           "diff_plans", "merge_plans"]
