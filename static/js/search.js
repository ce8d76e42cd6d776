/* disclose search: the client of the index that generator/search writes.
 *
 * Plain JavaScript in ES5 syntax (so an old browser can read it and say it
 * cannot search, instead of failing silently), no framework, no inline
 * script: the search page loads it with <script defer>. It reads the form
 * #search-form (data-index: the index manifest; data-base: the site's
 * path) and the URL's ?q=, year, kind and body, so results are shareable
 * links.
 *
 * The tokenizer and the query parser mirror generator/search/tokenize.go
 * and query.go rule for rule; a browser test runs both on the same inputs.
 * window.discloseSearch exposes them, and the search, to tests.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- tokenizer

  var HAN = 1, BIGRAM = 2, NUMBER = 3, WORD = 4;
  var KIND_NAMES = ['', 'han', 'bigram', 'number', 'word'];
  var C_BREAK = 0, C_PUNCT = 1, C_HAN = 2, C_DIGIT = 3, C_LETTER = 4;

  var letterRE = null, markRE = null;
  try {
    letterRE = new RegExp('^[\\p{L}\\p{Nd}\\p{M}]$', 'u');
    markRE = new RegExp('^\\p{M}$', 'u');
  } catch (e) { /* an old browser: supported() is false */ }

  function isCJK(r) {
    return r === 0x3005 || r === 0x3007 ||
      (r >= 0x3041 && r <= 0x3096) || (r >= 0x309d && r <= 0x309f) ||
      (r >= 0x30a1 && r <= 0x30fa) || (r >= 0x30fc && r <= 0x30ff) ||
      (r >= 0x3400 && r <= 0x4dbf) || (r >= 0x4e00 && r <= 0x9fff) ||
      (r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) ||
      (r >= 0x20000 && r <= 0x3ffff);
  }

  function isSpace(r) {
    return r === 0x20 || r === 0x09 || r === 0x0a || r === 0x0b || r === 0x0c || r === 0x0d ||
      r === 0x85 || r === 0x1680 || r === 0x2028 || r === 0x2029 || r === 0xfeff;
  }

  function classOf(r) {
    if (r >= 0x30 && r <= 0x39) { return C_DIGIT; }
    if (r < 0x80) {
      if ((r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a)) { return C_LETTER; }
      return isSpace(r) ? C_BREAK : C_PUNCT;
    }
    if (isCJK(r)) { return C_HAN; }
    if (isSpace(r)) { return C_BREAK; }
    return letterRE.test(String.fromCodePoint(r)) ? C_LETTER : C_PUNCT;
  }

  // lower is the simple lower-case mapping of one code point, as Go's
  // unicode.ToLower: toLowerCase of the code point alone (no context, so Σ
  // is σ), keeping the code point when the full mapping is longer (İ).
  function lower(r) {
    if (r < 0x80) { return (r >= 0x41 && r <= 0x5a) ? r + 32 : r; }
    if (r === 0x130) { return 0x69; }
    var s = String.fromCodePoint(r).toLowerCase();
    var l = s.codePointAt(0);
    return s.length === String.fromCodePoint(l).length ? l : r;
  }

  // codePoints returns the code points of s.
  function codePoints(s) {
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.codePointAt(i);
      out.push(c);
      if (c > 0xffff) { i++; }
    }
    return out;
  }

  // normalized is s as the tokenizer sees it: NFKC, lower-cased code point
  // by code point. starts/ends give, for each code point, the range of s
  // (UTF-16 offsets) it came from; with exact false the normalisation is
  // done per character with its combining marks (for highlighting only:
  // queries are normalised as a whole, exactly as Go does).
  function normalized(s, exact) {
    var cps = [], starts = [], ends = [];
    if (exact) {
      var all = codePoints(s.normalize('NFKC'));
      for (var i = 0; i < all.length; i++) {
        cps.push(lower(all[i]));
        starts.push(i);
        ends.push(i + 1);
      }
      return { cps: cps, starts: starts, ends: ends };
    }
    var j = 0;
    while (j < s.length) {
      var a = j;
      var c = s.codePointAt(j);
      j += c > 0xffff ? 2 : 1;
      while (j < s.length) {
        var n = s.codePointAt(j);
        if (!(markRE.test(String.fromCodePoint(n)) || n === 0xff9e || n === 0xff9f)) { break; }
        j += n > 0xffff ? 2 : 1;
      }
      var seg = codePoints(s.slice(a, j).normalize('NFKC'));
      for (var k = 0; k < seg.length; k++) {
        cps.push(lower(seg[k]));
        starts.push(a);
        ends.push(j);
      }
    }
    return { cps: cps, starts: starts, ends: ends };
  }

  function tok(text, kind, pos, start, end) {
    return { text: text, kind: kind, pos: pos, unit: '', start: start, end: end };
  }

  // tokenize splits s into search tokens by the rules of Tokenize in
  // generator/search/tokenize.go. start and end of a token are offsets in
  // s when exact is false, else code point offsets of NFKC(s).
  function tokenize(s, exact) {
    var nz = normalized(s, exact !== false);
    var rs = nz.cps, n = rs.length;
    var cls = new Array(n);
    var i;
    for (i = 0; i < n; i++) { cls[i] = classOf(rs[i]); }
    var out = [];
    var next = 0, gap = false, any = false, numLast = -1;
    function place(width) {
      if (gap && any) { next++; }
      gap = false;
      any = true;
      var p = next;
      next += width;
      return p;
    }
    i = 0;
    while (i < n) {
      var c = cls[i];
      if (c === C_HAN) {
        var idx = [i];
        var k = i + 1;
        while (k < n) {
          if (cls[k] === C_HAN) { idx.push(k); k++; continue; }
          if (cls[k] !== C_PUNCT) { break; }
          var m = k;
          while (m < n && cls[m] === C_PUNCT) { m++; }
          if (m < n && cls[m] === C_HAN) { k = m; continue; }
          break;
        }
        if (numLast >= 0 && !gap) { out[numLast].unit = unitAt(rs, idx); }
        var p = place(idx.length);
        for (var j = 0; j < idx.length; j++) {
          var ri = idx[j];
          out.push(tok(String.fromCodePoint(rs[ri]), HAN, p + j, nz.starts[ri], nz.ends[ri]));
          if (j + 1 < idx.length) {
            var rj = idx[j + 1];
            out.push(tok(String.fromCodePoint(rs[ri], rs[rj]), BIGRAM, p + j, nz.starts[ri], nz.ends[rj]));
          }
        }
        numLast = -1;
        i = idx[idx.length - 1] + 1;
      } else if (c === C_DIGIT || c === C_LETTER) {
        var e = i;
        while (e < n) {
          var ce = cls[e];
          if (ce === C_DIGIT || ce === C_LETTER) { e++; continue; }
          if ((rs[e] === 0x2e || rs[e] === 0x2c) && e > i && cls[e - 1] === C_DIGIT && e + 1 < n && cls[e + 1] === C_DIGIT) { e++; continue; }
          break;
        }
        numLast = alnum(out, rs, cls, nz, i, e, place, function () { gap = true; });
        i = e;
      } else {
        gap = true;
        numLast = -1;
        i++;
      }
    }
    return out;
  }

  function unitAt(rs, idx) {
    var first = rs[idx[0]];
    if (first === 0x5143) { return '元'; }
    if ((first === 0x4e07 || first === 0x4ebf) && idx.length > 1 && rs[idx[1]] === 0x5143) {
      return String.fromCodePoint(first) + '元';
    }
    return '';
  }

  // alnum adds the tokens of the letter-and-digit run rs[i:k] and returns
  // the index in out of the Number the run ends with, or -1.
  function alnum(out, rs, cls, nz, i, k, place, setGap) {
    var letters = false, j;
    for (j = i; j < k; j++) { letters = letters || cls[j] === C_LETTER; }
    if (!letters) {
      var canon = number(rs, i, k);
      if (canon !== null) {
        out.push(tok(canon, NUMBER, place(1), nz.starts[i], nz.ends[k - 1]));
        return out.length - 1;
      }
    }
    var last = -1;
    j = i;
    while (j < k) {
      if (rs[j] === 0x2e || rs[j] === 0x2c) { setGap(); j++; continue; }
      var e = j, digits = true;
      while (e < k && rs[e] !== 0x2e && rs[e] !== 0x2c) {
        digits = digits && cls[e] === C_DIGIT;
        e++;
      }
      var kind = digits ? NUMBER : WORD;
      out.push(tok(String.fromCodePoint.apply(null, rs.slice(j, e)), kind, place(1), nz.starts[j], nz.ends[e - 1]));
      last = kind === NUMBER ? out.length - 1 : -1;
      j = e;
    }
    return last;
  }

  // number returns the canonical form of the digits and separators
  // rs[i:k], or null when they are not one number.
  function number(rs, i, k) {
    var b = '', dot = -1, group = -1, lead = 0;
    for (var j = i; j < k; j++) {
      var r = rs[j];
      if (r === 0x2c) {
        if (dot >= 0 || (group >= 0 && group !== 3) || (group < 0 && lead > 3)) { return null; }
        group = 0;
      } else if (r === 0x2e) {
        if (dot >= 0 || (group >= 0 && group !== 3)) { return null; }
        dot = b.length;
        b += '.';
      } else {
        if (dot < 0) {
          if (group >= 0) { group++; } else { lead++; }
        }
        b += String.fromCharCode(r);
      }
    }
    if (dot < 0 && group >= 0 && group !== 3) { return null; }
    if (dot >= 0) {
      b = b.replace(/0+$/, '').replace(/\.$/, '');
    }
    return b;
  }

  // parseQuery splits a query into groups of terms, as ParseQuery in
  // generator/search/query.go.
  function parseQuery(q) {
    var toks = tokenize(q, true);
    var groups = [], cur = null, lastPos = -2, dropUnit = 0, run = [];
    function flush() {
      if (cur === null || run.length === 0) { run = []; return; }
      var n = run.length;
      if (n === 1) {
        cur.terms.push({ text: run[0].text, rel: run[0].pos, positional: false });
      } else {
        for (var i = 0; i + 1 < n; i += 2) {
          cur.terms.push({ text: run[i].text + run[i + 1].text, rel: run[i].pos, positional: true });
        }
        if (n % 2 === 1) {
          cur.terms.push({ text: run[n - 2].text + run[n - 1].text, rel: run[n - 2].pos, positional: true });
        }
      }
      run = [];
    }
    for (var i = 0; i < toks.length; i++) {
      var t = toks[i];
      if (t.kind === BIGRAM) { continue; }
      if (t.pos !== lastPos + 1) {
        flush();
        cur = { text: '', terms: [] };
        groups.push(cur);
        dropUnit = 0;
      }
      lastPos = t.pos;
      if (t.kind === HAN) {
        cur.text += t.text;
        if (dropUnit > 0) { dropUnit--; continue; }
        run.push(t);
        continue;
      }
      flush();
      cur.text += t.text;
      cur.terms.push({ text: t.text, rel: t.pos, positional: true });
      dropUnit = codePoints(t.unit).length;
    }
    flush();
    var out = groups.filter(function (g) { return g.terms.length > 0; });
    if (out.length === 0) { return []; }
    var base = Infinity;
    out.forEach(function (g) { g.terms.forEach(function (t) { base = Math.min(base, t.rel); }); });
    out.forEach(function (g) { g.terms.forEach(function (t) { t.rel -= base; }); });
    return out;
  }

  // ------------------------------------------------------------- index files

  var B32 = 'abcdefghijklmnopqrstuvwxyz234567';

  // hashName is the file name of an 8-byte content hash: base32, 13 letters.
  function hashName(bytes, off) {
    var out = '', bits = 0, val = 0;
    for (var i = 0; i < 8; i++) {
      val = (val << 8) | bytes[off + i];
      bits += 8;
      while (bits >= 5) {
        out += B32.charAt((val >>> (bits - 5)) & 31);
        bits -= 5;
      }
      val &= (1 << bits) - 1;
    }
    if (bits > 0) { out += B32.charAt((val << (5 - bits)) & 31); }
    return out;
  }

  var encoder = typeof TextEncoder === 'function' ? new TextEncoder() : null;
  var decoder = typeof TextDecoder === 'function' ? new TextDecoder() : null;

  // hash32 is FNV-1a over the UTF-8 bytes of s (hash32 in index.go).
  function hash32(s) {
    var b = encoder.encode(s);
    var h = 0x811c9dc5;
    for (var i = 0; i < b.length; i++) {
      h ^= b[i];
      h = Math.imul(h, 16777619) >>> 0;
    }
    return h >>> 0;
  }

  function Bytes(b, i) { this.b = b; this.i = i || 0; }
  Bytes.prototype.uv = function () {
    var x = 0, mul = 1, c;
    do {
      c = this.b[this.i++];
      x += (c & 0x7f) * mul;
      mul *= 128;
    } while (c & 0x80);
    return x;
  };
  Bytes.prototype.more = function () { return this.i < this.b.length; };

  // decodePostings reads a posting list (see record in write.go).
  function decodePostings(bytes) {
    var r = new Bytes(bytes), doc = 0;
    var out = { docs: [], tf: [], head: [], pos: [] };
    while (r.more()) {
      doc += r.uv();
      var meta = r.uv();
      var tf = Math.floor(meta / 4);
      out.docs.push(doc);
      out.tf.push(tf);
      out.head.push((meta & 1) === 1);
      if (meta & 2) {
        var ps = [], p = 0;
        for (var i = 0; i < tf; i++) { p += r.uv(); ps.push(p); }
        out.pos.push(ps);
      } else {
        out.pos.push(null);
      }
    }
    return out;
  }

  // lastAtOrBelow returns the index of the last of sorted docs that is at
  // most d, or -1.
  function lastAtOrBelow(docs, d) {
    var lo = 0, hi = docs.length - 1, ans = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (docs[mid] <= d) { ans = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return ans;
  }

  // Index reads the index files under the folder of its manifest.
  function Index(manifestURL) {
    this.url = manifestURL;
    this.dir = manifestURL.slice(0, manifestURL.lastIndexOf('/') + 1);
    this.files = {};   // url → Promise of bytes or JSON
    this.tokens = {};  // token → Promise of its record
    this.manifest = null;
  }

  Index.prototype.get = function (url, json) {
    if (!this.files[url]) {
      this.files[url] = fetch(url).then(function (res) {
        if (!res.ok) { throw new Error(url + ': ' + res.status); }
        return json ? res.json() : res.arrayBuffer().then(function (b) { return new Uint8Array(b); });
      });
    }
    return this.files[url];
  };

  Index.prototype.load = function () {
    var ix = this;
    return this.get(this.url, true).then(function (m) {
      if (m.version !== 1) { throw new Error('index version ' + m.version); }
      ix.manifest = m;
      ix.S = Math.pow(2, m.shift);
      return m;
    });
  };

  // entry returns the directory file holding entry i of a table, and the
  // entry's place in it.
  Index.prototype.entry = function (table, i) {
    var d = Math.floor(i / table.per);
    var name = table.names.substr(d * 13, 13);
    return this.get(this.dir + 'd/' + name + '.bin').then(function (bytes) {
      return { bytes: bytes, at: i % table.per };
    });
  };

  // token returns the record of a token: {df, list} with the postings
  // decoded for a short list, or {df, blocks} for a long one; null when no
  // page has the token.
  Index.prototype.token = function (text) {
    if (this.tokens[text]) { return this.tokens[text]; }
    var ix = this, m = this.manifest;
    var b = hash32(text) & (m.buckets - 1);
    var want = encoder.encode(text);
    this.tokens[text] = this.entry(m.bucketDirs, b).then(function (e) {
      return ix.get(ix.dir + 't/' + hashName(e.bytes, e.at * 8) + '.bin');
    }).then(function (bucket) {
      var r = new Bytes(bucket);
      while (r.more()) {
        var n = r.uv();
        var match = n === want.length;
        for (var i = 0; match && i < n; i++) { match = bucket[r.i + i] === want[i]; }
        r.i += n;
        var df = r.uv();
        var mode = bucket[r.i++];
        if (mode === 0) {
          var len = r.uv();
          if (match) { return { df: df, list: decodePostings(bucket.subarray(r.i, r.i + len)) }; }
          r.i += len;
        } else {
          var nb = r.uv(), blocks = [], prev = 0;
          for (var k = 0; k < nb; k++) {
            var first = prev + r.uv();
            var last = first + r.uv();
            var entries = r.uv();
            blocks.push({ first: first, last: last, entries: entries, name: hashName(bucket, r.i), list: null, loading: null });
            r.i += 8;
            prev = last;
          }
          if (match) { return { df: df, blocks: blocks }; }
        }
      }
      return null;
    });
    return this.tokens[text];
  };

  Index.prototype.loadBlock = function (blk) {
    if (!blk.loading) {
      blk.loading = this.get(this.dir + 'b/' + blk.name + '.bin').then(function (bytes) {
        blk.list = decodePostings(bytes);
        return blk;
      });
    }
    return blk.loading;
  };

  // page returns the part of page n that holds section sec.
  Index.prototype.part = function (n, sec) {
    var ix = this;
    return this.entry(this.manifest.pageDirs, n).then(function (e) {
      var r = new Bytes(e.bytes), name = null;
      for (var i = 0; i <= e.at; i++) {
        var parts = r.uv();
        for (var k = 0; k < parts; k++) {
          var first = r.uv();
          if (i === e.at && first <= sec) { name = hashName(e.bytes, r.i); }
          r.i += 8;
        }
      }
      return ix.get(ix.dir + 'p/' + name + '.json', true);
    });
  };

  // --------------------------------------------------------------- searching

  // Source is the postings of one token as far as they are loaded.
  function Source(rec) {
    this.rec = rec;
  }

  // bound returns the last document at most d the token may have: exact
  // when its postings there are loaded, else an upper bound; -1 for none.
  // loaded reports which.
  Source.prototype.bound = function (d) {
    var rec = this.rec;
    if (rec.list) {
      var i = lastAtOrBelow(rec.list.docs, d);
      return { doc: i < 0 ? -1 : rec.list.docs[i], exact: true };
    }
    var bs = rec.blocks, k = bs.length - 1;
    while (k >= 0 && bs[k].first > d) { k--; }
    if (k < 0) { return { doc: -1, exact: true }; }
    var blk = bs[k];
    if (d >= blk.last) { return { doc: blk.last, exact: true, block: blk }; }
    if (blk.list) {
      var j = lastAtOrBelow(blk.list.docs, d);
      return { doc: blk.list.docs[j], exact: true, block: blk };
    }
    return { doc: d, exact: false, block: blk };
  };

  // range returns the loaded postings of the token in [lo, hi]: {list, from, to}.
  Source.prototype.range = function (lo, hi) {
    var rec = this.rec, list = rec.list;
    if (!list) {
      var bs = rec.blocks;
      for (var k = bs.length - 1; k >= 0; k--) {
        if (bs[k].first <= hi && bs[k].list) { list = bs[k].list; break; }
      }
      if (!list) { return null; }
    }
    var to = lastAtOrBelow(list.docs, hi);
    var from = lastAtOrBelow(list.docs, lo - 1) + 1;
    return { list: list, from: from, to: to };
  };

  // A Search is one query over an index: it scans the pages from the last
  // (the newest disclosures) down, a window at a time, loading only the
  // blocks of long posting lists that cover the window, and ranks what it
  // found. more() goes on from where it stopped.
  function Search(ix, q, filters) {
    this.ix = ix;
    this.q = q;
    this.groups = parseQuery(q);
    this.filters = filters || [];
    this.hits = [];      // documents found, unranked
    this.hi = ix.manifest.pages - 1;
    this.done = this.groups.length === 0;
    this.missing = [];   // groups no page holds
    this.sources = null;
  }

  Search.prototype.start = function () {
    var s = this, ix = this.ix, texts = [], seen = {};
    this.groups.forEach(function (g) {
      g.terms.forEach(function (t) {
        if (!seen[t.text]) { seen[t.text] = true; texts.push(t.text); }
      });
    });
    this.filters.forEach(function (f) {
      if (!seen[f]) { seen[f] = true; texts.push(f); }
    });
    return Promise.all(texts.map(function (t) { return ix.token(t); })).then(function (recs) {
      s.sources = {};
      texts.forEach(function (t, i) {
        if (recs[i]) { s.sources[t] = new Source(recs[i]); }
      });
      s.groups.forEach(function (g) {
        if (g.terms.some(function (t) { return !s.sources[t.text]; })) { s.missing.push(g); }
      });
      if (s.missing.length > 0 || s.filters.some(function (f) { return !s.sources[f]; })) {
        s.done = true;
      }
      return s;
    });
  };

  // scan looks at windows of pages until it found documents on at least
  // want pages, or read maxWindows windows, or reached the first page.
  Search.prototype.scan = function (want, maxWindows) {
    var s = this;
    var windows = 0;
    function pagesFound() {
      var seen = {}, n = 0;
      s.hits.forEach(function (h) {
        if (!seen[h.page]) { seen[h.page] = true; n++; }
      });
      return n;
    }
    function step() {
      if (s.done || pagesFound() >= want || windows >= maxWindows) { return Promise.resolve(s); }
      return s.window().then(function (scanned) {
        if (scanned) { windows++; }
        return step();
      });
    }
    return step();
  };

  // window finds the next window and evaluates it; it resolves to whether
  // it evaluated one (false when it only loaded blocks).
  Search.prototype.window = function () {
    var s = this, ix = this.ix, S = ix.S;
    var names = Object.keys(this.sources);
    // Leapfrog: move hi down to a page every token may have.
    var hi = this.hi;
    for (var round = 0; round < 1000; round++) {
      if (hi < 0) { s.done = true; return Promise.resolve(false); }
      var moved = false;
      for (var i = 0; i < names.length; i++) {
        var b = this.sources[names[i]].bound((hi + 1) * S - 1);
        if (b.doc < 0) { s.done = true; return Promise.resolve(false); }
        var p = Math.floor(b.doc / S);
        if (p < hi) { hi = p; moved = true; }
      }
      if (!moved) { break; }
    }
    this.hi = hi;
    // Load the blocks that cover page hi.
    var loads = [], lo = 0;
    names.forEach(function (n) {
      var b = s.sources[n].bound((hi + 1) * S - 1);
      if (b.block) {
        if (!b.block.list) { loads.push(ix.loadBlock(b.block)); }
        lo = Math.max(lo, Math.floor(b.block.first / S));
      }
    });
    if (loads.length > 0) {
      return Promise.all(loads).then(function () { return false; });
    }
    this.evaluate(lo, hi);
    this.hi = lo - 1;
    if (this.hi < 0) { this.done = true; }
    return Promise.resolve(true);
  };

  // evaluate finds the documents of pages lo…hi that match.
  Search.prototype.evaluate = function (lo, hi) {
    var s = this, S = this.ix.S, m = this.ix.manifest;
    var loDoc = lo * S, hiDoc = (hi + 1) * S - 1;
    var at = {}; // token → {doc → index in list}, and list
    Object.keys(this.sources).forEach(function (n) {
      var r = s.sources[n].range(loDoc, hiDoc);
      var map = {};
      if (r) {
        for (var i = r.from; i <= r.to; i++) { map[r.list.docs[i]] = i; }
      }
      at[n] = { map: map, list: r ? r.list : null };
    });
    var cands = {};
    this.groups.forEach(function (g) {
      g.terms.forEach(function (t) {
        Object.keys(at[t.text].map).forEach(function (d) { cands[d] = true; });
      });
    });
    Object.keys(cands).map(Number).sort(function (a, b) { return a - b; }).forEach(function (doc) {
      var page = Math.floor(doc / S), head = page * S;
      for (var f = 0; f < s.filters.length; f++) {
        if (!(head in at[s.filters[f]].map)) { return; }
      }
      var hit = { doc: doc, page: page, sec: doc - head, score: 0, exact: true, title: false };
      var own = false;
      for (var gi = 0; gi < s.groups.length; gi++) {
        var g = s.groups[gi];
        var inDoc = groupIn(g, doc, at);
        if (inDoc) {
          own = true;
          hit.score += 10;
          if (inDoc.exact) { hit.score += 10; } else { hit.exact = false; }
          if (inDoc.title) { hit.score += 15; hit.title = true; }
          hit.score += Math.min(inDoc.tf, 5);
          continue;
        }
        hit.exact = false;
        if (doc !== head && groupIn(g, head, at)) {
          hit.score += 4;
          continue;
        }
        return;
      }
      if (!own) { return; }
      if (s.groups.length > 1 && phraseIn(s.groups, doc, at)) { hit.score += 20; }
      hit.tier = page >= m.glossary[0] && page < m.glossary[1] ? 0 :
        (page >= m.example[0] && page < m.example[1] ? 1 : 2);
      s.hits.push(hit);
    });
  };

  // groupIn tells whether every term of g is in doc: {exact, title, tf} or
  // null.
  function groupIn(g, doc, at) {
    var title = true, tf = Infinity;
    for (var i = 0; i < g.terms.length; i++) {
      var a = at[g.terms[i].text];
      var k = a.map[doc];
      if (k === undefined) { return null; }
      title = title && a.list.head[k];
      tf = Math.min(tf, a.list.tf[k]);
    }
    return { exact: exactIn(g.terms, doc, at), title: title, tf: tf };
  }

  // exactIn tells whether the positional terms stand at their relative
  // positions from a common base in doc.
  function exactIn(terms, doc, at) {
    var first = null, i;
    for (i = 0; i < terms.length; i++) {
      if (terms[i].positional) { first = terms[i]; break; }
    }
    if (!first) { return true; }
    var fa = at[first.text], ps = fa.list.pos[fa.map[doc]] || [];
    outer:
    for (var k = 0; k < ps.length; k++) {
      var base = ps[k] - first.rel;
      for (i = 0; i < terms.length; i++) {
        var t = terms[i];
        if (!t.positional) { continue; }
        var a = at[t.text], idx = a.map[doc];
        var tp = idx === undefined ? null : a.list.pos[idx];
        if (!tp || tp.indexOf(base + t.rel) < 0) { continue outer; }
      }
      return true;
    }
    return false;
  }

  function phraseIn(groups, doc, at) {
    var all = [];
    groups.forEach(function (g) { all = all.concat(g.terms); });
    for (var i = 0; i < all.length; i++) {
      if (at[all[i].text].map[doc] === undefined) { return false; }
    }
    return exactIn(all, doc, at);
  }

  // results ranks the hits by page: each result is a page with its best
  // document first. Real pages rank before example ones and the glossary
  // page last; then by score; then the newer page first.
  Search.prototype.results = function () {
    var byPage = {}, pages = [];
    this.hits.forEach(function (h) {
      var p = byPage[h.page];
      if (!p) {
        p = byPage[h.page] = { page: h.page, tier: h.tier, docs: [] };
        pages.push(p);
      }
      p.docs.push(h);
    });
    pages.forEach(function (p) {
      p.docs.sort(function (a, b) { return b.score - a.score || a.sec - b.sec; });
      p.score = p.docs[0].score;
    });
    pages.sort(function (a, b) { return b.tier - a.tier || b.score - a.score || b.page - a.page; });
    return pages;
  };

  // ---------------------------------------------------------------- snippets

  // numericForms returns the numbers a query number matches in text: the
  // same value in 元, 万元 or 亿元 (for highlighting amounts whose other form
  // the reader typed).
  function sameAmount(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (!isFinite(x) || !isFinite(y) || x === 0) { return false; }
    return [1, 1e4, 1e8, 1e-4, 1e-8].some(function (f) {
      return Math.abs(y * f - x) < 1e-9 * Math.max(1, x) || Math.abs(Math.round(y * f * 100) / 100 - x) < 1e-9 * Math.max(1, x);
    });
  }

  // patterns returns, for each query group, the term lists to look for in
  // text: the group's own, and those of the phrases its synonyms give.
  function patterns(groups, synonyms) {
    return groups.map(function (g) {
      var list = [g.terms];
      (synonyms || []).forEach(function (set) {
        var hit = set.some(function (p) {
          var pg = parseQuery(p);
          return pg.length === 1 && termsKey(pg[0].terms) === termsKey(g.terms);
        });
        if (hit) {
          set.forEach(function (p) {
            var pg = parseQuery(p);
            if (pg.length === 1) { list.push(pg[0].terms); }
          });
        }
      });
      return list;
    });
  }

  function termsKey(terms) {
    return terms.map(function (t) { return t.text + '@' + t.rel; }).join(' ');
  }

  // marks finds the spans of text (UTF-16 offsets) to highlight: where a
  // pattern of a group stands whole, else, for a group with no whole
  // occurrence, its terms one by one.
  function marks(text, pats) {
    var toks = tokenize(text, false);
    var at = {}, positions = [];
    toks.forEach(function (t) {
      if (!at[t.pos]) { at[t.pos] = []; positions.push(t.pos); }
      at[t.pos].push(t);
    });
    function match(pos, term) {
      var list = at[pos] || [];
      for (var i = 0; i < list.length; i++) {
        var t = list[i];
        if (t.text === term.text) { return t; }
        if (t.kind === NUMBER && /^[0-9.]+$/.test(term.text) && sameAmount(term.text, t.text)) { return t; }
      }
      return null;
    }
    var spans = [];
    pats.forEach(function (alts) {
      var whole = false;
      alts.forEach(function (terms) {
        positions.forEach(function (p) {
          var base = p - terms[0].rel, start = Infinity, end = -1;
          for (var i = 0; i < terms.length; i++) {
            var m = match(base + terms[i].rel, terms[i]);
            if (!m) { return; }
            start = Math.min(start, m.start);
            end = Math.max(end, m.end);
          }
          spans.push([start, end]);
          whole = true;
        });
      });
      if (whole) { return; }
      alts[0].forEach(function (term) {
        positions.forEach(function (p) {
          var m = match(p, term);
          if (m) { spans.push([m.start, m.end]); }
        });
      });
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    spans.forEach(function (sp) {
      var last = merged[merged.length - 1];
      if (last && sp[0] <= last[1]) { last[1] = Math.max(last[1], sp[1]); } else { merged.push([sp[0], sp[1]]); }
    });
    return merged;
  }

  // snippet fills el with about 120 characters of text around its first
  // highlighted span (from the start with fromStart), the spans in <mark>.
  function snippet(el, text, pats, fromStart) {
    var spans = marks(text, pats);
    var from = 0, to = Math.min(text.length, 120);
    if (spans.length > 0 && !fromStart) {
      from = Math.max(0, spans[0][0] - 30);
      to = Math.min(text.length, from + 120);
    }
    // Keep surrogate pairs whole.
    if (from > 0 && /[\udc00-\udfff]/.test(text.charAt(from))) { from--; }
    if (to < text.length && /[\udc00-\udfff]/.test(text.charAt(to))) { to++; }
    if (from > 0) { el.appendChild(document.createTextNode('…')); }
    var i = from;
    spans.forEach(function (sp) {
      if (sp[1] <= from || sp[0] >= to) { return; }
      var a = Math.max(sp[0], from), b = Math.min(sp[1], to);
      if (a > i) { el.appendChild(document.createTextNode(flat(text.slice(i, a)))); }
      var mk = document.createElement('mark');
      mk.textContent = flat(text.slice(a, b));
      el.appendChild(mk);
      i = b;
    });
    if (i < to) { el.appendChild(document.createTextNode(flat(text.slice(i, to)))); }
    if (to < text.length) { el.appendChild(document.createTextNode('…')); }
  }

  function flat(s) { return s.replace(/\s*\n\s*/g, ' · '); }

  // --------------------------------------------------------------------- UI


  function supported() {
    return letterRE !== null && typeof fetch === 'function' && typeof Promise === 'function' &&
      encoder !== null && decoder !== null && typeof String.prototype.normalize === 'function' &&
      typeof Math.imul === 'function' && typeof String.fromCodePoint === 'function' &&
      typeof history.replaceState === 'function' && typeof URLSearchParams === 'function';
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function UI(form) {
    this.form = form;
    this.base = form.getAttribute('data-base') || '/';
    this.ix = new Index(form.getAttribute('data-index'));
    this.input = form.querySelector('input[name=q]');
    this.status = document.getElementById('search-status');
    this.list = document.getElementById('search-results');
    this.terms = document.getElementById('search-terms');
    this.termsList = document.getElementById('search-terms-list');
    this.moreBox = document.getElementById('search-more');
    this.moreButton = document.getElementById('search-more-button');
    this.search = null;
    this.shown = 0;
    this.seq = 0;
    this.title = document.title;
    // Results per page: 10, or the form's data-page-size.
    this.pageSize = parseInt(form.getAttribute('data-page-size'), 10) || 10;
  }

  UI.prototype.params = function () {
    var p = new URLSearchParams(location.search);
    return { q: p.get('q') || '', year: p.get('year') || '', kind: p.get('kind') || '', body: p.get('body') || '' };
  };

  UI.prototype.fill = function (p) {
    this.input.value = p.q;
    ['year', 'kind', 'body'].forEach(function (k) {
      var s = this.form.elements[k];
      if (s) { s.value = p[k]; }
    }, this);
  };

  UI.prototype.formParams = function () {
    var p = { q: this.input.value.trim() };
    ['year', 'kind', 'body'].forEach(function (k) {
      var s = this.form.elements[k];
      p[k] = s ? s.value : '';
    }, this);
    return p;
  };

  UI.prototype.url = function (p) {
    var u = new URLSearchParams();
    if (p.q) { u.set('q', p.q); }
    ['year', 'kind', 'body'].forEach(function (k) { if (p[k]) { u.set(k, p[k]); } });
    var qs = u.toString();
    return location.pathname + (qs ? '?' + qs : '');
  };

  UI.prototype.start = function () {
    var ui = this;
    this.form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var p = ui.formParams();
      history.pushState(null, '', ui.url(p));
      ui.run(p);
    });
    ['year', 'kind', 'body'].forEach(function (k) {
      var s = ui.form.elements[k];
      if (s) {
        s.addEventListener('change', function () {
          var p = ui.formParams();
          history.replaceState(null, '', ui.url(p));
          if (p.q) { ui.run(p); }
        });
      }
    });
    window.addEventListener('popstate', function () {
      var p = ui.params();
      ui.fill(p);
      ui.run(p);
    });
    this.moreButton.addEventListener('click', function () { ui.more(); });
    // Arrow keys move between the search box and the results; Esc goes
    // back to the box.
    this.input.addEventListener('keydown', function (ev) {
      if (ev.key === 'ArrowDown') {
        var first = ui.list.querySelector('.search-result-title a');
        if (first) { ev.preventDefault(); first.focus(); }
      }
    });
    this.list.addEventListener('keydown', function (ev) {
      var links = Array.prototype.slice.call(ui.list.querySelectorAll('.search-result-title a'));
      var i = links.indexOf(document.activeElement);
      if (ev.key === 'Escape') {
        ev.preventDefault();
        ui.input.focus();
      } else if (i >= 0 && ev.key === 'ArrowDown' && i + 1 < links.length) {
        ev.preventDefault();
        links[i + 1].focus();
      } else if (i >= 0 && ev.key === 'ArrowUp') {
        ev.preventDefault();
        if (i > 0) { links[i - 1].focus(); } else { ui.input.focus(); }
      }
    });
    var p = this.params();
    this.fill(p);
    this.ready = this.ix.load();
    this.ready.catch(function () { ui.say('搜索索引载入失败，请稍后刷新页面重试。'); });
    this.run(p);
  };

  UI.prototype.say = function (msg) { this.status.textContent = msg; };

  UI.prototype.filters = function (p) {
    var f = [];
    if (p.year) { f.push('\u0001y' + p.year); }
    if (p.kind) { f.push('\u0001k' + p.kind); }
    if (p.body) { f.push('\u0001b' + p.body); }
    return f;
  };

  // run searches for p and shows the first results. ui.pending is the
  // promise of the search running (tests wait for it).
  UI.prototype.run = function (p) {
    this.pending = this.search0(p);
    return this.pending;
  };

  UI.prototype.search0 = function (p) {
    var ui = this, seq = ++this.seq;
    this.list.textContent = '';
    this.termsList.textContent = '';
    this.terms.hidden = true;
    this.termSecs = {}; // sections of the glossary page shown as definitions
    this.moreBox.hidden = true;
    this.shown = 0;
    this.p = p;
    document.title = (p.q ? p.q + ' - ' : '') + this.title;
    if (!p.q) {
      this.say('输入词语、科目编码或金额，按回车搜索。');
      return Promise.resolve();
    }
    this.say('正在搜索……');
    var t0 = performance.now();
    return this.ready.then(function () {
      var s = new Search(ui.ix, p.q, ui.filters(p));
      ui.search = s;
      return s.start();
    }).then(function (s) {
      return Promise.all([s.scan(ui.pageSize, 16), ui.glossary(s)]);
    }).then(function () {
      if (seq !== ui.seq) { return null; }
      return ui.show(seq, t0);
    }).catch(function (err) {
      if (seq === ui.seq) { ui.say('搜索出错：' + err.message); }
    });
  };

  UI.prototype.more = function () {
    var ui = this, s = this.search, seq = this.seq;
    this.moreButton.disabled = true;
    var first = this.shown;
    this.pending = s.scan(this.shown + this.pageSize, 16).then(function () {
      ui.moreButton.disabled = false;
      if (seq === ui.seq) { return ui.show(seq, null); }
      return null;
    }).then(function () {
      // Keyboard and screen reader users go on from the first new result.
      var links = ui.list.querySelectorAll('.search-result-title a');
      if (links[first]) { links[first].focus(); }
    });
    return this.pending;
  };

  // show renders the results not yet shown, up to a page of them.
  UI.prototype.show = function (seq, t0) {
    var ui = this, s = this.search, m = this.ix.manifest;
    // A glossary term shown above the results is not a result again.
    var pages = s.results().filter(function (r) {
      if (r.page < m.glossary[0] || r.page >= m.glossary[1]) { return true; }
      r.docs = r.docs.filter(function (d) { return !ui.termSecs[d.sec]; });
      return r.docs.length > 0;
    });
    var next = pages.slice(this.shown, this.shown + this.pageSize);
    var pats = patterns(s.groups, m.synonyms);
    return Promise.all(next.map(function (r) {
      return ui.ix.part(r.page, r.docs[0].sec).then(function (pt) { return { r: r, pt: pt }; });
    })).then(function (items) {
      if (seq !== ui.seq) { return; }
      items.forEach(function (it) { ui.list.appendChild(ui.item(it.r, it.pt, pats)); });
      ui.shown += items.length;
      var more = ui.shown < pages.length || !s.done;
      ui.moreBox.hidden = !more;
      if (pages.length === 0) {
        ui.noResults();
      } else {
        var n = s.done ? '共找到 ' + pages.length + ' 个页面' : '找到 ' + pages.length + ' 个以上的页面';
        var ms = t0 !== null ? '（' + Math.max(1, Math.round(performance.now() - t0)) + ' 毫秒）' : '';
        ui.say(n + '，显示前 ' + ui.shown + ' 个，相关程度高的在前' + ms + '。');
      }
    });
  };

  UI.prototype.item = function (r, pt, pats) {
    var best = r.docs[0];
    var toc = pt.toc[best.sec] || [1, '', pt.t];
    var li = el('li', 'search-result');
    var h = el('h2', 'search-result-title');
    var a = el('a', null, best.sec === 0 ? pt.t : toc[2]);
    a.href = this.link(pt.p, toc[1]);
    h.appendChild(a);
    li.appendChild(h);
    var meta = el('p', 'search-result-meta');
    var bits = [];
    if (pt.b) { bits.push(pt.b); }
    if (pt.y) { bits.push(pt.y + '年'); }
    if (pt.k) { bits.push(pt.k); }
    if (best.sec !== 0) { bits.push(pt.t); }
    meta.appendChild(document.createTextNode(bits.join(' · ')));
    if (pt.x) {
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(el('span', 'badge', '示例数据（虚构）'));
    }
    li.appendChild(meta);
    var text = pt.s[best.sec - pt.f];
    if (text) {
      var sn = el('p', 'search-result-snippet');
      snippet(sn, text, pats);
      li.appendChild(sn);
    }
    var others = r.docs.slice(1, 4);
    if (others.length > 0) {
      var more = el('p', 'search-result-more', '本页另见：');
      others.forEach(function (d, i) {
        var t = pt.toc[d.sec];
        if (!t) { return; }
        if (i > 0) { more.appendChild(document.createTextNode('；')); }
        var oa = el('a', null, d.sec === 0 ? pt.t : t[2]);
        oa.href = this.link(pt.p, t[1]);
        more.appendChild(oa);
      }, this);
      li.appendChild(more);
    }
    return li;
  };

  UI.prototype.link = function (path, anchor) {
    return this.base + path + (anchor ? '#' + encodeURIComponent(anchor) : '');
  };

  // glossary shows the glossary terms the query names, with definitions.
  UI.prototype.glossary = function (s) {
    var ui = this, m = this.ix.manifest;
    var key = s.groups.map(function (g) { return unitsOf(g.text); }).join('');
    if (key.length < 2 || m.glossary[1] <= m.glossary[0]) { return Promise.resolve(); }
    var found = [];
    (m.terms || []).forEach(function (t) {
      if (found.length >= 3) { return; }
      var names = [t[0]].concat(t.slice(2));
      var hit = names.some(function (n) {
        var u = unitsOf(n);
        return u === key || (u.indexOf(key) >= 0) || (key.length >= 3 && key.indexOf(u) >= 0 && u.length >= 2);
      });
      if (hit) { found.push(t); }
    });
    if (found.length === 0) { return Promise.resolve(); }
    var page = m.glossary[0];
    return this.ix.part(page, 0).then(function (first) {
      return Promise.all(found.map(function (t) {
        var sec = -1;
        first.toc.forEach(function (e, i) { if (e[1] === t[1]) { sec = i; } });
        if (sec < 0) { return null; }
        return ui.ix.part(page, sec).then(function (pt) { return { t: t, pt: pt, sec: sec }; });
      }));
    }).then(function (items) {
      var pats = patterns(s.groups, m.synonyms);
      items.forEach(function (it) {
        if (!it) { return; }
        var dt = el('dt');
        var a = el('a', null, it.t[0]);
        a.href = ui.link(it.pt.p, it.t[1]);
        dt.appendChild(a);
        var dd = el('dd');
        snippet(dd, it.pt.s[it.sec - it.pt.f] || '', pats, true);
        ui.termSecs[it.sec] = true;
        ui.termsList.appendChild(dt);
        ui.termsList.appendChild(dd);
      });
      ui.terms.hidden = ui.termsList.childNodes.length === 0;
    });
  };

  function unitsOf(s) {
    return tokenize(s, true).filter(function (t) { return t.kind !== BIGRAM; })
      .map(function (t) { return t.text; }).join('');
  }

  UI.prototype.noResults = function () {
    var ui = this, p = this.p, s = this.search, m = this.ix.manifest;
    this.say('没有找到与“' + p.q + '”相关的内容。');
    var li = el('li', 'search-none');
    li.appendChild(el('p', null, '没有找到与“' + p.q + '”相关的内容。可以试试：'));
    var ul = el('ul');
    function link(text, params) {
      var a = el('a', null, text);
      a.href = ui.url(params);
      return a;
    }
    if (p.year || p.kind || p.body) {
      var x = el('li');
      x.appendChild(link('去掉筛选条件再搜', { q: p.q }));
      ul.appendChild(x);
    }
    if (s.groups.length > 1) {
      var y = el('li', null, '分开搜：');
      s.groups.forEach(function (g, i) {
        if (i > 0) { y.appendChild(document.createTextNode('、')); }
        y.appendChild(link(g.text, { q: g.text, year: p.year, kind: p.kind, body: p.body }));
      });
      ul.appendChild(y);
    }
    ul.appendChild(el('li', null, '检查有没有错别字，或换一个说法；数字可以只输入一部分，例如科目编码 2120101、金额 2966.24。'));
    if (m.suggest && m.suggest.length > 0) {
      var z = el('li', null, '常用名词：');
      m.suggest.forEach(function (t, i) {
        if (i > 0) { z.appendChild(document.createTextNode('、')); }
        z.appendChild(link(t, { q: t }));
      });
      ul.appendChild(z);
    }
    var w = el('li', null, '从');
    var home = el('a', null, '首页');
    home.href = this.base;
    w.appendChild(home);
    w.appendChild(document.createTextNode('按单位和年度浏览。'));
    ul.appendChild(w);
    li.appendChild(ul);
    this.list.appendChild(li);
  };

  // ----------------------------------------------------------------- exports

  window.discloseSearch = {
    supported: supported,
    tokenize: function (s) {
      return tokenize(s, true).map(function (t) {
        return { text: t.text, kind: KIND_NAMES[t.kind], pos: t.pos, unit: t.unit };
      });
    },
    parseQuery: parseQuery,
    hash32: hash32,
    hashName: hashName,
    Index: Index,
    Search: Search,
    marks: marks
  };

  function init() {
    var form = document.getElementById('search-form');
    if (!form || !form.getAttribute('data-index')) { return; }
    if (!supported()) {
      var st = document.getElementById('search-status');
      if (st) {
        st.textContent = '这个浏览器版本较旧，无法使用站内搜索。请换用较新版本的浏览器，或从首页按单位和年度查看。';
      }
      return;
    }
    var ui = new UI(form);
    window.discloseSearch.ui = ui;
    ui.start();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
