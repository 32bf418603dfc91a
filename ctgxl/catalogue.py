"""The column catalogue: the canonical workbook described as data.

Every other module derives what it knows about sheets and columns from here:
the template builder (headers, widths, help comments, dropdowns), the reader
(header matching, synonyms, types), the writer and the validation schemas.
Nothing about a column is written anywhere else.

Versions
--------
``TEMPLATE_VERSION`` changes when the layout of the workbook changes (sheets,
columns, their order); ``SCHEMA_VERSION`` when the meaning or type of a column
changes. Both are stored in the hidden sheet of every workbook ctgxl writes;
the reader refuses a workbook whose template version it does not know.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

# 1.1: sheet Indicateurs; Suivi per indicator (N° indicateur)
# 1.2: the territory (name and SIREN or INSEE code) in the hidden sheet
TEMPLATE_VERSION = "1.2"
SCHEMA_VERSION = "1.1"
KNOWN_TEMPLATE_VERSIONS = frozenset({"1.0", "1.1", "1.2"})

ColumnType = Literal["text", "int", "number"]   # number: int or float (values, targets)


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    ``key`` is the identifier used in code; ``header`` is the French header the
    user sees. ``synonyms`` are other headers the reader accepts for the same
    column (other territories' words). ``vocabulary`` names a list of
    ``validation/listes.toml`` offered as a dropdown. ``hierarchy`` columns may
    be merged vertically by users; the reader fills them down. ``derived``
    columns are computed by ctgxl (the user may still overwrite them).
    ``provenance`` columns are filled by ``ctgxl consolidate`` (source file and
    row of each line of a master file); they are bookkeeping, not content:
    comparisons ignore them and ``ctgxl split`` empties them. ``extra``
    columns are not in the catalogue: a service added them to its workbook
    (« Budget prévisionnel »); they are kept as text after the canonical
    columns, compared and merged like any field, never checked. ``uses`` says,
    after « elle sert », what the master's Synthèse and the bilan make of the
    column: a workbook without it is an erreur (validation), since its rows
    would silently be missing from those figures.
    """

    key: str
    header: str
    help: str
    type: ColumnType = "text"
    required: bool = False
    width: int = 24
    vocabulary: str | None = None
    synonyms: tuple[str, ...] = ()
    hierarchy: bool = False
    derived: bool = False
    long_text: bool = False
    provenance: bool = False
    extra: bool = False
    uses: str = ""      # what the figures make of it, after « elle sert » (« à l'avancement… »)


@dataclass(frozen=True)
class Sheet:
    """One sheet of the canonical workbook, holding a table of rows."""

    key: str
    name: str
    title: str
    columns: tuple[Column, ...]
    key_columns: tuple[str, ...]
    required: bool = True
    index: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {c.key: c for c in self.columns})

    @property
    def content_positions(self) -> tuple[int, ...]:
        """Positions of the columns that hold plan content (provenance excluded)."""
        return tuple(i for i, c in enumerate(self.columns) if not c.provenance)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    def column(self, key: str) -> Column:
        return self.index[key]

    @property
    def extra_columns(self) -> tuple[Column, ...]:
        """Columns a service added (not in the catalogue), after the canonical ones."""
        return tuple(c for c in self.columns if c.extra)

    @property
    def base(self) -> Sheet:
        """The catalogue's sheet, without the added columns."""
        return SHEETS_BY_KEY[self.key]

    def with_extras(self, headers) -> Sheet:
        """This sheet's catalogue columns followed by the added columns ``headers``.

        Without added columns, the catalogue's own ``Sheet`` object is returned.
        """
        base = self.base
        headers = [h for h in dict.fromkeys(headers) if h]
        if not headers:
            return base
        return Sheet(base.key, base.name, base.title,
                     base.columns + tuple(extra_column(h) for h in headers),
                     base.key_columns, base.required)

    def position(self, key: str) -> int:
        return self.keys.index(key)


EXTRA_PREFIX = "+"


def extra_column(header: str) -> Column:
    """The column a service added under ``header``: kept as text, never checked."""
    return Column(EXTRA_PREFIX + header, header,
                  "Colonne ajoutée par le service, hors modèle : ctgxl la conserve "
                  "(consolidation, découpage, fusion, comparaison) mais ne la contrôle pas.",
                  width=min(max(len(header) + 4, 14), 40), long_text=True, extra=True)


def union_sheet(sheets) -> Sheet:
    """One sheet with every added column of ``sheets`` (same key), in order of appearance."""
    sheets = list(sheets)
    headers = [c.header for s in sheets for c in s.extra_columns]
    return sheets[0].with_extras(headers)


# -- shared column definitions -------------------------------------------------

_PROVENANCE = (
    Column("source_fichier", "Fichier source",
           "Rempli par ctgxl lors de la consolidation : classeur d'où vient la ligne. "
           "Laisser vide dans le classeur d'un service.", width=22, provenance=True,
           synonyms=("Source", "Provenance")),
    Column("source_ligne", "Ligne source",
           "Rempli par ctgxl lors de la consolidation : numéro de la ligne dans le classeur "
           "source. Laisser vide dans le classeur d'un service.", type="int", width=9,
           provenance=True),
)

def _id_action(help_text: str) -> Column:
    return Column(
        "id_action", "ID action", help_text, required=True, width=12,
        synonyms=("Identifiant", "Identifiant action", "Id", "Code action", "Réf. action",
                  "Référence action"),
    )


_THEMATIQUE = Column(
    "thematique", "Thématique",
    "Thématique (service) de la CTG à laquelle la ligne appartient. Choisir dans la liste.",
    required=True, width=18, vocabulary="thematiques", hierarchy=True,
    uses="aux chiffres par thématique de la Synthèse et du bilan",
    synonyms=("Service", "Domaine", "Champ"),
)
_AXE = Column(
    "axe", "Axe stratégique",
    "Code de l'axe stratégique tel qu'écrit dans le plan (ex. I, II, III). "
    "Laisser vide si votre plan n'a pas d'axes.",
    width=10, hierarchy=True,
    uses="aux chiffres par axe de la Synthèse et au plan du bilan",
    synonyms=("Axe", "Enjeu", "Code axe", "N° axe"),
)
_OBJECTIF = Column(
    "objectif", "Objectif intermédiaire",
    "Numéro de l'objectif intermédiaire dans l'axe (ex. 1, 2). Laisser vide si votre plan "
    "n'en a pas.",
    width=12, hierarchy=True,
    synonyms=("Objectif", "N° objectif intermédiaire", "OI", "Objectif général",
              "Objectif stratégique"),
)
_ECHEANCES = Column(
    "echeances", "Échéances / calendrier",
    "Échéances de réalisation, écrites librement (ex. « 2023-2026 », « année scolaire »). "
    "Les années de début et de fin en sont déduites quand c'est possible.",
    width=24, long_text=True,
    uses="au calendrier et aux actions par année de la Synthèse",
    synonyms=("Échéances", "Échéance", "Calendrier", "Échéances de réalisation",
              "Échéances de réalisation calendrier", "Échéancier", "Date de début/fin",
              "Dates", "Période"),
)
_ANNEE_DEBUT = Column(
    "annee_debut", "Année début",
    "Première année de réalisation (nombre à 4 chiffres). Remplie par ctgxl à partir "
    "des échéances ; vous pouvez la corriger.",
    type="int", width=9, derived=True, synonyms=("Début", "Date de début", "Année de début"),
)
_ANNEE_FIN = Column(
    "annee_fin", "Année fin",
    "Dernière année de réalisation (nombre à 4 chiffres). Remplie par ctgxl à partir "
    "des échéances ; vous pouvez la corriger.",
    type="int", width=9, derived=True, synonyms=("Fin", "Date de fin", "Année de fin"),
)
_PORTEUR = Column(
    "porteur", "Porteur(s) de projet",
    "Service ou structure qui pilote l'action (plusieurs possibles).",
    width=26, long_text=True,
    uses="aux principaux porteurs de la Synthèse et aux fiches du bilan",
    synonyms=("Porteur", "Porteurs", "Porteur de projet", "Porteur de projets", "Pilote",
              "Pilotes", "Structure pilote", "Responsable"),
)
_PUBLIC = Column(
    "public", "Public visé",
    "Public auquel l'action s'adresse (âges, familles, professionnels…).",
    width=26, long_text=True,
    synonyms=("Public", "Public cible", "Publics", "Publics visés", "Cible", "Cibles",
              "Bénéficiaires"),
)
_PARTENAIRES = Column(
    "partenaires", "Partenaires",
    "Partenaires associés à l'action.", width=28, long_text=True,
    synonyms=("Partenaire", "Partenaires associés", "Partenariats"),
)
_HUMAINS = Column(
    "moyens_humains", "Moyens humains",
    "Moyens humains mobilisés (agents, ETP, bénévoles…).", width=26, long_text=True,
    synonyms=("Humains", "Moyens – leviers d'actions humains", "Ressources humaines"),
)
_TECHNIQUES = Column(
    "moyens_techniques", "Moyens techniques",
    "Moyens techniques et matériels (locaux, outils, supports…).", width=26, long_text=True,
    synonyms=("Techniques", "Moyens – leviers d'actions techniques", "Moyens matériels"),
)
_FINANCIERS = Column(
    "moyens_financiers", "Moyens financiers",
    "Financements mobilisés (budgets, subventions, appels à projets…).", width=26,
    long_text=True,
    synonyms=("Financiers", "Moyens – leviers d'actions financiers", "Financement",
              "Financements", "Budget"),
)
_INDICATEURS = Column(
    "indicateurs", "Indicateurs d'évaluation",
    "Indicateurs qui permettront d'évaluer l'action (un par ligne si plusieurs).",
    width=32, long_text=True,
    uses="au nombre d'actions avec indicateurs de la Synthèse",
    synonyms=("Indicateurs", "Indicateurs évaluation", "Indicateur", "Indicateurs liés",
              "Résultats attendus", "Critères d'évaluation"),
)
_PARCOURS = Column(
    "parcours", "Parcours périscolaire et extrascolaire",
    "Parcours éducatif auquel l'action contribue (thématique Enfance). Choisir dans la liste.",
    width=26, vocabulary="parcours", long_text=True,
    synonyms=("Parcours", "Parcours périscolaire", "Parcours éducatif"),
)
_STATUT = Column(
    "statut", "Statut",
    "État d'avancement de l'action. Choisir dans la liste.",
    width=14, vocabulary="statuts",
    uses="à l'avancement par statut de la Synthèse et du bilan",
    synonyms=("État d'avancement", "Etat", "Avancement", "État", "Statut de l'action"),
)
_COMMENTAIRE = Column(
    "commentaire", "Commentaire",
    "Remarque libre (difficultés, précisions, décisions du COPIL…).", width=30,
    long_text=True, synonyms=("Commentaires", "Observations", "Remarques"),
)

ACTIONS = Sheet(
    key="actions",
    name="Actions",
    title="Actions du plan",
    key_columns=("id_action",),
    columns=(
        _id_action(
            "Identifiant unique et stable de l'action : code de la thématique, un tiret et "
            "trois chiffres (ex. ENF-015). Ne jamais le réutiliser pour une autre action."
        ),
        _THEMATIQUE,
        _AXE,
        _OBJECTIF,
        Column(
            "oo", "Objectifs opérationnels",
            "Codes des objectifs opérationnels servis par l'action, séparés par des espaces "
            "(ex. « OO1 OO3 »). Ils doivent exister dans la feuille Plan sous le même "
            "objectif intermédiaire.",
            width=14, synonyms=("OO", "Objectif opérationnel", "Objectifs opérationnels liés"),
        ),
        Column(
            "numero", "N° action",
            "Numéro de l'action tel qu'imprimé dans le plan (texte : « 15 », « 3.13.10. »).",
            width=10, synonyms=("N°", "Numéro", "No action", "Numéro action", "N° fiche",
                                "Fiche action", "N° fiche action"),
        ),
        Column(
            "intitule", "Intitulé de l'action",
            "Intitulé de l'action, tel qu'il figure dans le plan.",
            width=48, long_text=True,
            uses="au calendrier et aux fiches actions du bilan",
            synonyms=("Intitulé", "Action", "Actions", "Libellé", "Libellé de l'action",
                      "N° et intitulé", "Nom de l'action", "Titre"),
        ),
        _PORTEUR, _PUBLIC, _ECHEANCES, _ANNEE_DEBUT, _ANNEE_FIN, _PARTENAIRES,
        _HUMAINS, _TECHNIQUES, _FINANCIERS, _INDICATEURS, _PARCOURS, _STATUT, _COMMENTAIRE,
        *_PROVENANCE,
    ),
)

OFFRES = Sheet(
    key="offres",
    name="Offres",
    title="Offres et déclinaisons des actions",
    key_columns=("id_action", "numero_offre"),
    columns=(
        _id_action("Identifiant de l'action (feuille Actions) dont cette offre est une "
                   "déclinaison."),
        Column(
            "numero_offre", "N° offre",
            "Rang de l'offre dans l'action (1, 2, 3…). Avec l'ID action, il identifie l'offre.",
            type="int", required=True, width=8, synonyms=("N°", "Rang", "Numéro d'offre"),
        ),
        Column(
            "offre", "Offre",
            "Exemple d'offre existante ou envisagée qui décline l'action.",
            width=40, long_text=True,
            synonyms=("Intitulé de l'offre", "Exemple d'offre", "Offres",
                      "Exemple d'offres existantes ou envisagées", "Déclinaison"),
        ),
        _PORTEUR, _PUBLIC, _ECHEANCES, _ANNEE_DEBUT, _ANNEE_FIN, _PARTENAIRES,
        _HUMAINS, _TECHNIQUES, _FINANCIERS, _INDICATEURS, _PARCOURS,
        dataclasses.replace(_STATUT, uses=""), _COMMENTAIRE,  # an offer's statut is not counted
        *_PROVENANCE,
    ),
)

PLAN = Sheet(
    key="plan",
    name="Plan",
    title="Structure du plan",
    key_columns=("thematique", "axe", "objectif", "oo"),
    columns=(
        _THEMATIQUE,
        _AXE,
        Column("axe_intitule", "Intitulé de l'axe", "Intitulé de l'axe stratégique.",
               width=40, long_text=True, hierarchy=True,
               synonyms=("Axe stratégique intitulé", "Libellé axe", "Libellé de l'axe")),
        _OBJECTIF,
        Column("objectif_intitule", "Intitulé de l'objectif intermédiaire",
               "Intitulé de l'objectif intermédiaire.", width=40, long_text=True,
               hierarchy=True, synonyms=("Libellé objectif", "Libellé de l'objectif")),
        Column("oo", "Objectif opérationnel",
               "Code de l'objectif opérationnel (ex. OO1), unique dans son objectif "
               "intermédiaire.", width=10, synonyms=("OO", "Code OO", "Code objectif opérationnel")),
        Column("oo_intitule", "Intitulé de l'objectif opérationnel",
               "Intitulé de l'objectif opérationnel.", width=50, long_text=True,
               synonyms=("Libellé OO", "Libellé de l'objectif opérationnel")),
        *_PROVENANCE,
    ),
)

_NUMERO_INDICATEUR = Column(
    "numero_indicateur", "N° indicateur",
    "Rang de l'indicateur dans l'action (1, 2, 3…). Avec l'ID action, il identifie "
    "l'indicateur.", type="int", width=10,
    synonyms=("N° de l'indicateur", "Numéro d'indicateur", "Rang de l'indicateur"),
)

INDICATEURS = Sheet(
    key="indicateurs",
    name="Indicateurs",
    title="Indicateurs d'évaluation des actions",
    key_columns=("id_action", "numero_indicateur"),
    required=False,
    columns=(
        _id_action("Identifiant de l'action (feuille Actions) que l'indicateur évalue."),
        dataclasses.replace(_NUMERO_INDICATEUR, required=True),
        Column("libelle", "Indicateur",
               "Ce qui est mesuré, en une phrase (ex. « Nombre d'enfants accueillis le "
               "mercredi »).", required=True, width=44, long_text=True,
               synonyms=("Libellé", "Libellé de l'indicateur", "Intitulé de l'indicateur",
                         "Indicateur d'évaluation")),
        Column("type", "Type",
               "Indicateur de résultat (effet pour le public) ou de moyens (ce qui est mis "
               "en œuvre), au sens du référentiel d'évaluation de la Cnaf. Choisir dans la "
               "liste.", width=12, vocabulary="types_indicateurs",
               synonyms=("Type d'indicateur", "Nature")),
        Column("unite", "Unité",
               "Unité des valeurs (enfants, familles, %, séances, €…).", width=12,
               synonyms=("Unité de mesure",)),
        Column("reference", "Valeur de référence",
               "Valeur au départ de la convention (nombre), mesurée l'année de référence.",
               type="number", width=12, synonyms=("Référence", "Valeur initiale",
                                                  "Situation de départ", "Point de départ")),
        Column("annee_reference", "Année de référence",
               "Année où la valeur de référence a été mesurée (nombre à 4 chiffres).",
               type="int", width=10, synonyms=("Année de la référence",)),
        Column("cible", "Cible",
               "Valeur visée, convenue avec les partenaires (nombre).", type="number",
               width=10, synonyms=("Valeur cible", "Objectif chiffré", "Valeur visée")),
        Column("annee_cible", "Année de la cible",
               "Année où la cible doit être atteinte (nombre à 4 chiffres, dans la période "
               "de la convention).", type="int", width=10,
               synonyms=("Échéance de la cible", "Année cible")),
        Column("texte_origine", "Texte d'origine",
               "Texte de la colonne « Indicateurs d'évaluation » dont l'indicateur est "
               "tiré (rempli par ctgxl import ; à laisser tel quel).", width=30,
               long_text=True, derived=True),
        _COMMENTAIRE,
        *_PROVENANCE,
    ),
)

SUIVI = Sheet(
    key="suivi",
    name="Suivi",
    title="Suivi annuel des actions et de leurs indicateurs",
    key_columns=("id_action", "annee", "numero_indicateur"),
    required=False,
    columns=(
        _id_action("Identifiant de l'action suivie (feuille Actions)."),
        Column("annee", "Année", "Année du suivi (nombre à 4 chiffres). Une ligne par action "
               "et par année, et une par indicateur suivi.", type="int", required=True,
               width=8, synonyms=("Année de suivi", "Exercice", "An")),
        dataclasses.replace(
            _NUMERO_INDICATEUR,
            help="N° de l'indicateur (feuille Indicateurs) dont la ligne donne la valeur ; "
                 "vide pour la ligne qui donne le statut de l'action dans l'année."),
        Column("statut", "Statut", "État d'avancement de l'action à la fin de cette année.",
               width=14, vocabulary="statuts", synonyms=_STATUT.synonyms,
               uses="au statut de chaque année dans la Synthèse et le bilan"),
        Column("valeur", "Valeur atteinte",
               "Valeur de l'indicateur atteinte dans l'année (nombre, dans l'unité de "
               "l'indicateur).", type="number", width=12,
               synonyms=("Valeur de l'indicateur", "Valeur", "Résultat", "Valeur indicateur",
                         "Réalisé")),
        _COMMENTAIRE,
        *_PROVENANCE,
    ),
)

TABLE_SHEETS: tuple[Sheet, ...] = (ACTIONS, OFFRES, PLAN, INDICATEURS, SUIVI)
SHEETS_BY_KEY = {s.key: s for s in TABLE_SHEETS}

# Sheets without a table of rows.
README_SHEET = "Lisez-moi"
LISTS_SHEET = "Listes"
META_SHEET = "_ctgxl"

# Order of the sheets in every workbook ctgxl writes.
SHEET_ORDER = (README_SHEET, ACTIONS.name, OFFRES.name, PLAN.name, INDICATEURS.name, SUIVI.name,
               LISTS_SHEET, META_SHEET)

# Keys of the hidden metadata sheet and their French labels (column A of the sheet).
META_FIELDS = (
    ("template_version", "Version du modèle"),
    ("schema_version", "Version du schéma"),
    ("thematique", "Thématique"),
    ("service", "Service"),
    ("territoire", "Territoire"),
    ("code_territoire", "Code du territoire"),
    ("generator", "Produit par"),
)
