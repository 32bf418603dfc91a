"""Properties every three-way merge must have, over generated plans."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compare_helpers import edited, plans
from ctgxl.catalogue import TABLE_SHEETS
from ctgxl.compare import diff_plans, merge_plans

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def triples(draw):
    base = draw(plans())
    return base, draw(edited(base)), draw(edited(base))


@SETTINGS
@given(triples())
def test_taking_only_local_changes_gives_local(triple):
    base, local, _ = triple
    result = merge_plans(base, local, base)
    assert result.plan == local
    assert result.conflicts == ()


@SETTINGS
@given(triples())
def test_taking_only_remote_changes_gives_remote(triple):
    base, _, remote = triple
    for prefer in ("local", "distant"):
        result = merge_plans(base, base, remote, prefer=prefer)
        assert result.plan == remote
        assert result.conflicts == ()


@SETTINGS
@given(triples())
def test_the_same_changes_on_both_sides_are_taken_once(triple):
    base, local, _ = triple
    result = merge_plans(base, local, local)
    assert result.plan == local
    assert result.conflicts == ()


def _symmetric_view(conflicts, swapped=False):
    swap_kind = {"supprimee-en-local": "supprimee-a-distance",
                 "supprimee-a-distance": "supprimee-en-local"}
    view = []
    for c in conflicts:
        kind, local, remote = c.kind, c.local, c.remote
        if swapped:
            kind, local, remote = swap_kind.get(kind, kind), remote, local
        view.append((c.table, kind, c.key, c.column, c.base, local, remote))
    return sorted(view, key=repr)


@SETTINGS
@given(triples())
def test_conflicts_are_symmetric_in_local_and_remote(triple):
    base, local, remote = triple
    one = merge_plans(base, local, remote).conflicts
    other = merge_plans(base, remote, local).conflicts
    assert _symmetric_view(one) == _symmetric_view(other, swapped=True)


@SETTINGS
@given(triples(), st.sampled_from(["local", "distant"]))
def test_nothing_is_lost(triple, prefer):
    """Every value LOCAL or DISTANT wrote (changed or added, compared with BASE)
    is in the merged plan or in the conflict list."""
    base, local, remote = triple
    result = merge_plans(base, local, remote, prefer=prefer)
    for side, version in (("local", local), ("distant", remote)):
        diff = diff_plans(base, version)
        for sheet in TABLE_SHEETS:
            merged = result.plan.table(sheet.key)
            for change in diff.table(sheet.key).rows:
                if change.kind == "removed":
                    continue
                written = (change.changes if change.kind != "added" else
                           [(k, v) for k, v in zip(sheet.keys, change.new_row) if v is not None])
                for item in written:
                    column, value = (item.column, item.new) if hasattr(item, "column") else item
                    in_result = value in merged.column(column)
                    in_conflicts = any(
                        c.table == sheet.key and c.column == column
                        and (c.local if side == "local" else c.remote) == value
                        for c in result.conflicts)
                    assert in_result or in_conflicts, (side, sheet.key, column, value)


@SETTINGS
@given(triples())
def test_the_kept_value_is_in_the_merged_row(triple):
    base, local, remote = triple
    for prefer in ("local", "distant"):
        result = merge_plans(base, local, remote, prefer=prefer)
        for c in result.conflicts:
            assert c.kept == prefer
            if c.table == "meta":
                assert getattr(result.plan.meta, c.column) == c.kept_value
            elif c.index is not None:
                table = result.plan.table(c.table)
                assert table.rows[c.index][table.sheet.position(c.column)] == c.kept_value
            else:  # the kept side deleted the row
                assert c.kept_value is None


@SETTINGS
@given(triples())
def test_diff_of_a_plan_with_itself_is_empty_and_diff_is_exhaustive(triple):
    base, local, _ = triple
    assert diff_plans(base, base).identical
    diff = diff_plans(base, local)
    # Rows are matched by key, not by position: rows only put in another order are no
    # difference (a service sorting its sheet), anything else is.
    if base == local:
        assert diff.identical
    if diff.identical:
        assert base.meta == local.meta
        for sheet in TABLE_SHEETS:
            assert sorted(map(repr, base.table(sheet.key).rows)) == \
                sorted(map(repr, local.table(sheet.key).rows))
    for sheet in TABLE_SHEETS:
        d = diff.table(sheet.key)
        old_rows = len(base.table(sheet.key))
        new_rows = len(local.table(sheet.key))
        matched = d.unchanged + len(d.modified) + len(d.cosmetic)
        assert matched + len(d.removed) == old_rows
        assert matched + len(d.added) == new_rows
