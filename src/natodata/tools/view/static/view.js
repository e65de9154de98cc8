/* natodata view: show a span's row on hover and focus; on click or Enter, open it in
   Datasette (when served) or keep it in the panel. No framework, no network. */
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var pinned = document.getElementById("pinned");
  if (!tip || !pinned) return;
  var shown = null;

  function spanOf(node) {
    return node && node.closest ? node.closest("[data-row]") : null;
  }
  function copy(into, el) {
    var row = document.getElementById(el.getAttribute("data-row"));
    if (!row) return false;
    into.replaceChildren.apply(into, Array.prototype.map.call(row.childNodes, function (n) { return n.cloneNode(true); }));
    return true;
  }
  function show(el) {
    if (!copy(tip, el)) return;
    shown = el;
    tip.hidden = false;
    var r = el.getBoundingClientRect();
    var left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.left = left + "px";
    /* below the span, or above it where the window has no room below */
    var above = r.bottom + 6 + tip.offsetHeight > window.innerHeight && r.top - 6 - tip.offsetHeight >= 0;
    tip.style.top = (window.scrollY + (above ? r.top - 6 - tip.offsetHeight : r.bottom + 6)) + "px";
  }
  function hide() {
    tip.hidden = true;
    shown = null;
  }
  function activate(el) {
    var href = el.getAttribute("data-href");
    if (href) {
      window.location.href = href;
      return;
    }
    var old = document.querySelector(".active");
    if (old) old.classList.remove("active");
    if (copy(pinned, el)) el.classList.add("active");
  }

  document.addEventListener("mouseover", function (e) { var el = spanOf(e.target); if (el) show(el); });
  document.addEventListener("mouseout", function (e) {
    var el = spanOf(e.target);
    /* the pointer may move onto the row shown (WCAG 1.4.13) */
    if (el && el === shown && !el.contains(e.relatedTarget) && !tip.contains(e.relatedTarget)) hide();
  });
  tip.addEventListener("mouseleave", function (e) {
    if (!(shown && shown.contains(e.relatedTarget)) && shown !== document.activeElement) hide();
  });
  document.addEventListener("focusin", function (e) { var el = spanOf(e.target); if (el) show(el); else hide(); });
  document.addEventListener("focusout", function (e) { if (spanOf(e.target) === shown) hide(); });
  document.addEventListener("click", function (e) {
    var el = spanOf(e.target);
    if (el && el.closest("#text")) activate(el);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { hide(); return; }
    var el = spanOf(e.target);
    if (el && el === document.activeElement && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      activate(el);
    }
  });
  /* a link to a row in the closed list below the text opens the list */
  function reveal() {
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    var box = target && target.closest("details");
    if (box) { box.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
})();
