"""Running the rules on plans: pandera per sheet, then the plan-wide checks.

``validate_plan`` is pure (a ``Plan`` in, a ``Report`` out) and
``validate_plans`` does the same for many plans at once, running each sheet's
schema once per batch of plans (``batch.py``); ``validate_file`` adds the
reader. Pandera runs each column's checks (``_run_checks``); the failing rows
of each check become one finding per row, placed on the cell the user sees
(``Actions!H12``) and worded from the rules' French templates.
"""

from __future__ import annotations

import dataclasses
import functools
import string
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..catalogue import SHEETS_BY_KEY, TABLE_SHEETS
from ..findings import Finding, new_finding
from ..model import Plan
from ..runtime import paused_gc
from .batch import Batch
from .context import HEADER_ROW, Context, SheetData, shown
from .registry import REGISTRY, Hit, Verdict, all_codes, load_checks
from .report import FileReport, Report
from .rules import IGNORE, Rules, load_rules

_SHEET_ORDER = {s.name: i for i, s in enumerate(TABLE_SHEETS)}
BATCH_ROWS = 50_000     # rows of all sheets checked together, at most (memory stays small)


class _Params(dict):
    """Template parameters; an unknown ``{name}`` is left as written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@functools.lru_cache(maxsize=4096)
def _compiled(template: str) -> tuple[tuple[str, str | None], ...] | None:
    """``template`` as (literal, field name) pairs, parsed once; None when it uses format
    specs, conversions or attribute access (then ``string.Formatter`` does the work)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return None
    out = []
    for literal, name, spec, conversion in parts:
        if name is not None and (spec or conversion or not name.isidentifier()):
            return None
        out.append((literal, name))
    return tuple(out)


def _format(template: str, params: dict) -> str:
    """``template`` filled with ``params`` (an unknown ``{name}`` stays as written). Findings
    come by the hundred thousand: each template is parsed once (``_compiled``)."""
    parts = _compiled(template)
    if parts is None:
        try:
            return string.Formatter().vformat(template, (), _Params(params))
        except (ValueError, IndexError, AttributeError, KeyError):
            return template
    get = params.get
    out = []
    for literal, name in parts:
        out.append(literal)
        if name is not None:
            value = get(name, _MISSING)
            out.append("{" + name + "}" if value is _MISSING else
                       value if type(value) is str else str(value))
    return "".join(out)


_MISSING = object()


@functools.lru_cache(maxsize=4096)
def _uses_value(template: str) -> bool:
    """Whether ``template`` shows the cell's value (« {valeur} »): else one message serves
    every row of a check."""
    parts = _compiled(template)
    return parts is None or any(name == "valeur" for _, name in parts)


class _Collector:
    """Turns verdicts into findings of one plan. Findings come by the hundred thousand in a
    workbook where every row misses an optional field: what depends only on the code or
    the column (severity, template, header) is looked up once."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rules = ctx.rules
        self.file = ctx.plan.source
        self.findings: list[Finding] = []
        self._codes: dict[tuple[str, str | None], tuple[str, str]] = {}
        self._headers: dict[tuple[str, str | None], str | None] = {}
        self._messages: dict[str, str] = {}
        start, end = self.rules.period
        self._period = {"debut": start, "fin": end}

    def _code(self, code: str, variant: str | None) -> tuple[str, str]:
        known = self._codes.get((code, variant))
        if known is None:
            known = self._codes[(code, variant)] = (self.rules.severity(code),
                                                    self.rules.message(code, variant))
        return known

    def _header(self, sd: SheetData, primary: str | None) -> str | None:
        key = (sd.sheet.key, primary)
        if key not in self._headers:
            sheet = sd.sheet
            self._headers[key] = (sheet.column(primary).header
                                  if primary is not None and primary in sheet.index else None)
        return self._headers[key]

    def finding(self, sd: SheetData | None, index: int | None,
                verdict: Verdict) -> Finding | None:
        severity, template = self._code(verdict.code, verdict.variant)
        if severity == IGNORE:
            return None
        columns = verdict.columns
        primary = columns[0] if columns else None
        value = verdict.value
        if sd is None:
            sheet_name = header = cell = letter = row = None
            cells: tuple[str, ...] = ()
        else:
            sheet_name = sd.sheet.name
            header = self._header(sd, primary)
            if value is None and index is not None and primary:
                value = sd.value(index, primary)
            row, letter = sd.locate(index, primary)
            cell = f"{letter}{row}" if letter and row is not None else None
            if verdict.cell and index is None:
                cell, cells = verdict.cell, (verdict.cell,)
                letter = verdict.cell.rstrip("0123456789")
                row = int(verdict.cell[len(letter):])
            elif row is None:
                cells = ()
            elif len(columns) == 1:
                cells = (cell,) if cell else ()
            else:
                cells = tuple(f"{key_letter}{key_row}" for key_row, key_letter in
                              (sd.locate(index, key) for key in columns) if key_letter)
        text = shown(value)
        params = {"feuille": sheet_name or "", "entete": header or "", "valeur": text or "",
                  **self._period}
        if verdict.params:
            params.update({k: "" if v is None else v for k, v in verdict.params.items()})
        message = _format(template, params)
        message = self._messages.setdefault(message, message)  # one copy of a repeated text
        return new_finding(verdict.code, severity, message, self.file, sheet_name, cell, row,
                           letter, header, text, verdict.suggestion,
                           cells if cells or not cell else (cell,))

    def add(self, sd: SheetData | None, index: int | None, verdict: Verdict) -> Finding | None:
        """The finding of ``verdict`` on row ``index`` of ``sd``, recorded and returned
        (None when its code is ignored by the rules)."""
        found = self.finding(sd, index, verdict)
        if found is not None:
            self.findings.append(found)
        return found

    def add_many(self, sd: SheetData, indexes: list[int], verdict: Verdict) -> list[Finding]:
        """The findings of one ``verdict`` on many rows of one column, not recorded (the
        caller orders them): what depends on the verdict (severity, header, letter,
        message unless it shows the value) is computed once. Same findings as
        ``finding`` on each row, which serves the verdicts it does not cover."""
        columns = verdict.columns
        if len(columns) != 1 or verdict.cell:
            return [f for f in (self.finding(sd, i, verdict) for i in indexes) if f is not None]
        severity, template = self._code(verdict.code, verdict.variant)
        if severity == IGNORE:
            return []
        primary = columns[0]
        header = self._header(sd, primary)
        _, letter = sd.locate(None, primary)
        origin = sd.table.origin if sd.table is not None else None
        if origin is not None:
            numbers = origin.rows
            rows = [numbers[i] if i < len(numbers) else None for i in indexes]
        else:
            rows = [i + HEADER_ROW + 1 for i in indexes]
        if verdict.value is not None:
            texts = [shown(verdict.value)] * len(indexes)
        else:
            raw = sd.raw[primary]
            texts = [shown(raw[i]) for i in indexes]
        params = {"feuille": sd.sheet.name, "entete": header or "", "valeur": "",
                  **self._period}
        if verdict.params:
            params.update({k: "" if v is None else v for k, v in verdict.params.items()})
        code, suggestion, file, sheet = verdict.code, verdict.suggestion, self.file, sd.sheet.name
        if _uses_value(template) and "valeur" not in (verdict.params or {}):
            by_text: dict[str | None, str] = {}
            for text in texts:
                if text not in by_text:
                    params["valeur"] = text or ""
                    message = _format(template, params)
                    by_text[text] = self._messages.setdefault(message, message)
            messages = [by_text[text] for text in texts]
        else:
            message = _format(template, params)
            messages = [self._messages.setdefault(message, message)] * len(texts)
        if letter and None not in rows:
            cells = [f"{letter}{row}" for row in rows]
            return [new_finding(code, severity, message, file, sheet, cell, row, letter,
                                header, text, suggestion, (cell,))
                    for message, cell, row, text in zip(messages, cells, rows, texts)]
        out = []
        for message, row, text in zip(messages, rows, texts):
            cell = f"{letter}{row}" if letter and row is not None else None
            out.append(new_finding(code, severity, message, file, sheet, cell, row, letter,
                                   header, text, suggestion, (cell,) if cell else ()))
        return out

    def add_hits(self, hits: list[Hit]) -> None:
        """The findings of a plan check's hits, in order. A check may hit thousands of rows
        (titles repeated all over a consolidated file): what depends only on the sheet, the
        code and the column is looked up once; each hit still gets its own message."""
        prepared: dict[tuple, tuple | None] = {}
        for hit in hits:
            verdict, index = hit.verdict, hit.index
            sd = self.ctx.sheets.get(hit.sheet) if hit.sheet else None
            if sd is None or index is None or verdict.cell or len(verdict.columns) != 1:
                found = self.finding(sd, index, verdict)
                if found is not None:
                    self.findings.append(found)
                continue
            key = (hit.sheet, verdict.code, verdict.variant, verdict.columns[0])
            prep = prepared.get(key, False)
            if prep is False:
                prep = prepared[key] = self._prepare(sd, verdict)
            if prep is None:
                continue   # ignored by the rules
            severity, template, header, letter, rows, raw, base = prep
            row = rows[index] if rows is not None else index + HEADER_ROW + 1
            text = shown(verdict.value if verdict.value is not None else raw[index])
            params = base.copy()
            params["valeur"] = text or ""
            if verdict.params:
                params.update({k: "" if v is None else v for k, v in verdict.params.items()})
            message = _format(template, params)
            message = self._messages.setdefault(message, message)
            cell = f"{letter}{row}" if letter and row is not None else None
            self.findings.append(new_finding(
                verdict.code, severity, message, self.file, sd.sheet.name, cell, row, letter,
                header, text, verdict.suggestion, (cell,) if cell else ()))

    def _prepare(self, sd: SheetData, verdict: Verdict) -> tuple | None:
        severity, template = self._code(verdict.code, verdict.variant)
        if severity == IGNORE:
            return None
        primary = verdict.columns[0]
        header = self._header(sd, primary)
        _, letter = sd.locate(None, primary)
        origin = sd.table.origin if sd.table is not None else None
        rows = _Rows(origin.rows) if origin is not None else None
        base = {"feuille": sd.sheet.name, "entete": header or "", **self._period}
        return severity, template, header, letter, rows, sd.raw[primary], base

    def hit(self, hit: Hit) -> None:
        sd = self.ctx.sheets.get(hit.sheet) if hit.sheet else None
        self.add(sd, hit.index, hit.verdict)

    def broken(self, check: str, detail: object) -> None:
        self.add(None, None, Verdict("controle-impossible", params={
            "controle": check, "detail": str(detail)[:200]}))


@contextmanager
def _without_hypothesis() -> Iterator[None]:
    """Keep pandera from importing hypothesis (~0.1 s) when it is installed but unused.

    pandera loads its data-synthesis strategies (built on hypothesis) with its
    pandas backends, on the first validation; ctgxl never synthesises data and a
    200-action check must take under a second. Only applies when hypothesis has not
    been imported yet (test runs import it first and are left alone); afterwards
    ``import hypothesis`` works as usual, only pandera's ``schema.example()`` stays
    unavailable in this process.
    """
    blocked = "hypothesis" not in sys.modules
    if blocked:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if blocked and sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]


def verify_rules(rules: Rules) -> Rules:
    """``rules`` checked against the registry of checks: each check it names exists, in the
    scope where it is named, and every finding code has a severity and a message.

    A mistake is one French line naming the rule file (``CtgxlError``), as for any other
    typo in it. Done once per ``Rules`` object; returns ``rules``.
    """
    if getattr(rules, "_verified", False):
        return rules
    registry = load_checks()

    def known(names, scope: str) -> None:
        for name in names:
            spec = registry.get(name)
            if spec is None or spec.scope != scope:
                choices = ", ".join(sorted(n for n, c in registry.items() if c.scope == scope))
                raise rules.fail(f"contrôle de {scope} « {name} » inconnu (contrôles : {choices})")

    for per_column in rules.column_checks.values():
        for names in per_column.values():
            known(names, "colonne")
    for names in rules.row_checks.values():
        known(names, "ligne")
    known(rules.plan_checks, "plan")
    for code in all_codes():
        if code not in rules.severities:
            raise rules.fail(f"[gravites] : gravité manquante pour « {code} »")
        if code not in rules.messages:
            raise rules.fail(f"[messages] : message manquant pour « {code} »")
    object.__setattr__(rules, "_verified", True)   # frozen, but this is bookkeeping
    return rules


def check_plans(plans: Sequence[Plan], rules: Rules) -> list[list[Finding]]:
    """Every finding about each plan (reader notes included), in reading order.

    The plans are checked as one batch: each sheet's schema runs once on the rows
    of all plans (``batch.py``); each plan's findings are those it would get alone.
    """
    verify_rules(rules)
    with _without_hypothesis(), paused_gc():
        return _check_plans(plans, rules)


def _check_plans(plans: Sequence[Plan], rules: Rules) -> list[list[Finding]]:
    batch = Batch(plans, rules)
    collectors = [_Collector(ctx) for ctx in batch.contexts]
    for sheet in TABLE_SHEETS:
        for sd in batch.groups(sheet.key):
            _run_schema(batch, sd, collectors)
    results = []
    for ctx, collector in zip(batch.contexts, collectors):
        for name in rules.plan_checks:
            hits: list[Hit] = []
            try:
                for hit in REGISTRY[name].func(ctx):
                    hits.append(hit)
            except Exception as exc:  # noqa: BLE001
                collector.add_hits(hits)
                hits = []
                collector.broken(name, exc)
            collector.add_hits(hits)
        findings = _notes(ctx.plan, rules, collector.findings) + collector.findings
        results.append(sorted(findings, key=_order))
    return results


def _run_schema(batch: Batch, sd: SheetData, collectors: list[_Collector]) -> None:
    """Run a sheet's schema on the rows of the plans of ``sd``; findings go to each row's plan.

    When a check cannot run (an exception, a result without rows), the plans are
    checked again one by one, so that only the plans concerned report it.
    """
    from .schemas import build_schema

    schema, explainers = build_schema(batch, sd)
    try:
        failed, broken = _run_checks(schema, sd.frame(schema.columns))
    except Exception as exc:  # noqa: BLE001 - the sheet's frame could not be built
        failed, broken = [], [(sd.sheet.name, exc)]
    if broken and len(sd.starts) > 1:
        for position in sd.starts:
            _run_schema(batch, batch.alone(sd, position), collectors)
        return
    first = collectors[next(iter(sd.starts))]
    for check, detail in broken:
        first.broken(check, detail)
    _failures(batch, sd, failed, explainers, collectors)


def _run_checks(schema, frame) -> tuple[list[tuple[str, str, list[int], list]], list]:
    """Each check of each column of ``schema`` run by pandera on ``frame``, in the schema's
    order: ``(column, check, rows, values)`` of every check that fails, and
    ``(check, detail)`` of every check that could not run.

    This is what ``schema.validate(frame, lazy=True)`` does for this schema (columns
    nullable, not required, without type or coercion: only their checks run), without
    the report pandera builds for a person (a failure-case frame per check, concatenated,
    and a message joining every failing value), which the findings do not use and which
    cost half of a validation with many findings. Same checks, same semantics
    (``ignore_na``, boolean or per-row output), same failing rows and values."""
    failed = []
    broken = []
    for key, column in schema.columns.items():
        if key not in frame:
            continue
        series = frame[key]
        for check in column.checks:
            try:
                result = check(series)
            except Exception as exc:  # noqa: BLE001 - a broken check must not stop the others
                detail = f'"{exc.args[0]}"' if exc.args else ""
                broken.append((check.name, f"{type(exc).__name__}({detail})"))
                continue
            if bool(result.check_passed):
                continue
            cases = result.failure_cases
            if cases is None or not hasattr(cases, "index"):
                broken.append((check.name, result.check_passed))
                continue
            failed.append((key, check.name, cases.index.tolist(), _plain(cases)))
    return failed, broken


def _failures(batch: Batch, sd: SheetData, failed, explainers,
              collectors: list[_Collector]) -> None:
    """Failing checks -> one finding per (check, row), in the row's plan.

    The rows of one column check are handled together (``_column_failures``): their cells,
    values and messages are computed once per check and distinct verdict, not once per
    row. Findings keep the order of the checks, then of the rows."""
    pending: list[list[tuple[int, Finding]]] = [[] for _ in collectors]
    position = 0
    for column, check, indexes, values in failed:
        explain = explainers.columns.get((check, column))
        if explain is not None:
            positions = list(range(position, position + len(indexes)))
            _column_failures(batch, sd, column, explain, positions, indexes, values,
                             collectors, pending)
        position += len(indexes)
    for collector, found in zip(collectors, pending):
        found.sort(key=_first)
        collector.findings.extend(f for _, f in found)


class _Rows:
    """Excel row numbers by index; None past the end (as ``SheetData.locate``)."""

    __slots__ = ("_rows",)

    def __init__(self, rows) -> None:
        self._rows = rows

    def __getitem__(self, index: int) -> int | None:
        return self._rows[index] if index < len(self._rows) else None


def _verdict_key(verdict: Verdict) -> object:
    """What makes two verdicts say the same (equal verdicts share their findings' work)."""
    params = verdict.params
    key = (verdict.code, verdict.columns, verdict.variant, verdict.suggestion, verdict.value,
           verdict.cell, tuple(params.items()) if params else ())
    try:
        hash(key)
    except TypeError:
        return id(verdict)
    return key


def _first(item: tuple[int, Finding]) -> int:
    return item[0]


def _column_failures(batch: Batch, sd: SheetData, column: str, explain, positions: list[int],
                     indexes: list[int], values: list, collectors: list[_Collector],
                     pending: list[list[tuple[int, Finding]]]) -> None:
    """The findings of one column check: its verdicts (``explain.many`` when the check
    gives them at once, else one call per case), then the findings of each plan of the
    batch, built per distinct verdict (``_Collector.add_many``)."""
    many = getattr(explain, "many", None)
    verdicts = many(indexes, values) if many is not None else \
        [explain(i, v) for i, v in zip(indexes, values)]
    key_of = id if many is not None else _verdict_key   # « many » shares its verdicts
    owners = sd.owners
    by_plan: dict[int, dict[int, tuple[Verdict, list[int], list[int]]]] = {}
    for position, index, verdict in zip(positions, indexes, verdicts):
        if verdict is None:
            continue
        plan = int(owners[index])
        groups = by_plan.get(plan)
        if groups is None:
            groups = by_plan[plan] = {}
        key = key_of(verdict)
        group = groups.get(key)
        if group is None:
            group = groups[key] = (verdict, [], [])
        group[1].append(index - sd.starts[plan])
        group[2].append(position)
    for plan, groups in by_plan.items():
        plan_sd = batch.contexts[plan].sheets[sd.sheet.key]
        for verdict, rows, where in groups.values():
            found = collectors[plan].add_many(plan_sd, rows, verdict)
            pending[plan].extend(zip(where, found))


def _plain(series) -> list:
    """A column of pandera's failure cases as a list; arrow-backed text columns are
    converted by pyarrow at once (iterating them element by element is 5 times slower)."""
    array = getattr(series, "array", None)
    if hasattr(array, "_pa_array"):
        return array._pa_array.to_pylist()
    return series.tolist()


# What validation says of a missing column, better than the reader's « colonne-absente ».
COLUMN_CODES = ("colonne-obligatoire-absente", "colonne-renommee", "colonne-necessaire-absente")


def _notes(plan: Plan, rules: Rules, own: Iterable[Finding]) -> list[Finding]:
    """Reader notes, minus what validation says better, with severities the rules set.

    A code that validation also emits (``feuille-absente``) keeps the reader's
    severity, which depends on the case; other codes may be tuned in ``[gravites]``.
    """
    covered = {(f.sheet, f.header) for f in own if f.code in COLUMN_CODES}
    renamed = {(f.sheet, f.value) for f in own if f.code == "colonne-renommee"}
    own_codes = set(all_codes())
    notes = []
    for note in plan.notes:
        if note.code == "colonne-absente" and (note.sheet, note.header) in covered:
            continue
        if note.code == "colonne-ajoutee" and (note.sheet, note.value) in renamed:
            continue   # validation says better what this added column is
        severity = note.severity
        if note.code not in own_codes:
            severity = rules.severities.get(note.code, severity)
        if severity == IGNORE:
            continue
        notes.append(dataclasses.replace(note, severity=severity,
                                         file=note.file or plan.source))
    return notes


def _order(finding: Finding) -> tuple:
    return (_SHEET_ORDER.get(finding.sheet or "", -1), finding.row or 0,
            _column_rank(finding.sheet, finding.header), finding.code)


@functools.lru_cache(maxsize=1024)
def _column_rank(sheet_name: str | None, header: str | None) -> int:
    sheet_def = next((s for s in TABLE_SHEETS if s.name == sheet_name), None)
    if sheet_def is None or not header:
        return 0
    return next((i for i, c in enumerate(sheet_def.columns) if c.header == header), 99)


def file_report(plan: Plan, findings: Iterable[Finding]) -> FileReport:
    rows = {SHEETS_BY_KEY[t.sheet.key].name: len(t) for t in plan.tables}
    return FileReport(plan.source, tuple(findings), rows)


def validate_plan(plan: Plan, rules: Rules | None = None) -> Report:
    """Check ``plan`` against ``rules`` (the shipped rules when None)."""
    return validate_plans([plan], rules)[0]


def validate_plans(plans: Iterable[Plan], rules: Rules | None = None) -> list[Report]:
    """``[validate_plan(p, rules) for p in plans]``, checked in batches (much faster for
    many small plans); a batch holds at most ``BATCH_ROWS`` rows (or one bigger plan)."""
    rules = rules or load_rules()
    reports = []
    for batch in _batches(plans):
        for plan, findings in zip(batch, check_plans(batch, rules)):
            reports.append(Report((file_report(plan, findings),), rules.to_dict()))
    return reports


def _batches(plans: Iterable[Plan]) -> Iterator[list[Plan]]:
    batch: list[Plan] = []
    rows = 0
    for plan in plans:
        size = sum(len(t) for t in plan.tables)
        if batch and rows + size > BATCH_ROWS:
            yield batch
            batch, rows = [], 0
        batch.append(plan)
        rows += size
    if batch:
        yield batch


def validate_file(path: str | Path, rules: Rules | None = None) -> Report:
    """Read a workbook (.xlsx, .xlsm, .ods) and check it (UnusableInputError if unreadable)."""
    from ..reader import read_plan

    rules = rules or load_rules()
    with paused_gc():
        plan = read_plan(Path(path))
    if plan.source is None:
        plan = plan.replace(source=str(path))
    return validate_plan(plan, rules)


def checker(rules: Rules | None = None):
    """The check ``loading.load_workbooks`` runs on each batch of plans: one FileReport
    per plan, as ``validate_plans`` gives."""
    rules = verify_rules(rules or load_rules())

    def check(plans: list[Plan]) -> list[FileReport]:
        return [report.files[0] for report in validate_plans(plans, rules)]

    return check


def validate_files(paths: Iterable[str | Path], rules: Rules | None = None, *,
                   advance=lambda: None) -> Report:
    """Check several workbooks; an unusable one is recorded in the report, not raised.

    The workbooks are read as ``ctgxl consolidate`` reads them (``loading.load_workbooks``:
    worker processes when there are many) and checked in batches as they come;
    ``advance()`` is called after each file read (a progress bar).
    """
    from ..loading import load_workbooks
    from ..runtime import import_meanwhile

    rules = verify_rules(rules or load_rules())
    # The checks' engine is imported while the first file is read; what the reading imports
    # is imported first, so that the two threads do not import the same modules at once.
    from .. import reader, renamed, sheetscan  # noqa: F401
    import python_calamine  # noqa: F401

    import_meanwhile("pandera.pandas")
    with paused_gc():
        loaded = load_workbooks([Path(p) for p in paths], check=checker(rules), advance=advance)
    files = tuple(item.report if item.error is None else FileReport(str(item.path),
                                                                  error=item.error)
                  for item in loaded)
    from .checks_territory import with_territory_clashes

    return Report(with_territory_clashes(files, loaded, rules), rules.to_dict())
