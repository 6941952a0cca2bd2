/* The shopping assistant widget (partials/assistant.html): small enhancements over the HTMX
   form. After an answer arrives the question box empties and keeps the focus, and the log
   scrolls to the newest answer; the widget remembers in this tab whether it was open.
   No inline script anywhere (the Content-Security-Policy forbids it). */
(function () {
  "use strict";
  var OPEN_KEY = "haat.assistant.open";

  function box() { return document.querySelector("details[data-assistant]"); }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("assistant-form")) { return; }
    if (event.detail.successful) {
      form.reset();
      var input = form.querySelector("input[name=message]");
      if (input) { input.focus(); }
    }
    var log = document.getElementById("assistant-log");
    if (log) { log.scrollTop = log.scrollHeight; }
  });

  function restore() {
    var details = box();
    if (!details) { return; }
    try {
      if (window.sessionStorage.getItem(OPEN_KEY) === "1") { details.open = true; }
      details.addEventListener("toggle", function () {
        window.sessionStorage.setItem(OPEN_KEY, details.open ? "1" : "0");
      });
    } catch (e) { /* storage refused: the widget simply starts closed */ }
  }

  if (document.readyState !== "loading") { restore(); } else { document.addEventListener("DOMContentLoaded", restore); }
})();
