"""The plans of other territories written into the test documents (``make_word_fixtures.py``).

Fictitious territories, services and figures, written as coordinators of other CTGs write
their plans: a grid plan numbered by « Enjeu » and « Objectif 1.2 » with titles aligned by a
tab, and fiches actions in three authors' styles (one table per fiche; « Libellé : valeur »
paragraphs; tables of two label-value pairs per row).
"""

from __future__ import annotations

from fodt import Cell, Heading, Items, Para, Table

# -- a grid plan numbered by enjeux ---------------------------------------------------------

_ENJEUX_WIDTHS = [1.2, 5.0, 2.8, 1.5, 1.5, 2.0, 3.2, 2.6, 2.4, 4.5]   # 26.7 cm


def _enjeux_table(oo: list[tuple[str, int]], actions: list[list]) -> Table:
    """An action table: its OO row (OO cells over columns of other widths than the header's),
    a two-row header (« Public cible » over two columns, « Moyens » over Humains and
    Financiers), then the actions."""
    header = [Cell("N°"), Cell("Action"), Cell("Pilote"), Cell("Public cible", span=2),
              Cell("Calendrier"), Cell("Partenaires"), Cell("Moyens", span=2),
              Cell("Indicateurs d'évaluation")]
    sub = [Cell(""), Cell(""), Cell(""), Cell("", span=2), Cell(""), Cell(""), Cell("Humains"),
           Cell("Financiers"), Cell("")]
    rows = [[Cell("OBJECTIFS OPERATIONNELS", span=2)] + [Cell(t, span=s) for t, s in oo],
            header, sub]
    for number, title, pilote, public, when, partners, humans, money, indicators in actions:
        rows.append([Cell(number), Cell(title), Cell(pilote), Cell(public, span=2), Cell(when),
                     Cell(partners), Cell(humans), Cell(money), Cell(indicators)])
    return Table(_ENJEUX_WIDTHS, rows)


PLAN_ENJEUX = [
    Para("Convention Territoriale Globale 2024-2028 – Communauté de communes des "
         "Hautes-Bruyères", bold=True),
    Para("Le plan d'actions ci-dessous a été validé par le comité de pilotage du 14 mars 2024. "
         "Il décline les enjeux issus du diagnostic partagé conduit en 2023 avec la CAF."),
    Heading("THEMATIQUE : ANIMATION DE LA VIE SOCIALE", 1),
    Heading("Enjeu 1\tRenforcer le lien social dans les communes rurales", 2),
    Heading("Objectif 1.1\tDévelopper les lieux de rencontre entre habitants", 3),
    _enjeux_table([("OO1. Ouvrir des lieux de rencontre dans les bourgs", 2),
                   ("OO2. Soutenir les initiatives des habitants", 6)], [
        ["1.1.1", "Créer un café des habitants itinérant", "Centre social intercommunal",
         "Habitants, familles", "2024-2026", "CAF\nMSA\nCommunes d'accueil",
         "1 animateur (0,5 ETP)", "12 000 € par an",
         Items(["Nombre de rencontres organisées", "Nombre d'habitants participants",
                "Augmentation du nombre de bénévoles"])],
        ["1.1.2", "Accompagner la création d'un espace de vie sociale à Vielle-Bruyère",
         "Association Bruyères Solidaires", "Habitants du secteur nord", "2025",
         "CAF, commune de Vielle-Bruyère", "Bénévoles de l'association, 1 référente CAF",
         "Prestation de service EVS",
         Items(["Agrément EVS obtenu", "Nombre d'activités proposées"])],
    ]),
    Heading("Objectif 1.2\tSoutenir l'engagement bénévole", 3),
    _enjeux_table([("OO3. Former les bénévoles", 2), ("OO4. Valoriser l'engagement", 6)], [
        ["1.2.1", "Organiser un parcours de formation des bénévoles associatifs",
         "Service vie associative", "Bénévoles des associations", "2024-2028",
         "Maison des associations, Ligue de l'enseignement", "1 chargée de mission",
         "4 500 € par an (FDVA, CAF)",
         Items(["Nombre de bénévoles formés", "Taux de satisfaction des participants"])],
        ["1.2.2", "Tenir une fête annuelle des associations", "Commune de Bruyères-le-Haut",
         "Tous publics", "Septembre de chaque année", "Associations du territoire",
         "Agents techniques municipaux", "3 000 €",
         "Fréquentation de la fête\nNombre d'associations présentes"],
    ]),
    Heading("Enjeu 2\tPermettre à chacun d'accéder à ses droits", 2),
    Heading("Objectif 2.1\tRapprocher les permanences des habitants", 3),
    _enjeux_table([("OO1. Tenir des permanences dans les bourgs", 2),
                   ("OO2. Former les agents d'accueil des mairies", 6)], [
        ["2.1.1", "Organiser des permanences mensuelles CAF et CPAM dans trois bourgs",
         "France services des Hautes-Bruyères", "Allocataires et assurés", "Dès janvier 2024",
         "CAF, CPAM, MSA", "2 conseillers France services", "Budget France services",
         Items(["Nombre de permanences tenues", "Nombre de personnes reçues"])],
        ["2.1.2", "Former les secrétaires de mairie au premier accueil social",
         "CIAS des Hautes-Bruyères", "Secrétaires de mairie", "2025",
         "CAF, centre de gestion", "Travailleuse sociale du CIAS", "Gratuit",
         Items(["Nombre d'agents formés", "Nombre de communes participantes"])],
    ]),
    Para(""),
    Para("Fait à Bruyères-le-Haut, le 14 mars 2024, en deux exemplaires originaux."),
]


# -- author A: one two-column table per fiche, under the document's own headings ------------

def _fiche_a(title: str, rows: list) -> Table:
    table = Table([4.5, 12.5], [[Cell(title, span=2)]])
    for row in rows:
        table.rows.append(row if isinstance(row, list) else [Cell(row[0]), Cell(row[1])])
    return table


FICHES_TABLEAUX = [
    Para("Communauté d'agglomération du Val d'Esquerre", bold=True),
    Para("Convention Territoriale Globale 2024-2027 – Plan d'actions"),
    Para("Ce document rassemble les fiches actions retenues par les groupes de travail. Chaque "
         "fiche précise le pilote, les partenaires, le calendrier et les indicateurs suivis "
         "chaque année par le comité de pilotage."),
    Heading("Thématique 1 : Petite enfance", 1),
    Heading("Enjeu 1 – Adapter l'offre d'accueil aux besoins des familles", 2),
    Heading("Objectif 1.1 : Développer l'accueil en horaires atypiques", 3),
    _fiche_a("Fiche action n°1 – Ouvrir une micro-crèche en horaires élargis", [
        ("Pilote", "Service petite enfance de l'agglomération"),
        ("Public visé", "Familles aux horaires décalés (soignants, commerce, agroalimentaire)"),
        [Cell("Partenaires", rows=2), Cell("CAF des Landes (investissement et PSU)")],
        [Cell("Communes de Rivière-Esquerre et Goursac")],
        ("Calendrier", "Étude en 2024, ouverture en septembre 2025"),
        ("Moyens humains", "4 professionnelles, 1 référente technique"),
        ("Budget prévisionnel", "Investissement 180 000 € ; fonctionnement 95 000 € par an"),
        ("Territoire concerné", "Secteur sud de l'agglomération"),
        [Cell("Indicateurs d'évaluation"),
         Cell(Items(["Nombre de familles accueillies", "Taux d'occupation",
                     "Augmentation du nombre de places en horaires atypiques"]))],
    ]),
    Para(""),
    _fiche_a("Fiche action n°2 – Recenser les besoins de garde en horaires atypiques", [
        ("Pilote", "Relais petite enfance"),
        ("Public visé", "Parents et futurs parents"),
        ("Partenaires", "CAF, PMI, entreprises du parc d'activités"),
        ("Calendrier", "Premier semestre 2024"),
        ("Moyens humains", "Animatrice du RPE"),
        [Cell("Indicateurs d'évaluation"),
         Cell(Items(["Nombre de questionnaires recueillis", "Nombre d'employeurs associés"]))],
    ]),
    Heading("Objectif 1.2 : Soutenir les assistants maternels", 3),
    _fiche_a("Fiche action n°3 – Créer une maison d'assistants maternels à Goursac", [
        ("Pilote", "Commune de Goursac"),
        ("Public visé", "Assistants maternels, enfants de 0 à 3 ans"),
        ("Partenaires", "CAF, PMI, RPE"),
        ("Calendrier", "2025-2026"),
        ("Moyens financiers", "Aide au démarrage CAF, local mis à disposition par la commune"),
        [Cell("Indicateurs d'évaluation"),
         Cell(Items(["Nombre de places créées", "Taux de remplissage de la MAM"]))],
    ]),
    Heading("Thématique 2 : Jeunesse", 1),
    Para("Les actions jeunesse ont été construites avec le conseil intercommunal des jeunes "
         "lors de trois ateliers en 2023."),
    Heading("Enjeu 2 – Favoriser l'autonomie des jeunes", 2),
    Heading("Objectif 2.1 : Informer les jeunes au plus près de chez eux", 3),
    _fiche_a("Fiche action n°4 – Créer un Point Information Jeunesse itinérant", [
        ("Pilote", "Service jeunesse de l'agglomération"),
        ("Public visé", "Jeunes de 15 à 25 ans"),
        ("Description", "Permanences dans les collèges, les lycées et les mairies avec un "
                        "véhicule aménagé."),
        ("Partenaires", "Mission locale, collèges, lycée agricole"),
        ("Calendrier", "2024-2027"),
        ("Moyens humains", "1 informateur jeunesse"),
        ("Coût", "Véhicule : 38 000 € ; fonctionnement : 15 000 € par an"),
        [Cell("Indicateurs d'évaluation"),
         Cell(Items(["Nombre de permanences", "Nombre de jeunes renseignés"]))],
    ]),
    Para(""),
    _fiche_a("Fiche action n°5 – Soutenir les projets de jeunes", [
        ("Pilote", "Service jeunesse de l'agglomération"),
        ("Public visé", "Jeunes de 11 à 25 ans"),
        ("Partenaires", "CAF (Fonds publics et territoires), SDJES"),
        ("Calendrier", "Chaque année"),
        ("Moyens financiers", "Bourse aux projets : 10 000 € par an"),
        [Cell("Indicateurs d'évaluation"),
         Cell(Items(["Nombre de projets soutenus", "Nombre de jeunes impliqués"]))],
    ]),
    Para(""),
]


# -- author B: « Libellé : valeur » paragraphs -------------------------------------------------

def _fiche_b(title: str, *lines) -> list:
    out: list = [Para(title, bold=True)]
    for line in lines:
        out.append(line if isinstance(line, Items) else Para(line))
    out.append(Para(""))
    return out


FICHES_PARAGRAPHES = [
    Para("Communauté de communes Cœur de Lisière – CTG 2024-2028", bold=True),
    Para("Les fiches suivantes détaillent les actions du volet parentalité et animation de la "
         "vie sociale. Elles seront actualisées chaque année après le comité de pilotage."),
    Para(""),
    Heading("AXE 1 : Soutenir les parents dans leur rôle", 1),
    Heading("Objectif 1.1 – Informer les familles", 2),
    *_fiche_b("Action 1.1.1 – Créer un guide des parents du territoire",
              "Thématique : Parentalité",
              "Pilote : CIAS Cœur de Lisière",
              "Public : parents d'enfants de 0 à 17 ans",
              "Objectif opérationnel : OO1 – Rendre l'offre de soutien à la parentalité lisible",
              "Calendrier : premier semestre 2025",
              "Partenaires : CAF, PMI, établissements scolaires",
              "Moyens financiers : 3 500 € (conception et impression)",
              "Indicateurs :",
              Items(["Nombre de guides diffusés", "Nombre de structures référencées"])),
    *_fiche_b("Action 1.1.2 – Tenir une semaine de la parentalité",
              "Pilote\tCentre social La Passerelle",
              "Public\tFamilles du territoire",
              "Calendrier\tChaque année en octobre",
              "Partenaires\tREAAP, médiathèques, associations de parents d'élèves",
              "Moyens humains\tÉquipe du centre social, bénévoles",
              "Indicateurs\tNombre de participants ; nombre d'animations proposées"),
    Heading("Objectif 1.2 – Rompre l'isolement des parents", 2),
    *_fiche_b("Intitulé de l'action : Ouvrir un lieu d'accueil enfants-parents itinérant",
              "Pilote : CIAS Cœur de Lisière",
              "Public : enfants de moins de 6 ans et leurs parents",
              "Objectifs de l'action : offrir un espace de parole et de jeu dans trois communes "
              "éloignées des services.",
              "Calendrier : ouverture en janvier 2025",
              "Partenaires : CAF (prestation de service LAEP), communes d'accueil",
              "Moyens humains : 2 accueillantes formées",
              "Lieu : salles des fêtes de Lisière, Saint-Amans et Vauclair",
              "Indicateurs :",
              Items(["Nombre de familles accueillies", "Nombre de séances",
                     "Augmentation du nombre de pères accueillis"])),
    Heading("Thématique 2 : Animation de la vie sociale", 1),
    Heading("AXE 2 : Faire vivre les centres bourgs", 1),
    Heading("Objectif 2.1 – Soutenir les initiatives d'habitants", 2),
    *_fiche_b("Action 2.1.1 – Créer un fonds d'initiatives habitants",
              "Pilote : Centre social La Passerelle",
              "Public : habitants de plus de 16 ans",
              "Calendrier : 2024-2028",
              "Partenaires : CAF, communes",
              "Moyens financiers : 5 000 € par an",
              "Indicateurs :",
              Items(["Nombre de projets financés", "Nombre d'habitants mobilisés"])),
    Para("Fait à Lisière, le 2 avril 2024."),
    Para("Le président de la communauté de communes, la directrice de la CAF."),
]


# -- author C: tables of two label-value pairs per row ------------------------------------------

def _fiche_c(number: str, hierarchy: list[tuple[str, str]], title: str,
             pairs: list[tuple[str, str, str, str]], indicators: list[str],
             observations: str | None = None) -> Table:
    rows = [[Cell(f"FICHE N° {number}", span=4)]]
    rows += [[Cell(label), Cell(value, span=3)] for label, value in hierarchy]
    rows.append([Cell("Intitulé"), Cell(title, span=3)])
    rows += [[Cell(a), Cell(b), Cell(c), Cell(d)] for a, b, c, d in pairs]
    rows.append([Cell("Indicateurs"), Cell(Items(indicators), span=3)])
    if observations:
        rows.append([Cell("Observations"), Cell(observations, span=3)])
    return Table([3.4, 5.1, 3.4, 5.1], rows)


FICHES_QUATRE_COLONNES = [
    Para("AGGLOMÉRATION DE BRÉVAL", bold=True),
    Para("Convention Territoriale Globale – Programme d'actions 2025-2029"),
    Para("THEMATIQUE : ACCES AUX DROITS", bold=True),
    _fiche_c("1", [("Axe stratégique", "II – Faciliter l'accès aux droits"),
                   ("Objectif", "2.1 Rapprocher les services des habitants")],
             "Déployer un bus France services dans les communes rurales",
             [("Pilote", "CIAS de Bréval", "Calendrier", "2025-2027"),
              ("Public cible", "Habitants des communes rurales", "Partenaires",
               "CAF, CPAM, MSA, France Travail"),
              ("Moyens humains", "2 conseillers France services", "Coût", "85 000 € par an")],
             ["Nombre de communes desservies", "Nombre de démarches accompagnées"],
             "Tournée définie avec les maires en comité des usagers."),
    Para(""),
    _fiche_c("2", [("Axe stratégique", "II – Faciliter l'accès aux droits"),
                   ("Objectif", "2.1 Rapprocher les services des habitants")],
             "Organiser des rendez-vous des droits dans les centres sociaux",
             [("Pilote", "CAF de Bréval", "Calendrier", "Dès 2025"),
              ("Public cible", "Allocataires", "Partenaires", "Centres sociaux, CCAS"),
              ("Moyens humains", "Conseillers CAF", "Coût", "Sans coût supplémentaire")],
             ["Nombre de rendez-vous des droits", "Montant des droits ouverts"]),
    Para(""),
    _fiche_c("3", [("Axe stratégique", "II – Faciliter l'accès aux droits"),
                   ("Objectif", "2.2 Lutter contre le non-recours")],
             "Former les acteurs associatifs au repérage du non-recours",
             [("Pilote", "CCAS de Bréval", "Calendrier", "2026"),
              ("Public cible", "Bénévoles et salariés associatifs", "Partenaires",
               "CAF, Restos du cœur, Secours populaire"),
              ("Moyens humains", "Travailleurs sociaux du CCAS", "Coût", "2 000 €")],
             ["Nombre de personnes formées", "Nombre d'orientations vers la CAF"]),
    Para(""),
    Para("THEMATIQUE : INCLUSION NUMERIQUE", bold=True),
    _fiche_c("4", [("Enjeu", "1 : Réduire la fracture numérique"),
                   ("Objectif", "1.2 Accompagner les démarches en ligne")],
             "Ouvrir des ateliers numériques pour les seniors",
             [("Pilote", "Médiathèque de Bréval", "Calendrier", "2025-2029"),
              ("Public cible", "Personnes de plus de 60 ans", "Partenaires",
               "Conférence des financeurs, CARSAT"),
              ("Moyens humains", "1 conseiller numérique", "Coût", "22 000 € par an")],
             ["Nombre d'ateliers", "Nombre de participants", "Taux d'assiduité"]),
    Para(""),
    _fiche_c("5", [("Enjeu", "1 : Réduire la fracture numérique"),
                   ("Objectif", "1.2 Accompagner les démarches en ligne")],
             "Prêter des ordinateurs reconditionnés aux familles",
             [("Pilote", "Centre social de Bréval-Nord", "Calendrier", "2026-2029"),
              ("Public cible", "Familles allocataires sans équipement", "Partenaires",
               "CAF, entreprise d'insertion Recyclo"),
              ("Moyens humains", "Animateur multimédia", "Coût", "6 000 € par an")],
             ["Nombre d'ordinateurs prêtés", "Nombre de familles accompagnées"]),
    Para(""),
]

FICHES = {"fiches_tableaux": FICHES_TABLEAUX, "fiches_paragraphes": FICHES_PARAGRAPHES,
          "fiches_quatre_colonnes": FICHES_QUATRE_COLONNES}
