"""Vocabularies (dropdown lists) loaded from ``listes.toml`` (``ctgxl/data/``).

The files of the rule folder are data a coordinator may edit; this module only
reads them. ``default_rules_dir()`` is the folder shipped with ctgxl; every
command accepts another one (``--regles DIR``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import CtgxlError

LISTS_FILE = "listes.toml"


@dataclass(frozen=True)
class Thematique:
    libelle: str
    code: str
    fichier: str


@dataclass(frozen=True)
class Vocabulary:
    thematiques: tuple[Thematique, ...]
    lists: dict[str, tuple[str, ...]]

    def values(self, name: str) -> tuple[str, ...]:
        """The values of a named list; ``thematiques`` gives the labels."""
        if name == "thematiques":
            return tuple(t.libelle for t in self.thematiques)
        return self.lists.get(name, ())

    def thematique(self, label_or_code: str | None) -> Thematique | None:
        if not label_or_code:
            return None
        wanted = fold(label_or_code)
        for t in self.thematiques:
            if wanted in (fold(t.libelle), fold(t.code), fold(t.fichier)):
                return t
        return None

    @property
    def names(self) -> tuple[str, ...]:
        return ("thematiques", *self.lists)


LIST_HEADERS = {"types_indicateurs": "Types d'indicateurs"}   # else the name, capitalised


def list_columns(vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """The columns of the « Listes » sheet of a workbook made from ``vocabulary``
    (header -> values): thématiques, their codes, then each list."""
    columns = {"Thématiques": vocabulary.values("thematiques"),
               "Codes des thématiques": tuple(t.code for t in vocabulary.thematiques)}
    for name in vocabulary.names[1:]:
        columns[LIST_HEADERS.get(name, name.replace("_", " ").capitalize())] = \
            vocabulary.values(name)
    return columns


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a label."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in stripped.casefold())
    return " ".join(cleaned.split())


def default_rules_dir() -> Path:
    """The rules folder shipped inside the package (``ctgxl/data``).

    The installed program needs nothing from the source tree; the top-level
    ``validation/`` folder of the repository is a documented copy of this one
    (a test keeps them equal) and ``ctgxl regles -d DOSSIER`` writes another.
    """
    folder = Path(__file__).resolve().parent / "data"
    if (folder / LISTS_FILE).is_file():
        return folder
    raise CtgxlError("dossier de règles introuvable : réinstallez ctgxl ou indiquez --regles DOSSIER")


def load_vocabulary(rules_dir: Path | None = None) -> Vocabulary:
    """The vocabularies of ``rules_dir`` (default: the shipped folder).

    Cached, but a file edited since the last call is read again: the add-in
    server runs for days while a coordinator may change the lists.
    """
    folder = Path(rules_dir) if rules_dir else default_rules_dir()
    path = folder / LISTS_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _load_vocabulary(folder, stamp)


@lru_cache(maxsize=8)
def _load_vocabulary(folder: Path, stamp: int | None) -> Vocabulary:
    path = folder / LISTS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CtgxlError(f"{path} : fichier de listes introuvable") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CtgxlError(f"{path} : fichier de listes illisible ({exc})") from None
    try:
        thematiques = tuple(
            Thematique(str(t["libelle"]), str(t["code"]), str(t["fichier"]))
            for t in data.get("thematiques", ())
        )
        lists = {str(k): tuple(str(v) for v in vs) for k, vs in data.get("listes", {}).items()}
    except (KeyError, TypeError) as exc:
        raise CtgxlError(f"{path} : entrée incomplète dans le fichier de listes ({exc})") from None
    if not thematiques:
        raise CtgxlError(f"{path} : aucune thématique déclarée")
    return Vocabulary(thematiques, lists)
