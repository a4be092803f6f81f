// The team meeting: live updates by polling server-rendered fragments, with a pause button.
// In a static file because the Content-Security-Policy forbids inline scripts, hx-on and eval.
//
//   <div id="live" data-poll-url="…" data-poll-interval="2000" data-announce-to="status-id">
//     fragment; an element with data-state is sent back as ?state=… (the server answers 204
//     while nothing changed); an element with data-announce gives the text for the live region.
//   </div>
//   <button data-poll-toggle="live" data-label-pause="…" data-label-resume="…" hidden>
(function () {
  "use strict";

  const pollers = {};

  // htmx copies "style" between old and new elements with the same id while settling; a resized
  // textarea would then get a style attribute, which the CSP refuses. Settle without it.
  htmx.config.attributesToSettle = ["class", "width", "height"];

  function announce(container) {
    const region = document.getElementById(container.dataset.announceTo || "");
    const source = container.querySelector("[data-announce]");
    if (!region || !source) return;
    const text = source.dataset.announce.trim();
    if (text && text !== region.textContent) region.textContent = text;
  }

  function startPolling(container) {
    const interval = parseInt(container.dataset.pollInterval || "2000", 10);
    const poller = { paused: false, busy: false };

    function url() {
      const state = container.querySelector("[data-state]");
      const base = container.dataset.pollUrl;
      if (!state) return base;
      return base + (base.indexOf("?") === -1 ? "?" : "&") + "state=" + encodeURIComponent(state.dataset.state);
    }

    poller.tick = function () {
      if (poller.paused || poller.busy || document.hidden) return;
      poller.busy = true;
      htmx.ajax("GET", url(), { source: container, target: container, swap: "innerHTML" })
        .catch(function () { /* a missed poll is retried at the next tick */ })
        .finally(function () { poller.busy = false; });
    };

    poller.timer = window.setInterval(poller.tick, interval);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) poller.tick();
    });
    pollers[container.id] = poller;
  }

  function setupToggle(button) {
    const poller = pollers[button.dataset.pollToggle];
    if (!poller) return;
    const state = document.querySelector('[data-poll-state="' + button.dataset.pollToggle + '"]');
    button.hidden = false;
    button.addEventListener("click", function () {
      poller.paused = !poller.paused;
      button.textContent = poller.paused ? button.dataset.labelResume : button.dataset.labelPause;
      if (state) state.textContent = poller.paused ? document.body.dataset.msgPaused : "";
      if (!poller.paused) poller.tick();
    });
  }

  // A refused vote (400, 409, 429) comes back as a fragment with the message: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if ([400, 409, 429].indexOf(status) !== -1 && elt && elt.closest && elt.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The leader's controls come along with each poll (out of band): swap them only when the state they
  // were drawn for changed, and keep the keyboard focus in them when they are swapped.
  let controlsHadFocus = null;
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    const old = event.detail.target;
    if (!old.dataset || old.dataset.controls === undefined) return;
    const incoming = event.detail.fragment.firstElementChild;
    if (incoming && incoming.dataset.controls === old.dataset.controls) {
      event.detail.shouldSwap = false;
      return;
    }
    const active = document.activeElement;
    controlsHadFocus = active && old.contains(active) ? active.id || "" : null;
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (controlsHadFocus === null) return;
    const controls = document.getElementById("bediening");
    const same = controlsHadFocus && document.getElementById(controlsHadFocus);
    const next = same && !same.disabled ? same : controls && controls.querySelector("button:not([disabled])");
    controlsHadFocus = null;
    if (next) next.focus();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const container = event.detail.target;
    if (container && container.dataset && container.dataset.pollUrl) announce(container);
  });

  function init() {
    document.querySelectorAll("[data-poll-url]").forEach(startPolling);
    document.querySelectorAll("[data-poll-toggle]").forEach(setupToggle);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
