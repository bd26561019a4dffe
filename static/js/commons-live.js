/* A dataset page follows its dataset live: when one of its versions is published (the
 * "commons.version_published" activity, which live.js re-dispatches as "sc:activity"), the page
 * fetches itself again and replaces its indicators, its published versions and the steward's
 * panel, keeping the reader's focus, and announces the news politely. The numbers come from the
 * server, as anyone reloading would see them. The data-use register does the same with its
 * entries when a restricted use is approved ("commons.access_granted"). */
(function () {
  "use strict";
  var dataset = document.body.dataset.liveDataset;
  var register = document.body.dataset.liveRegister;
  if (!dataset && !register) return;
  var announcer = document.getElementById("live-announcer");
  var PARTS = ["steward-panel", "indicators", "versions"];

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function replace(fresh, parts) {
    parts.forEach(function (id) {
      var current = document.getElementById(id);
      var next = fresh.getElementById(id);
      if (!current || !next) return;
      var swap = function () { current.replaceWith(next); };
      var sc = window.SocialCommons;
      if (sc && sc.keepFocus) sc.keepFocus(current, swap); else swap();
    });
  }

  function refresh(parts, text) {
    // The page as anyone reloading it would see it (filters kept), its live parts swapped in.
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        replace(new DOMParser().parseFromString(html, "text/html"), parts);
        announce(text);
      })
      .catch(function () { /* the reader can reload; the feed item already says it */ });
  }

  document.addEventListener("sc:activity", function (event) {
    var message = event.detail || {};
    var target = message.target || {};
    if (target.type !== "commons.dataset") return;
    var payload = message.payload || {};
    if (register && message.verb === "commons.access_granted") {
      // A new entry of the register: the page shows it if its filters take it in.
      refresh(["register-entries"], "A restricted use of " + (target.title || "a dataset") +
        " has been approved; the register is up to date.");
      return;
    }
    if (!dataset || String(target.id) !== String(dataset)) return;
    if (message.verb === "commons.version_published") {
      refresh(PARTS, "Version " + payload.version + " of this dataset has been published.");
    } else if (message.verb === "commons.access_granted") {
      refresh(["use"], "A restricted use of this dataset has been approved; the register has it.");
    }
  });
})();
