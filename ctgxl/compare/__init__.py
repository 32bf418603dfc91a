"""Comparing and merging versions of a plan: pure functions over ``Plan``.

``diff_plans(old, new)`` says what changed, row by row and field by field;
``merge_plans(base, local, remote)`` combines two edited copies of the same
plan; ``resolve_plan`` (in ``resolve``) applies the choices written in the
« Conflits » sheet of a merged workbook. None of them reads or writes files.
"""

from .diff import FieldChange, PlanDiff, RowChange, TableDiff, diff_plans
from .merge import Conflict, MergedChange, MergeResult, merge_plans

__all__ = ["Conflict", "FieldChange", "MergedChange", "MergeResult", "PlanDiff", "RowChange",
           "TableDiff", "diff_plans", "merge_plans"]
