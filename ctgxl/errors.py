"""Exceptions that carry an exit code and a one-line French message.

Exit codes (documented in README):
  0  nothing to report
  1  findings (validation errors, differences, merge conflicts)
  2  unusable input or bad usage
  3  internal error (a bug in ctgxl: rerun with --debug and report it)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
EXIT_INTERNAL = 3


class CtgxlError(Exception):
    """Base class: ``str(error)`` is the French line shown to the user."""

    exit_code = EXIT_UNUSABLE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def printable(text: str) -> str:
    """``text`` on one line without control characters (a file name holding ESC sequences
    would recolour the user's terminal): each becomes « ? », as a line break does; an
    undecodable byte of a file name becomes « � » (``console.harmless``)."""
    from .console import harmless

    return harmless(text).replace("\n", "?")


class UnusableInputError(CtgxlError):
    """An input file cannot be used (missing, not a workbook, wrong version…)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{printable(str(path))} : {reason}")
        self.path = path
        self.reason = reason


class OutputError(CtgxlError):
    """An output cannot be written where asked."""


# French for the reasons the operating system gives (``OSError.strerror`` is English).
OS_REASONS = {
    "EACCES": "accès refusé", "EPERM": "opération non permise", "ENOENT": "introuvable",
    "ENOSPC": "disque plein", "EDQUOT": "quota de disque dépassé",
    "EROFS": "disque en lecture seule", "EEXIST": "existe déjà", "EISDIR": "est un dossier",
    "ENOTDIR": "un élément du chemin n'est pas un dossier", "ENAMETOOLONG": "nom trop long",
    "EBUSY": "fichier utilisé par un autre programme", "ELOOP": "trop de liens symboliques",
    "EINVAL": "nom ou argument invalide", "EIO": "erreur de lecture ou d'écriture du disque",
    "EXDEV": "déplacement impossible entre deux disques", "EMFILE": "trop de fichiers ouverts",
    "ETXTBSY": "fichier utilisé par un autre programme", "ENXIO": "périphérique introuvable",
}


def os_reason(exc: OSError) -> str:
    """The French reason of an OS error (« accès refusé »), never the English strerror."""
    import errno

    name = errno.errorcode.get(exc.errno or 0)
    if isinstance(exc, PermissionError) and name not in OS_REASONS:
        name = "EACCES"
    if name in OS_REASONS:
        return OS_REASONS[name]
    return f"erreur système {exc.errno}" if exc.errno else "erreur système"
