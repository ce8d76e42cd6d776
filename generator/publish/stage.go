package publish

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/disclose/disclose/generator/diag"
	"github.com/tdewolff/minify/v2"
)

// NotFoundPage is the name of the page a CDN shows, with status 404, for
// any address that has no file: its links must not be relative.
const NotFoundPage = "404.html"

// Cache classes of the manifest and the headers file.
const (
	// Immutable files are named by their content hash: cache them for a year.
	Immutable = "immutable"
	// Revalidate files keep their names (pages, sitemap.xml, …): a cache
	// must ask the origin before it reuses them.
	Revalidate = "revalidate"
)

// Options configure a [Stage].
type Options struct {
	// BaseURL is where the site is published, as fiscal.ParseBaseURL
	// returns it: a full address (https://czj.example.gov.cn/yjsgk/) or a
	// path (/yjsgk/). Its path is the sub-path every URL lives under. Only
	// with a full address are there canonical URLs and a sitemap.xml.
	BaseURL string
	// Minify minifies HTML (with its inline SVG, CSS, JavaScript and JSON),
	// CSS, JavaScript, SVG and XML files, and the JSON of assets. JSON
	// written through WriteFile and WriteFileKept is written as it is: it
	// is the build's own, which its writers write without space (a
	// preview, which writes static/ through WriteFile, leaves the site's
	// JSON as it is too).
	Minify bool
	// Precompress writes name.gz and name.br beside every text file of at
	// least 1 KiB that they shrink by a tenth or more.
	Precompress bool
	// SourceDate (from SOURCE_DATE_EPOCH) is the lastmod in sitemap.xml of
	// pages whose content has no date; zero leaves them undated. The stage
	// never reads the clock.
	SourceDate time.Time
	// Previous is the output folder as the last build left it, or nil. Its
	// manifest.json names the hashed assets that are kept one more build.
	Previous fs.FS
	// Layouts is the site folder over the theme: its layouts/… are searched
	// to name the layout line that wrote a bad link or attribute, and its
	// content/… read again to place a broken link in its Markdown (so the
	// stage need not keep every page's sources). Nil names only the page's
	// layout, and keeps sources.
	Layouts fs.FS
	// NoManifest leaves out manifest.json and the headers hint file, which
	// only a CDN reads: for the live preview, which serves the files itself
	// and rebuilds on every save.
	NoManifest bool
	// KeepLinks keeps every link of a page for Finish to check, so that a
	// page republished into a later build ([Stage.Republish]) has all its
	// links checked against that build. Without it, a link to a file
	// already written is checked at once and not kept.
	KeepLinks bool
	// SizeHint is how many files the build is expected to write (the
	// last build's, for a preview's rebuild), to size the stage's tables
	// up front: growing them costs a 5,000-disclosure rebuild tens of
	// milliseconds.
	SizeHint int
	// Carry is the stage of the previous build, to carry over: see
	// [Keeper]. It is used only when the sink is a Keeper, both stages
	// keep links, the previous one finished without errors, and the two
	// agree on the base URL, minifying, precompressing and the source
	// date; otherwise the stage starts empty.
	Carry *Stage
}

// Stage is the publish stage of one build. Every file of the build passes
// through it on the way to a Sink:
//
//   - static files and generated assets ([Stage.Asset], [Stage.Assets]) are
//     minified and named by their content hash;
//   - pages ([Stage.Page]) are checked (no inline script or style, no
//     style= or on…= attribute, no third-party resource, every id
//     reference on the page resolves), get Subresource Integrity on their
//     <script src> and stylesheet links, and are minified;
//   - other files ([Stage.WriteFile]) are minified by type;
//
// and [Stage.Finish] checks every link between files, then writes
// sitemap.xml, robots.txt, the headers hint file and manifest.json.
// Problems are diagnostics naming the source file and line (the Markdown
// section or the layout a link was written in), so an editor can fix them.
//
// A Stage is a Sink and is safe for concurrent use until Finish.
type Stage struct {
	sink Sink
	o    Options
	zip  *compressors
	// links holds one copy of each link pages keep for Finish (see
	// ref.intern); readable, whether a source file can be read again (see
	// source).
	stringsMu sync.Mutex
	links     map[linkKey]*link
	readable  map[string]bool
	base      *url.URL // the full base URL, or nil when it is only a path
	basePath  string   // "/" or "/yjsgk/"
	min       *minify.M
	paths     pathCache // minified path data of charts, see minifyPage

	mu       sync.Mutex
	files    map[string]entry
	assets   map[string]*Asset // by source name
	hashed   map[string]*Asset // by output name
	pages    map[string]*pageRecord
	problems []problem // found outside pages (pages keep their own)
	// linkProblems are what the link check found, by page.
	linkProblems map[string][]problem
	retained     []Entry
	finished     bool
	// ok says Finish found no error: a later stage may carry this one.
	ok bool
	// linked says the link check has run.
	linked bool
	// perBuild are the files written other than as a page or a file kept
	// with one (Republish, Rewrite): static files, the search index,
	// robots.txt, … A stage carrying this one over leaves them out. late
	// are those Finish wrote, after the link check.
	perBuild []string
	late     map[string]bool
	// carry is set when the stage carries the previous build over; fresh
	// are then the pages it wrote itself.
	carry *carried
	fresh []string
	// gen counts the builds this stage carries over (see entry.gen).
	gen int
	// sitemaps are the sitemap files as written, for a later stage to
	// carry over when its pages are the same.
	sitemaps []File
	// sitemapMax is the most URLs per sitemap file (a field so tests can
	// reach the split cheaply).
	sitemapMax int

	lmu     sync.Mutex        // guards layouts; taken with or without mu
	layouts map[string][]byte // layout files read to place problems
}

var _ Sink = (*Stage)(nil)

// NewStage returns the publish stage of a build writing to sink.
func NewStage(sink Sink, o Options) (*Stage, error) {
	if o.BaseURL == "" {
		o.BaseURL = "/"
	}
	u, err := url.Parse(o.BaseURL)
	if err != nil || !strings.HasPrefix(u.Path, "/") || !strings.HasSuffix(u.Path, "/") {
		return nil, fmt.Errorf("publish: base URL %q must be a full address or a path ending in /", o.BaseURL)
	}
	s := &Stage{sink: sink, o: o, basePath: u.Path, assets: map[string]*Asset{}, hashed: map[string]*Asset{}, sitemapMax: sitemapMax}
	if !s.startCarry(sink) {
		s.files, s.pages = make(map[string]entry, o.SizeHint), make(map[string]*pageRecord, o.SizeHint/8)
	}
	if u.Scheme != "" && u.Host != "" {
		s.base = u
	}
	if o.Minify {
		s.min = newMinifier()
	}
	if o.Precompress {
		s.zip = newCompressors()
	}
	return s, nil
}

// BasePath returns the site's sub-path: / or /yjsgk/.
func (s *Stage) BasePath() string { return s.basePath }

// Absolute reports whether the base URL is a full address.
func (s *Stage) Absolute() bool { return s.base != nil }

// Asset minifies data (when it is a type the minifier knows), names it by
// its content hash and writes it. name is its output name without the
// hash: static/css/site.css. Stylesheets that refer to other files should
// go through [Stage.Assets].
func (s *Stage) Asset(name string, data []byte) (*Asset, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	data = s.minify(name, data)
	a := &Asset{Source: name, Name: hashedName(name, data), Integrity: integrity(data)}
	s.mu.Lock()
	if _, dup := s.assets[name]; dup {
		s.mu.Unlock()
		return nil, fmt.Errorf("publish: asset %s added twice", name)
	}
	s.assets[name] = a
	s.hashed[a.Name] = a
	s.mu.Unlock()
	if err := s.write(a.Name, data, entry{class: Immutable, rare: &rareFields{asset: name, integrity: a.Integrity}}, false); err != nil {
		return nil, err
	}
	return a, nil
}

// asset returns the asset added under name, or nil.
func (s *Stage) asset(name string) *Asset {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.assets[name]
}

// HasAsset reports whether an asset was added under name.
func (s *Stage) HasAsset(name string) bool { return s.asset(name) != nil }

// AssetPath returns the site path (below the base URL) of the asset added
// under name: static/css/site.css → static/css/site.3f9c2a1b.css.
func (s *Stage) AssetPath(name string) (string, error) {
	if a := s.asset(name); a != nil {
		return a.Name, nil
	}
	return "", fmt.Errorf("没有文件 %s（资源文件放在站点的 static/ 文件夹中）", name)
}

// WriteFile implements Sink: a file that keeps its name (a download, a
// data file), minified by type but for JSON (see minifyGenerated), cached
// with revalidation.
func (s *Stage) WriteFile(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	return s.write(name, s.minifyGenerated(name, data), entry{class: Revalidate}, false)
}

// ErrGenerated is WriteAsIs's error for a name the build writes itself.
var ErrGenerated = errors.New("publish: the build writes this name itself")

// Generated reports whether name, a path from the output's root, is a
// file a stage writes for any site: the home and not-found pages,
// robots.txt, sitemap.xml and the parts of a sitemap index, the headers
// hint file and the manifest, or a precompressed copy of one. Case is not
// told apart: a disk or a CDN may not.
func Generated(name string) bool {
	n := strings.ToLower(name)
	for _, enc := range encodings {
		n = strings.TrimSuffix(n, enc.ext)
	}
	switch n {
	case "index.html", NotFoundPage, "robots.txt", "sitemap.xml", HeadersFile, ManifestFile:
		return true
	}
	return sitemapPart(n)
}

// WriteAsIs writes a file of the site's own under name (its root/ folder:
// a search engine's verification file, favicon.ico) exactly as given, not
// minified (a verification file is compared byte for byte), revalidated
// like a page. It refuses with ErrGenerated a name the build has written
// or Generated: call it after the pages.
func (s *Stage) WriteAsIs(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	s.mu.Lock()
	taken := s.taken(name)
	s.mu.Unlock()
	if taken || Generated(name) {
		return ErrGenerated
	}
	return s.write(name, data, entry{class: Revalidate}, false)
}

// taken reports whether a file written has name, or has it as a folder,
// or lies where a folder of name would be. s.mu must be held. It goes
// through every file: it is for the few files of root/.
func (s *Stage) taken(name string) bool {
	for dir := name; dir != "."; dir = path.Dir(dir) {
		if _, ok := s.files[dir]; ok {
			return true
		}
	}
	for f := range s.files {
		if strings.HasPrefix(f, name+"/") {
			return true
		}
	}
	return false
}

// WriteHashed writes a file whose name already carries a hash of its
// content (a shard of the search index): as it is, since minifying would
// change the bytes its name was made from, and cached for a year like the
// hashed assets, which it is kept one more build with.
func (s *Stage) WriteHashed(name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	return s.write(name, data, entry{class: Immutable}, false)
}

// minify minifies a file by its type, when the stage minifies. The
// minifier works in the bytes it is given: data must not be used again.
func (s *Stage) minify(name string, data []byte) []byte {
	t := ContentType(name)
	if s.min == nil || !minifiable(t) {
		return data
	}
	out, err := s.min.Bytes(t, data)
	if err != nil {
		// A file the minifier cannot read is published as it is; the
		// browser will judge it.
		return data
	}
	return out
}

// write hands a file to the sink and records it for the manifest, with
// its precompressed siblings. withPage says it is a page or a file kept
// with one, which a later stage may carry over.
func (s *Stage) write(name string, data []byte, e entry, withPage bool) error {
	if e.sum == ([sha256.Size]byte{}) { // a republished page brings its own
		e.sum = sha256.Sum256(data)
	}
	e.size, e.gen = int64(len(data)), s.gen
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return fmt.Errorf("publish: %s written after the build finished", name)
	}
	if _, dup := s.files[name]; dup {
		s.mu.Unlock()
		return fmt.Errorf("publish: %s written twice", name)
	}
	s.files[name] = e
	if !withPage {
		s.perBuild = append(s.perBuild, name)
		if s.linked {
			if s.late == nil {
				s.late = map[string]bool{}
			}
			s.late[name] = true
		}
	}
	if s.carry != nil {
		s.carry.written(name, s.linked)
	}
	s.mu.Unlock()
	if err := s.sink.WriteFile(name, data); err != nil {
		return err
	}
	if !s.o.Precompress || e.enc != 0 || len(data) < precompressMin || !compressible(ContentType(name)) ||
		path.Base(name) == HeadersFile || name == ManifestFile {
		return nil
	}
	for i, enc := range encodings {
		z, err := s.zip.compress(enc, e.rare != nil && e.rare.asset != "", data)
		if err != nil {
			return fmt.Errorf("publish: %s: %w", name, err)
		}
		if len(z) > len(data)*9/10 {
			continue
		}
		if err := s.write(name+enc.ext, z, entry{class: e.class, enc: int8(i + 1)}, withPage); err != nil {
			return err
		}
	}
	return nil
}

// report records a problem found outside a page (a stylesheet, the
// previous manifest).
func (s *Stage) report(d diag.Diagnostic) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.problems = append(s.problems, problem{d: d})
}

// Finish checks every link between the files of the build, then writes
// sitemap.xml (only when the base URL is a full address: see
// [Stage.Absolute]), robots.txt, the
// headers hint file and manifest.json. It returns every problem the stage
// found, sorted and with repeats folded; when they include errors nothing
// more is written and the build must be discarded. The error reports a
// failure to write.
func (s *Stage) Finish() (diag.List, error) {
	s.mu.Lock()
	if s.finished {
		s.mu.Unlock()
		return nil, errors.New("publish: Finish called twice")
	}
	s.mu.Unlock()
	s.checkLinks()
	diags := s.diagnostics()
	if diags.HasErrors() {
		s.mu.Lock()
		s.finished = true
		s.mu.Unlock()
		return diags, nil
	}
	if s.base != nil {
		if err := s.writeSitemaps(); err != nil {
			return diags, err
		}
	}
	if err := s.WriteFile("robots.txt", s.robots()); err != nil {
		return diags, err
	}
	if d := s.retain(); d != nil {
		diags = append(diags, *d)
	}
	if !s.o.NoManifest {
		if err := s.writeHeaders(); err != nil {
			return diags, err
		}
		if err := s.writeManifest(); err != nil {
			return diags, err
		}
	}
	if err := s.endCarry(); err != nil {
		return diags, err
	}
	s.mu.Lock()
	s.finished, s.ok = true, !diags.HasErrors()
	s.mu.Unlock()
	diags.Sort()
	return diags, nil
}

// Retained returns the hashed assets of the previous build that this one
// keeps (they are in its manifest under "retained"): the keep set of
// [DirSink.Commit]. Call it after Finish.
func (s *Stage) Retained() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for _, e := range s.retained {
		names = append(names, e.Path)
	}
	return names
}

// Count is the number of files written so far.
func (s *Stage) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.files)
}

// problem is a diagnostic with the page it was found on, so that one
// mistake in a layout, repeated on every page, is reported once.
type problem struct {
	d    diag.Diagnostic
	page string
	// line is the line of the (unminified) page; layout is set when the
	// problem was placed in a layout rather than a source part, and the
	// message then says which page and line it shows on.
	line   int
	layout bool
}

// diagnostics folds repeated problems (the same file, line, rule and
// message) into one that says on how many pages it occurs.
func (s *Stage) diagnostics() diag.List {
	s.mu.Lock()
	defer s.mu.Unlock()
	type key struct {
		file       string
		line, col  int
		rule, text string
	}
	count := map[key]int{}
	first := map[key]problem{}
	var order []key
	add := func(p problem) {
		k := key{p.d.File, p.d.Line, p.d.Col, p.d.Rule, p.d.Message}
		if count[k] == 0 {
			order = append(order, k)
			first[k] = p
		} else if f := first[k]; p.page < f.page || p.page == f.page && p.line < f.line {
			first[k] = p
		}
		count[k]++
	}
	for _, p := range s.problems {
		add(p)
	}
	for _, rec := range s.pages {
		for _, p := range rec.problems {
			add(p)
		}
	}
	for _, ps := range s.linkProblems {
		for _, p := range ps {
			add(p)
		}
	}
	// Pages come in no order: sort by all of the key, so that out.Sort,
	// which leaves the rule out, has no ties to leave as they came.
	slices.SortFunc(order, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col),
			cmp.Compare(a.rule, b.rule), cmp.Compare(a.text, b.text))
	})
	var out diag.List
	for _, k := range order {
		p := first[k]
		d := p.d
		switch n := count[k]; {
		case p.layout && n > 1:
			d.Message += fmt.Sprintf("（生成的页面 %s 第 %d 行，共 %d 个页面）", p.page, p.line, n)
		case p.layout:
			d.Message += fmt.Sprintf("（生成的页面 %s 第 %d 行）", p.page, p.line)
		case n > 1:
			d.Message += fmt.Sprintf("（共 %d 个页面）", n)
		}
		out = append(out, d)
	}
	out.Sort()
	return out
}

// CSP returns the Content-Security-Policy of the site: everything from the
// site itself, nothing inline, nothing from another site.
func (s *Stage) CSP() string {
	return strings.Join(s.policy(true), "; ")
}

// MetaCSP returns the policy for a <meta http-equiv> element, a fallback
// for CDNs that cannot set headers: a meta policy cannot carry
// frame-ancestors (browsers ignore it there and say so in the console).
func (s *Stage) MetaCSP() string {
	return strings.Join(s.policy(false), "; ")
}

func (s *Stage) policy(header bool) []string {
	p := []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "font-src 'self'",
		"connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"}
	if header {
		p = append(p, "frame-ancestors 'self'")
	}
	if s.base != nil && s.base.Scheme == "https" {
		p = append(p, "upgrade-insecure-requests")
	}
	return p
}

// sortEntries orders manifest entries by path.
func sortEntries(es []Entry) {
	slices.SortFunc(es, func(a, b Entry) int { return cmp.Compare(a.Path, b.Path) })
}

// sitePath is the path below the base URL a file is served at: a folder's
// index.html at the folder, a/b/index.html → a/b/.
func sitePath(name string) string {
	if name == "index.html" {
		return ""
	}
	if strings.HasSuffix(name, "/index.html") {
		return strings.TrimSuffix(name, "index.html")
	}
	return name
}

// pageURL is the URL path a file is served at: a/b/index.html → /base/a/b/.
func (s *Stage) pageURL(name string) string { return s.basePath + sitePath(name) }

// absURL is the full address of a site path, or "" without a full base.
func (s *Stage) absURL(sitePath string) string {
	if s.base == nil {
		return ""
	}
	u := *s.base
	u.Path = s.basePath + sitePath
	u.RawPath = ""
	return u.String()
}

// entry is what a Stage keeps of a file it wrote until the manifest, by
// value in its files map under the file's name: an [Entry] without the
// path, with the digest as bytes and the content type left to be worked
// out again from the name. A site of 10,000 disclosures writes 240,000
// files, and the collector goes over what the map holds in every cycle: an
// *Entry and its hex digest were two more objects a file.
type entry struct {
	size  int64
	sum   [sha256.Size]byte
	class string // Immutable or Revalidate
	// gen is the build of the Stage that wrote it: an entry a Stage
	// carried over has an older one (see Stage.Drop).
	gen int
	// enc marks a precompressed copy: 1 + its index in encodings, else 0.
	// Its encoding and the file it compresses follow from its name.
	enc  int8
	rare *rareFields // nil but for hashed assets
}

// rareFields are the Entry fields of hashed assets alone.
type rareFields struct{ asset, integrity string }

// Entry returns the manifest entry of the file written as name.
func (e entry) Entry(name string) Entry {
	out := Entry{Path: name, Size: e.size, SHA256: hex.EncodeToString(e.sum[:]), Class: e.class, Type: ContentType(name)}
	if r := e.rare; r != nil {
		out.Asset, out.Integrity = r.asset, r.integrity
	}
	if e.enc != 0 {
		enc := encodings[e.enc-1]
		out.Encoding, out.Of = enc.name, strings.TrimSuffix(name, enc.ext)
		out.Type = ContentType(out.Of) // served with Content-Encoding as the file it compresses
	}
	return out
}

// has reports whether the stage wrote (or carried) a file name. s.mu is
// held.
func (s *Stage) has(name string) bool {
	_, ok := s.files[name]
	return ok
}

// minifyGenerated is minify for a file the build wrote (a download, the
// sitemap), not one of static/: its JSON is left as it is. The build's
// JSON writers write no space already; the JSON minifier would only
// rewrite amounts (12000.00 as 12e3, a poor form for a data file), for a
// fifth of a build's minifying.
func (s *Stage) minifyGenerated(name string, data []byte) []byte {
	if strings.HasPrefix(ContentType(name), "application/json") {
		return data
	}
	return s.minify(name, data)
}
