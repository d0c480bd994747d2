// Passage web chat: plain DOM, no framework, a few kilobytes. Text is always inserted as text
// (never as HTML), and every bubble gets dir="auto" so Arabic and Persian read right to left.
(function () {
  "use strict";
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var sender = localStorage.getItem("passage-sender");
  if (!sender) {
    sender = "web-" + Math.random().toString(36).slice(2) + Date.now().toString(36);
    localStorage.setItem("passage-sender", sender);
  }
  var partner = new URLSearchParams(location.search).get("partner");

  function bubble(text, who, lang) {
    var div = document.createElement("div");
    div.className = "msg " + who;
    div.setAttribute("dir", "auto");
    if (lang) div.setAttribute("lang", lang);
    div.textContent = text;
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  function buttons(list, lang) {
    var row = document.createElement("div");
    row.className = "buttons";
    list.forEach(function (b) {
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("dir", "auto");
      if (lang) button.setAttribute("lang", lang);
      button.textContent = b.title;
      button.addEventListener("click", function () { send(b.payload, b.title); });
      row.appendChild(button);
    });
    log.appendChild(row);
  }

  function send(text, shown) {
    bubble(shown || text, "user");
    var body = { sender: sender, text: text, language: (navigator.language || "").slice(0, 2) };
    if (partner) body.partner = partner;
    fetch("/api/chat", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json(); })
      .then(function (reply) {
        if (reply.language) language = reply.language;
        (reply.messages || []).forEach(function (m) {
          bubble(m.text, "bot", reply.language);
          if (m.buttons && m.buttons.length) buttons(m.buttons, reply.language);
        });
        if (reply.error) bubble(reply.error, "bot");
        if (reply.handoff || reply.pending || polling) poll(true);
      })
      .catch(function () { bubble("…", "bot"); });
  }

  // While a counsellor has the conversation, or answers wait for the assistant to be back, new
  // messages arrive by polling /api/poll every 3 s.
  var lastId = 0;
  var language = null;
  var polling = null;
  var seen = {};

  // catchUp: right after /api/chat, whose bot messages are already on screen (so only a counsellor's are new).
  function poll(catchUp) {
    return fetch("/api/poll", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ sender: sender, after: lastId }) })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        (result.messages || []).forEach(function (m) {
          lastId = Math.max(lastId, m.id);
          if (seen[m.id]) return;
          seen[m.id] = true;
          if (catchUp && m.author !== "counsellor") return;
          bubble(m.text, m.author === "counsellor" ? "bot counsellor" : "bot", language);
        });
        var waiting = result.handoff || result.pending;
        if (waiting && !polling) polling = setInterval(function () { poll(false); }, 3000);
        if (!waiting && polling) { clearInterval(polling); polling = null; }
      })
      .catch(function () { /* try again at the next tick */ });
  }

  // On load: skip what came before, but keep listening if a counsellor already has the conversation.
  fetch("/api/poll", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ sender: sender, after: 0 }) })
    .then(function (r) { return r.json(); })
    .then(function (result) {
      (result.messages || []).forEach(function (m) { lastId = Math.max(lastId, m.id); });
      if ((result.handoff || result.pending) && !polling) polling = setInterval(function () { poll(false); }, 3000);
    })
    .catch(function () {});

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
})();
