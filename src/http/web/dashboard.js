// Leaders' dashboard: plain JS, no build step, Chart.js served by our own server (CSP: self only).
// Every value shown is inserted with textContent or drawn by Chart.js on a canvas, so nothing in
// the data (unit names, case numbers) is ever parsed as markup.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var locale = localStorage.getItem("petition.dashboard.locale") || (navigator.language && navigator.language.indexOf("zh") !== 0 ? "en" : "zh-CN");
  var texts = {};
  var charts = [];
  var palette = ["#c81e1e", "#1c64f2", "#057a55", "#9061f9", "#ff8a4c", "#0694a2", "#e74694", "#6b7280"];
  var colourOf = { green: "#31c48d", yellow: "#faca15", red: "#f05252" };

  function t(key, vars) {
    var s = texts[key] || key;
    Object.keys(vars || {}).forEach(function (k) { s = s.split("{{" + k + "}}").join(String(vars[k])); });
    return s;
  }
  function pct(v) { return v === null || v === undefined ? "–" : (v * 100).toFixed(2) + " %"; }
  function showError(message) { $("error").textContent = message; $("error").hidden = !message; }
  function today() { return new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10); }

  function loadTexts() {
    return fetch("/admin/dashboard/texts/" + encodeURIComponent(locale)).then(function (r) { return r.json(); }).then(function (body) {
      texts = body.texts;
      document.documentElement.lang = body.locale;
      document.title = t("title");
      ["title", "from-label", "to-label", "reload", "token-label", "login-button", "lang",
        "cap-category", "cap-colour", "cap-units", "cap-supervision", "cap-overdue"].forEach(function (id) { $(id).textContent = t(id); });
    });
  }

  function token() { return sessionStorage.getItem("petition.adminToken"); }

  function load() {
    showError("");
    if (!token()) { $("login").hidden = false; $("board").hidden = true; return Promise.resolve(); }
    var q = "?from=" + encodeURIComponent($("from").value) + "&to=" + encodeURIComponent($("to").value);
    return fetch("/admin/api/dashboard" + q, { headers: { Authorization: "Bearer " + token() } }).then(function (r) {
      return r.json().then(function (body) {
        if (r.status === 401) { sessionStorage.removeItem("petition.adminToken"); $("login").hidden = false; $("board").hidden = true; showError(t("bad-token")); return; }
        if (!r.ok) {
          // Nothing stale stays on screen when a request fails: the board is hidden.
          $("board").hidden = true;
          showError(r.status === 400 ? t("bad-range") : t("error"));
          return;
        }
        $("login").hidden = true;
        $("board").hidden = false;
        render(body);
        document.body.setAttribute("data-ready", "1");
      });
    }).catch(function () { $("board").hidden = true; showError(t("error")); });
  }

  function unitName(units, id) {
    if (!id) return t("unknown");
    var u = units.filter(function (x) { return x.id === id; })[0];
    return u ? (locale === "en" ? u.nameEn || u.name : u.name) : id;
  }

  function tile(label, value, warn) {
    var el = document.createElement("div");
    el.className = "tile" + (warn ? " warn" : "");
    var v = document.createElement("div"); v.className = "value"; v.textContent = value;
    var l = document.createElement("div"); l.className = "label"; l.textContent = label;
    el.appendChild(v); el.appendChild(l);
    return el;
  }

  function table(id, head, rows) {
    var thead = $(id).querySelector("thead"), tbody = $(id).querySelector("tbody");
    thead.textContent = ""; tbody.textContent = "";
    var tr = document.createElement("tr");
    head.forEach(function (h) { var th = document.createElement("th"); th.textContent = h; tr.appendChild(th); });
    thead.appendChild(tr);
    if (rows.length === 0) {
      var empty = document.createElement("tr"), td = document.createElement("td");
      td.colSpan = head.length; td.textContent = t("none"); empty.appendChild(td); tbody.appendChild(empty);
    }
    rows.forEach(function (cells) {
      var row = document.createElement("tr");
      cells.forEach(function (c) {
        var td = document.createElement("td");
        td.textContent = c.text;
        if (c.className) td.className = c.className;
        row.appendChild(td);
      });
      tbody.appendChild(row);
    });
  }

  function render(d) {
    var total = d.total;
    var tiles = $("tiles");
    tiles.textContent = "";
    tiles.appendChild(tile(t("received"), String(total.received)));
    tiles.appendChild(tile(t("on-time"), pct(total.onTimeRate)));
    tiles.appendChild(tile(t("participation"), pct(total.participationRate)));
    tiles.appendChild(tile(t("satisfaction"), pct(total.satisfactionRate)));
    tiles.appendChild(tile(t("first-time"), pct(total.firstTimeResolutionRate)));
    tiles.appendChild(tile(t("open"), String(total.open)));
    tiles.appendChild(tile(t("overdue"), String(total.overdue), total.overdue > 0));
    var listedOpen = d.supervision.length; // the server lists open cases only
    tiles.appendChild(tile(t("supervised-open"), String(listedOpen), listedOpen > 0));

    charts.forEach(function (c) { c.destroy(); });
    charts = [];
    var labels = d.daily.dates.map(function (x) { return x.slice(5); });
    charts.push(new Chart($("chart-category"), {
      type: "bar",
      data: { labels: labels, datasets: Object.keys(d.daily.byCategory).map(function (c, i) {
        return { label: texts["category." + c] || c, data: d.daily.byCategory[c], backgroundColor: palette[i % palette.length], stack: "c" };
      }) },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    }));
    charts.push(new Chart($("chart-colour"), {
      type: "bar",
      data: { labels: labels, datasets: Object.keys(d.daily.byColour).map(function (c) {
        return { label: texts["colour." + c] || c, data: d.daily.byColour[c], backgroundColor: colourOf[c] || "#999", stack: "c" };
      }) },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    }));
    var units = d.byUnit.filter(function (r) { return r.key; });
    charts.push(new Chart($("chart-units"), {
      type: "bar",
      data: {
        labels: units.map(function (r) { return unitName(d.units, r.key) + " (" + r.received + ")"; }),
        datasets: [
          { label: t("on-time"), data: units.map(function (r) { return r.onTimeRate === null ? null : +(r.onTimeRate * 100).toFixed(2); }), backgroundColor: "#1c64f2" },
          { label: t("satisfaction"), data: units.map(function (r) { return r.satisfactionRate === null ? null : +(r.satisfactionRate * 100).toFixed(2); }), backgroundColor: "#057a55" },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, indexAxis: "y", scales: { x: { min: 0, max: 100 } } },
    }));

    var head = [t("case-no"), t("category"), t("unit"), t("state"), t("listed-because"), t("due"), t("days-overdue")];
    var row = function (c) {
      return [
        { text: c.caseNo }, { text: texts["category." + c.category] || c.category }, { text: unitName(d.units, c.unitId) },
        { text: texts["state." + c.state] || c.state }, { text: c.supervisionNote || (c.supervisionReason ? t("why." + c.supervisionReason) : "–") },
        { text: c.colourDueAt.slice(0, 10) }, { text: c.daysOverdue > 0 ? String(c.daysOverdue) : "–", className: c.daysOverdue > 0 ? "overdue" : "" },
      ];
    };
    table("supervision", head, d.supervision.map(row));
    table("overdue", head, d.overdue.map(row));
  }

  $("login").addEventListener("submit", function (e) {
    e.preventDefault();
    sessionStorage.setItem("petition.adminToken", $("token").value);
    $("token").value = "";
    load();
  });
  $("period").addEventListener("submit", function (e) { e.preventDefault(); load(); });
  $("lang").addEventListener("click", function () {
    locale = locale === "en" ? "zh-CN" : "en";
    localStorage.setItem("petition.dashboard.locale", locale);
    loadTexts().then(load);
  });
  var params = new URLSearchParams(location.search);
  $("to").value = params.get("to") || today();
  $("from").value = params.get("from") || new Date(Date.parse($("to").value) - 29 * 86400000).toISOString().slice(0, 10);
  loadTexts().then(load);
})();
