"""Service plans for consolidation tests: clean hand-made ones and hypothesis strategies."""

from __future__ import annotations

from hypothesis import strategies as st

from ctgxl.model import Meta, Plan

THEMES = (("Petite enfance", "PEN"), ("Enfance", "ENF"), ("Jeunesse et vie étudiante", "JEU"),
          ("Cohésion sociale", "COH"), ("Parentalité", "PAR"))


def service(label: str, code: str, n: int = 3, *, first: int = 1, statuts=("En cours",),
            years=((2023, 2026),), offres: int = 0, suivi: bool = False,
            service_name: str | None = None, oo_label: str = "Objectif opérationnel {k}",
            indicateurs: bool = True, porteur: str = "Service {label}",
            offer_actions: int = 1) -> Plan:
    """A service workbook's plan that validates without erreur."""
    actions = []
    for i in range(first, first + n):
        start, end = years[(i - first) % len(years)]
        actions.append({
            "id_action": f"{code}-{i:03d}", "thematique": label, "axe": "I", "objectif": "1",
            "oo": "OO1", "numero": str(i),
            "intitule": f"Action {i} de la thématique {label} : accueil des familles n° {i}",
            "porteur": porteur.format(label=label), "public": "Familles du territoire",
            "echeances": f"{start}-{end}", "annee_debut": start, "annee_fin": end,
            "partenaires": "CAF des Landes", "indicateurs":
                f"Nombre de familles accueillies ({i})" if indicateurs else None,
            "statut": statuts[(i - first) % len(statuts)],
        })
    plan_rows = [{"thematique": label, "axe": "I", "axe_intitule": f"Axe I de {label}",
                  "objectif": "1", "objectif_intitule": f"Objectif 1 de {label}",
                  "oo": f"OO{k}", "oo_intitule": oo_label.format(k=k)} for k in (1, 2)]
    offer_rows = [{"id_action": f"{code}-{i:03d}", "numero_offre": k,
                   "offre": f"Offre {k} de {label}", "porteur": "Centre social",
                   "indicateurs": "Taux de participation"}
                  for i in range(first, first + offer_actions) for k in range(1, offres + 1)]
    indicator_rows = ([{"id_action": f"{code}-{first:03d}", "numero_indicateur": 1,
                        "libelle": "Nombre de familles accueillies", "type": "Résultat",
                        "unite": "familles", "reference": 30, "annee_reference": 2022,
                        "cible": 50, "annee_cible": 2026}] if suivi else [])
    suivi_rows = ([{"id_action": f"{code}-{first:03d}", "annee": 2024, "numero_indicateur": 1,
                    "statut": "Réalisée", "valeur": 42}] if suivi else [])
    return Plan.from_records(Meta(thematique=label, service=service_name or label),
                             actions=actions, plan=plan_rows, offres=offer_rows,
                             indicateurs=indicator_rows, suivi=suivi_rows)


# -- hypothesis ------------------------------------------------------------------------------

text = st.one_of(
    st.none(),
    st.sampled_from(("RPE", "CAF des Landes", "Élèves\net familles", "2023-2026",
                     "année scolaire", "Pôle Petite Enfance", "cœur de ville")),
    st.text(alphabet="aàâçéèœ AÉ'-\n0123", min_size=1, max_size=8),
)


@st.composite
def service_plans(draw, label: str, code: str, *, own_thematique: bool = True) -> Plan:
    """A small plan of one service; rows may leave their thématique empty, offers and
    follow-up rows may point at actions the file does not have."""
    ids = [f"{code}-{i:03d}" for i in range(1, 6)]
    row_theme = st.sampled_from([label, label, None]) if own_thematique else \
        st.sampled_from([label, None, "Enfance"])
    actions = draw(st.lists(st.fixed_dictionaries({
        "id_action": st.sampled_from(ids), "thematique": row_theme,
        "axe": st.sampled_from(["I", "II", None]), "intitule": text, "porteur": text,
        "indicateurs": text, "statut": st.sampled_from([None, "En cours", "Réalisée", "Fait"]),
        "annee_debut": st.sampled_from([None, 2022, 2024]), "echeances": text,
    }), max_size=5, unique_by=lambda r: r["id_action"]))
    offres = draw(st.lists(st.fixed_dictionaries({
        "id_action": st.sampled_from(ids), "numero_offre": st.integers(1, 3), "offre": text,
        "indicateurs": text,
    }), max_size=4, unique_by=lambda r: (r["id_action"], r["numero_offre"])))
    plan = draw(st.lists(st.fixed_dictionaries({
        "thematique": row_theme, "axe": st.sampled_from(["I", "II"]),
        "objectif": st.sampled_from(["1", "2"]), "oo": st.sampled_from(["OO1", "OO2"]),
        "oo_intitule": text,
    }), max_size=3, unique_by=lambda r: (r["thematique"], r["axe"], r["objectif"], r["oo"])))
    number = st.one_of(st.none(), st.integers(0, 500), st.sampled_from((12.5, 0.25, "NC")))
    indicateurs = draw(st.lists(st.fixed_dictionaries({
        "id_action": st.sampled_from(ids), "numero_indicateur": st.integers(1, 3),
        "libelle": text, "unite": st.sampled_from([None, "familles", "%"]),
        "reference": number, "cible": number,
    }), max_size=3, unique_by=lambda r: (r["id_action"], r["numero_indicateur"])))
    suivi = draw(st.lists(st.fixed_dictionaries({
        "id_action": st.sampled_from(ids), "annee": st.integers(2023, 2025),
        "numero_indicateur": st.sampled_from([None, 1, 2]),
        "statut": st.sampled_from([None, "En cours"]), "valeur": number,
    }), max_size=3, unique_by=lambda r: (r["id_action"], r["annee"], r["numero_indicateur"])))
    meta = Meta(thematique=label if own_thematique else draw(st.sampled_from([label, None])),
                service=draw(st.sampled_from([None, "Service A", label])))
    return Plan.from_records(meta, actions=actions, offres=offres, plan=plan,
                             indicateurs=indicateurs, suivi=suivi)


@st.composite
def distinct_services(draw, max_files: int = 4) -> list[tuple[str, Plan]]:
    """(file name, plan) for 1–``max_files`` services, one thématique each."""
    chosen = draw(st.lists(st.sampled_from(THEMES), min_size=1, max_size=max_files,
                           unique=True))
    return [(f"service_{code.lower()}.xlsx", draw(service_plans(label, code)))
            for label, code in chosen]


@st.composite
def any_services(draw, max_files: int = 4) -> list[tuple[str, Plan]]:
    """(file name, plan) for files that may share thématiques and IDs, or have none."""
    count = draw(st.integers(1, max_files))
    files = []
    for n in range(count):
        label, code = draw(st.sampled_from(THEMES[:2]))
        files.append((f"fichier_{n}.xlsx",
                      draw(service_plans(label, code, own_thematique=False))))
    return files
