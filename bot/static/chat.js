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
        (reply.messages || []).forEach(function (m) {
          bubble(m.text, "bot", reply.language);
          if (m.buttons && m.buttons.length) buttons(m.buttons, reply.language);
        });
        if (reply.error) bubble(reply.error, "bot");
      })
      .catch(function () { bubble("…", "bot"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
})();
