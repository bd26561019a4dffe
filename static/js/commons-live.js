/* A dataset page follows its dataset live: when one of its versions is published (the
 * "commons.version_published" activity, which live.js re-dispatches as "sc:activity"), the page
 * fetches itself again and replaces its indicators, its published versions and the steward's
 * panel, keeping the reader's focus, and announces the news politely. The numbers come from the
 * server, as anyone reloading would see them. */
(function () {
  "use strict";
  var dataset = document.body.dataset.liveDataset;
  if (!dataset) return;
  var announcer = document.getElementById("live-announcer");
  var PARTS = ["steward-panel", "indicators", "versions"];

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function replace(fresh) {
    PARTS.forEach(function (id) {
      var current = document.getElementById(id);
      var next = fresh.getElementById(id);
      if (!current || !next) return;
      var swap = function () { current.replaceWith(next); };
      var sc = window.SocialCommons;
      if (sc && sc.keepFocus) sc.keepFocus(current, swap); else swap();
    });
  }

  document.addEventListener("sc:activity", function (event) {
    var message = event.detail || {};
    var target = message.target || {};
    if (target.type !== "commons.dataset" || String(target.id) !== String(dataset)) return;
    if (message.verb !== "commons.version_published") return;
    fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        replace(new DOMParser().parseFromString(html, "text/html"));
        var number = (message.payload || {}).version;
        announce("Version " + number + " of this dataset has been published.");
      })
      .catch(function () { /* the reader can reload; the feed item already says it */ });
  });
})();
