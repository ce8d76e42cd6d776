// Command searchbench measures the site search of a built disclose site in a
// real browser and, with --pagefind, Pagefind's search of the same pages:
// the index's size on disk, the bytes a cold first query downloads with its
// first 10 results, the time of a warm query, and which of a list of
// Chinese queries each finds.
//
// Usage:
//
//	go run ./cmd/disclose build --out /tmp/site
//	go run ./cmd/searchbench --site /tmp/site [--pagefind] [--preset example|synth] [--queries FILE]
//
// The site is served from 127.0.0.1 with gzip for text types (HTML, CSS,
// JavaScript, JSON), as a CDN serves them; binary index files go as they
// are. Every cold query runs in a new chromium with an empty profile, and
// its bytes are the DevTools protocol's encodedDataLength (headers and
// body, as received) of every request but the page itself and its
// stylesheet. --pagefind runs `npx pagefind@VERSION --site DIR
// --root-selector main` (npm installs it on first use; Pagefind's files go
// to DIR/pagefind) and loads pagefind.js in a blank page of the same
// server, with a Web Worker as Pagefind does by default.
//
// A queries file has one query per line, optionally followed by a tab and
// a part of the path of the page that must be among its first 10 results,
// or ! when the site holds no such text and nothing must be found; lines
// starting with # are comments.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/disclose/disclose/generator/browsertest"
)

const pagefindVersion = "1.6.0"

var verbose *bool

// presets are query lists: the example site's real and synthetic bodies,
// and a synthetic site from cmd/synth.
var presets = map[string]string{
	"example": `三公经费	panjin-zhcs/2020/budget
“三公”经费	panjin-zhcs/2020/budget
容灾备份	panjin-zhcs/2020/budget
灾备	panjin-zhcs/2020/budget
机关运行经费	panjin-zhcs/2020/budget
2120101	demo-00005-cgj
２１２０１０１	demo-00005-cgj
2966.24	panjin-zhcs/2020/budget
2966.24万元	panjin-zhcs/2020/budget
29662400	panjin-zhcs/2020/budget
政府采购	panjin-zhcs/2020/budget
智慧城市	panjin-zhcs/2020/budget
因公出国境费	panjin-zhcs/2020/budget
公务用车运行费	panjin-zhcs/2020/budget
绩效目标	panjin-zhcs/2020/budget
网格化管理	panjin-zhcs/2020/budget
数据资源科	panjin-zhcs/2020/budget
城管执法	demo-00005-cgj
医疗卫生与计划生育	demo-00005-cgj
运维	panjin-zhcs/2020/budget`,
	"synth": `三公经费
“三公”经费
机关运行经费
公务接待费
政府采购
绩效目标
行政运行
2010301
2120101
２０１０３０１
一般公共预算
政府性基金
国有资产
城乡社区
卫生健康
医疗卫生与计划生育
事业运行
住房公积金
办公费
运维	!`,
}

type query struct {
	text, want string
}

func main() {
	site := flag.String("site", "public", "the built site (the --out of disclose build)")
	withPagefind := flag.Bool("pagefind", false, "also run Pagefind (npx pagefind@"+pagefindVersion+") on the site and measure it")
	preset := flag.String("preset", "example", "built-in query list: example or synth")
	file := flag.String("queries", "", "a file of queries (query, tab, expected path part) instead of a preset")
	raw := flag.Bool("raw", false, "serve without gzip (bytes as on disk)")
	verbose = flag.Bool("v", false, "print the time of every warm query")
	flag.Parse()
	queries, err := loadQueries(*file, *preset)
	if err == nil {
		err = run(*site, queries, *withPagefind, !*raw)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "searchbench:", err)
		os.Exit(1)
	}
}

func loadQueries(file, preset string) ([]query, error) {
	text, ok := presets[preset]
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		text, ok = string(data), true
	}
	if !ok {
		return nil, fmt.Errorf("no preset %q (example, synth)", preset)
	}
	var qs []query
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, want, _ := strings.Cut(line, "\t")
		qs = append(qs, query{strings.TrimSpace(q), strings.TrimSpace(want)})
	}
	return qs, nil
}

// engine is one search engine under test.
type engine struct {
	name string
	dir  string // its index folder in the site
	// cold runs q in a fresh browser on srv and returns the paths of the
	// first 10 results.
	cold func(ctx context.Context, base string, q string) ([]string, error)
	// timed is a JavaScript expression that runs q in the page the cold
	// query left and gives its time in milliseconds.
	timed func(q string) string
}

// outcome is what a cold query downloaded: body bytes as the server sent
// them (after gzip), and the browser's count (headers and bodies, from the
// DevTools network events of the page: requests of a Web Worker are not
// among them).
type outcome struct {
	bytes, requests int
	browserBytes    int
	results         []string
	err             error
}

// counted reports whether a request counts towards a query: not the page
// itself or its stylesheet.
func counted(p string) bool {
	return p != "/search/" && p != "/__bench/blank.html" && !strings.HasSuffix(p, ".css") && !strings.HasSuffix(p, "favicon.ico")
}

func run(site string, queries []query, withPagefind, gz bool) error {
	if _, ok := browsertest.ExecPath(); !ok {
		return errors.New("chromium is not installed (apt-get install -y chromium)")
	}
	engines := []engine{{name: "disclose", dir: "search", cold: ourCold, timed: ourTimed}}
	if withPagefind {
		if err := pagefind(site); err != nil {
			return err
		}
		engines = append(engines, engine{name: "Pagefind " + pagefindVersion, dir: "pagefind", cold: pfCold, timed: pfTimed})
	}
	srv, err := serve(site, gz)
	if err != nil {
		return err
	}
	defer srv.Close()

	fmt.Printf("site %s, served %s\n\n", site, map[bool]string{true: "with gzip for text types (as a CDN)", false: "without compression"}[gz])
	fmt.Printf("%-22s %12s %8s\n", "index on disk", "bytes", "files")
	for _, e := range engines {
		n, size := dirSize(filepath.Join(site, e.dir))
		fmt.Printf("%-22s %12d %8d\n", e.name, size, n)
	}
	fmt.Println()

	results := make([][]outcome, len(engines))
	for ei, e := range engines {
		for _, q := range queries {
			results[ei] = append(results[ei], measure(e, srv, q.text))
		}
	}
	fmt.Println("cold first query with its first 10 results: bytes sent by the server (requests); for disclose also")
	fmt.Println("the bytes the browser received (DevTools encodedDataLength, headers included); results; the expected page among them")
	fmt.Printf("%-20s", "query")
	for _, e := range engines {
		fmt.Printf(" | %-40s", e.name)
	}
	fmt.Println()
	found := make([]int, len(engines))
	var byEngine = make([][]int, len(engines))
	for qi, q := range queries {
		fmt.Printf("%-20s", pad(q.text, 20))
		for ei := range engines {
			o := results[ei][qi]
			if o.err != nil {
				fmt.Printf(" | %-31s", "error: "+o.err.Error())
				continue
			}
			ok := len(o.results) > 0
			switch q.want {
			case "":
			case "!": // the site has no such text: finding nothing is right
				ok = len(o.results) == 0
			default:
				ok = slices.ContainsFunc(o.results, func(p string) bool { return strings.Contains(p, q.want) })
			}
			mark := "no"
			if ok {
				mark = "yes"
				found[ei]++
			}
			byEngine[ei] = append(byEngine[ei], o.bytes)
			browser := ""
			if ei == 0 {
				browser = fmt.Sprintf("[%d]", o.browserBytes)
			}
			fmt.Printf(" | %7d (%2d) %-9s %2d results %-3s", o.bytes, o.requests, browser, len(o.results), mark)
		}
		fmt.Println()
	}
	fmt.Printf("%-20s", "median; found")
	for ei := range engines {
		fmt.Printf(" | %7d median    %2d/%d found           ", median(byEngine[ei]), found[ei], len(queries))
	}
	fmt.Println()
	fmt.Println()
	for _, e := range engines {
		times, err := warmRun(e, srv.base, queries)
		if err != nil {
			fmt.Printf("warm queries, %s: %v\n", e.name, err)
			continue
		}
		n := len(queries)
		fresh, again := times[:n], times[n:]
		if *verbose {
			for i, q := range warmOrder(queries) {
				fmt.Printf("  %s %.1f ms, again %.1f ms\n", q.text, ms(fresh[i]), ms(again[i]))
			}
		}
		for _, part := range []struct {
			what  string
			times []time.Duration
		}{{"a new query in a warm page", fresh}, {"the same query again", again}} {
			t := slices.Clone(part.times)
			slices.Sort(t)
			fmt.Printf("warm, %s (%s): median %.1f ms, max %.1f ms over %d queries\n", part.what, e.name,
				ms(t[len(t)/2]), ms(t[len(t)-1]), len(t))
		}
	}
	return nil
}

func pad(s string, n int) string {
	w := 0
	for _, r := range s {
		if r > 0x2e80 {
			w += 2
		} else {
			w++
		}
	}
	if w >= n {
		return s
	}
	return s + strings.Repeat(" ", n-w)
}

func median(v []int) int {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func dirSize(dir string) (n int, size int64) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n++
				size += info.Size()
			}
		}
		return nil
	})
	return n, size
}

func pagefind(site string) error {
	cmd := exec.Command("npx", "--yes", "pagefind@"+pagefindVersion, "--site", site, "--root-selector", "main", "--quiet")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("npx pagefind: %w", err)
	}
	return nil
}

// server serves the site, gzipping text types, and logs the body bytes of
// every response.
type server struct {
	base string
	http *http.Server
	mu   sync.Mutex
	log  []sent
}

type sent struct {
	path  string
	bytes int
}

// take returns the log and empties it.
func (s *server) take() []sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.log
	s.log = nil
	return l
}

func (s *server) Close() { s.http.Close() }

var textTypes = []string{".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".xml"}

func serve(site string, gz bool) (*server, error) {
	root, err := os.OpenRoot(site)
	if err != nil {
		return nil, err
	}
	s := &server{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p == "__bench/blank.html" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<!DOCTYPE html><html lang=\"zh-CN\"><title>bench</title></html>")
			return
		}
		if p == "" || strings.HasSuffix(r.URL.Path, "/") {
			p = path.Join(p, "index.html")
		}
		data, err := fs.ReadFile(root.FS(), p)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		ext := path.Ext(p)
		typ := mime.TypeByExtension(ext)
		if typ == "" {
			typ = "application/octet-stream"
		}
		w.Header().Set("Content-Type", typ)
		if gz && slices.Contains(textTypes, ext) && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(data)
			zw.Close()
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Vary", "Accept-Encoding")
			data = b.Bytes()
		}
		w.Write(data)
		s.mu.Lock()
		s.log = append(s.log, sent{r.URL.Path, len(data)})
		s.mu.Unlock()
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.base = "http://" + ln.Addr().String()
	s.http = &http.Server{Handler: h}
	go s.http.Serve(ln)
	return s, nil
}

// browser starts a chromium with an empty profile.
func browser(timeout time.Duration) (context.Context, func(), error) {
	exe, _ := browsertest.ExecPath()
	dir, err := os.MkdirTemp("", "searchbench")
	if err != nil {
		return nil, nil, err
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), browsertest.Flags(exe, dir, 1280, 900)...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, timeout)
	stop := func() {
		cancelT()
		cancelC()
		cancelA()
		os.RemoveAll(dir)
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{})
		return err
	})); err != nil {
		stop()
		return nil, nil, err
	}
	return ctx, stop, nil
}

// measure runs one cold query and counts what the browser downloaded.
func measure(e engine, srv *server, q string) outcome {
	base := srv.base
	ctx, stop, err := browser(2 * time.Minute)
	if err != nil {
		return outcome{err: err}
	}
	defer stop()
	var mu sync.Mutex
	urls := map[network.RequestID]string{}
	sizes := map[network.RequestID]float64{}
	recv := chromedp.Events(ctx, network.ResponseReceived)
	done := chromedp.Events(ctx, network.LoadingFinished)
	lctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		for ev, err := range recv {
			if err != nil || lctx.Err() != nil {
				return
			}
			mu.Lock()
			urls[ev.RequestID] = ev.Response.URL
			mu.Unlock()
		}
	})
	wg.Go(func() {
		for ev, err := range done {
			if err != nil || lctx.Err() != nil {
				return
			}
			mu.Lock()
			sizes[ev.RequestID] = ev.EncodedDataLength
			mu.Unlock()
		}
	})
	srv.take()
	res, err := e.cold(ctx, base, q)
	// Let the last events arrive: loadingFinished follows the body.
	time.Sleep(300 * time.Millisecond)
	cancel()
	o := outcome{results: res, err: err}
	for _, r := range srv.take() {
		if counted(r.path) {
			o.bytes += r.bytes
			o.requests++
			if *verbose {
				fmt.Fprintf(os.Stderr, "  %s %s %d\n", q, r.path, r.bytes)
			}
		}
	}
	mu.Lock()
	for id, n := range sizes {
		if u, err := url.Parse(urls[id]); err == nil && counted(u.Path) {
			o.browserBytes += int(n)
		}
	}
	mu.Unlock()
	return o
}

func warmRun(e engine, base string, qs []query) ([]time.Duration, error) {
	ctx, stop, err := browser(5 * time.Minute)
	if err != nil {
		return nil, err
	}
	defer stop()
	if _, err := e.cold(ctx, base, qs[0].text); err != nil {
		return nil, err
	}
	var out []time.Duration
	seq := warmOrder(qs)
	for _, q := range append(seq, seq...) {
		msf, err := chromedp.Run(ctx, chromedp.Evaluate[float64](e.timed(q.text), chromedp.EvalAwaitPromise))
		if err != nil {
			return nil, err
		}
		out = append(out, time.Duration(msf*float64(time.Millisecond)))
	}
	return out, nil
}

// warmOrder is the order warmRun times the queries in: the first, which
// loaded the page, last; warmRun then times them all again.
func warmOrder(qs []query) []query {
	return append(qs[1:len(qs):len(qs)], qs[0])
}

// ourCold opens the search page with ?q= and reads the result links.
func ourCold(ctx context.Context, base, q string) ([]string, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?q="+url.QueryEscape(q))); err != nil {
		return nil, err
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(function(){var s=document.getElementById('search-status').textContent;return s.length>0&&s.indexOf('正在')<0})()`)); err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('#search-results .search-result-title a')).map(function(a){return new URL(a.href).pathname})`))
}

func ourTimed(q string) string {
	return fmt.Sprintf(`(function(){var t=performance.now();return window.discloseSearch.ui.run({q:%s,year:'',kind:'',body:''}).then(function(){return performance.now()-t})})()`, jsString(q))
}

const pfSearch = `(async function(q){
  if (!window.pf) { window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); }
  var s = await window.pf.search(q);
  var data = await Promise.all(s.results.slice(0, 10).map(function(r){ return r.data(); }));
  return data.map(function(d){ return new URL(d.url, location.href).pathname; });
})`

func pfCold(ctx context.Context, base, q string) ([]string, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/__bench/blank.html")); err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](pfSearch+"("+jsString(q)+")", chromedp.EvalAwaitPromise))
}

func pfTimed(q string) string {
	return `(async function(){var t=performance.now();await (` + pfSearch + `)(` + jsString(q) + `);return performance.now()-t})()`
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
