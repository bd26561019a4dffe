/* Live on an article page — feedback given or answered refreshes the feedback list; and live
 * verification: when the article is verified, revised (the panel says
 * a newer revision waits) or a review of it is suggested, fetch its verification panel again (/knowledge/<id>/verification/) and put it in
 * place of the old one, so "Last verified" changes without a reload. The panel is left alone
 * while the reader is typing in one of its forms. Activities come from the site-wide live
 * client (live.js) as "sc:activity" events.
 */
(function () {
  "use strict";
  var target = document.body.dataset.liveTarget;
  if (!target) return;
  var VERBS = { "knowledge.verified": true, "knowledge.review_suggested": true, "knowledge.revised": true };
  var SAID = {
    "knowledge.verified": " verified this article.",
    "knowledge.revised": " saved a new revision of this article.",
  };
  var announcer = document.getElementById("live-announcer");

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function typing(panel) {
    var boxes = panel.querySelectorAll("textarea, input[type=number]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i] === document.activeElement || (boxes[i].tagName === "TEXTAREA" && boxes[i].value.trim())) return true;
    }
    return false;
  }

  function refresh() {
    var panel = document.getElementById("verification");
    if (!panel || !panel.dataset.panelUrl || typing(panel)) return Promise.resolve(false);
    return fetch(panel.dataset.panelUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html.trim();
        var fresh = t.content.querySelector("#verification");
        var current = document.getElementById("verification");
        if (!fresh || !current || typing(current)) return false;
        var sc = window.SocialCommons;
        var swap = function () { current.replaceWith(fresh); };
        if (sc && sc.keepFocus) sc.keepFocus(current, swap); else swap();
        return true;
      });
  }

  // Feedback given or answered: the page's feedback list is fetched again (the page itself,
  // read for its #feedback-items; the form beside it, and anything typed there, stay).
  var FEEDBACK = { "knowledge.feedback": true, "knowledge.feedback_answered": true };

  function refreshFeedback() {
    if (!document.getElementById("feedback-items")) return Promise.resolve(false);
    return fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("feedback-items");
        var current = document.getElementById("feedback-items");
        if (!fresh || !current) return false;
        current.replaceWith(document.importNode(fresh, true));
        return true;
      });
  }

  document.addEventListener("sc:activity", function (event) {
    var a = event.detail;
    if (!a || !a.target || a.target.type + ":" + a.target.id !== target) return;
    if (FEEDBACK[a.verb]) {
      refreshFeedback().then(function (done) {
        if (done) announce(a.verb === "knowledge.feedback" ? "New feedback on this article." : "Feedback on this article was answered.");
      }, function () { /* the next activity or a reload shows it */ });
      return;
    }
    if (!VERBS[a.verb]) return;
    refresh().then(function (done) {
      if (!done) return;
      var who = a.actor && a.actor.name ? a.actor.name : "Someone";
      announce(SAID[a.verb] ? who + SAID[a.verb] : "A review of this article is suggested.");
    }, function () { /* the next activity or a reload shows it */ });
  });
})();
