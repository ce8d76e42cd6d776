package publish

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/disclose/disclose/generator/diag"
	htmllex "github.com/tdewolff/parse/v2/html"
)

// Page is an HTML page for [Stage.Page].
type Page struct {
	// Name is its output name: index.html, glossary/index.html, 404.html.
	Name string
	HTML []byte
	// Layout is the layout file that rendered it (layouts/disclosure.html):
	// what a problem outside Parts is reported against.
	Layout string
	// Parts are the stretches of HTML made from a source file, such as the
	// Markdown sections of a disclosure, so that a problem inside one is
	// reported at the line of that file.
	Parts []Part
	// Sitemap lists the page in sitemap.xml (every page but the 404 page).
	Sitemap bool
	// Modified is the date of the page's content for sitemap.xml; zero
	// means unknown.
	Modified time.Time
	// Tokens, if set, is given every token of the page as the page check
	// lexes it (tdewolff's HTML lexer l returned tt and tok), so that
	// another reader of the page (the search extraction) need not lex it
	// again. tok and the slices l returns hold until the page is checked,
	// not after.
	Tokens func(tt htmllex.TokenType, tok []byte, l *htmllex.Lexer)
}

// Part is a stretch of a page's HTML made from a source file.
type Part struct {
	// HTML is the stretch as it appears in the page.
	HTML []byte
	// File is the source file (content/…/03-explanation.md); Line is the
	// line of File that Source starts on.
	File string
	Line int
	// Source is the text the stretch was made from.
	Source []byte
}

// pageRecord is what the link check needs of a page once it is written.
type pageRecord struct {
	name string
	// ids are the page's element ids, as sorted hashes: the link check only
	// asks whether an id is there, and a site has millions of them.
	ids      []uint64
	refs     []ref     // links to other files, one per target and origin
	problems []problem // found on the page itself (not its links)
	layout   string
	parts    []partSource
	sitemap  bool
	modified time.Time
}

// partSource is a Part without its HTML.
type partSource struct {
	file   string
	line   int
	source []byte
}

// ref is a link from a page to another file of the site: what a site's
// pages repeat (the link as written, its target and where to look for it
// in a source) is shared, what differs per page is not. A site of 10,000
// disclosures has near a million of them.
type ref struct {
	*link
	outLine int32 // line of the (unminified) page it is on
	part    int32 // origin.part
	nth     int32 // origin.nth
}

// link is the shared part of a ref.
type link struct {
	raw     string // as written, for messages
	target  string // output name
	frag    string // decoded fragment, "" for none
	shown   string // origin.shown
	needles []string
}

func newRef(raw, target, frag string, outLine int, o origin) ref {
	return ref{link: &link{raw: raw, target: target, frag: frag, shown: o.shown, needles: o.needles},
		outLine: int32(outLine), part: int32(o.part), nth: int32(o.nth)}
}

// where is the origin of the ref.
func (r ref) where() origin {
	return origin{part: int(r.part), nth: int(r.nth), needles: r.needles, shown: r.shown}
}

// linkKey identifies a link; its strings are the link's own.
type linkKey struct {
	raw, target, frag, shown string
	needles                  string // joined by NUL
}

// intern makes r's link the stage's shared copy.
func (r *ref) intern(s *Stage) {
	k := linkKey{r.raw, r.target, r.frag, r.shown, strings.Join(r.needles, "\x00")}
	s.stringsMu.Lock()
	defer s.stringsMu.Unlock()
	if l, ok := s.links[k]; ok {
		r.link = l
		return
	}
	if s.links == nil {
		s.links = map[linkKey]*link{}
	}
	l := &link{raw: strings.Clone(r.raw), target: strings.Clone(r.target), frag: strings.Clone(r.frag), shown: strings.Clone(r.shown)}
	for _, n := range r.needles {
		l.needles = append(l.needles, strings.Clone(n))
	}
	s.links[linkKey{l.raw, l.target, l.frag, l.shown, strings.Clone(k.needles)}] = l
	r.link = l
}

// origin says where in the sources a stretch of a page came from: part ≥ 0
// with the occurrence of needles in that part's source, or a layout.
type origin struct {
	part    int // index into Parts, or -1 for the layout
	nth     int // which occurrence of the needle in the part
	needles []string
	// shown is the URL as messages quote it; placed in a source part, it
	// is replaced by the form found there (the editor's own writing).
	shown string
}

// hasID reports whether the page has an element with id.
func (p *pageRecord) hasID(id string) bool {
	_, ok := slices.BinarySearch(p.ids, idHash(id))
	return ok
}

// idHash is the hash ids are kept as (FNV-1a, 64 bits): two ids of a page
// sharing one would only hide a missing anchor, one in 10¹⁹.
func idHash(id string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	return h
}

// Page checks, completes and writes one HTML page. Problems are reported
// by Finish; the error is a failure to write.
func (s *Stage) Page(p Page) error {
	_, err := s.PagePublished(p)
	return err
}

// PagePublished is Page, and returns the page as written, for a later
// build to Republish.
func (s *Stage) PagePublished(p Page) (*Published, error) {
	if err := checkName(p.Name); err != nil {
		return nil, err
	}
	pc := &pageCheck{s: s, p: &p, rec: &pageRecord{name: p.Name, layout: p.Layout, sitemap: p.Sitemap, modified: p.Modified},
		idSeen: map[string]int{}}
	pc.locateParts()
	regions := scanTags(p.HTML, pc.tag, p.Tokens)
	pc.finish()
	out := p.HTML
	if len(pc.inserts) > 0 {
		regions = shiftRegions(regions, pc.inserts)
		var b bytes.Buffer
		n := len(out)
		for _, in := range pc.inserts {
			n += len(in.text)
		}
		b.Grow(n)
		last := 0
		for _, in := range pc.inserts {
			b.Write(out[last:in.off])
			b.WriteString(in.text)
			last = in.off
		}
		b.Write(out[last:])
		out = b.Bytes()
	}
	if s.min != nil {
		if m, err := minifyPage(s.min, out, regions, &s.paths); err == nil {
			out = m
		}
	}
	if !s.o.KeepLinks {
		// A link whose target is already written is checked now and
		// forgotten; Finish checks the others. A site's pages have near
		// a million links, most to files written before them.
		s.mu.Lock()
		pc.links = slices.DeleteFunc(pc.links, func(l pageLink) bool { return s.resolved(l.ref) })
		s.mu.Unlock()
	}
	pc.rec.refs = pc.placeLinks()
	for i := range pc.rec.refs {
		pc.rec.refs[i].intern(s)
	}
	pc.rec.problems = pc.problems
	pub := &Published{rec: pc.rec, data: out, sum: sha256.Sum256(out)}
	return pub, s.Republish(pub)
}

// pageCheck is the work on one page.
type pageCheck struct {
	s        *Stage
	p        *Page
	rec      *pageRecord
	spans    []span // where the Parts are in the page, in order
	cursor   int    // the span the scanner is in or before
	idSeen   map[string]int
	counts   map[string]nthCount // see nthBefore
	idrefs   []idref
	links    []pageLink // links to other files of the site
	local    []pageLink // links to this page's own anchors
	inserts  []insert
	problems []problem
	lines    lineIndex
	// at is the page's own address, which its links are resolved against
	// (made at the first link: a page has a hundred), and atPath the path
	// that a link to one of its anchors resolves to.
	at     *url.URL
	atPath string
}

// plainLink reads the two forms most of a generated page's links take,
// #anchor and /a/b.csv#anchor, as url.Parse would, without it: path is ""
// for an anchor on the page itself. ok is false for any other form (a
// scheme, a host, a query, an escape, a relative path, a dot segment,
// spaces or control characters), which url.Parse reads.
// FuzzPlainLink holds the two to the same result.
func plainLink(val string) (path, frag string, ok bool) {
	hashes := 0
	for i := 0; i < len(val); i++ {
		switch c := val[i]; {
		case c <= ' ' || c == 0x7f || c == '%' || c == '?' || c == '\\':
			return "", "", false
		case c == '#':
			hashes++
		}
	}
	path, frag, _ = strings.Cut(val, "#")
	if hashes > 1 || path != "" && (path[0] != '/' || strings.Contains(path, "//") || strings.Contains(path, "/.")) {
		return "", "", false
	}
	return path, frag, true
}

type idref struct {
	attr, id string
	off      int
	raw      string
	at       attr
}

// span is where Part part is in the page: [start, end).
type span struct {
	start, end, part int
}

type insert struct {
	off  int
	text string
}

// locateParts finds each Part's stretch in the page, in order.
func (pc *pageCheck) locateParts() {
	from := 0
	for _, part := range pc.p.Parts {
		pc.rec.parts = append(pc.rec.parts, partSource{file: part.File, line: part.Line, source: part.Source})
		i := -1
		if len(part.HTML) > 0 {
			i = bytes.Index(pc.p.HTML[from:], part.HTML)
		}
		if i < 0 {
			continue
		}
		start := from + i
		pc.spans = append(pc.spans, span{start, start + len(part.HTML), len(pc.rec.parts) - 1})
		from = start + len(part.HTML)
	}
}

// partAt returns the index of the span of the Part the text at off is in,
// or -1. The scanner calls it in increasing order of off.
func (pc *pageCheck) partAt(off int) int {
	for pc.cursor < len(pc.spans) && off >= pc.spans[pc.cursor].end {
		pc.cursor++
	}
	if pc.cursor == len(pc.spans) || off < pc.spans[pc.cursor].start {
		return -1
	}
	return pc.cursor
}

// nthBefore counts how many times text comes before off in the Part whose
// span is sp, to match the nth in the HTML with the nth in the source. It is
// asked only for what may need placing (links, problems), so the thousands
// of table cells of a page cost nothing.
//
// It counts as bytes.Count(HTML[start:off], text) does, but the scanner
// asks in increasing order of off, so each text's count goes on from where
// the last question left it: a part with many links is read once per text,
// not once per link.
func (pc *pageCheck) nthBefore(sp, off int, text string) int {
	if sp < 0 || text == "" {
		return 0
	}
	c, ok := pc.counts[text]
	if !ok || c.sp != sp || off < c.off {
		c = nthCount{sp: sp, from: pc.spans[sp].start}
	}
	sep := []byte(text)
	for c.from < off {
		i := bytes.Index(pc.p.HTML[c.from:off], sep)
		if i < 0 {
			break
		}
		c.n++
		c.from += i + len(sep)
	}
	// No occurrence not yet counted starts before off-len(text)+1: it
	// would have ended before off.
	c.from = max(c.from, off-len(sep)+1)
	c.off = off
	if pc.counts == nil {
		pc.counts = map[string]nthCount{}
	}
	pc.counts[text] = c
	return c.n
}

// nthCount is where nthBefore got to with a text in span sp: n
// occurrences before off, the next to be looked for from from.
type nthCount struct {
	sp, off, from, n int
}

// pageLink is a link of the page being checked, with what is needed to
// say where it came from.
type pageLink struct {
	ref
	a   attr   // the attribute it is in
	val string // its value, trimmed
}

// place works out where l came from.
func (pc *pageCheck) place(l *pageLink) {
	o := pc.origin(l.a, pc.s.sourceForms(l.val)...)
	l.part, l.nth, l.needles = int32(o.part), int32(o.nth), o.needles
}

// placeLinks places pc.links in their sources and keeps one link per
// target and origin: a site's pages repeat the same navigation links many
// times.
func (pc *pageCheck) placeLinks() []ref {
	type key struct {
		target, frag, raw string
		part, nth         int32
	}
	seen := make(map[key]bool, len(pc.links))
	refs := make([]ref, 0, len(pc.links))
	for i := range pc.links {
		l := &pc.links[i]
		pc.place(l)
		k := key{target: l.target, frag: l.frag, part: l.part, nth: l.nth}
		if l.part < 0 {
			k = key{target: l.target, frag: l.frag, part: -1, raw: l.raw}
		}
		if !seen[k] {
			seen[k] = true
			refs = append(refs, l.ref)
		}
	}
	return refs
}

// origin says where attribute a came from; sources are the forms its text
// may have in a source file.
func (pc *pageCheck) origin(a attr, sources ...string) origin {
	if a.part < 0 {
		return origin{part: -1, needles: sources}
	}
	return origin{part: pc.spans[a.part].part, nth: pc.nthBefore(a.part, a.off, pc.raw(a)), needles: sources}
}

// tagOrigin says where the start tag t (written "<"+name) came from.
func (pc *pageCheck) tagOrigin(t *tag, sp int, name string) origin {
	if sp < 0 {
		return origin{part: -1, needles: []string{"<" + name}}
	}
	return origin{part: pc.spans[sp].part, nth: pc.nthBefore(sp, t.off, "<"+name), needles: []string{"<" + name}}
}

// problem records a problem at offset off of the page.
func (pc *pageCheck) problem(off int, o origin, rule, format string, args ...any) {
	d := diag.Diagnostic{Severity: diag.Error, Rule: rule, Message: fmt.Sprintf(format, args...)}
	pc.problems = append(pc.problems, pc.s.place(d, pc.rec, o, pc.lines.line(pc.p.HTML, off)))
}

// URL attributes, by element: nav links are followed by a reader (their
// target must exist, and may be another site); resources are fetched by
// the browser (they must be files of the site).
var (
	urlAttrs = map[string][]urlAttr{
		"a": {{"href", true}}, "area": {{"href", true}}, "form": {{"action", true}}, "button": {{"formaction", true}},
		"input":  {{"formaction", true}, {"src", false}},
		"script": {{"src", false}}, "img": {{"src", false}, {"srcset", false}}, "source": {{"src", false}, {"srcset", false}},
		"video": {{"src", false}, {"poster", false}}, "audio": {{"src", false}}, "track": {{"src", false}},
		"iframe": {{"src", false}}, "embed": {{"src", false}}, "object": {{"data", false}},
	}
	// navRels are <link rel> values that name a page rather than load a file.
	navRels = map[string]bool{"canonical": true, "alternate": true, "author": true, "help": true, "license": true,
		"next": true, "prev": true, "search": true, "sitemap": true, "bookmark": true, "privacy-policy": true, "terms-of-service": true, "me": true}
	// idrefAttrs hold ids of elements of the same page.
	idrefAttrs = map[string]bool{"aria-labelledby": true, "aria-describedby": true, "aria-controls": true, "aria-owns": true,
		"aria-flowto": true, "aria-details": true, "aria-activedescendant": true, "aria-errormessage": true, "for": true,
		"headers": true, "list": true, "form": true, "popovertarget": true, "commandfor": true, "anchor": true}
)

// tag checks one start tag.
func (pc *pageCheck) tag(t *tag) {
	name := t.name
	if t.svg {
		name = strings.ToLower(name)
	}
	tagSpan := pc.partAt(t.off)
	for i := range t.attrs {
		t.attrs[i].part = pc.partAt(t.attrs[i].off)
	}
	for _, a := range t.attrs {
		o := func() origin { return pc.origin(a, pc.raw(a)) }
		switch {
		case a.key == "class" || a.key == "scope" || a.key == "colspan" || a.key == "rowspan":
			// Most attributes of a page; nothing to check.
		case a.key == "id":
			id := a.value()
			pc.idSeen[id]++
			if pc.idSeen[id] == 2 {
				// Written as a heading's {#id} in Markdown, where the
				// editor looks for it.
				pc.problem(a.off, pc.origin(a, pc.raw(a), "{#"+id+"}"), "html.duplicate-id",
					"id %q 在本页出现了不止一次：指向它的链接只会到第一个（各部分的 id、小标题的 {#…} 锚点在同一页上不能重名）", id)
			}
		case a.key == "name" && name == "a":
			pc.rec.ids = append(pc.rec.ids, idHash(a.value())) // a legacy anchor
		case a.key == "style":
			pc.problem(a.off, o(), "csp.style-attr", "style 属性会被内容安全策略（CSP）拦截：样式请写在 static/ 下的 CSS 文件中，用 class 引用")
		case len(a.key) > 2 && strings.HasPrefix(a.key, "on") && isLetters(a.key):
			pc.problem(a.off, o(), "csp.event-handler", "事件属性 %s 会被内容安全策略（CSP）拦截：脚本请放在 static/ 下的 .js 文件中，用 addEventListener 绑定", a.key)
		case idrefAttrs[a.key]:
			for _, id := range strings.Fields(a.value()) {
				pc.idrefs = append(pc.idrefs, idref{attr: a.key, id: id, off: a.off, raw: pc.raw(a), at: a})
			}
		}
	}
	switch name {
	case "style":
		pc.problem(t.off, pc.tagOrigin(t, tagSpan, "style"), "csp.style-element", "<style> 元素会被内容安全策略（CSP）拦截：样式请写在 static/ 下的 CSS 文件中")
	case "script":
		_, hasSrc := t.get("src")
		if t.svg {
			_, hasSrc = svgHref(t)
		}
		typ, _ := t.get("type")
		if !hasSrc && isScriptType(typ) {
			pc.problem(t.off, pc.tagOrigin(t, tagSpan, "script"), "csp.inline-script", "内联 <script> 会被内容安全策略（CSP）拦截：脚本请放在 static/ 下的 .js 文件中，用 <script src=\"{{asset \"js/….js\"}}\"> 引用")
		}
	}
	if t.svg {
		for _, a := range t.attrs {
			if a.key == "href" || a.key == "xlink:href" {
				pc.url(t, a, name == "a")
			}
		}
		return
	}
	for _, u := range urlAttrs[name] { // none for most elements of a page
		for _, a := range t.attrs {
			switch {
			case a.key != u.key:
			case u.key == "srcset":
				pc.srcset(t, a)
			default:
				pc.url(t, a, u.nav)
			}
		}
	}
	if name == "link" {
		rel, _ := t.get("rel")
		nav := false
		for _, r := range strings.Fields(strings.ToLower(rel)) {
			nav = nav || navRels[r]
		}
		for _, a := range t.attrs {
			if a.key == "href" {
				pc.url(t, a, nav)
			}
		}
	}
}

func svgHref(t *tag) (string, bool) {
	if v, ok := t.get("href"); ok {
		return v, true
	}
	return t.get("xlink:href")
}

func isLetters(s string) bool {
	for _, c := range s {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// isScriptType reports whether a <script type> is run (rather than a data
// block such as application/json, which CSP does not concern).
func isScriptType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "", "module", "text/javascript", "application/javascript", "text/ecmascript", "application/ecmascript", "application/x-javascript", "text/jscript":
		return true
	}
	return false
}

// srcset checks each URL of a srcset attribute.
func (pc *pageCheck) srcset(t *tag, a attr) {
	for _, cand := range strings.Split(a.value(), ",") {
		f := strings.Fields(cand)
		if len(f) == 0 {
			continue
		}
		b := a
		b.set, b.setVal = f[0], true
		pc.url(t, b, false)
	}
}

// url checks one URL attribute: nav is true for a link a reader follows,
// false for a file the browser loads.
func (pc *pageCheck) url(t *tag, a attr, nav bool) {
	s := pc.s
	val := strings.TrimSpace(a.value())
	shown := val
	if strings.IndexByte(val, '%') >= 0 {
		if d, err := url.PathUnescape(val); err == nil && utf8.ValidString(d) {
			shown = d
		}
	}
	o := func() origin {
		o := pc.origin(a, s.sourceForms(val)...)
		o.shown = shown
		return o
	}
	path, frag, plain := plainLink(val)
	u := &url.URL{Path: path, Fragment: frag}
	if !plain {
		var err error
		if u, err = url.Parse(val); err != nil {
			pc.problem(a.off, o(), "link.malformed", "网址 %q 写法有误", shown)
			return
		}
	}
	scheme := strings.ToLower(u.Scheme)
	switch {
	case scheme == "javascript":
		pc.problem(a.off, o(), "csp.javascript-url", "javascript: 网址会被内容安全策略（CSP）拦截：脚本请放在 static/ 下的 .js 文件中")
		return
	case scheme == "data":
		pc.problem(a.off, o(), "csp.data-url", "data: 网址会被内容安全策略（CSP）拦截：请把文件放在 static/ 下引用")
		return
	case scheme != "" && scheme != "http" && scheme != "https":
		if !nav {
			pc.problem(a.off, o(), "csp.third-party", "%s 不能作为页面加载的资源", shown)
		}
		return // mailto:, tel: …
	}
	if pc.p.Name == NotFoundPage && u.Scheme == "" && u.Host == "" && u.Path != "" && !strings.HasPrefix(u.Path, "/") {
		// The not-found page is shown at any address: a relative link
		// would lead somewhere else from each.
		pc.problem(a.off, o(), "link.relative-404", "404 页面会在任意网址下显示，其中的链接 %s 必须从网站根目录写起：模板中请用 {{url \"…\"}}", shown)
		return
	}
	if pc.at == nil {
		page, err := url.Parse(s.pageURL(pc.p.Name))
		if err != nil {
			return
		}
		if s.base != nil {
			page.Scheme, page.Host = s.base.Scheme, s.base.Host
		}
		pc.at = page
		pc.atPath = page.ResolveReference(&url.URL{}).Path
	}
	absPath := cmp.Or(path, pc.atPath)
	if !plain {
		absPath = pc.at.ResolveReference(u).Path
	}
	if u.Host != "" && (s.base == nil || !strings.EqualFold(u.Host, s.base.Host)) {
		if !nav {
			pc.problem(a.off, o(), "csp.third-party", "引用了外部网站的资源 %s：政府网站不应加载第三方资源，内容安全策略（CSP）也会拦截它；请把文件放到站点的 static/ 下", shown)
		}
		return
	}
	if !strings.HasPrefix(absPath, s.basePath) {
		pc.problem(a.off, o(), "link.outside", "链接 %s 不在本站的网址 %s 之下：站点放在子目录时，正文中以 / 开头的链接会自动加上子目录，模板中请用 {{url \"…\"}}", shown, s.basePath)
		return
	}
	target := strings.TrimPrefix(absPath, s.basePath)
	if target == "" || strings.HasSuffix(target, "/") {
		target += "index.html"
	}
	// Where the link came from is worked out only for the links that may
	// need it (see placeLinks): most are to files already written.
	l := pageLink{ref: newRef(shown, target, u.Fragment, pc.lines.line(pc.p.HTML, a.off), origin{shown: shown}), a: a, val: val}
	if target == pc.p.Name {
		pc.local = append(pc.local, l)
	} else {
		pc.links = append(pc.links, l)
	}
	// Subresource Integrity for scripts and stylesheets; crossorigin where
	// the fetch is in CORS mode (preloaded fonts).
	if nav || (t.name != "script" && t.name != "link") {
		return
	}
	asset := s.hashedAsset(target)
	if asset == nil {
		return
	}
	rel, _ := t.get("rel")
	rels := strings.Fields(strings.ToLower(rel))
	if t.name == "link" && !slices.Contains(rels, "stylesheet") && !slices.Contains(rels, "preload") && !slices.Contains(rels, "modulepreload") {
		return
	}
	if got, ok := t.get("integrity"); ok {
		if !slices.Contains(strings.Fields(got), asset.Integrity) {
			pc.problem(a.off, o(), "sri.mismatch", "integrity 与文件 %s 的内容不符（应为 %s）；不写 integrity 时会自动加上", asset.Name, asset.Integrity)
		}
	} else {
		pc.inserts = append(pc.inserts, insert{off: t.close, text: ` integrity="` + asset.Integrity + `"`})
	}
	if as, _ := t.get("as"); t.name == "link" && slices.Contains(rels, "preload") && (as == "font" || as == "fetch") {
		if _, ok := t.get("crossorigin"); !ok {
			pc.inserts = append(pc.inserts, insert{off: t.close, text: ` crossorigin`})
		}
	}
}

// raw returns attribute a as written in the page: href="x".
func (pc *pageCheck) raw(a attr) string { return string(pc.p.HTML[a.off:a.end]) }

// hashedAsset returns the asset whose output name is name, or nil.
func (s *Stage) hashedAsset(name string) *Asset {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hashed[name]
}

// sourceForms are the ways a URL found in a page may have been written in
// a source: as it is, percent-decoded, and (for a site under a sub-path)
// without the sub-path, as Markdown and the url template function take it.
func (s *Stage) sourceForms(val string) []string {
	forms := []string{val}
	if d, err := url.PathUnescape(val); err == nil && d != val {
		forms = append(forms, d)
	}
	for _, f := range slices.Clone(forms) {
		if s.basePath != "/" && strings.HasPrefix(f, s.basePath) {
			rest := strings.TrimPrefix(f, s.basePath)
			forms = append(forms, "/"+rest, rest)
		}
	}
	return forms
}

// finish checks what needs the whole page: its own anchors and the ids
// that attributes refer to.
func (pc *pageCheck) finish() {
	for id := range pc.idSeen {
		pc.rec.ids = append(pc.rec.ids, idHash(id))
	}
	slices.Sort(pc.rec.ids)
	pc.rec.ids = slices.Compact(pc.rec.ids)
	for _, l := range pc.local {
		if r := l.ref; r.frag != "" && !pc.rec.hasID(r.frag) && !specialFragment(r.frag) {
			d := diag.Diagnostic{Severity: diag.Error, Rule: "link.anchor",
				Message: fmt.Sprintf("链接 %s 指向本页的锚点，但本页没有 id 为 %q 的位置（小标题的锚点是去掉标点的标题文字，也可以用 {#id} 指定）", r.raw, r.frag)}
			pc.place(&l)
			pc.problems = append(pc.problems, pc.s.place(d, pc.rec, l.ref.where(), int(r.outLine)))
		}
	}
	for _, r := range pc.idrefs {
		if !pc.rec.hasID(r.id) {
			pc.problem(r.off, pc.origin(r.at, r.raw), "html.idref", "%s 指向的 id %q 在本页不存在", r.attr, r.id)
		}
	}
	// Finish places a broken link in its Markdown source, which it reads
	// again then (see Stage.source): a site's sources are not kept in
	// memory for the few links that may break.
	for i := range pc.rec.parts {
		if pc.s.rereadable(pc.rec.parts[i].file) {
			pc.rec.parts[i].source = nil
		}
	}
	slices.SortStableFunc(pc.inserts, func(a, b insert) int { return a.off - b.off })
}

// finishFile reports whether Finish will write name.
func (s *Stage) finishFile(name string) bool {
	switch name {
	case "robots.txt", HeadersFile, ManifestFile:
		return true
	case "sitemap.xml":
		return s.base != nil
	}
	return false
}

// urlAttr is an attribute holding a URL: to a page a reader goes to (nav)
// or to a file the page loads.
type urlAttr struct {
	key string
	nav bool
}

// specialFragment reports fragments that need no element: #top and text
// fragments.
func specialFragment(f string) bool {
	return strings.EqualFold(f, "top") || strings.HasPrefix(f, ":~:")
}

// checkLinks checks every link between pages and files once all are
// written. A stage carrying the previous build over checks only the links
// of the pages it wrote, when no file came or went and no page it wrote
// anew changed its ids: the links of the others then lead where they did.
func (s *Stage) checkLinks() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.linked = true
	if s.carry != nil && !s.carry.linksChanged() {
		for _, n := range s.fresh {
			s.checkPageLinks(s.pages[n])
		}
		return
	}
	s.linkProblems = map[string][]problem{}
	for _, rec := range s.pages {
		s.checkPageLinks(rec)
	}
}

// checkPageLinks checks the links of one page. s.mu is held.
func (s *Stage) checkPageLinks(rec *pageRecord) {
	var found []problem
	for _, r := range rec.refs {
		msg, rule := s.checkRef(r)
		if msg == "" {
			continue
		}
		d := diag.Diagnostic{Severity: diag.Error, Rule: rule, Message: msg}
		found = append(found, s.place(d, rec, r.where(), int(r.outLine)))
	}
	if found != nil {
		s.linkProblems[rec.name] = found
	} else {
		delete(s.linkProblems, rec.name)
	}
}

// resolved reports whether r leads to a file written already (and to an
// element of it that is there): nothing written later can break it. s.mu
// is held.
func (s *Stage) resolved(r ref) bool {
	if !s.has(r.target) {
		return false
	}
	if r.frag == "" || specialFragment(r.frag) {
		return true
	}
	p, ok := s.pages[r.target]
	return ok && p.hasID(r.frag)
}

// checkRef returns what is wrong with a link to another file, or "".
// s.mu is held.
func (s *Stage) checkRef(r ref) (msg, rule string) {
	if !s.has(r.target) && !s.finishFile(r.target) {
		switch {
		case s.has(r.target + "/index.html"):
			return fmt.Sprintf("链接 %s 末尾缺少 /：页面的网址以 / 结尾（应写 %s/）", r.raw, strings.SplitN(r.raw, "#", 2)[0]), "link.trailing-slash"
		case strings.HasSuffix(strings.ToLower(r.target), ".md"):
			return fmt.Sprintf("链接 %s 指向 Markdown 文件：网站上一份公开文件的各部分合为一页，请改为指向页面或锚点（如 #overview）", r.raw), "link.markdown"
		case s.assets[r.target] != nil:
			return fmt.Sprintf("链接 %s 指向资源文件的原名：发布的文件名带有内容哈希（%s），模板中请用 {{asset \"%s\"}}", r.raw, s.assets[r.target].Name, strings.TrimPrefix(r.target, "static/")), "link.unhashed-asset"
		}
		return fmt.Sprintf("链接 %s 指向的页面或文件 %s 不存在", r.raw, r.target), "link.broken"
	}
	if r.frag == "" || specialFragment(r.frag) {
		return "", ""
	}
	if target, ok := s.pages[r.target]; ok && !target.hasID(r.frag) {
		return fmt.Sprintf("链接 %s 中的锚点 #%s 在页面 %s 上不存在", r.raw, r.frag, r.target), "link.anchor"
	}
	return "", ""
}

// place returns a problem at the line of the source part it came from,
// else at the layout line that wrote it, else at the page's layout; the
// last two say in their message which page and line show it.
func (s *Stage) place(d diag.Diagnostic, rec *pageRecord, o origin, outLine int) problem {
	p := problem{d: d, page: rec.name, line: outLine}
	if o.part >= 0 && o.part < len(rec.parts) {
		part := rec.parts[o.part]
		p.d.File, p.d.Line = part.file, part.line
		source := s.source(part)
		for _, n := range o.needles {
			if off := nthIndex(source, n, o.nth); off >= 0 {
				line, col := lineCol(source, off)
				p.d.Line, p.d.Col = part.line+line-1, col
				if o.shown != "" && n != o.shown {
					p.d.Message = strings.ReplaceAll(p.d.Message, o.shown, n)
				}
				break
			}
		}
		return p
	}
	p.layout = true
	p.d.File = rec.layout
	if p.d.File == "" {
		p.d.File, p.d.Line, p.layout = rec.name, outLine, false
		return p
	}
	if file, line, col, ok := s.findInLayouts(rec.layout, o.needles); ok {
		p.d.File, p.d.Line, p.d.Col = file, line, col
	}
	return p
}

// rereadable reports whether the source file of a part can be read again
// from Options.Layouts (see source).
func (s *Stage) rereadable(file string) bool {
	if s.o.Layouts == nil || file == "" {
		return false
	}
	s.stringsMu.Lock()
	ok, seen := s.readable[file]
	s.stringsMu.Unlock()
	if !seen {
		_, err := fs.Stat(s.o.Layouts, file)
		ok = err == nil
		s.stringsMu.Lock()
		if s.readable == nil {
			s.readable = map[string]bool{}
		}
		s.readable[file] = ok
		s.stringsMu.Unlock()
	}
	return ok
}

// source returns the Markdown a part was made from: as kept, or read again
// from the site folder (Options.Layouts) from the part's first line on.
func (s *Stage) source(part partSource) []byte {
	if part.source != nil || s.o.Layouts == nil {
		return part.source
	}
	data, err := fs.ReadFile(s.o.Layouts, part.file)
	if err != nil {
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	for range part.line - 1 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return nil
		}
		data = data[i+1:]
	}
	return data
}

// nthIndex returns the offset of the nth (0-based) occurrence of needle in
// data, or of the last one if there are fewer; -1 if there is none. An
// occurrence counts only if it is a whole URL or attribute (/a is not
// found in /a/b), unless there is no such occurrence at all.
func nthIndex(data []byte, needle string, nth int) int {
	if needle == "" {
		return -1
	}
	var whole, any []int
	for from := 0; ; {
		j := bytes.Index(data[from:], []byte(needle))
		if j < 0 {
			break
		}
		at := from + j
		any = append(any, at)
		end := at + len(needle)
		if (at == 0 || !urlChar(needle[0]) || !urlChar(data[at-1])) && (end == len(data) || !urlChar(needle[len(needle)-1]) || !urlChar(data[end])) {
			whole = append(whole, at)
		}
		from = at + 1
	}
	list := whole
	if len(list) == 0 {
		list = any
	}
	if len(list) == 0 {
		return -1
	}
	return list[min(nth, len(list)-1)]
}

// urlChar reports whether c may continue a URL or attribute written in
// Markdown or a layout (the delimiters around one are not).
func urlChar(c byte) bool {
	return !strings.ContainsRune(" \t\r\n()<>[]{}\"'`=", rune(c))
}

// findInLayouts looks for the first of needles in the page's layout, the
// base layout and the partials, in that order. Short needles are skipped:
// "/" would be found anywhere.
func (s *Stage) findInLayouts(layout string, needles []string) (file string, line, col int, ok bool) {
	if s.o.Layouts == nil {
		return "", 0, 0, false
	}
	files := []string{layout, "layouts/base.html"}
	partials, _ := fs.Glob(s.o.Layouts, "layouts/partials/*.html")
	files = append(files, partials...)
	for _, n := range needles {
		if len(strings.Trim(n, "/#")) < 3 {
			continue
		}
		for _, f := range files {
			data := s.layout(f)
			if data == nil {
				continue
			}
			if i := bytes.Index(data, []byte(n)); i >= 0 {
				l, c := lineCol(data, i)
				return f, l, c, true
			}
		}
	}
	return "", 0, 0, false
}

// layout returns a layout file's text, read once per build; nil if it
// cannot be read.
func (s *Stage) layout(name string) []byte {
	s.lmu.Lock()
	defer s.lmu.Unlock()
	if data, ok := s.layouts[name]; ok {
		return data
	}
	data, err := fs.ReadFile(s.o.Layouts, name)
	if err != nil {
		data = nil
	}
	if s.layouts == nil {
		s.layouts = map[string][]byte{}
	}
	s.layouts[name] = data
	return data
}

// lineIndex turns offsets of a page into line numbers, remembering where it
// got to: the scanner asks in increasing order.
type lineIndex struct {
	off, n int
}

func (li *lineIndex) line(data []byte, off int) int {
	if li.n == 0 || off < li.off {
		li.off, li.n = 0, 1
	}
	off = min(off, len(data))
	li.n += bytes.Count(data[li.off:off], []byte("\n"))
	li.off = off
	return li.n
}
