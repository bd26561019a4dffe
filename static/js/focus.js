/* Focus stays with the person when part of the page is replaced (design §6, WCAG 2.4.3).
 *
 * Before an htmx swap we note whether focus is inside the part being replaced (or on the
 * element that made the request). If the swap took the focused element away, focus goes to:
 *   1. the first new element, when the trigger asks with data-focus-after-swap="first-new"
 *      ("More comments" goes to the first comment it loaded, not to the next "More" link);
 *   2. the new element with the same id (htmx does this one itself, before we look);
 *   3. the new element with the same role and accessible name (a button redrawn as it was);
 *   4. the first focusable element of the new content, else the new content itself.
 * Focus that is still somewhere on the page is never moved. Elements that are not focusable by
 * nature get tabindex="-1" (focusable by script, not a tab stop).
 *
 * The live scripts replace parts of pages too (a comment edited elsewhere, the dashboard's
 * figures): window.SocialCommons.keepFocus(part, replace) does the same around their changes.
 *
 * Arriving at an address with a #fragment (the comment just posted, "Every stuck idea") moves
 * focus to that part as well, so reading and tabbing continue from where the page scrolled to.
 */
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

  function visible(el) { return el.getClientRects().length > 0; }

  function roleOf(el) {
    var role = el.getAttribute("role");
    if (role) return role;
    var tag = el.tagName.toLowerCase();
    if (tag === "a" && el.hasAttribute("href")) return "link";
    if (tag === "button" || (tag === "input" && /^(submit|button|reset)$/.test(el.type))) return "button";
    return tag;
  }

  function nameOf(el) {
    return (el.getAttribute("aria-label") || el.textContent || el.value || "").replace(/\s+/g, " ").trim();
  }

  function focusOn(el) {
    if (!el.matches(FOCUSABLE) && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
    el.focus();
  }

  function lost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  // What was focused, and where the part about to be replaced sits (to find what replaced it).
  function remember(part, active, trigger) {
    return {
      part: part,
      parent: part.parentNode,
      before: part.previousSibling,
      after: part.nextSibling,
      active: active,
      id: active.id,
      role: roleOf(active),
      name: nameOf(active),
      firstNew: !!(trigger && trigger.closest && trigger.closest("[data-focus-after-swap='first-new']"))
    };
  }

  // The elements that now stand where the part was: its new children when it is still in the
  // page (an inner swap), else its new siblings between the old neighbours (an outer swap).
  function replacement(m) {
    if (m.part.isConnected) return [m.part];
    var nodes = [];
    var node = m.before && m.before.parentNode === m.parent ? m.before.nextSibling : m.parent.firstChild;
    for (; node && node !== m.after; node = node.nextSibling) {
      if (node.nodeType === 1) nodes.push(node);
    }
    return nodes;
  }

  function within(nodes, selector) {
    var found = [];
    nodes.forEach(function (node) {
      if (node.matches(selector)) found.push(node);
      found.push.apply(found, node.querySelectorAll(selector));
    });
    return found.filter(visible);
  }

  function restore(m) {
    if (!m || m.active.isConnected || !lost()) return;
    var nodes = replacement(m);
    if (m.firstNew) {
      var first = m.part.isConnected ? m.part.firstElementChild : nodes[0];
      if (first) return focusOn(first);
    }
    if (m.id) {
      var same = document.getElementById(m.id);
      if (same && visible(same)) return focusOn(same);
    }
    var focusable = within(nodes, FOCUSABLE);
    for (var i = 0; i < focusable.length; i++) {
      if (roleOf(focusable[i]) === m.role && nameOf(focusable[i]) === m.name) return focusOn(focusable[i]);
    }
    if (focusable.length) return focusOn(focusable[0]);
    if (nodes.length) return focusOn(nodes[0]);
    // Nothing came back: the element just before the part, else the part's container.
    var near = m.before && m.before.nodeType === 1 && m.before.isConnected ? m.before : m.parent;
    if (near && near.isConnected && near !== document.body) focusOn(near);
  }

  // --- htmx -------------------------------------------------------------------------------
  var pending = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    pending = null;
    var d = event.detail;
    // htmx fires this on the target (detail.elt is the target too); who asked is requestConfig.elt.
    var trigger = d.requestConfig && d.requestConfig.elt;
    var active = document.activeElement;
    if (!d.shouldSwap || !d.target || !active || active === document.body) return;
    if (!d.target.contains(active) && active !== trigger) return;
    pending = remember(d.target, active, trigger);
  });
  function settle() {
    // Still where it was: the swap has not happened yet (or did not touch it). Wait.
    if (!pending || pending.active.isConnected) return;
    var m = pending;
    pending = null;
    restore(m);
  }
  // After settling, not right after the swap: htmx enables the new content's hx- attributes in
  // its settle step, and a key pressed on a control focused before that would submit its form
  // the old way (a full page load).
  document.addEventListener("htmx:afterSettle", settle);
  // After a swap that put nothing in (no afterSwap then); htmx fires this on a connected element.
  document.addEventListener("htmx:afterOnLoad", settle);

  // --- the live scripts -------------------------------------------------------------------
  window.SocialCommons = window.SocialCommons || {};
  window.SocialCommons.keepFocus = function (part, replace) {
    var active = document.activeElement;
    var m = active && active !== document.body && part.contains(active) ? remember(part, active, null) : null;
    replace();
    restore(m);
  };

  // --- arriving at #fragment --------------------------------------------------------------
  function arrive() {
    var id = window.location.hash.slice(1);
    if (!id || !lost()) return;
    var target;
    try { target = document.getElementById(decodeURIComponent(id)); } catch (e) { return; }
    if (target && visible(target)) {
      if (!target.matches(FOCUSABLE) && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
    }
  }
  arrive();
})();
