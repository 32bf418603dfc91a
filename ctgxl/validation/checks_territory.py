"""The check of the territory a workbook names (hidden sheet « _ctgxl », template 1.2)."""

from __future__ import annotations

from collections.abc import Iterator

from ..territory import check_code
from .context import Context
from .registry import Hit, Verdict, register


@register("territoire", "plan", ("code-territoire-invalide",),
          "Le code du territoire, quand le classeur en indique un, est un SIREN (9 chiffres, "
          "clé de contrôle juste) ou un code INSEE de commune.")
def territory(ctx: Context) -> Iterator[Hit]:
    """A workbook without a territory is not a fault of its service: ``ctgxl panorama``
    says so where it matters (and the reader's « modele-anterieur » for older templates)."""
    meta = ctx.plan.meta
    problem = check_code(meta.code_territoire)
    if problem is not None:
        yield Hit(None, None, Verdict("code-territoire-invalide", value=meta.code_territoire,
                                      variant=problem, params={"nom": meta.territoire or ""}))


def with_territory_clashes(files: tuple, loaded, rules) -> tuple:
    """The reports ``files`` of workbooks ``loaded`` together (``validate`` of several
    files), a ``territoire-different`` finding added to each that names another territory
    than the others."""
    from dataclasses import replace

    from ..consolidation.core import source_names
    from ..territory import clash_findings, territory_clashes, workbook_territory

    names = source_names([item.path for item in loaded])   # short, distinct: for messages
    fallback = rules.territory_of_rules
    named = [(name, workbook_territory(item.plan.meta, fallback))
             for name, item in zip(names, loaded) if item.plan is not None]
    if len(named) < 2:
        return files
    found = {f.file: f for f in clash_findings(territory_clashes(named), rules)}
    if not found:
        return files
    return tuple(replace(report, findings=(replace(found[name], file=report.file),
                                           *report.findings))
                 if name in found and report.error is None else report
                 for name, report in zip(names, files))
