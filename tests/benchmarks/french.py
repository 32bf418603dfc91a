"""Word pools for the benchmarks' generated plans: realistic French CTG text.

Shared by every ``bench_*.py`` so that all benchmarks measure the same kind of content.
"""

THEMES = [("Petite enfance", "PEN"), ("Enfance", "ENF"), ("Jeunesse et vie étudiante", "JEU"),
          ("Cohésion sociale", "COH"), ("Parentalité", "PAR")]
VERBS = ["Développer", "Maintenir", "Renforcer", "Organiser", "Mettre en place", "Poursuivre",
         "Valoriser", "Favoriser", "Accompagner", "Proposer", "Étudier la possibilité de créer"]
OBJECTS = ["l'offre d'accueil collectif", "un forum de la petite enfance",
           "les actions de prévention santé", "le partenariat avec la médiathèque",
           "des ateliers parents-enfants", "l'accueil des enfants à besoins particuliers",
           "les études surveillées dans les accueils périscolaires",
           "un point information jeunesse itinérant", "le lieu d'accueil enfants-parents",
           "la communication auprès des familles", "les rencontres inter-centres",
           "l'apprentissage de la natation", "des séjours courts pour les 12-17 ans"]
PLACES = ["sur le territoire de l'agglomération", "dans les quartiers prioritaires",
          "en lien avec le RPE et la PMI", "avec les écoles et les ALSH",
          "pour les communes rurales", "en horaires atypiques", "avec les associations locales"]
PORTEURS = ["Direction Pôle Petite Enfance", "Pôle Éducation de l'Agglomération", "CIAS du Marsan",
            "Service jeunesse", "RPE", "Direction de la cohésion sociale", "Centre social Lacaze"]
PUBLICS = ["Familles avec enfants de 2 mois 1/2 à 4 ans", "Élèves des écoles communautaires",
           "Jeunes de 12 à 25 ans", "Parents et futurs parents", "Assistants maternels et MAM",
           "Habitants des quartiers prioritaires"]
PARTENAIRES = ["CAF des Landes, PMI", "Éducation nationale, CAF", "Département, MSA",
               "Associations locales, médiathèque", "SDJES, CAF des Landes", "CCAS, CAF, PMI"]
ECHEANCES = ["2023-2026", "2022-2023", "2024", "2025-2027", "toute la durée de la convention",
             "année scolaire", "2022-24 : diagnostic ; 2025-27 : mise en œuvre"]
INDICATEURS = ["Taux de participation", "Nombre de familles accompagnées",
               "Taux de satisfaction des familles", "Nombre d'ateliers organisés",
               "Évolution du taux de couverture"]
STATUTS = ["Non démarrée", "En cours", "Réalisée", "Reportée", "Abandonnée"]
