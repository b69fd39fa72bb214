// parecon-sim explorer: controls from the server's schema, runs streamed over a WebSocket,
// curves and the workplaces drawn as SVG. No build step, no libraries.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#9c755f", "#edc948"];
const STATE_COLOURS = ["#d0d0d0", "#edc948", "#4e79a7", "#f28e2b", "#59a14f"];
const ORIGINS = ["original", "transferred to the state", "recovered by its members", "founded by the movement"];
const KINDS = ["private", "state", "cooperative", "peer-to-peer"];

// What each chart shows: columns summed into one curve when several are given (mean only, no band).
const CHARTS = [
  { id: "chart-adoption", title: "Adoption in the workforce (%)", scale: "percent", series: [
    ["workforce_bjc", "BJC"], ["workforce_pay", "equitable pay"], ["workforce_both", "both"]] },
  { id: "chart-workplaces", title: "Adoption among workplaces (%)", scale: "percent", series: [
    ["workplaces_bjc", "BJC"], ["workplaces_pay", "equitable pay"], ["workplaces_both", "both"], ["workers_councils", "workers' council"]] },
  { id: "chart-support", title: "Support by class (%)", scale: "percent", series: [
    ["support_worker_bjc", "workers: BJC"], ["support_worker_pay", "workers: pay"],
    ["support_coordinator_bjc", "coordinators: BJC"], ["support_coordinator_pay", "coordinators: pay"]] },
  { id: "chart-movement", title: "Movement pressure, momentum, state support", scale: "value", series: [
    ["pressure", "pressure P (wide, pale)", { width: 6, opacity: 0.4 }], ["momentum", "momentum M (on P when the base B is 1)"],
    ["state_support", "state support L"]] },
  { id: "chart-ledger", title: "Coercion ledger, cumulative per 1,000 persons (its parts, never merged)", scale: "per1000", series: [
    ["adopted_over_persons_u0", "adopted over while leaning against (u < 0)"], ["overruled_distinct", "ever overruled by a vote"],
    ["stood_aside", "stood aside (consensus)"], [["exits_worker", "exits_coordinator", "exits_volunteer"], "left an adopting workplace"],
    ["owners_expropriated", "owners expropriated"]] },
  { id: "chart-statusquo", title: "Status quo: persons with no say, this month, per 1,000 persons", scale: "per1000", series: [
    ["unheard_persons", "no say over an institution they support"]] },
  { id: "chart-jobs", title: "Status quo: jobs lost to failures, cumulative per 1,000 persons", scale: "per1000", series: [
    [["jobs_lost_conventional", "jobs_lost_adopted", "jobs_lost_recovered", "jobs_lost_new"], "jobs lost since month 0"]] },
  { id: "chart-firms", title: "Communal councils (%)", scale: "percent", series: [
    ["council_coverage", "neighbourhoods with a communal council"]] },
  { id: "chart-incomes", title: "Incomes: inequality and the poorest tenth (0–1)", scale: "value", series: [
    ["income_gini", "Gini of incomes"], ["lowest_decile_share", "poorest tenth's share of income"],
    ["workforce_pay", "workforce under equitable pay (share)"]] },
  { id: "chart-planning", title: "Participatory planning and recovered firms (%)", scale: "percent", series: [
    ["workforce_federated", "workforce in federated workplaces"], ["planned_share", "exchange negotiated in the federation"],
    ["workforce_recovered", "workforce in recovered workplaces"]] },
  // Series the reader picks from the declared columns, drawn as series.csv holds them (no
  // rescaling: a share stays 0–1, a count stays a count), so pick columns of one kind.
  { id: "chart-custom", title: "Your chart: columns of series.csv as they are", scale: "value", series: [], custom: true },
];

// What each chart answers, for the "About this model" panel.
const CHART_HELP = {
  "chart-custom": "any series you add with the picker above it, in the units of series.csv (the column's meaning is its tooltip); the address keeps your choice",
  "chart-adoption": "the share of the workforce whose workplace has adopted balanced job complexes (BJC), equitable pay, or both",
  "chart-workplaces": "the same among workplaces, and the share with a workers' council (where votes can happen)",
  "chart-support": "the share of workers and of coordinators whose utility for each institution is positive",
  "chart-movement": "the pressure P = B·M the movement exerts, its momentum M, and the state's support L",
  "chart-ledger": "the coercion of change, each part apart: persons adopted over while leaning against, overruled, standing aside, leaving, owners expropriated (cumulative)",
  "chart-statusquo": "the coercion of the status quo: persons who want an institution their workplace lacks with no vote that could grant it",
  "chart-jobs": "the status quo's other side: jobs lost when workplaces fail, on every path",
  "chart-firms": "neighbourhoods that have formed a communal council",
  "chart-incomes": "income inequality (Gini, 0–1), the poorest tenth's share, and the workforce under equitable pay",
  "chart-planning": "the participatory-planning federation's reach, and the workforce in recovered workplaces",
};

// One month of the model, in order (docs/MODEL.md, section 3).
const MONTH = ["communal councils form", "movement pressure and momentum", "opinions: each person's utility u",
  "solidarity", "workers' councils form", "votes on BJC and pay; then pay drift",
  "consequences: exits, the ledger, training", "planning, failures, recoveries, crisis", "new firms, volunteers",
  "incomes and the ledgers"];  // the ten steps of docs/MODEL.md, section 3

const STORE = "parecon-sim:kept";

const app = {
  schema: null, byPath: {}, controls: {}, presetValues: {}, pending: null, uploaded: null,
  run: null, kept: [], ws: null, snapshot: null, layout: null, drawQueued: false, mapQueued: false,
};

function setState(s) { document.body.dataset.state = s; }
function showError(message) { const e = $("error"); e.textContent = message; e.hidden = false; }
function clearError() {
  $("error").hidden = true;
  for (const c of Object.values(app.controls)) c.element.classList.remove("invalid");
}
function status(text) { $("status").textContent = text; }

// ---------- controls ----------

function labelText(path) { const parts = path.split("."); return parts.length > 1 ? parts.slice(1).join(".") : path; }

function makeControl(spec, lever) {
  const div = document.createElement("div");
  div.className = "control";
  div.dataset.path = spec.path;
  const id = "p-" + spec.path.replace(/[^a-z0-9_]/gi, "-");
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = lever && lever.label ? lever.label : labelText(spec.path);
  label.title = `${spec.path}: ${spec.meaning}\n${spec.summary}${spec.unit ? "; unit: " + spec.unit : ""}\ndefault ${spec.default}`;
  const name = document.createElement("span");
  name.className = "name";
  name.appendChild(label);
  const mark = document.createElement("button");
  mark.type = "button"; mark.className = "help"; mark.textContent = "?";
  mark.setAttribute("aria-label", `what ${spec.path} means`); mark.setAttribute("aria-expanded", "false");
  name.appendChild(mark);
  div.appendChild(name);
  const help = document.createElement("div");
  help.className = "help-text"; help.hidden = true;
  const key = document.createElement("code"); key.textContent = spec.path;
  help.append(key, ` — ${spec.meaning}. `, `${spec.summary}${spec.unit ? "; unit: " + spec.unit : ""}; default ${spec.default}.`);
  mark.addEventListener("click", () => { help.hidden = !help.hidden; mark.setAttribute("aria-expanded", String(!help.hidden)); });
  let get, set;
  if (spec.type === "boolean") {
    const box = document.createElement("input");
    box.type = "checkbox"; box.id = id;
    div.appendChild(box);
    get = () => (box.checked ? "true" : "false");
    set = (v) => { box.checked = v === "true"; };
    box.addEventListener("change", () => markChanged(spec.path));
  } else if (spec.type === "choice") {
    const select = document.createElement("select");
    select.id = id;
    for (const c of spec.choices) select.add(new Option(c, c));
    div.appendChild(select);
    get = () => select.value;
    set = (v) => { select.value = v; };
    select.addEventListener("change", () => markChanged(spec.path));
  } else if ((spec.type === "number" || spec.type === "integer") && lever && lever.slider) {
    const field = document.createElement("input");
    field.type = "number"; field.id = id; field.step = "any";
    const slider = document.createElement("input");
    slider.type = "range"; slider.min = lever.slider[0]; slider.max = lever.slider[1]; slider.step = lever.step || "any";
    slider.setAttribute("aria-label", spec.path);
    div.appendChild(field); div.appendChild(slider);
    get = () => field.value.trim();
    set = (v) => { field.value = v; slider.value = v; };
    slider.addEventListener("input", () => { field.value = slider.value; markChanged(spec.path); });
    field.addEventListener("input", () => { slider.value = field.value; markChanged(spec.path); });
  } else {
    const field = document.createElement("input");
    field.type = "text"; field.id = id; field.spellcheck = false;
    if (lever && lever.suggestions.length) {
      const list = document.createElement("datalist");
      list.id = id + "-list";
      for (const s of lever.suggestions) list.appendChild(new Option(s, s));
      div.appendChild(list);
      field.setAttribute("list", list.id);
    }
    div.appendChild(field);
    get = () => field.value.trim();
    set = (v) => { field.value = v; };
    field.addEventListener("input", () => markChanged(spec.path));
  }
  div.appendChild(help);
  app.controls[spec.path] = { element: div, get, set };
  return div;
}

function markChanged(path) {
  const c = app.controls[path];
  c.element.classList.toggle("changed", c.get() !== app.presetValues[path]);
}

function buildControls() {
  const leverPaths = new Set(app.schema.levers.map((l) => l.path));
  const bySection = {};
  for (const lever of app.schema.levers) {
    const spec = app.byPath[lever.path];
    if (!spec) continue;
    (bySection[spec.section] ||= []).push(makeControl(spec, lever));
  }
  const levers = $("levers");
  for (const section of app.schema.sections) {
    if (!bySection[section]) continue;
    const fs = document.createElement("fieldset");
    const lg = document.createElement("legend");
    lg.textContent = section.replace("_", " ");
    fs.appendChild(lg);
    for (const c of bySection[section]) fs.appendChild(c);
    levers.appendChild(fs);
  }
  const all = $("all-parameters");
  for (const section of app.schema.sections) {
    const specs = app.schema.parameters.filter((p) => p.section === section && !leverPaths.has(p.path));
    if (!specs.length) continue;
    const d = document.createElement("details");
    const s = document.createElement("summary");
    s.textContent = section.replace("_", " ");
    d.appendChild(s);
    for (const spec of specs) d.appendChild(makeControl(spec, null));
    all.appendChild(d);
  }
}

function applyValues(values) {
  app.presetValues = values;
  for (const [path, c] of Object.entries(app.controls)) {
    if (values[path] !== undefined) c.set(values[path]);
    c.element.classList.remove("changed", "invalid");
  }
}

function changedValues() {
  const set = {};
  for (const [path, c] of Object.entries(app.controls)) if (c.get() !== app.presetValues[path]) set[path] = c.get();
  return set;
}

function presetName() { return app.uploaded ? null : ($("preset").value || null); }

// The scenario the controls start from: a preset, or an uploaded file's text.
function source() { return app.uploaded ? { scenario: app.uploaded.text } : { preset: presetName() }; }

// Reads a scenario file the user picks; the server checks it as the command line would.
async function uploadScenario(file) {
  clearError();
  if (file.size > app.schema.limits.body - 1024) { showError(`${file.name}: larger than this server's limit of ${app.schema.limits.body} bytes`); return; }
  const text = await file.text();
  try {
    const checked = await check({ scenario: text });
    app.uploaded = { name: file.name, text };
    const select = $("preset");
    let option = select.querySelector("option[data-upload]");
    if (!option) { option = new Option("", "__uploaded__"); option.dataset.upload = "1"; select.add(option); }
    option.text = `uploaded: ${file.name}`;
    select.value = "__uploaded__";
    applyValues(checked.values);
    writeAddress();
    status(`loaded ${file.name}: an uploaded file is not part of the address; keep the file to share the setup`);
  } catch (e) { showError(`${file.name}: ${e.message}`); }
  $("upload").value = "";
}

async function check(request) {
  const response = await fetch("/api/check", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request) });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

async function loadPreset() {
  clearError();
  try { applyValues((await check(source())).values); }
  catch (e) { showError(e.message); }
}

function markInvalid(message) {
  for (const [path, c] of Object.entries(app.controls)) if (message.includes(path)) c.element.classList.add("invalid");
}

// ---------- running ----------

function send(message) {
  if (app.ws && app.ws.readyState === WebSocket.OPEN) app.ws.send(JSON.stringify(message));
}

// The setup in the address, so that a link reproduces it.
function writeAddress() {
  const q = new URLSearchParams();
  if (presetName()) q.set("preset", presetName());
  const custom = customChart().series.map((s) => s[0]);
  if (custom.length) q.set("series", custom.join(","));
  for (const [k, v] of Object.entries(changedValues()).sort()) q.append("set", `${k}=${v}`);
  q.set("replicates", $("replicates").value);
  history.replaceState(null, "", `${location.pathname}?${q.toString()}`);
}

// Reads a setup from the address; what it cannot use is said, not dropped silently.
function readAddress() {
  const q = new URLSearchParams(location.search);
  const problems = [];
  const preset = q.get("preset");
  if (preset !== null) {
    if (app.schema.presets.some((p) => p.name === preset)) $("preset").value = preset;
    else problems.push(`the address names preset '${preset}', which this server does not offer`);
  }
  const sets = [];
  for (const item of q.getAll("set")) {
    const at = item.indexOf("=");
    const key = at > 0 ? item.slice(0, at) : item;
    if (at > 0 && app.controls[key]) sets.push([key, item.slice(at + 1)]);
    else problems.push(`the address sets '${item}', which is not KEY=VALUE of a parameter`);
  }
  for (const name of (q.get("series") || "").split(",").filter(Boolean)) {
    if (!addCustomSeries(name)) problems.push(`the address asks for series '${name}', which is not a column of series.csv`);
  }
  const r = q.get("replicates");
  if (r !== null) {
    if (/^[0-9]+$/.test(r)) $("replicates").value = r; else problems.push(`the address's replicates '${r}' is not a whole number`);
  }
  return { sets, problems };
}

async function startRun() {
  clearError();
  const request = { ...source(), set: changedValues(), replicates: Number($("replicates").value) };
  let checked;
  try { checked = await check(request); }
  catch (e) { showError(e.message); markInvalid(e.message); return; }
  writeAddress();
  app.pending = { values: checked.values, preset: app.uploaded ? app.uploaded.name : request.preset };
  send({ type: "run", ...request, speed: Number($("speed").value) });
}

function connect() {
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`);
  app.ws = ws;
  ws.addEventListener("message", (event) => receive(JSON.parse(event.data)));
  ws.addEventListener("close", () => { status("connection to the server lost: reload the page once it runs again"); setState("disconnected"); updateButtons(); });
  return new Promise((resolve) => ws.addEventListener("open", resolve, { once: true }));
}

function receive(m) {
  if (m.type === "error") { showError(m.message); markInvalid(m.message); if (!app.run || app.run.done) setState("ready"); return; }
  if (m.type === "started") {
    const idx = {};
    m.columns.forEach((c, i) => { idx[c] = i; });
    app.run = { id: m.run, name: m.name, horizon: m.horizon, persons: m.persons, replicates: m.replicates, idx,
      frames: [], values: app.pending ? app.pending.values : {}, done: false, paused: false };
    app.snapshot = null; app.layout = null;
    $("downloads").textContent = "";
    document.body.dataset.run = m.run;
    setState("running"); updateButtons(); queueDraw();
    return;
  }
  if (!app.run || m.run !== app.run.id) return;   // a message of a run replaced since
  switch (m.type) {
    case "month":
      app.run.frames.push(m);
      document.body.dataset.month = m.month;
      status(`${app.run.name}: month ${m.month} of ${app.run.horizon} (${app.run.replicates} replicates of ${app.run.persons} persons)` + oppositionAgainstAdoption(app.run, m));
      queueDraw();
      break;
    case "workplaces": app.snapshot = m; queueMap(); break;
    case "paused": app.run.paused = true; setState("paused"); updateButtons(); break;
    case "stopped": app.run.done = true; setState("stopped"); status(`${app.run.name}: stopped at month ${m.month}`); updateButtons(); break;
    case "finished": {
      app.run.done = true;
      const d = $("downloads");
      d.textContent = "";
      for (const [href, text] of [[m.yaml, "scenario (YAML)"], [m.csv, "series (CSV)"]]) {
        const a = document.createElement("a"); a.href = href; a.textContent = text; a.download = ""; d.appendChild(a);
      }
      status(`${app.run.name}: finished, ${app.run.horizon} months, ${app.run.replicates} replicates`);
      setState("finished"); updateButtons(); queueDraw();
      break;
    }
  }
}

function updateButtons() {
  const live = app.run && !app.run.done;
  const connected = app.ws && app.ws.readyState === WebSocket.OPEN;
  $("run").disabled = !connected;
  $("pause").disabled = !live;
  $("pause").textContent = live && app.run.paused ? "Resume" : "Pause";
  $("step").disabled = !live;
  $("keep").disabled = !(app.run && app.run.done && app.run.frames.length);
  $("clear").disabled = app.kept.length === 0;
  $("download-kept").disabled = app.kept.length === 0;
}

// The columns the charts draw: all a kept run needs to be drawn again.
function chartColumns() {
  return [...new Set(CHARTS.flatMap((c) => c.series.flatMap((s) => (Array.isArray(s[0]) ? s[0] : [s[0]]))))];
}

function keepRun() {
  if (!app.run) return;
  const columns = chartColumns().filter((c) => app.run.idx[c] !== undefined);
  const idx = {};
  columns.forEach((c, i) => { idx[c] = i; });
  const frames = app.run.frames.map((f) => ({ month: f.month, v: columns.map((c) => [f.v[app.run.idx[c]][0]]) }));
  app.kept.push({ frames, idx, values: app.run.values, persons: app.run.persons, horizon: app.run.horizon, name: app.run.name,
    replicates: app.run.replicates });
  saveKept(); updateButtons(); queueDraw();
}

// Kept runs outlive a reload (the browser's storage); a store too full is said, not hidden.
function saveKept() {
  try { localStorage.setItem(STORE, JSON.stringify(app.kept)); $("kept-note").textContent = ""; }
  catch (e) { $("kept-note").textContent = "kept runs are too large to remember across a reload; download them"; }
}

function loadKept() {
  try {
    const kept = JSON.parse(localStorage.getItem(STORE) || "[]");
    if (Array.isArray(kept) && kept.every((k) => k && Array.isArray(k.frames) && k.idx && k.values && k.persons > 0)) return kept;
  } catch (e) { /* a damaged store is dropped below */ }
  localStorage.removeItem(STORE);
  return [];
}

// The kept runs' curves as one tidy CSV: run, name, month, column, mean over replicates.
function downloadKept() {
  const rows = ["kept,name,month,column,mean"];
  app.kept.forEach((k, i) => {
    for (const f of k.frames) for (const [c, j] of Object.entries(k.idx)) rows.push(`${i + 1},${k.name},${f.month},${c},${f.v[j][0] ?? ""}`);
  });
  save(new Blob([rows.join("\n") + "\n"], { type: "text/csv" }), "kept-runs.csv");
}

function save(blob, name) {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob); a.download = name;
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// What the controls hold now, as the values a run would have.
function controlValues() {
  const v = {};
  for (const [path, c] of Object.entries(app.controls)) v[path] = c.get();
  return v;
}

// How a kept run differs from the current run (or, before one, from the controls), for its
// legend: its name, then the values that differ (not its name).
function difference(kept, current) {
  const now = current ? current.values : controlValues();
  const keys = Object.keys(kept.values).filter((k) => k !== "name" && now[k] !== undefined && kept.values[k] !== now[k]);
  if (!keys.length) return `${kept.name}, the same values`;
  const shown = keys.slice(0, 3).map((k) => `${k}=${kept.values[k]}`).join(", ");
  return `${kept.name}: ` + (keys.length > 3 ? `${shown}, … (${keys.length} differ)` : shown);
}

// ---------- charts ----------

function queueDraw() {
  if (app.drawQueued) return;
  app.drawQueued = true;
  requestAnimationFrame(() => { app.drawQueued = false; drawCharts(); });
}

// Opposition set against what was adopted: persons adopted over while leaning against per 1,000
// persons under BJC or equitable pay (the mean of the replicates; the workforce counted as everyone).
function oppositionAgainstAdoption(run, frame) {
  const at = (c) => (run.idx[c] === undefined ? undefined : frame.v[run.idx[c]][0]);
  const over = at("adopted_over_persons_u0"), bjc = at("workforce_bjc"), pay = at("workforce_pay"), both = at("workforce_both");
  if ([over, bjc, pay, both].some((x) => x === undefined || x === null)) return "";
  const adopted = Math.max(0, bjc + pay - both);
  const perAdopted = adopted > 0 ? Math.round(1000 * over / run.persons / adopted) : null;
  const momentum = at("momentum");
  return ` · ${(100 * adopted).toFixed(1)}% under BJC or pay; opposed adopted over: ${(1000 * over / run.persons).toFixed(1)} per 1,000 persons, `
    + (perAdopted === null ? "– per 1,000 under an adopted institution" : `${perAdopted} per 1,000 under an adopted institution`)
    + (momentum === undefined || momentum === null ? "" : `; momentum M ${momentum.toFixed(2)}`);
}

function seriesOf(run, spec, scale) {
  const cols = Array.isArray(spec[0]) ? spec[0] : [spec[0]];
  const idx = cols.map((c) => run.idx[c]).filter((i) => i !== undefined);
  if (!idx.length) return null;
  const factor = scale === "percent" ? 100 : scale === "per1000" ? 1000 / run.persons : 1;
  const banded = idx.length === 1 && run.replicates !== 1;
  return run.frames.map((f) => {
    const mean = idx.reduce((s, i) => s + (f.v[i][0] ?? 0), 0) * factor;
    return banded ? [f.month, mean, (f.v[idx[0]][1] ?? 0) * factor, (f.v[idx[0]][2] ?? 0) * factor] : [f.month, mean];
  });
}

function niceMax(x) {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

// A tick's text with as many decimals as the ticks' spacing needs (a quarter of 5 is 1.25, not
// "1.3"), trailing zeros dropped.
function tickText(v, step) {
  let decimals = 0;
  while (decimals < 9) {
    const scaled = step * Math.pow(10, decimals);
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-6 * Math.max(scaled, 1)) break;
    decimals++;
  }
  const text = String(Number(v.toFixed(decimals)));
  return text === "-0" ? "0" : text;
}

function el(name, attrs, parent) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function drawCharts() { for (const chart of CHARTS) drawChart(chart); }

function customChart() { return CHARTS.find((c) => c.custom); }

// Adds a declared column to the reader's chart (at most six); false when there is no such column.
function addCustomSeries(name) {
  const column = app.schema.columns.find((c) => c.name === name);
  if (!column) return false;
  const chart = customChart();
  if (!chart.series.some((s) => s[0] === name) && chart.series.length < 6) chart.series.push([name, name]);
  $("custom-clear").disabled = chart.series.length === 0;
  return true;
}

function buildCustomPicker() {
  const select = $("custom-add");
  select.add(new Option("choose a column…", ""));
  for (const c of app.schema.columns) {
    const o = new Option(c.name, c.name);
    o.title = c.meaning;
    select.add(o);
  }
  select.addEventListener("change", () => {
    if (select.value) { addCustomSeries(select.value); writeAddress(); queueDraw(); }
    select.value = "";
  });
  $("custom-clear").addEventListener("click", () => {
    customChart().series = []; $("custom-clear").disabled = true; writeAddress(); queueDraw();
  });
}

function drawChart(chart) {
  const fig = $(chart.id);
  const W = 480, H = 250, L = 48, R = 10, T = 10, B = 32;
  const runs = [...app.kept.map((k) => ({ run: k, kept: true })), ...(app.run ? [{ run: app.run, kept: false }] : [])];
  const planned = Number(app.controls.horizon ? app.controls.horizon.get() : 0) || 240;
  const horizon = runs.length ? Math.max(12, ...runs.map((r) => r.run.horizon)) : Math.max(12, planned);
  const lines = [];
  runs.forEach(({ run, kept }, k) => chart.series.forEach((spec, j) => {
    const points = seriesOf(run, spec, chart.scale);
    if (points) lines.push({ points, colour: COLOURS[j % COLOURS.length], kept, keptIndex: k, label: spec[1], style: spec[2] });
  }));
  let top = chart.scale === "percent" ? 100 : niceMax(Math.max(0, ...lines.flatMap((l) => l.points.map((p) => p[3] ?? p[1]))) * 1.05);
  if (chart.scale === "percent") top = 100;
  const x = (m) => L + (m / horizon) * (W - L - R);
  const y = (v) => T + (1 - Math.min(Math.max(v / top, 0), 1.02)) * (H - T - B);
  fig.textContent = "";
  const cap = document.createElement("figcaption");
  cap.textContent = chart.title;
  for (const format of ["SVG", "PNG"]) {
    const exportLink = document.createElement("button");
    exportLink.type = "button"; exportLink.className = "export"; exportLink.textContent = format;
    exportLink.title = `Download this chart, with its title and legend, as a${format === "SVG" ? "n" : ""} ${format} file`;
    exportLink.addEventListener("click", () => exportChart(chart, format.toLowerCase()));
    cap.appendChild(exportLink);
  }
  fig.appendChild(cap);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": chart.title }, fig);
  for (let i = 0; i <= 4; i++) {
    const v = (top * i) / 4, yy = y(v);
    el("line", { x1: L, x2: W - R, y1: yy, y2: yy, stroke: "#e5e5e5" }, svg);
    el("text", { x: L - 4, y: yy + 4, "text-anchor": "end", "font-size": 11, fill: "#555" }, svg).textContent =
      tickText(v, top / 4);
  }
  const years = horizon / 12, stepY = years <= 10 ? 1 : years <= 25 ? 5 : 10;
  for (let yr = 0; yr <= years + 1e-9; yr += stepY) {
    el("text", { x: x(yr * 12), y: H - B + 14, "text-anchor": "middle", "font-size": 11, fill: "#555" }, svg).textContent = yr;
  }
  el("text", { x: (L + W - R) / 2, y: H - 4, "text-anchor": "middle", "font-size": 11, fill: "#555" }, svg).textContent = "years";
  el("rect", { x: L, y: T, width: W - L - R, height: H - T - B, fill: "none", stroke: "#999" }, svg);
  for (const line of lines) {
    if (!line.kept && line.points.length && line.points[0].length === 4) {
      const upper = line.points.map((p) => `${x(p[0]).toFixed(1)},${y(p[3]).toFixed(1)}`);
      const lower = line.points.map((p) => `${x(p[0]).toFixed(1)},${y(p[2]).toFixed(1)}`).reverse();
      el("polygon", { points: upper.concat(lower).join(" "), fill: line.colour, "fill-opacity": 0.18, stroke: "none", class: "band" }, svg);
    }
  }
  for (const line of lines) {
    if (!line.points.length) continue;
    const d = line.points.map((p, i) => `${i ? "L" : "M"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join("");
    const attrs = { d, fill: "none", stroke: line.colour, "stroke-width": line.kept ? 1.3 : 2, class: line.kept ? "kept" : "current",
      "data-series": line.label };
    // Dashes mean "kept" and nothing else; a series of its own style is wide and pale.
    if (line.kept) { attrs["stroke-dasharray"] = ["6 4", "10 3 2 3", "14 4"][line.keptIndex % 3]; attrs["stroke-opacity"] = 0.85; }
    else if (line.style) { attrs["stroke-width"] = line.style.width; attrs["stroke-opacity"] = line.style.opacity; }
    el("path", attrs, svg);
  }
  if (chart.custom && !chart.series.length) {
    el("text", { x: (L + W - R) / 2, y: (T + H - B) / 2, "text-anchor": "middle", "font-size": 13, fill: "#777", class: "empty" }, svg)
      .textContent = "Add a series with the picker above this chart";
  } else if (!runs.length) {
    el("text", { x: (L + W - R) / 2, y: (T + H - B) / 2, "text-anchor": "middle", "font-size": 13, fill: "#777", class: "empty" }, svg)
      .textContent = "Press Run: the curves grow here month by month";
  }
  // Values at the month under the pointer, for every curve of the current run.
  const readout = document.createElement("div");
  readout.className = "readout"; readout.hidden = true;
  svg.addEventListener("mousemove", (event) => {
    const box = svg.getBoundingClientRect();
    const month = Math.round(((event.clientX - box.left) / box.width * W - L) / (W - L - R) * horizon);
    const current = lines.filter((l) => !l.kept && l.points.length);
    if (!current.length || month < 0) { readout.hidden = true; return; }
    const rows = current.map((l) => {
      const p = l.points.reduce((best, q) => (Math.abs(q[0] - month) < Math.abs(best[0] - month) ? q : best), l.points[0]);
      return [l.label, p];
    });
    readout.textContent = "";
    const head = document.createElement("b");
    head.textContent = `month ${rows[0][1][0]} (year ${(rows[0][1][0] / 12).toFixed(1)})`;
    readout.appendChild(head);
    for (const [label, p] of rows) {
      const row = document.createElement("div");
      row.textContent = `${label}: ${formatValue(p[1])}` + (p.length === 4 ? ` [${formatValue(p[2])}–${formatValue(p[3])}]` : "");
      readout.appendChild(row);
    }
    readout.style.left = `${Math.min(event.clientX - box.left + 12, box.width - 200)}px`;
    readout.style.top = `${event.clientY - box.top + 30}px`;
    readout.hidden = false;
  });
  svg.addEventListener("mouseleave", () => { readout.hidden = true; });
  fig.appendChild(readout);
  const legend = document.createElement("div");
  legend.className = "legend";
  chart.series.forEach((spec, j) => {
    const s = document.createElement("span");
    s.style.setProperty("--c", COLOURS[j % COLOURS.length]);
    if (spec[2]) s.className = "wide";
    s.textContent = spec[1];
    legend.appendChild(s);
  });
  app.kept.forEach((k, i) => {
    const s = document.createElement("span");
    s.className = "dashed"; s.style.setProperty("--c", "#555");
    s.textContent = `kept ${i + 1} (${["dashed", "dash-dot", "long dashes"][i % 3]}): ${difference(k, app.run)}`;
    legend.appendChild(s);
  });
  if (app.run && app.run.replicates > 1) {
    const s = document.createElement("span");
    s.style.setProperty("--c", "rgba(78,121,167,.25)");
    s.textContent = "shaded: 5–95% of replicates";
    legend.appendChild(s);
  }
  fig.appendChild(legend);
}

function formatValue(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
}

// A chart as a standalone SVG file (or a PNG drawn from it at twice the size): its title
// above, its legend below, as on the page.
function exportChart(chart, format = "svg") {
  const fig = $(chart.id), svg = fig.querySelector("svg");
  const legend = [...fig.querySelectorAll(".legend span")].map((s) => [s.textContent, s.style.getPropertyValue("--c") || "#555"]);
  const W = 480, H = 250, top = 24, lineH = 16;
  const out = document.createElementNS(SVG, "svg");
  out.setAttribute("xmlns", SVG);
  out.setAttribute("width", W); out.setAttribute("height", top + H + 8 + lineH * legend.length);
  out.setAttribute("font-family", "sans-serif");
  el("rect", { x: 0, y: 0, width: "100%", height: "100%", fill: "white" }, out);
  el("text", { x: 4, y: 16, "font-size": 13, "font-weight": "bold" }, out).textContent = chart.title;
  const body = el("g", { transform: `translate(0 ${top})` }, out);
  for (const child of svg.childNodes) body.appendChild(child.cloneNode(true));
  legend.forEach(([text, colour], i) => {
    const y = top + H + 8 + lineH * i;
    el("rect", { x: 4, y: y + 3, width: 14, height: 6, fill: colour }, out);
    el("text", { x: 24, y: y + 10, "font-size": 11 }, out).textContent = text;
  });
  const stem = chart.id.replace("chart-", "") + (app.run ? `-${app.run.name}` : "");
  const text = new XMLSerializer().serializeToString(out);
  if (format === "svg") { save(new Blob([text], { type: "image/svg+xml" }), stem + ".svg"); return; }
  const scale = 2, image = new Image();
  image.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = out.getAttribute("width") * scale; canvas.height = out.getAttribute("height") * scale;
    const g = canvas.getContext("2d");
    g.scale(scale, scale);
    g.drawImage(image, 0, 0);
    canvas.toBlob((blob) => save(blob, stem + ".png"), "image/png");
  };
  image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
}

// The About panel: what the model is, one month as a diagram, what each chart shows.
function buildAbout() {
  const svg = $("month-diagram");
  const w = 138, h = 46, gap = 12, perRow = 5;
  MONTH.forEach((step, i) => {
    const row = Math.floor(i / perRow), col = row % 2 === 0 ? i % perRow : perRow - 1 - (i % perRow);
    const x = 4 + col * (w + gap), y = 4 + row * (h + 26);
    el("rect", { x, y, width: w, height: h, rx: 5, fill: "#eef3fa", stroke: "#4e79a7", class: "step" }, svg);
    const t = el("text", { x: x + w / 2, y: y + 15, "text-anchor": "middle", "font-size": 11 }, svg);
    const words = `${i + 1}. ${step}`.split(" ");
    let lineText = "", lineNo = 0;
    const flush = () => { el("tspan", { x: x + w / 2, dy: lineNo ? 13 : 0 }, t).textContent = lineText.trim(); lineNo++; lineText = ""; };
    for (const word of words) { if ((lineText + word).length > 22) flush(); lineText += word + " "; }
    flush();
    if (i + 1 < MONTH.length) {
      const nextRow = Math.floor((i + 1) / perRow);
      if (nextRow === row) {
        const ax = row % 2 === 0 ? x + w : x, bx = row % 2 === 0 ? x + w + gap : x - gap;
        el("line", { x1: ax, y1: y + h / 2, x2: bx, y2: y + h / 2, stroke: "#4e79a7", "marker-end": "url(#arrow)" }, svg);
      } else {
        el("line", { x1: x + w / 2, y1: y + h, x2: x + w / 2, y2: y + h + 26, stroke: "#4e79a7", "marker-end": "url(#arrow)" }, svg);
      }
    }
  });
  const list = $("chart-help");
  for (const chart of CHARTS) {
    const item = document.createElement("li");
    const b = document.createElement("b"); b.textContent = chart.title;
    item.append(b, `: ${CHART_HELP[chart.id] || ""}.`);
    list.appendChild(item);
  }
  // Open on a first visit, closed once the reader has seen it.
  const about = $("about");
  about.open = !localStorage.getItem("parecon-sim:about-seen");
  about.addEventListener("toggle", () => { if (!about.open) localStorage.setItem("parecon-sim:about-seen", "1"); });
}

// ---------- the workplaces ----------

function queueMap() {
  if (app.mapQueued) return;
  app.mapQueued = true;
  requestAnimationFrame(() => { app.mapQueued = false; drawMap(); });
}

function members(c) { return c[7] + c[10] + c[13]; }
function side(c) { return Math.max(3, Math.min(28, 2 * Math.sqrt(members(c) + (c[6] >= 0 ? 1 : 0)))); }

// Neighbourhoods as blocks (cells shelf-packed inside), blocks flowed across the width.
function layout(cells) {
  const W = 720, gap = 6;
  const groups = new Map();
  for (const c of cells) { if (!groups.has(c[1])) groups.set(c[1], []); groups.get(c[1]).push(c); }
  const blocks = [...groups.keys()].sort((a, b) => a - b).map((nb) => {
    const list = groups.get(nb).slice().sort((a, b) => a[0] - b[0]);
    const area = list.reduce((s, c) => s + (side(c) + 1) ** 2, 0);
    const width = Math.min(W, Math.max(...list.map((c) => side(c) + 1), Math.ceil(Math.sqrt(area) * 1.2)));
    const at = {};
    let cx = 0, cy = 0, rowH = 0;
    for (const c of list) {
      const s = side(c);
      if (cx + s > width && cx > 0) { cx = 0; cy += rowH + 1; rowH = 0; }
      at[c[0]] = [cx, cy, s];
      cx += s + 1; rowH = Math.max(rowH, s);
    }
    return { nb, width, height: cy + rowH, at };
  });
  const positions = {}, frames = [];
  let bx = 0, by = 0, rowH = 0;
  for (const b of blocks) {
    if (bx + b.width > W && bx > 0) { bx = 0; by += rowH + gap; rowH = 0; }
    frames.push([bx - 2, by - 2, b.width + 3, b.height + 4, b.nb]);
    for (const [i, [x, y, s]] of Object.entries(b.at)) positions[i] = [bx + x, by + y, s];
    bx += b.width + gap; rowH = Math.max(rowH, b.height);
  }
  return { positions, frames, height: by + rowH + 4, key: cells.map((c) => c[0]).sort((a, b) => a - b).join(",") };
}

function drawMap() {
  const svg = $("workplace-map");
  const snap = app.snapshot;
  if (!snap) { svg.textContent = ""; return; }
  const key = snap.cells.map((c) => c[0]).sort((a, b) => a - b).join(",");
  if (!app.layout || app.layout.key !== key) {
    app.layout = layout(snap.cells);
    svg.textContent = "";
    svg.setAttribute("viewBox", `-3 -3 726 ${Math.max(40, app.layout.height + 6)}`);
    for (const [x, y, w, h, nb] of app.layout.frames) {
      el("rect", { x, y, width: w, height: h, fill: "#f1f1f1", stroke: "#e0e0e0", class: "neighbourhood", "data-neighbourhood": nb }, svg);
    }
    app.layout.rects = {};
    for (const c of snap.cells) {
      const [x, y, s] = app.layout.positions[c[0]];
      app.layout.rects[c[0]] = el("rect", { x, y, width: s, height: s, class: "workplace", "data-i": c[0] }, svg);
    }
  }
  app.cellsByIndex = {};
  for (const c of snap.cells) {
    app.cellsByIndex[c[0]] = c;
    const r = app.layout.rects[c[0]];
    r.setAttribute("fill", STATE_COLOURS[c[4]]);
    r.setAttribute("data-state", c[4]);
    const stroke = c[3] === 2 ? "#222" : c[3] === 3 ? "#7b3294" : c[5] ? "#c0392b" : "none";
    r.setAttribute("stroke", stroke);
    r.setAttribute("stroke-width", stroke === "none" ? 0 : 1.4);
    if (c[5]) r.setAttribute("stroke-dasharray", "2 1"); else r.removeAttribute("stroke-dasharray");
  }
  const counts = [0, 0, 0, 0, 0];
  for (const c of snap.cells) counts[c[4]]++;
  const legend = $("workplace-legend");
  legend.textContent = "";
  app.schema.states.forEach((label, i) => {
    const s = document.createElement("span");
    s.className = "cell"; s.style.setProperty("--c", STATE_COLOURS[i]);
    s.textContent = `${label} (${counts[i]})`;
    legend.appendChild(s);
  });
  for (const [text, colour] of [["black edge: recovered", "#222"], ["purple edge: founded by the movement", "#7b3294"], ["red dashed edge: co-managed or transferred", "#c0392b"]]) {
    const s = document.createElement("span");
    s.className = "dashed"; s.style.setProperty("--c", colour); s.textContent = text;
    legend.appendChild(s);
  }
  const m = document.createElement("span");
  m.textContent = `month ${snap.month}, ${snap.cells.length} open workplaces`;
  legend.appendChild(m);
}

function showTooltip(event) {
  const t = $("tooltip");
  const i = event.target && event.target.dataset ? event.target.dataset.i : undefined;
  const c = i !== undefined && app.cellsByIndex ? app.cellsByIndex[i] : null;
  if (!c) { t.hidden = true; return; }
  const rows = app.schema.classes.map((name, k) => {
    const [n, b, p] = c.slice(7 + 3 * k, 10 + 3 * k);
    return n ? `<tr><td>${name}s</td><td>${n}</td><td>${b}</td><td>${p}</td></tr>` : "";
  }).join("");
  const owner = c[6] < 0 ? "no owner" : `owner supports ${["neither", "BJC", "pay", "both"][c[6]]}`;
  t.innerHTML = `<b>Workplace ${c[0]}</b> (${KINDS[c[2]] || "?"}, neighbourhood ${c[1]})<br>${app.schema.states[c[4]]}; ${ORIGINS[c[3]] || ""}` +
    `${c[5] ? "; co-managed" : ""}<br>${owner}<table><tr><th></th><th>members</th><th>for BJC</th><th>for pay</th></tr>${rows}</table>`;
  const box = $("workplaces").getBoundingClientRect();
  t.style.left = `${Math.min(event.clientX - box.left + 12, box.width - 260)}px`;
  t.style.top = `${event.clientY - box.top + 12}px`;
  t.hidden = false;
}

// ---------- start ----------

async function init() {
  app.schema = await (await fetch("/api/schema")).json();
  for (const p of app.schema.parameters) app.byPath[p.path] = p;
  const select = $("preset");
  select.add(new Option("built-in defaults (baseline)", ""));
  for (const p of app.schema.presets) {
    const o = new Option(p.name + (p.within_limits ? "" : " (too large here)"), p.name);
    o.title = p.summary;
    select.add(o);
  }
  select.value = app.schema.initial_preset || "";
  $("replicates").max = app.schema.limits.replicates;
  buildControls();
  buildAbout();
  buildCustomPicker();
  const address = readAddress();
  await loadPreset();
  for (const [key, value] of address.sets) { app.controls[key].set(value); markChanged(key); }
  if (address.problems.length) showError(address.problems.join("\n"));
  app.kept = loadKept();
  $("preset").addEventListener("change", async () => {
    if ($("preset").value !== "__uploaded__") app.uploaded = null;
    await loadPreset(); writeAddress();
  });
  $("upload").addEventListener("change", () => { if ($("upload").files.length) uploadScenario($("upload").files[0]); });
  $("download-kept").addEventListener("click", downloadKept);
  $("run").addEventListener("click", startRun);
  $("pause").addEventListener("click", () => { if (!app.run) return; if (app.run.paused) { app.run.paused = false; send({ type: "resume" }); setState("running"); } else send({ type: "pause" }); updateButtons(); });
  $("step").addEventListener("click", () => send({ type: "step" }));
  $("speed").addEventListener("change", () => send({ type: "speed", speed: Number($("speed").value) }));
  $("reset").addEventListener("click", async () => {
    send({ type: "stop" });
    app.run = null; app.snapshot = null; app.layout = null;
    $("downloads").textContent = ""; status("ready");
    await loadPreset(); setState("ready"); updateButtons(); queueDraw(); drawMap();
  });
  $("keep").addEventListener("click", keepRun);
  $("clear").addEventListener("click", () => { app.kept = []; saveKept(); updateButtons(); queueDraw(); });
  $("workplace-map").addEventListener("mousemove", showTooltip);
  $("workplace-map").addEventListener("mouseleave", () => { $("tooltip").hidden = true; });
  await connect();
  status("ready: change a lever and press Run");
  setState("ready"); updateButtons(); drawCharts();
}

init().catch((e) => { showError(`the explorer could not start: ${e.message}`); setState("failed"); });
