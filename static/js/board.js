/* The project board (projects/board.html): moving cards, and keeping the board live.
 *
 * - Dragging: SortableJS (static/vendor/sortablejs), one group shared by every column. When a
 *   card is dropped somewhere new, the move is posted with the ids of its new neighbours and the
 *   card's version (data-version); the answer gives its new version and rank.
 * - The keyboard: on a focused card, Space or Enter picks it up; the Up and Down arrows move it
 *   within its column, Left and Right to the next column; Space or Enter drops it (the move is
 *   posted), Escape puts it back. Focus stays on the card and each step is announced in
 *   #board-announcer ("Moved to Doing, position 2 of 5").
 * - A refused move: a 409 says where the card really is (someone moved it first), so it goes
 *   there; any other refusal puts it back. The reason is announced and shown on the card
 *   (.card-conflict).
 * - Live (sc:activity from live.js, for this project): a card moved elsewhere moves here too, at
 *   its rank; an added or changed card is fetched from our own card URL as this reader may see it
 *   (never built from the frame's text); a deleted one goes; a change of columns reloads the
 *   board, or offers to when the reader is typing or holding a card. A change to the card the
 *   reader is holding or dragging waits until it is dropped (and is marked on it meanwhile).
 * - "Show more cards" loads the column's next cards in place (a plain link without JavaScript).
 */
(function () {
  "use strict";
  var body = document.body;
  var project = body.dataset.project;
  if (!document.getElementById("board") || !project) return;
  var announcer = document.getElementById("board-announcer");

  var held = null;      // a card picked up from the keyboard: {card, parent, next}
  var chosen = null;    // a card taken by the pointer: {card, parent, next}
  var dragging = false;
  var shifting = false; // the script itself is moving the focused card
  var pending = {};     // task id → a live change that waits until the card is let go
  var sortables = [];

  function board() { return document.getElementById("board"); }
  function canMove() { var b = board(); return !!b && b.dataset.canMove === "true"; }
  function boardUrl() { return board().dataset.boardUrl; }

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function actorName(a) { return (a.actor && a.actor.name) || "Someone"; }

  function csrfToken() {
    var input = document.querySelector("#board input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // --- the board's parts -----------------------------------------------------------------------

  function isCard(el) { return !!el && el.nodeType === 1 && el.classList.contains("card"); }
  function cardsOf(list) { return Array.prototype.filter.call(list.children, isCard); }
  function lists() { return Array.prototype.slice.call(document.querySelectorAll("#board ol.cards[data-column]")); }
  function listFor(columnId) { return document.querySelector('#board ol.cards[data-column="' + columnId + '"]'); }
  function columnName(list) { return list.getAttribute("aria-label") || "the column"; }
  function titleOf(card) {
    var title = card.querySelector(".card-title");
    return title ? title.textContent.replace(/\s+/g, " ").trim() : "the card";
  }
  function total(list) { return parseInt(list.dataset.total, 10) || 0; }
  function moreLink(list) {
    return document.querySelector("#column-more-" + list.dataset.column + " a.more-cards");
  }
  // Cards of this column that are not loaded yet ("Show more cards").
  function hasMore(list) { return !!moreLink(list); }

  function positionText(card) {
    var list = card.parentNode;
    var cards = cardsOf(list);
    return columnName(list) + ", position " + (cards.indexOf(card) + 1) + " of " +
      Math.max(total(list), cards.length);
  }

  function refreshCounts(list) {
    var n = total(list);
    var count = document.getElementById("column-" + list.dataset.column + "-count");
    if (count) count.textContent = n + (n === 1 ? " card" : " cards");
    var link = moreLink(list);
    if (link && link.firstChild && link.firstChild.nodeType === 3) {
      var left = n - cardsOf(list).length;
      link.firstChild.nodeValue = "Show more cards" + (left > 0 ? " (" + left + " more)" : "");
    }
    var all = 0;
    lists().forEach(function (l) { all += total(l); });
    var boardCount = document.querySelector("#board .board-count");
    if (boardCount) boardCount.textContent = all + (all === 1 ? " card" : " cards");
  }

  function addToTotal(list, delta) {
    list.dataset.total = Math.max(0, total(list) + delta);
    refreshCounts(list);
  }

  // Put a card into a list before ``before`` (null: at the end), keeping the counts right.
  function relocate(card, list, before) {
    var from = card.parentNode;
    if (before && before.parentNode !== list) before = null;
    list.insertBefore(card, before || null);
    if (from !== list) {
      if (from && from.matches && from.matches("ol.cards[data-column]")) addToTotal(from, -1);
      addToTotal(list, 1);
    } else {
      refreshCounts(list);
    }
  }

  // Put a card where its rank says. A rank past every card shown, in a column with more cards
  // not loaded yet, belongs to the part not shown: the card leaves the page (``keep`` puts it at
  // the end of what is shown instead). Returns whether the card is on the page.
  function placeByRank(card, list, keep) {
    var rank = card.dataset.rank;
    var before = null;
    var others = cardsOf(list);
    for (var i = 0; i < others.length; i++) {
      if (others[i] !== card && others[i].dataset.rank > rank) { before = others[i]; break; }
    }
    if (!before && !keep && hasMore(list)) {
      var from = card.parentNode;
      if (from) from.removeChild(card);
      if (from !== list) {
        if (from && from.matches && from.matches("ol.cards[data-column]")) addToTotal(from, -1);
        addToTotal(list, 1);
      } else {
        refreshCounts(list);
      }
      return false;
    }
    relocate(card, list, before);
    return true;
  }

  function withFocus(card, move) {
    var hadFocus = document.activeElement === card;
    shifting = true;
    try { move(); } finally { shifting = false; }
    if (hadFocus && card.isConnected) card.focus();
  }

  function showConflict(card, message) {
    var box = card.querySelector(".card-conflict");
    if (!box) {
      box = document.createElement("p");
      box.className = "card-conflict";
      card.appendChild(box);
    }
    box.textContent = message;
  }

  function clearConflict(card) {
    var box = card.querySelector(".card-conflict");
    if (box) box.remove();
  }

  function busy(card) {
    return (held && held.card === card) || (chosen && chosen.card === card && dragging) ||
      card.classList.contains("is-saving");
  }

  function flushPending(card) {
    var id = card.dataset.task;
    var activity = pending[id];
    if (!activity) return;
    delete pending[id];
    handle(activity);
  }

  // --- posting a move --------------------------------------------------------------------------

  function putBack(card, origin) {
    withFocus(card, function () {
      if (origin.next && origin.next.parentNode === origin.parent) relocate(card, origin.parent, origin.next);
      else if (!origin.next) relocate(card, origin.parent, null);
      else placeByRank(card, origin.parent, true);
    });
  }

  function postMove(card, origin, how) {
    var list = card.parentNode;
    var prev = card.previousElementSibling;
    var next = card.nextElementSibling;
    var data = new URLSearchParams();
    data.set("version", card.dataset.version);
    data.set("column", list.dataset.column);
    data.set("after", isCard(prev) ? prev.dataset.task : "");
    data.set("before", isCard(next) ? next.dataset.task : "");
    clearConflict(card);
    card.classList.add("is-saving");
    card.setAttribute("aria-busy", "true");
    function done() {
      card.classList.remove("is-saving");
      card.removeAttribute("aria-busy");
    }
    function refused(message) {
      showConflict(card, message);
      announce(message);
    }
    return fetch(boardUrl() + "tasks/" + card.dataset.task + "/move/", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": csrfToken()
      },
      body: data.toString()
    }).then(function (response) {
      return response.json().then(
        function (answer) { return { status: response.status, answer: answer }; },
        function () { return { status: response.status, answer: null }; });
    }).then(function (result) {
      done();
      var answer = result.answer;
      if (result.status === 200 && answer && answer.ok) {
        card.dataset.version = answer.version;
        card.dataset.rank = answer.rank;
        announce((how === "keyboard" ? "Dropped " : "Moved ") + titleOf(card) + ": " +
          positionText(card) + ". Saved.");
        flushPending(card);
        return;
      }
      var message = (answer && answer.message) ||
        "The move was not saved (the server answered " + result.status + "). Reload the page and try again.";
      if (answer && answer.column_id) {
        // Where the card really is (a 409: someone moved or changed it first).
        card.dataset.version = answer.version;
        card.dataset.rank = answer.rank;
        var target = listFor(answer.column_id);
        var shown = false;
        if (target) withFocus(card, function () { shown = placeByRank(card, target, false); });
        if (!shown) {
          if (card.parentNode) card.parentNode.removeChild(card);
          message += " It is further down its column now: use “Show more cards” to see it.";
        }
        delete pending[card.dataset.task];
        refused(message);
      } else {
        putBack(card, origin);
        refused(message);
        flushPending(card);
      }
    }).catch(function () {
      done();
      putBack(card, origin);
      refused("The move was not saved: the connection failed. Try again.");
      flushPending(card);
    });
  }

  // --- the keyboard ----------------------------------------------------------------------------

  function pickUp(card) {
    held = { card: card, parent: card.parentNode, next: card.nextElementSibling };
    clearConflict(card);
    card.classList.add("is-held");
    var badge = document.createElement("span");
    badge.className = "held-badge";
    badge.textContent = "Picked up";
    card.insertBefore(badge, card.firstChild);
    announce("Picked up " + titleOf(card) + ". Use arrow keys to move, Space to drop, Escape to cancel.");
  }

  function letGo(card) {
    card.classList.remove("is-held");
    var badge = card.querySelector(".held-badge");
    if (badge) badge.remove();
    var origin = held;
    held = null;
    return origin;
  }

  function step(card, direction) {
    var list = card.parentNode;
    var cards = cardsOf(list);
    var i = cards.indexOf(card) + direction;
    if (i < 0) { announce("Already at the top of " + columnName(list) + "."); return; }
    if (i >= cards.length) {
      announce("Already at the bottom of " + columnName(list) +
        (hasMore(list) ? " as far as it is shown: show more cards to go further." : "."));
      return;
    }
    withFocus(card, function () {
      relocate(card, list, direction < 0 ? cards[i] : cards[i].nextElementSibling);
    });
    announce("Moved to " + positionText(card));
  }

  function hop(card, direction) {
    var all = lists();
    var list = card.parentNode;
    var target = all[all.indexOf(list) + direction];
    if (!target) {
      announce(direction < 0 ? "There is no column to the left." : "There is no column to the right.");
      return;
    }
    var index = cardsOf(list).indexOf(card);
    var there = cardsOf(target);
    withFocus(card, function () { relocate(card, target, there[Math.min(index, there.length)] || null); });
    announce("Moved to " + positionText(card));
  }

  function drop(card) {
    var origin = letGo(card);
    if (card.parentNode === origin.parent && card.nextElementSibling === origin.next) {
      announce("Dropped " + titleOf(card) + ". It did not move.");
      flushPending(card);
      return;
    }
    postMove(card, origin, "keyboard");
  }

  function cancel(card) {
    var origin = letGo(card);
    putBack(card, origin);
    announce("Move cancelled. " + titleOf(card) + " is back in " + positionText(card) + ".");
    flushPending(card);
  }

  document.addEventListener("keydown", function (event) {
    var card = event.target;
    if (!isCard(card) || !canMove() || !card.closest("#board ol.cards")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    if (!held) {
      if (key === " " || key === "Enter" || key === "Spacebar") {
        event.preventDefault();
        pickUp(card);
      }
      return;
    }
    if (held.card !== card) return;
    switch (key) {
      case "ArrowUp": case "Up": event.preventDefault(); step(card, -1); break;
      case "ArrowDown": case "Down": event.preventDefault(); step(card, 1); break;
      case "ArrowLeft": case "Left": event.preventDefault(); hop(card, -1); break;
      case "ArrowRight": case "Right": event.preventDefault(); hop(card, 1); break;
      case " ": case "Enter": case "Spacebar": event.preventDefault(); drop(card); break;
      case "Escape": case "Esc": event.preventDefault(); cancel(card); break;
    }
  });

  // Leaving a held card (Tab, a click elsewhere) puts it back.
  document.addEventListener("focusout", function (event) {
    if (held && event.target === held.card && !shifting) cancel(held.card);
  });

  // --- dragging --------------------------------------------------------------------------------

  function startSortable() {
    sortables.forEach(function (s) { s.destroy(); });
    sortables = [];
    if (!canMove() || !window.Sortable) return;
    lists().forEach(function (list) {
      sortables.push(window.Sortable.create(list, {
        group: "board-" + project,
        draggable: ".card",
        animation: 150,
        delay: 200,
        delayOnTouchOnly: true,
        ghostClass: "sortable-ghost",
        chosenClass: "sortable-chosen",
        onChoose: function (evt) {
          if (held && held.card !== evt.item) cancel(held.card);
          chosen = { card: evt.item, parent: evt.from, next: evt.item.nextElementSibling };
        },
        onStart: function () { dragging = true; },
        onEnd: function (evt) {
          var card = evt.item;
          var origin = chosen && chosen.card === card ? chosen : null;
          dragging = false;
          chosen = null;
          if (evt.from !== evt.to) { addToTotal(evt.from, -1); addToTotal(evt.to, 1); }
          if (!origin || (evt.from === evt.to && evt.oldIndex === evt.newIndex) ||
              (card.parentNode === origin.parent && card.nextElementSibling === origin.next)) {
            flushPending(card);
            return;
          }
          postMove(card, origin, "drag");
        }
      }));
    });
  }

  // --- live ------------------------------------------------------------------------------------

  function fetchCard(id) {
    return fetch(boardUrl() + "tasks/" + id + "/card/", {
      credentials: "same-origin", headers: { "HX-Request": "true" }
    }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
      if (!html) return null;
      var t = document.createElement("template");
      t.innerHTML = html.trim();  // our own server-rendered card, as this reader may see it
      var card = t.content.firstElementChild;
      return isCard(card) ? card : null;
    }).catch(function () { return null; });
  }

  function beyondShown(list, rank) {
    if (!hasMore(list)) return false;
    return cardsOf(list).every(function (c) { return c.dataset.rank < rank; });
  }

  // A change to a card the reader holds, drags or is saving waits until it is let go; a held or
  // dragged card says so meanwhile (a card only being saved is most likely the reader's own).
  function waitFor(card, activity, note) {
    pending[card.dataset.task] = activity;
    if (note && !card.classList.contains("is-saving")) showConflict(card, note);
  }

  function liveMove(a, p) {
    var card = document.getElementById("task-" + p.task_id);
    var list = listFor(p.column_id);
    if (card && (parseInt(card.dataset.version, 10) || 0) >= p.version) return;  // already here
    if (card && busy(card)) {
      waitFor(card, a, actorName(a) + " moved this card meanwhile: when you let it go, it goes where they put it.");
      return;
    }
    var from = listFor(p.from_column_id);
    if (!card) {
      // Not shown here (further down a column): it may come into view where it lands.
      if (from && from !== list) addToTotal(from, -1);
      if (!list) return;
      if (beyondShown(list, p.rank)) {
        addToTotal(list, 1);
        announce(actorName(a) + " moved a card to " + columnName(list) + ".");
        return;
      }
      fetchCard(p.task_id).then(function (fresh) {
        if (!fresh || document.getElementById(fresh.id)) { addToTotal(list, 1); return; }
        fresh.classList.add("is-new");
        placeByRank(fresh, list, false);
        announce(actorName(a) + " moved " + titleOf(fresh) + " to " + columnName(list) + ".");
      });
      return;
    }
    var title = titleOf(card);
    card.dataset.version = p.version;
    card.dataset.rank = p.rank;
    if (!list) {  // a column this page does not have: the board changed
      var old = card.parentNode;
      card.remove();
      if (old) addToTotal(old, -1);
      return;
    }
    clearConflict(card);
    withFocus(card, function () { placeByRank(card, list, false); });
    announce(actorName(a) + " moved " + title + " to " + columnName(list) + ".");
  }

  function liveCard(a, p, created) {
    var card = document.getElementById("task-" + p.task_id);
    var list = listFor(p.column_id);
    if (created ? card : !card) return;  // already shown / not shown here
    if (card && typeof p.version === "number" && (parseInt(card.dataset.version, 10) || 0) >= p.version) return;
    if (card && busy(card)) { waitFor(card, a, actorName(a) + " changed this card meanwhile."); return; }
    if (created && list && beyondShown(list, p.rank)) {
      addToTotal(list, 1);
      announce(actorName(a) + " added a card to " + columnName(list) + ".");
      return;
    }
    if (created && !list) return;
    fetchCard(p.task_id).then(function (fresh) {
      if (!fresh) return;
      var current = document.getElementById(fresh.id);
      if (current && busy(current)) { waitFor(current, a); return; }
      if (current) {
        var hadFocus = current.contains(document.activeElement);
        var focusedCard = document.activeElement === current;
        shifting = true;
        current.replaceWith(fresh);
        shifting = false;
        refreshCounts(fresh.parentNode);
        if (hadFocus) (focusedCard ? fresh : (fresh.querySelector("a") || fresh)).focus();
        announce(actorName(a) + " changed " + titleOf(fresh) + ".");
      } else if (created) {
        fresh.classList.add("is-new");
        placeByRank(fresh, list, false);
        announce(actorName(a) + " added " + titleOf(fresh) + " to " + columnName(list) + ".");
      }
    });
  }

  function liveDelete(a, p) {
    var card = document.getElementById("task-" + p.task_id);
    if (!card) {
      var list = listFor(p.column_id);
      if (list) addToTotal(list, -1);
      return;
    }
    if (held && held.card === card) letGo(card);
    delete pending[p.task_id];
    var from = card.parentNode;
    var title = titleOf(card);
    var neighbour = card.nextElementSibling || card.previousElementSibling;
    var hadFocus = card.contains(document.activeElement);
    card.remove();
    if (from) addToTotal(from, -1);
    if (hadFocus) {
      var heading = from && document.getElementById("column-" + from.dataset.column + "-name");
      var next = isCard(neighbour) ? neighbour : heading;
      if (next) {
        if (!next.hasAttribute("tabindex")) next.setAttribute("tabindex", "-1");
        next.focus();
      }
    }
    announce(actorName(a) + " deleted " + title + ".");
  }

  // --- the columns changed: the board again ----------------------------------------------------

  function typing() {
    return Array.prototype.some.call(
      document.querySelectorAll("#board input, #board textarea"),
      function (f) {
        if (f.type === "hidden") return false;
        if (f.type === "checkbox" || f.type === "radio") return f.checked !== f.defaultChecked;
        return f.value !== f.defaultValue;
      });
  }

  function reloadBoard() {
    var notice = document.getElementById("board-reload");
    return fetch(boardUrl(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");  // our own board page
        var fresh = doc.getElementById("board");
        var current = board();
        if (!fresh || !current) return;
        if (notice) notice.remove();
        var replace = function () { current.replaceWith(document.adoptNode(fresh)); };
        var sc = window.SocialCommons;
        if (sc && sc.keepFocus) sc.keepFocus(current, replace); else replace();
        held = null;
        chosen = null;
        pending = {};
        startSortable();
      })
      .catch(function () { window.location.reload(); });
  }

  function offerReload(text) {
    var box = document.getElementById("board-reload");
    if (!box) {
      box = document.createElement("div");
      box.id = "board-reload";
      box.className = "notice board-notice";
      box.setAttribute("role", "status");
      var words = document.createElement("span");
      words.className = "board-notice-text";
      box.appendChild(words);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = "Show the board as it is now";
      button.addEventListener("click", reloadBoard);
      box.appendChild(button);
      board().parentNode.insertBefore(box, board());
    }
    box.querySelector(".board-notice-text").textContent = text;
  }

  function boardChanged(a) {
    var text = actorName(a) + " changed the board's columns.";
    if (held || dragging || typing() || document.querySelector("#board .is-saving")) {
      offerReload(text + " What you are doing here is kept until you choose to see the new board.");
      return;
    }
    reloadBoard().then(function () { announce(text + " The board shows them now."); });
  }

  function handle(a) {
    var p = a.payload || {};
    switch (a.verb) {
      case "task.moved": liveMove(a, p); break;
      case "task.created": liveCard(a, p, true); break;
      case "task.edited": liveCard(a, p, false); break;
      case "task.deleted": liveDelete(a, p); break;
      case "board.changed": boardChanged(a); break;
    }
  }

  document.addEventListener("sc:activity", function (event) {
    var a = event.detail;
    if (!a || !a.target || a.target.type !== "projects.project") return;
    if (String(a.target.id) !== String(document.body.dataset.project)) return;
    if (!board()) return;
    handle(a);
  });

  // --- "Show more cards" -----------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("#board a.more-cards") : null;
    if (!link) return;
    var list = listFor(link.dataset.column);
    if (!list) return;
    event.preventDefault();
    var shown = cardsOf(list);
    var last = shown[shown.length - 1];
    var url = new URL(link.href, window.location.href);
    if (last) url.searchParams.set("after", last.dataset.task);
    url.searchParams.set("left", String(Math.max(total(list) - shown.length, 0)));
    link.setAttribute("aria-busy", "true");
    fetch(url.toString(), { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var t = document.createElement("template");
        t.innerHTML = html.trim();  // our own server-rendered cards
        var first = null;
        var added = 0;
        Array.prototype.forEach.call(t.content.querySelectorAll("li.card"), function (card) {
          if (document.getElementById(card.id)) return;  // moved here live meanwhile
          list.appendChild(card);
          first = first || card;
          added += 1;
        });
        var more = t.content.querySelector(".column-more");
        var current = document.getElementById("column-more-" + list.dataset.column);
        if (more && current) current.replaceWith(more);
        refreshCounts(list);
        var focus = first || (more && more.querySelector("a"));
        if (focus) {
          if (!focus.hasAttribute("tabindex") && !focus.matches("a")) focus.setAttribute("tabindex", "-1");
          focus.focus();
        }
        announce(added + (added === 1 ? " more card" : " more cards") + " shown in " + columnName(list) + ".");
      })
      .catch(function () { window.location.href = link.href; });
  });

  startSortable();
})();
