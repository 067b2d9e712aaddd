// The console's one script (htmx aside): a copy button beside each respondent link (and field address),
// and a question before a form that undoes something. Without JavaScript the buttons stay hidden
// (console.css shows them under html.js) and the link field stays selectable.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function announce(button, text) {
    var box = button.closest(".link-box");
    var status = box && box.querySelector(".copied");
    if (status) {
      status.textContent = text;
      window.setTimeout(function () { status.textContent = ""; }, 4000);
    }
  }

  function copy(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    // Plain http on a LAN address is not a secure context: fall back to selecting and copying.
    field.focus();
    field.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  // Delegated, so that wave cards swapped in by htmx work too.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    copy(field).then(
      function () { announce(button, button.getAttribute("data-copied")); },
      function () { field.focus(); field.select(); }
    );
  });

  // A form that undoes something (withdrawing a field address) asks first. Without JavaScript it is sent
  // as it is, like any form.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // Each editor form carries the draft's revision for when it is posted without JavaScript; with htmx a
  // change answers with one item only, so the revision every form sends is the one the last answer put in
  // #draft-revision (out of band), not the one the form was drawn with.
  document.addEventListener("htmx:configRequest", function (event) {
    var current = document.getElementById("draft-revision");
    if (current && event.detail.formData && event.detail.formData.has("revision")) {
      event.detail.formData.set("revision", current.value);
    }
  });

  // Opening an item fetches its form (htmx swaps the whole <details>): keep the keyboard on its summary.
  document.addEventListener("htmx:afterSwap", function (event) {
    var config = event.detail.requestConfig;
    if (!config || config.verb !== "get") return;
    var id = event.detail.elt && event.detail.elt.id;
    var item = id && document.getElementById(id);
    if (item && item.matches("details.ed-item")) item.querySelector("summary").focus();
  });

  // The editor's live preview follows each change: the change's answer raises "preview-stale" (an
  // HX-Trigger header), and the frame's respondent form is sent again to the page it shows, with the
  // answers given there, so that the researcher stays where she was. A frame not shown (a phone) waits.
  document.addEventListener("preview-stale", function () {
    var frame = document.getElementById("preview-frame");
    if (!frame || frame.offsetParent === null) return;
    var inside = frame.contentDocument;
    var form = inside && inside.getElementById("preview-form");
    if (!form) {
      frame.contentWindow.location.reload();
      return;
    }
    var stay = inside.createElement("input");
    stay.type = "hidden";
    stay.name = "_goto";
    stay.value = form.elements._page ? form.elements._page.value : "1";
    form.appendChild(stay);
    form.submit();
  });

  // Focusing the link selects all of it, ready to copy by hand.
  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("link-field")) {
      event.target.select();
    }
  });
})();
