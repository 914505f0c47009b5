// The query page of kg serve (kg/web/page.py): the catalogue as examples, a query run with its
// parameters at /run, results with the labels of their IRIs beside them (asked of /query).
"use strict";

const RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label";
const SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel";
const BASE = "https://w3id.org/geokg/";
let prefixes = {};
let chosen = null; // the catalogue entry in the editor, if any

const $ = (id) => document.getElementById(id);

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

function shortName(iri) {
  for (const [prefix, namespace] of Object.entries(prefixes)) {
    const local = iri.slice(namespace.length);
    if (iri.startsWith(namespace) && /^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(local)) {
      return `${prefix}:${local}`;
    }
  }
  return `<${iri}>`;
}

// A link to the IRI's own page on this server when it is the project's.
function href(iri) {
  return iri.startsWith(BASE) ? "/" + iri.slice(BASE.length) : iri;
}

async function loadCatalogue() {
  const response = await fetch("/catalogue.json");
  if (!response.ok) throw new Error(await response.text());
  const catalogue = await response.json();
  prefixes = catalogue.prefixes;
  $("prefix-list").textContent = Object.keys(prefixes).map((p) => p + ":").join(" ");
  const list = $("example-list");
  for (const entry of catalogue.queries) {
    const button = element("button", { type: "button", "data-name": entry.name },
      element("strong", {}, entry.title), element("small", {}, entry.name));
    button.title = entry.description;
    button.addEventListener("click", () => choose(entry, button));
    list.append(element("li", { "data-keywords": [entry.name, entry.title,
      ...entry.keywords].join(" ").toLowerCase() }, button));
  }
  $("filter").addEventListener("input", () => {
    const words = $("filter").value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const item of list.children) {
      item.hidden = !words.every((w) => item.dataset.keywords.includes(w));
    }
  });
}

function choose(entry, button) {
  chosen = entry;
  for (const other of document.querySelectorAll("#example-list button")) {
    other.classList.toggle("chosen", other === button);
  }
  $("editor").value = entry.text;
  $("about").replaceChildren(element("h2", {}, entry.title), element("p", {}, entry.description));
  const form = $("params");
  form.replaceChildren();
  for (const param of entry.params) {
    const input = element("input", { name: param.name, "data-type": param.type });
    input.value = param.default ?? "";
    input.placeholder = param.example ?? (param.required ? "required" : "optional");
    const how = param.required ? "required" : param.default !== null ? `default ${param.default}`
      : "optional";
    form.append(element("label", {}, `${param.name} (${param.type}, ${how})`, input,
      element("small", {}, param.doc)));
  }
  $("results").replaceChildren();
  $("status").textContent = "";
}

async function run() {
  const body = new URLSearchParams({ query: $("editor").value });
  for (const input of $("params").querySelectorAll("input")) {
    if (input.value.trim() !== "") body.append("param", `${input.name}=${input.value.trim()}`);
  }
  const status = $("status");
  status.className = "";
  status.textContent = "running…";
  $("results").replaceChildren();
  const started = performance.now();
  const response = await fetch("/run", { method: "POST", body });
  const text = await response.text();
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!response.ok) {
    status.className = "error";
    status.textContent = `HTTP ${response.status}: ${text}`;
    return;
  }
  const kind = response.headers.get("Content-Type") || "";
  if (!kind.includes("json")) { // a graph (CONSTRUCT, DESCRIBE): shown as N-Triples
    status.textContent = `answered in ${seconds} s`;
    $("results").replaceChildren(element("pre", {}, text));
    return;
  }
  const answer = JSON.parse(text);
  if ("boolean" in answer) {
    status.textContent = `${answer.boolean} (answered in ${seconds} s)`;
    return;
  }
  const rows = answer.results.bindings;
  status.textContent = `${rows.length} row${rows.length === 1 ? "" : "s"} in ${seconds} s`;
  await showTable(answer.head.vars, rows);
}

async function labelsOf(iris) {
  const labels = new Map();
  if (iris.length === 0) return labels;
  const values = iris.slice(0, 2000).map((iri) => `<${iri}>`).join(" ");
  const query = `SELECT ?iri ?label WHERE { VALUES ?iri { ${values} }
    ?iri <${RDFS_LABEL}>|<${SKOS_PREF}> ?label FILTER (LANGMATCHES(LANG(?label), "en")) }`;
  const response = await fetch("/query", {
    method: "POST", body: new URLSearchParams({ query }),
    headers: { Accept: "application/sparql-results+json" },
  });
  if (!response.ok) return labels; // the table stands without its labels
  for (const row of (await response.json()).results.bindings) {
    if (!labels.has(row.iri.value)) labels.set(row.iri.value, row.label.value);
  }
  return labels;
}

function cell(term, labels) {
  const td = element("td");
  if (!term) return td;
  if (term.type === "uri") {
    const label = labels.get(term.value);
    const link = element("a", { href: href(term.value) }, label ?? shortName(term.value));
    td.append(label ? element("span", { class: "label" }, link) : link);
    if (label) td.append(element("code", {}, shortName(term.value)));
  } else if (term.type === "literal" || term.type === "typed-literal") {
    td.append(term.value);
    if (term["xml:lang"]) td.append(" ", element("span", { class: "lang" }, `@${term["xml:lang"]}`));
  } else {
    td.append(element("code", {}, `_:${term.value}`));
  }
  return td;
}

async function showTable(variables, rows) {
  const iris = [...new Set(rows.flatMap((row) => Object.values(row))
    .filter((term) => term.type === "uri").map((term) => term.value))];
  const labels = await labelsOf(iris);
  const table = element("table", { id: "result-table" },
    element("thead", {}, element("tr", {}, ...variables.map((v) => element("th", {}, v)))));
  const body = element("tbody");
  for (const row of rows) {
    body.append(element("tr", {}, ...variables.map((v) => cell(row[v], labels))));
  }
  table.append(body);
  $("results").replaceChildren(table);
}

function showError(error) {
  $("status").className = "error";
  $("status").textContent = String(error.message || error);
}

$("run").addEventListener("click", () => run().catch(showError));
$("editor").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    run().catch(showError);
  }
});
loadCatalogue().catch(showError);
