"""Options and helpers shared by the commands (click only; nothing heavy).

One name per idea across the commands: ``-o/--sortie`` names a file to write,
``-d/--dossier`` a folder, ``--ecraser`` allows replacing an existing output,
``--forcer`` goes on despite erreurs de contrôle, ``--format texte|json``
chooses the report. Spellings of earlier versions stay accepted as hidden
aliases (``--force`` of import, ``-o`` for import's folder).
"""

from __future__ import annotations

from pathlib import Path

import click

PROGRESS_MIN_FILES = 5   # commands reading this many files show a progress bar (terminal only)


class AliasedOption(click.Option):
    """An option some of whose names are accepted but not shown in ``--help``."""

    def __init__(self, *args, hidden_aliases: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hidden_aliases = frozenset(hidden_aliases)

    def get_help_record(self, ctx: click.Context):
        saved = self.opts
        self.opts = [o for o in self.opts if o not in self.hidden_aliases]
        try:
            return super().get_help_record(ctx)
        finally:
            self.opts = saved


rules_option = click.option(
    "--regles", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    metavar="DOSSIER",
    help="Dossier de règles et de listes à utiliser à la place de celui fourni avec ctgxl "
         "(copie obtenue par « ctgxl regles -d DOSSIER »).")

workbook_argument = click.argument("path", type=click.Path(path_type=Path), metavar="FICHIER")

overwrite_option = click.option(
    "--ecraser", "--force", "overwrite", cls=AliasedOption, hidden_aliases=("--force",),
    is_flag=True, help="Remplacer le ou les fichiers de sortie s'ils existent déjà.")


def territory_options(function):
    """``--territoire NOM`` and ``--code-territoire CODE``: the territory a workbook carries."""
    function = click.option(
        "--code-territoire", "code_territoire", default=None, metavar="CODE",
        help="Code officiel du territoire : SIREN de l'intercommunalité (9 chiffres) ou code "
             "INSEE de la commune (5 caractères, ex. 40192, 2A004).")(function)
    return click.option(
        "--territoire", "territoire", default=None, metavar="NOM",
        help="Nom du territoire qui signe la CTG (ex. « Mont de Marsan Agglomération ») : "
             "écrit dans le classeur.")(function)


def territory_of_options(name: str | None, code: str | None):
    """The ``territory.Territory`` the options give; a code of the wrong form is refused
    (code 2) before any work."""
    from ..errors import CtgxlError
    from ..territory import Territory, check_code, code_problem, normalize_code

    code = normalize_code(code)
    if code is not None and check_code(code) is not None:
        raise CtgxlError(f"--code-territoire : {code_problem(code)}")
    name = " ".join(name.split()) if name else None
    return Territory(name or None, code)


def format_option(what: str = "compte rendu"):
    return click.option(
        "--format", "fmt", type=click.Choice(["texte", "json"]), default="texte",
        show_default=True,
        help=f"Présentation du {what} : lisible (texte) ou JSON (décrit dans la documentation).")


def folder_option(help: str, *, required: bool = True, legacy_o: bool = False):
    """``-d/--dossier`` (and, where earlier versions used it, a hidden ``-o/--sortie``)."""
    names = ["-d", "--dossier"] + (["-o", "--sortie"] if legacy_o else [])
    return click.option(*names, "folder", cls=AliasedOption,
                        hidden_aliases=("-o", "--sortie") if legacy_o else (),
                        required=required, metavar="DOSSIER",
                        type=click.Path(file_okay=False, path_type=Path), help=help)


def echo_json(document: dict) -> None:
    """Print a JSON document; on a console that cannot show every character (cp1252, ascii),
    non-ASCII characters are written as ``\\u00e9`` escapes: still the same JSON, never a
    look-alike inside a string."""
    import sys

    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    ascii_only = not encoding.startswith("utf")
    buffer = getattr(sys.stdout, "buffer", None)
    if not ascii_only and buffer is not None:
        sys.stdout.flush()
        # orjson's bytes as they are: no str copy of a 200 MB report, no re-encoding; long
        # lists (findings) in pieces, so that the whole report is never held at once.
        if _write_orjson(document, buffer.write):
            buffer.write(b"\n")
            buffer.flush()
            return
    click.echo(json_text(document, ascii_only=ascii_only))


STREAMED = 5_000    # a list longer than this is written in pieces of this size


def _write_orjson(document: dict, write) -> bool:
    """Write the indented JSON of ``document`` by orjson, the same bytes as
    ``_orjson_bytes``, long lists of its ``files[].findings`` a piece at a time; False
    (nothing written) when orjson cannot."""
    try:
        import orjson
    except ImportError:
        return False
    option = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    files = document.get("files")
    long = [(i, f) for i, f in enumerate(files) if isinstance(f, dict)
            and len(f.get("findings") or ()) > STREAMED] if isinstance(files, list) else []
    if not long:
        data = _orjson_bytes(document)
        if data is None:
            return False
        write(data)
        return True
    marks = {}
    shallow = dict(document, files=list(files))
    for i, file in long:
        mark = f"\x00ctgxl-{i}\x00"
        marks[mark] = file["findings"]
        shallow["files"][i] = dict(file, findings=mark)
    try:
        head = orjson.dumps(shallow, default=_plain, option=option)
        orjson.dumps(marks[next(iter(marks))][:1], default=_plain, option=option)
    except TypeError:
        return False
    for mark, items in marks.items():
        quoted = orjson.dumps(mark)
        at = head.index(quoted)
        indent = at - head.rindex(b"\n", 0, at) - 1 - len(b'"findings": ')
        before, head = head[:at], head[at + len(quoted):]
        write(before)
        write(b"[\n")
        pad = b"\n" + b" " * indent
        for start in range(0, len(items), STREAMED):
            piece = orjson.dumps(items[start:start + STREAMED], default=_plain, option=option)
            if start:
                write(b",\n")
            # « [\n  {…},\n  {…}\n] » -> its items, indented to their place
            write(b" " * indent + piece[2:-2].replace(b"\n", pad))
        write(pad + b"]")
    write(head)
    return True


def json_text(document: dict, *, ascii_only: bool = False) -> str:
    """``json.dumps(document, indent=2)``, written by orjson (C, 20 times faster on a
    100,000-finding report) unless ASCII escapes are needed. Objects with a ``to_dict``
    (findings, ``Report.to_dict(objects=True)``) are written as their ``to_dict``: orjson
    writes the dataclass ``Finding`` from its fields, which are the same keys in the same
    order, without building a dict per finding. A file name whose bytes are not UTF-8
    (orjson refuses its lone surrogates) is written with « � » (``values.encodable``)."""
    import json
    import re

    from ..values import encodable

    if not ascii_only:
        data = _orjson_bytes(document)
        if data is not None:
            return data.decode("utf-8")
    text = json.dumps(document, ensure_ascii=ascii_only, indent=2, default=_plain)
    if not ascii_only:
        return encodable(text)
    if re.search(r"\\ud[89a-f][0-9a-f]{2}", text):   # escaped surrogates: the same, in ASCII
        plain = encodable(json.dumps(document, ensure_ascii=False, indent=2, default=_plain))
        text = json.dumps(json.loads(plain), ensure_ascii=True, indent=2)
    return text


def _orjson_bytes(document: dict) -> bytes | None:
    """The indented JSON by orjson; None when orjson is missing or refuses a value (then
    the standard encoder does it)."""
    try:
        import orjson

        return orjson.dumps(document, default=_plain,
                            option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    except (ImportError, TypeError):
        return None


def _plain(value: object) -> object:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def document_head(schema: str, version: int = 1) -> dict:
    """The first keys of every JSON document ctgxl prints."""
    from .. import __version__

    return {"schema": schema, "schema_version": version, "ctgxl_version": __version__}


def load_rules_vocabulary(rules_dir: Path | None):
    from ..vocabulary import load_vocabulary

    if rules_dir is not None and not rules_dir.is_dir():
        from ..errors import CtgxlError

        raise CtgxlError(f"{rules_dir} : dossier de règles introuvable")
    return load_vocabulary(rules_dir)


def check_output_file(output: Path, inputs=(), *, overwrite: bool) -> Path:
    """Before any work: an output workbook that can be written, is no input, is not open, and
    does not exist (unless ``overwrite``)."""
    from ..outputs import check_target
    from ..writer import check_output

    check_output(output)
    refuse_overwriting_inputs(output, inputs)
    return check_target(output, overwrite=overwrite)


def refuse_overwriting_inputs(output: Path, inputs) -> None:
    """Outputs never replace an input file."""
    from ..errors import OutputError

    out = resolved_path(output)
    for item in inputs:
        if resolved_path(Path(item)) == out:
            raise OutputError(f"{output} : le fichier de sortie ne peut pas être un fichier d'entrée")


def resolved_path(path: Path) -> Path:
    """``path.resolve()``, or one French line for a loop of symbolic links."""
    from ..errors import OutputError

    try:
        return path.resolve()
    except (RuntimeError, OSError):   # « Symlink loop from … »
        raise OutputError(f"{path} : boucle de liens symboliques ou chemin impossible à "
                          "suivre") from None
