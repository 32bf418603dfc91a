"""A data package read back into a plan (``ctgxl import DOSSIER/datapackage.json``),
reading nothing but the package.

A package may come by e-mail from another collectivity. ctgxl reads its descriptor and the
tables it names, and nothing else: a table is a path relative to the package folder that
stays inside it once links are followed (no ``../x.csv``, no ``/etc/passwd``, no link
leaving the folder, no URL); it is a regular file (no device such as ``/dev/zero``, no
FIFO, which would make the import wait forever), of at most ``MAX_TABLE_BYTES`` and
``MAX_ROWS`` rows. Whatever the descriptor says, the catalogue decides how a value is read:
IDs and codes are always text (a schema that types ``id_action`` as an integer does not
turn « 00012 » into 12), numbers are read only from a plain decimal, NaN is never a value,
two columns for one field are refused, and a table of actions, offers, indicators or
follow-up without ``id_action`` is refused rather than read as rows without ID. Every
malformed descriptor or table gives one French line and exit code 2 (``descriptor``).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ..catalogue import SHEETS_BY_KEY, Sheet
from ..errors import UnusableInputError, os_reason
from ..model import EXTRA_PREFIX, Meta, Plan
from .checks import Resource, check_descriptor, parse_json
from .descriptor import ORPHANS_SUFFIX
from .flavours import restored
from ..wording import plural

DESCRIPTOR = "datapackage.json"
MAX_DESCRIPTOR_BYTES = 5 * 2**20
MAX_TABLE_BYTES = 512 * 2**20    # a JSON export of 500,000 actions: 282 Mo
MAX_ROWS = 500_000
LINKED = ("actions", "offres", "indicateurs", "suivi")   # tables whose rows need an ID action
RANK = "\x00rank"     # the key of an orphan's rank: no column key nor added header ("+…")
_INTEGER = re.compile(r"[+-]?\d{1,18}")   # longer: not read as an integer


@dataclass(frozen=True)
class Package:
    plan: Plan
    workbook_name: str      # the workbook it was exported from (« pilotage_2025.xlsx »)


def is_package(path: Path) -> bool:
    """``path`` names a data package: a datapackage.json, or a folder holding one."""
    return path.name == DESCRIPTOR or (path.is_dir() and (path / DESCRIPTOR).is_file())


def read_package(path: Path) -> Package:
    """The plan a ctgxl data package holds (``path``: datapackage.json or its folder)."""
    descriptor_path = path / DESCRIPTOR if path.is_dir() else path
    raw = read_bounded(descriptor_path, MAX_DESCRIPTOR_BYTES, "descripteur")
    package = check_descriptor(parse_json(raw, descriptor_path, "descripteur"), descriptor_path)
    try:
        folder = descriptor_path.absolute().parent.resolve()
    except OSError as exc:
        raise UnusableInputError(descriptor_path, f"dossier du paquet illisible "
                                                  f"({os_reason(exc)})") from None
    except RuntimeError:                  # a loop of links (Python 3.11)
        raise UnusableInputError(descriptor_path, "dossier du paquet illisible (boucle de "
                                                  "liens)") from None
    tables = {}
    for key, sheet in SHEETS_BY_KEY.items():
        main, orphans = package.resources.get(key), package.resources.get(key + ORPHANS_SUFFIX)
        if main is None and orphans is None:
            continue
        office = package.office
        records = _records(folder, main, sheet, office=office) if main else []
        if orphans:
            records = _with_orphans(records, _records(folder, orphans, sheet, ranked=True,
                                                      office=office))
        tables[key] = [record for _, record in records]
    meta = Meta(thematique=package.thematique, service=package.service,
                template_version=package.template_version,
                schema_version=package.schema_version, territoire=package.territoire,
                code_territoire=package.code_territoire)
    return Package(Plan.from_records(meta, **tables), package.workbook_name)


# -- files -----------------------------------------------------------------------------------

def confined(folder: Path, resource: Resource) -> Path:
    """The real path of ``resource``'s table, refused unless it is inside ``folder``."""
    candidate = folder / resource.path
    try:
        real = candidate.resolve()
    except (OSError, RuntimeError):       # RuntimeError: a loop of links (Python 3.11)
        raise UnusableInputError(candidate, "chemin illisible (boucle de liens ?)") from None
    if not real.is_relative_to(folder):
        raise UnusableInputError(candidate, "la table est hors du dossier du paquet (chemin ou "
                                            "lien qui en sort) : refusée")
    return real


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; a device, a FIFO
    or a folder is refused without waiting on it."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise UnusableInputError(path, "fichier introuvable" + (
            " (cité par datapackage.json)" if what == "table" else "")) from None
    except IsADirectoryError:
        raise UnusableInputError(path, "est un dossier, pas un fichier") from None
    except OSError as exc:
        raise UnusableInputError(path, f"lecture impossible ({os_reason(exc)})") from None
    too_big = UnusableInputError(path, f"{what} trop grand{'e' if what == 'table' else ''} : "
                                       f"plus de {limit // 2**20} Mo (limite de ctgxl)")
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise UnusableInputError(path, "est un dossier, pas un fichier")
        if not stat.S_ISREG(info.st_mode):
            raise UnusableInputError(path, "n'est pas un fichier ordinaire (tube, "
                                           "périphérique…) : refusé")
        if info.st_size > limit:
            raise too_big
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise UnusableInputError(path, f"lecture impossible ({os_reason(exc)})") from None
    if len(data) > limit:        # grown since
        raise too_big
    return data


# -- tables ----------------------------------------------------------------------------------

def _records(folder: Path, resource: Resource, sheet: Sheet, ranked: bool = False,
             office: bool = False):
    """(rank, record) for each row of ``resource``: records keyed by column key. ``office``:
    a CSV of the office flavour, whose texts are given back without their « ' »."""
    path = confined(folder, resource)
    data = read_bounded(path, MAX_TABLE_BYTES, "table")
    shown = folder / resource.path
    if resource.format == "csv":
        names, rows = _csv_rows(data, resource, shown)
        if office:
            names = [restored(n) for n in names]
            rows = [[restored(v) for v in row] for row in rows]
    elif resource.format == "json":
        names, rows = _json_rows(data, shown)
    else:
        names, rows = _parquet_rows(data, shown)
    keys = _keys(names, sheet, resource, shown, ranked)
    if sheet.key in LINKED and "id_action" not in keys and rows:
        raise UnusableInputError(shown, "la table n'a pas de colonne id_action (« ID action ») : "
                                        "ses lignes n'auraient pas d'identifiant")
    columns = [sheet.index.get(k) for k in keys]
    decimals = resource.decimal_chars
    out = []
    for number, row in enumerate(rows, start=2):
        record, rank = {}, None
        for name, key, column, value in zip(names, keys, columns, row):
            if key is None:
                continue
            if type(value) is str:
                if value in resource.missing_values:
                    value = None
                elif column is not None:
                    value = _typed(value, column.type, decimals.get(name, "."))
            elif type(value) is float and not math.isfinite(value):
                value = None             # NaN: a missing value (pandas), never « nan »
            if key == RANK:
                rank = _rank(value, shown, number)
            elif value is not None:
                record[key] = value
        out.append((rank, record))
    return out


def _typed(value: str, kind: str, decimal: str):
    """A text cell of a CSV read as its catalogue column's type: IDs, codes and every text
    column stay text whatever the descriptor declares; a number only from a plain decimal."""
    text = value.strip()
    if kind == "int":
        return int(text) if _INTEGER.fullmatch(text) else value
    if kind == "number":
        d = re.escape(decimal)
        if re.fullmatch(rf"[+-]?(\d+({d}\d*)?|{d}\d+)([eE][+-]?\d+)?", text):
            plain = text.replace(decimal, ".")
            if _INTEGER.fullmatch(plain):
                return int(plain)
            number = float(plain)
            return number if math.isfinite(number) else value
    return value


def _rank(value, shown: Path, line: int) -> int:
    if type(value) is str and _INTEGER.fullmatch(value.strip()):
        value = int(value)
    if type(value) is not int or value < 1:
        raise UnusableInputError(shown, f"ligne {line} : rang « {value} » invalide (un nombre "
                                        "entier positif est attendu)")
    return value


def _with_orphans(records, orphans):
    """The rows of a table with its orphans back at their rank (at the end without one)."""
    out = list(records)
    for rank, record in sorted((o for o in orphans if o[0] is not None), key=lambda o: o[0]):
        out.insert(rank - 1, (rank, record))
    return out + [o for o in orphans if o[0] is None]


def _keys(names, sheet: Sheet, resource: Resource, shown: Path, ranked: bool) -> list:
    """The column key of each name of a table (its short key, its French header, or an
    added column's header); ``RANK`` for the rank of an orphans table."""
    headers = {c.header: c.key for c in sheet.columns}
    keys, seen = [], {}
    for position, name in enumerate(names, start=1):
        if name is None or name == "":
            keys.append(None)
            continue
        if ranked and name in ("rang", "Rang dans la feuille"):
            key = RANK
        else:
            key = name if name in sheet.index else headers.get(name, EXTRA_PREFIX + name)
        if key in seen:
            raise UnusableInputError(shown, f"deux colonnes pour « {name} » (colonnes "
                                            f"{seen[key]} et {position}) : refusé")
        seen[key] = position
        keys.append(key)
    return keys


def _csv_rows(data: bytes, resource: Resource, shown: Path):
    try:
        return _csv_lines(data, resource, shown)
    except UnicodeDecodeError:
        raise UnusableInputError(shown, f"n'est pas du texte {resource.encoding} (encodage "
                                        "déclaré par datapackage.json)") from None


def _csv_lines(data: bytes, resource: Resource, shown: Path):
    d = resource.dialect
    csv.field_size_limit(MAX_TABLE_BYTES)

    def reader():       # decoded as it is read: no copy of the whole text
        text = io.TextIOWrapper(io.BytesIO(data), encoding=resource.encoding, newline="")
        return csv.reader(text, delimiter=d.delimiter,
                          quotechar=d.quote_char, doublequote=d.double_quote,
                          escapechar=d.escape_char, skipinitialspace=d.skip_initial_space,
                          strict=True)

    lines = reader()
    try:
        header = next(lines, None)
        if header is None:
            raise UnusableInputError(shown, "table vide : pas de ligne d'en-têtes")
        if header and header[0].startswith("\ufeff"):
            header[0] = header[0][1:]
        count = 0
        for row in lines:                # counted first: a huge table costs no memory
            count += 1
            if count > MAX_ROWS and any(cell.strip() for cell in row):
                raise UnusableInputError(shown, f"plus de {MAX_ROWS:,} lignes (limite de "
                                                "ctgxl)".replace(",", " "))
        lines = reader()
        next(lines)
        rows = []
        for row in lines:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                if any(cell.strip() for cell in row[len(header):]):
                    raise UnusableInputError(shown, f"ligne {lines.line_num} : "
                                                    f"{plural(len(row), 'valeur')} pour "
                                                    f"{plural(len(header), 'en-tête')}")
                row = row[:len(header)]
            rows.append(row + [""] * (len(header) - len(row)))
    except csv.Error as exc:
        raise UnusableInputError(shown, f"CSV illisible ligne {lines.line_num} ({exc})") \
            from None
    _refuse_unnamed(header, rows, shown)
    return header, rows


def _refuse_unnamed(names, rows, shown: Path) -> None:
    for i, name in enumerate(names):
        if (name is None or name == "") and any(r[i] not in (None, "") for r in rows):
            raise UnusableInputError(shown, f"la colonne {i + 1} a des valeurs mais pas "
                                            "d'en-tête")


def _json_rows(data: bytes, shown: Path):
    records = parse_json(data, shown, "table JSON")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise UnusableInputError(shown, "une table JSON doit être une liste d'objets "
                                        "(un par ligne)")
    if len(records) > MAX_ROWS:
        raise UnusableInputError(shown, f"plus de {MAX_ROWS:,} lignes (limite de ctgxl)"
                                 .replace(",", " "))
    names = list(dict.fromkeys(k for r in records for k in r))
    rows = []
    for line, record in enumerate(records, start=1):
        for name, value in record.items():
            if not (value is None or type(value) in (str, int, float, bool)):
                raise UnusableInputError(shown, f"objet {line}, champ « {name} » : valeur "
                                                "composée (liste ou objet) non prise en charge")
        rows.append([record.get(n) for n in names])
    return names, rows


def _parquet_rows(data: bytes, shown: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(io.BytesIO(data))
        meta = source.metadata
        if meta.num_rows > MAX_ROWS:
            raise UnusableInputError(shown, f"plus de {MAX_ROWS:,} lignes (limite de ctgxl)"
                                     .replace(",", " "))
        unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if unpacked > 4 * MAX_TABLE_BYTES:
            raise UnusableInputError(shown, "table trop grande une fois décompressée (limite "
                                            "de ctgxl)")
        schema = source.schema_arrow
        for item in schema:
            kind = item.type
            if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)
                    or pa.types.is_integer(kind) or pa.types.is_floating(kind)
                    or pa.types.is_boolean(kind) or pa.types.is_null(kind)
                    or pa.types.is_temporal(kind) or pa.types.is_decimal(kind)):
                raise UnusableInputError(shown, f"colonne « {item.name} » de type {kind} non "
                                                "pris en charge")
        table = source.read()
    except UnusableInputError:
        raise
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise UnusableInputError(shown, f"fichier Parquet illisible ({type(exc).__name__})") \
            from None
    names = list(table.column_names)
    columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return names, [list(row) for row in zip(*columns)] if columns else []
