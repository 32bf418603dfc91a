"""Findings: what ctgxl has to say about a workbook, as data.

A finding names where (file, sheet, cell) and what (stable code, severity,
French message, suggestion). The reader emits notes (``information`` or
``avertissement``) about what it had to interpret; validation emits
``erreur`` and ``avertissement``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["erreur", "avertissement", "information"]
SEVERITIES: tuple[Severity, ...] = ("erreur", "avertissement", "information")
# The one colour of each severity, wherever a finding is shown in a workbook (annotated copy,
# add-in, Sources sheet of a master): red, orange, blue.
SEVERITY_COLOURS: dict[str, str] = {"erreur": "FF9C9C", "avertissement": "FFC97F",
                                    "information": "DDEBF7"}

# The short French label of each finding code, as a reader sees it beside the message (the
# « Contrôles » sheet of an annotated copy). One place for every code: validation rules
# (``ctgxl.validation.registry.all_codes``), reading notes, consolidation and merge notes;
# each label sums up the line of the code in ctgxl/guides/validation.md (or ctgxl/guides/consolidation.md).
CODE_LABELS: dict[str, str] = {
    # validation (ctgxl/guides/validation.md « Ce qui est contrôlé »)
    "feuille-absente": "Feuille absente",
    "colonne-obligatoire-absente": "Colonne obligatoire absente",
    "colonne-renommee": "Colonne du modèle renommée",
    "colonne-necessaire-absente": "Colonne des chiffres absente",
    "feuille-vide": "Feuille vide",
    "version-modele-inconnue": "Version du modèle inconnue",
    "version-modele-absente": "Version du modèle absente",
    "champ-obligatoire": "Champ obligatoire vide",
    "champ-a-completer": "Champ à compléter",
    "valeur-hors-liste": "Valeur hors liste",
    "valeur-a-harmoniser": "Valeur à harmoniser",
    "nombre-invalide": "Nombre invalide",
    "annee-invalide": "Année invalide",
    "identifiant-mal-forme": "Identifiant mal formé",
    "identifiant-thematique": "Identifiant d'une autre thématique",
    "identifiant-en-double": "Identifiant en double",
    "numero-incoherent": "N° d'action incohérent",
    "echeances-sans-annee": "Échéances sans année",
    "echeances-hors-periode": "Échéance hors période",
    "debut-apres-fin": "Début après la fin",
    "oo-mal-forme": "Objectif opérationnel mal écrit",
    "oo-inconnu": "Objectif opérationnel inconnu",
    "oo-en-double": "Objectif opérationnel en double",
    "axe-libelle-incoherent": "Intitulés d'axe différents",
    "objectif-libelle-incoherent": "Intitulés d'objectif différents",
    "intitule-en-double": "Intitulé en double",
    "thematique-differente": "Autre thématique",
    "terme-obsolete": "Ancienne appellation",
    "action-inconnue": "Action inconnue",
    "offre-en-double": "Offre en double",
    "suivi-en-double": "Suivi en double",
    "indicateur-en-double": "Indicateur en double",
    "indicateur-inconnu": "Indicateur inconnu",
    "indicateur-sans-unite": "Indicateur sans unité",
    "nombre-non-numerique": "Valeur non numérique",
    "valeur-sans-indicateur": "Valeur sans indicateur",
    "suivi-annee-hors-periode": "Année de suivi hors période",
    "suivi-regression": "Statut en recul",
    "controle-impossible": "Contrôle impossible",
    "code-territoire-invalide": "Code du territoire invalide",
    "territoire-different": "Classeur d'un autre territoire",
    # reading notes
    "colonne-ajoutee": "Colonne ajoutée",
    "colonne-inconnue": "Colonne en double",
    "colonne-absente": "Colonne absente",
    "cellules-fusionnees": "Cellules fusionnées",
    "valeur-masquee": "Valeur masquée par une fusion",
    "ligne-hors-colonnes": "Ligne hors des colonnes",
    "en-tetes-introuvables": "En-têtes introuvables",
    "parametres-absents": "Paramètres absents",
    "modele-anterieur": "Modèle antérieur",
    # consolidation and merge
    "id-action-en-double": "ID action dans plusieurs fichiers",
    "thematique-en-double": "Thématique dans plusieurs fichiers",
    "listes-differentes": "Listes différentes",
    "version-differente": "Version du modèle différente",
    "axe-intitule-different": "Intitulé d'axe différent",
    "objectif-intitule-different": "Intitulé d'objectif différent",
    "oo-intitule-different": "Intitulé d'objectif opérationnel différent",
    "fichier-deja-consolide": "Fichier déjà consolidé",
    "fusion-identifiant-en-double": "Identifiant en double après fusion",
    "booleen-invalide": "Case vrai/faux invalide",
    # panorama (ctgxl/guides/panorama.md)
    "entree-introuvable": "Entrée introuvable",
    "fichier-ignore": "Fichier ignoré",
    "classeur-ouvert": "Classeur ouvert ailleurs",
    "fichier-inutilisable": "Classeur inutilisable",
    "territoire-absent": "Territoire sans code",
    "territoire-en-double": "Territoire donné deux fois",
}


def _fast_constructor():
    """``new_finding(code, severity, message, file, sheet, cell, row, column, header, value,
    suggestion, cells)``: the same finding as ``Finding(...)`` with every field given (cells
    included), made twice as fast — validation makes them by the hundred thousand, and a
    frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``. Built
    from the dataclass's own fields, so it cannot drift from them (tests/test_findings.py)."""
    from dataclasses import fields

    names = [f.name for f in fields(Finding)]
    scope = {"_new": object.__new__, "_Finding": Finding,
             **{f"_set_{n}": getattr(Finding, n).__set__ for n in names}}
    body = "".join(f"    _set_{n}(finding, {n})\n" for n in names)
    exec(f"def new_finding({', '.join(names)}):\n    finding = _new(_Finding)\n{body}"
         "    return finding\n", scope)
    return scope["new_finding"]


def code_label(code: str) -> str:
    """The French label of ``code`` (the code itself for a code without one)."""
    return CODE_LABELS.get(code, code)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing ctgxl has to say. Its fields, in this order, are its JSON form
    (``to_dict``, documented in ``ctgxl/guides/validation.md``): a report of 500,000 findings is
    written by orjson straight from the objects, without a dict per finding."""

    code: str
    severity: Severity
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    value: str | None = None
    suggestion: str | None = None
    cells: tuple[str, ...] = ()     # every cell involved, primary first; (cell,) by default

    def __post_init__(self) -> None:
        if not self.cells and self.cell:
            object.__setattr__(self, "cells", (self.cell,))

    def to_dict(self) -> dict[str, object]:
        """The one JSON shape of a finding: its fields, in order."""
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "file": self.file, "sheet": self.sheet, "cell": self.cell, "row": self.row,
                "column": self.column, "header": self.header, "value": self.value,
                "suggestion": self.suggestion, "cells": list(self.cells)}

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.sheet and self.row:
            return f"{self.sheet}, ligne {self.row}"
        return self.sheet or ""



new_finding = _fast_constructor()
