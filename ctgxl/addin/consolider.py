"""*Consolider*: the coordinator's master workbook gathers the services' workbooks.

The sources are the workbooks attached by the task pane (server) or given as
paths (local ``RunPython``), else the paths listed in column A of a
« Sources » sheet of the master workbook (local only: the server never opens
a path it is sent). They are read, checked and gathered exactly as by
``ctgxl consolidate`` (``consolidation.io.load_sources`` then
``pipeline.gather_loaded``): the same checks (the files' dropdown lists
included), the same refusal when a file has erreurs or the files clash
(unless « forcer »), the same figures. This module writes them as values into
a « Synthèse » sheet of the open workbook (emptied and rewritten at each run):
key figures, the files and their check status, actions per thématique and
statut, per year, the main porteurs, and what looks wrong across files.

The charts and the consolidated table sheets of ``ctgxl consolidate -o`` are
not drawn here: xlwings' remote protocol has no portable chart action, and the
master's own sheets are left as the coordinator keeps them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..wording import plural
from .book import AddinError, Outcome, find_sheet, fresh_sheet, sheet_grid, write_rows

SOURCES_SHEET = "Sources"
SUMMARY_SHEET = "Synthèse"


def listed_sources(book, folder: Path | None) -> list[Path]:
    """Paths in column A of « Sources » (below its header), relative to ``folder``."""
    sheet = find_sheet(book, SOURCES_SHEET)
    if sheet is None:
        return []
    paths = []
    for row in sheet_grid(sheet)[1:]:
        value = row[0] if row else None
        if isinstance(value, str) and value.strip():
            path = Path(value.strip())
            paths.append(path if path.is_absolute() or folder is None else folder / path)
    return paths


def consolider(book, sources: Sequence[Path], rules=None, *, force: bool = False,
               names: Sequence[str] | None = None) -> Outcome:
    """Consolidate the workbooks ``sources`` (named ``names``, else by their file names) and
    write the « Synthèse » of the open workbook; refuse as ``ctgxl consolidate`` does."""
    from ..consolidation.io import load_sources
    from ..consolidation.pipeline import REFUSED, UNUSABLE, gather_loaded
    from ..territory import of_meta
    from ..validation import load_rules

    if not sources:
        raise AddinError("Consolider : aucun classeur à consolider. Choisissez les classeurs "
                         "des services dans le volet ctgxl (ou listez leurs chemins dans la "
                         f"colonne A d'une feuille « {SOURCES_SHEET} » en mode local).")
    names = list(names) if names is not None else [Path(p).name for p in sources]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise AddinError("Consolider : plusieurs classeurs portent le même nom ("
                         + ", ".join(f"« {n} »" for n in twice) + ") ; renommez-les.")
    rules = rules or load_rules()
    loaded = load_sources([Path(p) for p in sources], rules, workers=1)
    loaded = [replace(item, path=Path(name)) for item, name in zip(loaded, names)]
    outcome = gather_loaded(loaded, names, rules, force=force)
    if outcome.status == UNUSABLE:
        first = outcome.unusable[0]
        raise AddinError(f"Consolider : fichier « {first.path} » : {first.error}.")
    if outcome.status == REFUSED:
        raise AddinError(_refusal(outcome))
    consolidation, summary = outcome.consolidation, outcome.summary
    checks = {name: item.report.counts for name, item in zip(names, outcome.loaded)}
    figures = summary.to_dict()

    territory = of_meta(consolidation.master.meta)
    rows: list[list[object]] = [
        ["Synthèse du plan d'actions — Convention Territoriale Globale"
         + (f" — {territory.label()}" if territory else "")],
        [f"Consolidé dans « {book.name} » à partir de {plural(len(sources), 'fichier')} "
         "de service" + (f" · période {summary.period[0]}–{summary.period[1]}"
                         if summary.period else "") + "."],
        *([f"Chiffres incomplets — {gap.sentence()}"] for gap in summary.gaps),
        [],
        ["Actions", "Offres (déclinaisons)", "Actions avec indicateurs",
         "Actions sans année"],
        [figures["actions"], figures["offres"], figures["actions_avec_indicateurs"],
         figures["actions_sans_annee"]],
        [],
        ["Fichiers consolidés"],
        ["Fichier", "Thématique", "Actions", "Offres", "Contrôle"],
    ]
    for source in consolidation.sources:
        rows.append([source.name, source.meta.thematique, source.actions,
                     source.rows.get("offres", 0), _status(checks[source.name])])
    rows += [[], ["Actions par thématique et par statut"],
             ["Thématique", "Actions", "Offres", "Avec indicateurs", *summary.statuts]]
    for item in figures["par_thematique"]:
        rows.append([item["thematique"], item["actions"], item["offres"],
                     item["actions_avec_indicateurs"],
                     *(item["statuts"].get(s, 0) for s in summary.statuts)])
    if figures["par_annee"]:
        rows += [[], ["Actions par année"], ["Année", "Actions en cours", "Actions à échéance"]]
        rows += [[y["annee"], y["actions_en_cours"], y["actions_a_echeance"]]
                 for y in figures["par_annee"]]
    if figures["porteurs"]:
        rows += [[], ["Principaux porteurs"], ["Porteur", "Actions", "Thématiques"]]
        rows += [[p["porteur"], p["actions"], p["thematiques"]] for p in figures["porteurs"]]
    rows += [[], ["Constats entre fichiers"], ["Gravité", "Code", "Fichier", "Message"]]
    rows += [[f.severity, f.code, f.file, f.message] for f in consolidation.findings]
    if not consolidation.findings:
        rows.append(["Aucun constat."])

    sheet = fresh_sheet(book, SUMMARY_SHEET)
    write_rows(sheet, rows)
    sheet.activate()
    errors = len(consolidation.errors)
    counts = {"fichiers": len(sources), "actions": summary.total_actions,
              "constats": len(consolidation.findings), "erreurs": errors}
    message = (f"Consolidation de {plural(len(sources), 'fichier')} : "
               f"{plural(summary.total_actions, 'action')}")
    if consolidation.findings:
        message += (f", {plural(len(consolidation.findings), 'constat')} entre fichiers "
                    f"(dont {plural(errors, 'erreur')})")
    return Outcome(message + f" ; voir la feuille « {SUMMARY_SHEET} ».", counts)


def _refusal(outcome) -> str:
    """The reason of a refusal, as ``ctgxl consolidate`` words it."""
    if outcome.refused_for == "validation":
        failing = outcome.failing
        shown = ", ".join(f"« {item.path.name} »" for item in failing[:5])
        more = f" et {plural(len(failing) - 5, 'autre')}" if len(failing) > 5 else ""
        return (f"Consolidation refusée : {plural(len(failing), 'fichier')} sur "
                f"{len(outcome.loaded)} {'ont' if len(failing) > 1 else 'a'} des erreurs "
                f"({shown}{more}). Vérifiez-les (bouton Vérifier dans chaque classeur) et "
                "corrigez-les, ou cochez « Consolider malgré les erreurs ».")
    errors = outcome.consolidation.errors
    detail = " ; ".join(f.message for f in errors[:3])
    return (f"Consolidation refusée : {plural(len(errors), 'erreur')} entre fichiers "
            f"({detail}). Corrigez-les, ou cochez « Consolider malgré les erreurs ».")


def _status(counts: dict[str, int]) -> str:
    parts = [plural(counts[s], s) for s in ("erreur", "avertissement") if counts.get(s)]
    return ", ".join(parts) or "conforme"
