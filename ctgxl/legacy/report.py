"""What the importer says about a legacy document, and what it produced.

Every line the importer could not place, and every line it had to interpret
(a lost heading, a shifted column, a header spelt differently…), becomes a
``ReportEntry``: the source line number as the user sees it in a text editor
(or the row number of the sheet), a stable kebab-case ``code`` and one French
sentence. ``information`` entries describe a layout variant that was read
without doubt; ``avertissement`` entries describe a decision the user should
check against the source.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from ..catalogue import ACTIONS, OFFRES
from ..model import Plan
from ..vocabulary import Thematique

Severity = Literal["information", "avertissement"]
INFO: Severity = "information"
WARNING: Severity = "avertissement"


@dataclass(frozen=True)
class ReportEntry:
    line: int | None
    code: str
    message: str
    severity: Severity = INFO
    thematique: str | None = None
    sheet: str | None = None
    place: str | None = None        # in a .docx/.odt: « tableau 12, ligne 3 »

    @property
    def where(self) -> str:
        if self.place:
            return self.place
        if self.line is None:
            return self.sheet or ""
        return f"{self.sheet}, ligne {self.line}" if self.sheet else f"ligne {self.line}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ImportedThematique:
    """One canonical plan built from one thématique section of the document."""

    thematique: Thematique
    plan: Plan
    origins: tuple[tuple[str, str], ...] = ()   # (ID action, where it is in the document)

    @property
    def file_name(self) -> str:
        return f"{self.thematique.fichier}.xlsx"


@dataclass(frozen=True)
class ImportResult:
    """The plans of a document, the report's entries and the document's text not imported
    (``ledger.NotImported``), with the characters of the document, imported and not."""

    source: str
    thematiques: tuple[ImportedThematique, ...]
    entries: tuple[ReportEntry, ...]
    encoding: str | None = None
    not_imported: tuple = ()
    characters: dict = field(default_factory=dict)

    @property
    def plans(self) -> dict[str, Plan]:
        """Plans by thématique label (« Enfance », « Jeunesse et vie étudiante »…)."""
        return {t.thematique.libelle: t.plan for t in self.thematiques}

    def plan(self, label: str) -> Plan:
        return self.plans[label]

    def entries_with(self, code: str) -> list[ReportEntry]:
        return [e for e in self.entries if e.code == code]

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "encoding": self.encoding,
            "thematiques": [
                {"thematique": t.thematique.libelle, "file": t.file_name,
                 "actions": len(t.plan.actions), "offres": len(t.plan.offres),
                 "plan": len(t.plan.plan), "indicateurs": len(t.plan.indicateurs),
                 "origins": dict(t.origins)}
                for t in self.thematiques],
            "entries": [e.to_dict() for e in self.entries],
            "characters": dict(self.characters),
            "not_imported": [n.to_dict() for n in self.not_imported],
        }


@dataclass
class Reporter:
    """Collects entries while parsing; knows the current thématique and sheet."""

    entries: list[ReportEntry] = field(default_factory=list)
    thematique: str | None = None

    def add(self, at: object, code: str, message: str, severity: Severity = INFO) -> None:
        """``at`` is a source row (anything with ``line`` and ``sheet``), a line number or None."""
        line = getattr(at, "line", at)
        sheet = getattr(at, "sheet", None)
        self.entries.append(ReportEntry(line, code, message, severity, self.thematique, sheet,
                                        getattr(at, "place", None)))

    def warn(self, at: object, code: str, message: str) -> None:
        self.add(at, code, message, WARNING)


def field_name(key: str) -> str:
    sheet = OFFRES if key == "offre" else ACTIONS
    return f"« {sheet.column(key).header} »"


def excerpt(text: str, size: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[:size - 1] + "…"


# One French line per kind of information, for summaries that group entries by code.
CODE_TITLES = {
    "encodage": "Encodage du texte détecté",
    "feuille-ignoree": "Feuilles du classeur sans plan, ignorées",
    "titre-thematique": "Titre de thématique reconnu d'après la liste des thématiques",
    "thematique-sans-mot": "Titre de thématique écrit sans le mot THEMATIQUE",
    "thematique-repetee": "Thématique reprise plus loin dans le document",
    "groupe-thematique": "Groupe « THEMATIQUE n » lu comme un axe",
    "axe-repete": "Titre d'axe répété",
    "sans-axe": "Objectif intermédiaire sans axe",
    "objectif-repete": "Titre d'objectif intermédiaire répété dans son tableau",
    "mise-en-forme-retiree": "Titres entourés de « ** » : marques retirées",
    "intitule-ligne-suivante": "Intitulé écrit sous le titre (axe, objectif) plutôt qu'à sa suite",
    "en-tete-variante": "En-têtes de colonnes écrits autrement, reconnus",
    "en-tete-sur-deux-lignes": "En-têtes sur deux lignes (MOYENS au-dessus de HUMAINS, "
                               "TECHNIQUES, FINANCIERS)",
    "en-tete-complete": "Dernières colonnes sans en-tête, reprises du tableau précédent",
    "moyens-sans-sous-colonnes": "MOYENS sans sous-colonnes : Humains, Techniques, Financiers "
                                 "supposés",
    "en-tete-decale": "En-tête décalé d'une colonne par rapport aux actions",
    "en-tete-partiel": "Lignes d'en-tête partielles sans effet",
    "oo-apres-en-tete": "Objectifs opérationnels écrits sous l'en-tête du tableau des actions",
    "oo-en-colonnes": "Objectifs opérationnels écrits côte à côte",
    "oo-numero-et-intitule": "Numéro et intitulé d'objectif opérationnel dans la même cellule",
    "oo-inconnu": "Actions rattachées à un objectif opérationnel absent de leur objectif",
    "identifiants-sequentiels": "Identifiants attribués dans l'ordre du document",
    "numero-reference": "Actions numérotées par une liste de références (« 3.13.10. »)",
    "action-sans-numero": "Actions sans numéro",
    "action-sans-champs": "Actions dont seul l'intitulé est écrit",
    "titre-ignore": "Titres sans rubrique reconnue, ignorés",
    "titre-tabule": "Titres dont l'intitulé est aligné par une tabulation, lus comme un seul titre",
    "fiche-champ-inconnu": "Rubriques de fiches non reconnues, gardées dans le commentaire",
    "fiche-numero-attribue": "Axes ou objectifs de fiches sans numéro, numérotés dans l'ordre",
    "cellules-superposees": "Cellules posées sur une colonne déjà remplie (grille incohérente), "
                            "textes réunis",
}
