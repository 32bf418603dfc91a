"""Properties of ``resolve_plan`` over generated merges: choosing a side everywhere gives
what ``merge_plans`` gives when that side is preferred, and JSON references round-trip."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compare_helpers import edited, plans
from ctgxl.catalogue import TABLE_SHEETS
from ctgxl.compare import merge_plans
from ctgxl.compare.choices import Choice, decode_ref, encode_ref
from ctgxl.compare.conflicts_sheet import conflict_rows
from ctgxl.compare.resolve import resolve_plan

SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def merges(draw):
    base = draw(plans())
    local, remote = draw(edited(base)), draw(edited(base))
    return base, local, remote, merge_plans(base, local, remote)


def choices_for(result, inputs, word):
    """The « Conflits » sheet as written, read back, with ``word`` typed everywhere."""
    rows = [decode_ref(encode_ref(row)) for row in conflict_rows(result, inputs)]
    return [Choice(row, word, n) for n, row in enumerate(rows, start=8)]


def same_rows(plan, other):
    """Same meta and, per table, the same rows in any order."""
    assert plan.meta == other.meta
    for sheet in TABLE_SHEETS:
        assert sorted(map(repr, plan.table(sheet.key).rows)) == sorted(
            map(repr, other.table(sheet.key).rows)), sheet.key


@SETTINGS
@given(merges())
def test_choosing_the_kept_side_everywhere_changes_nothing(merge):
    base, local, remote, result = merge
    if result.notes:            # duplicated keys: a choice may not find its row
        return
    resolution = resolve_plan(result.plan, choices_for(result, (base, local, remote), "Local"))
    assert resolution.remaining == ()
    assert resolution.plan == result.plan


@SETTINGS
@given(merges())
def test_choosing_distant_everywhere_gives_the_merge_that_prefers_distant(merge):
    base, local, remote, result = merge
    if result.notes:
        return
    resolution = resolve_plan(result.plan, choices_for(result, (base, local, remote),
                                                       "Distant"))
    assert resolution.remaining == ()
    same_rows(resolution.plan, merge_plans(base, local, remote, prefer="distant").plan)
