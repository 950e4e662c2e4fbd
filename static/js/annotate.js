// Annotate view: turn a text selection inside one paragraph into the selectors of a new annotation.
// Progressive enhancement: every action is also reachable through plain links on the page.
(function () {
  "use strict";

  var CONTEXT = 32;
  var root = document.getElementById("annotate-root");
  if (!root) {
    return;
  }
  var menu = document.getElementById("annotate-menu");
  var status = document.getElementById("annotate-status");
  var current = null;

  function paragraphOf(node) {
    var element = node.nodeType === 1 ? node : node.parentElement;
    return element ? element.closest(".annotate-text") : null;
  }

  // Offsets are counted in code points, as the server counts characters.
  function codePoints(text) {
    return Array.from(text).length;
  }

  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function capture() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    var first = paragraphOf(range.startContainer);
    var last = paragraphOf(range.endContainer);
    if (!first && !last) {
      return null;
    }
    if (first !== last) {
      return { error: "Select text inside one paragraph: a selection cannot cross paragraphs." };
    }
    var text = first.textContent;
    var start = offsetIn(first, range.startContainer, range.startOffset);
    var end = offsetIn(first, range.endContainer, range.endOffset);
    while (start < end && /\s/.test(text.charAt(start))) {
      start += 1;
    }
    while (end > start && /\s/.test(text.charAt(end - 1))) {
      end -= 1;
    }
    if (start === end) {
      return null;
    }
    var chars = Array.from(text);
    var cpStart = codePoints(text.slice(0, start));
    var cpEnd = cpStart + codePoints(text.slice(start, end));
    return {
      paragraph: first.dataset.paragraph,
      exact: chars.slice(cpStart, cpEnd).join(""),
      prefix: chars.slice(Math.max(0, cpStart - CONTEXT), cpStart).join(""),
      suffix: chars.slice(cpEnd, cpEnd + CONTEXT).join(""),
      start: cpStart,
      end: cpEnd,
      rect: range.getBoundingClientRect(),
    };
  }

  function hide() {
    menu.hidden = true;
    current = null;
  }

  function update(event) {
    if (event && menu.contains(event.target)) {
      return;
    }
    var found = capture();
    status.textContent = "";
    if (!found) {
      hide();
      return;
    }
    if (found.error) {
      status.textContent = found.error;
      hide();
      return;
    }
    current = found;
    menu.hidden = false;
    menu.style.top = window.scrollY + found.rect.bottom + 6 + "px";
    menu.style.left = window.scrollX + found.rect.left + "px";
  }

  function query(extra) {
    var params = new URLSearchParams({
      paragraph: current.paragraph,
      exact: current.exact,
      prefix: current.prefix,
      suffix: current.suffix,
      start: String(current.start),
      end: String(current.end),
    });
    Object.keys(extra).forEach(function (key) {
      params.set(key, extra[key]);
    });
    return params.toString();
  }

  menu.addEventListener("mousedown", function (event) {
    event.preventDefault(); // keep the selection while a button is pressed
  });
  menu.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || !current) {
      return;
    }
    if (button.dataset.action === "reattach") {
      window.location.href = root.dataset.reattachUrl + "?" + query({});
    } else {
      window.location.href = root.dataset.addUrl + "?" + query({ kind: button.dataset.kind });
    }
  });
  document.addEventListener("mouseup", function (event) {
    window.setTimeout(function () {
      update(event);
    }, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (event.key === "Escape") {
      hide();
      return;
    }
    update(event);
  });
})();
