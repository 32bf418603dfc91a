"""A fiche action written as a small table: which tables are fiches, and their rubrics.

::

    | Fiche action n°3 : Créer un accueil du mercredi          |   <- title rows (merged)
    | Axe stratégique | II – Favoriser l'accès aux loisirs     |
    | Pilote          | Service enfance | Calendrier | 2024   |   <- two pairs side by side
    | Partenaires     | CAF                                     |
    |  (merged)       | Communes du territoire                  |   <- a label over two rows
    | Indicateurs     | - Nombre d'enfants accueillis           |
    |                 | - Taux de remplissage                   |

A table is a fiche when at least ``MIN_KNOWN_LABELS`` of its rows carry a label the importer
knows, no row carries more than two (that is a table header) nor more than four filled cells,
and it has a title (an « Intitulé » rubric or a title row). A cell in a column of labels is a
label when a value follows it in its row or when it is a known label; any other cell is a
value: of the label before it in its row, or — when its row has no label (a label cell merged
over several rows, a value on two rows) — of the last label above it. Rows above the first
label are title rows (``Fiche.title_line``).
"""

from __future__ import annotations

from collections import Counter

from .fiche import MIN_KNOWN_LABELS, Fiche, Field, label_role

MAX_FILLED = 4


def read_fiche(table, vocabulary=None) -> Fiche | None:
    """The fiche a table (``word.Table``) holds, or None when the table is not a fiche."""
    filled_rows: list[list[tuple[int, str]]] = []
    label_columns: Counter[int] = Counter()
    rows_with_labels = 0
    for cells in table.rows:
        filled = [(c, t) for c, t in enumerate(cells) if t.strip()]
        if len(filled) > MAX_FILLED:
            return None
        known = [c for c, t in filled if label_role(t) is not None]
        if len(known) > 2:
            return None
        if known:
            rows_with_labels += 1
            label_columns.update(known)
        filled_rows.append(filled)
    if rows_with_labels < MIN_KNOWN_LABELS:
        return None
    columns = {c for c, n in label_columns.items() if n >= 2} or set(label_columns)
    fiche = Fiche(table.places[0] if table.places else "", vocabulary=vocabulary)
    last: Field | None = None
    for r, filled in enumerate(filled_rows):
        current: Field | None = None
        if last is None and len(filled) == 1:     # a title row (« Fiche action n°3 : … »)
            fiche.title_line(filled[0][1], [(table.index, r, filled[0][0])])
            continue
        for i, (c, text) in enumerate(filled):
            unit = (table.index, r, c)
            followed = i + 1 < len(filled)
            if c in columns and (followed or label_role(text) is not None):
                current = fiche.add(text, "", [unit])
                last = current
                continue
            target = current or last
            if target is None:
                fiche.title_line(text, [unit])
                continue
            target.lines.append(text)
            target.units.append(unit)
    if fiche.known() < MIN_KNOWN_LABELS or not fiche.has_title():
        return None
    return fiche
