/* Projects, live and a little interactive. Driven by the site-wide live client (live.js), which
 * re-dispatches every activity as a "sc:activity" event.
 *
 * On a project's pages (<body data-project="<id>">), for activities about this project:
 * - project.restricted / project.opened: the page reloads, so the server decides what this
 *   reader may see now (an inside page they may no longer see goes to the public face) —
 *   unless they have typed into a form here: then a notice with a reload button, and nothing
 *   they typed is lost; nor while a form they sent is taking them to the next page;
 * - project.status_changed: the status badge in the header (#project-status) changes and the
 *   change is announced;
 * - update.posted (on the overview and the updates page): announced, with a button to reload.
 * Cards (task.*) are the board's business (board.js).
 *
 * On the portfolio (<body data-portfolio="<url>">): projects started, changing status, restricted
 * or opened are counted, and a polite "N projects changed — show" button refreshes the list when
 * the reader asks — the list never moves under them.
 *
 * On the status page: the closure report's fieldset shows only when the chosen status closes
 * the project (or it holds an error or something typed). Without JavaScript it is always shown.
 */
(function () {
  "use strict";
  var body = document.body;
  var announcer = document.getElementById("live-announcer");

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function actorName(a) { return (a.actor && a.actor.name) || "Someone"; }

  // --- has the reader typed anything on this page? -------------------------------------------
  var typed = false;
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field || !field.form || field.type === "search" || field.type === "hidden") return;
    if (field.closest && field.closest("[role=search]")) return;  // filters are not a draft
    typed = true;
  });
  // A form sent the usual way (not by htmx) is leaving the page: the next page shows what the
  // reader may see, so a live reload must not cut in and cancel it.
  var leaving = false;
  document.addEventListener("submit", function (event) {
    typed = false;
    if (!event.defaultPrevented) leaving = true;
  });
  window.addEventListener("pageshow", function () { leaving = false; });

  // A notice at the top of the project's content, with a button that reloads the page.
  function notice(id, text, buttonText) {
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "notice live-notice";
      box.setAttribute("role", "status");
      var p = document.createElement("p");
      p.className = "live-notice-text";
      box.appendChild(p);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.addEventListener("click", function () { window.location.reload(); });
      box.appendChild(button);
      var tabs = document.querySelector(".tabs");
      if (tabs && tabs.parentNode) tabs.parentNode.insertBefore(box, tabs.nextSibling);
      else (document.getElementById("main") || body).prepend(box);
    }
    box.querySelector(".live-notice-text").textContent = text;
    box.querySelector("button").textContent = buttonText;
    box.hidden = false;
    return box;
  }

  // --- the status page: the closure report when closing ---------------------------------------
  function closureFields() {
    var fields = document.getElementById("closure-fields");
    var form = document.getElementById("status-form");
    var select = form && form.querySelector("select[name=status]");
    if (!fields || !select) return;
    var closing = (fields.dataset.closingStatuses || "").split(" ");
    function update() {
      var hasError = !!fields.querySelector("[aria-invalid=true], .errorlist");
      var hasText = Array.prototype.some.call(
        fields.querySelectorAll("textarea"), function (t) { return t.value.trim() !== ""; });
      fields.hidden = closing.indexOf(select.value) === -1 && !hasError && !hasText;
    }
    select.addEventListener("change", update);
    update();
  }
  closureFields();

  // --- a project's pages ------------------------------------------------------------------------
  var projectId = body.dataset.project;
  if (projectId) {
    var path = window.location.pathname;
    var base = "/projects/" + projectId + "/";
    var showsUpdates = path === base || path === base + "updates/";

    // The page again, as this reader may see it now: an inside page they may no longer see
    // (a 404 once the project is restricted) gives way to the project's public face.
    var reloadAsAllowed = function () {
      fetch(window.location.href, { method: "HEAD", credentials: "same-origin" })
        .then(function (r) {
          if (r.status === 404) window.location.replace(base);
          else window.location.reload();
        })
        .catch(function () { window.location.reload(); });
    };

    document.addEventListener("sc:activity", function (event) {
      var a = event.detail || {};
      if (!a.target || a.target.type !== "projects.project" || String(a.target.id) !== String(projectId)) return;
      var p = a.payload || {};
      switch (a.verb) {
        case "project.restricted":
        case "project.opened":
          var what = a.verb === "project.restricted"
            ? actorName(a) + " restricted this project: only its members see inside now."
            : actorName(a) + " opened this project to everyone signed in.";
          if (typed) {
            notice("project-scope-notice", what + " Reload to see the page as it is for you now (copy what you typed first).", "Reload the page");
            announce(what);
          } else if (!leaving) {
            reloadAsAllowed();
          }
          break;
        case "project.status_changed":
          var badge = document.getElementById("project-status");
          var label = p.to_label || p.to || "";
          if (badge && label) {
            badge.textContent = label;
            badge.className = badge.className.replace(/\bstatus-\S+/g, "").trim() + " status-" + (p.to || "");
          }
          announce(actorName(a) + " changed the status to " + label + (p.reason ? ": " + p.reason : "."));
          break;
        case "update.posted":
          if (!showsUpdates) break;
          announce("New update from " + actorName(a) + ".");
          notice("project-update-notice", "New update from " + actorName(a) + ".", "Reload to read it");
          break;
      }
    });
  }

  // --- the portfolio ------------------------------------------------------------------------------
  var portfolioUrl = body.dataset.portfolio;
  if (portfolioUrl) {
    var VERBS = ["project.started", "project.status_changed", "project.restricted", "project.opened"];
    var changed = new Set();
    var box = document.getElementById("portfolio-changes");
    var button = document.getElementById("portfolio-refresh");
    var count = document.getElementById("portfolio-changed-count");
    var noun = document.getElementById("portfolio-changed-noun");
    var results = document.getElementById("portfolio-results");

    document.addEventListener("sc:activity", function (event) {
      var a = event.detail || {};
      if (!a.target || a.target.type !== "projects.project" || VERBS.indexOf(a.verb) === -1) return;
      var first = changed.size === 0;
      changed.add(String(a.target.id));
      if (!box || !count) return;
      count.textContent = changed.size;
      if (noun) noun.textContent = changed.size === 1 ? "project changed" : "projects changed";
      box.hidden = false;
      if (first) announce("Projects have changed. A button above the list shows them.");
    });

    if (button && results) button.addEventListener("click", function () {
      // The list as the filters ask for it now, from the top ("More projects" is not kept).
      var url = new URL(window.location.href);
      url.searchParams.delete("cursor");
      button.disabled = true;
      fetch(url.toString(), { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          results.innerHTML = html;
          changed.clear();
          box.hidden = true;
          if (window.htmx) window.htmx.process(results);
          var list = document.getElementById("project-list");
          if (list) {
            list.setAttribute("tabindex", "-1");
            list.focus();
          }
          announce("The list of projects is up to date.");
        })
        .catch(function () { window.location.reload(); })
        .finally(function () { button.disabled = false; });
    });
  }
})();
