// Behaviour for the whole site. Kept in a static file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
})();

// Accounts and schools: copy an invitation link; ask before a form that removes something is sent.
(function () {
  "use strict";

  function say(button, text) {
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (status) { status.textContent = text; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) { return; }
    input.select();
    var copied = function () { say(button, document.body.dataset.msgCopied); };
    var selectOnly = function () { say(button, document.body.dataset.msgSelected); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(copied, selectOnly);
    } else {
      selectOnly();
    }
  });

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
