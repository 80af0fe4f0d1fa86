// Web chat client: plain JS, no build step. Every bot and user text is inserted with
// textContent, so markup a resident types is shown as text and never executed. Who this browser
// is, is the server's business: an HttpOnly session cookie this script cannot read; nothing that
// names the user is kept in localStorage or sent in a request.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var input = document.getElementById("input");
  var form = document.getElementById("composer");
  var errorBox = document.getElementById("error");
  var langButton = document.getElementById("lang");
  var busy = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "w" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }
  // Earlier versions kept a browser-chosen user id here; it no longer means anything.
  try { localStorage.removeItem("petition.userId"); } catch (e) { /* storage disabled */ }
  var locale = localStorage.getItem("petition.locale") || (navigator.language && navigator.language.indexOf("zh") === 0 ? "zh-CN" : (navigator.language ? "en" : "zh-CN"));
  var texts = {};

  function loadTexts() {
    return fetch("/api/texts/" + encodeURIComponent(locale)).then(function (r) { return r.json(); }).then(function (body) {
      texts = body.texts;
      document.documentElement.lang = body.locale;
      document.title = texts.title;
      document.getElementById("title").textContent = texts.title;
      document.getElementById("subtitle").textContent = texts.subtitle;
      document.getElementById("send").textContent = texts.send;
      document.getElementById("privacy").textContent = texts.privacy;
      input.placeholder = texts.placeholder;
      langButton.textContent = texts.language;
    });
  }

  // The conversation so far, kept for this tab so a reload shows what was already said.
  var transcript = [];
  try { transcript = JSON.parse(sessionStorage.getItem("petition.transcript") || "[]"); } catch (e) { transcript = []; }
  function remember(entry) {
    transcript.push(entry);
    if (transcript.length > 200) transcript = transcript.slice(-200);
    try { sessionStorage.setItem("petition.transcript", JSON.stringify(transcript)); } catch (e) { /* storage full: keep going */ }
  }

  function add(text, who) {
    var div = document.createElement("div");
    div.className = "msg " + who;
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    return div;
  }

  function disableOldButtons() {
    var old = log.querySelectorAll(".buttons button");
    for (var i = 0; i < old.length; i++) old[i].disabled = true;
  }

  function show(replies, replay) {
    disableOldButtons();
    replies.forEach(function (r) {
      if (!replay) remember({ who: "bot", text: r.text, caseNo: r.caseNo || null });
      var div = add(r.text, "bot");
      if (r.caseNo) div.setAttribute("data-case-no", r.caseNo);
      if (r.expects) div.setAttribute("data-expects", r.expects);
      if (r.buttons && r.buttons.length) {
        var row = document.createElement("div");
        row.className = "buttons";
        r.buttons.forEach(function (b) {
          var btn = document.createElement("button");
          btn.type = "button";
          btn.textContent = b.label;
          btn.setAttribute("data-id", b.id);
          btn.addEventListener("click", function () { send({ buttonId: b.id }, b.label); });
          row.appendChild(btn);
        });
        div.appendChild(row);
      }
    });
  }

  function send(payload, echo) {
    if (busy) { // a double tap sends once; typed text stays in the box
      errorBox.textContent = texts.busy || "…";
      errorBox.hidden = false;
      return false;
    }
    busy = true;
    errorBox.hidden = true;
    if (echo) { add(echo, "me"); remember({ who: "me", text: echo }); }
    payload.locale = locale;
    payload.messageId = uuid();
    fetch("/api/chat", {
      method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
    })
      .then(function (r) { return r.json().then(function (body) { if (!r.ok) throw new Error(body.message || r.status); return body; }); })
      .then(function (body) {
        if (body.signedOut) { // the session ended: nothing of it stays on this page
          transcript = [];
          try { sessionStorage.removeItem("petition.transcript"); } catch (e) { /* storage disabled */ }
          log.textContent = "";
        }
        show(body.replies);
      })
      .catch(function () { errorBox.textContent = texts.error || "Network error"; errorBox.hidden = false; })
      .then(function () { busy = false; input.focus(); pollInbox(); });
    return true;
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value;
    if (send({ text: text }, text)) input.value = "";
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit(); }
  });
  langButton.addEventListener("click", function () {
    locale = locale === "en" ? "zh-CN" : "en";
    localStorage.setItem("petition.locale", locale);
    loadTexts().then(function () { send({ text: locale === "en" ? "English" : "中文" }); });
  });

  // Status changes of the resident's cases (accepted, replied …) arrive through the inbox.
  function pollInbox() {
    if (busy) return;
    fetch("/api/inbox", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { replies: [] }; })
      .then(function (body) { if (body.replies && body.replies.length) show(body.replies); })
      .catch(function () { /* offline: try again later */ });
  }
  setInterval(pollInbox, 15000);

  loadTexts().then(function () {
    transcript.forEach(function (m) {
      if (m.who === "me") add(m.text, "me");
      else { var d = add(m.text, "bot"); if (m.caseNo) d.setAttribute("data-case-no", m.caseNo); }
    });
    send({ buttonId: "resume" });
  });
})();
