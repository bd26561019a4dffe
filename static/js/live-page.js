/* Live updates on an idea or problem page, driven by the site-wide live client (live.js),
 * which re-dispatches every activity as a "sc:activity" event.
 *
 * - support counts change in place (the number comes in the activity, the same for everyone);
 * - a new comment is fetched as this viewer sees it and added to its thread;
 * - an edited, deleted or hidden comment is fetched again and replaced;
 * - a decision or merge refreshes the stage badge and the decision timeline.
 * Nothing is replaced that holds something the reader is typing.
 */
(function () {
  "use strict";
  var target = document.body.dataset.liveTarget;
  if (!target) return;
  var announcer = document.getElementById("live-announcer");
  // Replace a part of the page, keeping focus on what replaced it (js/focus.js).
  function keepFocus(part, replace) {
    var sc = window.SocialCommons;
    if (sc && sc.keepFocus) sc.keepFocus(part, replace); else replace();
  }

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function fetchHtml(url) {
    return fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html.trim();
        return t.content;
      });
  }

  function commentUrl(id) { return "/comments/" + id + "/"; }

  function addComment(payload) {
    if (document.getElementById("comment-" + payload.comment_id)) return;
    fetchHtml(commentUrl(payload.comment_id)).then(function (fragment) {
      if (document.getElementById("comment-" + payload.comment_id)) return;
      var list = payload.parent_id
        ? document.getElementById("replies-" + payload.parent_id)
        : document.getElementById("comments");
      if (!list) return;
      var empty = document.getElementById("comments-empty");
      if (empty && !payload.parent_id) empty.remove();
      var item = fragment.firstElementChild;
      item.classList.add("is-new");
      list.appendChild(item);
      var count = document.getElementById("comment-count");
      if (count) count.textContent = parseInt(count.textContent, 10) + 1;
    });
  }

  function replaceComment(id) {
    var old = document.getElementById("comment-" + id);
    if (!old) return;
    // Keep a reply the reader has started typing under this comment.
    var typing = old.querySelector("textarea");
    if (typing && typing.value.trim()) return;
    fetchHtml(commentUrl(id)).then(function (fragment) {
      var item = fragment.firstElementChild;
      var replies = old.querySelector(":scope > .replies");
      var newReplies = item.querySelector(":scope > .replies");
      if (replies && newReplies) newReplies.replaceWith(replies);
      keepFocus(old, function () { old.replaceWith(item); });
    });
  }

  function refreshDecisions() {
    var url = document.body.dataset.decisionsUrl;
    if (!url) return;
    fetchHtml(url).then(function (fragment) {
      var section = fragment.querySelector("#decisions");
      var current = document.getElementById("decisions");
      if (section && current) keepFocus(current, function () { current.replaceWith(section); });
      var badge = section && section.querySelector(".stage");
      var header = document.getElementById("stage-badge");
      if (badge && header) {
        header.className = badge.className;
        header.textContent = badge.textContent;
      }
    });
  }

  // "Reply" links fill in the comment form below instead of reloading the page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-reply-to], #reply-cancel") : null;
    var form = document.getElementById("comment-form");
    if (!link || !form) return;
    var parent = form.querySelector("input[name=parent]");
    var box = document.getElementById("replying-to");
    if (!parent || !box) return;
    event.preventDefault();
    if (link.id === "reply-cancel") {
      parent.value = "";
      box.hidden = true;
    } else {
      parent.value = link.dataset.replyTo;
      document.getElementById("replying-name").textContent = link.dataset.replyName;
      box.hidden = false;
    }
    var text = form.querySelector("textarea");
    if (text) text.focus();
  });

  document.addEventListener("sc:activity", function (event) {
    var a = event.detail;
    if (!a.target || a.target.type + ":" + a.target.id !== target) return;
    var p = a.payload || {};
    switch (a.verb) {
      case "idea.supported":
      case "idea.unsupported":
        var count = document.getElementById("support-count");
        if (count && typeof p.support_count === "number") {
          count.textContent = p.support_count;
          count.dataset.count = p.support_count;
          var label = document.getElementById("support-label");
          if (label) label.textContent = p.support_count === 1 ? "supporter" : "supporters";
        }
        announce(a.actor.name + (a.verb === "idea.supported" ? " supported this idea. " : " withdrew support. ") +
          p.support_count + (p.support_count === 1 ? " supporter." : " supporters."));
        break;
      case "comment.posted":
        addComment(p);
        announce("New comment from " + a.actor.name + ".");
        break;
      case "comment.edited":
      case "comment.deleted":
        replaceComment(p.comment_id);
        break;
      case "content.hidden":
        if (p.kind === "comment") replaceComment(p.id); else window.location.reload();
        break;
      case "idea.decided":
        refreshDecisions();
        announce(a.actor.name + " moved this idea to " + (p.to_label || p.to) + ": " + p.reason);
        break;
      case "idea.merged":
        refreshDecisions();
        announce(a.actor.name + " merged this idea into another; the decision links to it.");
        break;
    }
  });
})();
