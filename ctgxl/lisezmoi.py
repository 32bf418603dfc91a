"""French text of the « Lisez-moi » sheet, for a service agent who has never seen the file.

The column reference at the end is generated from the catalogue, so the help
a user reads here is the same text as the header comments.
"""

from __future__ import annotations

from .catalogue import (ACTIONS, INDICATEURS, META_FIELDS, META_SHEET, OFFRES, PLAN, SUIVI,
                        TABLE_SHEETS)
from .vocabulary import Vocabulary

TITLE = "Plan d'actions de la Convention Territoriale Globale (CTG)"
META_LABELS = dict(META_FIELDS)


# The sheets a master file adds (``ctgxl consolidate``), as the Lisez-moi describes them.
MASTER_SHEETS = {
    "Synthèse": "Feuille « Synthèse » : la vue d'ensemble pour le COPIL, sur deux pages : "
                "chiffres clés (actions, offres, parts réalisées et en cours), actions par "
                "thématique et par statut, par axe et par année d'échéance, principaux porteurs, "
                "avec leurs graphiques. Les chiffres sont ceux du jour de la consolidation.",
    "Calendrier": "Feuille « Calendrier » : une ligne par action et une colonne par année de la "
                  "convention, colorée les années où l'action se déroule.",
    "Sources": "Feuille « Sources » : les classeurs rassemblés (thématique, service, version "
               "du modèle, nombre de lignes, résultat du contrôle, colonnes ajoutées) et les "
               "points d'attention entre fichiers. « ctgxl split » la relit pour rendre à "
               "chaque service son classeur.",
}


def paragraphs(vocabulary: Vocabulary, thematique: str | None,
               extra_sheets: tuple[str, ...] = (), territory=None) -> list[tuple[str, str]]:
    """(style, text) pairs: style is one of title, heading, text, bullet. ``extra_sheets``:
    the names of the sheets added to the canonical ones (a master file has Synthèse,
    Calendrier and Sources); ``territory``: the workbook's ``territory.Territory``."""
    if "Sources" in extra_sheets:
        return _master_paragraphs(vocabulary, extra_sheets, territory)
    concerne = f"Ce classeur contient la partie « {thematique} » du plan." if thematique else (
        "Ce classeur est un modèle vierge : indiquez votre thématique dans chaque ligne.")
    out: list[tuple[str, str]] = [
        ("title", TITLE),
        ("text", concerne + " Il est lu par ctgxl, l'outil de la coordination CTG : gardez sa "
                 "structure pour que votre travail puisse être contrôlé et consolidé sans ressaisie."),
        *territory_paragraphs(territory),
        ("heading", "Comment remplir ce classeur"),
        *_sheet_bullets(vocabulary),
        ("heading", "Règles simples"),
        ("bullet", "Ne renommez pas les feuilles ni les titres de colonnes ; n'insérez pas de "
                   "colonne au milieu d'un tableau (ajoutez vos remarques dans « Commentaire »)."),
        ("bullet", "Ajoutez une action en remplissant la première ligne vide sous le tableau : "
                   "il s'agrandit tout seul et les listes déroulantes suivent."),
        ("bullet", "Ne fusionnez pas de cellules : répétez plutôt l'axe ou l'objectif sur "
                   "chaque ligne."),
        ("bullet", "Écrivez les échéances comme dans le plan (« 2023-2026 », « année scolaire »). "
                   "Les colonnes « Année début » et « Année fin » sont déduites quand c'est "
                   "possible ; vous pouvez les corriger."),
        ("bullet", "Pour un retour à la ligne dans une cellule : Alt+Entrée (Excel) ou "
                   "Ctrl+Entrée (LibreOffice Calc)."),
        ("bullet", "Le classeur s'ouvre et s'enregistre aussi bien avec Excel qu'avec "
                   "LibreOffice Calc (.xlsx ou .ods)."),
        ("heading", "Que devient ce classeur ?"),
        ("text", "La coordination CTG contrôle le classeur (ctgxl validate) et vous renvoie, s'il "
                 "le faut, une copie où chaque cellule à revoir est colorée et commentée. Elle "
                 "compare ensuite les versions, fusionne les modifications et consolide les "
                 "thématiques dans le fichier de pilotage présenté au COPIL."),
    ]
    return out + _columns()


def _sheet_bullets(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    statuts = ", ".join(f"« {s} »" for s in vocabulary.values("statuts"))
    return [
        ("bullet", f"Feuille « {ACTIONS.name} » : une ligne par action. Chaque action a un "
                   "identifiant (colonne « ID action », ex. ENF-015) qui ne change jamais, même si "
                   "l'action est renumérotée ou déplacée."),
        ("bullet", f"Feuille « {OFFRES.name} » : les offres ou déclinaisons d'une action "
                   "(exemples d'offres existantes ou envisagées), une ligne par offre, reliée à "
                   "son action par l'ID action."),
        ("bullet", f"Feuille « {PLAN.name} » : la structure du plan (axes stratégiques, "
                   "objectifs intermédiaires, objectifs opérationnels) et leurs intitulés. Les "
                   "codes cités dans les actions doivent y figurer."),
        ("bullet", f"Feuille « {INDICATEURS.name} » : les indicateurs d'évaluation de chaque "
                   "action, un par ligne (n° 1, 2… dans l'action) : ce qui est mesuré, son type "
                   "(résultat ou moyens), son unité, la valeur de référence au départ et la cible "
                   "convenue avec les partenaires, avec leurs années."),
        ("bullet", f"Feuille « {SUIVI.name} » : le suivi annuel. Chaque année, une ligne par "
                   "action pour son statut et son commentaire, et une ligne par indicateur suivi "
                   "(colonne « N° indicateur ») pour la valeur atteinte. Statuts possibles : "
                   f"{statuts}."),
        ("bullet", "Feuille « Listes » : les valeurs proposées dans les listes déroulantes. "
                   "Ne la modifiez pas : demandez à la coordination CTG si une valeur manque."),
    ]


def territory_paragraphs(territory) -> list[tuple[str, str]]:
    """The territory the workbook belongs to, and where it is written (hidden sheet)."""
    where = (f"Le nom et le code sont enregistrés dans la feuille masquée « {META_SHEET} » "
             f"(lignes « {META_LABELS['territoire']} » et « {META_LABELS['code_territoire']} »)")
    if territory:
        return [("subheading", f"Territoire : {territory.label()}"),
                ("text", f"{where} : la coordination les indique une fois, dans le modèle "
                         "qu'elle envoie aux services ; ne les modifiez pas.")]
    return [("subheading", "Territoire : non indiqué"),
            ("text", "La coordination l'indique une fois, en créant le modèle : « ctgxl template "
                     "--territoire NOM --code-territoire CODE » (SIREN de l'intercommunalité, "
                     "9 chiffres, ou code INSEE de la commune, 5 caractères). "
                     f"{where} : on peut aussi les y écrire (clic droit sur un onglet › "
                     "Afficher).")]


def _master_paragraphs(vocabulary: Vocabulary, extra_sheets,
                       territory=None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = [
        ("title", "Fichier de pilotage de la Convention Territoriale Globale (CTG)"),
        ("text", "Ce classeur rassemble les classeurs des services (ctgxl consolidate) : toutes "
                 "les actions, offres, indicateurs et lignes de suivi, avec pour chaque ligne le "
                 "fichier et la ligne d'où elle vient (colonnes « Fichier source » et « Ligne "
                 "source »)."),
        *territory_paragraphs(territory),
        ("heading", "Les feuilles de synthèse"),
        *(("bullet", MASTER_SHEETS[name]) for name in MASTER_SHEETS if name in extra_sheets),
        ("heading", "Les feuilles du plan"),
        *_sheet_bullets(vocabulary),
        ("heading", "Mettre à jour ce fichier"),
        ("bullet", "Les corrections se font dans les classeurs des services, puis la "
                   "consolidation est relancée (ctgxl consolidate) : la Synthèse, le Calendrier "
                   "et les Sources sont alors recalculés. Une modification faite ici ne change pas "
                   "les chiffres de la Synthèse."),
        ("bullet", "Pour rendre à chaque service son classeur à partir de ce fichier : "
                   "ctgxl split."),
        ("bullet", "Pour le bilan du comité de pilotage (document Word ou PDF) : ctgxl bilan."),
    ]
    return out + _columns()


def _columns() -> list[tuple[str, str]]:
    """The reference of every column, from the catalogue (the header comments' text)."""
    out = [("heading", "Description des colonnes")]
    for sheet in TABLE_SHEETS:
        out.append(("subheading", f"Feuille « {sheet.name} » — {sheet.title}"))
        out += [("bullet", f"{column.header} : {column.help}") for column in sheet.columns]
    return out
