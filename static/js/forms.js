/* Forms: error summaries, suggestions while typing, and drafts that survive Back.
 *
 * - An error summary ([data-error-summary], templates/_error_summary.html) takes focus when the
 *   page loads or an htmx swap brings one in; its links take focus to their field.
 * - An input with data-suggest="<url>" becomes an ARIA 1.2 combobox: as the person types, the
 *   url is asked (?q=<the field's text>) for {"suggestions": [{value, label, detail}]}, shown as
 *   a listbox under it (arrow keys, Enter, Escape, or the mouse). With data-suggest-multiple the
 *   field holds comma-separated values and the suggestions are for the one after the last comma.
 *   Without JavaScript the field is a plain text input that the server reads as typed.
 * - A form with data-draft keeps what was typed in sessionStorage and puts it back into empty
 *   fields when the page is shown again (Back from a suggested idea), until it is submitted.
 */
(function () {
  "use strict";

  // --- error summaries ---------------------------------------------------------------------

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]:not([data-focused])");
    if (!summary) return;
    summary.setAttribute("data-focused", "");
    summary.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    var field = target.matches("input, select, textarea, button")
      ? target
      : target.querySelector("input, select, textarea, button");
    if (!field) return;
    event.preventDefault();
    // Show the question (its label or legend) with the field, then put the cursor in it.
    var group = target.closest("fieldset, div") || target;
    group.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  // --- suggestions while typing ------------------------------------------------------------

  var STATUS_DELAY = 500;

  function Suggest(input) {
    var url = input.getAttribute("data-suggest");
    var multiple = input.hasAttribute("data-suggest-multiple");
    var exclude = input.getAttribute("data-suggest-exclude");
    var listId = input.id + "-suggestions";
    var items = [];
    var active = -1;
    var timer = null;
    var statusTimer = null;
    var request = null;
    var picking = false;

    input.removeAttribute("list"); // a datalist served people without JavaScript
    var wrap = document.createElement("span");
    wrap.className = "suggest";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    // Named plainly: the field's own label stays the only thing called by it.
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    wrap.appendChild(list);
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    wrap.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function typed() {
      var value = input.value;
      return multiple ? value.slice(value.lastIndexOf(",") + 1).trim() : value.trim();
    }

    function say(text) {
      window.clearTimeout(statusTimer);
      statusTimer = window.setTimeout(function () { status.textContent = text; }, STATUS_DELAY);
    }

    function close() {
      items = [];
      active = -1;
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function show(suggestions) {
      close();
      items = suggestions;
      suggestions.forEach(function (s, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = s.label;
        if (s.detail) {
          var detail = document.createElement("span");
          detail.className = "suggestion-detail";
          detail.textContent = " — " + s.detail;
          option.appendChild(detail);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          pick(i);
        });
        list.appendChild(option);
      });
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        say(suggestions.length + (suggestions.length === 1 ? " suggestion" : " suggestions") +
          ": use the up and down arrow keys, then Enter to choose.");
      } else {
        say(typed() ? "No suggestions." : "");
      }
    }

    function pick(index) {
      var s = items[index];
      if (!s) return;
      if (multiple) {
        var before = input.value.slice(0, input.value.lastIndexOf(",") + 1);
        var kept = before.split(",").map(function (v) { return v.trim(); }).filter(Boolean);
        kept.push(s.value);
        input.value = kept.join(", ") + ", ";
      } else {
        input.value = s.value;
      }
      close();
      say((s.label || s.value) + " chosen.");
      picking = true;
      input.dispatchEvent(new Event("input", { bubbles: true })); // drafts see it too
      picking = false;
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }

    function ask() {
      var query = typed();
      if (!query) { close(); return; }
      if (request) request.abort();
      request = new AbortController();
      var params = new URLSearchParams({ q: multiple ? input.value : query });
      if (exclude) params.set("exclude", exclude);
      fetch(url + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: request.signal,
      })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          if (document.activeElement === input) show(data.suggestions || []);
        })
        .catch(function () { /* aborted, or offline: no suggestions */ });
    }

    input.addEventListener("input", function () {
      if (picking) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) highlight(active + 1); else ask();
      } else if (event.key === "ArrowUp") {
        if (open) { event.preventDefault(); highlight(active - 1); }
      } else if (event.key === "Enter") {
        if (open && active >= 0) { event.preventDefault(); pick(active); }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(function () { if (document.activeElement !== input) close(); }, 150);
    });
  }

  // --- drafts ------------------------------------------------------------------------------

  function draftKey(form) {
    return "draft:" + window.location.pathname + ":" + (form.id || "form");
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "hidden" &&
        el.type !== "submit" && el.type !== "button" && el.type !== "file";
    });
  }

  function saveDraft(form) {
    var draft = {};
    draftFields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (!draft[el.name]) draft[el.name] = [];
        if (el.checked) draft[el.name].push(el.value);
      } else {
        draft[el.name] = el.value;
      }
    });
    try { window.sessionStorage.setItem(draftKey(form), JSON.stringify(draft)); } catch (e) { /* full or off */ }
  }

  function restoreDraft(form) {
    var draft;
    try { draft = JSON.parse(window.sessionStorage.getItem(draftKey(form)) || "null"); } catch (e) { draft = null; }
    if (!draft) return;
    var groupsTouched = {};
    draftFields(form).forEach(function (el) {
      if (!(el.name in draft)) return;
      var saved = draft[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        // Only a group the page left untouched (nothing chosen) gets the draft's choices.
        if (!(el.name in groupsTouched)) {
          groupsTouched[el.name] = Array.prototype.some.call(
            form.querySelectorAll("[name='" + el.name + "']"), function (o) { return o.checked; });
        }
        if (!groupsTouched[el.name]) el.checked = saved.indexOf(el.value) !== -1;
      } else if (!el.value && saved) {
        el.value = saved;
      }
    });
  }

  function setUpDraft(form) {
    restoreDraft(form);
    // A title put back (by the draft, or by the browser itself) asks for similar ideas again:
    // htmx listens for "input".
    form.querySelectorAll("input[hx-get]").forEach(function (el) {
      if (el.value) el.dispatchEvent(new Event("input", { bubbles: true }));
    });
    form.addEventListener("input", function () { saveDraft(form); });
    form.addEventListener("change", function () { saveDraft(form); });
    form.addEventListener("submit", function () {
      try { window.sessionStorage.removeItem(draftKey(form)); } catch (e) { /* off */ }
    });
  }

  // --- start -------------------------------------------------------------------------------

  function setUp(root) {
    root.querySelectorAll("input[data-suggest]:not([role=combobox])").forEach(Suggest);
  }

  function drafts() {
    document.querySelectorAll("form[data-draft]").forEach(setUpDraft);
  }

  // A deferred script: the page is parsed; the error summary takes focus at once.
  setUp(document);
  focusSummary();
  // Drafts once htmx has set up the page (on DOMContentLoaded, after this listener: hence the
  // timeout), so that a restored title asks for similar ideas.
  if (document.readyState === "complete") drafts();
  else document.addEventListener("DOMContentLoaded", function () { window.setTimeout(drafts, 0); });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) document.querySelectorAll("form[data-draft]").forEach(restoreDraft);
  });
  document.addEventListener("htmx:afterSwap", function () {
    setUp(document);
    focusSummary();
  });
})();
