"""Turn the recognised sections into canonical plans, one per thématique.

Decisions taken here, each reported with its line number:

Lost titles and second rows
    In a table without offers, a row whose title cell is empty is either an
    action whose title was lost or the second row of the action above. When
    the printed numbers leave a gap around it (« 1 », row, « 3 »), it is the
    missing action (number 2, empty title, its own fields); when they do not
    (« 8 », row, « 9 »), it is the continuation of the action above: its
    values fill that action's empty fields, identical values are not
    repeated and different ones are appended — nothing is lost.

Actions printed twice
    When a number is printed twice in one thématique (Enfance 69–73 appear
    under objectifs 1 and 2 of axe III), it is one action. Its fields, offers
    and OO codes are those of the *first* print: in the Mont de Marsan plan
    that print's offer rows are aligned with their actions (69 « Mise en
    œuvre du CLAS », 70 « aide aux devoirs » and « études surveillées »…),
    whereas the second print shifts every offer one action down. It is
    *placed* under the objectif of the *last* print: there its OO labels
    describe it (accompagnement à la scolarité, réussite éducative,
    information des familles), and that objectif's table holds nothing else.
    Every value of the other prints is checked against the thématique:
    values already imported are not repeated, any new value is added to the
    action (as one more offer in an offer table). Both placements are
    reported.

Indicators
    The free-text « Indicateurs d'évaluation » of each action (or of its offers) are
    also cut into rows of the Indicateurs sheet (``indicators.py``), the text kept.

Identifiers
    Thématiques whose actions all carry a simple number get ``CODE-NNN``
    from that number (``ENF-015``); otherwise (reference lists such as
    « 3.13.10. », unnumbered actions) identifiers follow document order
    (``COH-001``…). Distinct actions sharing a label or a title stay distinct.
"""

from __future__ import annotations

from ..model import Meta, Plan, fill_years
from ..wording import agree, counted
from .document import DESCRIPTIVE, Offer, Print, Section, add_value
from .indicators import indicator_rows as indicators_of
from .oo import resolve_oos
from .patterns import ActionLabel
from .report import ImportedThematique, Reporter, excerpt, field_name



def build_plans(sections: list[Section], reporter: Reporter) -> list[ImportedThematique]:
    numbers = [{p.number for p in s.prints if p.number is not None} for s in sections]
    return [build_section(s, reporter, set().union(*(n for j, n in enumerate(numbers) if j != i)))
            for i, s in enumerate(sections)]


def _where(p: Print) -> str:
    axe = p.axe.code if p.axe and p.axe.code else "?"
    objectif = f", objectif {p.objectif.number}" if p.objectif and p.objectif.number else ""
    return f"{p.row.at} (axe {axe}{objectif})"


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def build_section(section: Section, reporter: Reporter,
                  elsewhere: set[int] = frozenset()) -> ImportedThematique:
    """``elsewhere``: action numbers other thématiques of the document use (a document that
    numbers its actions from one end to the other: « 1 » to « 3 » in Petite enfance, « 4 »
    and « 5 » in Jeunesse)."""
    reporter.thematique = section.thematique.libelle
    oos = _resolve_objectifs(section, reporter)
    actions = _resolve_orphans(section.prints, reporter)
    actions = _merge_duplicates(actions, reporter)
    ids = _identifiers(section, actions, reporter, elsewhere)
    _report_titles(actions, reporter)
    label = section.thematique.libelle
    action_rows, offer_rows, indicator_rows = [], [], []
    for p in actions:
        codes = {o.code for o in oos.get(id(p.objectif), [])}
        unknown = [c for c in p.oo if codes and c not in codes]
        if unknown:
            reporter.add(p.row, "oo-inconnu",
                         f"Action {ids[id(p)]} : {' '.join(unknown)} "
                         f"{agree(len(unknown), 'absent')} des objectifs opérationnels de son "
                         f"objectif intermédiaire ({agree(len(unknown), 'gardé tel quel', 'gardés tels quels')}).")
        record = {"id_action": ids[id(p)], "thematique": label,
                  "axe": p.axe.code if p.axe else None,
                  "objectif": p.objectif.number if p.objectif else None,
                  "oo": " ".join(p.oo) or None,
                  "numero": p.label.label if p.label else None, "intitule": p.title}
        if not p.with_offers:
            record.update({k: p.values.get(k) for k in DESCRIPTIVE})
        action_rows.append(record)
        for rank, offer in enumerate(p.offers, start=1):
            offer_rows.append({"id_action": ids[id(p)], "numero_offre": rank,
                               "offre": offer.values.get("offre"),
                               **{k: offer.values.get(k) for k in DESCRIPTIVE}})
        indicator_rows.extend(indicators_of(ids[id(p)], [
            None if p.with_offers else p.values.get("indicateurs"),
            *(o.values.get("indicateurs") for o in p.offers)]))
        if not p.offers and not any(p.values.values()):
            reporter.add(p.row, "action-sans-champs",
                         f"Action {ids[id(p)]} « {excerpt(p.title or '')} » : seul l'intitulé "
                         "est écrit (porteur, public, échéances… vides).")
    plan_rows = _plan_rows(section, oos)
    plan = Plan.from_records(Meta(thematique=label, service=label), actions=action_rows,
                             offres=offer_rows, plan=plan_rows, indicateurs=indicator_rows)
    plan = plan.replace(actions=fill_years(plan.actions), offres=fill_years(plan.offres))
    origins = tuple((ids[id(p)], p.row.at) for p in actions)
    return ImportedThematique(section.thematique, plan, origins)


def _resolve_objectifs(section: Section, reporter: Reporter) -> dict[int, list]:
    resolved = {}
    for axe in section.axes:
        for objectif in axe.objectifs:
            oos, notes = resolve_oos(objectif.oo_entries)
            resolved[id(objectif)] = oos
            for note in notes:
                (reporter.warn if note.warning else reporter.add)(note.row, note.code,
                                                                  note.message)
    return resolved


def _plan_rows(section: Section, oos: dict[int, list]) -> list[dict]:
    rows = []
    label = section.thematique.libelle
    for axe in section.axes:
        base = {"thematique": label, "axe": axe.code, "axe_intitule": axe.label}
        if not axe.objectifs:
            rows.append(dict(base))
        for objectif in axe.objectifs:
            obj = {**base, "objectif": objectif.number, "objectif_intitule": objectif.label}
            items = oos.get(id(objectif), [])
            if not items:
                rows.append(obj)
            for oo in items:
                rows.append({**obj, "oo": oo.code, "oo_intitule": oo.label})
    return _one_row_per_key(rows)


def _one_row_per_key(rows: list[dict]) -> list[dict]:
    """The Plan rows with one row per (axe, objectif, OO): a heading written twice (the same
    objectif declared again further down) gives its labels to the first row, which only
    takes those it lacks."""
    kept: dict[tuple, dict] = {}
    for row in rows:
        key = (row.get("axe"), row.get("objectif"), row.get("oo"))
        first = kept.get(key)
        if first is None:
            kept[key] = row
        else:
            for field, value in row.items():
                if value and not first.get(field):
                    first[field] = value
    return list(kept.values())


def _resolve_orphans(prints: list[Print], reporter: Reporter) -> list[Print]:
    """Lost-title actions or continuation rows (see module docstring)."""
    out: list[Print] = []
    numbered = any(q.number is not None for q in prints)
    # next_numbered[k]: the first print at k or after that is numbered and not an orphan
    next_numbered: list[Print | None] = [None] * (len(prints) + 1)
    for k in range(len(prints) - 1, -1, -1):
        q = prints[k]
        next_numbered[k] = q if not q.orphan and q.number is not None else next_numbered[k + 1]
    before: Print | None = None      # the last numbered print of ``out``
    i = 0
    while i < len(prints):
        p = prints[i]
        if not p.orphan:
            out.append(p)
            if p.number is not None:
                before = p
            i += 1
            continue
        j = i
        while j < len(prints) and prints[j].orphan:
            j += 1
        run = prints[i:j]
        after = next_numbered[j]
        previous = out[-1] if out else None
        gap = (after.number - before.number - 1) if before and after else 0
        for k, orphan in enumerate(run):
            if numbered and before and k < gap:
                number = before.number + k + 1  # type: ignore[operator]
                orphan.label = ActionLabel(str(number), number, "")
                orphan.orphan = False
                orphan.title = None
                out.append(orphan)
                reporter.warn(orphan.row, "titre-perdu",
                              f"Ligne sans intitulé entre les actions {before.label.label} "
                              f"et {after.label.label} : action {number} déduite de la "
                              "numérotation, intitulé perdu (champs gardés"
                              + (f", porteur « {excerpt(orphan.values['porteur'], 40)} »"
                                 if orphan.values.get("porteur") else "") + ").")
                previous = orphan
            elif numbered and previous is not None:
                _merge_rows(previous, orphan, reporter)
            else:
                orphan.orphan = False
                out.append(orphan)
                reporter.warn(orphan.row, "titre-perdu",
                              "Ligne sans intitulé : gardée comme une action sans intitulé.")
                previous = orphan
        if out and out[-1].number is not None:
            before = out[-1]
        i = j
    return out


def _merge_rows(target: Print, orphan: Print, reporter: Reporter) -> None:
    filled, appended = [], []
    for key, value in orphan.values.items():
        current = target.values.get(key)
        if not current:
            target.values[key] = value
            filled.append(field_name(key))
        elif _norm(value) != _norm(current):
            add_value(target.values, key, value)
            appended.append(field_name(key))
    added = target.add_oo(orphan.oo)
    parts = []
    if filled:
        parts.append("complète " + ", ".join(filled))
    if appended:
        parts.append("ajoute à " + ", ".join(appended))
    if added:
        parts.append("ajoute " + " ".join(added))
    name = target.label.label if target.label else "précédente"
    reporter.warn(orphan.row, "ligne-fusionnee",
                  f"Ligne sans intitulé juste après l'action {name}, sans numéro manquant "
                  f"entre elle et la suivante : lue comme la suite de l'action {name} ("
                  + ("; ".join(parts) or "valeurs identiques") + ").")


def _values_of(p: Print) -> list[tuple[str, str]]:
    pairs = [("intitule", p.title)] if p.title else []
    pairs += list(p.values.items())
    for offer in p.offers:
        pairs += list(offer.values.items())
    return pairs


def _merge_duplicates(actions: list[Print], reporter: Reporter) -> list[Print]:
    first: dict[int, Print] = {}
    duplicates: list[tuple[Print, Print]] = []
    out = []
    for p in actions:
        if p.number is not None and p.number in first:
            duplicates.append((first[p.number], p))
        else:
            if p.number is not None:
                first[p.number] = p
            out.append(p)
    if not duplicates:
        return out
    known = {_norm(v) for q in out for _, v in _values_of(q)}
    for primary, dup in duplicates:
        placed_before = _where(primary)
        primary.axe, primary.objectif = dup.axe, dup.objectif
        added_oo = primary.add_oo(dup.oo)
        new = [(k, v) for k, v in _values_of(dup) if _norm(v) not in known]
        if new:
            if primary.with_offers:
                values: dict[str, str] = {}
                for k, v in new:
                    add_value(values, "offre" if k == "intitule" else k, v)
                primary.offers.append(Offer(dup.row, values))
            else:
                for k, v in new:
                    if k == "intitule":
                        primary.title = f"{primary.title}\n{v}" if primary.title else v
                    else:
                        add_value(primary.values, k, v)
            known.update(_norm(v) for _, v in new)
        fate = (f"{counted(len(new), 'valeur absente')} de la première impression "
                f"{agree(len(new), 'ajoutée')} à l'action" if new else "toutes les valeurs de cette impression sont déjà "
                "importées depuis la première")
        oo_note = f" ; {' '.join(added_oo)} {agree(len(added_oo), 'ajouté')}" if added_oo else ""
        reporter.warn(dup.row, "action-en-double",
                      f"Action {primary.label.label} imprimée deux fois : {placed_before} et "
                      f"{_where(dup)}. Gardée une fois, placée sous la dernière impression "
                      f"(axe {dup.axe.code if dup.axe else '?'}, objectif "
                      f"{dup.objectif.number if dup.objectif else '?'}), avec les champs et "
                      f"offres de la première ; {fate}{oo_note}.")
    return out


def _identifiers(section: Section, actions: list[Print], reporter: Reporter,
                 elsewhere: set[int] = frozenset()) -> dict[int, str]:
    code = section.thematique.code
    numbers = [p.number for p in actions]
    if actions and all(n is not None for n in numbers) and len(set(numbers)) == len(numbers):
        actions.sort(key=lambda p: p.number)  # type: ignore[arg-type, return-value]
        top = max(numbers)  # type: ignore[type-var]
        low = min(numbers)  # type: ignore[type-var]
        missing = sorted(set(range(1, top + 1)) - set(numbers)  # type: ignore[arg-type]
                         - {n for n in elsewhere if n < low})
        if missing:
            reporter.warn(section.row, "numeros-manquants",
                          "Numéros d'action absents du document : "
                          + ", ".join(str(n) for n in missing) + ".")
        return {id(p): f"{code}-{p.number:03d}" for p in actions}
    ids = {id(p): f"{code}-{i:03d}" for i, p in enumerate(actions, start=1)}
    if actions:
        reporter.add(section.row, "identifiants-sequentiels",
                     f"Actions sans numéro simple (listes de références ou aucun numéro) : "
                     f"identifiants {code}-001 à {code}-{len(actions):03d} attribués dans "
                     "l'ordre du document, numéros imprimés gardés dans « N° action ».")
    seen: dict[str, Print] = {}
    for p in actions:
        if p.label is None:
            if any(q.label for q in actions):
                reporter.add(p.row, "action-sans-numero",
                             f"Action « {excerpt(p.title or '')} » sans numéro : "
                             f"identifiant {ids[id(p)]}.")
            continue
        if p.label.number is None:
            reporter.add(p.row, "numero-reference",
                         f"Action numérotée par une liste de références « {p.label.label} » : "
                         f"numéro gardé tel quel, identifiant {ids[id(p)]}.")
        if p.label.label in seen:
            reporter.warn(p.row, "numero-repete",
                          f"Numéro « {p.label.label} » déjà porté par l'action "
                          f"{ids[id(seen[p.label.label])]} ({seen[p.label.label].row.at}) : "
                          "contenus différents, deux actions "
                          f"gardées ({ids[id(seen[p.label.label])]} et {ids[id(p)]}).")
        else:
            seen[p.label.label] = p
    return ids


def _report_titles(actions: list[Print], reporter: Reporter) -> None:
    """Warn when a title (15 characters or more) repeats, or extends or shortens, the title of an
    earlier action: the first such action is named. Linear in the number of actions (see
    ``_earliest_related``)."""
    norms = [_norm(p.title or "") for p in actions]
    earliest = _earliest_related(norms)
    for i, p in enumerate(actions):
        if len(norms[i]) < 15 or earliest[norms[i]] >= i:
            continue
        same = actions[earliest[norms[i]]]
        who = p.values.get("porteur")
        other = same.values.get("porteur")
        empty = not p.offers and not any(p.values.values())
        reporter.warn(p.row, "titre-repete",
                      f"Intitulé « {excerpt(p.title or '')} » déjà écrit {same.row.at}"
                      + (f" (porteur « {excerpt(other, 40)} »)" if other else "")
                      + " : action distincte gardée"
                      + (f" (porteur « {excerpt(who, 40)} »)" if who else "")
                      + (", sans aucun autre champ" if empty else "") + ".")


def _earliest_related(norms: list[str]) -> dict[str, int]:
    """For each non-empty text of ``norms``, the smallest index of a text equal to it, a prefix
    of it, or starting with it.

    The texts sorted form a forest where each text's parent is its longest prefix among them
    (a stack walk: the prefixes of a text are exactly the texts on the stack when it comes).
    The answer is the smallest index along the chain of a text's prefixes or in its subtree,
    both computed in one pass each: O(n log n) comparisons instead of comparing every pair.
    """
    first: dict[str, int] = {}
    for i, text in enumerate(norms):
        if text:
            first.setdefault(text, i)
    ordered = sorted(first)
    parent: dict[str, str | None] = {}
    stack: list[str] = []
    for text in ordered:
        while stack and not text.startswith(stack[-1]):
            stack.pop()
        parent[text] = stack[-1] if stack else None
        stack.append(text)
    below = dict(first)              # smallest index in the subtree
    for text in reversed(ordered):
        up = parent[text]
        if up is not None and below[text] < below[up]:
            below[up] = below[text]
    chain: dict[str, int] = {}       # smallest index among the text and its prefixes
    for text in ordered:
        up = parent[text]
        chain[text] = first[text] if up is None else min(first[text], chain[up])
    return {text: min(chain[text], below[text]) for text in ordered}
