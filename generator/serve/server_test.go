package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/disclose/disclose/generator/diag"
)

// site is a small built site, as a Builder hands it over.
func site() map[string][]byte {
	return map[string][]byte{
		"index.html":          []byte("<!DOCTYPE html>\n<html><head><title>首页</title></head><body><h1>首页</h1></body></html>\n"),
		"404.html":            []byte("<!DOCTYPE html>\n<html><head><title>页面不存在</title></head><body><h1>页面不存在</h1></body></html>\n"),
		"a/index.html":        []byte("<!DOCTYPE html>\n<html><head><title>甲</title></head><body>甲</body></html>\n"),
		"a/2020/budget/x.csv": []byte("\uFEFF科目,金额\n"),
		"static/css/site.css": []byte("body{}"),
		"static/js/app.js":    []byte("1"),
		"static/img/logo.svg": []byte("<svg/>"),
		"static/img/a.png":    []byte("\x89PNG"),
		"sitemap.xml":         []byte("<urlset/>"),
		"robots.txt":          []byte("User-agent: *\n"),
		"search/index.json":   []byte("{}"),
	}
}

func newServer(t *testing.T, baseURL string) (*Server, *httptest.Server) {
	t.Helper()
	s := New(nil)
	s.Publish(Build{Files: site(), BaseURL: baseURL})
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, ts
}

// noRedirect is a client that reports redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestServeFiles(t *testing.T) {
	tests := []struct {
		base, path string
		status     int
		ctype      string
		body       string // a part of the body, or the Location of a redirect
	}{
		{"/", "/", 200, "text/html; charset=utf-8", "<h1>首页</h1>"},
		{"/", "/a/", 200, "text/html; charset=utf-8", "甲"},
		{"/", "/a", 301, "", "/a/"},
		{"/", "/a?x=1", 301, "", "/a/?x=1"},
		{"/", "/a/index.html", 200, "text/html; charset=utf-8", "甲"},
		{"/", "/static/css/site.css", 200, "text/css; charset=utf-8", "body{}"},
		{"/", "/static/js/app.js", 200, "text/javascript; charset=utf-8", "1"},
		{"/", "/static/img/logo.svg", 200, "image/svg+xml", "<svg/>"},
		{"/", "/static/img/a.png", 200, "image/png", "PNG"},
		{"/", "/a/2020/budget/x.csv", 200, "text/csv; charset=utf-8", "科目"},
		{"/", "/sitemap.xml", 200, "application/xml", "urlset"},
		{"/", "/robots.txt", 200, "text/plain; charset=utf-8", "User-agent"},
		{"/", "/search/index.json", 200, "application/json", "{}"},
		{"/", "/nope/", 404, "text/html; charset=utf-8", "页面不存在"},
		{"/", "/static/", 404, "text/html; charset=utf-8", "页面不存在"}, // no listing
		{"/", "/static/css", 404, "text/html; charset=utf-8", "页面不存在"},
		{"/", "/__disclose/live.js", 200, "text/javascript; charset=utf-8", "EventSource"},
		{"/", "/__disclose/live.css", 200, "text/css; charset=utf-8", ".disclose-overlay"},
		{"/", "/__disclose/", 404, "", ""},
		{"/", "/__disclose/nope.js", 404, "", ""},
		// A site with a sub-path lives there.
		{"https://czj.example.gov.cn/yjsgk/", "/yjsgk/a/", 200, "text/html; charset=utf-8", "甲"},
		{"https://czj.example.gov.cn/yjsgk/", "/", 301, "", "/yjsgk/"},
		{"https://czj.example.gov.cn/yjsgk/", "/yjsgk", 301, "", "/yjsgk/"},
		{"https://czj.example.gov.cn/yjsgk/", "/a/", 404, "text/html; charset=utf-8", "页面不存在"},
	}
	for _, tt := range tests {
		t.Run(tt.base+tt.path, func(t *testing.T) {
			_, ts := newServer(t, tt.base)
			resp, err := noRedirect.Get(ts.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.ctype != "" && resp.Header.Get("Content-Type") != tt.ctype {
				t.Errorf("Content-Type %q, want %q", resp.Header.Get("Content-Type"), tt.ctype)
			}
			if resp.StatusCode == 301 {
				if loc := resp.Header.Get("Location"); loc != tt.body {
					t.Errorf("Location %q, want %q", loc, tt.body)
				}
			} else if !strings.Contains(string(body), tt.body) {
				t.Errorf("body lacks %q:\n%s", tt.body, body)
			}
			if got := resp.Header.Get("Content-Security-Policy"); got != "default-src 'self'" {
				t.Errorf("CSP %q", got)
			}
		})
	}
}

// TestInjection: pages get the preview's tags before </head> and nothing
// inline; other files are served as built.
func TestInjection(t *testing.T) {
	s, ts := newServer(t, "/")
	get := func(path string) string {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	page := get("/a/")
	want := fmt.Sprintf(`<meta name="disclose:build" content="%s/1"><meta name="disclose:file" content="a/index.html"><link rel="stylesheet" href="/__disclose/live.css"><script src="/__disclose/live.js" defer></script></head>`, s.instance)
	if !strings.Contains(page, want) {
		t.Errorf("page lacks the preview's tags:\n%s", page)
	}
	if strings.Count(page, "<script") != 1 || strings.Contains(page, "<style") || strings.Contains(page, "style=") {
		t.Errorf("inline script or style in\n%s", page)
	}
	// A missing page listens for its own file as well as 404.html.
	if nf := get("/b/"); !strings.Contains(nf, `<meta name="disclose:file" content="b/index.html 404.html">`) {
		t.Errorf("404 page:\n%s", nf)
	}
	if css := get("/static/css/site.css"); css != "body{}" {
		t.Errorf("stylesheet changed: %q", css)
	}
	live := get("/__disclose/live.js")
	for _, bad := range []string{"innerHTML", "eval(", "document.write", ".style."} {
		if strings.Contains(live, bad) {
			t.Errorf("live.js uses %s", bad)
		}
	}
}

// TestPathTraversal: requests with .., encoded traversal, encoded slashes,
// backslashes or absolute paths get 400 or 404 and never a file. The
// requests are written by hand: an HTTP client would clean the paths.
func TestPathTraversal(t *testing.T) {
	_, ts := newServer(t, "/")
	for _, target := range []string{
		"/../etc/passwd",
		"/../../../../etc/passwd",
		"/static/../../etc/passwd",
		"/static/../index.html",
		"/./index.html",
		"/%2e%2e/etc/passwd",
		"/%2E%2E/%2E%2E/etc/passwd",
		"/static/%2e%2e/%2e%2e/etc/passwd",
		"/static/..%2f..%2fetc/passwd",
		"/static%2f..%2f..%2fetc%2fpasswd",
		"/static/..%5c..%5cetc%5cpasswd",
		"/static\\..\\..\\etc\\passwd",
		"/%5c..%5cetc%5cpasswd",
		"//etc/passwd",
		"/etc/passwd",
		"/C:/Windows/win.ini",
		"/c:%5cwindows%5cwin.ini",
		"/static/css/site.css%00.html",
		"http://evil.example/etc/passwd",
		"/%252e%252e/etc/passwd",
	} {
		status, body := rawGet(t, ts.Listener.Addr().String(), target)
		if status != 400 && status != 404 {
			t.Errorf("GET %s: status %d, want 400 or 404", target, status)
		}
		if strings.Contains(body, "root:") || strings.Contains(body, "<h1>首页</h1>") || strings.Contains(body, "body{}") {
			t.Errorf("GET %s returned a file:\n%s", target, body)
		}
	}
}

// rawGet sends one request line as written and returns the status and body.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: preview\r\nConnection: close\r\n\r\n", target)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestMethods(t *testing.T) {
	_, ts := newServer(t, "/")
	resp, err := http.Post(ts.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
	resp, err = http.Head(ts.URL + "/a/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.ContentLength <= 0 {
		t.Errorf("HEAD: %d, length %d", resp.StatusCode, resp.ContentLength)
	}
}

// stream reads build events from the server as a page would.
type stream struct {
	events chan Event
	resp   *http.Response
}

func listen(t testing.TB, url, build string, files ...string) *stream {
	t.Helper()
	q := "?build=" + build
	for _, f := range files {
		q += "&file=" + f
	}
	resp, err := http.Get(url + EventsPath + q)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	s := &stream{events: make(chan Event, 16), resp: resp}
	go func() {
		defer close(s.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 16<<20) // an event with many findings is one long line
		var name, data string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = line[7:]
			case strings.HasPrefix(line, "data: "):
				data = line[6:]
			case line == "" && name == "build":
				var e Event
				if err := json.Unmarshal([]byte(data), &e); err == nil {
					s.events <- e
				}
				name, data = "", ""
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return s
}

func (s *stream) next(t testing.TB) Event {
	t.Helper()
	select {
	case e, ok := <-s.events:
		if !ok {
			t.Fatal("the event stream ended")
		}
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return Event{}
}

// ended reports whether the server closed the stream.
func (s *stream) ended(t *testing.T) bool {
	t.Helper()
	select {
	case _, ok := <-s.events:
		return !ok
	case <-time.After(10 * time.Second):
		return false
	}
}

// TestEvents follows a page through builds: each event says what the page
// must do given the build it shows.
func TestEvents(t *testing.T) {
	srv, ts := newServer(t, "/")
	srv.source = fstest.MapFS{"content/a/data.toml": {Data: []byte("unit = \"万元\"\n[[table]]\nkind = \"x\n\nrows = []\n")}}
	v1 := srv.instance + "/1"

	s := listen(t, ts.URL, v1, "a/index.html")
	// A page of the current build connects: nothing to do.
	if e := s.next(t); e.Reload || len(e.CSS) > 0 || len(e.Errors) > 0 || e.Build != v1 {
		t.Errorf("on connecting: %+v", e)
	}
	// Only the stylesheet changes: swap it.
	files := site()
	files["static/css/site.css"] = []byte("body{color:red}")
	srv.Publish(Build{Files: files, BaseURL: "/"})
	e := s.next(t)
	if e.Reload || !slices.Equal(e.CSS, []string{"/static/css/site.css"}) || e.Build != srv.instance+"/2" {
		t.Errorf("after a stylesheet change: %+v", e)
	}
	// A build fails: the errors, with the lines around them; the site
	// served stays.
	srv.Publish(Build{Diagnostics: diag.List{
		{File: "content/a/data.toml", Line: 3, Col: 8, Severity: diag.Error, Rule: "toml.syntax", Message: "TOML 格式错误"},
		{File: "content/a/data.toml", Line: 1, Severity: diag.Warning, Message: "一处警告"},
	}})
	e = s.next(t)
	if e.Reload || len(e.Errors) != 1 || e.Errors[0].Where != "content/a/data.toml:3:8" || len(e.Errors[0].Frame) != 5 ||
		!e.Errors[0].Frame[2].Mark || e.Errors[0].Frame[2].Text != `kind = "x` || len(e.Checks) != 1 {
		t.Errorf("after a failed build: %+v", e)
	}
	status, body := rawGet(t, ts.Listener.Addr().String(), "/")
	if status != 200 || !strings.Contains(body, "首页") {
		t.Errorf("the last good site is not served: %d", status)
	}
	// Fixed, with another page changed: the overlay goes, no reload.
	files = site()
	files["static/css/site.css"] = []byte("body{color:red}")
	files["index.html"] = []byte("<html><head></head><body>新首页</body></html>")
	srv.Publish(Build{Files: files, BaseURL: "/"})
	e = s.next(t)
	if e.Reload || len(e.Errors) != 0 || len(e.CSS) != 0 {
		t.Errorf("after the fix: %+v", e)
	}
	// The page's own file changes: reload, and the stream ends.
	files = maps.Clone(files)
	files["a/index.html"] = []byte("<html><head></head><body>乙</body></html>")
	srv.Publish(Build{Files: files, BaseURL: "/"})
	if e = s.next(t); !e.Reload {
		t.Errorf("after the page changed: %+v", e)
	}
	if !s.ended(t) {
		t.Error("the stream stays open after a reload")
	}

	// A page that was served before changes it did not hear of (it loaded
	// while a build ran) catches up when it connects.
	late := listen(t, ts.URL, v1, "index.html")
	if e := late.next(t); !e.Reload {
		t.Errorf("a late page: %+v", e)
	}
	// A page of another server (which restarted) reloads; one of this
	// build does not hear anything until the next build.
	if e := listen(t, ts.URL, "0123/7", "a/index.html").next(t); !e.Reload {
		t.Errorf("a page of another server: %+v", e)
	}
	current := listen(t, ts.URL, srv.buildID(srv.state.Load().version), "a/index.html")
	current.next(t)
	// A page waiting for a missing file reloads when it appears.
	missing := listen(t, ts.URL, srv.buildID(srv.state.Load().version), "b/index.html", "404.html")
	missing.next(t)
	files = maps.Clone(files)
	files["b/index.html"] = []byte("<html><head></head><body>丙</body></html>")
	srv.Publish(Build{Files: files, BaseURL: "/"})
	if e := current.next(t); e.Reload {
		t.Errorf("an unchanged page reloads: %+v", e)
	}
	if e := missing.next(t); !e.Reload {
		t.Errorf("a 404 page whose file appeared: %+v", e)
	}
	// Close ends every stream.
	srv.Close()
	if !current.ended(t) {
		t.Error("Close left a stream open")
	}
}

// TestNothingBuiltYet: before any build succeeds every path answers 503
// with a page that listens, and the errors.
func TestNothingBuiltYet(t *testing.T) {
	srv := New(nil)
	srv.Publish(Build{Diagnostics: diag.List{{File: "content/site.toml", Line: 1, Severity: diag.Error, Message: "坏了"}}})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	defer srv.Close()
	status, body := rawGet(t, ts.Listener.Addr().String(), "/a/")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "网站尚未生成") || !strings.Contains(body, "/__disclose/live.js") {
		t.Errorf("%d\n%s", status, body)
	}
	build := regexp.MustCompile(`disclose:build" content="([^"]+)"`).FindStringSubmatch(body)[1]
	s := listen(t, ts.URL, build, "index.html")
	if e := s.next(t); e.Reload || len(e.Errors) != 1 {
		t.Errorf("the waiting page is not shown the errors: %+v", e)
	}
	srv.Publish(Build{Files: site(), BaseURL: "/"})
	if e := s.next(t); !e.Reload {
		t.Errorf("the waiting page does not reload once built: %+v", e)
	}
}

// TestChecksBounded: pages get at most maxChecks warnings and findings
// together, however many the build's warnings alone are.
func TestChecksBounded(t *testing.T) {
	srv := New(nil)
	var b Build
	b.Files, b.BaseURL = site(), "/"
	for i := range maxChecks + 50 {
		b.Diagnostics = append(b.Diagnostics, diag.Diagnostic{File: "content/a.md", Line: i + 1, Severity: diag.Warning, Message: "警告"})
	}
	b.Findings = diag.List{{File: "content/a/data.toml", Line: 1, Severity: diag.Warning, Message: "发现"}}
	srv.Publish(b)
	if got := len(srv.state.Load().checks); got != maxChecks {
		t.Errorf("%d checks sent to pages, want %d", got, maxChecks)
	}
}

func TestNonContentError(t *testing.T) {
	srv := New(nil)
	srv.Publish(Build{Files: site(), BaseURL: "/"})
	srv.Publish(Build{Err: errors.New("磁盘已满")})
	st := srv.state.Load()
	if st.files == nil || len(st.errors) != 1 || st.errors[0].Message != "磁盘已满" {
		t.Errorf("state after a failure: %+v", st.errors)
	}
}

func TestListen(t *testing.T) {
	first, err := Listen("127.0.0.1:0", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	taken := first.Addr().String()
	if _, err := Listen(taken, 0); err == nil {
		t.Fatal("listened twice on one port")
	}
	second, err := Listen(taken, 20)
	if err != nil {
		t.Fatalf("no next port: %v", err)
	}
	defer second.Close()
	if second.Addr().String() == taken {
		t.Error("same address")
	}
}

// TestDefaultAddrIsLoopback: the preview listens on this machine only
// unless told otherwise.
func TestDefaultAddrIsLoopback(t *testing.T) {
	host, _, err := net.SplitHostPort(DefaultAddr)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		t.Errorf("DefaultAddr %s is not a loopback address", DefaultAddr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := exampleSite(t)
	got := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- Run(ctx, Config{Dir: dir, Theme: theme(), Ready: func(u string) { got <- u }}) }()
	select {
	case u := <-got:
		if !strings.HasPrefix(u, "http://127.0.0.1:") {
			t.Errorf("serving at %s", u)
		}
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestPublishChanged: a build that names the files it changed is
// published as one that hands over the whole site: the same files change
// (pages reload, stylesheets swap) and the same stylesheets are listed.
func TestPublishChanged(t *testing.T) {
	whole, named := New(nil), New(nil)
	files := site()
	whole.Publish(Build{Files: files, BaseURL: "/"})
	named.Publish(Build{Files: files, BaseURL: "/"})
	steps := []struct {
		name   string
		change func(map[string][]byte) []string
	}{
		{"a stylesheet", func(f map[string][]byte) []string {
			f["static/css/site.css"] = []byte("body{color:red}")
			return []string{"static/css/site.css"}
		}},
		{"written again, the same", func(f map[string][]byte) []string {
			f["a/index.html"] = bytes.Clone(f["a/index.html"])
			return []string{"a/index.html", "robots.txt"}
		}},
		{"a page", func(f map[string][]byte) []string {
			f["a/index.html"] = []byte("<html><head></head><body>乙</body></html>")
			return []string{"a/index.html"}
		}},
		{"a new stylesheet and page", func(f map[string][]byte) []string {
			f["static/css/extra.css"] = []byte("p{}")
			f["b/index.html"] = []byte("<html><head></head><body>丙</body></html>")
			return []string{"b/index.html", "static/css/extra.css"}
		}},
		{"a script, a stylesheet and a page removed", func(f map[string][]byte) []string {
			delete(f, "static/js/app.js")
			delete(f, "static/css/extra.css")
			delete(f, "a/index.html")
			return []string{"static/js/app.js", "static/css/extra.css", "a/index.html"}
		}},
	}
	for _, step := range steps {
		files = maps.Clone(files)
		changed := step.change(files)
		whole.Publish(Build{Files: files, BaseURL: "/"})
		named.Publish(Build{Files: files, BaseURL: "/", Changed: changed})
		w, n := whole.state.Load(), named.state.Load()
		if !maps.Equal(w.changed, n.changed) || w.assets != n.assets || !slices.Equal(w.css, n.css) {
			t.Errorf("%s: published with the names changed\n%v %d %v\nwith the whole site\n%v %d %v", step.name,
				n.changed, n.assets, n.css, w.changed, w.assets, w.css)
		}
	}
	if st := named.state.Load(); st.changed["a/index.html"] != st.version || !slices.Equal(st.css, []string{"static/css/site.css"}) {
		t.Errorf("after the last step: %v %v", st.changed, st.css)
	}
}
