"""French text of the « Lisez-moi » sheet, for a service agent who has never seen the file.

The column reference at the end is generated from the catalogue, so the help
a user reads here is the same text as the header comments.
"""

from __future__ import annotations

from .catalogue import ACTIONS, INDICATEURS, OFFRES, PLAN, SUIVI, TABLE_SHEETS
from .vocabulary import Vocabulary

TITLE = "Plan d'actions de la Convention Territoriale Globale (CTG)"


def paragraphs(vocabulary: Vocabulary, thematique: str | None) -> list[tuple[str, str]]:
    """(style, text) pairs: style is one of title, heading, text, bullet."""
    statuts = ", ".join(f"« {s} »" for s in vocabulary.values("statuts"))
    concerne = f"Ce classeur contient la partie « {thematique} » du plan." if thematique else (
        "Ce classeur est un modèle vierge : indiquez votre thématique dans chaque ligne.")
    out: list[tuple[str, str]] = [
        ("title", TITLE),
        ("text", concerne + " Il est lu par ctgxl, l'outil de la coordination CTG : gardez sa "
                 "structure pour que votre travail puisse être contrôlé et consolidé sans ressaisie."),
        ("heading", "Comment remplir ce classeur"),
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
        ("heading", "Description des colonnes"),
    ]
    for sheet in TABLE_SHEETS:
        out.append(("subheading", f"Feuille « {sheet.name} » — {sheet.title}"))
        for column in sheet.columns:
            out.append(("bullet", f"{column.header} : {column.help}"))
    return out
