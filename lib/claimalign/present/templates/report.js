/* claimalign report pages: review statuses kept in this browser and downloaded as reviews.yaml,
   table filters, finding permalinks (#F-...), and the side-by-side view's links. No network. */
(function () {
  "use strict";
  if (window.claimalign) return;
  var ca = window.claimalign = {tables: {}};
  var STATUSES = ["needs_review", "confirmed", "explained", "false_positive"];
  var FINDING = /^#?(F-[0-9a-f]+)$/;

  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function live(el) { return !el.closest("[id$='_fallback']"); }

  /* ---- review data: what the report was built with, and what this browser keeps ---- */
  var cache = null;
  function data() {
    if (cache) return cache;
    var merged = {key: null, corpus: "", built: {}, order: [], extra: [], labels: {}};
    all("script.ca-review-data").forEach(function (el) {
      var d;
      try { d = JSON.parse(el.textContent); } catch (e) { return; }
      merged.key = merged.key || d.key;
      merged.corpus = merged.corpus || d.corpus;
      merged.labels = d.labels || merged.labels;
      (d.findings || []).forEach(function (f) {
        if (!(f[0] in merged.built)) merged.order.push(f[0]);
        merged.built[f[0]] = [f[1], f[2] || ""];
      });
      if ((d.extra || []).length) merged.extra = d.extra;
    });
    cache = merged;
    return merged;
  }
  function readStore() {
    var d = data();
    if (!d.key) return {};
    try { return JSON.parse(window.localStorage.getItem(d.key) || "{}") || {}; } catch (e) { return {}; }
  }
  function writeStore(store) {
    var d = data();
    if (!d.key) return;
    try { window.localStorage.setItem(d.key, JSON.stringify(store)); } catch (e) { /* storage off: nothing kept */ }
  }
  /* A status set here is kept only while reviews.yaml still says what it said when it was set. */
  ca.review = function (id) {
    var built = data().built[id], local = readStore()[id];
    if (local && (!built || (local.base && local.base[0] === built[0] && local.base[1] === built[1]))) {
      return {status: local.status, note: local.note || ""};
    }
    return built ? {status: built[0], note: built[1]} : null;
  };
  ca.setReview = function (id, status, note) {
    var store = readStore(), built = data().built[id] || ["needs_review", ""];
    if (STATUSES.indexOf(status) < 0) status = "needs_review";
    if (status === built[0] && (note || "") === built[1]) delete store[id];
    else store[id] = {status: status, note: note || "", base: built, at: new Date().toISOString()};
    writeStore(store);
    refresh();
  };
  function dropStale() {
    var store = readStore(), built = data().built, changed = false;
    Object.keys(store).forEach(function (id) {
      var b = built[id], s = store[id];
      if (b && !(s.base && s.base[0] === b[0] && s.base[1] === b[1])) { delete store[id]; changed = true; }
    });
    if (changed) writeStore(store);
  }
  function label(status) { return (data().labels || {})[status] || status.replace(/_/g, " "); }
  function setStatusClass(el, status) {
    STATUSES.forEach(function (s) { el.classList.remove("ca-status-" + s); });
    el.classList.add("ca-status-" + status);
  }
  function refresh() {
    all("select.ca-review-status").forEach(function (sel) {
      var r = ca.review(sel.dataset.finding);
      if (!r) return;
      if (sel.value !== r.status) sel.value = r.status;
      setStatusClass(sel, r.status);
    });
    all("textarea.ca-review-note").forEach(function (box) {
      var r = ca.review(box.dataset.finding);
      if (r && document.activeElement !== box && box.value !== r.note) box.value = r.note;
    });
    all("span.ca-status[data-finding]").forEach(function (span) {
      var r = ca.review(span.dataset.finding);
      if (!r) return;
      span.textContent = label(r.status);
      setStatusClass(span, r.status);
    });
    var counts = {};
    STATUSES.forEach(function (s) { counts[s] = 0; });
    data().order.forEach(function (id) { var r = ca.review(id); if (r) counts[r.status] += 1; });
    all("[data-ca-count]").forEach(function (el) {
      if (data().order.length) el.textContent = String(counts[el.dataset.caCount] || 0);
    });
    Object.keys(ca.tables).forEach(function (id) {
      var t = ca.tables[id];
      if (t.bar && t.bar.querySelector("select[data-match=status]") &&
          t.bar.querySelector("select[data-match=status]").value) t.api.draw(false);
    });
  }
  ca.refresh = refresh;

  /* ---- reviews.yaml, in the format claimalign reads ---- */
  function q(text) { return JSON.stringify(String(text)); }
  function oneLine(text) { return String(text).replace(/[\r\n\u2028\u2029]+/g, " "); }
  ca.reviewsYaml = function () {
    var d = data(), lines = [], today = new Date().toISOString().slice(0, 10);
    lines.push("# Review statuses for " + oneLine(d.corpus) + ", downloaded from its claimalign report on " + today + ".");
    lines.push("# Save it as reviews.yaml beside manifest.yaml (it replaces the reviews.yaml there); the next run applies it.");
    var entries = [];
    d.order.forEach(function (id) {
      var r = ca.review(id);
      if (r && (r.status !== "needs_review" || r.note)) entries.push([id, r.status, r.note]);
    });
    var kept = (d.extra || []).filter(function (e) { return !(e[0] in d.built); });
    if (!entries.length && !kept.length) { lines.push("reviews: []"); return lines.join("\n") + "\n"; }
    lines.push("reviews:");
    function add(e) {
      lines.push("  - id: " + q(e[0]));
      lines.push("    status: " + e[1]);
      if (e[2]) lines.push("    note: " + q(e[2]));
    }
    entries.forEach(add);
    if (kept.length) {
      lines.push("  # Kept from the reviews.yaml this report was built with: no finding shown in the report has these ids.");
      kept.forEach(add);
    }
    return lines.join("\n") + "\n";
  };
  ca.download = function () {
    var blob = new Blob([ca.reviewsYaml()], {type: "text/yaml;charset=utf-8"});
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "reviews.yaml";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  };

  /* ---- tables: filter menus, row anchors, the row a permalink names ---- */
  function passes(t, row) {
    var ok = true;
    all("select[data-column]", t.bar).forEach(function (sel) {
      if (!ok || !sel.value) return;
      var cell = String(row[+sel.dataset.column] == null ? "" : row[+sel.dataset.column]);
      var match = sel.dataset.match;
      if (match === "token") ok = (" " + cell + " ").indexOf(" " + sel.value + " ") >= 0;
      else if (match === "status") { var r = ca.review(cell); ok = !!r && r.status === sel.value; }
      else ok = cell === sel.value;
    });
    return ok;
  }
  function count(t) {
    var span = t.bar && t.bar.querySelector(".ca-count");
    if (!span) return;
    var shown = t.api.rows({search: "applied"}).count(), total = t.api.rows().count();
    span.textContent = shown === total ? total + " rows" : shown + " of " + total + " rows";
  }
  /* Called on every draw of a table; the first one sets the table up once DataTables is done. */
  ca.tableDrawn = function (settings, config) {
    var api = settings.api || settings.oInstance.api();
    var id = api.table().node().id;
    if (ca.tables[id]) { count(ca.tables[id]); return; }
    ca.tables[id] = {api: api, config: config || {},
                     bar: document.querySelector(".ca-filters[data-table='" + id + "']")};
    setTimeout(function () { setUp(ca.tables[id]); }, 0);
  };
  function setUp(t) {
    var api = t.api, config = t.config;
    var labels = (config && config.labels) || [];
    api.rows().every(function () {
      var tr = this.node(), d = this.data();
      if (!tr) return;
      if (t.config.id != null && d[t.config.id]) { tr.id = String(d[t.config.id]); tr.dataset.finding = tr.id; }
      Array.prototype.forEach.call(tr.children, function (td, i) {
        var col = api.column.index("fromVisible", i);
        if (labels[col] != null) td.setAttribute("data-label", labels[col]);
      });
    });
    if (t.bar) {
      api.search.fixed("ca-filters", function (text, row) { return passes(t, row); });
      all("select[data-column]", t.bar).forEach(function (sel) {
        sel.addEventListener("change", function () { api.draw(); });
      });
      var clear = t.bar.querySelector(".ca-clear");
      if (clear) clear.addEventListener("click", function () {
        all("select[data-column]", t.bar).forEach(function (sel) { sel.value = ""; });
        api.search("").draw();
      });
    }
    count(t);
    refresh();
    goTo(location.hash);
    t.ready = true;
  }
  function showRow(t, id) {
    var index = null;
    t.api.rows().every(function (i) { var tr = this.node(); if (tr && tr.id === id) index = i; });
    if (index === null) return false;
    var row = t.api.row(index);
    var position = t.api.rows({search: "applied", order: "applied"}).indexes().indexOf(row.index());
    if (position < 0) {
      if (t.bar) all("select[data-column]", t.bar).forEach(function (sel) { sel.value = ""; });
      t.api.search("").draw();
      position = t.api.rows({search: "applied", order: "applied"}).indexes().indexOf(row.index());
    }
    var length = t.api.page.len();
    if (length > 0 && position >= 0) t.api.page(Math.floor(position / length)).draw(false);
    var tr = row.node();
    all(".ca-target").forEach(function (el) { el.classList.remove("ca-target"); });
    tr.classList.add("ca-target");
    tr.scrollIntoView({block: "center"});
    return true;
  }
  function goTo(hash) {
    var m = FINDING.exec(hash || "");
    if (!m) return false;
    var id = m[1];
    var found = Object.keys(ca.tables).some(function (k) { return showRow(ca.tables[k], id); });
    if (!found) {
      var el = document.getElementById(id);
      if (el && live(el)) {
        all(".ca-target").forEach(function (x) { x.classList.remove("ca-target"); });
        el.classList.add("ca-target");
        el.scrollIntoView({block: "center"});
        found = true;
      }
    }
    return found;
  }
  ca.goTo = goTo;

  /* ---- the side-by-side view: a menu picks the report; a link lights a finding's passages ---- */
  function sbsRoot() { return document.querySelector(".ca-sbs-root"); }
  function pick(root, report) {
    var select = root.querySelector("select.ca-sbs-pick");
    var known = all(".ca-sbs", root).some(function (p) { return p.dataset.report === report; });
    if (!known) return null;
    if (select) select.value = report;
    var shown = null;
    all(".ca-sbs", root).forEach(function (p) {
      p.hidden = p.dataset.report !== report;
      if (!p.hidden) shown = p;
    });
    return shown;
  }
  function scrollWithin(box, el) {
    var top = el.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }
  function light(panel, finding, at) {
    all("mark.ca-flash").forEach(function (m) { m.classList.remove("ca-flash"); });
    var sides = all(".ca-doc", panel), lit = 0;
    sides.forEach(function (side) {
      var marks = all("mark", side).filter(function (m) { return (" " + m.dataset.findings + " ").indexOf(" " + finding + " ") >= 0; });
      marks.forEach(function (m) { m.classList.add("ca-flash"); lit += 1; });
      if (!marks.length) return;
      var first = marks[0];
      if (at && at.doc === side.dataset.doc) {
        first = marks.filter(function (m) { return (" " + (m.dataset.starts || "") + " ").indexOf(" " + at.start + " ") >= 0; })[0] || first;
      }
      scrollWithin(side, first);
    });
    if (lit) panel.scrollIntoView({block: "start"});
    return lit;
  }
  function partners(panel, span) {
    all(".ca-al-flash").forEach(function (m) { m.classList.remove("ca-al-flash"); });
    var keys = (span.dataset.al || "").split(" ");
    var side = span.closest(".ca-doc"), lit = 0;
    all(".ca-doc", panel).forEach(function (other) {
      if (other === side) return;
      var hits = all(".ca-al", other).filter(function (m) {
        return (m.dataset.al || "").split(" ").some(function (k) { return keys.indexOf(k) >= 0; });
      });
      hits.forEach(function (m) { m.classList.add("ca-al-flash"); lit += 1; });
      if (hits.length) scrollWithin(other, hits[0]);
    });
    all(".ca-al", side).filter(function (m) { return m.dataset.al === span.dataset.al; })
      .forEach(function (m) { m.classList.add("ca-al-flash"); });
    return lit;
  }
  ca.partners = partners;
  function sbsFromHash() {
    var root = sbsRoot();
    if (!root || !location.hash || location.hash.indexOf("report=") < 0) return;
    var params = new URLSearchParams(location.hash.slice(1));
    var panel = pick(root, params.get("report") || "");
    if (!panel || !params.get("finding")) return;
    var at = null, where = params.get("at");
    if (where && where.lastIndexOf(":") > 0) at = {doc: where.slice(0, where.lastIndexOf(":")), start: where.slice(where.lastIndexOf(":") + 1)};
    light(panel, params.get("finding"), at);
  }
  function sbsSetup() {
    all(".ca-sbs-root").forEach(function (root) {
      if (root.dataset.ready) return;
      root.dataset.ready = "1";
      var select = root.querySelector("select.ca-sbs-pick");
      if (select) select.addEventListener("change", function () { pick(root, select.value); });
      root.addEventListener("click", function (ev) {
        var link = ev.target.closest("a.ca-sbs-go");
        var mark = ev.target.closest("mark");
        var panel = ev.target.closest(".ca-sbs");
        if (!panel) return;
        var aligned = ev.target.closest(".ca-doc .ca-al");
        if (aligned && !link && !mark) { partners(panel, aligned); return; }
        var finding = link ? link.dataset.finding : mark ? (mark.dataset.findings || "").split(" ")[0] : null;
        if (!finding) return;
        if (link) ev.preventDefault();
        light(panel, finding, null);
        if (history.replaceState) history.replaceState(null, "", "#report=" + encodeURIComponent(panel.dataset.report) + "&finding=" + finding);
      });
    });
  }

  /* ---- wiring ---- */
  document.addEventListener("change", function (ev) {
    var sel = ev.target.closest && ev.target.closest("select.ca-review-status");
    if (sel && live(sel)) {
      var box = document.querySelector("textarea.ca-review-note[data-finding='" + sel.dataset.finding + "']:not([id$='_fallback'] *)");
      ca.setReview(sel.dataset.finding, sel.value, box ? box.value : (ca.review(sel.dataset.finding) || {}).note);
    }
  });
  document.addEventListener("input", function (ev) {
    var box = ev.target.closest && ev.target.closest("textarea.ca-review-note");
    if (box && live(box)) ca.setReview(box.dataset.finding, (ca.review(box.dataset.finding) || {}).status || "needs_review", box.value);
  });
  document.addEventListener("click", function (ev) {
    if (ev.target.closest && ev.target.closest("button.ca-download")) ca.download();
  });
  window.addEventListener("hashchange", function () { goTo(location.hash); sbsFromHash(); });
  window.addEventListener("beforeprint", function () {
    Object.keys(ca.tables).forEach(function (k) { ca.tables[k].api.page.len(-1).draw(false); });
  });
  function navToCurrent() {
    var current = document.querySelector("nav.ca-nav a[aria-current=page]");
    var list = current && current.closest("ul");
    if (list && list.scrollWidth > list.clientWidth) {
      list.scrollLeft = current.offsetLeft - (list.clientWidth - current.offsetWidth) / 2;
    }
  }
  function ready() {
    navToCurrent();
    dropStale();
    refresh();
    sbsSetup();
    var fwd = document.body && document.body.dataset.findingsPage;
    if (FINDING.test(location.hash) && !goTo(location.hash) && fwd) {
      location.replace(fwd + location.hash);
      return;
    }
    sbsFromHash();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
