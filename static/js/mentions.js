/* @mentions: typing "@" and the start of a name in any text box offers people by name.
 *
 * - Asks /people/mention/suggestions/?q=… (JSON; names are data, put in the page as text,
 *   never as HTML) and shows a list of people under the text box.
 * - Keyboard: Down/Up move through the list, Enter or Tab chooses, Escape closes. The mouse
 *   works too. Focus stays in the text box throughout (aria-activedescendant points at the
 *   highlighted person) and a status message says how many were found.
 * - Choosing puts "@HandleOfThePerson " in place of what was typed: the handle the server
 *   gives, which is how mentions are found again when the text is posted (their display name
 *   without spaces), and what becomes a link to them when the text is shown.
 * Without JavaScript nothing changes: "@HannahMcKenzie" typed by hand works the same.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script && script.dataset.url;
  if (!endpoint || !window.fetch) return;

  // "@" at the start or after something that is not part of a word, then the name so far.
  var TYPED = /(^|[^\p{L}\p{N}_@])@([\p{L}\p{N}][\p{L}\p{N}.'\-]{0,40})$/u;
  var list = null;
  var status = null;
  var field = null;     // the text box the list belongs to
  var typed = null;     // {start, end} of "@Han" in it
  var people = [];
  var active = -1;
  var timer = null;
  var asked = 0;        // the latest request: older answers are ignored

  function build() {
    if (list) return;
    list = document.createElement("ul");
    list.id = "mention-suggestions";
    list.className = "mention-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    list.hidden = true;
    // Keep focus in the text box when a person is clicked.
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) choose(parseInt(option.dataset.index, 10));
    });
    status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    document.body.appendChild(status);
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function close() {
    if (timer) { window.clearTimeout(timer); timer = null; }
    asked += 1;
    people = [];
    active = -1;
    typed = null;
    if (list) { list.hidden = true; list.replaceChildren(); }
    if (field) field.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && options[index]) {
      field.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      field.removeAttribute("aria-activedescendant");
    }
  }

  function show(found) {
    build();
    people = found;
    active = -1;
    list.replaceChildren();
    found.forEach(function (person, i) {
      var option = document.createElement("li");
      option.id = "mention-option-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.index = String(i);
      var name = document.createElement("span");
      name.className = "mention-name";
      name.textContent = person.name;
      option.appendChild(name);
      var about = [person.role, person.organisation].filter(Boolean).join(", ");
      if (about) {
        var detail = document.createElement("span");
        detail.className = "mention-about";
        detail.textContent = " — " + about;
        option.appendChild(detail);
      }
      list.appendChild(option);
    });
    if (list.previousElementSibling !== field) field.insertAdjacentElement("afterend", list);
    field.setAttribute("aria-controls", list.id);
    list.hidden = found.length === 0;
    field.removeAttribute("aria-activedescendant");
    say(found.length === 0
      ? "No one found to mention."
      : found.length + (found.length === 1 ? " person" : " people") +
        " to mention. Use the up and down arrow keys, then Enter to choose.");
  }

  function look(box) {
    var caret = box.selectionStart;
    if (caret === null || caret !== box.selectionEnd) { close(); return; }
    var match = TYPED.exec(box.value.slice(Math.max(0, caret - 60), caret));
    if (!match) { close(); return; }
    field = box;
    typed = { start: caret - match[2].length - 1, end: caret };
    var query = match[2];
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      timer = null;
      var mine = ++asked;
      fetch(endpoint + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { people: [] }; })
        .then(function (data) {
          if (mine !== asked || field !== box || document.activeElement !== box) return;
          show((data.people || []).filter(function (p) { return p.handle; }));
        })
        .catch(function () { /* offline: typing by hand still works */ });
    }, 150);
  }

  function choose(index) {
    var person = people[index];
    if (!person || !field || !typed) return;
    var text = "@" + person.handle + " ";
    var value = field.value;
    field.value = value.slice(0, typed.start) + text + value.slice(typed.end);
    var caret = typed.start + text.length;
    field.setSelectionRange(caret, caret);
    say("Mentioned " + person.name + ".");
    close();
    field.focus();
  }

  function isTextBox(element) {
    return element instanceof HTMLTextAreaElement && !element.readOnly &&
      !element.hasAttribute("data-no-mentions");
  }

  document.addEventListener("input", function (event) {
    if (!isTextBox(event.target)) return;
    event.target.setAttribute("aria-autocomplete", "list");
    look(event.target);
  });

  document.addEventListener("keydown", function (event) {
    if (event.target !== field || !list || list.hidden || people.length === 0) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % people.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? people.length - 1 : active - 1);
    } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });

  // Moving the caret elsewhere, or leaving the box, closes the list.
  document.addEventListener("click", function (event) {
    if (event.target === field) look(field);
  });
  document.addEventListener("focusout", function (event) {
    if (event.target === field) close();
  });
})();
