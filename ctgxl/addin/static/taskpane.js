/* ctgxl task pane: a small Office.js client of xlwings' remote-interpreter protocol.
 *
 * It sends the workbook as the xlwings clients do (client, version, book, names,
 * sheets[{name, values, pictures, tables}], values from A1, dates as ISO text) to
 * POST /xlwings/custom-scripts-call/<script> on the server that served this page,
 * then applies the returned actions (0-based positions). Only the actions ctgxl's
 * scripts emit are implemented; anything else is refused with a message.
 */
"use strict";

const CLIENT = "Office.js";
const VERSION = "ctgxl";           // Office.js clients are exempt from xlwings' version check
const TOKEN_KEY = "ctgxl-jeton";
const ANSWER_WAIT_MS = 5 * 60 * 1000;   // then the pane stops waiting and says so
// What the pane says when an answer carries no French message of its own (a proxy's page,
// uvicorn's plain-text 503 when its connection cap is reached…).
const STATUS_TEXT = {
  401: "Authentification refusée par le serveur ctgxl : vérifiez le jeton dans « Réglages ».",
  408: "Le serveur ctgxl a trouvé la requête trop lente à arriver : réessayez.",
  413: "Classeur ou fichiers joints trop volumineux pour le serveur ctgxl.",
  502: "Le serveur ctgxl ne répond pas derrière le serveur mandataire : prévenez le service informatique.",
  503: "Serveur occupé : réessayez dans quelques secondes.",
  504: "Le serveur ctgxl n'a pas répondu à temps au serveur mandataire : réessayez.",
};
const UNREACHABLE = "Le serveur ctgxl ne répond pas : vérifiez qu'il est démarré et que le réseau " +
  "y donne accès (sinon, prévenez le service informatique), puis réessayez.";

/* Office.onReady may call back before the page's body is parsed (this script is in its
 * head): the buttons are wired once both are ready. */
Office.onReady(() => {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
});

function setUp() {
  document.getElementById("verifier").onclick = () => run("verifier");
  document.getElementById("comparer").onclick = () => run("comparer");
  document.getElementById("consolider").onclick = () => run("consolider");
  document.getElementById("enregistrer").onclick = () => {
    localStorage.setItem(TOKEN_KEY, document.getElementById("jeton").value.trim());
    status("Jeton enregistré.");
  };
  document.getElementById("jeton").value = localStorage.getItem(TOKEN_KEY) || "";
}

function status(text, isError) {
  const box = document.getElementById("statut");
  box.textContent = text;
  box.className = isError ? "erreur" : "";
}

function busy(on) {
  for (const id of ["verifier", "comparer", "consolider"]) {
    document.getElementById(id).disabled = on;
  }
}

async function run(script) {
  busy(true);
  status("En cours…");
  try {
    const payload = await readBook();
    const extra = await attachments(script);
    if (extra) payload.ctgxl = Object.assign(payload.ctgxl || {}, extra);
    const headers = { "Content-Type": "application/json" };
    const token = localStorage.getItem(TOKEN_KEY);
    if (token) headers["Authorization"] = "Bearer " + token;
    const response = await post("xlwings/custom-scripts-call/" + script, headers, JSON.stringify(payload));
    if (!response) return;
    let answer = null;
    try { answer = await response.json(); } catch (e) { answer = null; }
    if (!response.ok || !answer) {
      status((answer && answer.erreur) || STATUS_TEXT[response.status] ||
             ("Le serveur ctgxl a refusé la demande (code " + response.status + ")."), true);
      return;
    }
    await applyActions(answer.actions || []);
    status((answer.ctgxl && answer.ctgxl.message) || "Terminé.");
  } catch (e) {
    status("Excel n'a pas pu lire ou modifier le classeur : " + (e && e.message ? e.message : e), true);
  } finally {
    busy(false);
  }
}

/* The server's response, or null once the pane has said why there is none (server
 * unreachable, no answer in ANSWER_WAIT_MS). */
async function post(url, headers, body) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), ANSWER_WAIT_MS);
  try {
    return await fetch(url, { method: "POST", headers: headers, body: body, signal: abort.signal });
  } catch (e) {
    status(abort.signal.aborted
      ? "Le serveur ctgxl n'a pas répondu en " + ANSWER_WAIT_MS / 60000 + " minutes : réessayez plus tard."
      : UNREACHABLE, true);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function fileAsBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(new Error("lecture du fichier « " + file.name + " » impossible"));
    reader.readAsDataURL(file);
  });
}

async function attachments(script) {
  if (script === "comparer") {
    const file = document.getElementById("reference").files[0];
    if (!file) return null;
    return { reference: { name: file.name, content: await fileAsBase64(file) } };
  }
  if (script === "consolider") {
    const files = Array.from(document.getElementById("sources").files);
    if (!files.length) return null;
    const sources = [];
    for (const f of files) sources.push({ name: f.name, content: await fileAsBase64(f) });
    return { sources: sources, forcer: document.getElementById("forcer").checked };
  }
  return null;
}

function excelDateToIso(serial) {
  return new Date(Math.round((serial - 25569) * 86400 * 1000)).toISOString();
}

async function readBook() {
  return Excel.run(async (context) => {
    const workbook = context.workbook;
    workbook.load("name");
    const sheets = workbook.worksheets;
    sheets.load("items/name");
    const active = sheets.getActiveWorksheet();
    active.load("position");
    await context.sync();
    const used = sheets.items.map((s) => {
      const r = s.getUsedRangeOrNullObject(true);
      r.load("rowIndex,columnIndex,rowCount,columnCount");
      return r;
    });
    await context.sync();
    const withCategories = Office.context.requirements.isSetSupported("ExcelApi", "1.12");
    const grids = sheets.items.map((s, i) => {
      const u = used[i];
      if (u.isNullObject) return null;
      const r = s.getRangeByIndexes(0, 0, u.rowIndex + u.rowCount, u.columnIndex + u.columnCount);
      r.load(withCategories ? "values,numberFormatCategories" : "values");
      return r;
    });
    await context.sync();
    const fusions = await mergedAreas(context, sheets.items, used);
    return {
      ctgxl: fusions ? { fusions: fusions } : undefined,
      client: CLIENT,
      version: VERSION,
      book: { name: workbook.name, active_sheet_index: active.position, selection: null },
      names: [],
      sheets: sheets.items.map((s, i) => {
        const r = grids[i];
        let values = [[]];
        if (r) {
          values = r.values;
          if (withCategories) {
            const cats = r.numberFormatCategories;
            values = values.map((row, ri) => row.map((v, ci) => {
              const c = cats[ri][ci];
              return (c === "Date" || c === "Time") && typeof v === "number" ? excelDateToIso(v) : v;
            }));
          }
        }
        return { name: s.name, values: values, pictures: [], tables: [] };
      }),
    };
  });
}

/* Each sheet's merged ranges ({"Actions": ["B2:B5", …]}): xlwings' values alone lose them,
 * and ctgxl reads merged cells by one rule (top-left value, hidden values reported), as in a
 * file. Needs ExcelApi 1.13; older Excel sends none. */
async function mergedAreas(context, items, used) {
  if (!Office.context.requirements.isSetSupported("ExcelApi", "1.13")) return null;
  const areas = items.map((s, i) => {
    if (used[i].isNullObject) return null;
    const merged = s.getRange().getMergedAreasOrNullObject();
    merged.load("areas/items/address");
    return merged;
  });
  await context.sync();
  const out = {};
  items.forEach((s, i) => {
    const m = areas[i];
    if (!m || m.isNullObject) return;
    const refs = m.areas.items.map((a) => a.address.split("!").pop().replace(/\$/g, ""));
    if (refs.length) out[s.name] = refs;
  });
  return out;
}

async function applyActions(actions) {
  if (!actions.length) return;
  await Excel.run(async (context) => {
    const sheets = context.workbook.worksheets;
    sheets.load("items/name");
    await context.sync();
    for (const a of actions) {
      const sheet = a.sheet_position === null || a.sheet_position === undefined
        ? null : sheets.items[a.sheet_position];
      const range = () => sheet.getRangeByIndexes(a.start_row, a.start_column, a.row_count, a.column_count);
      switch (a.func) {
        case "setValues":
          range().values = a.values;
          break;
        case "setRangeColor":
          range().format.fill.color = String(a.args[0]);
          break;
        case "rangeClearFormats":
          range().clear(Excel.ClearApplyTo.formats);
          break;
        case "sheetClear":
          sheet.getRange().clear(Excel.ClearApplyTo.all);
          break;
        case "addSheet": {
          const added = sheets.add(a.args[1]);
          added.position = a.args[0];
          await context.sync();
          sheets.load("items/name");
          await context.sync();
          break;
        }
        case "activateSheet":
          sheets.items[a.args[0]].activate();
          break;
        default:
          throw new Error("action « " + a.func + " » non prise en charge par ce volet");
      }
    }
    await context.sync();
  });
}
