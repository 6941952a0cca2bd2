/* Haat's own small script: progressive enhancements only; every page works without it.
   No inline handlers anywhere (the Content-Security-Policy forbids them): behaviour hangs on
   data- attributes. */
(function () {
  "use strict";

  function onReady(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function enhance(root) {
    // The language switcher submits itself when a language is picked.
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var button = select.form && select.form.querySelector("button[type=submit]");
      if (button) { button.hidden = true; }
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // "Select all" boxes tick every checkbox of the same name in their form.
    root.querySelectorAll("input[data-select-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        var name = box.getAttribute("data-select-all");
        box.form.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (other) {
          other.checked = box.checked;
        });
      });
    });
    // Share buttons use the phone's share sheet, or copy the link.
    root.querySelectorAll("button[data-share-url]").forEach(function (button) {
      if (!navigator.share && !(navigator.clipboard && window.isSecureContext)) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var url = button.getAttribute("data-share-url");
        var text = button.getAttribute("data-share-text") || "";
        if (navigator.share) {
          navigator.share({ text: text, url: url }).catch(function () {});
        } else {
          navigator.clipboard.writeText(url).then(function () {
            button.textContent = button.getAttribute("data-copied") || button.textContent;
          });
        }
      });
    });
    // The jewellery form's purity select offers only the chosen metal's grades (without
    // the script every grade is listed under its metal, and the server says which fit).
    root.querySelectorAll("select[data-purity-select]").forEach(function (metal) {
      var purity = document.getElementById(metal.getAttribute("data-purity-select"));
      if (!purity) { return; }
      function narrow() {
        var first = null;
        purity.querySelectorAll("optgroup").forEach(function (group) {
          var match = group.getAttribute("data-metal") === metal.value;
          group.hidden = !match;
          group.disabled = !match;
          if (match && !first) { first = group.querySelector("option"); }
        });
        var chosen = purity.options[purity.selectedIndex];
        if (first && (!chosen || chosen.parentNode.disabled)) { first.selected = true; }
      }
      metal.addEventListener("change", narrow);
      narrow();
    });
    // Gallery thumbnails show their photo in the main image.
    root.querySelectorAll("a[data-gallery-target]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var main = document.getElementById(link.getAttribute("data-gallery-target"));
        if (!main) { return; }
        event.preventDefault();
        main.src = link.href;
        main.width = Number(link.getAttribute("data-width")) || main.width;
        main.height = Number(link.getAttribute("data-height")) || main.height;
        var thumb = link.querySelector("img");
        if (thumb) { main.alt = thumb.alt; }
      });
    });
  }

  // Buttons and forms that ask first.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  }, true);

  // A khata entry that was recorded empties its form for the next one.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (form.classList && form.classList.contains("quick-entry") && event.detail.successful) {
      form.reset();
      var amount = form.querySelector("input[name=amount]");
      if (amount) { amount.focus(); }
    }
  });

  onReady(function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
