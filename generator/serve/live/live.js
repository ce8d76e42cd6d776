// disclose serve: live reload, build-error overlay and check panel of the
// preview. Only `disclose serve` adds this script to pages; a built site
// never contains it. It listens for build events (Server-Sent Events) and
// builds its elements with the DOM, never with inline markup or styles.
(function () {
  'use strict';

  function meta(name) {
    var m = document.querySelector('meta[name="disclose:' + name + '"]');
    return m ? m.getAttribute('content') : '';
  }

  var build = meta('build');
  var files = meta('file').split(' ').filter(Boolean);
  var source = null;

  function eventsURL() {
    var q = ['build=' + encodeURIComponent(build)];
    files.forEach(function (f) { q.push('file=' + encodeURIComponent(f)); });
    return '/__disclose/events?' + q.join('&');
  }

  function connect() {
    if (source || document.hidden) return;
    source = new EventSource(eventsURL());
    source.addEventListener('build', function (e) {
      apply(JSON.parse(e.data));
    });
  }

  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  // Over HTTP/1.1 a browser opens at most six connections to a server, so
  // a hidden tab lets go of its stream and catches up when shown again.
  document.addEventListener('visibilitychange', function () {
    if (document.hidden) disconnect(); else connect();
  });
  window.addEventListener('pagehide', disconnect);

  function apply(m) {
    build = m.build;
    if (m.reload) {
      disconnect();
      location.reload();
      return;
    }
    if (m.css && m.css.length) swapStylesheets(m.css);
    showErrors(m.errors || []);
    showChecks(m.checks || []);
    document.documentElement.setAttribute('data-disclose-build', m.build);
  }

  // swapStylesheets loads a changed stylesheet again under a new URL and
  // drops the old one once the new one applies: no reload, no flash.
  function swapStylesheets(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var u = new URL(link.href, location.href);
      if (u.origin !== location.origin || paths.indexOf(u.pathname) < 0) return;
      u.searchParams.set('disclose', build);
      var next = link.cloneNode(false);
      next.removeAttribute('integrity'); // the bytes changed
      next.href = u.pathname + u.search;
      next.addEventListener('load', function () { link.remove(); });
      next.addEventListener('error', function () { link.remove(); });
      link.after(next);
    });
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // panel builds the frame of the overlay and of the checks panel: a box
  // with id, labelled by its heading, and a button beside the heading.
  function panel(tag, id, title, button) {
    var box = el(tag, id);
    box.id = id;
    box.setAttribute('aria-labelledby', id + '-title');
    var head = el('div', 'disclose-head');
    var h = el('h2', 'disclose-title', title);
    h.id = id + '-title';
    var b = el('button', 'disclose-button', button);
    b.type = 'button';
    head.appendChild(h);
    head.appendChild(b);
    box.appendChild(head);
    return { box: box, button: b };
  }

  // place puts box where old was, or at the end of the page.
  function place(old, box) {
    if (old) old.replaceWith(box); else document.body.appendChild(box);
  }

  function findingItem(f) {
    var li = el('li', 'disclose-finding');
    li.appendChild(el('p', 'disclose-where', f.where));
    li.appendChild(el('p', 'disclose-message', f.message + (f.rule ? ' [' + f.rule + ']' : '')));
    if (f.frame && f.frame.length) {
      var pre = el('pre', 'disclose-frame');
      f.frame.forEach(function (line) {
        var row = el('span', line.mark ? 'disclose-line disclose-mark' : 'disclose-line');
        row.appendChild(el('span', 'disclose-n', String(line.n)));
        row.appendChild(document.createTextNode(line.text + '\n'));
        pre.appendChild(row);
      });
      li.appendChild(pre);
    }
    return li;
  }

  // showErrors shows the errors of a failed build over the page (the last
  // good one), or removes the overlay once a build succeeds.
  function showErrors(errors) {
    var old = document.getElementById('disclose-overlay');
    if (!errors.length) {
      if (old) old.remove();
      return;
    }
    var p = panel('div', 'disclose-overlay', '构建失败：' + errors.length + ' 处错误', '收起');
    var box = p.box, toggle = p.button;
    box.setAttribute('role', 'alert');
    toggle.setAttribute('aria-expanded', 'true');
    toggle.addEventListener('click', function () {
      var collapsed = box.classList.toggle('disclose-collapsed');
      toggle.textContent = collapsed ? '展开' : '收起';
      toggle.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
    });
    if (old && old.classList.contains('disclose-collapsed')) {
      box.classList.add('disclose-collapsed');
      toggle.textContent = '展开';
      toggle.setAttribute('aria-expanded', 'false');
    }
    var body = el('div', 'disclose-body');
    body.appendChild(el('p', 'disclose-note', '下面的页面是上一次成功生成的版本。修正文件并保存后，此提示自动消失。'));
    var list = el('ol', 'disclose-list');
    errors.forEach(function (f) { list.appendChild(findingItem(f)); });
    body.appendChild(list);
    box.appendChild(body);
    place(old, box);
  }

  // showChecks lists the build's warnings and the fiscal checks' findings
  // in a panel the editor can close; it stays closed until they change.
  function showChecks(warnings) {
    var old = document.getElementById('disclose-checks');
    var key = warnings.map(function (f) { return f.where + ' ' + f.message; }).join('\n');
    var dismissed = null;
    try { dismissed = sessionStorage.getItem('disclose-checks-dismissed'); } catch (e) { /* storage off */ }
    if (!warnings.length || dismissed === key) {
      if (old) old.remove();
      return;
    }
    var p = panel('aside', 'disclose-checks', '检查发现 ' + warnings.length + ' 处问题', '关闭');
    var box = p.box, close = p.button;
    close.setAttribute('aria-label', '关闭检查结果');
    close.addEventListener('click', function () {
      try { sessionStorage.setItem('disclose-checks-dismissed', key); } catch (e) { /* storage off */ }
      box.remove();
    });
    var list = el('ol', 'disclose-list');
    warnings.forEach(function (f) {
      var item = findingItem(f);
      item.insertBefore(el('span', 'disclose-severity', f.severity), item.firstChild);
      list.appendChild(item);
    });
    box.appendChild(list);
    place(old, box);
  }

  connect();
})();
