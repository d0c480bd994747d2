// Passage console: live refresh over Server-Sent Events and canned-reply insertion. Everything
// works without it; fragments come from the server already escaped, so innerHTML is safe here.
(function () {
  "use strict";
  var live = document.querySelectorAll("[data-live]");
  var pending = {};

  function refresh(element) {
    var url = element.getAttribute("data-live");
    if (pending[url]) return;
    pending[url] = setTimeout(function () {
      pending[url] = null;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          element.innerHTML = html;
          var list = element.querySelector("ol.transcript");
          if (list) list.scrollTop = list.scrollHeight;
        })
        .catch(function () { /* the next event or reload tries again */ });
    }, 150);
  }

  if (live.length && window.EventSource) {
    var source = new EventSource("/console/events");
    ["handoff_opened", "handoff_claimed", "message", "handoff_transferred", "handoff_closed"].forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        var data = {};
        try { data = JSON.parse(event.data); } catch (e) { return; }
        live.forEach(function (element) {
          var only = element.getAttribute("data-handoff");
          if (!only || String(data.handoff_id) === only) refresh(element);
        });
      });
    });
  }

  var transcript = document.querySelector("ol.transcript");
  if (transcript) transcript.scrollTop = transcript.scrollHeight;

  var reply = document.getElementById("reply-text");
  document.querySelectorAll("[data-canned]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!reply) return;
      var text = button.getAttribute("data-canned");
      reply.value = reply.value ? reply.value.replace(/\s*$/, "\n") + text : text;
      reply.focus();
    });
  });
})();
