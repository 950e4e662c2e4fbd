// Progressive enhancement for the reading view; the page works fully without it.
// A click on a highlighted passage opens its note; hovering or focusing a highlight,
// its reference link or its note shows the pair together.
(function () {
  "use strict";
  function pair(noteId) {
    var items = Array.prototype.slice.call(document.querySelectorAll('mark.hl[data-note="' + noteId + '"], mark.hl[data-notes~="' + noteId + '"]'));
    var note = document.getElementById(noteId);
    if (note) items.push(note);
    return items;
  }
  function setActive(noteId, on) {
    pair(noteId).forEach(function (el) { el.classList.toggle("is-active", on); });
  }
  function noteIdOf(el) {
    if (!el || !el.closest) return null;
    var mark = el.closest("mark.hl");
    if (mark) return mark.getAttribute("data-note");
    var ref = el.closest("a.ref");
    if (ref) return ref.getAttribute("href").slice(1);
    var note = el.closest(".note[id]");
    return note ? note.id : null;
  }
  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("mark.hl");
    if (!mark || window.getSelection().toString()) return;
    var note = document.getElementById(mark.getAttribute("data-note"));
    if (!note) return;
    history.pushState(null, "", "#" + note.id);
    note.setAttribute("tabindex", "-1");
    note.focus();
  });
  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var id = noteIdOf(event.target);
      if (id) setActive(id, true);
    });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var id = noteIdOf(event.target);
      if (id) setActive(id, false);
    });
  });
})();
