/* The header's menu on narrow screens: the disclosure pattern, as GOV.UK Frontend's header does it.
 *
 * Without JavaScript the button stays hidden and the navigation simply wraps under the brand.
 * With it, below the breakpoint in site.css (.nav.has-menu), the links wait behind a real
 * <button aria-expanded aria-controls>; Enter or Space toggles it, Escape closes it and brings
 * focus back to the button. On a wide screen the button is not shown and the links always are.
 */
(function () {
  "use strict";
  var button = document.getElementById("menu-button");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;

  function isOpen() { return button.getAttribute("aria-expanded") === "true"; }
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }

  button.closest(".nav").classList.add("has-menu");
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () { setOpen(!isOpen()); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !isOpen()) return;
    var inside = menu.contains(document.activeElement) || document.activeElement === button;
    setOpen(false);
    if (inside) button.focus();
  });
})();
