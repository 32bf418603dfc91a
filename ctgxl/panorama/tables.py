"""The panorama's tables, described once for the workbook and the Data Package alike.

Each table is a list of ``Field`` (name for the machine, French title, type, width and
number format for the sheet, description for ``datapackage.json``) and its rows, in
that order. The actions come from the spool, a block at a time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ..wording import PERCENT_FORMAT
from .pipeline import Panorama

NO_CODE = ""


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    kind: str = "string"         # string, integer, number, boolean
    width: float = 12
    fmt: str | None = None       # Excel number format
    help: str = ""
    wrap: bool = False


def slug(text: str) -> str:
    """« Non démarrée » -> « non_demarree » (a column name for every tool)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_") or "valeur"


CODE = Field("code_territoire", "Code du territoire", width=12,
             help="SIREN de l'intercommunalité ou code INSEE de la commune qui signe la CTG ; "
                  "avec l'ID action, il identifie une action parmi tous les territoires.")
NAME = Field("territoire", "Territoire", width=30, help="Nom du territoire.", wrap=True)


def territory_fields(panorama: Panorama) -> list[Field]:
    statuts = [Field(f"statut_{slug(s)}", s, "integer", 10,
                     help=f"Actions au statut « {s} » (statut de l'action, sinon de sa "
                          "dernière année de suivi).") for s in panorama.statuts
               if panorama.total.of_statut(s)]
    return [
        NAME, CODE,
        Field("type_code", "Type de code", width=8, help="SIREN ou INSEE."),
        Field("entree", "Entrée", width=24, wrap=True,
              help="Le fichier de pilotage ou le dossier donné pour ce territoire."),
        Field("fichiers", "Fichiers", "integer", 8, help="Classeurs des services lus (ceux "
              "d'un fichier de pilotage : d'après sa feuille Sources)."),
        Field("actions", "Actions", "integer", 9),
        Field("offres", "Offres", "integer", 8),
        *statuts,
        Field("part_realisees", "Part réalisées", "number", 10, PERCENT_FORMAT,
              help="Actions « Réalisée » sur toutes les actions du territoire."),
        Field("actions_avec_indicateurs", "Actions avec indicateurs", "integer", 11,
              help="Actions dont la colonne Indicateurs d'évaluation (ou celle d'une de leurs "
                   "offres) est remplie."),
        Field("part_avec_indicateurs", "Part avec indicateurs", "number", 11, PERCENT_FORMAT),
        Field("indicateurs", "Indicateurs (feuille)", "integer", 11,
              help="Lignes de la feuille Indicateurs."),
        Field("valeurs_suivies", "Valeurs d'indicateurs suivies", "integer", 12,
              help="Valeurs atteintes écrites dans la feuille Suivi."),
        Field("budget", "Budget lisible (€)", "number", 14, "#,##0",
              help="Somme des montants en euros lus dans les moyens financiers des actions "
                   "(voir le Lisez-moi) ; vide quand aucun ne se lit."),
        Field("actions_avec_budget", "Actions avec budget lisible", "integer", 11),
        Field("derniere_annee_suivi", "Dernière année de suivi", "integer", 10,
              help="Année la plus récente de la feuille Suivi."),
        Field("fichiers_inutilisables", "Fichiers inutilisables", "integer", 11),
        Field("erreurs", "Erreurs", "integer", 9, help="Erreurs de contrôle (ctgxl validate) "
              "de ses classeurs."),
        Field("avertissements", "Avertissements", "integer", 13),
        Field("controle", "Contrôle des fichiers", width=30, wrap=True),
    ]


def territory_rows(panorama: Panorama) -> Iterator[tuple]:
    names = [f.name for f in territory_fields(panorama)]
    for row in panorama.territories:
        f = row.figures
        total = f.total
        statuts = f.statuts()
        values = {
            "territoire": row.name, "code_territoire": row.territory.code or NO_CODE,
            "type_code": row.territory.kind or "", "entree": row.entry.label,
            "fichiers": row.files, "actions": total, "offres": sum(f.offres.values()),
            "part_realisees": statuts.get("Réalisée", 0) / total if total else None,
            "actions_avec_indicateurs": sum(f.with_indicators.values()),
            "part_avec_indicateurs": sum(f.with_indicators.values()) / total if total else None,
            "indicateurs": f.indicateurs, "valeurs_suivies": f.valeurs,
            "budget": f.budget if f.with_budget else None, "actions_avec_budget": f.with_budget,
            "derniere_annee_suivi": f.last_suivi, "fichiers_inutilisables": row.unusable,
            "erreurs": row.errors, "avertissements": row.warnings, "controle": row.status,
        }
        for statut in panorama.statuts:
            values[f"statut_{slug(statut)}"] = statuts.get(statut, 0)
        yield tuple(values[n] for n in names)


def theme_fields(panorama: Panorama) -> list[Field]:
    """The sheet « Thématiques »: one row per territory, one column per thématique."""
    return [NAME, CODE, *(Field(f"thematique_{slug(t)}", t, "integer", 12)
                          for t in panorama.thematiques),
            Field("total", "Total", "integer", 9)]


def theme_rows(panorama: Panorama) -> Iterator[tuple]:
    for row in panorama.territories:
        counts = row.figures.actions
        yield (row.name, row.territory.code or NO_CODE,
               *(counts.get(t, 0) for t in panorama.thematiques), row.figures.total)


LONG_THEME_FIELDS = [
    CODE, NAME, Field("thematique", "Thématique", width=24),
    Field("actions", "Actions", "integer"), Field("offres", "Offres", "integer"),
    Field("actions_avec_indicateurs", "Actions avec indicateurs", "integer"),
]
STATUT_FIELDS = [CODE, NAME, Field("thematique", "Thématique"), Field("statut", "Statut"),
                 Field("actions", "Actions", "integer")]


def long_theme_rows(panorama: Panorama) -> Iterator[tuple]:
    """Territory × thématique, for a database (the same figures, one row each)."""
    for row in panorama.territories:
        f = row.figures
        for theme in panorama.thematiques:
            if f.actions.get(theme) or f.offres.get(theme):
                yield (row.territory.code or NO_CODE, row.name, theme, f.actions.get(theme, 0),
                       f.offres.get(theme, 0), f.with_indicators.get(theme, 0))


def statut_rows(panorama: Panorama) -> Iterator[tuple]:
    for row in panorama.territories:
        for theme, counts in row.figures.by_statut.items():
            for statut, n in counts.items():
                if n:
                    yield (row.territory.code or NO_CODE, row.name, theme, statut, n)


ACTION_FIELDS = [
    CODE, Field("territoire", "Territoire", width=24, wrap=True),
    Field("id_action", "ID action", width=11,
          help="Identifiant de l'action dans le plan de son territoire : deux territoires "
               "peuvent employer le même."),
    Field("thematique", "Thématique", width=18, wrap=True),
    Field("axe", "Axe stratégique", width=10),
    Field("intitule", "Intitulé de l'action", width=48, wrap=True),
    Field("porteur", "Porteur(s) de projet", width=26, wrap=True),
    Field("statut", "Statut", width=13,
          help="Statut de l'action, sinon de sa dernière année de suivi ; « Non renseigné »."),
    Field("annee_debut", "Année début", "integer", 9,
          help="Année début, sinon lue dans les échéances de l'action ou de ses offres."),
    Field("annee_fin", "Année fin", "integer", 9),
    Field("indicateurs", "Avec indicateurs", "boolean", 11),
    Field("budget", "Budget lisible (€)", "number", 13, "#,##0"),
    Field("fichier", "Fichier source", width=24, wrap=True,
          help="Classeur du service d'où vient l'action."),
]
FILE_FIELDS = [
    CODE, Field("territoire", "Territoire", width=26, wrap=True),
    Field("fichier", "Fichier", width=36, wrap=True,
          help="Le classeur lu ; « pilotage.xlsx › enfance.xlsx » : un classeur d'où vient "
               "un fichier de pilotage, selon sa feuille Sources."),
    Field("thematique", "Thématique", width=26, wrap=True),
    Field("actions", "Actions", "integer", 9),
    Field("erreurs", "Erreurs", "integer", 9), Field("avertissements", "Avertissements",
                                                      "integer", 13),
    Field("controle", "Contrôle du fichier", width=40, wrap=True),
]
FINDING_FIELDS = [
    Field("gravite", "Gravité", width=13), Field("code", "Code", width=24),
    Field("fichier", "Fichier ou entrée", width=36, wrap=True),
    Field("constat", "Constat", width=70, wrap=True),
    Field("suggestion", "Suggestion", width=40, wrap=True),
]


def file_rows(panorama: Panorama) -> Iterator[tuple]:
    for line in panorama.files:
        row = panorama.territories[line.territory] if line.territory is not None else None
        counts = line.counts or (None, None)
        yield (row.territory.code or NO_CODE if row else NO_CODE, row.name if row else None,
               line.name, line.thematique, line.actions, counts[0], counts[1], line.status)


def finding_rows(panorama: Panorama) -> Iterator[tuple]:
    for f in panorama.findings:
        yield (f.severity, f.code, f.file, f.message, f.suggestion)
