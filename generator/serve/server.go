// Package serve is the live preview of a site: an HTTP server that serves
// the latest good build from memory, watches the site folder, rebuilds
// what a save changed, and tells open pages over Server-Sent Events to
// reload, to swap a changed stylesheet, or to show the errors of a build
// that failed, while the last good site stays served.
//
// The pages it serves are the built pages with a few tags added before
// </head>: two meta elements (the build and file the page is) and a
// stylesheet and script from /__disclose/. Nothing is inline, so the
// preview runs under the same Content-Security-Policy as the published
// site, which the server sends. Built output never contains these tags.
package serve

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"html"
	"io/fs"
	"iter"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/publish"
)

// maxChecks bounds the findings sent to pages; disclose check lists them
// all.
const maxChecks = 200

// heartbeat is how often an idle event stream gets a comment, so proxies
// and browsers keep it open.
const heartbeat = 30 * time.Second

// EventsPath is where pages listen for builds; Prefix holds everything the
// preview adds to a site.
const (
	Prefix     = "/__disclose/"
	EventsPath = Prefix + "events"
)

// csp is what the published site must run under; the preview sends it so
// an inline script or style shows up at once.
const csp = "default-src 'self'"

//go:embed live
var live embed.FS

// Server serves the latest good build of a site and streams build events
// to open pages. Publish hands it each build's outcome. It is safe for
// concurrent use.
type Server struct {
	source   fs.FS // the site folder, to quote the lines of an error
	instance string
	state    atomic.Pointer[state]

	mu   sync.Mutex
	subs map[chan struct{}]bool
	done chan struct{}
	once sync.Once
}

// state is one published build: immutable once stored.
type state struct {
	version int
	// files is the last good site; nil until a build has succeeded.
	files    map[string][]byte
	basePath string // the site's path on the server: "/" or "/yjsgk/"
	// changed holds, for every file that ever was in the site, the
	// version at which its bytes last changed (or it appeared or went).
	changed map[string]int
	// assets is the last version at which a file other than a page or a
	// stylesheet changed: pages may use it, so they reload.
	assets int
	css    []string // stylesheets of the site
	// errors of the latest build (the site served is older then); checks
	// are its warnings and the fiscal checks' findings, for the panel.
	errors, checks []Finding
}

// Finding is a diagnostic as pages show it.
type Finding struct {
	File     string `json:"file"`
	Line     int    `json:"line,omitempty"`
	Col      int    `json:"column,omitempty"`
	Severity string `json:"severity"` // 错误, 警告, 提示
	Rule     string `json:"rule,omitempty"`
	Message  string `json:"message"`
	// Where is file:line:column, as editors jump to it.
	Where string `json:"where"`
	// Frame holds the lines around Line, for errors.
	Frame []FrameLine `json:"frame,omitempty"`
}

// FrameLine is one line of the source quoted with a finding.
type FrameLine struct {
	N    int    `json:"n"`
	Text string `json:"text"`
	Mark bool   `json:"mark,omitempty"`
}

// New returns a Server with nothing built yet; source is the site folder,
// from which errors quote their lines (nil: no quotes).
func New(source fs.FS) *Server {
	var id [6]byte
	_, _ = rand.Read(id[:])
	s := &Server{source: source, instance: hex.EncodeToString(id[:]),
		subs: map[chan struct{}]bool{}, done: make(chan struct{})}
	s.state.Store(&state{basePath: "/", changed: map[string]int{}})
	return s
}

// Build is the outcome of one build, as Publish takes it.
type Build struct {
	// Files is the whole site when the build succeeded, nil when it
	// failed. The server keeps the map and its slices; they must not
	// change afterwards.
	Files map[string][]byte
	// Changed, when not nil, names every file that may differ from the
	// site published before (written again, added or removed): the others
	// are the same. Nil means any file may have changed.
	Changed []string
	// BaseURL is the site's base URL; its path is where the site is
	// served.
	BaseURL string
	// Diagnostics are the build's problems with the content: errors when
	// it failed, warnings and notes either way.
	Diagnostics diag.List
	// Findings are what the fiscal checks found (disclose check): shown in
	// the check panel, whatever their severity; they never fail a build.
	Findings diag.List
	// Err is a failure that is not about the content (nil otherwise).
	Err error
}

// Publish makes b the current build: a successful build replaces the site
// served; a failed one leaves it, and open pages show its errors. Open
// pages are told either way, once the new state is in place.
func (s *Server) Publish(b Build) {
	old := s.state.Load()
	st := &state{version: old.version + 1, files: old.files, basePath: old.basePath,
		changed: old.changed, assets: old.assets, css: old.css}
	for _, d := range b.Diagnostics {
		if d.Severity == diag.Error {
			st.errors = append(st.errors, s.finding(d, len(st.errors) < 20))
		} else if len(st.checks) < maxChecks {
			st.checks = append(st.checks, s.finding(d, false))
		}
	}
	for _, d := range b.Findings {
		if len(st.checks) >= maxChecks {
			break
		}
		st.checks = append(st.checks, s.finding(d, false))
	}
	if b.Err != nil && len(st.errors) == 0 {
		st.errors = []Finding{{Severity: diag.Error.String(), Message: b.Err.Error()}}
	}
	if b.Files != nil && len(st.errors) == 0 {
		st.files = b.Files
		st.basePath = fiscal.BasePath(b.BaseURL)
		st.changed = maps.Clone(old.changed)
		if b.Changed != nil && old.files != nil {
			st.compare(old, b.Files, slices.Values(b.Changed))
			st.css = slices.Clone(old.css)
			for _, name := range b.Changed {
				if strings.HasSuffix(name, ".css") {
					st.css = slices.DeleteFunc(st.css, func(n string) bool { return n == name })
					if _, ok := b.Files[name]; ok {
						st.css = append(st.css, name)
					}
				}
			}
		} else {
			st.compare(old, b.Files, maps.Keys(b.Files))
			st.compare(old, b.Files, func(yield func(string) bool) {
				for name := range old.files {
					if _, ok := b.Files[name]; !ok && !yield(name) {
						return
					}
				}
			})
			st.css = nil
			for name := range b.Files {
				if strings.HasSuffix(name, ".css") {
					st.css = append(st.css, name)
				}
			}
		}
		slices.Sort(st.css)
	}
	s.state.Store(st)
	s.mu.Lock()
	for ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default: // already told; it reads the latest state
		}
	}
	s.mu.Unlock()
}

// compare marks the names that differ between old's files and files,
// being in one only or holding other bytes.
func (st *state) compare(old *state, files map[string][]byte, names iter.Seq[string]) {
	for name := range names {
		prev, was := old.files[name]
		data, is := files[name]
		switch {
		case was && is && same(prev, data):
		case !is && was && strings.HasPrefix(name, "static/"):
			st.markChanged(name)
			st.assets = st.version // a page may still refer to it
		case is || was:
			st.markChanged(name)
		}
	}
}

func (st *state) markChanged(name string) {
	st.changed[name] = st.version
	if loaded(name) {
		st.assets = st.version
	}
}

// loaded reports whether pages may load a file as they open: a static
// file other than a stylesheet (a script, an image, a font). The
// manifest, sitemaps and robots.txt change with every build but no page
// loads them.
func loaded(name string) bool {
	return strings.HasPrefix(name, "static/") && !strings.HasSuffix(name, ".css")
}

// same reports whether a and b hold the same bytes; a page reused from the
// previous build is the same slice, so most comparisons are one check.
func same(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || unsafe.SliceData(a) == unsafe.SliceData(b) {
		return true
	}
	return bytes.Equal(a, b)
}

// finding turns a diagnostic into what pages show, quoting the lines
// around it when frame is set.
func (s *Server) finding(d diag.Diagnostic, frame bool) Finding {
	f := Finding{File: d.File, Line: d.Line, Col: d.Col, Severity: d.Severity.String(), Rule: d.Rule, Message: d.Message}
	f.Where = d.File
	if d.Line > 0 {
		f.Where += ":" + strconv.Itoa(d.Line)
		if d.Col > 0 {
			f.Where += ":" + strconv.Itoa(d.Col)
		}
	}
	if frame && s.source != nil && d.Line > 0 && fs.ValidPath(d.File) {
		if data, err := fs.ReadFile(s.source, d.File); err == nil {
			f.Frame = quote(data, d.Line, 2)
		}
	}
	return f
}

// quote returns line and the around lines on each side of it.
func quote(data []byte, line, around int) []FrameLine {
	var out []FrameLine
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if n < line-around {
			continue
		}
		if n > line+around {
			break
		}
		text := strings.TrimPrefix(sc.Text(), "\uFEFF")
		if len(text) > 300 {
			text = text[:300] + "…"
		}
		out = append(out, FrameLine{N: n, Text: text, Mark: n == line})
	}
	return out
}

// Close ends every event stream, so a server shutting down is not held
// open by them. Pages reconnect to a new server by themselves.
func (s *Server) Close() {
	s.once.Do(func() { close(s.done) })
}

// ServeHTTP serves the site, the preview's own files and the event stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if !safePath(r.URL) {
		http.Error(w, "400 bad request: not a path of this site", http.StatusBadRequest)
		return
	}
	p := r.URL.Path
	if rest, ok := strings.CutPrefix(p, Prefix); ok {
		s.serveOwn(w, r, rest)
		return
	}
	st := s.state.Load()
	if st.files == nil {
		s.serveWaiting(w, r, st)
		return
	}
	rel, ok := strings.CutPrefix(p, st.basePath)
	if !ok {
		if p+"/" == st.basePath || p == "/" {
			redirect(w, r, st.basePath)
			return
		}
		s.serveNotFound(w, r, st, "")
		return
	}
	name := rel
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	data, ok := st.files[name]
	if !ok {
		if _, dir := st.files[rel+"/index.html"]; dir && rel != "" {
			redirect(w, r, st.basePath+rel+"/")
			return
		}
		s.serveNotFound(w, r, st, name)
		return
	}
	s.serveFile(w, r, st, name, data, http.StatusOK, name)
}

// safePath reports whether a request path can only name a file of the
// site: no . or .. segment (decoded or not), no encoded slash or
// backslash, no backslash, no NUL, no empty segment.
func safePath(u *url.URL) bool {
	p := u.Path
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") || strings.Contains(p, "//") {
		return false
	}
	raw := strings.ToLower(u.EscapedPath())
	if strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") || strings.Contains(raw, "%00") {
		return false
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, to, http.StatusMovedPermanently)
}

// serveNotFound serves the site's 404 page with status 404. The page
// listens for the file that was asked for, so it reloads once that exists.
func (s *Server) serveNotFound(w http.ResponseWriter, r *http.Request, st *state, want string) {
	watch := "404.html"
	if want != "" {
		watch = want + " 404.html"
	}
	if data, ok := st.files["404.html"]; ok {
		s.serveFile(w, r, st, "404.html", data, http.StatusNotFound, watch)
		return
	}
	page := fmt.Appendf(nil, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>页面不存在</title>\n</head>\n<body>\n<h1>页面不存在</h1>\n<p><a href=\"%s\">返回首页</a></p>\n</body>\n</html>\n", st.basePath)
	s.serveFile(w, r, st, "404.html", page, http.StatusNotFound, watch)
}

// serveWaiting answers every site path before a build has succeeded: the
// page shows the errors and reloads when the site is there.
func (s *Server) serveWaiting(w http.ResponseWriter, r *http.Request, st *state) {
	page := []byte("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>网站尚未生成</title>\n</head>\n<body>\n<h1>网站尚未生成</h1>\n<p>内容有错误，修正后保存，本页会自动刷新。错误列在下方，也打印在运行 disclose serve 的终端中。</p>\n</body>\n</html>\n")
	s.serveFile(w, r, st, "index.html", page, http.StatusServiceUnavailable, "index.html")
}

// serveFile writes one file; an HTML page gets the preview's tags, naming
// the files whose change reloads it.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, st *state, name string, data []byte, status int, watch string) {
	ctype := publish.ContentType(name)
	if strings.HasPrefix(ctype, "text/html") {
		data = s.inject(data, st, watch)
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(data)
	}
}

// inject adds the preview's tags before </head> (or at the start of a page
// without one).
func (s *Server) inject(page []byte, st *state, watch string) []byte {
	tags := fmt.Sprintf(`<meta name="disclose:build" content="%s"><meta name="disclose:file" content="%s">`+
		`<link rel="stylesheet" href="%slive.css"><script src="%slive.js" defer></script>`,
		s.buildID(st.version), html.EscapeString(watch), Prefix, Prefix)
	i := bytes.Index(page, []byte("</head>"))
	if i < 0 {
		i = 0
	}
	out := make([]byte, 0, len(page)+len(tags))
	out = append(out, page[:i]...)
	out = append(out, tags...)
	return append(out, page[i:]...)
}

func (s *Server) buildID(version int) string {
	return s.instance + "/" + strconv.Itoa(version)
}

// serveOwn serves the preview's script, stylesheet and event stream.
func (s *Server) serveOwn(w http.ResponseWriter, r *http.Request, name string) {
	if name == "events" {
		s.events(w, r)
		return
	}
	data, err := live.ReadFile("live/" + name)
	if err != nil || name == "" {
		http.Error(w, "404 not found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", publish.ContentType(name))
	w.Write(data)
}
