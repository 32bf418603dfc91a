"""split_plan, and consolidate/split undoing each other (library, hypothesis)."""

from __future__ import annotations

from consolidation_helpers import any_services, distinct_services, service
from hypothesis import HealthCheck, given, settings

from ctgxl.consolidation import NO_SOURCE, NO_THEMATIQUE, consolidate_plans, split_plan
from ctgxl.model import Meta, Plan

ENF, JEU = "Enfance", "Jeunesse et vie étudiante"
PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def test_split_by_thematique_gives_each_service_its_plan():
    enf = service(ENF, "ENF", 3, offres=2, suivi=True, service_name="Pôle Éducation")
    jeu = service(JEU, "JEU", 2)
    result = consolidate_plans([("enfance.xlsx", enf), ("jeunesse.xlsx", jeu)])
    parts = split_plan(result.master, "thematique", result.sources)
    assert list(parts) == [ENF, JEU]
    assert parts[ENF] == enf and parts[JEU] == jeu
    assert parts[ENF].meta == Meta(thematique=ENF, service="Pôle Éducation")
    assert set(parts[ENF].actions.column("source_fichier")) == {None}


def test_split_by_source_gives_each_file_its_rows():
    a, b = service(ENF, "ENF", 2), service(ENF, "ENF", 2, first=3, service_name="Bis")
    result = consolidate_plans([("a.xlsx", a), ("b.xlsx", b)])
    parts = split_plan(result.master, "source", result.sources)
    assert parts == {"a.xlsx": a, "b.xlsx": b}


def test_offers_follow_their_action_even_when_ids_repeat_across_files():
    a = service(ENF, "ENF", 1, offres=1)
    b = service(JEU, "ENF", 1, offres=2)      # a Jeunesse file reusing ENF-001
    result = consolidate_plans([("a.xlsx", a), ("b.xlsx", b)])
    parts = split_plan(result.master, "thematique", result.sources)
    assert len(parts[ENF].offres) == 1 and len(parts[JEU].offres) == 2


def test_rows_added_in_the_master_without_provenance():
    result = consolidate_plans([("enfance.xlsx", service(ENF, "ENF", 1)),
                                ("jeunesse.xlsx", service(JEU, "JEU", 1))])
    master = result.master
    added = Plan.from_records(actions=[{"id_action": "JEU-009", "thematique": JEU},
                                       {"id_action": "XXX-001"}],
                              offres=[{"id_action": "JEU-009", "numero_offre": 1}])
    master = master.replace(actions=master.actions.with_rows(master.actions.rows
                                                             + added.actions.rows),
                            offres=master.offres.with_rows(added.offres.rows))
    by_source = split_plan(master, "source", result.sources)
    assert by_source["jeunesse.xlsx"].actions.column("id_action") == ["JEU-001", "JEU-009"]
    assert by_source["jeunesse.xlsx"].offres.column("id_action") == ["JEU-009"]
    assert by_source[NO_SOURCE].actions.column("id_action") == ["XXX-001"]
    assert list(by_source)[-1] == NO_SOURCE
    by_theme = split_plan(master, "thematique", result.sources)
    assert by_theme[JEU].offres.column("id_action") == ["JEU-009"]
    assert by_theme[NO_THEMATIQUE].actions.column("id_action") == ["XXX-001"]
    assert by_theme[NO_THEMATIQUE].meta == Meta()


def test_without_sources_the_metadata_comes_from_the_rows():
    result = consolidate_plans([("enfance.xlsx", service(ENF, "ENF", 2))])
    assert split_plan(result.master, "source")["enfance.xlsx"].meta == Meta(ENF, ENF)
    assert split_plan(result.master, "thematique")[ENF].meta == Meta(ENF, ENF)


@PROPERTY
@given(any_services())
def test_split_by_source_undoes_consolidate(files):
    result = consolidate_plans(files)
    assert split_plan(result.master, "source", result.sources) == dict(files)


@PROPERTY
@given(distinct_services())
def test_split_by_thematique_undoes_consolidate(files):
    result = consolidate_plans(files)
    parts = split_plan(result.master, "thematique", result.sources)
    assert list(parts.values()) == [plan for _, plan in files]


@PROPERTY
@given(any_services())
def test_consolidate_undoes_split(files):
    master = consolidate_plans(files).master
    result = consolidate_plans(files)
    again = consolidate_plans(list(split_plan(master, "source", result.sources).items()))
    assert again.master == master


@PROPERTY
@given(any_services())
def test_nothing_is_lost_or_invented(files):
    result = consolidate_plans(files)
    master = result.master
    originals = dict(files)
    for table in master.tables:
        for record, row in zip(table.records(), table.without_provenance().rows):
            source = originals[record["source_fichier"]].table(table.sheet.key)
            assert source.rows[record["source_ligne"] - 2] == row
        assert len(table) == sum(len(p.table(table.sheet.key)) for p in originals.values())
    for by in ("source", "thematique"):
        parts = split_plan(master, by, result.sources)
        for key in ("actions", "offres", "plan", "suivi"):
            assert sum(len(p.table(key)) for p in parts.values()) == len(master.table(key))
