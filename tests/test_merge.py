"""merge_plans: both sides' changes applied field by field, conflicts never silent."""

from __future__ import annotations

from compare_helpers import action, plan_of
from ctgxl.compare import merge_plans
from ctgxl.model import Meta

BASE = [action(n) for n in range(1, 6)]


def edit(rows, n, **changes):
    """Copy of ``rows`` with action ENF-00n changed."""
    return [action(n, **changes) if r["id_action"] == f"ENF-{n:03d}" else r for r in rows]


def value(plan, id_action, column):
    (row,) = [r for r in plan.actions.records() if r["id_action"] == id_action]
    return row[column]


def test_changes_to_different_fields_of_one_action_are_both_applied():
    local = edit(BASE, 1, porteur="Service Enfance et CCAS")
    remote = edit(BASE, 1, statut="Réalisée")
    result = merge_plans(plan_of(BASE), plan_of(local), plan_of(remote))
    assert result.conflicts == ()
    assert value(result.plan, "ENF-001", "porteur") == "Service Enfance et CCAS"
    assert value(result.plan, "ENF-001", "statut") == "Réalisée"
    assert result.applied["local"]["modified"] == result.applied["distant"]["modified"] == 1


def test_a_field_changed_differently_on_both_sides_is_a_conflict_keeping_local():
    local = edit(BASE, 2, porteur="CCAS")
    remote = edit(BASE, 2, porteur="Relais petite enfance")
    result = merge_plans(plan_of(BASE), plan_of(local), plan_of(remote))
    (c,) = result.conflicts
    assert (c.table, c.kind, c.key, c.column) == ("actions", "modifiee-des-deux-cotes",
                                                  ("ENF-002",), "porteur")
    assert (c.base, c.local, c.remote, c.kept) == ("Service Enfance", "CCAS",
                                                   "Relais petite enfance", "local")
    assert value(result.plan, "ENF-002", "porteur") == "CCAS"
    assert c.index == 1  # second row of the merged Actions table


def test_prefer_distant_keeps_the_remote_value():
    local = edit(BASE, 2, porteur="CCAS")
    remote = edit(BASE, 2, porteur="Relais petite enfance")
    result = merge_plans(plan_of(BASE), plan_of(local), plan_of(remote), prefer="distant")
    assert value(result.plan, "ENF-002", "porteur") == "Relais petite enfance"
    assert result.conflicts[0].kept == "distant"


def test_the_same_change_on_both_sides_is_no_conflict():
    both = edit(BASE, 3, statut="Abandonnée")
    result = merge_plans(plan_of(BASE), plan_of(both), plan_of(both))
    assert result.conflicts == ()
    assert value(result.plan, "ENF-003", "statut") == "Abandonnée"


def test_deleted_on_one_side_and_untouched_on_the_other_is_deleted():
    result = merge_plans(plan_of(BASE), plan_of(BASE[1:]), plan_of(BASE))
    assert result.conflicts == ()
    assert result.plan.actions.column("id_action") == [f"ENF-00{n}" for n in range(2, 6)]


def test_deleted_on_one_side_and_modified_on_the_other_is_a_conflict():
    local = [r for r in BASE if r["id_action"] != "ENF-004"]
    remote = edit(BASE, 4, statut="Réalisée", commentaire="Bilan présenté au COPIL")
    result = merge_plans(plan_of(BASE), plan_of(local), plan_of(remote))
    assert {(c.kind, c.column, c.local, c.remote) for c in result.conflicts} == {
        ("supprimee-en-local", "statut", None, "Réalisée"),
        ("supprimee-en-local", "commentaire", None, "Bilan présenté au COPIL"),
    }
    assert "ENF-004" not in result.plan.actions.column("id_action")  # LOCAL deleted it
    assert all(c.index is None for c in result.conflicts)

    kept = merge_plans(plan_of(BASE), plan_of(local), plan_of(remote), prefer="distant")
    assert value(kept.plan, "ENF-004", "statut") == "Réalisée"
    assert all(c.index == 3 for c in kept.conflicts)


def test_rows_added_on_both_sides_are_all_kept_in_place():
    local = [*BASE[:2], action(20, intitule="Créer un conseil municipal des enfants"), *BASE[2:]]
    remote = [action(30, intitule="Ouvrir une ludothèque"), *BASE]
    result = merge_plans(plan_of(BASE), plan_of(local), plan_of(remote))
    assert result.plan.actions.column("id_action") == [
        "ENF-030", "ENF-001", "ENF-002", "ENF-020", "ENF-003", "ENF-004", "ENF-005"]
    assert dict(result.applied["local"])["added"] == 1


def test_the_same_id_added_on_both_sides_is_one_row_merged_field_by_field():
    local = [*BASE, action(9, intitule="Séjours d'été", porteur="ALSH")]
    remote = [*BASE, action(9, intitule="Séjours d'été", porteur="Service Jeunesse")]
    result = merge_plans(plan_of(BASE), plan_of(local), plan_of(remote))
    assert result.plan.actions.column("id_action").count("ENF-009") == 1
    (c,) = result.conflicts
    assert (c.kind, c.column, c.base, c.local, c.remote) == (
        "ajoutee-des-deux-cotes", "porteur", None, "ALSH", "Service Jeunesse")


def test_a_renumbered_action_still_receives_the_other_sides_edits():
    local = edit(BASE, 3, id_action="ENF-103")
    remote = edit(BASE, 3, statut="Réalisée")
    offres = [{"id_action": "ENF-003", "numero_offre": 1, "offre": "Atelier théâtre"}]
    result = merge_plans(
        plan_of(BASE, offres=offres),
        plan_of(local, offres=[{**offres[0], "id_action": "ENF-103"}]),
        plan_of(remote, offres=[{**offres[0], "porteur": "Compagnie du Sablier"}]))
    assert result.conflicts == ()
    assert "ENF-003" not in result.plan.actions.column("id_action")
    assert value(result.plan, "ENF-103", "statut") == "Réalisée"
    assert result.plan.offres.records()[0]["id_action"] == "ENF-103"
    assert result.plan.offres.records()[0]["porteur"] == "Compagnie du Sablier"


def test_an_id_given_to_two_different_rows_is_a_warning():
    local = edit(BASE, 5, id_action="ENF-050")
    remote = [*BASE, action(50, intitule="Créer un accueil jeunes en soirée", porteur="BIJ",
                            public="Jeunes de 14 à 17 ans", partenaires="SDJES")]
    result = merge_plans(plan_of(BASE), plan_of(local), plan_of(remote))
    (note,) = result.notes
    assert note.code == "fusion-identifiant-en-double" and note.value == "ENF-050"
    assert result.plan.actions.column("id_action").count("ENF-050") == 2  # nothing dropped


def test_meta_is_merged_too():
    base = plan_of(BASE, meta=Meta(thematique="Enfance", service="Enfance"))
    local = plan_of(BASE, meta=Meta(thematique="Enfance", service="Pôle Éducation"))
    result = merge_plans(base, local, base)
    assert result.plan.meta.service == "Pôle Éducation"
    remote = plan_of(BASE, meta=Meta(thematique="Enfance", service="Direction Enfance"))
    (c,) = merge_plans(base, local, remote).conflicts
    assert (c.table, c.column, c.kept) == ("meta", "service", "local")


def test_follow_up_rows_are_keyed_by_action_and_year():
    suivi = [{"id_action": "ENF-001", "annee": 2024, "statut": "En cours"}]
    local = suivi + [{"id_action": "ENF-001", "annee": 2025, "statut": "Réalisée"}]
    remote = [{**suivi[0], "valeur": "120 enfants"}]
    result = merge_plans(plan_of(BASE, suivi=suivi), plan_of(BASE, suivi=local),
                         plan_of(BASE, suivi=remote))
    assert result.conflicts == ()
    assert [(r["annee"], r["statut"], r["valeur"]) for r in result.plan.suivi.records()] == [
        (2024, "En cours", "120 enfants"), (2025, "Réalisée", None)]


def test_provenance_columns_never_make_a_conflict():
    local = [{**r, "source_fichier": "enfance.xlsx"} for r in BASE]
    remote = [{**r, "source_fichier": "enfance_copie.xlsx"} for r in BASE]
    result = merge_plans(plan_of(BASE), plan_of(local), plan_of(remote))
    assert result.conflicts == ()
    assert set(result.plan.actions.column("source_fichier")) == {"enfance.xlsx"}
