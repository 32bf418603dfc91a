"""The catalogue is the single description of the workbook: check it is coherent."""

from ctgxl.catalogue import SHEET_ORDER, TABLE_SHEETS
from ctgxl.lisezmoi import paragraphs
from ctgxl.vocabulary import fold, load_vocabulary


def test_keys_and_headers_are_unique_per_sheet():
    for sheet in TABLE_SHEETS:
        assert len(set(sheet.keys)) == len(sheet.keys), sheet.name
        assert len({fold(h) for h in sheet.headers}) == len(sheet.headers), sheet.name
        assert set(sheet.key_columns) <= set(sheet.keys)


def test_no_synonym_points_at_two_columns_of_a_sheet():
    for sheet in TABLE_SHEETS:
        owner: dict[str, str] = {}
        for column in sheet.columns:
            for label in (column.header, *column.synonyms):
                folded = fold(label)
                assert owner.setdefault(folded, column.key) == column.key, (
                    f"{sheet.name}: « {label} » désigne {owner[folded]} et {column.key}")


def test_every_vocabulary_named_by_a_column_exists():
    vocabulary = load_vocabulary()
    for sheet in TABLE_SHEETS:
        for column in sheet.columns:
            if column.vocabulary:
                assert vocabulary.values(column.vocabulary), column.vocabulary


def test_default_statuts_are_the_documented_ones():
    assert load_vocabulary().values("statuts") == (
        "Non démarrée", "En cours", "Réalisée", "Reportée", "Abandonnée")


def test_readme_sheet_explains_every_column_in_french():
    text = "\n".join(t for _, t in paragraphs(load_vocabulary(), "Enfance"))
    for sheet in TABLE_SHEETS:
        assert f"« {sheet.name} »" in text
        for column in sheet.columns:
            assert f"{column.header} : {column.help}" in text


def test_sheet_order_names_every_table_sheet():
    assert [s.name for s in TABLE_SHEETS] == [n for n in SHEET_ORDER if n in {s.name for s in TABLE_SHEETS}]


def test_edited_lists_are_read_again(tmp_path):
    import os
    import shutil

    from ctgxl.vocabulary import default_rules_dir

    folder = tmp_path / "regles"
    shutil.copytree(default_rules_dir(), folder)
    assert "Suspendue" not in load_vocabulary(folder).values("statuts")
    lists = folder / "listes.toml"
    lists.write_text(lists.read_text(encoding="utf-8").replace(
        '"Abandonnée",', '"Abandonnée",\n    "Suspendue",'), encoding="utf-8")
    stat = lists.stat()
    os.utime(lists, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert "Suspendue" in load_vocabulary(folder).values("statuts")
