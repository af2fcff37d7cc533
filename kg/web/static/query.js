// The query page: a CodeMirror editor (vendored from npm, see vendor/codemirror/SOURCE.md); send its SPARQL to /sparql on this server, show the answer as a
// table whose IRIs link to their pages here, offer it as JSON or CSV. No inline script, no
// other origin; nothing is read from the page's URL.
"use strict";

(function () {
  const BASE = document.documentElement.dataset.base || "https://w3id.org/hitz/";
  const form = document.getElementById("query-form");
  const editor = document.getElementById("query");
  const results = document.getElementById("results");
  const errorBox = document.getElementById("error");
  const status = document.getElementById("status");
  const downloads = { json: document.getElementById("download-json"), csv: document.getElementById("download-csv") };
  // the vendored CodeMirror editor (SPARQL mode) over the textarea; the textarea alone without it
  const cm = window.CodeMirror ? window.CodeMirror.fromTextArea(editor, {
    mode: "application/sparql-query", lineNumbers: true, matchBrackets: true, indentUnit: 2, viewportMargin: Infinity
  }) : null;
  let marked = null;
  function text() { return cm ? cm.getValue() : editor.value; }
  function setText(value) { if (cm) cm.setValue(value); else editor.value = value; }
  function showPosition(message) {
    // "(line:1, col:17)" in the endpoint's message: underline that line in the editor
    const found = /line:\s*(\d+),\s*col:\s*(\d+)/.exec(message);
    if (!cm || !found) return;
    const line = Number(found[1]) - 1;
    marked = cm.addLineClass(line, "background", "error-line");
    cm.setCursor({ line: line, ch: Number(found[2]) - 1 });
  }

  function localHref(iri) {
    if (iri === BASE + "ontology" || iri.startsWith(BASE + "ontology#")) return "/doc/ontology" + iri.slice((BASE + "ontology").length);
    if (iri.startsWith(BASE + "id/")) return "/doc/" + iri.slice((BASE + "id/").length);
    return "/resource?iri=" + encodeURIComponent(iri);
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = localHref(term.value);  // always a path of this site, never the IRI itself
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) td.title = "@" + term["xml:lang"];
      else if (term.datatype) td.title = term.datatype;
    }
    return td;
  }

  function showTable(data) {
    results.textContent = "";
    const table = document.createElement("table");
    table.className = "results-table";
    if (data.boolean !== undefined) {
      const p = document.createElement("p");
      p.textContent = "Answer: " + (data.boolean ? "yes" : "no");
      results.appendChild(p);
      return;
    }
    const vars = data.head.vars;
    const head = table.createTHead().insertRow();
    vars.forEach(function (v) { const th = document.createElement("th"); th.textContent = v; head.appendChild(th); });
    const body = table.createTBody();
    data.results.bindings.forEach(function (row) {
      const tr = body.insertRow();
      vars.forEach(function (v) { tr.appendChild(cell(row[v])); });
    });
    results.appendChild(table);
    status.textContent = data.results.bindings.length + " rows";
  }

  function showTriples(text) {
    results.textContent = "";
    const pre = document.createElement("pre");
    pre.textContent = text;
    results.appendChild(pre);
    status.textContent = "graph (Turtle)";
  }

  async function ask(accept) {
    const body = new URLSearchParams({ query: text() });
    return fetch("/sparql", { method: "POST", body: body, headers: { "Accept": accept } });
  }

  async function run(event) {
    if (event) event.preventDefault();
    errorBox.hidden = true;
    if (marked && cm) { cm.removeLineClass(marked, "background", "error-line"); marked = null; }
    status.textContent = "running…";
    downloads.json.disabled = downloads.csv.disabled = true;
    let response;
    try {
      response = await ask("application/sparql-results+json, text/turtle;q=0.9");
    } catch (err) {
      status.textContent = "";
      errorBox.textContent = "The server did not answer: " + err;
      errorBox.hidden = false;
      return;
    }
    const body = await response.text();
    if (!response.ok) {
      status.textContent = "error " + response.status;
      errorBox.textContent = body;  // the endpoint's message names the position of a syntax error
      errorBox.hidden = false;
      showPosition(body);
      results.textContent = "";
      return;
    }
    const type = response.headers.get("content-type") || "";
    if (type.startsWith("application/sparql-results+json")) {
      showTable(JSON.parse(body));
      downloads.json.disabled = downloads.csv.disabled = false;
    } else {
      showTriples(body);
    }
  }

  async function download(kind) {
    const accept = kind === "csv" ? "text/csv" : "application/sparql-results+json";
    const response = await ask(accept);
    const blob = await response.blob();
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "results." + kind;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }

  form.addEventListener("submit", run);
  downloads.json.addEventListener("click", function () { download("json"); });
  downloads.csv.addEventListener("click", function () { download("csv"); });
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      setText(button.dataset.query);
      run();
    });
  });
})();
