/* Social Commons live client: one websocket per page, for the whole site.
 *
 * - Shows the connection state (live / reconnecting / offline) in #live-status.
 * - Remembers the id of the last activity seen; on every (re)connect it asks the server to
 *   replay what it missed, so a network drop or a server restart loses nothing.
 * - Inserts new feed items at the top of #activity-feed and announces them politely.
 * - Re-dispatches every activity as a "sc:activity" DOM event for pages that react to it.
 * Reconnects with exponential backoff and full jitter; asks for a replay now and then, so a
 * live event lost on the way still arrives.
 */
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.liveUrl;
  if (!url || !("WebSocket" in window)) return;

  var statusEl = document.getElementById("live-status");
  var feed = document.getElementById("activity-feed");
  var announcer = document.getElementById("live-announcer");
  var reloadNotice = document.getElementById("live-reload");
  var seen = new Set();
  var lastId = null;
  var helloLatest = null;
  var attempt = 0;
  var socket = null;
  var retryTimer = null;
  var liveCount = 0;   // live frames received on this connection, acknowledged to the server
  var ackedCount = 0;

  if (feed && feed.dataset.resumeAfter !== undefined) lastId = parseInt(feed.dataset.resumeAfter, 10);
  if (feed) feed.querySelectorAll("[data-activity-id]").forEach(function (el) {
    seen.add(parseInt(el.dataset.activityId, 10));
  });

  var labels = {
    connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…", offline: "Offline",
    signedout: "Signed out"
  };
  function setState(state) {
    if (!statusEl) return;
    statusEl.hidden = false;  // hidden in the page itself: without JavaScript there is no live state
    statusEl.dataset.state = state;
    statusEl.textContent = labels[state];
  }

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function insert(message) {
    if (!feed || !message.html) return;
    var template = document.createElement("template");
    template.innerHTML = message.html.trim();
    var item = template.content.firstElementChild;
    if (!item) return;
    item.classList.add("is-new");
    var empty = document.getElementById("feed-empty");
    if (empty) empty.remove();
    feed.insertBefore(item, feed.firstElementChild);
    announce("New activity: " + item.textContent.replace(/\s+/g, " ").trim());
  }

  // The bell: its unread count goes up live, once per notified activity.
  var bell = document.getElementById("bell");
  var bellCount = document.getElementById("bell-count");
  var notified = new Set();
  function setBell(n) {
    if (!bellCount || typeof n !== "number") return;
    bellCount.dataset.count = n;
    bellCount.textContent = n;
    if (bell) bell.setAttribute("aria-label", "Notifications, " + n + " unread");
    // The notifications page says the same number ("Unread only (n)").
    var pageCount = document.getElementById("unread-count");
    if (pageCount) pageCount.textContent = n;
  }
  function bump(activityId) {
    if (!bellCount || notified.has(activityId)) return;
    notified.add(activityId);
    setBell(parseInt(bellCount.dataset.count || "0", 10) + 1);
  }

  // Every item about the same thing shows its title as it is now: an edited title replaces
  // the old one, and a hidden item's title goes from the feed already on screen.
  function retitle(message) {
    if (!feed || !message.target) return;
    var key = message.target.type + ":" + message.target.id;
    feed.querySelectorAll(".activity").forEach(function (item) {
      if (item.dataset.target !== key) return;
      var title = item.querySelector(".activity-target");
      if (title && title.textContent !== message.target.title) title.textContent = message.target.title;
    });
  }

  function onActivity(message) {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    if (lastId === null || message.id > lastId) lastId = message.id;
    retitle(message);
    insert(message);
    document.dispatchEvent(new CustomEvent("sc:activity", { detail: message }));
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + url);
    socket.addEventListener("open", function () {
      attempt = 0;
      liveCount = 0;
      ackedCount = 0;
      setState("live");
      if (lastId !== null) socket.send(JSON.stringify({ type: "resume", after: lastId }));
      else if (body.dataset.renderedAt) {
        // No activity ids on this page: catch up on anything since it was rendered.
        socket.send(JSON.stringify({ type: "resume", since: parseFloat(body.dataset.renderedAt) }));
      }
    });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "activity") {
        liveCount += 1;
        onActivity(message);
        if (liveCount - ackedCount >= 20) ack();
      } else if (message.type === "notification") {
        liveCount += 1;
        bump(message.activity_id);
        if (liveCount - ackedCount >= 20) ack();
      } else if (message.type === "replay") {
        message.items.forEach(onActivity);
        if (lastId === null) lastId = helloLatest;
      }
      else if (message.type === "hello") {
        helloLatest = message.latest;
        if (lastId === null && !body.dataset.renderedAt) lastId = message.latest;
        setBell(message.unread);
      }
      else if (message.type === "reload" && reloadNotice) reloadNotice.hidden = false;
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      // 4401 not signed in, 4403 access revoked: final. 4409 this browser's session ended or
      // changed (a password change here cycles it): reconnect soon, and the server decides.
      // Anything else (4408 too slow, 4503 unavailable, a network drop): back off and retry.
      if (event.code === 4401 || event.code === 4403) { setState("signedout"); return; }
      if (event.code === 4409) attempt = 0;
      schedule();
    });
  }

  // Check for gaps now and then, and when the page comes back into view: the server fills
  // what its channel layer dropped, and this catches anything else (the replay is cheap and
  // deduplicated by id).
  function resume() {
    if (socket && socket.readyState === WebSocket.OPEN && lastId !== null) {
      socket.send(JSON.stringify({ type: "resume", after: lastId }));
    }
  }
  window.setInterval(resume, 60000 + Math.floor(Math.random() * 20000));
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") resume();
  });

  // Tell the server how many live frames arrived, so it can bound what a stalled reader has
  // outstanding (it disconnects one that falls too far behind; we then resume and catch up).
  function ack() {
    if (socket && socket.readyState === WebSocket.OPEN && liveCount > ackedCount) {
      socket.send(JSON.stringify({ type: "ack", count: liveCount }));
      ackedCount = liveCount;
    }
  }
  window.setInterval(ack, 5000);

  function schedule() {
    if (retryTimer) return;
    setState(navigator.onLine === false ? "offline" : "reconnecting");
    var ceiling = Math.min(30000, 500 * Math.pow(2, attempt));
    attempt += 1;
    var delay = Math.random() * ceiling + 250;
    retryTimer = window.setTimeout(function () { retryTimer = null; connect(); }, delay);
  }

  window.addEventListener("online", function () {
    if (socket === null) {
      if (retryTimer) { window.clearTimeout(retryTimer); retryTimer = null; }
      attempt = 0;
      connect();
    }
  });
  window.addEventListener("offline", function () {
    setState("offline");
    if (socket) socket.close();
  });

  setState("connecting");
  connect();
})();
