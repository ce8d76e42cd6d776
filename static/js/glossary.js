/* Glossary toggletips (名词解释提示).
 *
 * Without this script every marked term is a link to its definition on the
 * page, and names that definition in aria-describedby, so focus alone lets
 * a screen reader read it. With it, activating a term (click, tap, Enter)
 * toggles a bubble with the definition next to the term:
 *   - it stays open while the pointer is over the term or the bubble, and
 *     after: it never closes on a timer;
 *   - Esc closes it and leaves focus on the term; so do a click outside,
 *     the bubble's close button, and activating another term (which opens
 *     that term's bubble instead);
 *   - focus alone does not open it, so a mouse click never opens and closes
 *     it at once;
 *   - it is placed inside the viewport, also on a 375px-wide phone;
 *   - its text is announced through a status region.
 * No framework, no inline handlers or styles: positions are set through the
 * CSSOM, which Content-Security-Policy: default-src 'self' allows.
 * Pattern: charts-tooltips-gov-web.md §3.8.
 */
(function () {
  'use strict';
  if (!document.querySelector || !window.addEventListener) return;

  var MARGIN = 8; // px kept free between the bubble and the viewport's edges
  var bubble = null; // the bubble element, made on first use
  var body = null; // its definition part
  var more = null; // its link to the glossary page
  var status = null; // the status region that announces it
  var current = null; // the term whose bubble is open

  function make(tag, cls) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    return el;
  }

  function setup() {
    bubble = make('span', 'gl-bubble');
    bubble.id = 'gl-bubble';
    bubble.hidden = true;
    var head = make('span', 'gl-bubble-head');
    var close = make('button', 'gl-close');
    close.type = 'button';
    close.setAttribute('aria-label', '关闭名词解释');
    close.textContent = '×';
    close.addEventListener('click', function (e) {
      e.stopPropagation();
      hide(true);
    });
    head.appendChild(close);
    body = make('span', 'gl-bubble-body');
    more = make('a', 'gl-bubble-more');
    more.textContent = '查看完整解释 →';
    bubble.appendChild(head);
    bubble.appendChild(body);
    bubble.appendChild(more);
  }

  function definitionOf(term) {
    var id = term.getAttribute('aria-describedby');
    return id ? document.getElementById(id) : null;
  }

  function show(term) {
    var def = definitionOf(term);
    if (!def) return false; // let the link do its work
    if (!bubble) setup();
    hide(false);
    body.textContent = '';
    var name = make('strong', 'gl-bubble-term');
    name.textContent = term.textContent;
    body.appendChild(name);
    body.appendChild(document.createTextNode('：'));
    for (var c = def.firstChild; c; c = c.nextSibling) {
      var copy = c.cloneNode(true);
      if (copy.nodeType === 1) copy.removeAttribute('id');
      body.appendChild(copy);
    }
    var url = term.getAttribute('data-glossary');
    if (url) {
      more.href = url;
      more.hidden = false;
    } else {
      more.removeAttribute('href');
      more.hidden = true;
    }
    // Right after the term, so Tab goes from the term into the bubble.
    term.parentNode.insertBefore(bubble, term.nextSibling);
    bubble.hidden = false;
    term.setAttribute('aria-expanded', 'true');
    current = term;
    place(term);
    // Announce: replace the text so repeated openings are read again.
    status.textContent = '';
    status.textContent = term.textContent + '：' + def.textContent;
    return true;
  }

  function hide(focusTerm) {
    if (!current) return;
    var term = current;
    current = null;
    bubble.hidden = true;
    term.setAttribute('aria-expanded', 'false');
    if (bubble.parentNode) bubble.parentNode.removeChild(bubble);
    status.textContent = '';
    if (focusTerm) term.focus();
  }

  // place puts the bubble below the term (above it when there is no room
  // below), as wide as fits, inside the viewport.
  function place(term) {
    var vw = document.documentElement.clientWidth;
    var vh = document.documentElement.clientHeight;
    bubble.style.width = '';
    bubble.style.maxWidth = Math.max(120, Math.min(352, vw - 2 * MARGIN)) + 'px';
    bubble.style.left = '0px';
    bubble.style.top = '0px';
    // With left = top = 0 the bubble sits at its containing block's
    // origin: measure it, then move by the difference. Its width is fixed
    // first, so moving it cannot make it wrap differently.
    var origin = bubble.getBoundingClientRect();
    bubble.style.width = origin.width + 'px';
    origin = bubble.getBoundingClientRect();
    var rects = term.getClientRects();
    var r = rects.length ? rects[0] : term.getBoundingClientRect();
    var w = origin.width;
    var h = origin.height;
    var x = Math.min(Math.max(r.left, MARGIN), vw - MARGIN - w);
    x = Math.max(x, MARGIN);
    var last = rects.length ? rects[rects.length - 1] : r;
    var y = last.bottom + 6;
    if (y + h > vh - MARGIN && r.top - 6 - h >= MARGIN) y = r.top - 6 - h;
    bubble.style.left = Math.round(x - origin.left) + 'px';
    bubble.style.top = Math.round(y - origin.top) + 'px';
  }

  document.addEventListener('click', function (e) {
    var t = e.target;
    var term = t.closest ? t.closest('a.gl-term') : null;
    if (term) {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return; // a new tab or window
      if (term === current) {
        e.preventDefault();
        hide(false);
      } else if (show(term)) {
        e.preventDefault();
      }
      return;
    }
    if (current && !(bubble.contains(t))) hide(false);
  });

  document.addEventListener('keydown', function (e) {
    if (!current || (e.key !== 'Escape' && e.key !== 'Esc')) return;
    var back = document.activeElement === current || bubble.contains(document.activeElement);
    hide(back || document.activeElement === document.body);
    e.preventDefault();
  });

  window.addEventListener('resize', function () {
    if (current) place(current);
  });

  // The status region is in the page from the start: screen readers
  // announce changes to live regions they already know.
  status = make('div', 'gl-status visually-hidden');
  status.setAttribute('role', 'status');
  document.body.appendChild(status);

  // With the script, a term is a toggle: say so to assistive technology.
  var terms = document.querySelectorAll('a.gl-term');
  for (var i = 0; i < terms.length; i++) {
    terms[i].setAttribute('aria-expanded', 'false');
  }
})();
