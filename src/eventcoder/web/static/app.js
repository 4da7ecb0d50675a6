/* eventcoder dashboard: shared filters over a map, a timeline, an actor network, an evidence table and a
   box to code an article live. Every panel reads one /v1 endpoint with the current filters (its "JSON" link). */
(function () {
  "use strict";

  const PAGE = 25;
  const QUAD_COLORS = { 0: "#b0bec5", 1: "#7cb65a", 2: "#2e7d32", 3: "#f09a3e", 4: "#c62828" };
  const QUAD_NAMES = { 0: "statements and appeals", 1: "verbal cooperation", 2: "material cooperation",
                       3: "verbal conflict", 4: "material conflict" };
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                   "#bcbd22", "#17becf", "#393b79", "#ad494a"];
  const FILTER_NAMES = ["since", "until", "actor", "country", "type", "quad", "text"];

  const $ = (sel) => document.querySelector(sel);
  const form = $("#filters");
  const state = { offset: 0, total: 0, refreshes: 0, writeAccess: "open", countries: {} };

  // ------------------------------------------------------------------------------------------ helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  function filters() {
    const out = {};
    for (const name of FILTER_NAMES) {
      const v = (form.elements[name].value || "").trim();
      if (v) out[name] = name === "actor" || name === "country" || name === "type" ? v.toUpperCase() : v;
    }
    return out;
  }

  function query(extra) {
    const p = new URLSearchParams(filters());
    for (const [k, v] of Object.entries(extra || {})) if (v !== undefined && v !== null) p.set(k, v);
    const s = p.toString();
    return s ? "?" + s : "";
  }

  async function getJSON(url) {
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(body.detail || body.error || r.status + " " + r.statusText);
    return body;
  }

  function showError(err) {
    const box = $("#error");
    if (!err) { box.hidden = true; box.textContent = ""; return; }
    box.hidden = false;
    box.textContent = String(err.message || err);
  }

  /** The evidence sentence as DOM, with the trigger and the actors marked (offsets from the server). */
  function highlighted(text, spans) {
    const frag = document.createDocumentFragment();
    text = text || "";
    let pos = 0;
    for (const h of (spans || []).slice().sort((a, b) => a.start - b.start)) {
      if (h.start < pos || h.end > text.length) continue;
      frag.append(text.slice(pos, h.start));
      frag.append(el("mark", { class: "hl hl-" + h.kind, title: h.kind + (h.code ? ": " + h.code : ""),
                               text: text.slice(h.start, h.end) }));
      pos = h.end;
    }
    frag.append(text.slice(pos));
    return frag;
  }

  function articleLink(url, label) {
    if (url && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: label || url });
    }
    return el("span", { class: "small", text: label || "" });
  }

  function goldsteinColor(g) {
    // -10 red, 0 grey, +10 blue
    if (g === null || g === undefined || isNaN(g)) return "#9e9e9e";
    const t = Math.max(-1, Math.min(1, g / 10));
    const mix = (a, b, f) => Math.round(a + (b - a) * f);
    const [from, to, f] = t < 0 ? [[158, 158, 158], [198, 40, 40], -t] : [[158, 158, 158], [21, 101, 192], t];
    return `rgb(${mix(from[0], to[0], f)},${mix(from[1], to[1], f)},${mix(from[2], to[2], f)})`;
  }

  function actorLabel(code, name) {
    return code ? (name ? `${code} (${name})` : code) : "—";
  }

  // ------------------------------------------------------------------------------------------ map

  const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 10, zoomSnap: 0.5 }).setView([25, 10], 1.5);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Outlines: Natural Earth (world-atlas)");
  const markers = L.layerGroup().addTo(map);
  let countryLayer = null;

  function countryStyle(feature) {
    const selected = feature.properties.iso3 && feature.properties.iso3 === filters().country;
    return { color: "#8a97a6", weight: 0.6, fillColor: selected ? "#ffe9a8" : "#f7f5ef", fillOpacity: 1 };
  }

  async function loadOutlines() {
    const geo = await getJSON("/static/vendor/world-atlas/countries-110m.geojson");
    const list = $("#country-list");
    for (const f of geo.features) {
      if (!f.properties.iso3) continue;
      state.countries[f.properties.iso3] = f.properties.name;
      list.append(el("option", { value: f.properties.iso3, text: f.properties.name }));
    }
    countryLayer = L.geoJSON(geo, {
      style: countryStyle,
      onEachFeature: (feature, layer) => {
        layer.bindTooltip(feature.properties.name + (feature.properties.iso3 ? ` (${feature.properties.iso3})` : ""),
                          { sticky: true });
        layer.on("click", () => {
          if (!feature.properties.iso3) return;
          form.elements.country.value = form.elements.country.value === feature.properties.iso3 ? "" : feature.properties.iso3;
          refresh();
        });
      },
    }).addTo(map);
    countryLayer.bringToBack();
  }

  async function loadPlaces() {
    const data = await getJSON("/v1/places" + query());
    markers.clearLayers();
    if (countryLayer) countryLayer.setStyle(countryStyle);
    const max = Math.max(1, ...data.places.map((p) => p.count));
    const bounds = [];
    for (const p of data.places) {
      const radius = 5 + 13 * Math.sqrt(p.count / max);
      const marker = L.circleMarker([p.lat, p.lon], {
        radius, color: "#263238", weight: 1, fillColor: goldsteinColor(p.goldstein), fillOpacity: 0.85,
        className: "event-marker",
      });
      const quads = Object.entries(p.by_quad).filter(([, n]) => n > 0)
        .map(([q, n]) => `${n} ${QUAD_NAMES[q]}`).join(", ");
      const country = state.countries[p.country] || p.country;
      const where = [...new Set([p.name, p.admin1, country].filter(Boolean))].join(", ");
      marker.bindPopup(el("div", {}, el("strong", { text: where }), el("br"),
        `${p.count} event${p.count === 1 ? "" : "s"}: ${quads}`, el("br"),
        `mean Goldstein ${p.goldstein === null ? "—" : p.goldstein}`));
      marker.bindTooltip(`${p.name}: ${p.count}`);
      markers.addLayer(marker);
      bounds.push([p.lat, p.lon]);
    }
    if (bounds.length) map.fitBounds(bounds, { padding: [40, 40], maxZoom: 5 });
    $("#map").dataset.markers = String(data.places.length);
  }

  // ------------------------------------------------------------------------------------------ timeline

  let chart = null;

  async function loadTimeline() {
    const by = $("#tl-by").value;
    const data = await getJSON("/v1/timeline" + query({ by, interval: $("#tl-interval").value }));
    const datasets = data.series.map((s, i) => ({
      label: by === "quad" ? `${s.key} · ${s.label.toLowerCase()}` : s.label,
      data: s.counts,
      backgroundColor: by === "quad" ? QUAD_COLORS[s.key] : PALETTE[i % PALETTE.length],
      stack: "all",
      maxBarThickness: 48,
    }));
    const note = `${data.total} dated event${data.total === 1 ? "" : "s"} per ${data.interval}` +
      (data.undated ? `, ${data.undated} undated not shown` : "");
    $("#tl-note").textContent = note;
    if (chart) chart.destroy();
    chart = new Chart($("#timeline"), {
      type: "bar",
      data: { labels: data.periods, datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { legend: { position: "right", labels: { boxWidth: 12 } },
                   tooltip: { mode: "index", intersect: false } },
        scales: { x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } },
                  y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        onClick: (evt, elements) => {
          if (!elements.length) return;
          const start = data.periods[elements[0].index];
          const end = new Date(start + "T00:00:00Z");
          end.setUTCDate(end.getUTCDate() + (data.interval === "week" ? 6 : 0));
          form.elements.since.value = start;
          form.elements.until.value = end.toISOString().slice(0, 10);
          refresh();
        },
      },
    });
    $("#timeline").dataset.periods = String(data.periods.length);
  }

  // ------------------------------------------------------------------------------------------ network

  let cy = null;

  async function loadNetwork() {
    const data = await getJSON("/v1/network" + query());
    const maxEdge = Math.max(1, ...data.edges.map((e) => e.count));
    const maxNode = Math.max(1, ...data.nodes.map((n) => n.count));
    const elements = [
      ...data.nodes.map((n) => ({ data: { id: n.id, label: n.id, name: n.name || "",
                                          size: 18 + 26 * Math.sqrt(n.count / maxNode) } })),
      ...data.edges.map((e, i) => ({ data: { id: "e" + i, source: e.source, target: e.target, count: e.count,
                                             goldstein: e.goldstein, width: 1.5 + 8 * (e.count / maxEdge),
                                             color: goldsteinColor(e.goldstein) } })),
    ];
    if (cy) cy.destroy();
    cy = cytoscape({
      container: $("#network"),
      elements,
      maxZoom: 1.6,
      style: [
        { selector: "node", style: { label: "data(label)", width: "data(size)", height: "data(size)",
                                     "background-color": "#1f4e79", color: "#1d2733", "font-size": 10,
                                     "text-valign": "bottom", "text-margin-y": 3, "text-outline-color": "#fff",
                                     "text-outline-width": 2 } },
        { selector: "edge", style: { width: "data(width)", "line-color": "data(color)",
                                     "target-arrow-color": "data(color)", "target-arrow-shape": "triangle",
                                     "curve-style": "bezier", "arrow-scale": 0.9, opacity: 0.85 } },
        { selector: "node:selected", style: { "background-color": "#f09a3e" } },
      ],
      layout: { name: data.nodes.length > 2 ? "cose" : "circle", animate: false, padding: 20,
                nodeRepulsion: () => 9000, idealEdgeLength: () => 90, randomize: false },
    });
    cy.on("tap", "node", (evt) => {
      const code = evt.target.id();
      form.elements.actor.value = form.elements.actor.value === code ? "" : code;
      refresh();
    });
    cy.on("mouseover", "edge", (evt) => {
      const d = evt.target.data();
      $("#network").title = `${d.source} → ${d.target}: ${d.count} event(s), mean Goldstein ${d.goldstein}`;
    });
    $("#network").dataset.nodes = String(data.nodes.length);
    $("#network").dataset.edges = String(data.edges.length);
  }

  // ------------------------------------------------------------------------------------------ table

  function eventCell(row) {
    const quad = row.quad_class;
    return el("td", {},
      el("span", { class: `quad quad-${quad}`, title: QUAD_NAMES[quad] || "", text: String(quad ?? "?") }),
      el("span", { class: "code", text: row.cameo }), " ", el("strong", { text: row.plover || "" }),
      el("div", { class: "small", text: `Goldstein ${row.goldstein}` + (row.trigger ? ` · “${row.trigger}”` : "") }));
  }

  function actorsCell(row) {
    return el("td", {},
      el("span", { class: "code", title: row.source_name || "", text: row.source_code || "—" }), " → ",
      el("span", { class: "code", title: row.target_name || "", text: row.target_code || "—" }),
      el("div", { class: "small", text: [row.source_name, row.target_name].filter(Boolean).join(" → ") }));
  }

  function placeText(row) {
    const country = state.countries[row.location_country] || row.location_country;
    return [row.location_name, country === row.location_name ? null : country].filter(Boolean).join(", ");
  }

  function tableRow(row) {
    const tr = el("tr", { class: "event-row", "data-event-id": row.event_id },
      el("td", { class: "date", text: row.date || "—" }),
      eventCell(row),
      actorsCell(row),
      el("td", { class: "evidence" }, highlighted(row.evidence_text, row.highlights),
         row.num_mentions > 1 ? el("div", { class: "small", text: `${row.num_mentions} reports in ${row.num_articles} article(s)` }) : null),
      el("td", { text: placeText(row) }),
      el("td", {}, articleLink(row.url, row.title || row.outlet || row.doc_id)));
    tr.addEventListener("click", (evt) => {
      if (evt.target.closest("a")) return;
      toggleDetail(tr, row.event_id);
    });
    return tr;
  }

  async function toggleDetail(tr, eventId) {
    const next = tr.nextElementSibling;
    if (next && next.classList.contains("detail")) { next.remove(); return; }
    const cell = el("td", { colspan: "6", text: "loading…" });
    tr.after(el("tr", { class: "detail" }, cell));
    try {
      const event = await getJSON("/v1/events/" + encodeURIComponent(eventId));
      cell.textContent = "";
      const list = el("ul", { class: "mentions" });
      for (const m of event.mentions) {
        const rec = m.record || {};
        list.append(el("li", {},
          highlighted(rec.evidence ? rec.evidence.text : m.evidence_text, m.highlights), " ",
          el("span", { class: "small" }, `— ${m.doc_date || ""} `,
             articleLink(m.url, m.title || m.outlet || m.doc_id),
             rec.rule ? ` · rule ${rec.rule}` : "", ` · confidence ${m.confidence}`)));
      }
      cell.append(el("div", { class: "small" }, `event ${event.event_id}: ${event.mentions.length} mention(s) · `,
                     el("a", { href: "/v1/events/" + encodeURIComponent(eventId), target: "_blank", text: "JSON" })),
                  list);
    } catch (err) {
      cell.textContent = String(err.message || err);
    }
  }

  async function loadTable() {
    const data = await getJSON("/v1/events" + query({ limit: PAGE, offset: state.offset }));
    state.total = data.total;
    const body = $("#events tbody");
    body.replaceChildren(...(data.events.length ? data.events.map(tableRow)
      : [el("tr", {}, el("td", { class: "empty", colspan: "6", text: "No events match these filters." }))]));
    const first = data.total ? state.offset + 1 : 0;
    $("#table-count").textContent = `${first}–${state.offset + data.events.length} of ${data.total} events`;
    $("#prev").disabled = state.offset <= 0;
    $("#next").disabled = state.offset + PAGE >= data.total;
    $("#events").dataset.total = String(data.total);
  }

  // ------------------------------------------------------------------------------------------ code box

  function eventCard(ev) {
    const src = (ev.source || []).map((a) => actorLabel(a.code, a.name)).join(", ") || "—";
    const tgt = (ev.target || []).map((a) => actorLabel(a.code, a.name)).join(", ") || "—";
    const flags = Object.entries(ev.modality || {}).filter(([, v]) => v).map(([k]) => k);
    const where = ev.location ? [...new Set([ev.location.name, state.countries[ev.location.country] ||
                                             ev.location.country].filter(Boolean))].join(", ") : "";
    return el("div", { class: `card quad-border-${ev.quad_class}` },
      el("div", { class: "head" },
        el("span", { class: `quad quad-${ev.quad_class}`, text: String(ev.quad_class) }),
        el("span", { class: "code", text: ev.cameo }), " ", el("strong", { text: ev.plover || "" }),
        ` · ${src} → ${tgt}`,
        el("span", { class: "small", text: ` · ${ev.date || "undated"}${where ? " · " + where : ""}` +
                                              (flags.length ? " · " + flags.join(", ") : "") })),
      el("div", {}, highlighted(ev.evidence ? ev.evidence.text : "", ev.highlights)));
  }

  async function codeArticle(evt) {
    evt.preventDefault();
    const f = evt.target.elements;
    const status = $("#code-status");
    const body = { text: f.text.value, store: f.store.checked };
    for (const k of ["date", "title", "url"]) if (f[k].value.trim()) body[k] = f[k].value.trim();
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (f.token.value) headers.Authorization = "Bearer " + f.token.value;
    status.textContent = "coding…";
    const button = evt.target.querySelector("button[type=submit]");
    button.disabled = true;
    const results = $("#code-results");
    try {
      const r = await fetch("/v1/code", { method: "POST", headers, body: JSON.stringify(body) });
      const data = await r.json().catch(() => ({}));
      if (!r.ok) throw new Error(data.detail || data.error || r.status + " " + r.statusText);
      status.textContent = `${data.events.length} event${data.events.length === 1 ? "" : "s"}` +
        (data.stored ? " · stored as " + data.doc_id : body.store ? " · already in the store" : "");
      results.replaceChildren(...(data.events.length ? data.events.map(eventCard)
        : [el("p", { class: "small", text: "No events found in this text." })]));
      results.dataset.events = String(data.events.length);
      if (data.stored) { loadMeta(); refresh(); }
    } catch (err) {
      status.textContent = "";
      results.replaceChildren(el("p", { class: "error", text: String(err.message || err) }));
    } finally {
      button.disabled = false;
    }
  }

  // ------------------------------------------------------------------------------------------ wiring

  function updateLinks() {
    for (const a of document.querySelectorAll("a.twin[data-endpoint]")) {
      a.href = a.dataset.endpoint + query();
    }
    $("#export-csv").href = "/v1/events" + query({ format: "csv" });
    $("#export-parquet").href = "/v1/events" + query({ format: "parquet" });
    $("#export-json").href = "/v1/events" + query({ format: "json", limit: 1000, download: "true" });
    const qs = new URLSearchParams(filters()).toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }

  let pending = null;
  async function refresh(keepPage) {
    if (!keepPage) state.offset = 0;
    updateLinks();
    document.body.dataset.loading = "1";
    const run = Promise.allSettled([loadPlaces(), loadTimeline(), loadNetwork(), loadTable()]);
    pending = run;
    const results = await run;
    if (pending !== run) return;  // a newer refresh started meanwhile
    const failed = results.find((r) => r.status === "rejected");
    showError(failed ? failed.reason : null);
    state.refreshes += 1;
    document.body.dataset.refreshes = String(state.refreshes);
    document.body.dataset.loading = "0";
  }

  async function loadMeta() {
    const [stats, actors, info] = await Promise.all([getJSON("/v1/stats"), getJSON("/v1/actors?limit=300"),
                                                    getJSON("/v1/info")]);
    $("#totals").textContent = `${stats.documents} documents · ${stats.events} events · ${stats.mentions} mentions` +
      (stats.first_date ? ` · ${stats.first_date} to ${stats.last_date}` : "");
    const select = form.elements.type;
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "", text: "any" }),
      ...Object.keys(stats.by_type).filter((t) => t !== "(none)").sort()
        .map((t) => el("option", { value: t, text: `${t} (${stats.by_type[t]})` })));
    select.value = chosen;
    $("#actor-list").replaceChildren(...actors.actors.map((a) => el("option", { value: a.code, text: a.name || a.code })));
    state.writeAccess = info.write_access;
    $("#token-label").hidden = info.write_access !== "token";
  }

  function fromLocation() {
    const params = new URLSearchParams(location.search);
    for (const name of FILTER_NAMES) if (params.has(name)) form.elements[name].value = params.get(name);
  }

  let typing = null;
  form.addEventListener("input", (evt) => {
    if (evt.target.type !== "search" && evt.target.tagName !== "INPUT") return;
    if (evt.target.type === "date") return;  // dates refresh on change
    clearTimeout(typing);
    typing = setTimeout(() => refresh(), 450);
  });
  form.addEventListener("change", (evt) => {
    if (evt.target.tagName === "SELECT" || evt.target.type === "date") refresh();
  });
  form.addEventListener("submit", (evt) => { evt.preventDefault(); refresh(); });
  form.addEventListener("reset", () => setTimeout(() => refresh(), 0));
  $("#tl-by").addEventListener("change", () => loadTimeline().catch(showError));
  $("#tl-interval").addEventListener("change", () => loadTimeline().catch(showError));
  $("#prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadTable().catch(showError); });
  $("#next").addEventListener("click", () => { state.offset += PAGE; loadTable().catch(showError); });
  $("#code-form").addEventListener("submit", codeArticle);

  async function start() {
    fromLocation();
    try {
      await Promise.all([loadOutlines(), loadMeta()]);
    } catch (err) {
      showError(err);
    }
    form.elements.type.value = new URLSearchParams(location.search).get("type") || form.elements.type.value;
    await refresh();
  }

  start();
})();
