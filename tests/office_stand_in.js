/* A stand-in for Microsoft's office.js, served by tests/test_addin_browser.py in place of
 * https://appsforoffice.microsoft.com/lib/1/hosted/office.js.
 *
 * It holds one workbook, given by the test in window.__ctgxlClasseur before the page loads:
 *   {name, api: "1.13", active: 0,
 *    sheets: [{name, values: [[...]], categories: {"B4": "Date"}, merged: ["B2:B4"]}]}
 * (values from A1 as Excel gives them: "" for an empty cell, dates as serial numbers whose
 * number format category is "Date").
 *
 * It behaves as Excel's JavaScript API does where the task pane relies on it: commands are
 * queued and run in order at context.sync(); a property is readable only once loaded and
 * synced (else PropertyNotLoaded); writing values needs an array of the range's size; a
 * text starting with an apostrophe is stored without it; null leaves a cell unchanged;
 * sheet names are unique. Every write is recorded in window.ctgxlStandIn.writes, and
 * window.ctgxlStandIn.state() returns the workbook as it now stands.
 */
(function () {
  "use strict";

  const given = window.__ctgxlClasseur;
  if (!given) throw new Error("stand-in office.js: window.__ctgxlClasseur is missing");
  const MAX_ROWS = 1048576, MAX_COLUMNS = 16384;
  const book = {
    name: given.name,
    api: given.api || "1.13",
    sheets: given.sheets.map((s) => newSheet(s.name, s.values, s.categories, s.merged)),
    active: given.active || 0,
  };
  const writes = [];       // every write applied, in order
  const formulas = [];     // texts Excel would have taken for formulas

  function newSheet(name, values, categories, merged) {
    const cells = new Map();
    (values || []).forEach((row, r) => row.forEach((v, c) => {
      if (v !== "" && v !== null && v !== undefined) cells.set(key(r, c), v);
    }));
    const cats = new Map();
    Object.entries(categories || {}).forEach(([ref, cat]) => {
      const [r, c] = parseCell(ref);
      cats.set(key(r, c), cat);
    });
    return { name: name, cells: cells, fills: new Map(), categories: cats,
             merged: (merged || []).slice() };
  }

  function key(r, c) { return r + "," + c; }

  function letters(c) {
    let s = "";
    for (c += 1; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + (c - 1) % 26) + s;
    return s;
  }

  function parseCell(ref) {
    const m = /^\$?([A-Z]+)\$?([0-9]+)$/.exec(ref.trim().toUpperCase());
    if (!m) throw new Error("stand-in office.js: bad cell reference " + ref);
    let c = 0;
    for (const ch of m[1]) c = c * 26 + ch.charCodeAt(0) - 64;
    return [parseInt(m[2], 10) - 1, c - 1];
  }

  function address(sheet, r, c, rows, cols) {
    const a = letters(c) + (r + 1), b = letters(c + cols - 1) + (r + rows);
    const name = /^[A-Za-z0-9_]+$/.test(sheet.name) ? sheet.name : "'" + sheet.name + "'";
    return name + "!" + (a === b ? a : a + ":" + b);
  }

  function officeError(code, message) {
    const e = new Error(message);
    e.name = "RichApi.Error";
    e.code = code;
    return e;
  }

  function versionAtLeast(have, want) {
    const h = have.split(".").map(Number), w = want.split(".").map(Number);
    for (let i = 0; i < Math.max(h.length, w.length); i++) {
      if ((h[i] || 0) !== (w[i] || 0)) return (h[i] || 0) > (w[i] || 0);
    }
    return true;
  }

  /* A value as Excel stores it when a script writes it. */
  function stored(v) {
    if (typeof v === "string") {
      if (v.startsWith("'")) return v.slice(1);
      if (v.startsWith("=")) { formulas.push(v); return v; }
      if (/^-?[0-9]+(\.[0-9]+)?$/.test(v)) return Number(v);
    }
    return v;
  }

  // -- proxies: loads and writes are queued, run at sync --------------------------------

  class Context {
    constructor() {
      this.queue = [];
      this.workbook = new Workbook(this);
    }
    enqueue(fn) { this.queue.push(fn); }
    async sync() {
      await Promise.resolve();
      const queue = this.queue;
      this.queue = [];
      for (const fn of queue) fn();
    }
  }

  class Proxy {
    constructor(context) { this._context = context; this._loaded = {}; }
    load(props) {
      const names = typeof props === "string" ? props.split(",").map((p) => p.trim()) : props;
      this._context.enqueue(() => this._fill(names));
      return this;
    }
    _get(name) {
      if (!(name in this._loaded)) {
        throw officeError("PropertyNotLoaded", "The property '" + name + "' is not available. " +
                          "Before reading the property's value, call the load method on the " +
                          "containing object and call \"context.sync()\" on the associated " +
                          "request context.");
      }
      return this._loaded[name];
    }
  }

  class Workbook extends Proxy {
    constructor(context) {
      super(context);
      this.worksheets = new Worksheets(context);
    }
    _fill(names) { for (const n of names) if (n === "name") this._loaded.name = book.name; }
    get name() { return this._get("name"); }
  }

  class Worksheets extends Proxy {
    _fill(names) {
      for (const n of names) {
        if (n === "items" || n.startsWith("items/")) {
          this._loaded.items = book.sheets.map((s) => {
            const w = new Worksheet(this._context, s);
            w._loaded.name = s.name;
            w._loaded.position = book.sheets.indexOf(s);
            return w;
          });
        }
      }
    }
    get items() { return this._get("items"); }
    getActiveWorksheet() {
      const proxy = new Worksheet(this._context, null);
      proxy._resolve = () => book.sheets[book.active];
      return proxy;
    }
    add(name) {
      const proxy = new Worksheet(this._context, null);
      this._context.enqueue(() => {
        if (book.sheets.some((s) => s.name.toLowerCase() === String(name).toLowerCase())) {
          throw officeError("ItemAlreadyExists", "A worksheet named « " + name + " » exists.");
        }
        if (!name || name.length > 31 || /[:\\\/?*\[\]]/.test(name)) {
          throw officeError("InvalidArgument", "Invalid worksheet name: " + name);
        }
        const sheet = newSheet(name, [], {}, []);
        book.sheets.push(sheet);
        proxy._sheet = sheet;
        writes.push({ op: "addSheet", sheet: name, position: book.sheets.length - 1 });
      });
      return proxy;
    }
  }

  class Worksheet extends Proxy {
    constructor(context, sheet) { super(context); this._sheet = sheet; }
    get sheet() {
      if (!this._sheet && this._resolve) this._sheet = this._resolve();
      return this._sheet;
    }
    _fill(names) {
      for (const n of names) {
        if (n === "name") this._loaded.name = this.sheet.name;
        if (n === "position") this._loaded.position = book.sheets.indexOf(this.sheet);
      }
    }
    get name() { return this._get("name"); }
    get position() { return this._get("position"); }
    set position(p) {
      this._context.enqueue(() => {
        const sheet = this.sheet;
        book.sheets.splice(book.sheets.indexOf(sheet), 1);
        book.sheets.splice(Math.min(p, book.sheets.length), 0, sheet);
        writes.push({ op: "position", sheet: sheet.name, position: p });
      });
    }
    activate() {
      this._context.enqueue(() => {
        book.active = book.sheets.indexOf(this.sheet);
        writes.push({ op: "activate", sheet: this.sheet.name });
      });
    }
    getRangeByIndexes(r, c, rows, cols) {
      if (r < 0 || c < 0 || rows < 1 || cols < 1 || r + rows > MAX_ROWS || c + cols > MAX_COLUMNS) {
        throw officeError("InvalidArgument", "getRangeByIndexes: out of the sheet");
      }
      return new Range(this._context, this, r, c, rows, cols);
    }
    getRange(ref) {
      if (ref === undefined) return new Range(this._context, this, 0, 0, MAX_ROWS, MAX_COLUMNS);
      const [a, b] = ref.split(":");
      const [r0, c0] = parseCell(a), [r1, c1] = b ? parseCell(b) : [r0, c0];
      return new Range(this._context, this, r0, c0, r1 - r0 + 1, c1 - c0 + 1);
    }
    getUsedRangeOrNullObject(valuesOnly) {
      const used = new Range(this._context, this, 0, 0, 1, 1);
      used._usedValuesOnly = valuesOnly === true;
      return used;
    }
  }

  class Range extends Proxy {
    constructor(context, worksheet, r, c, rows, cols) {
      super(context);
      this._ws = worksheet;
      this._r = r; this._c = c; this._rows = rows; this._cols = cols;
      this._usedValuesOnly = null;     // set: this is a used range, found at sync
      this.format = { fill: {} };
      const range = this;
      Object.defineProperty(this.format.fill, "color", {
        set(colour) { range._context.enqueue(() => range._setFill(colour)); },
        get() { throw officeError("PropertyNotLoaded", "format/fill/color is not loaded"); },
      });
    }
    _fill(names) {
      const sheet = this._ws.sheet;
      if (this._usedValuesOnly !== null) this._findUsed(sheet);
      for (const n of names) {
        if (n === "values") this._loaded.values = this._grid(sheet, (k) => {
          return sheet.cells.has(k) ? sheet.cells.get(k) : "";
        });
        if (n === "numberFormatCategories") this._loaded.numberFormatCategories =
          this._grid(sheet, (k) => sheet.categories.get(k) || "General");
        if (n === "rowIndex") this._loaded.rowIndex = this._r;
        if (n === "columnIndex") this._loaded.columnIndex = this._c;
        if (n === "rowCount") this._loaded.rowCount = this._rows;
        if (n === "columnCount") this._loaded.columnCount = this._cols;
        if (n === "address") this._loaded.address = address(sheet, this._r, this._c, this._rows, this._cols);
      }
    }
    _findUsed(sheet) {
      let r0 = Infinity, c0 = Infinity, r1 = -1, c1 = -1;
      const used = new Set(sheet.cells.keys());
      if (!this._usedValuesOnly) for (const k of [...sheet.fills.keys(), ...sheet.categories.keys()]) used.add(k);
      for (const k of used) {
        const [r, c] = k.split(",").map(Number);
        r0 = Math.min(r0, r); c0 = Math.min(c0, c); r1 = Math.max(r1, r); c1 = Math.max(c1, c);
      }
      this.isNullObject = r1 < 0;
      if (!this.isNullObject) {
        this._r = r0; this._c = c0; this._rows = r1 - r0 + 1; this._cols = c1 - c0 + 1;
      }
    }
    _grid(sheet, cell) {
      if (this._rows * this._cols > 5000000) throw officeError("ResponsePayloadSizeLimitExceeded", "too many cells");
      const out = [];
      for (let r = this._r; r < this._r + this._rows; r++) {
        const row = [];
        for (let c = this._c; c < this._c + this._cols; c++) row.push(cell(key(r, c)));
        out.push(row);
      }
      return out;
    }
    *_keys() {
      const sheet = this._ws.sheet;
      for (const map of [sheet.cells, sheet.fills, sheet.categories]) {
        for (const k of [...map.keys()]) {
          const [r, c] = k.split(",").map(Number);
          if (r >= this._r && r < this._r + this._rows && c >= this._c && c < this._c + this._cols) {
            yield [map, k];
          }
        }
      }
    }
    get values() { return this._get("values"); }
    set values(grid) {
      this._context.enqueue(() => {
        const sheet = this._ws.sheet;
        if (!Array.isArray(grid) || grid.length !== this._rows ||
            grid.some((row) => !Array.isArray(row) || row.length !== this._cols)) {
          throw officeError("InvalidArgument", "The number of rows or columns in the input " +
                            "array doesn't match the size or dimensions of the range.");
        }
        grid.forEach((row, i) => row.forEach((v, j) => {
          if (v === null || v === undefined) return;       // Excel: null leaves the cell as is
          const k = key(this._r + i, this._c + j), value = stored(v);
          if (value === "") sheet.cells.delete(k); else sheet.cells.set(k, value);
        }));
        writes.push({ op: "values", sheet: sheet.name,
                      address: address(sheet, this._r, this._c, this._rows, this._cols),
                      rows: this._rows, columns: this._cols });
      });
    }
    get numberFormatCategories() { return this._get("numberFormatCategories"); }
    get rowIndex() { return this._get("rowIndex"); }
    get columnIndex() { return this._get("columnIndex"); }
    get rowCount() { return this._get("rowCount"); }
    get columnCount() { return this._get("columnCount"); }
    get address() { return this._get("address"); }
    _setFill(colour) {
      const sheet = this._ws.sheet;
      if (!/^#[0-9A-Fa-f]{6}$/.test(String(colour))) {
        throw officeError("InvalidArgument", "Invalid colour: " + colour);
      }
      for (let r = this._r; r < this._r + this._rows; r++) {
        for (let c = this._c; c < this._c + this._cols; c++) sheet.fills.set(key(r, c), colour.toUpperCase());
      }
      writes.push({ op: "fill", sheet: sheet.name, colour: colour.toUpperCase(),
                    address: address(sheet, this._r, this._c, this._rows, this._cols) });
    }
    clear(applyTo) {
      this._context.enqueue(() => {
        const sheet = this._ws.sheet;
        const what = applyTo || "All";
        for (const [map, k] of this._keys()) {
          if (what === "All" || (what === "Formats" && map !== sheet.cells) ||
              (what === "Contents" && map === sheet.cells)) map.delete(k);
        }
        writes.push({ op: "clear", sheet: sheet.name, applyTo: what,
                      address: address(sheet, this._r, this._c, this._rows, this._cols) });
      });
    }
    getMergedAreasOrNullObject() {
      const areas = new MergedAreas(this._context, this);
      return areas;
    }
  }

  class MergedAreas extends Proxy {
    constructor(context, range) { super(context); this._range = range; }
    _fill(names) {
      const sheet = this._range._ws.sheet;
      const inside = sheet.merged.filter((ref) => {
        const [a, b] = ref.split(":");
        const [r0, c0] = parseCell(a), [r1, c1] = parseCell(b || a);
        const R = this._range;
        return r0 >= R._r && c0 >= R._c && r1 < R._r + R._rows && c1 < R._c + R._cols;
      });
      this.isNullObject = inside.length === 0;
      if (names.some((n) => n.startsWith("areas"))) {
        this._loaded.areas = { items: inside.map((ref) => ({
          address: (/^[A-Za-z0-9_]+$/.test(sheet.name) ? sheet.name : "'" + sheet.name + "'") +
                   "!" + ref.split(":").map((part) => part.replace(/([A-Z]+)/, "$$$1$$")).join(":"),
        })) };
      }
    }
    get areas() { return this._get("areas"); }
  }

  // -- the globals the task pane uses ----------------------------------------------------

  window.Office = {
    onReady(callback) {
      const info = { host: "Excel", platform: "OfficeOnline" };
      return Promise.resolve().then(() => { if (callback) callback(info); return info; });
    },
    context: {
      requirements: {
        isSetSupported(name, version) {
          return name === "ExcelApi" && versionAtLeast(book.api, version || "1.1");
        },
      },
    },
  };

  window.Excel = {
    ClearApplyTo: { all: "All", formats: "Formats", contents: "Contents" },
    async run(batch) {
      const context = new Context();
      const result = await batch(context);
      await context.sync();
      return result;
    },
  };

  window.ctgxlStandIn = {
    writes: writes,
    formulas: formulas,
    /* The agent types ``value`` into a cell ("" empties it). */
    type(sheetName, ref, value) {
      const sheet = book.sheets.find((s) => s.name === sheetName);
      const [r, c] = parseCell(ref);
      if (value === "" || value === null) sheet.cells.delete(key(r, c));
      else sheet.cells.set(key(r, c), value);
    },
    state() {
      return {
        name: book.name,
        active: book.sheets[book.active] ? book.sheets[book.active].name : null,
        sheets: book.sheets.map((s) => {
          let rows = 0, cols = 0;
          for (const k of s.cells.keys()) {
            const [r, c] = k.split(",").map(Number);
            rows = Math.max(rows, r + 1); cols = Math.max(cols, c + 1);
          }
          const values = [];
          for (let r = 0; r < rows; r++) {
            const row = [];
            for (let c = 0; c < cols; c++) row.push(s.cells.has(key(r, c)) ? s.cells.get(key(r, c)) : null);
            values.push(row);
          }
          const fills = {};
          for (const [k, colour] of s.fills) {
            const [r, c] = k.split(",").map(Number);
            fills[letters(c) + (r + 1)] = colour;
          }
          return { name: s.name, values: values, fills: fills };
        }),
      };
    },
  };
})();
