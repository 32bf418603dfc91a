"""French text of the panorama's « Lisez-moi » sheet, for a CAF adviser."""

from __future__ import annotations

from ..wording import plural
from .pipeline import Panorama

TITLE = "Panorama des Conventions Territoriales Globales (CTG)"


def paragraphs(panorama: Panorama, action_sheets: tuple[str, ...]) -> list[tuple[str, str]]:
    actions = " et ".join(f"« {name} »" for name in action_sheets)
    return [
        ("title", TITLE),
        ("text", f"Ce classeur rassemble les plans d'actions de "
                 f"{plural(len(panorama.territories), 'territoire')}, lus le "
                 f"{panorama.generated:%d/%m/%Y} par « ctgxl panorama » dans leurs fichiers "
                 "de pilotage ou les classeurs de leurs services. Ses chiffres sont ceux de ce "
                 "jour : relancez la commande pour les mettre à jour."),
        ("heading", "Les feuilles"),
        ("bullet", "Synthèse : chiffres clés, actions par thématique et par statut, par année, "
                   "de tous les territoires ensemble, avec leurs graphiques (comme la Synthèse "
                   "d'un fichier de pilotage) ; les territoires aux plus grands plans."),
        ("bullet", "Territoires : une ligne par territoire : ses fichiers, ses actions et "
                   "offres, ses actions par statut, la part réalisée, les actions avec "
                   "indicateurs, les indicateurs et leurs valeurs suivies, le budget lisible, la "
                   "dernière année de suivi et le résultat du contrôle de ses fichiers."),
        ("bullet", "Thématiques : une ligne par territoire, ses actions par thématique."),
        ("bullet", f"{actions} : chaque action de chaque territoire. Une action s'identifie "
                   "par le code du territoire ET son ID action : deux territoires emploient "
                   "souvent les mêmes identifiants (ENF-001…), c'est normal. Une feuille tient "
                   "au plus 1 048 575 actions ; au-delà, elles continuent dans la suivante."),
        ("bullet", "Fichiers : chaque classeur lu, avec le résultat de son contrôle (pour un "
                   "fichier de pilotage : celui que sa feuille Sources a noté à la "
                   "consolidation)."),
        ("bullet", "Constats : ce qui n'a pas pu être compté tel quel : fichier inutilisable, "
                   "classeur d'un autre territoire, code du territoire invalide, territoire "
                   "donné deux fois (seule sa première entrée est comptée), territoire sans "
                   "code, fichier ignoré ou ouvert ailleurs."),
        ("heading", "Comment les chiffres sont comptés"),
        ("bullet", "Territoire : le nom et le code (SIREN de l'intercommunalité ou code INSEE "
                   "de la commune) que ses classeurs portent (modèle 1.2, « ctgxl template "
                   "--territoire … --code-territoire … »). Un territoire sans code est reconnu "
                   "à son nom, sinon au nom de son fichier ou dossier."),
        ("bullet", "Statut d'une action : celui de la feuille Actions, sinon celui de sa "
                   "dernière année de suivi ; « Non renseigné » sinon. Années : début et fin, "
                   "sinon lues dans les échéances de l'action ou de ses offres."),
        ("bullet", "Budget lisible : le plus grand montant en euros écrit dans les moyens "
                   "financiers de l'action (« 15 000 € », « 12,5 k€ », « 1,2 M€ »), ou un nombre "
                   "d'une colonne ajoutée « Budget… » ou « Montant… » ; sinon la somme des "
                   "montants de ses offres. Rien n'est deviné : une action sans montant écrit "
                   "n'a pas de budget, et la colonne « Actions avec budget lisible » le dit."),
        ("bullet", "Contrôle : erreurs et avertissements de « ctgxl validate » pour chaque "
                   "classeur de service ; pour un fichier de pilotage, ceux que sa consolidation "
                   "a notés dans sa feuille Sources."),
        ("heading", "Les mêmes données pour une base ou un outil d'analyse"),
        ("text", "« ctgxl panorama … --format csv -d DOSSIER » (ou --format parquet) écrit ces "
                 "tables en données ouvertes (Data Package : un fichier par table et un "
                 "datapackage.json qui les décrit), pour Grist, un outil de tableaux de bord ou "
                 "DuckDB."),
    ]
