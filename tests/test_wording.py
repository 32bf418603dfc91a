"""Every counted noun agrees with its number (0 and 1 take the singular in French) and no
message is written with « (s) »: the wording helper, the rules' templates, the reports and
the sources of every message."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from ctgxl.wording import agree, counted, number, percent, plural, plural_of

ROOT = Path(__file__).resolve().parent.parent
# headers written so by others: the template's, the national platform's (export tet)
HEADERS_WITH_PARENTHESES = ("Porteur(s) de projet", "Axe (x)")
BY_HAND = re.compile(r"\((?:e|s|es)\)")
# a number written before a plural noun by hand: « {n} lignes »
NUMBER_THEN_PLURAL = re.compile(r"^ ([a-zàâçéèêëîïôûùüÿœ-]+s)\b")
INVARIABLE = {"sans", "dans", "fois", "mois", "plus", "après", "vers", "sous", "ans", "pas",
              "puis", "depuis", "lors", "alors", "très", "les", "des", "ses", "ces", "cas",
              "temps", "tous", "toutes"}
# numbers that are always 2 or more (a limit passed, an internal English error…)
ALWAYS_MANY = {("sniff.py", "max(declared)"), ("fastrows.py", "len(rows.rendered)"),
               ("fastrows.py", "len(rows.table)"), ("_common.py", "type(value).__name__"),
               ("tet.py", "_count(len(value))"), ("report.py", "who"),
               ("build.py", "len(actions)"), ("xmlparts.py", "_n(max_nodes)"),
               ("document.py", "len(new_values)")}
JS_STRINGS = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`')


def plural_after_one(text: str) -> list[str]:
    """« 1 chiffres », « 0 lignes »: a plural noun after 0 or 1."""
    return [m.group(0) for m in re.finditer(r"\b[01] ([a-zàâçéèêëîïôûùüÿœ-]+s)\b", text)
            if m.group(1) not in INVARIABLE]


@pytest.mark.parametrize("n, expected", [
    (0, "0 ligne identique"), (1, "1 ligne identique"), (2, "2 lignes identiques")])
def test_counted_nouns_agree(n, expected):
    assert counted(n, "ligne identique") == expected


def test_agreement_helpers():
    assert [plural(n, "fichier") for n in (0, 1, 2)] == ["0 fichier", "1 fichier", "2 fichiers"]
    assert [agree(n, "a", "ont") for n in (0, 1, 2)] == ["a", "a", "ont"]
    assert plural_of("ligne de suivi") == "lignes de suivi"
    assert plural_of("nouveau tableau") == "nouveaux tableaux"
    assert plural_of("objectif opérationnel") == "objectifs opérationnels"
    assert counted(3, "conflit réglé") == "3 conflits réglés"


def test_numbers_and_percentages_are_written_in_french():
    assert [number(v) for v in (12.5, 1200, 3.0, 0.25)] == ["12,5", "1 200", "3", "0,25"]
    assert [percent(s) for s in (0.4, 0, 1)] == ["40 %", "0 %", "100 %"]


def _strings(tree: ast.AST):
    """String constants that are not docstrings."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docstrings:
            yield node


def _by_hand(path: Path, tree: ast.AST) -> list[str]:
    found = []
    for node in _strings(tree):
        text = node.value
        for header in HEADERS_WITH_PARENTHESES:
            text = text.replace(header, "")
        if BY_HAND.search(text):
            found.append(f"{path.name}:{node.lineno} : {node.value[:50]!r}")
    for node in ast.walk(tree):
        # « action{'s' if n != 1 else ''} »: an agreement made by hand (and wrong for 0)
        if (isinstance(node, ast.IfExp) and isinstance(node.body, ast.Constant)
                and node.body.value in ("s", "es", "nt", "x") and isinstance(node.orelse, ast.Constant)
                and node.orelse.value == ""):
            found.append(f"{path.name}:{node.lineno} : « {ast.unparse(node)} »")
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for value, after in zip(node.values, node.values[1:]):
            if not (isinstance(value, ast.FormattedValue) and isinstance(after, ast.Constant)):
                continue
            word = NUMBER_THEN_PLURAL.match(after.value)
            expression = ast.unparse(value.value)
            if (word and word.group(1) not in INVARIABLE
                    and not re.search(r"\b[A-Z][A-Z0-9_]{2,}\b", expression)   # a limit
                    and (path.name, expression) not in ALWAYS_MANY):
                found.append(f"{path.name}:{node.lineno} : « {{{expression}}}{after.value[:30]} »")
    return found


def test_no_message_counts_by_hand():
    """« (s) » or « {n} lignes » in the source of any message: use ``ctgxl.wording``."""
    found = []
    for path in sorted((ROOT / "ctgxl").rglob("*.py")):
        if path.name == "wording.py":        # the helper itself
            continue
        found += _by_hand(path, ast.parse(path.read_text(encoding="utf-8")))
    script = (ROOT / "ctgxl" / "addin" / "static" / "taskpane.js").read_text(encoding="utf-8")
    found += [f"taskpane.js : {m.group(0)}" for m in JS_STRINGS.finditer(script)
              if BY_HAND.search(m.group(0))]
    assert not found, "\n".join(found)


def test_the_scan_finds_what_it_is_for():
    tree = ast.parse('x = f"{n} lignes identiques"\ny = f"{n} ligne(s)"\nz = f"{MAX_ROWS} lignes"'
                     '\nw = f"{n} action{\'s\' if n != 1 else \'\'}"')
    assert len(_by_hand(Path("exemple.py"), tree)) == 3


@pytest.mark.parametrize("n", [0, 1, 2])
def test_the_rules_templates_render_without_hand_made_plurals(n):
    rules = tomllib.loads((ROOT / "ctgxl" / "data" / "regles.toml").read_text(encoding="utf-8"))

    class Params(dict):
        def __missing__(self, key):
            return str(n)

    for code, template in rules["messages"].items():
        text = template.format_map(Params())
        assert not BY_HAND.search(text), code
        assert not plural_after_one(text), code


@pytest.mark.parametrize("n", [0, 1, 2])
def test_the_diff_report_agrees_with_its_counts(tmp_path, n):
    from workbooks import small_plan

    from ctgxl.compare import diff_plans
    from ctgxl.compare.report import diff_lines

    old, new = small_plan(3), small_plan(3)
    rows = list(new.actions.rows)
    title = new.actions.sheet.position("intitule")
    for i in range(n):
        rows[i] = rows[i][:title] + (f"Nouvel intitulé {i}",) + rows[i][title + 1:]
    new = new.replace(actions=new.actions.with_rows(tuple(rows)))
    text = "\n".join(diff_lines(diff_plans(old, new), "a.xlsx", "b.xlsx"))
    assert not BY_HAND.search(text)
    if n == 0:
        assert "Les deux classeurs sont identiques" in text
    else:
        assert f"{n} différence{'s' if n > 1 else ''} trouvée{'s' if n > 1 else ''}." in text
    assert not plural_after_one(text)


def test_diff_shows_decimals_with_a_comma(run):
    """A decimal typed « 12,5 » in Calc is shown « 12,5 » by ctgxl diff, a year as typed."""
    root = ROOT / "tests" / "fixtures" / "office"
    result = run("diff", ROOT / "examples" / "enfance.xlsx",
                 root / "enfance_saisie_date_decimal.xlsx")
    assert "→ « 12,5 »" in result.stdout and "12.5" not in result.stdout
    from ctgxl.compare.labels import show

    assert [show(v) for v in (12.5, 2024.0, 2024, 0.25)] == ["« 12,5 »", "« 2024 »", "« 2024 »",
                                                            "« 0,25 »"]


def test_shares_are_written_with_a_space_before_the_percent_sign():
    from ctgxl.wording import PERCENT_FORMAT

    assert PERCENT_FORMAT.endswith("\\ %")
    for path in ("consolidation/dashboard.py", "panorama/dashboard.py", "panorama/tables.py"):
        source = (ROOT / "ctgxl" / path).read_text(encoding="utf-8")
        assert '"0%"' not in source and ":.0%}" not in source, path
