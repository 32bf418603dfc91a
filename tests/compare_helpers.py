"""Plans for diff and merge tests: a small realistic builder and hypothesis strategies.

Generated text is French (accents, œ, apostrophes, line breaks) and drawn
from a small pool on purpose, so that two edits often collide.
"""

from __future__ import annotations

from hypothesis import strategies as st

from ctgxl.model import Meta, Plan

ENF = "Enfance"


def action(n: int, **changes: object) -> dict[str, object]:
    """A plausible Enfance action numbered ``n``."""
    record: dict[str, object] = {
        "id_action": f"ENF-{n:03d}", "thematique": ENF, "axe": "I", "objectif": "1",
        "oo": "OO1", "numero": str(n),
        "intitule": f"Action {n} : accueil périscolaire des élèves de l'école n° {n * 7}",
        "porteur": "Service Enfance", "public": "Enfants de 3 à 11 ans",
        "echeances": "2023-2026", "partenaires": "CAF des Landes, Éducation nationale",
        "indicateurs": f"Nombre d'enfants accueillis ({n})", "statut": "En cours",
    }
    record.update(changes)
    return record


def plan_of(actions: list[dict], offres: list[dict] = (), suivi: list[dict] = (),
            plan: list[dict] = (), meta: Meta | None = None) -> Plan:
    return Plan.from_records(meta or Meta(thematique=ENF), actions=actions, offres=list(offres),
                             suivi=list(suivi), plan=list(plan))


# -- hypothesis ------------------------------------------------------------------

FRAGMENTS = (
    "RPE", "rpe", "Relais petite enfance", "CAF des Landes", "Pôle Petite Enfance",
    "Élèves et familles", "Élèves\net familles", "crèche familiale", "Crèche  familiale",
    "Maison d'assistants maternels (MAM)", "2023-2026", "année scolaire", "cœur de ville",
)
text = st.one_of(
    st.none(),
    st.sampled_from(FRAGMENTS),
    st.text(alphabet="aàâçéèêëîïôûùüœ AÉÈÇ'-\n0123", min_size=1, max_size=10),
)
ids = st.sampled_from([f"ENF-{i:03d}" for i in range(1, 10)])
EDITABLE = {
    "actions": ("thematique", "axe", "objectif", "numero", "intitule", "porteur", "public",
                "statut", "commentaire"),
    "offres": ("offre", "porteur", "statut"),
    "plan": ("axe_intitule", "objectif_intitule", "oo_intitule"),
    "indicateurs": ("libelle", "unite", "cible", "commentaire"),
    "suivi": ("statut", "valeur", "commentaire"),
}


def records(table: str, draw_id=ids) -> st.SearchStrategy[dict]:
    if table == "actions":
        return st.fixed_dictionaries({
            "id_action": draw_id, "thematique": st.sampled_from([ENF, "Jeunesse et vie étudiante"]),
            "axe": st.sampled_from(["I", "II", None]), "objectif": st.sampled_from(["1", "2"]),
            "numero": st.sampled_from(["1", "2", "3.13.10."]), "intitule": text, "porteur": text,
            "public": text, "statut": st.sampled_from([None, "En cours", "Réalisée"]),
            "commentaire": text,
        })
    if table == "offres":
        return st.fixed_dictionaries({
            "id_action": draw_id, "numero_offre": st.integers(1, 3), "offre": text,
            "porteur": text, "statut": st.sampled_from([None, "En cours"]),
        })
    if table == "plan":
        return st.fixed_dictionaries({
            "thematique": st.just(ENF), "axe": st.sampled_from(["I", "II"]),
            "objectif": st.sampled_from(["1", "2"]), "oo": st.sampled_from(["OO1", "OO2", "OO3"]),
            "axe_intitule": text, "objectif_intitule": text, "oo_intitule": text,
        })
    if table == "indicateurs":
        return st.fixed_dictionaries({
            "id_action": draw_id, "numero_indicateur": st.integers(1, 3), "libelle": text,
            "unite": st.sampled_from([None, "enfants", "%"]),
            "cible": st.sampled_from([None, 10, 12.5, 300]), "commentaire": text,
        })
    return st.fixed_dictionaries({
        "id_action": draw_id, "annee": st.integers(2023, 2025),
        "numero_indicateur": st.sampled_from([None, 1, 2]),
        "statut": st.sampled_from([None, "En cours", "Réalisée"]), "valeur": text,
        "commentaire": text,
    })


KEYS = {
    "actions": ("id_action",), "offres": ("id_action", "numero_offre"),
    "plan": ("thematique", "axe", "objectif", "oo"),
    "indicateurs": ("id_action", "numero_indicateur"),
    "suivi": ("id_action", "annee", "numero_indicateur"),
}


def table_records(table: str) -> st.SearchStrategy[list[dict]]:
    key = KEYS[table]
    return st.lists(records(table), max_size=6, unique_by=lambda r: tuple(r[k] for k in key))


@st.composite
def plans(draw) -> Plan:
    return Plan.from_records(
        Meta(thematique=draw(st.sampled_from([ENF, "Enfance "])), service=draw(text)),
        **{t: draw(table_records(t)) for t in KEYS},
    )


@st.composite
def edited(draw, base: Plan) -> Plan:
    """``base`` after a few edits of any kind: change, delete, add, reorder, renumber."""
    tables = {}
    for key in KEYS:
        rows = base.table(key).records()
        for _ in range(draw(st.integers(0, 3))):
            op = draw(st.sampled_from(["change", "change", "delete", "add", "swap", "renumber"]))
            if op == "add" or not rows:
                rows.insert(draw(st.integers(0, len(rows))), draw(records(key)))
                continue
            n = draw(st.integers(0, len(rows) - 1))
            if op == "change":
                column = draw(st.sampled_from(EDITABLE[key]))
                rows[n] = {**rows[n], column: draw(text)}
            elif op == "delete":
                del rows[n]
            elif op == "swap":
                m = draw(st.integers(0, len(rows) - 1))
                rows[n], rows[m] = rows[m], rows[n]
            elif "id_action" in rows[n]:
                rows[n] = {**rows[n], "id_action": draw(ids)}
        tables[key] = rows
    meta = base.meta
    if draw(st.booleans()):
        meta = Meta(thematique=meta.thematique, service=draw(text))
    return Plan.from_records(meta, **tables)


# -- files -----------------------------------------------------------------------

def records_of(plan: Plan) -> dict[str, list[dict]]:
    return {t: plan.table(t).records() for t in KEYS}


def rebuild(plan: Plan, meta: Meta | None = None, **tables: list[dict]) -> Plan:
    """``plan`` with some tables replaced by edited records."""
    return Plan.from_records(meta or plan.meta, **{**records_of(plan), **tables})


def write(plan: Plan, path):
    from ctgxl.writer import write_plan

    write_plan(plan, path)
    return path
