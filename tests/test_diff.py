"""diff_plans: rows matched by key, never by position; each difference named."""

from __future__ import annotations

from compare_helpers import action, plan_of
from ctgxl.compare import diff_plans
from ctgxl.model import Meta

BASE = [action(n) for n in range(1, 8)]


def actions_diff(old_rows, new_rows, **kw):
    return diff_plans(plan_of(old_rows), plan_of(new_rows), **kw).table("actions")


def test_inserting_a_row_at_the_top_gives_one_added_row_only():
    d = actions_diff(BASE, [action(50, intitule="Créer une ludothèque itinérante"), *BASE])
    assert [c.kind for c in d.rows] == ["added"]
    assert d.added[0].new_row[0] == "ENF-050"
    assert d.unchanged == len(BASE)


def test_reordering_rows_is_no_difference():
    assert diff_plans(plan_of(BASE), plan_of(list(reversed(BASE)))).identical


def test_deleting_a_row_gives_one_removed_row():
    d = actions_diff(BASE, BASE[:3] + BASE[4:])
    assert [(c.kind, c.old_row[0]) for c in d.rows] == [("removed", "ENF-004")]


def test_modified_fields_carry_old_and_new_values():
    new = list(BASE)
    new[1] = action(2, porteur="Service Enfance, CCAS", statut="Réalisée")
    (change,) = actions_diff(BASE, new).rows
    assert change.kind == "modified" and not change.moved and not change.renumbered
    assert [(f.column, f.old, f.new) for f in change.changes] == [
        ("porteur", "Service Enfance", "Service Enfance, CCAS"),
        ("statut", "En cours", "Réalisée"),
    ]


def test_a_new_id_with_the_same_content_is_a_renumbering_not_remove_and_add():
    new = list(BASE)
    new[2] = action(3, id_action="ENF-103")
    d = actions_diff(BASE, new)
    (change,) = d.rows
    assert change.kind == "modified" and change.renumbered
    assert change.similarity == 1.0
    assert [(f.column, f.old, f.new) for f in change.changes] == [
        ("id_action", "ENF-003", "ENF-103")]
    assert not d.added and not d.removed


def test_a_renumbered_action_with_small_edits_is_found_by_similarity():
    new = list(BASE)
    new[2] = action(3, id_action="ENF-103", numero="12", statut="Réalisée")
    (change,) = actions_diff(BASE, new).rows
    assert change.renumbered and 0.7 <= change.similarity < 1
    assert {f.column for f in change.changes} == {"id_action", "numero", "statut"}


def test_a_different_action_under_a_new_id_is_remove_and_add():
    new = BASE[:6] + [action(60, intitule="Ouvrir un lieu d'accueil enfants-parents (LAEP)",
                             porteur="CCAS", public="Parents et enfants de 0 à 6 ans",
                             partenaires="CAF des Landes", indicateurs="Fréquentation")]
    d = actions_diff(BASE, new)
    assert sorted(c.kind for c in d.rows) == ["added", "removed"]


def test_a_new_number_under_the_same_id_is_a_renumbering():
    new = list(BASE)
    new[0] = action(1, numero="1 bis")
    (change,) = actions_diff(BASE, new).rows
    assert change.renumbered and change.similarity is None


def test_an_action_moved_under_another_axe_is_reported_as_moved():
    new = list(BASE)
    new[3] = action(4, axe="II", objectif="2")
    (change,) = actions_diff(BASE, new).rows
    assert change.moved and not change.renumbered
    assert {f.column for f in change.changes} == {"axe", "objectif"}


def test_spacing_and_case_only_changes_are_reported_apart_or_ignored():
    new = list(BASE)
    new[0] = action(1, porteur="service  enfance")
    new[1] = action(2, public="Enfants de 3\nà 11 ans")
    d = actions_diff(BASE, new)
    assert [c.kind for c in d.rows] == ["cosmetic", "cosmetic"]
    assert [c.changes[0].cosmetic for c in d.rows] == ["espaces+casse", "espaces"]
    assert not d.modified
    assert diff_plans(plan_of(BASE), plan_of(new), ignore_cosmetic=True).identical


def test_a_row_with_real_and_cosmetic_changes_is_modified():
    new = list(BASE)
    new[0] = action(1, porteur="SERVICE ENFANCE", statut="Réalisée")
    (change,) = actions_diff(BASE, new).rows
    assert change.kind == "modified"
    assert {f.column: f.cosmetic for f in change.changes} == {"porteur": "casse", "statut": None}


def test_an_id_differing_only_by_case_is_matched():
    new = list(BASE)
    new[0] = action(1, id_action="enf-001")
    (change,) = actions_diff(BASE, new).rows
    assert change.kind == "cosmetic" and change.changes[0].column == "id_action"


def test_offers_and_follow_up_follow_their_renumbered_action():
    offres = [{"id_action": "ENF-003", "numero_offre": 1, "offre": "Atelier théâtre"}]
    suivi = [{"id_action": "ENF-003", "annee": 2024, "statut": "En cours"}]
    new_actions = list(BASE)
    new_actions[2] = action(3, id_action="ENF-103")
    old = plan_of(BASE, offres=offres, suivi=suivi)
    new = plan_of(new_actions, offres=[{**offres[0], "id_action": "ENF-103"}],
                  suivi=[{**suivi[0], "id_action": "ENF-103"}])
    d = diff_plans(old, new)
    for table in ("offres", "suivi"):
        (change,) = d.table(table).rows
        assert change.kind == "modified" and change.renumbered
        assert [(f.old, f.new) for f in change.changes] == [("ENF-003", "ENF-103")]


def test_inserting_an_offer_before_the_others_shifts_ranks_without_cascading_edits():
    old = [{"id_action": "ENF-001", "numero_offre": k, "offre": text}
           for k, text in ((1, "Atelier cirque"), (2, "Sortie au musée Despiau-Wlérick"))]
    new = [{"id_action": "ENF-001", "numero_offre": 1, "offre": "Chorale des écoles"}]
    new += [{**o, "numero_offre": o["numero_offre"] + 1} for o in old]
    d = diff_plans(plan_of(BASE, offres=old), plan_of(BASE, offres=new)).table("offres")
    assert [(c.kind, c.renumbered) for c in d.rows] == [
        ("added", False), ("modified", True), ("modified", True)]
    assert all([f.column for f in c.changes] == ["numero_offre"] for c in d.modified)


def test_duplicate_ids_are_matched_in_order_of_occurrence():
    twice = [action(1), action(1, intitule="Doublon")]
    d = actions_diff(twice, twice + [action(2)])
    assert [c.kind for c in d.rows] == ["added"]


def test_meta_changes_are_reported():
    old = plan_of(BASE, meta=Meta(thematique="Enfance", service="Enfance"))
    new = plan_of(BASE, meta=Meta(thematique="Enfance", service="Pôle Éducation"))
    d = diff_plans(old, new)
    assert not d.identical
    assert [(f.column, f.old, f.new) for f in d.meta] == [("service", "Enfance", "Pôle Éducation")]


def test_changes_are_listed_in_new_file_order_with_removed_rows_in_place():
    new = [action(50), *BASE[:2], *BASE[3:]]
    new[4] = action(5, statut="Réalisée")
    d = actions_diff(BASE, new)
    assert [(c.kind, c.row[0]) for c in d.rows] == [
        ("added", "ENF-050"), ("removed", "ENF-003"), ("modified", "ENF-005")]


def test_provenance_columns_are_not_compared():
    new = [{**r, "source_fichier": "enfance.xlsx", "source_ligne": n}
           for n, r in enumerate(BASE, start=2)]
    assert diff_plans(plan_of(BASE), plan_of(new)).identical


def test_every_action_renumbered_and_edited_is_still_found():
    rows = [action(n, porteur=f"Porteur {n % 7}") for n in range(1, 301)]
    moved = [{**r, "id_action": r["id_action"].replace("ENF", "EJE"), "statut": "Reportée"}
             for r in rows]
    d = actions_diff(rows, moved)
    assert len(d.renumbered) == 300 and not d.added and not d.removed
