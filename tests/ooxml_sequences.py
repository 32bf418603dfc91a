"""The order of child elements in the OOXML parts ctgxl writes, and a checker.

Word and Excel read most property elements (``w:tblPr``, ``w:pPr``, ``<worksheet>``…)
as XSD sequences: a child out of its place makes Word « repair » the document (and
possibly lose the property, such as a table's borders) and Excel report « a problem
with some content ».

``SEQUENCES`` holds the content models ctgxl's outputs use, flattened from the
ISO/IEC 29500-1 (ECMA-376 Part 1) transitional schemas ``wml.xsd`` and ``sml.xsd``, as
kept in the python-docx repository (``ref/xsd/``). One entry is a parent element and
its children's slots in schema order:

- ``name``: at most one such child here; ``a|b|c*``: a choice, repeated, in any order
  among themselves (an ``xsd:choice`` or a repeated group);
- ``*`` in a slot: any child of the parent's namespace not named elsewhere in the
  entry (the long groups of block and run content);
- children in another namespace (extensions such as ``w14:``, markup compatibility)
  are ignored, and so are parents absent from the table;
- a key ``parent/child`` is a child element whose type depends on its parent
  (``w:pPr/w:rPr``, the paragraph mark's properties, is ``CT_ParaRPr``).

``w:rPr`` is declared a choice (``EG_RPrBase``) by the transitional schema, yet checked
here as a sequence in the order the schema lists it: that is how the Open XML SDK's
validator reads it (``data/schemas`` of the dotnet/Open-XML-SDK repository) and how
Word writes it. ``w:trPr``, SpreadsheetML's ``font`` and the rich-text ``rPr`` stay a
choice, as the transitional schema says: openpyxl writes ``<name>`` first in a font,
which Excel accepts and the SDK's sequence does not (the false positive of
openxml-audit on styles.xml).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
X = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PREFIXES = {W: "w", X: "x"}

# -- WordprocessingML (wml.xsd) -----------------------------------------------------------

RANGE_MARKUP = ("bookmarkStart|bookmarkEnd|moveFromRangeStart|moveFromRangeEnd|"
                "moveToRangeStart|moveToRangeEnd|commentRangeStart|commentRangeEnd|"
                "customXmlInsRangeStart|customXmlInsRangeEnd|customXmlDelRangeStart|"
                "customXmlDelRangeEnd|customXmlMoveFromRangeStart|customXmlMoveFromRangeEnd|"
                "customXmlMoveToRangeStart|customXmlMoveToRangeEnd")
PPR_BASE = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
            "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap "
            "overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
            "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
            "textAlignment textboxTightWrap outlineLvl divId cnfStyle")
RPR_BASE = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
            "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
            "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout "
            "specVanish oMath")
TBLPR_BASE = ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
              "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook "
              "tblCaption tblDescription")
TRPR_BASE = ("cnfStyle|divId|gridBefore|gridAfter|wBefore|wAfter|cantSplit|trHeight|tblHeader|"
             "tblCellSpacing|jc|hidden*")
TCPR_BASE = ("cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
             "tcFitText vAlign hideMark headers")
SECTPR = ("headerReference|footerReference* footnotePr endnotePr type pgSz pgMar paperSrc "
          "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection "
          "bidi rtlGutter docGrid printerSettings sectPrChange")

WML = {
    "document": "background body",
    "body": f"{RANGE_MARKUP}|* sectPr",                        # EG_BlockLevelElts*, sectPr
    "p": "pPr *",
    "pPr": f"{PPR_BASE} rPr sectPr pPrChange",
    "pPr/rPr": f"ins del moveFrom moveTo {RPR_BASE} rPrChange",      # CT_ParaRPr
    "rPr": f"{RPR_BASE} rPrChange",
    "r": "rPr *",
    "tbl": f"{RANGE_MARKUP}* tblPr tblGrid {RANGE_MARKUP}|*",
    "tblPr": f"{TBLPR_BASE} tblPrChange",
    "tblGrid": "gridCol* tblGridChange",
    "tblBorders": "top start left bottom end right insideH insideV",
    "tblCellMar": "top start left bottom end right",
    "tr": f"tblPrEx trPr {RANGE_MARKUP}|*",
    "trPr": f"{TRPR_BASE} ins del trPrChange",
    "tc": "tcPr *",
    "tcPr": f"{TCPR_BASE} cellIns|cellDel|cellMerge tcPrChange",
    "tcBorders": "top start left bottom end right insideH insideV tl2br tr2bl",
    "tcMar": "top start left bottom end right",
    "pBdr": "top left bottom right between bar",
    "sectPr": SECTPR,
    "styles": "docDefaults latentStyles style*",
    "docDefaults": "rPrDefault pPrDefault",
    "rPrDefault": "rPr",
    "pPrDefault": "pPr",
    "pPrDefault/pPr": f"{PPR_BASE} pPrChange",                 # CT_PPrGeneral
    "style": ("name aliases basedOn next link autoRedefine hidden uiPriority semiHidden "
              "unhideWhenUsed qFormat locked personal personalCompose personalReply rsid "
              "pPr rPr tblPr trPr tcPr tblStylePr*"),
    "style/pPr": f"{PPR_BASE} pPrChange",
    "style/tblPr": TBLPR_BASE,
    "tblStylePr": "pPr rPr tblPr trPr tcPr",
    "tblStylePr/pPr": f"{PPR_BASE} pPrChange",
    "tblStylePr/tblPr": TBLPR_BASE,
    "latentStyles": "lsdException*",
    "numbering": "numPicBullet* abstractNum* num* numIdMacAtCleanup",
    "abstractNum": "nsid multiLevelType tmpl name styleLink numStyleLink lvl*",
    "lvl": "start numFmt lvlRestart pStyle isLgl suff lvlText lvlPicBulletId legacy lvlJc pPr rPr",
    "lvl/pPr": f"{PPR_BASE} pPrChange",
}

# -- SpreadsheetML (sml.xsd) --------------------------------------------------------------

FONT = ("b|i|strike|condense|extend|outline|shadow|u|vertAlign|sz|color|name|family|charset|"
        "scheme*")                                              # CT_Font: a choice
SML = {
    "worksheet": ("sheetPr dimension sheetViews sheetFormatPr cols* sheetData sheetCalcPr "
                  "sheetProtection protectedRanges scenarios autoFilter sortState "
                  "dataConsolidate customSheetViews mergeCells phoneticPr "
                  "conditionalFormatting* dataValidations hyperlinks printOptions pageMargins "
                  "pageSetup headerFooter rowBreaks colBreaks customProperties cellWatches "
                  "ignoredErrors smartTags drawing legacyDrawing legacyDrawingHF drawingHF "
                  "picture oleObjects controls webPublishItems tableParts extLst"),
    "sheetPr": "tabColor outlinePr pageSetUpPr",
    "sheetViews": "sheetView* extLst",
    "sheetView": "pane selection* pivotSelection* extLst",
    "cols": "col*",
    "sheetData": "row*",
    "row": "c* extLst",
    "c": "f v is extLst",
    "is": "t r* rPh* phoneticPr",                               # CT_Rst
    "si": "t r* rPh* phoneticPr",
    "r": "rPr t",                                               # CT_RElt
    "rPr": "b|i|strike|condense|extend|outline|shadow|u|vertAlign|sz|color|rFont|family|"
           "charset|scheme*",                                   # CT_RPrElt: a choice
    "mergeCells": "mergeCell*",
    "conditionalFormatting": "cfRule* extLst",
    "cfRule": "formula* colorScale dataBar iconSet extLst",
    "dataValidations": "dataValidation*",
    "dataValidation": "formula1 formula2",
    "hyperlinks": "hyperlink*",
    "headerFooter": "oddHeader oddFooter evenHeader evenFooter firstHeader firstFooter",
    "rowBreaks": "brk*", "colBreaks": "brk*",
    "autoFilter": "filterColumn* sortState extLst",
    "workbook": ("fileVersion fileSharing workbookPr workbookProtection bookViews sheets "
                 "functionGroups externalReferences definedNames calcPr oleSize "
                 "customWorkbookViews pivotCaches smartTagPr smartTagTypes webPublishing "
                 "fileRecoveryPr* webPublishObjects extLst"),
    "bookViews": "workbookView*",
    "workbookView": "extLst",
    "sheets": "sheet*",
    "definedNames": "definedName*",
    "styleSheet": ("numFmts fonts fills borders cellStyleXfs cellXfs cellStyles dxfs "
                   "tableStyles colors extLst"),
    "numFmts": "numFmt*",
    "fonts": "font*",
    "font": FONT,
    "fills": "fill*",
    "fill": "patternFill|gradientFill",
    "patternFill": "fgColor bgColor",
    "gradientFill": "stop*",
    "borders": "border*",
    "border": "start end left right top bottom diagonal vertical horizontal",
    "cellStyleXfs": "xf*",
    "cellXfs": "xf*",
    "xf": "alignment protection extLst",
    "cellStyles": "cellStyle*",
    "cellStyle": "extLst",
    "dxfs": "dxf*",
    "dxf": "font numFmt fill alignment border protection extLst",
    "tableStyles": "tableStyle*",
    "colors": "indexedColors mruColors",
    "comments": "authors commentList extLst",
    "authors": "author*",
    "commentList": "comment*",
    "comment": "text commentPr",
    "text": "t r* rPh* phoneticPr",
    "table": "autoFilter sortState tableColumns tableStyleInfo extLst",
    "tableColumns": "tableColumn*",
    "tableColumn": "calculatedColumnFormula totalsRowFormula xmlColumnPr extLst",
    "sst": "si* extLst",
}

SEQUENCES = {W: WML, X: SML}


# -- checker ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    names: frozenset[str]
    repeated: bool
    wildcard: bool


def _slots(model: str) -> tuple[list[Slot], frozenset[str]]:
    """The slots of an entry, and every name it gives."""
    slots = []
    for token in model.split():
        slots.append(Slot(names=frozenset(token.rstrip("*").split("|")) - {""},
                          repeated=token.endswith("*"),
                          wildcard=token == "*" or token.endswith("|*")))
    return slots, frozenset().union(*(s.names for s in slots))


_PARSED = {ns: {key: _slots(model) for key, model in table.items()}
           for ns, table in SEQUENCES.items()}


def _local(tag: str) -> tuple[str | None, str]:
    if tag[:1] != "{":
        return None, tag
    ns, _, local = tag[1:].partition("}")
    return ns, local


def _model(parent, grandparent):
    ns, local = _local(parent.tag)
    table = _PARSED.get(ns)
    if table is None:
        return None
    if grandparent is not None:
        gns, glocal = _local(grandparent.tag)
        if gns == ns and f"{glocal}/{local}" in table:
            return table[f"{glocal}/{local}"]
    return table.get(local)


def _name(ns: str | None, local: str) -> str:
    return f"{PREFIXES.get(ns, '?')}:{local}"


def check_children(parent, grandparent=None) -> list[str]:
    """What is out of schema order among ``parent``'s children (empty: nothing)."""
    model = _model(parent, grandparent)
    if model is None:
        return []
    slots, named = model
    ns, plocal = _local(parent.tag)
    position, previous = -1, None      # the slot of the last child, and its name
    problems = []
    for child in parent:
        if not isinstance(child.tag, str):          # comments, processing instructions
            continue
        cns, local = _local(child.tag)
        if cns != ns:
            continue
        fitting = [i for i, slot in enumerate(slots)
                   if local in slot.names or (slot.wildcard and local not in named)]
        later = [i for i in fitting
                 if i > position or (i == position and slots[i].repeated)]
        if later:
            position, previous = later[0], _name(ns, local)
            continue
        if not fitting:
            problems.append(f"{_name(ns, local)} is not a child of {_name(ns, plocal)}")
        elif fitting[-1] == position:
            problems.append(f"{_name(ns, local)} repeated")
        else:
            problems.append(f"{_name(ns, local)} after {previous}")
    return problems


def check_part(xml: bytes) -> list[str]:
    """Every kind of misplaced child in an XML part, with where it is (the path of
    its parent) and how many times: « w:body/w:tbl/w:tblPr: w:tblBorders after
    w:tblLayout (×12) »."""
    from collections import Counter

    from lxml import etree

    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
    root = etree.parse(io.BytesIO(xml), parser).getroot()
    found: Counter[str] = Counter()
    for element in root.iter():
        if isinstance(element.tag, str) and len(element):
            problems = check_children(element, element.getparent())
            if problems:
                path = "/".join(_name(*_local(e.tag))
                                for e in reversed([element, *element.iterancestors()]))
                found.update(f"{path}: {problem}" for problem in problems)
    return [f"{problem} (×{n})" if n > 1 else problem for problem, n in found.items()]


XML_PART = re.compile(r"\.(xml|rels|vml)$")


def check_package(path) -> dict[str, list[str]]:
    """Part name -> its problems, for every XML part of a .docx or .xlsx (only the parts
    with problems)."""
    found = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if XML_PART.search(name):
                problems = check_part(archive.read(name))
                if problems:
                    found[name] = problems
    return found


def parts_of(path) -> list[str]:
    """The XML parts ``check_package`` reads."""
    with zipfile.ZipFile(path) as archive:
        return [n for n in archive.namelist() if XML_PART.search(n)]
