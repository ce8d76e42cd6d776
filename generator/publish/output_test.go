package publish

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/andybalholm/brotli"
)

// buildSmall publishes a small site: two pages, a 404 page, a stylesheet.
func buildSmall(t *testing.T, o Options) (*Stage, *MapSink) {
	t.Helper()
	s, sink := newStage(t, o)
	if err := s.Assets([]File{{"static/css/site.css", []byte(strings.Repeat("p { color: #111111; }\n", 100))}}); err != nil {
		t.Fatal(err)
	}
	css, _ := s.AssetPath("static/css/site.css")
	head := `<link rel="stylesheet" href="/yjsgk/` + css + `">`
	pages := []Page{
		{Name: "index.html", HTML: doc(head + `<a href="a/">甲</a>` + strings.Repeat("<p>首页的一段文字。</p>\n", 100)), Sitemap: true},
		{Name: "a/index.html", HTML: doc(head + `<a href="../">首页</a>`), Sitemap: true, Modified: time.Date(2020, 3, 30, 0, 0, 0, 0, time.UTC)},
		{Name: "404.html", HTML: doc(head + `<a href="/yjsgk/">首页</a>`)},
	}
	for _, p := range pages {
		if err := s.Page(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.WriteFile("a/data.csv", []byte("\ufeff项目,金额\n")); err != nil {
		t.Fatal(err)
	}
	if d := finish(t, s); d.HasErrors() {
		t.Fatal(d)
	}
	return s, sink
}

// TestManifest: every file but manifest.json is listed with its size,
// sha256, class and type, sorted; hashed assets carry their source name
// and integrity; precompressed files name what they compress.
func TestManifest(t *testing.T) {
	_, sink := buildSmall(t, Options{Precompress: true})
	m, err := ReadManifest(sink.Files[ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	prev := ""
	for _, e := range m.Files {
		if e.Path <= prev {
			t.Errorf("not sorted: %s after %s", e.Path, prev)
		}
		prev = e.Path
		listed[e.Path] = true
		data, ok := sink.Files[e.Path]
		if !ok {
			t.Errorf("%s listed but not written", e.Path)
			continue
		}
		sum := sha256.Sum256(data)
		if e.Size != int64(len(data)) || e.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: manifest says %d bytes %s", e.Path, e.Size, e.SHA256)
		}
		wantClass := Revalidate
		if strings.HasPrefix(e.Path, "static/") {
			wantClass = Immutable
		}
		if e.Class != wantClass {
			t.Errorf("%s: class %s", e.Path, e.Class)
		}
	}
	for name := range sink.Files {
		if !listed[name] && name != ManifestFile {
			t.Errorf("%s written but not listed", name)
		}
	}
	for _, want := range []string{"sitemap.xml", "robots.txt", HeadersFile, "a/data.csv", "index.html.gz", "index.html.br"} {
		if !listed[want] {
			t.Errorf("manifest lacks %s", want)
		}
	}
	for _, e := range m.Files {
		switch {
		case e.Asset == "static/css/site.css":
			if e.Integrity != integrity(sink.Files[e.Path]) || e.Type != "text/css; charset=utf-8" {
				t.Errorf("asset entry %+v", e)
			}
		case e.Path == "index.html.gz":
			if e.Encoding != "gzip" || e.Of != "index.html" || e.Type != "text/html; charset=utf-8" {
				t.Errorf("gzip entry %+v", e)
			}
		}
	}
	// One file per line, so a diff of two manifests shows what changed.
	if n := bytes.Count(sink.Files[ManifestFile], []byte("\n")); n != len(m.Files)+3 {
		t.Errorf("manifest has %d lines for %d files", n, len(m.Files))
	}
}

// TestPrecompress: .gz and .br decompress to the file, only for text of
// 1 KiB or more, and are the same bytes every time.
func TestPrecompress(t *testing.T) {
	_, a := buildSmall(t, Options{Precompress: true})
	_, b := buildSmall(t, Options{Precompress: true})
	for name, data := range a.Files {
		if !bytes.Equal(data, b.Files[name]) {
			t.Errorf("%s differs between two builds", name)
		}
		var r io.Reader
		switch {
		case strings.HasSuffix(name, ".gz"):
			zr, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		case strings.HasSuffix(name, ".br"):
			r = brotli.NewReader(bytes.NewReader(data))
		default:
			continue
		}
		plain, err := io.ReadAll(r)
		orig := a.Files[name[:strings.LastIndexByte(name, '.')]]
		if err != nil || !bytes.Equal(plain, orig) {
			t.Errorf("%s does not decompress to its file (%v)", name, err)
		}
		if len(orig) < precompressMin {
			t.Errorf("%s: a file of %d bytes precompressed", name, len(orig))
		}
	}
	for _, small := range []string{"404.html.gz", "robots.txt.gz", "a/data.csv.gz", HeadersFile + ".gz", ManifestFile + ".gz"} {
		if _, ok := a.Files[small]; ok {
			t.Errorf("%s written", small)
		}
	}
	if _, ok := a.Files["index.html.br"]; !ok {
		t.Error("index.html.br not written")
	}
}

// TestPrecompressLevels: a static asset gets the best gzip and brotli
// there are; a page, a download and a search index shard (named by hash
// too, but one of thousands) the faster levels.
func TestPrecompressLevels(t *testing.T) {
	s, sink := newStage(t, Options{Precompress: true})
	text := func(seed string) []byte {
		var b strings.Builder
		for i := range 400 {
			fmt.Fprintf(&b, "%s %d 支出 %d；", seed, i, i*i%977)
		}
		return []byte(b.String())
	}
	if err := s.Assets([]File{{"static/js/app.js", text("var a")}}); err != nil {
		t.Fatal(err)
	}
	js, _ := s.AssetPath("static/js/app.js")
	if err := s.WriteHashed("search/p/0123abcd.json", text("shard")); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFile("a/figures.json", text("fact")); err != nil {
		t.Fatal(err)
	}
	if err := s.Page(Page{Name: "index.html", HTML: doc(string(text("<p>段落")))}); err != nil {
		t.Fatal(err)
	}
	gz := func(level int, data []byte) []byte {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, level)
		w.Write(data)
		w.Close()
		return b.Bytes()
	}
	br := func(q int, data []byte) []byte {
		var b bytes.Buffer
		w := brotli.NewWriterLevel(&b, q)
		w.Write(data)
		w.Close()
		return b.Bytes()
	}
	for _, tc := range []struct {
		name       string
		gzip, brot int
	}{
		{js, gzip.BestCompression, 11},
		{"search/p/0123abcd.json", gzip.DefaultCompression, 6},
		{"a/figures.json", gzip.DefaultCompression, 6},
		{"index.html", gzip.DefaultCompression, 6},
	} {
		data := sink.Files[tc.name]
		if len(data) < precompressMin {
			t.Fatalf("%s: %d bytes, too few to precompress", tc.name, len(data))
		}
		if !bytes.Equal(sink.Files[tc.name+".gz"], gz(tc.gzip, data)) {
			t.Errorf("%s.gz is not gzip level %d", tc.name, tc.gzip)
		}
		if !bytes.Equal(sink.Files[tc.name+".br"], br(tc.brot, data)) {
			t.Errorf("%s.br is not brotli quality %d", tc.name, tc.brot)
		}
	}
}

// TestHeadersFile: the hints parse back; every file gets exactly one
// Cache-Control, by its class; every path gets the security headers.
func TestHeadersFile(t *testing.T) {
	_, sink := buildSmall(t, Options{Precompress: true})
	h, err := ParseHeaders(sink.Files[HeadersFile])
	if err != nil {
		t.Fatal(err)
	}
	urls := map[string]string{"/yjsgk/": Revalidate, "/yjsgk/a/": Revalidate}
	for name := range sink.Files {
		class := Revalidate
		if strings.HasPrefix(name, "static/") {
			class = Immutable
		}
		urls["/yjsgk/"+name] = class
	}
	for u, class := range urls {
		hdr := h.For(u)
		if cc := hdr.Values("Cache-Control"); len(cc) != 1 || cc[0] != cacheControl[class] {
			t.Errorf("%s: Cache-Control %q, want %q", u, cc, cacheControl[class])
		}
		csp := hdr.Get("Content-Security-Policy")
		if !strings.HasPrefix(csp, "default-src 'self'") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'self'") {
			t.Errorf("%s: CSP %q", u, csp)
		}
		for _, k := range []string{"X-Content-Type-Options", "Referrer-Policy"} {
			if len(hdr.Values(k)) != 1 {
				t.Errorf("%s: %s %q", u, k, hdr.Values(k))
			}
		}
	}
	if !bytes.Contains(sink.Files[HeadersFile], []byte("serve /yjsgk/404.html with status 404")) {
		t.Error("headers file does not say how to serve the 404 page")
	}
}

func TestParseHeadersErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"  X: y\n", "before any URL path"},
		{"/a\n  no colon\n", "want \"Name: value\""},
		{"a\n", "starts with a URL path"},
		{"/a b\n", "starts with a URL path"},
	} {
		if _, err := ParseHeaders([]byte(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseHeaders(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
	h, err := ParseHeaders([]byte("# c\n/a/*\n  x-a: 1\n\n/a/b\n\tX-B: 2\n"))
	if err != nil || len(h) != 2 || h.For("/a/b").Get("X-A") != "1" || h.For("/a/b").Get("X-B") != "2" || h.For("/a/").Get("X-B") != "" || h[1].Line != 5 {
		t.Errorf("parsed %+v, %v", h, err)
	}
}

// FuzzParseHeaders: any input parses or fails without a panic, and what
// parses writes back to the same rules.
func FuzzParseHeaders(f *testing.F) {
	f.Add([]byte("/*\n  A: b\n/x\n  C: d\n"))
	f.Add([]byte("# only a comment\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseHeaders(data)
		if err != nil {
			return
		}
		var b bytes.Buffer
		for _, r := range h {
			fmt.Fprintf(&b, "%s\n", r.Pattern)
			for _, f := range r.Header {
				fmt.Fprintf(&b, "  %s: %s\n", f[0], f[1])
			}
		}
		again, err := ParseHeaders(b.Bytes())
		if err != nil || len(again) != len(h) {
			t.Fatalf("round trip: %v, %d rules, want %d", err, len(again), len(h))
		}
	})
}

// FuzzReadManifest: any input is read or refused without a panic.
func FuzzReadManifest(f *testing.F) {
	f.Add([]byte(`{"version":1,"base_url":"/","files":[{"path":"a.html","size":1,"sha256":"` + strings.Repeat("0", 64) + `","class":"revalidate","type":"text/html"}]}`))
	f.Add([]byte(`{"version":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadManifest(data)
		if err == nil && m.Version != 1 {
			t.Fatalf("accepted version %d", m.Version)
		}
	})
}

// FuzzPage: any HTML is checked without a panic, and without minifying the
// page is written as it came, plus only the attributes the stage adds.
func FuzzPage(f *testing.F) {
	f.Add([]byte(`<!doctype html><p id=a style="x" onclick=y><a href="#a">a</a><svg><use href="#b"/></svg><script>1</script>`))
	f.Add([]byte(`<link rel=stylesheet href="/yjsgk/static/x.css"><img srcset=", ,x 2x">`))
	f.Add([]byte("<a href='\x00'>"))
	f.Fuzz(func(t *testing.T, html []byte) {
		s, sink := newStage(t, Options{})
		if err := s.Page(Page{Name: "index.html", HTML: html}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Finish(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sink.Files["index.html"], html) {
			t.Fatalf("page changed:\n%q\n%q", html, sink.Files["index.html"])
		}
	})
}

// TestSitemap: pages marked for it, with their content dates (or
// SOURCE_DATE_EPOCH), sorted; past the limit, an index of parts.
func TestSitemap(t *testing.T) {
	_, sink := buildSmall(t, Options{SourceDate: time.Unix(1700000000, 0)})
	want := `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://czj.example.gov.cn/yjsgk/</loc><lastmod>2023-11-14</lastmod></url>
<url><loc>https://czj.example.gov.cn/yjsgk/a/</loc><lastmod>2020-03-30</lastmod></url>
</urlset>
`
	if got := string(sink.Files["sitemap.xml"]); got != want {
		t.Errorf("sitemap.xml:\n%s\nwant\n%s", got, want)
	}
	if got := string(sink.Files["robots.txt"]); got != "User-agent: *\nAllow: /\n\nSitemap: https://czj.example.gov.cn/yjsgk/sitemap.xml\n" {
		t.Errorf("robots.txt: %q", got)
	}

	s, sink := newStage(t, Options{})
	s.sitemapMax = 2
	for i := range 5 {
		if err := s.Page(Page{Name: fmt.Sprintf("p%d/index.html", i), HTML: doc(""), Sitemap: true}); err != nil {
			t.Fatal(err)
		}
	}
	finish(t, s)
	index := string(sink.Files["sitemap.xml"])
	if !strings.Contains(index, "<sitemapindex") || strings.Count(index, "<sitemap>") != 3 || !strings.Contains(index, "<loc>https://czj.example.gov.cn/yjsgk/sitemap-3.xml</loc>") {
		t.Errorf("sitemap index:\n%s", index)
	}
	if n := strings.Count(string(sink.Files["sitemap-3.xml"]), "<url>"); n != 1 {
		t.Errorf("sitemap-3.xml has %d URLs, want 1", n)
	}

	// A base URL that is only a path: no sitemap, no Sitemap line.
	s, sink = newStage(t, Options{BaseURL: "/yjsgk/"})
	if d := finish(t, s); len(d) != 0 || s.Absolute() {
		t.Errorf("path-only base: diagnostics %v", d)
	}
	if _, ok := sink.Files["sitemap.xml"]; ok || strings.Contains(string(sink.Files["robots.txt"]), "Sitemap") {
		t.Errorf("path-only base: sitemap written")
	}
}

// TestRetain: the previous build's hashed assets that this build does not
// write are kept one more build, and listed under retained; those the
// previous build had only retained are not.
func TestRetain(t *testing.T) {
	_, first := buildSmall(t, Options{})
	prev := fstest.MapFS{}
	for n, d := range first.Files {
		prev[n] = &fstest.MapFile{Data: d}
	}
	s, sink := newStage(t, Options{Previous: prev})
	if err := s.Assets([]File{{"static/css/site.css", []byte("p{color:red}")}}); err != nil {
		t.Fatal(err)
	}
	finish(t, s)
	m, err := ReadManifest(sink.Files[ManifestFile])
	if err != nil {
		t.Fatal(err)
	}
	old := ""
	for n := range first.Files {
		if strings.HasPrefix(n, "static/css/site.") {
			old = n
		}
	}
	if got := s.Retained(); len(got) != 1 || got[0] != old || len(m.Retained) != 1 || m.Retained[0].Path != old {
		t.Fatalf("retained %v, manifest %v; want %s", got, m.Retained, old)
	}
	// The build after: what was retained goes.
	prev2 := fstest.MapFS{old: prev[old]}
	for n, d := range sink.Files {
		prev2[n] = &fstest.MapFile{Data: d}
	}
	s, _ = newStage(t, Options{Previous: prev2})
	if err := s.Assets([]File{{"static/css/site.css", []byte("p{color:blue}")}}); err != nil {
		t.Fatal(err)
	}
	finish(t, s)
	if got := s.Retained(); len(got) != 1 || got[0] == old {
		t.Errorf("second build retained %v; want only the first build's successor", got)
	}
	// An unreadable previous manifest: nothing kept, and a warning.
	s, _ = newStage(t, Options{Previous: fstest.MapFS{ManifestFile: {Data: []byte("{")}}})
	if d := finish(t, s); len(d) != 1 || d[0].Rule != "publish.previous-manifest" {
		t.Errorf("diagnostics %v", d)
	}
}
