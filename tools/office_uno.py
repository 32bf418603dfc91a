"""Drive LibreOffice Calc like a user, through UNO (system Python with ``python3-uno``).

One ``Calc`` is one ``soffice --headless`` process with its own profile directory and its
own pipe, started in a new session and ended by ``desk.terminate()`` then ``os.killpg``:
each fixture gets a fresh process (LibreOffice 7.4 headless does not survive a second
document loaded after a UI dispatch, and a profile holds the case's settings). The input is
copied to a temporary folder first (soffice leaves a ``.~lock.NAME#`` beside the file it
opens).

Edits go through the UI dispatcher (``DispatchHelper``: ``.uno:DeleteRows``,
``.uno:DataSort``…), and typing goes through ``.uno:EnterString``, the slot the input line
uses, so that Calc recognises dates and decimals in the profile's locale as it does for a
user. Only the standard library and ``uno`` are imported here.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from xml.sax.saxutils import escape

import uno
from com.sun.star.beans import PropertyValue

XLSX_FILTER = "Calc MS Excel 2007 XML"
ODS_FILTER = "calc8"
CONNECT_TIMEOUT = 90  # seconds: soffice's first start in a new profile is slow on 2 cores


class CalcError(RuntimeError):
    """LibreOffice failed at one step of a case."""


def _prop(name: str, value) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


def _props(**values) -> tuple:
    return tuple(_prop(k, v) for k, v in values.items())


# The formula bar (« Barre de formule », child window 26100 = FID_INPUTLINE_STATUS) needs
# modules/scalc/ui/posbox.ui, which Debian's libreoffice-calc-nogui does not ship: created in
# an idle task after the first edit, it throws and soffice aborts. A profile where the bar is
# hidden, as a user can choose (Affichage > Barre de formule), never creates it.
FORMULA_BAR = 26100


def _item(path: str, name: str, value, node: str | None = None) -> str:
    text = str(value).lower() if isinstance(value, bool) else escape(str(value))
    prop = f'<prop oor:name="{name}" oor:op="fuse"><value>{text}</value></prop>'
    if node:
        prop = f'<node oor:name="{node}" oor:op="replace">{prop}</node>'
    return f'<item oor:path="{path}">{prop}</item>'


def _write_profile(profile: str, items: list[str]) -> None:
    """A new profile holding only ``items``, as the options dialog stores them: set before
    start, they hold from the first document on (changing them at run time makes headless
    7.4 abort on a later idle task)."""
    os.makedirs(os.path.join(profile, "user"))
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w",
              encoding="utf-8") as xcu:
        xcu.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                  'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                  + "\n".join(items) + "\n</oor:items>\n")


class Calc:
    """One headless LibreOffice, a French (fr-FR) locale, one document at a time."""

    def __init__(self, locale: str = "fr-FR", merge_cells: str | None = None) -> None:
        """``merge_cells``: what « Fusionner les cellules » does with the hidden cells' contents
        when the cells are not empty, as a user's « ne plus demander » choice stores it:
        ``"garder"`` (keep them, Calc's default option) or ``"vider"`` (empty them)."""
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            raise CalcError("LibreOffice (soffice) est introuvable")
        self.folder = tempfile.mkdtemp(prefix="ctgxl-lo-")
        self.pipe = f"ctgxl_fixtures_{os.getpid()}_{time.monotonic_ns() % 10**9}"
        profile = os.path.join(self.folder, "profile")
        items = [_item("/org.openoffice.Office.Views/Windows", "Visible", False,
                       node=str(FORMULA_BAR))]
        if locale:
            items.append(_item("/org.openoffice.Setup/L10N", "ooSetupSystemLocale", locale))
        if merge_cells:
            node = "/org.openoffice.Office.Calc/Compatibility/MergeCells"
            items += [_item(node, "ShowDialog", False),
                      _item(node, "EmptyMergedCells", merge_cells == "vider")]
        _write_profile(profile, items)
        self.log = open(os.path.join(self.folder, "soffice.log"), "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
             f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
             f"--accept=pipe,name={self.pipe};urp;"],
            start_new_session=True, stdout=self.log, stderr=subprocess.STDOUT)
        self.doc = None
        try:
            self.ctx = self._connect()
            smgr = self.ctx.ServiceManager
            self.desk = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
            self.dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper",
                                                             self.ctx)
        except BaseException:
            self.close()
            raise

    # -- process ------------------------------------------------------------------------
    def _connect(self):
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            try:
                return resolver.resolve(f"uno:pipe,name={self.pipe};urp;"
                                        "StarOffice.ComponentContext")
            except Exception:  # noqa: BLE001 - NoConnectException until soffice listens
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise CalcError("LibreOffice n'a pas démarré") from None
                time.sleep(0.3)

    def close(self, show_log: bool = False) -> None:
        """End soffice: ask it to quit, then kill its whole process group (``show_log``:
        print what soffice wrote, to tell a crash from a refusal)."""
        try:
            if getattr(self, "desk", None) is not None:
                self.desk.terminate()
        except Exception:  # noqa: BLE001 - the bridge dies with the process
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.log.close()
        if show_log:
            with open(os.path.join(self.folder, "soffice.log"), errors="replace") as log:
                print(log.read()[-4000:], file=sys.stderr)
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Calc:
        return self

    def __exit__(self, kind, exc, trace) -> None:
        self.close(show_log=kind is not None)

    def version(self) -> str:
        """LibreOffice's version, « 7.4.7.2 »."""
        provider = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.ctx)
        product = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess",
            _props(nodepath="/org.openoffice.Setup/Product"))
        return product.getPropertyValue("ooSetupVersionAboutBox")

    # -- document -------------------------------------------------------------------------
    def open(self, path: str):
        """Load a copy of ``path``, hidden (no window: a headless soffice has no screen)."""
        copy = os.path.join(self.folder, os.path.basename(path))
        shutil.copyfile(path, copy)
        self.doc = self.desk.loadComponentFromURL(uno.systemPathToFileUrl(copy), "_blank", 0,
                                                  _props(Hidden=True))
        if self.doc is None:
            raise CalcError(f"LibreOffice n'a pas pu ouvrir {os.path.basename(path)}")
        self.controller = self.doc.getCurrentController()
        self.frame = self.controller.getFrame()
        return self.doc

    def sheet(self, name: str):
        """Show sheet ``name`` (click on its tab) and return it."""
        sheet = self.doc.Sheets.getByName(name)
        self.controller.setActiveSheet(sheet)
        return sheet

    def dispatch(self, command: str, **args) -> None:
        try:
            self.dispatcher.executeDispatch(self.frame, command, "", 0, _props(**args))
        except Exception as exc:  # noqa: BLE001 - DisposedException when soffice gives up
            raise CalcError(f"{command} a échoué ({type(exc).__name__})") from None

    def select(self, ref: str) -> None:
        """Select cells as the Name Box does (« A5:A7 », « H1 »)."""
        self.dispatch(".uno:GoToCell", ToPoint=ref)

    def type(self, ref: str, text: str) -> None:
        """Type ``text`` into cell ``ref`` and press Enter."""
        self.select(ref)
        self.dispatch(".uno:EnterString", StringName=text)

    def store(self, path: str) -> None:
        """Save a copy as .xlsx or .ods (« Enregistrer sous », keeping the format)."""
        name = ODS_FILTER if path.endswith(".ods") else XLSX_FILTER
        try:
            self.doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(path)),
                                _props(FilterName=name))
        except Exception as exc:  # noqa: BLE001
            raise CalcError(f"l'enregistrement de {os.path.basename(path)} a échoué "
                            f"({type(exc).__name__})") from None
