"""Walk the rows of a legacy plan and recognise its structure.

The walker reads headings (thématique, axe or « THEMATIQUE n » group,
objectif intermédiaire — with their label inline, on the next line(s) or
lost), blocks of objectifs opérationnels, table headers (one or two rows)
and data rows (actions, offers, rows whose title was lost). What it had to
interpret is reported with its line number; nothing is dropped without a
report entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..vocabulary import Vocabulary, fold
from . import patterns as pt
from ..wording import agree, counted, plural
from .document import Axe, Objectif, Print, Section
from .header import HeaderRow, Layout, classify_header
from .ledger import Ledger
from .report import Reporter, excerpt
from .source import SourceRow
from .table import TableReader


@dataclass
class Pending:
    """A heading whose label is expected on the next line(s)."""

    heading: pt.Heading
    row: SourceRow
    in_block: bool = False
    emphasis: bool = False
    lines: list[str] = field(default_factory=list)
    rows: list[SourceRow] = field(default_factory=list)    # the rows of ``lines``
    cols: list[int] | None = None      # the heading's cells in ``row`` (None: all)


class Walker(TableReader):
    def __init__(self, vocabulary: Vocabulary, reporter: Reporter, default: object = None,
                 ledger: Ledger | None = None):
        self.vocabulary = vocabulary
        self.report = reporter
        self.ledger = ledger if ledger is not None else Ledger((), ())
        self.parcours = vocabulary.values("parcours")
        self.sections: list[Section] = []
        self.section: Section | None = None
        self.skipping: tuple[SourceRow, int] | None = None
        self.pending: Pending | None = None
        self.loose: SourceRow | None = None
        self._reset()
        if default is not None:
            self._open_section(default, None)

    # -- state -------------------------------------------------------------
    def _reset(self) -> None:
        self.axe: Axe | None = None
        self.objectif: Objectif | None = None
        self.layout: Layout | None = None
        self.header: HeaderRow | None = None
        self.header_row: SourceRow | None = None
        self.previous_layout: Layout | None = None
        self.anchor: int | None = None
        self.current: Print | None = None
        self.oo_open = False
        self.in_oo_block = False  # right after a « OBJECTIFS OPERATIONNELS » row

    def _open_section(self, thematique, row: SourceRow | None) -> None:
        existing = next((s for s in self.sections if s.thematique == thematique), None)
        self.report.thematique = thematique.libelle
        if existing:
            self.report.add(row, "thematique-repetee",
                            f"Thématique « {thematique.libelle} » déjà rencontrée : "
                            "la suite est ajoutée à la même thématique.")
            self.section = existing
        else:
            self.section = Section(thematique, row or SourceRow(0, ()))
            self.sections.append(self.section)
        self.ledger.section = self.section
        self._reset()

    # -- main loop -----------------------------------------------------------
    def walk(self, rows: tuple[SourceRow, ...]) -> list[Section]:
        for row in rows:
            self.row(row)
        self._finish_pending()
        self._settle_loose(None)
        self._stop_skipping()
        return self.sections

    def row(self, row: SourceRow) -> None:
        filled = row.filled
        if not filled:
            if self.pending and self.pending.lines:
                self._finish_pending()
            return
        first_col, first = filled[0]
        text, emphasis = pt.strip_emphasis(first)
        single = len(filled) == 1
        heading = pt.parse_heading(text, self.vocabulary) if single else None
        if not single and fold(first) != pt.OO_BLOCK:
            heading = self._tabbed_title(row, filled, text)
            single = heading is not None
        if self.skipping:
            if heading and heading.kind == "thematique" and heading.thematique:
                self._stop_skipping()
            else:
                self.skipping = (self.skipping[0], self.skipping[1] + 1)
                return
        if self.loose is not None:
            self._settle_loose(heading.kind if heading else "oo" if fold(first) == pt.OO_BLOCK
                               else "other")
        if fold(first) == pt.OO_BLOCK:
            self._finish_pending()
            if self.section is not None:
                self.ledger.use(row, [first_col])
            self._oo_block(row, filled[1:])
            self.in_oo_block = True
            return
        block, self.in_oo_block = self.in_oo_block, False
        if heading:
            self._finish_pending()
            self._heading(heading, row, emphasis, in_block=False)
            return
        if single and self.pending and not pt.parse_action_label(text) \
                and not pt.BARE_NUMBER.match(text) and not pt.OO_LABEL.match(text):
            self.pending.lines.append(text)
            self.pending.rows.append(row)
            self.pending.emphasis |= emphasis
            return
        self._finish_pending()
        if single and (bare := pt.bare_thematique(text, self.vocabulary)):
            self._heading(bare, row, emphasis, in_block=False)
            return
        header = classify_header(filled, row)
        if header:
            self._header(header, row)
            return
        if self.section is None:
            self.report.warn(row, "ligne-non-placee",
                             f"« {excerpt(first)} » : ligne placée avant toute thématique "
                             "reconnue, ignorée.")
            return
        if self.oo_open and self._oo_row(row, filled, free_text=block):
            self.in_oo_block = block
            return
        if single and pt.looks_like_heading_text(text) and not pt.parse_action_label(text):
            self.loose = row
            return
        if self.layout is None:
            self.report.warn(row, "ligne-non-placee",
                             f"« {excerpt(first)} » : ligne hors de tout tableau (aucun en-tête "
                             "de colonnes au-dessus), ignorée.")
            return
        if row.kind == "paragraph":
            self.report.warn(row, "texte-hors-tableau",
                             f"« {excerpt(first)} » : paragraphe écrit hors des tableaux, ni titre "
                             "ni ligne de tableau : non importé (voir le texte non importé).")
            return
        self._data(row, filled)

    def _tabbed_title(self, row: SourceRow, filled: list[tuple[int, str]],
                      text: str) -> pt.Heading | None:
        """« AXE STRATEGIQUE II⇥Répondre aux besoins… »: a title whose label is aligned with
        a tab, so that it reads as several cells. It is a title when its first part is one
        and it is a paragraph, or a title without its label (« AXE STRATEGIQUE II »)."""
        first = pt.parse_heading(text, self.vocabulary)
        if first is None or not (row.kind == "paragraph" or first.label is None):
            return None
        joined = " ".join(pt.strip_emphasis(t)[0] for _, t in filled)
        heading = pt.parse_heading(joined, self.vocabulary)
        if heading is not None:
            self.report.add(row, "titre-tabule",
                            f"« {excerpt(joined)} » : titre dont l'intitulé est aligné par une "
                            "tabulation, lu comme un seul titre.")
        return heading

    def _settle_loose(self, next_kind: str | None) -> None:
        """Report an upper-case title seen alone, knowing what follows it."""
        row, self.loose = self.loose, None
        if row is None:
            return
        text = excerpt(row.filled[0][1])
        if next_kind in (None, "thematique"):
            self.report.warn(row, "section-interrompue",
                             f"« {text} » : titre de section sans tableau ni contenu après lui "
                             "(la section s'arrête là), ignoré.")
        elif next_kind in ("axe", "group", "objectif", "oo"):
            self.report.add(row, "titre-ignore",
                            f"Titre « {text} » sans rubrique reconnue, suivi de rubriques : "
                            "ignoré.")
        else:
            self.report.warn(row, "ligne-non-placee",
                             f"Titre « {text} » sans rubrique reconnue : ignoré.")

    # -- headings ------------------------------------------------------------
    def _heading(self, heading: pt.Heading, row: SourceRow, emphasis: bool, *,
                 in_block: bool, cols: list[int] | None = None) -> None:
        """``cols``: the cells of ``row`` the heading is written in (None: the whole row)."""
        if heading.kind == "thematique":
            self._thematique(heading, row, emphasis)
            return
        if self.section is None:
            self.report.warn(row, "ligne-non-placee",
                             "Rubrique placée avant toute thématique reconnue : ignorée.")
            return
        if heading.label is None:
            self.pending = Pending(heading, row, in_block, emphasis, cols=cols)
            return
        self._apply(heading, row, emphasis, in_block, heading.label, inline=True, cols=cols)

    def _finish_pending(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        label = " ".join(" ".join(pending.lines).split()) or None
        self._apply(pending.heading, pending.row, pending.emphasis, pending.in_block, label,
                    inline=False, lines=len(pending.lines), label_rows=pending.rows,
                    cols=pending.cols)

    def _apply(self, heading: pt.Heading, row: SourceRow, emphasis: bool, in_block: bool,
               label: str | None, *, inline: bool, lines: int = 0,
               label_rows: list[SourceRow] = (), cols: list[int] | None = None) -> None:
        name = {"axe": "axe", "group": "groupe", "objectif": "objectif"}[heading.kind]
        if emphasis:
            self.report.add(row, "mise-en-forme-retiree",
                            f"Titre d'{name} entouré de « ** » : marques retirées."
                            if name != "groupe" else "Titre entouré de « ** » : marques retirées.")
        if not inline and not in_block:
            if label is None:
                self.report.warn(row, "intitule-absent",
                                 f"Titre « {excerpt(row.filled[0][1])} » sans intitulé.")
            elif lines > 1:
                self.report.add(row, "intitule-ligne-suivante",
                                f"Intitulé écrit sur {plural(lines, 'ligne')} après le titre : "
                                "lignes réunies.")
            else:
                self.report.add(row, "intitule-ligne-suivante",
                                "Intitulé écrit sur la ligne suivant le titre.")
        self.current = None
        if heading.kind in ("axe", "group"):
            kept = self._axe(heading, row, label)
        else:
            kept = self._objectif(heading, row, label, in_block)
        # The heading's text is in the plan when its label is (the code always is).
        if kept or (label is None) or not inline:
            self.ledger.use(row, cols)
        if kept:
            for line in label_rows:
                self.ledger.use(line)

    def _thematique(self, heading: pt.Heading, row: SourceRow, emphasis: bool) -> None:
        if heading.thematique is None:
            self.report.thematique = None
            self.report.warn(row, "thematique-inconnue",
                             f"Thématique « {heading.label} » absente de validation/listes.toml : "
                             "section ignorée (ajoutez-la à la liste des thématiques pour "
                             "l'importer).")
            self.section = None
            self.skipping = (row, 0)
            return
        self._open_section(heading.thematique, row)
        self.ledger.use(row)
        label = heading.thematique.libelle
        if not heading.keyword:
            self.report.add(row, "thematique-sans-mot",
                            f"« {heading.label} » lu comme le titre de la thématique « {label} » "
                            "(sans le mot THEMATIQUE).")
        elif fold(heading.label or "") != fold(label):
            self.report.add(row, "titre-thematique",
                            f"« {excerpt(heading.label or '')} » lu comme la thématique "
                            f"« {label} ».")

    def _stop_skipping(self) -> None:
        if self.skipping:
            row, count = self.skipping
            if count:
                self.report.warn(row, "section-ignoree",
                                 f"{counted(count, 'ligne non vide')} de la thématique "
                                 f"inconnue {agree(count, 'ignorée')}.")
            self.skipping = None

    def _axe(self, heading: pt.Heading, row: SourceRow, label: str | None) -> bool:
        """Open the axe; whether its label (if any) is the one the plan keeps."""
        assert self.section is not None
        same = self.section.axe_named(heading.code)
        kept = True
        if same:
            self.report.add(row, "axe-repete", f"Axe {heading.code} déjà ouvert : suite de l'axe.")
            if same.label is None:
                same.label = label
            kept = label is None or fold(label) == fold(same.label or "")
            self.axe = same
        else:
            self.axe = Axe(heading.code, label, row)
            self.section.axes.append(self.axe)
            if heading.kind == "group":
                self.report.add(row, "groupe-thematique",
                                f"« THEMATIQUE {heading.code} » lu comme un axe de la thématique "
                                f"(axe « {heading.code} », intitulé « {excerpt(label or '')} »).")
        self.objectif = None
        self.oo_open = True
        return kept

    def _objectif(self, heading: pt.Heading, row: SourceRow, label: str | None,
                  in_block: bool) -> bool:
        """Open the objectif; whether its label (if any) is the one the plan keeps."""
        assert self.section is not None and heading.code is not None
        current = self.objectif
        number = pt.objectif_rank(heading.code)
        if current and current.number == heading.code and (
                in_block or label is None or current.label is None
                or fold(label) == fold(current.label)):
            if current.label is None:
                current.label = label
            self.report.add(row, "objectif-repete",
                            f"Titre de l'objectif intermédiaire {heading.code} répété : "
                            "même objectif.")
            return label is None or fold(label) == fold(current.label or "")
        again = self.axe.objectif_numbered(heading.code) \
            if self.axe is not None and current is None else None
        if again is not None:
            self.objectif = again
            if again.label is None:
                again.label = label
            self.report.add(row, "objectif-repete",
                            f"Objectif intermédiaire {heading.code} de cet axe déjà "
                            "ouvert plus haut : suite du même objectif.")
            self.oo_open = not again.has_actions
            return label is None or fold(label) == fold(again.label or "")
        if self.axe is None:
            self.axe = Axe(None, None, None)
            self.section.axes.append(self.axe)
            self.report.add(row, "sans-axe", "Objectif intermédiaire sans axe au-dessus : "
                                             "axe laissé vide.")
        elif current and pt.objectif_rank(current.number) and number \
                and number <= pt.objectif_rank(current.number):
            code = pt.next_axe_code(self.axe.code)
            same = self.axe.objectif_numbered(heading.code)
            if code is None and same is not None:
                # no next axe to infer (the axe has no code): the same objectif again
                self.objectif = same
                self.report.add(row, "objectif-repete",
                                f"Objectif intermédiaire {heading.code} de cet axe déjà "
                                "ouvert plus haut : suite du même objectif.")
                return label is None or fold(label) == fold(same.label or "")
            self.axe = Axe(code, None, row, inferred=True)
            self.section.axes.append(self.axe)
            self.report.warn(row, "axe-deduit",
                             f"L'objectif intermédiaire {heading.code} suit l'objectif "
                             f"{current.number} sans titre d'axe entre eux : titre d'axe perdu, "
                             f"objectifs rattachés à un axe {code or '(sans code)'} déduit, "
                             "d'intitulé inconnu.")
        self.objectif = Objectif(heading.code, label, row)
        self.axe.objectifs.append(self.objectif)
        self.oo_open = True
        return True

    def _objectif_for_oo(self, row: SourceRow) -> Objectif:
        if self.objectif is None:
            if self.axe is None:
                self.axe = Axe(None, None, None)
                assert self.section is not None
                self.section.axes.append(self.axe)
            self.objectif = Objectif(None, None, row)
            self.axe.objectifs.append(self.objectif)
        return self.objectif
