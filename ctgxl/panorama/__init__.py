"""The panorama: every territory's CTG plan in one workbook (or Data Package), for a CAF.

``ctgxl panorama`` takes one entry per territory — its master file, or the folder of its
services' workbooks — and writes one row per territory, every action with its territory,
the Synthèse's charts for all of them, and what could not be counted as given:

    from ctgxl.panorama import build_panorama, gather_entries, write_workbook
    entries, notes = gather_entries(["mont_de_marsan/", "dax/pilotage.xlsx"])
    panorama = build_panorama(entries, notes, load_rules())
    write_workbook(panorama, Path("panorama.xlsx"))

``inputs`` finds the entries, ``facts`` counts one workbook (where it is read),
``pipeline`` gathers territories as the files come, ``tables`` describes the output
tables, ``workbook``, ``dashboard`` and ``readme`` write the workbook, ``package`` the
Data Package. Memory holds the figures of every territory and the actions of one: the
actions go to a temporary file (``spool``) until they are written.
"""

from __future__ import annotations

from .inputs import Entry, gather_entries
from .pipeline import Panorama, build_panorama

__all__ = ["Entry", "Panorama", "build_panorama", "gather_entries", "write_package",
           "write_workbook"]


def write_workbook(panorama, path, **options):
    from .workbook import write_workbook as write

    return write(panorama, path, **options)


def write_package(panorama, folder, fmt):
    from .package import write_package as write

    return write(panorama, folder, fmt)
