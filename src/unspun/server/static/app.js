// unspun's page: sends the article to /api/v1/analyze and shows the Report.
// Article text and every string from a Report are inserted with textContent only (never as markup),
// so hostile text stays inert.
"use strict";

const $ = (id) => document.getElementById(id);
const API = "/api/v1";
const PALETTE = ["#fde68a", "#bfdbfe", "#fecaca", "#bbf7d0", "#e9d5ff", "#fed7aa", "#c7d2fe", "#fbcfe8", "#a5f3fc", "#d9f99d"];
let report = null;
let hiddenTechniques = new Set();

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

// what a claim's content says: a split quotation's fragments, joined as the Report's `words` join them
function said(part) {
  if (!part) return "";
  return part.fragments ? part.fragments.map((f) => f.text).join(" \u2026 ") : part.text;
}

function colour(technique) {
  let h = 0;
  for (const ch of technique) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

function headers(json) {
  const h = json ? { "Content-Type": "application/json" } : {};
  const token = $("token").value;
  if (token) h["Authorization"] = "Bearer " + token;
  return h;
}

async function request(format) {
  const file = $("file").files[0];
  const url = `${API}/analyze?format=${format}`;
  if (file) {
    const body = new FormData();
    body.append("file", file);
    return fetch(url, { method: "POST", body, headers: headers(false) });
  }
  return fetch(url, { method: "POST", body: JSON.stringify({ text: $("text").value }), headers: headers(true) });
}

async function analyse() {
  $("status").textContent = "Analysing…";
  $("go").disabled = true;
  try {
    const response = await request("json");
    if (response.status === 401) {
      $("token-row").hidden = false;
      $("status").textContent = "This server needs an API token: enter it and analyse again.";
      return;
    }
    const body = await response.json();
    if (!response.ok) {
      $("status").textContent = `${body.message || "Error"}${body.hint ? " (" + body.hint + ")" : ""} [${body.code || response.status}]`;
      return;
    }
    report = body;
    hiddenTechniques = new Set();
    const reader = report.techniques && report.techniques.reader_threshold;
    if (typeof reader === "number") {
      $("min-score").value = String(reader);
      $("min-score-value").textContent = reader.toFixed(2);
    }
    show();
    $("status").textContent = "";
  } catch (err) {
    $("status").textContent = "The server could not be reached: " + err;
  } finally {
    $("go").disabled = false;
  }
}

function spans() {
  return (report.techniques && report.techniques.spans) || [];
}

// At the readers' threshold the page shows what the Report shows (`shown`); below it, every
// candidate scored at least the slider's value, as `--min-score` does.
function visibleSpans() {
  const min = Number($("min-score").value);
  const reader = report.techniques && report.techniques.reader_threshold;
  const all = typeof reader !== "number" || min < reader;
  // names, titles, fragments and overlaps stay hidden at any score (as with --min-score)
  const byScore = (s) => !s.hidden_reason || s.hidden_reason.startsWith("below ")
    || s.hidden_reason.startsWith("a technique the model does not flag precisely enough");
  return spans().filter((s) => s.score >= min && (s.shown !== false || (all && byScore(s))) && !hiddenTechniques.has(s.technique));
}

function show() {
  $("results").hidden = false;
  showSummary();
  showArticle();
  showClaims();
  showFactchecks();
  showEntities();
}

function showSummary() {
  const list = $("summary-list");
  list.replaceChildren();
  const add = (term, value) => { list.append(el("dt", term), el("dd", value)); };
  const framing = report.framing;
  if (framing) {
    const scores = framing.genre_scores || [];
    const weak = framing.genre_macro_f1 !== null && framing.genre_macro_f1 < 0.6 ? " — a weak hint" : "";
    const shown = framing.genre === "uncertain"
      ? `uncertain (${scores.slice(0, 2).map((s) => `${s.label} ${s.score.toFixed(2)}`).join(", ")})`
      : `${framing.genre} (${scores[0] ? scores[0].score.toFixed(2) : "?"})`;
    add("Genre", `${shown}${weak}`);
    add("Frames", (framing.frames || []).map((f) => f.replace(/_/g, " ")).join(", ") || "none above threshold");
  }
  const counts = new Map();
  for (const s of visibleSpans()) counts.set(s.name, (counts.get(s.name) || 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([n, c]) => `${n} (${c})`);
  add("Top techniques", top.join(", ") || "none at this score");
  const claims = ((report.claims && report.claims.claims) || []).filter((c) => c.shown !== false);
  // as the report's list: contents of fewer than 4 words are fragments, not statements to check
  const worthy = claims
    .filter((c) => c.checkworthiness !== null && c.content && said(c.content).trim().split(/\s+/).length >= 4)
    .slice(0, 3);
  add("Most check-worthy", worthy.map((c) => `${c.speaker ? c.speaker.name + ": " : ""}${said(c.content)}`.slice(0, 160)).join(" · ") || "—");
  const statements = (report.factchecks && report.factchecks.statements) || [];
  add("Fact-check matches", statements.length ? `${statements.length} statement(s)` : "none in your store");
  for (const s of report.skipped || []) add("Not run: " + s.analysis, s.reason);
}

function showArticle() {
  const text = report.text;
  const visible = visibleSpans();
  const cuts = new Set([0, text.length]);
  for (const s of visible) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  const article = $("article");
  article.replaceChildren();
  for (let i = 0; i < points.length - 1; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const covering = visible.filter((s) => s.start <= a && b <= s.end).sort((x, y) => y.score - x.score);
    if (!covering.length) { article.append(document.createTextNode(text.slice(a, b))); continue; }
    const mark = el("mark", text.slice(a, b), { tabindex: "0", "data-techniques": covering.map((s) => s.technique).join(" ") });
    mark.style.setProperty("--c", colour(covering[0].technique));
    mark.spans = covering;
    article.append(mark);
  }
  showChips();
  $("min-score-value").textContent = Number($("min-score").value).toFixed(2);
}

function showChips() {
  const min = Number($("min-score").value);
  const counts = new Map();
  for (const s of spans()) if (s.score >= min) counts.set(s.technique, [s.name, ((counts.get(s.technique) || [])[1] || 0) + 1]);
  const chips = $("chips");
  chips.replaceChildren();
  for (const [technique, [name, count]] of [...counts.entries()].sort((a, b) => b[1][1] - a[1][1])) {
    const chip = el("button", `${name} ${count}`, { type: "button", class: "chip", "aria-pressed": String(!hiddenTechniques.has(technique)) });
    chip.style.background = colour(technique);
    chip.addEventListener("click", () => {
      if (hiddenTechniques.has(technique)) hiddenTechniques.delete(technique); else hiddenTechniques.add(technique);
      showArticle();
      showSummary();
    });
    chips.append(chip);
  }
}

function showTooltip(mark) {
  const tip = $("tooltip");
  tip.replaceChildren();
  for (const s of mark.spans) {
    const p = el("p");
    p.append(el("strong", `${s.name} (${s.score.toFixed(2)})`), document.createTextNode(" — " + (s.explanation || "")));
    tip.append(p);
  }
  const box = mark.getBoundingClientRect();
  tip.style.left = `${window.scrollX + box.left}px`;
  tip.style.top = `${window.scrollY + box.bottom + 6}px`;
  tip.hidden = false;
}

function showClaims() {
  const holder = $("claims");
  holder.replaceChildren();
  const all = (report.claims && report.claims.claims) || [];
  // as the report's table: a possible attribution whose cue reports no speech is counted, not listed
  const claims = all.filter((c) => c.shown !== false);
  const hidden = all.length - claims.length;
  const hiddenNote = () => {
    if (hidden) holder.append(el("p", `${hidden} more possible attribution${hidden === 1 ? "" : "s"} not listed: the cue reports no speech, writing or finding, or nobody is credited (the JSON keeps them).`, { class: "muted" }));
  };
  if (!claims.length) { holder.append(el("p", "No attributed statements found.", { class: "muted" })); hiddenNote(); return; }
  const groups = new Map();
  for (const c of claims) {
    const who = c.speaker ? c.speaker.name : "(no source)";
    if (!groups.has(who)) groups.set(who, []);
    groups.get(who).push(c);
  }
  const table = el("table");
  table.append(el("tr"));
  table.firstChild.append(el("th", "Who"), el("th", "Cue (stance)"), el("th", "What"), el("th", "Check-worthy"));
  for (const [who, list] of groups) {
    for (const c of list) {
      const row = el("tr");
      const stance = c.stance ? ` (${c.negated ? "not " : ""}${c.stance})` : "";
      const hedges = (c.hedges || []).length ? ` · hedges: ${c.hedges.join(", ")}` : "";
      row.append(el("td", who + inferred(c)), el("td", (c.cue ? c.cue.text : "—") + stance),
        el("td", said(c.content) + hedges), el("td", c.checkworthiness === null ? "—" : c.checkworthiness.toFixed(2)));
      table.append(row);
    }
  }
  holder.append(table);
  hiddenNote();
  const scare = (report.claims.scare_quotes || []).map((q) => `“${q.text}”`);
  if (scare.length) holder.append(el("p", "Scare quotes: " + scare.join(", ")));
}

// as the report's tables: where a pronoun or a description stands for the name a claim is listed
// under, say what the source wrote and how sure the speaker is ("as “he”, 0.79 sure")
function inferred(c) {
  const s = c.speaker, src = c.source;
  if (!s || !src) return "";
  if (!(s.resolved_from === "pronoun" || (s.resolved_from === "description" && s.entity))) return "";
  const written = src.text.split(/\s+/).join(" ");
  if (written.toLowerCase() === s.name.toLowerCase()) return "";
  const sure = typeof s.confidence === "number" ? `, ${s.confidence.toFixed(2)} sure` : "";
  return ` (as “${written.length > 40 ? written.slice(0, 39) + "…" : written}”${sure})`;
}

function showFactchecks() {
  const holder = $("factchecks");
  holder.replaceChildren();
  const statements = (report.factchecks && report.factchecks.statements) || [];
  if (!statements.length) {
    holder.append(el("p", report.factchecks ? "No known fact-check matches this article." : "No fact-check store: import one with `unspun factcheck import`.", { class: "muted" }));
    return;
  }
  for (const s of statements) {
    const block = el("div");
    block.append(el("p", `“${s.text}”`));
    const list = el("ul");
    for (const m of s.matches) {
      const item = el("li");
      // only a statement that repeats the checked claim takes its verdict
      const relation = m.relation === "repeats" ? `repeats a claim rated ${m.verdict}`
        : m.relation === "contradicts" ? `disputes a claim rated ${m.verdict}`
        : m.relation === "related" ? "related fact-check" : m.verdict;
      const sure = typeof m.relation_score === "number" ? ` (${m.relation_score.toFixed(2)})` : "";
      item.append(el("span", relation + sure, { class: "verdict-" + (m.relation && m.relation !== "repeats" ? "related" : m.verdict) }), document.createTextNode(` — ${m.claim} · ${m.publisher || "?"} · ${m.date || "undated"} `));
      if (m.url && /^https?:\/\//.test(m.url)) item.append(el("a", "source", { href: m.url, rel: "noopener noreferrer", target: "_blank" }));
      list.append(item);
    }
    block.append(list);
    holder.append(block);
  }
}

function showEntities() {
  const holder = $("entities");
  holder.replaceChildren();
  const entities = (report.entities && report.entities.entities) || [];
  const places = new Map(((report.entities && report.entities.places) || []).map((p) => [p.entity, p]));
  const table = el("table");
  table.append(el("tr"));
  table.firstChild.append(el("th", "Name"), el("th", "Type"), el("th", "Mentions"), el("th", "Place"));
  for (const e of entities.slice(0, 60)) {
    const p = places.get(e.id);
    const where = p && p.resolved ? `${p.geoname}, ${p.country} (${p.latitude.toFixed(2)}, ${p.longitude.toFixed(2)})` : "";
    const row = el("tr");
    row.append(el("td", e.name), el("td", e.type), el("td", e.mentions), el("td", where));
    table.append(row);
  }
  holder.append(table);
}

function download(name, type, content) {
  const link = el("a", "", { href: URL.createObjectURL(new Blob([content], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

document.addEventListener("DOMContentLoaded", () => {
  $("go").addEventListener("click", analyse);
  $("min-score").addEventListener("input", () => { if (report) { showArticle(); showSummary(); } });
  const article = $("article");
  for (const kind of ["mouseover", "focusin"]) {
    article.addEventListener(kind, (event) => { if (event.target.tagName === "MARK") showTooltip(event.target); });
  }
  for (const kind of ["mouseout", "focusout"]) {
    article.addEventListener(kind, (event) => { if (event.target.tagName === "MARK") $("tooltip").hidden = true; });
  }
  document.addEventListener("keydown", (event) => { if (event.key === "Escape") $("tooltip").hidden = true; });
  $("download-json").addEventListener("click", () => { if (report) download(`unspun-${report.article.id}.json`, "application/json", JSON.stringify(report, null, 2)); });
  $("download-html").addEventListener("click", async () => {
    const response = await request("html");
    if (response.ok) download("unspun-report.html", "text/html", await response.text());
  });
  const input = $("input");
  input.addEventListener("dragover", (event) => event.preventDefault());
  input.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer.files.length) { $("file").files = event.dataTransfer.files; $("status").textContent = "File ready: " + event.dataTransfer.files[0].name; }
  });
});
