/* The dashboard refreshes itself when activity arrives (at most every 5 seconds), and keeps its
 * ticker short. The numbers always come from the server, the same for everyone. */
(function () {
  "use strict";
  var url = document.body.dataset.liveDashboard;
  if (!url) return;
  var pending = false;
  var last = 0;
  var GAP = 5000;

  function refresh() {
    pending = false;
    last = Date.now();
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var body = document.getElementById("dashboard-body");
        if (!body) return;
        // Someone reading the figures with the keyboard keeps their place (js/focus.js).
        var sc = window.SocialCommons;
        var replace = function () { body.innerHTML = html; };
        if (sc && sc.keepFocus) sc.keepFocus(body, replace); else replace();
      })
      .catch(function () { /* keep showing the last figures; the next activity retries */ });
  }

  document.addEventListener("sc:activity", function () {
    var feed = document.getElementById("activity-feed");
    var max = feed ? parseInt(feed.dataset.maxItems || "0", 10) : 0;
    while (feed && max && feed.children.length > max) feed.lastElementChild.remove();
    if (pending) return;
    pending = true;
    window.setTimeout(refresh, Math.max(0, GAP - (Date.now() - last)));
  });
})();
