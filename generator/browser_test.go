package generator_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/disclose/disclose/generator/browsertest"
	"github.com/disclose/disclose/generator/publish"
)

// axeSource reads axe-core (npm package axe-core, installed by .ci/run
// into .ci/node_modules, or $AXE_CORE). Without it the test skips, except
// under CI=true, where it fails.
func axeSource(t *testing.T) []byte {
	t.Helper()
	p := os.Getenv("AXE_CORE")
	if p == "" {
		p = "../.ci/node_modules/axe-core/axe.min.js"
	}
	data, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core is not installed (%v); .ci/run installs it with npm ci --prefix .ci", err)
		}
		t.Skipf("axe-core not found (%v): run npm ci --prefix .ci", err)
	}
	return data
}

// serveOutput serves a built site folder under its sub-path as a CDN set
// up from the headers hint file would: every response gets the headers the
// file gives its path, a missing file gets 404.html with status 404, and
// a client that accepts gzip gets the precompressed .gz where there is one.
func serveOutput(t *testing.T, dir, sub string, extra map[string]string, gzipped *atomic.Int64) http.Handler {
	t.Helper()
	hints, err := os.ReadFile(filepath.Join(dir, publish.HeadersFile))
	if err != nil {
		t.Fatal(err)
	}
	headers, err := publish.ParseHeaders(hints)
	if err != nil {
		t.Fatal(err)
	}
	root := os.DirFS(dir)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := http.StatusOK
		name, ok := strings.CutPrefix(r.URL.Path, sub)
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		data, err := fs.ReadFile(root, name)
		if body, isExtra := extra[name]; isExtra {
			data, err = []byte(body), nil
		}
		if !ok || err != nil {
			status, name = http.StatusNotFound, "404.html"
			data, _ = fs.ReadFile(root, name)
		}
		for k, vs := range headers.For(r.URL.Path) {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.Header().Set("Content-Type", publish.ContentType(name))
		if gz, err := fs.ReadFile(root, name+".gz"); err == nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && extra[name] == "" {
			gzipped.Add(1)
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Vary", "Accept-Encoding")
			data = gz
		}
		w.WriteHeader(status)
		w.Write(data)
	})
}

// pngImage is a small PNG, standing in for the official badge images a
// site puts in its static/ folder.
func pngImage(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{0xc0, 0, 0, 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cspRecorder records the page's securitypolicyviolation events. It is
// added by DevTools before any page script runs; the policy does not apply
// to it.
const cspRecorder = `window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));`

// axeRun runs axe-core on the page for WCAG 2.1 A and AA.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' ')).join(', ')))`

// TestPublishedSiteInBrowser (must show 5): the built example, served
// with the headers file's CSP under a sub-path, gives no CSP violation, no
// console error and no axe-core WCAG 2.1 A/AA violation on any page: home,
// body, disclosure, glossary, sitemap, the 404 page, and every page the
// build will have (a search page is picked up when it appears). It runs
// twice: with the badge images a site supplies, and with the theme's text
// badge that stands in until it does.
func TestPublishedSiteInBrowser(t *testing.T) {
	axe := axeSource(t)
	for _, images := range []bool{true, false} {
		t.Run(fmt.Sprintf("images=%v", images), func(t *testing.T) { browseSite(t, axe, images) })
	}
}

func browseSite(t *testing.T, axe []byte, images bool) {
	ctx := browsertest.New(t, browsertest.Options{Width: 1280})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	const sub = "/yjsgk/"
	base := "http://" + ln.Addr().String() + sub

	// The example, with a government footer and the badge images a site
	// supplies.
	src := exampleCopy(t)
	siteToml := filepath.Join(src, "content/site.toml")
	conf, _ := os.ReadFile(siteToml)
	conf = append(conf, []byte(`site_id_code = "2100000001"
icp = "辽ICP备00000001号"
public_security = "辽公网安备 21000000000001号"
contact = "0427-0000000"
conac_id = "bm00000001"
`)...)
	os.WriteFile(siteToml, conf, 0o644)
	if images {
		os.MkdirAll(filepath.Join(src, "static/img"), 0o755)
		os.WriteFile(filepath.Join(src, "static/img/conac.png"), pngImage(t, 55, 68), 0o644)
		os.WriteFile(filepath.Join(src, "static/img/gongan.png"), pngImage(t, 16, 16), 0o644)
	}
	out := filepath.Join(src, "public")
	sink, err := publish.OpenDir(out)
	if err != nil {
		t.Fatal(err)
	}
	publishedBuild(t, os.DirFS(src), sink, base)
	if _, err := sink.Commit(nil); err != nil {
		t.Fatal(err)
	}

	// Three control pages show the checks can fail: one breaks the
	// policy, one breaks WCAG, one fails to load a file.
	extra := map[string]string{
		"control-csp.html":  `<!doctype html><html lang="zh-CN"><title>c</title><p style="color:red">x</p><script>console.log(1)</script>`,
		"control-axe.html":  `<!doctype html><html lang="zh-CN"><title>c</title><img src="x.png">`,
		"control-fail.html": `<!doctype html><html lang="zh-CN"><title>c</title><link rel="stylesheet" href="/yjsgk/missing.css">`,
	}
	var gzipped atomic.Int64
	srv := &http.Server{Handler: serveOutput(t, out, sub, extra, &gzipped)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	var (
		mu       sync.Mutex
		messages []string
	)
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == chromedp.ConsoleWarning {
				mu.Lock()
				messages = append(messages, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line+1))
				mu.Unlock()
			}
		}
	}()
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspRecorder})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}

	type result struct {
		csp, console, axe []string
		status            int64
	}
	visit := func(u string) result {
		t.Helper()
		mu.Lock()
		mark := len(messages)
		mu.Unlock()
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		var r result
		r.status = resp.Status
		if r.csp, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp`)); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
			t.Fatalf("%s: load axe: %v", u, err)
		}
		if r.axe, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatalf("%s: axe: %v", u, err)
		}
		// Console messages arrive on their own; a round trip to the page
		// after the load lets those of the load come in first.
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`0`)); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		r.console = slices.Clone(messages[mark:])
		mu.Unlock()
		return r
	}

	// The controls first: each check must see its control fail.
	if r := visit(base + "control-csp.html"); len(r.csp) < 2 || len(r.console) == 0 {
		t.Fatalf("the CSP check does not see an inline style and script: csp %v, console %v", r.csp, r.console)
	}
	if r := visit(base + "control-axe.html"); !strings.Contains(strings.Join(r.axe, "\n"), "image-alt") {
		t.Fatalf("axe does not see an image without alt: %v", r.axe)
	}
	if r := visit(base + "control-fail.html"); len(r.console) == 0 {
		t.Fatalf("the console check does not see a failed load")
	}

	var pages []string
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			rel, _ := filepath.Rel(out, p)
			pages = append(pages, filepath.ToSlash(rel))
		}
		return nil
	})
	for _, want := range []string{"index.html", "panjin-zhcs/index.html", "panjin-zhcs/2020/budget/index.html", "glossary/index.html", "sitemap/index.html", "404.html"} {
		if !slices.Contains(pages, want) {
			t.Errorf("the build has no %s", want)
		}
	}
	for _, p := range pages {
		u := base + strings.TrimSuffix(p, "index.html")
		wantStatus := int64(http.StatusOK)
		if p == "404.html" {
			// The 404 page as readers meet it: at an address that does
			// not exist, three folders deep.
			u, wantStatus = base+"panjin-zhcs/2019/final/", http.StatusNotFound
		}
		failed := false
		fail := func(format string, args ...any) { failed = true; t.Errorf(format, args...) }
		r := visit(u)
		if r.status != wantStatus {
			fail("%s: status %d, want %d", u, r.status, wantStatus)
		}
		for _, v := range r.csp {
			fail("%s: CSP violation: %s", u, v)
		}
		for _, m := range r.console {
			if wantStatus == http.StatusNotFound && strings.Contains(m, "status of 404") && strings.HasSuffix(m, "("+u+":1)") {
				continue // the browser's note on the 404 page's own status
			}
			fail("%s: console: %s", u, m)
		}
		for _, v := range r.axe {
			fail("%s: axe: %s", u, v)
		}
		if !failed {
			t.Logf("%s: no CSP violation, no console message, no axe violation", p)
		}
	}
	if gzipped.Load() == 0 {
		t.Error("no precompressed file was served: the SRI of gzipped files went untested")
	}
}
