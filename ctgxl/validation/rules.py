"""The rule set: ``validation/regles.toml`` and ``validation/listes.toml`` read into data.

A coordinator's rule folder (``--regles DIR``) only needs what it changes:
its ``regles.toml`` is laid over the one shipped with ctgxl (tables are
merged key by key, lists replaced whole) and, when it has no ``listes.toml``,
the shipped lists are used. Every name the files use (sheet, column,
thématique, severity) is checked here, so that a typo in a rule file is one
clear French line, never a failure in the middle of a run.

Rules are plain data: this module reads TOML and imports nothing of the
checks (no pandas). The names of checks and the finding codes are checked
against the registry of checks by the engine, before it runs them
(``engine.verify_rules``), with the same one-line French errors.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..catalogue import SHEETS_BY_KEY, TABLE_SHEETS, Column, Sheet
from ..errors import CtgxlError
from ..vocabulary import LISTS_FILE, Vocabulary, default_rules_dir, fold, load_vocabulary

RULES_FILE = "regles.toml"
SEVERITY_CHOICES = ("erreur", "avertissement", "information", "ignorer")
IGNORE = "ignorer"


@dataclass(frozen=True)
class Required:
    """Which columns must be filled, per sheet, with per-thématique exceptions.

    One instance per tier: ``[obligatoire]`` (code ``champ-obligatoire``) and
    ``[a_completer]`` (code ``champ-a-completer``). A column written « X si Y »
    is required only on the rows where Y is filled, « X sauf si Y » only where Y is
    empty (``conditions``: the column Y and whether it must be filled).
    """

    code: str
    default: Mapping[str, frozenset[str]]                      # sheet key -> column keys
    by_thematique: Mapping[str, Mapping[str, frozenset[str]]]  # code -> sheet key -> keys
    from_offers: Mapping[str, frozenset[str]]                  # code -> Actions keys
    conditions: Mapping[str, Mapping[str, tuple[str, bool]]]   # sheet -> key -> (Y, filled)

    def columns(self, sheet_key: str, code: str | None) -> frozenset[str]:
        specific = self.by_thematique.get(code or "", {})
        return specific.get(sheet_key, self.default.get(sheet_key, frozenset()))

    def all_columns(self, sheet_key: str) -> frozenset[str]:
        keys = set(self.default.get(sheet_key, ()))
        for sheets in self.by_thematique.values():
            keys |= sheets.get(sheet_key, set())
        if sheet_key == "actions":
            for offered in self.from_offers.values():
                keys |= offered
        return frozenset(keys)

    def condition(self, sheet_key: str, key: str) -> tuple[str, bool] | None:
        return self.conditions.get(sheet_key, {}).get(key)


@dataclass(frozen=True)
class Rules:
    folder: Path
    vocabulary: Vocabulary
    period: tuple[int, int]
    id_digits: int
    required: Required                   # [obligatoire]: erreur by default
    to_complete: Required                # [a_completer]: avertissement by default
    column_checks: Mapping[str, Mapping[str, tuple[str, ...]]]  # sheet -> column -> checks
    row_checks: Mapping[str, tuple[str, ...]]                   # sheet -> checks
    plan_checks: tuple[str, ...]
    forbidden_transitions: tuple[tuple[str, str], ...]
    multi_value_lists: frozenset[str]
    synonyms: Mapping[str, str]            # folded spelling -> list value
    obsolete_terms: tuple[tuple[str, str], ...]
    severities: Mapping[str, str]
    messages: Mapping[str, str]
    source: Path | None = None            # the regles.toml read (named in error messages)
    territory: str | None = None          # [convention] territoire: named by the bilan
    territory_code: str | None = None     # [convention] code_territoire: SIREN or INSEE

    @property
    def territory_of_rules(self):
        """The ``territory.Territory`` the rules name (for workbooks that name none)."""
        from ..territory import Territory

        return Territory(self.territory, self.territory_code)

    def fail(self, what: str) -> CtgxlError:
        """A French error naming the rule file, as a typo in it is reported."""
        return CtgxlError(f"{self.source or self.folder} : {what}")

    def severity(self, code: str, default: str = "avertissement") -> str:
        return self.severities.get(code, default)

    def message(self, code: str, variant: str | None = None) -> str:
        if variant and f"{code}.{variant}" in self.messages:
            return self.messages[f"{code}.{variant}"]
        return self.messages.get(code, code)

    def to_dict(self) -> dict[str, object]:
        return {"folder": str(self.folder), "period": list(self.period)}


def load_rules(rules_dir: Path | str | None = None) -> Rules:
    """The rules of ``rules_dir`` (the shipped folder when None), laid over the shipped ones."""
    folder = Path(rules_dir).resolve() if rules_dir else default_rules_dir()
    if not folder.is_dir():
        raise CtgxlError(f"{folder} : dossier de règles introuvable")
    return _load(folder, _stamp(folder))


def _stamp(folder: Path) -> tuple:
    """Changes when a rule file changes, so that an edited file is read again."""
    stamps = []
    for name in (RULES_FILE, LISTS_FILE):
        try:
            stat = (folder / name).stat()
            stamps.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


@lru_cache(maxsize=8)
def _load(folder: Path, stamp: tuple) -> Rules:
    shipped = default_rules_dir()
    data = _read_toml(shipped / RULES_FILE)
    path = folder / RULES_FILE
    if folder != shipped and path.is_file():
        data = _overlay(data, _read_toml(path))
    lists_dir = folder if (folder / LISTS_FILE).is_file() else shipped
    vocabulary = load_vocabulary(lists_dir)
    return _build(folder, data, vocabulary, path if path.is_file() else shipped / RULES_FILE)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CtgxlError(f"{path} : fichier de règles introuvable") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CtgxlError(f"{path} : fichier de règles illisible ({exc})") from None


def _overlay(base: dict, extra: dict) -> dict:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _overlay(merged[key], value)
        else:
            merged[key] = value
    return merged


class _Resolver:
    """Turns the names written in rule files into catalogue keys, or a French error."""

    def __init__(self, path: Path, vocabulary: Vocabulary) -> None:
        self.path = path
        self.vocabulary = vocabulary
        self._sheets = {fold(s.name): s for s in TABLE_SHEETS} | {
            fold(s.key): s for s in TABLE_SHEETS}

    def fail(self, what: str) -> CtgxlError:
        return CtgxlError(f"{self.path} : {what}")

    def sheet(self, name: str) -> Sheet:
        sheet = self._sheets.get(fold(str(name)))
        if sheet is None:
            names = ", ".join(s.name for s in TABLE_SHEETS)
            raise self.fail(f"feuille « {name} » inconnue (feuilles : {names})")
        return sheet

    def column(self, sheet: Sheet, name: str) -> Column:
        wanted = fold(str(name))
        for column in sheet.columns:
            if wanted in (fold(column.key), fold(column.header)):
                return column
        keys = ", ".join(sheet.keys)
        raise self.fail(f"colonne « {name} » inconnue dans la feuille {sheet.name} "
                        f"(noms possibles : {keys})")

    def columns(self, sheet: Sheet, names: object) -> frozenset[str]:
        return frozenset(self.column(sheet, n).key for n in self.strings(names, sheet.name))

    def thematique(self, name: str) -> str:
        found = self.vocabulary.thematique(str(name))
        if found is None:
            raise self.fail(f"thématique « {name} » absente de listes.toml")
        return found.code

    def strings(self, value: object, where: str) -> list[str]:
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where} : une liste de noms entre guillemets est attendue")
        return list(value)

    def table(self, value: object, where: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(f"[{where}] : une table est attendue")
        return value


def _build(folder: Path, data: dict, vocabulary: Vocabulary, path: Path) -> Rules:
    r = _Resolver(path, vocabulary)
    convention = r.table(data.get("convention"), "convention")
    try:
        period = (int(convention["debut"]), int(convention["fin"]))
    except (KeyError, TypeError, ValueError):
        raise r.fail("[convention] : « debut » et « fin » doivent être des années") from None
    if period[0] > period[1]:
        raise r.fail("[convention] : l'année de début est postérieure à l'année de fin")
    territory = convention.get("territoire")
    if territory is not None and not isinstance(territory, str):
        raise r.fail("[convention] : « territoire » doit être un texte entre guillemets")
    territory_code = _territory_code(r, convention.get("code_territoire"))
    digits = r.table(data.get("identifiants"), "identifiants").get("chiffres", 3)
    if not isinstance(digits, int) or not 1 <= digits <= 6:
        raise r.fail("[identifiants] : « chiffres » doit être un nombre entre 1 et 6")

    required = _required(r, "champ-obligatoire", data.get("obligatoire"), "obligatoire")
    to_complete = _required(r, "champ-a-completer", data.get("a_completer"), "a_completer")

    checks = r.table(data.get("controles"), "controles")
    column_checks: dict[str, dict[str, tuple[str, ...]]] = {}
    for sheet_name, columns in r.table(checks.get("colonnes"), "controles.colonnes").items():
        sheet = r.sheet(sheet_name)
        per_column = column_checks.setdefault(sheet.key, {})
        for column_name, names in r.table(columns, f"controles.colonnes.{sheet_name}").items():
            key = r.column(sheet, column_name).key
            per_column[key] = tuple(r.strings(names, "contrôles (colonne)"))
    row_checks = {
        r.sheet(sheet_name).key: tuple(r.strings(names, "contrôles (ligne)"))
        for sheet_name, names in r.table(checks.get("lignes"), "controles.lignes").items()
    }
    plan_checks = tuple(r.strings(checks.get("plan", []), "contrôles (plan)"))

    statuts = set(vocabulary.values("statuts"))
    transitions = []
    for pair in r.table(data.get("suivi"), "suivi").get("transitions_interdites", []):
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(p, str) and p in statuts for p in pair)):
            raise r.fail(f"[suivi] transitions_interdites : {pair!r} doit être une paire de "
                         "statuts de listes.toml")
        transitions.append((pair[0], pair[1]))

    multi = r.table(data.get("listes_multiples"), "listes_multiples")
    for name in multi:
        if name not in vocabulary.names:
            raise r.fail(f"[listes_multiples] : liste « {name} » absente de listes.toml")
    synonyms = {fold(k): str(v) for k, v in r.table(data.get("synonymes"), "synonymes").items()}
    obsolete = tuple((str(k), str(v)) for k, v in
                     r.table(data.get("termes_obsoletes"), "termes_obsoletes").items())

    severities = {str(k): str(v) for k, v in r.table(data.get("gravites"), "gravites").items()}
    for code, severity in severities.items():
        if severity not in SEVERITY_CHOICES:
            raise r.fail(f"[gravites] {code} : « {severity} » n'est pas une gravité "
                         f"({', '.join(SEVERITY_CHOICES)})")
    messages = {str(k): str(v) for k, v in r.table(data.get("messages"), "messages").items()}
    for code, template in messages.items():
        try:
            list(string.Formatter().parse(template))
        except ValueError:
            raise r.fail(f"[messages] {code} : accolades mal fermées") from None

    return Rules(
        folder=folder, vocabulary=vocabulary, period=period, id_digits=digits,
        required=required, to_complete=to_complete, column_checks=column_checks, row_checks=row_checks,
        plan_checks=plan_checks, forbidden_transitions=tuple(transitions),
        multi_value_lists=frozenset(k for k, v in multi.items() if v),
        synonyms=synonyms, obsolete_terms=obsolete, severities=severities, messages=messages,
        source=path, territory=(territory or "").strip() or None, territory_code=territory_code,
    )


def _required(r: _Resolver, code: str, table: object, where: str) -> Required:
    default: dict[str, frozenset[str]] = {}
    by_thematique: dict[str, dict[str, frozenset[str]]] = {}
    from_offers: dict[str, frozenset[str]] = {}
    conditions: dict[str, dict[str, tuple[str, bool]]] = {}

    def columns(sheet, names) -> frozenset[str]:
        keys = set()
        for name in r.strings(names, f"[{where}] {sheet.name}"):
            column, _, condition = (part.strip() for part in str(name).partition(" si "))
            unless = column.endswith(" sauf")
            column = column.removesuffix(" sauf").strip()
            key = r.column(sheet, column).key
            keys.add(key)
            if condition:
                conditions.setdefault(sheet.key, {})[key] = (r.column(sheet, condition).key,
                                                             not unless)
        return frozenset(keys)

    for name, value in r.table(table, where).items():
        if name == "thematiques":
            for theme, sheets in r.table(value, f"{where}.thematiques").items():
                theme_code = r.thematique(theme)
                per_sheet = by_thematique.setdefault(theme_code, {})
                for sheet_name, names in r.table(sheets, f"{where}.thematiques.{theme}").items():
                    if sheet_name == "fournis_par_les_offres":
                        from_offers[theme_code] = columns(SHEETS_BY_KEY["actions"], names)
                    else:
                        sheet = r.sheet(sheet_name)
                        per_sheet[sheet.key] = columns(sheet, names)
        else:
            sheet = r.sheet(name)
            default[sheet.key] = columns(sheet, value)
    return Required(code, default, by_thematique, from_offers, conditions)


def _territory_code(r, raw: object) -> str | None:
    """``[convention] code_territoire``: a SIREN or INSEE code, as a text."""
    from ..territory import check_code, code_problem, normalize_code

    if raw is None:
        return None
    if not isinstance(raw, str):
        raise r.fail("[convention] : « code_territoire » doit être un texte entre guillemets "
                     "(ex. \"244000865\")")
    code = normalize_code(raw)
    if code is not None and check_code(code) is not None:
        raise r.fail(f"[convention] : code_territoire : {code_problem(code)}")
    return code
