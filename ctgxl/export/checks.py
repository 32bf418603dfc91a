"""The descriptor of a data package checked before anything is read: every malformed
``datapackage.json`` (not JSON, not an object, resources that are not a list, a resource
without path, a path that is a list or a URL or absolute, a schema or a dialect that is not
an object, fields that are not a list, a field without name, two fields of one name, an
unknown format or encoding, a value of the wrong type anywhere) gives one French line and
exit code 2, never a traceback."""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..errors import UnusableInputError
from .descriptor import ORPHANS_SUFFIX
from .flavours import OFFICE
READ_FORMATS = ("csv", "json", "parquet")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Dialect:
    delimiter: str = ","
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False


@dataclass(frozen=True)
class Resource:
    name: str
    path: str
    format: str
    encoding: str = "utf-8"
    dialect: Dialect = Dialect()
    decimal_chars: dict = field(default_factory=dict)     # field name -> decimal mark
    missing_values: frozenset = frozenset({""})


@dataclass(frozen=True)
class PackageInfo:
    resources: dict              # name -> Resource, only the tables ctgxl reads
    workbook_name: str
    office: bool = False         # CSV in the office flavour: texts neutralised (« ' »)
    thematique: str | None = None
    service: str | None = None
    template_version: str | None = None
    schema_version: str | None = None
    territoire: str | None = None
    code_territoire: str | None = None


class _Refused(ValueError):
    """A JSON text refused by ctgxl's own rule (its message is French)."""


def parse_json(raw: bytes, path: Path, what: str):
    """Strict JSON: UTF-8, no NaN or Infinity, no key twice in an object."""
    def no_constant(name: str):
        raise _Refused(f"{name} n'est pas une valeur JSON")

    def unique(pairs):
        out = {}
        for key, value in pairs:
            if key in out:
                raise _Refused(f"clé « {key} » en double")
            out[key] = value
        return out

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnusableInputError(path, f"{what} illisible : pas du texte UTF-8") from None
    try:
        return json.loads(text, parse_constant=no_constant, object_pairs_hook=unique)
    except json.JSONDecodeError as exc:
        raise UnusableInputError(path, f"{what} illisible : JSON invalide (ligne {exc.lineno}, "
                                       f"colonne {exc.colno})") from None
    except _Refused as exc:
        raise UnusableInputError(path, f"{what} illisible : {exc}") from None
    except ValueError:                    # an integer of thousands of digits
        raise UnusableInputError(path, f"{what} illisible : nombre trop long") from None
    except RecursionError:
        raise UnusableInputError(path, f"{what} illisible : JSON trop imbriqué") from None


def _fail(path: Path, reason: str):
    raise UnusableInputError(path, f"descripteur Data Package invalide : {reason}")


def _text(value, path: Path, what: str, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        _fail(path, f"{what} doit être un texte")
    return value


def _char(value, path: Path, what: str, default: str | None) -> str | None:
    if value is None:
        return default
    if not isinstance(value, str) or len(value) != 1 or value in "\r\n":
        _fail(path, f"{what} doit être un seul caractère")
    return value


def _flag(value, path: Path, what: str, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        _fail(path, f"{what} doit valoir true ou false")
    return value


def _table_path(value, path: Path, name: str) -> str:
    if value is None:
        _fail(path, f"la ressource « {name} » n'a pas de chemin (path)")
    if isinstance(value, list):
        _fail(path, f"la ressource « {name} » a plusieurs fichiers (path en liste) : non pris "
                    "en charge")
    if not isinstance(value, str) or not value.strip() or _CONTROL.search(value):
        _fail(path, f"le chemin de la ressource « {name} » doit être un nom de fichier")
    if "://" in value or (_SCHEME.match(value) and not PureWindowsPath(value).drive):
        _fail(path, f"la ressource « {name} » est une adresse web ({value}) : seuls les "
                    "fichiers du dossier du paquet sont lus")
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() \
            or PureWindowsPath(value).drive or value.startswith("\\"):
        _fail(path, f"la ressource « {name} » a un chemin absolu ({value}) : seuls les "
                    "fichiers du dossier du paquet sont lus")
    return value


def _encoding(value, path: Path, name: str) -> str:
    text = _text(value, path, f"l'encodage de « {name} »") or "utf-8"
    try:
        info = codecs.lookup(text)
    except LookupError:
        _fail(path, f"encodage « {text} » inconnu (ressource « {name} »)")
    if not getattr(info, "_is_text_encoding", True):
        _fail(path, f"« {text} » n'est pas un encodage de texte (ressource « {name} »)")
    return "utf-8-sig" if info.name == "utf-8" else info.name


def _dialect(value, path: Path, name: str) -> Dialect:
    if value is None:
        return Dialect()
    if not isinstance(value, dict):
        _fail(path, f"le dialecte de « {name} » doit être un objet (dialecte externe non pris "
                    "en charge)")
    what = f"« {name} » : dialect."
    if not _flag(value.get("header"), path, what + "header", True):
        _fail(path, f"{what}header false non pris en charge : la table doit avoir sa ligne "
                    "d'en-têtes")
    return Dialect(delimiter=_char(value.get("delimiter"), path, what + "delimiter", ","),
                   quote_char=_char(value.get("quoteChar"), path, what + "quoteChar", '"'),
                   double_quote=_flag(value.get("doubleQuote"), path, what + "doubleQuote", True),
                   escape_char=_char(value.get("escapeChar"), path, what + "escapeChar", None),
                   skip_initial_space=_flag(value.get("skipInitialSpace"), path,
                                            what + "skipInitialSpace", False))


def _named(items: list, path: Path, each: str, two: str):
    """(object, name) of each item of a descriptor's list, every item an object with a
    name of its own (``each`` n° 3 n'est pas un objet ; ``two`` s'appellent « x »)."""
    seen = set()
    for number, spec in enumerate(items, start=1):
        if not isinstance(spec, dict):
            _fail(path, f"{each} n° {number} n'est pas un objet")
        name = spec.get("name")
        if not isinstance(name, str) or not name:
            _fail(path, f"{each} n° {number} n'a pas de nom")
        if name in seen:
            _fail(path, f"{two} s'appellent « {name} »")
        seen.add(name)
        yield spec, name


def _schema(value, path: Path, name: str) -> tuple[dict, frozenset]:
    """(decimal mark of each field that declares one, missing values)."""
    if value is None:
        return {}, frozenset({""})
    if not isinstance(value, dict):
        _fail(path, f"le schéma de « {name} » doit être un objet (schéma externe, fichier ou "
                    "adresse, non pris en charge)")
    fields = value.get("fields", [])
    if not isinstance(fields, list):
        _fail(path, f"« {name} » : schema.fields doit être une liste")
    decimals = {}
    for spec, field_name in _named(fields, path, f"« {name} » : le champ", "deux champs"):
        _text(spec.get("type"), path, f"« {name} » : le type du champ « {field_name} »")
        mark = _char(spec.get("decimalChar"), path,
                     f"« {name} » : decimalChar du champ « {field_name} »", None)
        if mark is not None:
            if mark.isdigit() or mark in "+-eE":
                _fail(path, f"« {name} » : decimalChar « {mark} » impossible")
            decimals[field_name] = mark
    missing = value.get("missingValues", [""])
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        _fail(path, f"« {name} » : schema.missingValues doit être une liste de textes")
    return decimals, frozenset(missing)


def _resource(spec: dict, path: Path, name: str) -> Resource:
    if spec.get("data") is not None:
        _fail(path, f"la ressource « {name} » contient ses données dans le descripteur : non "
                    "pris en charge")
    table_path = _table_path(spec.get("path"), path, name)
    fmt = _text(spec.get("format"), path, f"le format de « {name} »")
    fmt = (fmt or PurePosixPath(table_path).suffix[1:]).lower()
    if fmt not in READ_FORMATS:
        _fail(path, f"format « {fmt} » de la ressource « {name} » non pris en charge (csv, "
                    "json ou parquet)")
    decimals, missing = _schema(spec.get("schema"), path, name)
    return Resource(name=name, path=table_path, format=fmt,
                    encoding=_encoding(spec.get("encoding"), path, name),
                    dialect=_dialect(spec.get("dialect"), path, name),
                    decimal_chars=decimals, missing_values=missing)


def check_descriptor(descriptor, path: Path) -> PackageInfo:
    """What ctgxl reads of ``descriptor``, every part of it checked."""
    from ..catalogue import SHEETS_BY_KEY

    if not isinstance(descriptor, dict):
        _fail(path, "ce n'est pas un objet JSON")
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        _fail(path, "« resources » doit être la liste des tables")
    wanted = {*SHEETS_BY_KEY, *(k + ORPHANS_SUFFIX for k in SHEETS_BY_KEY)}
    read = {}
    for spec, name in _named(resources, path, "la ressource", "deux ressources"):
        if name in wanted:
            read[name] = _resource(spec, path, name)
    if not read:
        _fail(path, "aucune table du plan (actions, offres, plan, indicateurs, suivi)")
    info = descriptor.get("ctgxl", {})
    if not isinstance(info, dict):
        _fail(path, "« ctgxl » doit être un objet")
    fields = {}
    for key in ("thematique", "service", "template_version", "schema_version", "territoire",
                "code_territoire", "source"):
        fields[key] = _text(info.get(key), path, f"ctgxl.{key}")
    fields["office"] = _text(info.get("csv"), path, "ctgxl.csv") == OFFICE
    package_name = _text(descriptor.get("name"), path, "« name »")
    return PackageInfo(resources=read, workbook_name=_workbook_name(fields.pop("source"),
                                                                    package_name),
                       **fields)


def _workbook_name(source: str | None, package_name: str | None) -> str:
    """The file name of the workbook to write: the exported workbook's, else the package's."""
    for candidate in (source, package_name and f"{package_name}.xlsx"):
        if not candidate or _CONTROL.search(candidate):
            continue
        name = PureWindowsPath(PurePosixPath(candidate).name).name
        stem = Path(name).stem
        if stem.strip(" .") and not name.startswith("."):
            return name if name.lower().endswith((".xlsx", ".xlsm")) else f"{stem}.xlsx"
    return "plan.xlsx"
