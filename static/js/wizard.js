// The policy wizard: save-as-you-go feedback and focus after htmx swaps. Loaded only on wizard pages.
// Behaviour lives here, not in hx-on attributes: the Content-Security-Policy forbids eval and inline code.
(function () {
  "use strict";

  function autosaveForm(element) {
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  function setStatus(form, text) {
    var status = form.querySelector("[data-save-status]");
    if (status) status.textContent = text;
  }

  function setUnsaved(form, unsaved) {
    var note = form.querySelector(".unsaved-note");
    if (note) note.hidden = !unsaved;
  }

  // Typing: show (visually, without announcing every key) that the change is not saved yet.
  document.addEventListener("input", function (event) {
    var form = autosaveForm(event.target);
    if (form) setUnsaved(form, true);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (form) {
      setUnsaved(form, false);
      setStatus(form, document.body.dataset.msgSaving);
    }
  });

  function failed(event) {
    var form = autosaveForm(event.detail.elt);
    if (form) {
      setUnsaved(form, true);
      setStatus(form, document.body.dataset.msgSaveFailed);
    }
  }
  // A saved choice colours the agreement's card (the card itself is not swapped while the user works in it).
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!event.detail.successful || !form.classList || !form.classList.contains("decision-form")) return;
    var checked = form.querySelector("input[type=radio]:checked");
    var card = form.closest(".decision-card");
    if (!checked || !card) return;
    ["open", "adopt", "amend", "reject"].forEach(function (choice) { card.classList.remove("choice-" + choice); });
    card.classList.add("choice-" + checked.value);
  });

  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);

  // After a swap that removed the focused control (an action closed after editing, a deleted action),
  // put the focus in the swapped part so keyboard users keep their place.
  // A form that was just opened (a new or a changed action) gets the focus in its first field; a form
  // that came back with an error, in the first field with the error.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && !document.contains(target) && target.id) target = document.getElementById(target.id);  // outerHTML
    if (!target || !document.contains(target)) return;
    var opened = target.querySelector("[aria-invalid='true']") || target.querySelector("[data-autofocus]");
    if (opened) { opened.focus(); return; }
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    var next = target.querySelector("[tabindex='-1']") || target.querySelector("summary, a[href], button");
    if (next) next.focus();
  });
})();
