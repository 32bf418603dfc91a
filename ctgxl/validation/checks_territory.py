"""The check of the territory a workbook names (hidden sheet « _ctgxl », template 1.2)."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalogue import TEMPLATE_VERSION
from ..territory import check_code
from .context import Context
from .registry import Hit, Verdict, register


@register("territoire", "plan", ("code-territoire-invalide", "territoire-absent"),
          "Le code du territoire est un SIREN (9 chiffres, clé de contrôle juste) ou un code "
          "INSEE de commune ; un classeur du modèle actuel indique son territoire, sauf si les "
          "règles le donnent.")
def territory(ctx: Context) -> Iterator[Hit]:
    meta = ctx.plan.meta
    code = meta.code_territoire
    if code:
        problem = check_code(code)
        if problem is not None:
            yield Hit(None, None, Verdict("code-territoire-invalide", value=code,
                                          variant=problem, params={"nom": meta.territoire or ""}))
        return
    # older templates say it in their « modele-anterieur » note; the rules may give it
    if not ctx.from_file or meta.template_version != TEMPLATE_VERSION \
            or ctx.rules.territory_code:
        return
    yield Hit(None, None, Verdict("territoire-absent", value=meta.territoire,
                                  variant="nom" if meta.territoire else None))


def with_territory_clashes(files: tuple, loaded, rules) -> tuple:
    """The reports ``files`` of workbooks ``loaded`` together (``validate`` of several
    files), a ``territoire-different`` finding added to each that names another territory
    than the others."""
    from dataclasses import replace

    from ..consolidation.core import source_names
    from ..territory import clash_findings, of_meta, territory_clashes

    names = source_names([item.path for item in loaded])   # short, distinct: for messages
    named = [(name, of_meta(item.plan.meta)) for name, item in zip(names, loaded)
             if item.plan is not None]
    if len(named) < 2:
        return files
    found = {f.file: f for f in clash_findings(
        territory_clashes(named, rules.territory_of_rules), rules)}
    if not found:
        return files
    return tuple(replace(report, findings=(replace(found[name], file=report.file),
                                           *report.findings))
                 if name in found and report.error is None else report
                 for name, report in zip(names, files))
