// Behaviour for the whole site. Kept in a static file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
})();
