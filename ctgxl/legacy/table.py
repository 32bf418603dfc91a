"""Tables of a legacy plan: objectifs opérationnels, headers and data rows.

``TableReader`` is the half of the walker (``grid.Walker``) that reads what
sits inside a section: blocks of objectifs opérationnels, table headers of
one or two rows, and data rows — actions, their offers, rows whose title was
lost — placed in their columns, realigned when they are visibly shifted
(see ``align``).
"""

from __future__ import annotations

from . import patterns as pt
from .align import gains, realign
from .align import looks as look_of
from ..wording import agree
from .document import KEPT, Offer, Print, add_value
from .header import TITLE, HeaderRow, Layout, build_layout
from .oo import parse_oo_cells
from .report import excerpt, field_name
from .source import SourceRow

# A row is realigned without another sign of shifting when it fits this much better.
REALIGN_GAIN = 2.5


class TableReader:
    """Mixin of ``grid.Walker``: the state it uses is set up there."""

    # -- objectifs opérationnels ---------------------------------------------
    def _oo_row(self, row: SourceRow, filled: list[tuple[int, str]], *, free_text: bool) -> bool:
        """OO numbers or labels outside a « OBJECTIFS OPERATIONNELS » row; maybe an action first."""
        after = bool(self.objectif and self.objectif.header_seen)
        cells = filled
        label = pt.parse_action_label(filled[0][1])
        if label and len(filled) > 1:
            cells = filled[1:]
        entries = parse_oo_cells(cells, row, free_text=free_text, after_header=after)
        if not entries or (label and not any(e.kind == "label" for e in entries)):
            return False
        if label and cells is not filled:
            self._block_action(row, label, filled[0][0])
        self._objectif_for_oo(row).oo_entries.extend(entries)
        self.ledger.use(row, [col for col, _ in cells])
        return True

    def _block_action(self, row: SourceRow, label: pt.ActionLabel, col: int) -> None:
        self._print(row, label, label.title, in_block=True)
        self.ledger.use(row, [col])
        self.report.warn(row, "action-dans-bloc-oo",
                         f"Action {label.label} imprimée dans le bloc des objectifs "
                         "opérationnels : gardée avec son intitulé, sans autres champs "
                         "sur cette ligne.")

    def _oo_block(self, row: SourceRow, cells: list[tuple[int, str]]) -> None:
        if self.section is None:
            self.report.warn(row, "ligne-non-placee",
                             "Bloc d'objectifs opérationnels avant toute thématique : ignoré.")
            return
        rest = []
        for col, text in cells:
            heading = pt.parse_heading(pt.strip_emphasis(text)[0], self.vocabulary)
            if heading and heading.kind == "objectif":
                self._heading(heading, row, False, in_block=True, cols=[col])
            elif (label := pt.parse_action_label(text)) and not pt.OO_LABEL.match(text):
                self._block_action(row, label, col)
            else:
                rest.append((col, text))
        objectif = self._objectif_for_oo(row)
        if objectif.has_actions:
            self.report.warn(row, "oo-apres-actions",
                             "Objectifs opérationnels écrits après des actions du même objectif.")
        self.oo_open = True
        entries = parse_oo_cells(rest, row, free_text=True, after_header=objectif.header_seen)
        if entries is None:
            self.report.warn(row, "ligne-non-placee",
                             "Ligne du bloc des objectifs opérationnels non comprise : ignorée.")
            return
        objectif.oo_entries.extend(entries)
        self.ledger.use(row, [col for col, _ in rest])   # OO numbers, labels, header words

    # -- table headers -------------------------------------------------------
    def _header(self, header: HeaderRow, row: SourceRow) -> None:
        if header.kind == "subheader" and self.header is not None and self.layout is not None \
                and "moyens" in {c.key for c in self.header.cells} and self.layout.default_means:
            self._set_layout(self.header, header, self.header_row)
            assert self.header_row is not None
            self.ledger.use(row, [c.col for c in header.cells])
            self.report.add(self.header_row, "en-tete-sur-deux-lignes",
                            f"En-tête sur deux lignes ({self.header_row.and_(row)}) : "
                            "« MOYENS » couvre "
                            + ", ".join(c.text for c in header.cells) + ".")
            return
        if header.kind != "header":
            words = ", ".join(f"« {excerpt(c.text, 30)} »" for c in header.cells)
            self.report.add(row, "en-tete-partiel", f"Ligne d'en-tête partielle ({words}) : "
                                                    "sans effet sur les colonnes.")
            return
        if self.section is None:
            return
        self.ledger.use(row, [c.col for c in header.cells] + list(header.block_cols))
        for cell in header.cells:
            if cell.variant:
                self.report.add(row, "en-tete-variante",
                                f"En-tête « {cell.text} » lu comme {field_name(cell.key)}.")
        self.header, self.header_row = header, row
        if self.layout is not None:
            self.previous_layout = self.layout
        self._set_layout(header, None, row)
        if self.objectif is not None and not self.layout.implicit_title:
            self.objectif.header_seen = True

    def _set_layout(self, header: HeaderRow, sub: HeaderRow | None, row) -> None:
        layout = build_layout(header, sub, row.line, self.previous_layout)
        layout.row = row
        self.layout, self.anchor, self.current = layout, None, None

    # -- data rows -------------------------------------------------------------
    def _print(self, row: SourceRow, label, title: str | None, *, in_block: bool = False) -> Print:
        assert self.section is not None
        p = Print(row, label, title, self.axe, self.objectif, in_oo_block=in_block,
                  with_offers=bool(self.layout and self.layout.has_offers))
        self.section.prints.append(p)
        return p

    def _data(self, row: SourceRow, filled: list[tuple[int, str]]) -> None:
        layout = self.layout
        assert layout is not None
        title_col = self.anchor if self.anchor is not None else layout.header_title_col
        joined: list[int] = []      # the number's own cell, joined to the title
        if "numero" in layout.keys:
            before = {c for c, _ in filled}
            filled = _join_number(filled, layout, title_col)
            joined = sorted(before - {c for c, _ in filled})
        first_col, first = filled[0]
        label = pt.parse_action_label(first)
        values = filled[1:]
        shifted = misplaced_offer = False
        kind = "continuation"
        if label and title_col - 1 <= first_col <= title_col + 2:
            kind = "action"
            if self.anchor is None:
                if first_col != layout.header_title_col:
                    self.report.add(row, "en-tete-decale",
                                    f"Les actions commencent colonne {first_col + 1}, l'en-tête "
                                    f"({layout.at}) colonne {layout.header_title_col + 1} :"
                                    " colonnes lues à partir des actions.")
                self.anchor = first_col
            elif first_col != self.anchor:
                shifted = True
                self.report.warn(row, "numero-decale",
                                 f"Action {label.label} écrite colonne {first_col + 1} au lieu "
                                 f"de {self.anchor + 1} : remise dans la colonne des actions.")
        elif first_col <= title_col and not pt.is_oo_numbers(first):
            if layout.has_offers and self.current is not None and self.current.label:
                misplaced_offer = True
                self.report.warn(row, "offre-dans-colonne-action",
                                 f"« {excerpt(first)} » écrit dans la colonne des actions, sans "
                                 f"numéro : lu comme une offre de l'action "
                                 f"{self.current.label.label}.")
            else:
                kind = "action"
                if self.anchor is None:
                    self.anchor = first_col
        else:
            values = filled
        anchor = self.anchor if self.anchor is not None else layout.header_title_col
        fixed = [(first_col, "offre", first)] if misplaced_offer else []
        placed = fixed + self._place(row, values, layout, anchor, force=shifted or misplaced_offer,
                                     start_shift=anchor - first_col if shifted else 0,
                                     skip=("offre",) if misplaced_offer else ())
        self._note_inherited(layout, placed)
        oo = [v for _, k, v in placed if k == "oo"]
        rest = {}
        for _, key, value in placed:
            if key != "oo":
                add_value(rest, key, value)
        codes = [c for v in oo for c in pt.oo_codes(v)]
        used = [c for c, k, v in placed if k in KEPT or (k == "oo" and pt.oo_codes(v))]
        if kind == "action":
            self.ledger.use(row, [first_col, *joined, *used])
            title = label.title if label else first
            p = self._print(row, label, title)
            p.add_oo(codes)
            if layout.has_offers:
                if rest:
                    p.offers.append(Offer(row, rest))
            else:
                p.values = rest
            self.current = p
            if self.objectif:
                self.objectif.has_actions = True
            self.oo_open = False
            return
        if self.current is None:
            self.report.warn(row, "ligne-non-placee",
                             f"Ligne sans action au-dessus dans le tableau : "
                             f"« {excerpt(' | '.join(v for _, v in filled))} » ignorée.")
            return
        self.ledger.use(row, used)
        if layout.has_offers:
            self.current.offers.append(Offer(row, rest))
            added = self.current.add_oo(codes)
            if added:
                self.report.warn(row, "oo-sur-offre",
                                 f"{agree(len(added), 'Objectif opérationnel')} "
                                 f"{' '.join(added)} {agree(len(added), 'écrit')} sur une ligne "
                                 f"d'offre : {agree(len(added), 'ajouté')} à ceux de l'action "
                                 f"{self.current.label.label if self.current.label else ''}.")
            return
        orphan = self._print(row, None, None)
        orphan.orphan = True
        orphan.add_oo(codes)
        orphan.values = rest
        self.current = orphan
        self.oo_open = False

    def _note_inherited(self, layout: Layout, placed: list[tuple[int, str, str]]) -> None:
        if layout.inherited and not layout.inherited_noted \
                and any(k in layout.inherited for _, k, _ in placed):
            layout.inherited_noted = True
            names = ", ".join(field_name(k) for k in layout.inherited)
            self.report.add(layout.row, "en-tete-complete",
                            f"L'en-tête ne nomme pas la ou les dernières colonnes ({names}), "
                            f"remplies dans ce tableau : reprises du tableau précédent "
                            f"({layout.inherited_from}).")
        if layout.default_means and not layout.means_noted:
            layout.means_noted = True
            self.report.add(layout.row, "moyens-sans-sous-colonnes",
                            "« MOYENS » sans sous-colonnes nommées : colonnes lues comme Moyens "
                            "humains, Moyens techniques, Moyens financiers.")

    def _place(self, row: SourceRow, values: list[tuple[int, str]], layout: Layout,
               anchor: int, *, force: bool, start_shift: int = 0,
               skip: tuple[str, ...] = ()) -> list[tuple[int, str, str]]:
        """(column, field, value) of a row's values; realigned if the row looks shifted."""
        columns = {c: k for c, k in layout.column_of(anchor).items()
                   if k != TITLE and k not in skip}
        positional, signs = [], force
        looks = [look_of(value, self.parcours) for _, value in values]
        for (col, value), look in zip(values, looks):
            key = columns.get(col)
            if key is None or key == "numero":
                signs = True
                positional.append((col, "", value))
                continue
            positional.append((col, key, value))
            numbers = pt.is_oo_numbers(value)
            if (key == "oo") != numbers:
                signs = True
            if layout.has_parcours and (key == "parcours") != (look.score("parcours") > 0):
                signs = True
        fields = sorted(columns.items())
        if not fields:
            return [(c, "", v) for c, _, v in positional]
        gain = gains(values, fields, looks)
        if not signs:
            here = sum(look.score(k) for (_, k, _), look in zip(positional, looks))
            # No realignment can score more than every value in its best field: when even
            # that is not enough better, the dynamic programming is not needed.
            if sum(max(row) for row in gain) - here < REALIGN_GAIN - 1e-9:
                return positional
        best, score = realign(values, fields, self.parcours, start_shift, gain)
        if not signs and score - here < REALIGN_GAIN:
            return positional
        moves = [(v, columns.get(c), k) for (c, k, v) in best if columns.get(c) != k]
        if moves:
            said = "; ".join(
                f"« {excerpt(v, 40)} » : "
                + (f"colonne {field_name(a)}" if a else "hors des colonnes")
                + f" → {field_name(b)}" for v, a, b in moves)
            self.report.warn(row, "colonnes-realignees",
                             f"Cellules décalées par rapport à l'en-tête ({layout.at}), "
                             f"remises dans l'ordre des colonnes : {said}.")
        return best


def _join_number(filled: list[tuple[int, str]], layout: Layout,
                 title_col: int) -> list[tuple[int, str]]:
    """A table with its own « N° » column: the number joins the title, as in « 12. Titre »."""
    number_col = title_col - layout.title_index + layout.keys.index("numero")
    cells = dict(filled)
    number, title = cells.get(number_col), cells.get(title_col)
    if not number or not title:
        return filled
    joined = f"{number}. {title}" if number.isdigit() else f"{number} {title}"
    return sorted([(c, t) for c, t in filled if c not in (number_col, title_col)]
                  + [(title_col, joined)])
