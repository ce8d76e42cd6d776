package generator_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/browsertest"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/search"
)

// exampleWith returns the example site's content/ in memory, with site.toml
// changed by edit.
func exampleWith(t *testing.T, edit func(siteTOML string) string) fstest.MapFS {
	t.Helper()
	m := exampleFS(t, 0)
	m["content/site.toml"] = &fstest.MapFile{Data: []byte(edit(string(m["content/site.toml"].Data)))}
	return m
}

// serveSite serves the files of sink under the URL path prefix ("" or
// "/yjsgk") and returns the server's address with the prefix.
func serveSite(t *testing.T, sink *publish.MapSink, prefix string) string {
	t.Helper()
	var h http.Handler = http.FileServerFS(sink.FS())
	if prefix != "" {
		h = http.StripPrefix(prefix, h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}

// shown is what the search page shows.
type shown struct {
	Status  string   `json:"status"`
	Results []result `json:"results"`
	None    bool     `json:"none"`
	Suggest []string `json:"suggest"`
	Terms   []string `json:"terms"`
	URL     string   `json:"url"`
}

type result struct {
	Href    string   `json:"href"`
	Title   string   `json:"title"`
	Meta    string   `json:"meta"`
	Snippet string   `json:"snippet"`
	Marks   []string `json:"marks"`
}

const readPage = `JSON.stringify({
  status: document.getElementById('search-status').textContent,
  results: Array.from(document.querySelectorAll('#search-results .search-result')).map(function (li) {
    var a = li.querySelector('.search-result-title a');
    var sn = li.querySelector('.search-result-snippet');
    return {href: a.href, title: a.textContent, meta: li.querySelector('.search-result-meta').textContent,
      snippet: sn ? sn.textContent : '', marks: Array.from(li.querySelectorAll('mark')).map(function (m) { return m.textContent; })};
  }),
  none: document.querySelector('#search-results .search-none') !== null,
  suggest: Array.from(document.querySelectorAll('#search-results .search-none li')).map(function (li) { return li.textContent; }),
  terms: document.getElementById('search-terms').hidden ? [] :
    Array.from(document.querySelectorAll('#search-terms-list dt')).map(function (d) { return d.textContent; }),
  url: location.href
})`

// wait waits for the search the page is running and returns what it shows.
func wait(t *testing.T, ctx context.Context) shown {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!(window.discloseSearch && window.discloseSearch.ui && window.discloseSearch.ui.pending)`)); err != nil {
		t.Fatalf("search did not start: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.discloseSearch.ui.pending.then(function () { return true; })`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](readPage))
	if err != nil {
		t.Fatal(err)
	}
	var out shown
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func open(t *testing.T, ctx context.Context, u string) shown {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatal(err)
	}
	return wait(t, ctx)
}

func linkPath(t *testing.T, href string) string {
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := url.PathUnescape(u.EscapedPath())
	frag, _ := url.PathUnescape(u.EscapedFragment())
	if frag != "" {
		return p + "#" + frag
	}
	return p
}

// anyMark reports whether a highlighted span holds want, punctuation
// aside (“三公”经费 holds 三公经费).
func anyMark(r result, want string) bool {
	return slices.ContainsFunc(r.Marks, func(m string) bool { return strings.Contains(units(m), units(want)) })
}

func units(s string) string {
	var b strings.Builder
	for _, t := range search.Tokenize(s) {
		if t.Kind != search.Bigram {
			b.WriteString(t.Text)
		}
	}
	return b.String()
}

// TestSearchExample is the first must-show, on the example site in
// chromium: 三公经费 returns the 盘锦 2020 page first; 容灾备份, 灾备 (a
// fragment inside a word), a code of the synthetic body, 机关运行经费 and
// full-width queries find the right pages; nonsense says so, with
// suggestions.
func TestSearchExample(t *testing.T) {
	sink, _ := buildExample(t)
	base := serveSite(t, sink, "")
	ctx := browsertest.New(t, browsertest.Options{Width: 375})
	q := func(s string) shown { return open(t, ctx, base+"/search/?q="+url.QueryEscape(s)) }

	got := q("三公经费")
	if len(got.Results) == 0 || !strings.HasPrefix(linkPath(t, got.Results[0].Href), "/panjin-zhcs/2020/budget/#") {
		t.Fatalf("三公经费: first result %+v, want the 盘锦 2020 page", got.Results)
	}
	first := got.Results[0]
	if linkPath(t, first.Href) != "/panjin-zhcs/2020/budget/#二三公经费预算安排使用情况说明" || !strings.Contains(first.Title, "三公") {
		t.Errorf("三公经费: first result links to %s (%s), want its 三公 section", linkPath(t, first.Href), first.Title)
	}
	if !strings.Contains(first.Meta, "盘锦市智慧城市运行管理中心") || !strings.Contains(first.Meta, "2020年") || !strings.Contains(first.Meta, "预算") {
		t.Errorf("三公经费: result meta %q lacks body, year or kind", first.Meta)
	}
	if !anyMark(first, "三公经费") {
		t.Errorf("三公经费: snippet %q marks %q", first.Snippet, first.Marks)
	}
	if !slices.Contains(got.Terms, "“三公”经费") {
		t.Errorf("三公经费: glossary terms shown %q", got.Terms)
	}
	searchAxe(t, ctx, "三公经费")
	for _, r := range got.Results[1:] {
		if strings.Contains(r.Meta, "盘锦") {
			continue
		}
		if !strings.Contains(r.Meta, "示例数据（虚构）") && !strings.HasPrefix(linkPath(t, r.Href), "/glossary/") {
			t.Errorf("三公经费: result %s is neither 盘锦 nor marked as an example", r.Href)
		}
	}

	for _, tt := range []struct {
		q, page, mark string
	}{
		{"容灾备份", "/panjin-zhcs/2020/budget/", "容灾备份"},
		{"灾备", "/panjin-zhcs/2020/budget/", "灾备"},
		{"机关运行经费", "/panjin-zhcs/2020/budget/", "机关运行经费"},
		{"２９６６．２４", "/panjin-zhcs/2020/budget/", "2966.24"},
		{"29662400元", "/panjin-zhcs/2020/budget/", "2966.24"},
		{"政府采购", "/panjin-zhcs/2020/budget/", "政府采购"},
	} {
		got := q(tt.q)
		if len(got.Results) == 0 || !strings.HasPrefix(linkPath(t, got.Results[0].Href), tt.page) {
			t.Errorf("%s: results %v, want %s first", tt.q, hrefs(t, got), tt.page)
			continue
		}
		if !anyMark(got.Results[0], tt.mark) {
			t.Errorf("%s: snippet %q marks %q, want %q", tt.q, got.Results[0].Snippet, got.Results[0].Marks, tt.mark)
		}
	}

	// A code of the synthetic body, typed plainly and in full width: the
	// tables of its four disclosures.
	code := q("2120101")
	wide := q("２１２０１０１")
	if len(code.Results) != 4 || !slices.Equal(hrefs(t, code), hrefs(t, wide)) {
		t.Errorf("2120101: %v; ２１２０１０１: %v; want the same 4 pages", hrefs(t, code), hrefs(t, wide))
	}
	for _, r := range code.Results {
		if p := linkPath(t, r.Href); !strings.HasPrefix(p, "/demo-00005-cgj/") || !strings.Contains(p, "#table-") || !anyMark(r, "2120101") {
			t.Errorf("2120101: result %s (marks %q), want a table of demo-00005-cgj", p, r.Marks)
		}
	}

	none := q("qwxyzzy")
	if !none.None || len(none.Results) != 0 || !strings.Contains(none.Status, "没有找到") {
		t.Errorf("nonsense: %+v, want the no-results message", none)
	}
	searchAxe(t, ctx, "no results")
	if len(none.Suggest) < 3 || !slices.ContainsFunc(none.Suggest, func(s string) bool { return strings.Contains(s, "机关运行经费") }) {
		t.Errorf("nonsense: suggestions %q", none.Suggest)
	}
	two := q("三公经费 qwxyzzy")
	if !two.None || !slices.ContainsFunc(two.Suggest, func(s string) bool { return strings.HasPrefix(s, "分开搜") }) {
		t.Errorf("two words, one unknown: suggestions %q, want to search them apart", two.Suggest)
	}
}

// searchAxe checks the search page as it stands (results, definitions,
// or the no-results message) against WCAG 2.1 A and AA with axe-core,
// when it is installed (.ci/run installs it; CI=true requires it).
func searchAxe(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	var axe []byte
	// axeSource would skip the whole test without axe-core; only this
	// check is skipped.
	t.Run("axe", func(t *testing.T) { axe = axeSource(t) })
	if axe == nil {
		return
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axe))); err != nil {
		t.Fatal(err)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range v {
		t.Errorf("%s: axe: %s", what, s)
	}
}

func hrefs(t *testing.T, s shown) []string {
	var out []string
	for _, r := range s.Results {
		out = append(out, linkPath(t, r.Href))
	}
	return out
}

// TestSearchKeyboard: the search is driven from the keyboard alone: type
// and Enter, arrows through the results, Esc back to the box, Enter on a
// result opens it at its section.
func TestSearchKeyboard(t *testing.T) {
	sink, _ := buildExample(t)
	base := serveSite(t, sink, "")
	ctx := browsertest.New(t, browsertest.Options{})
	start := open(t, ctx, base+"/search/")
	if !strings.Contains(start.Status, "输入") {
		t.Errorf("empty search page says %q", start.Status)
	}
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#search-q")), chromedp.SendKeys(chromedp.CSS("#search-q"), "三公经费"+kb.Enter)); err != nil {
		t.Fatal(err)
	}
	got := wait(t, ctx)
	if len(got.Results) < 2 || !strings.Contains(got.URL, "?q="+url.QueryEscape("三公经费")) {
		t.Fatalf("after typing: %d results at %s", len(got.Results), got.URL)
	}
	active := func() string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id || document.activeElement.getAttribute('href') || document.activeElement.tagName`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	link := func(i int) string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelectorAll('#search-results .search-result-title a')[`+string(rune('0'+i))+`].getAttribute('href')`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	if a := active(); a != link(0) {
		t.Errorf("ArrowDown from the box: focus on %q, want the first result %q", a, link(0))
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	if a := active(); a != link(1) {
		t.Errorf("ArrowDown: focus on %q, want the second result", a)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	if a := active(); a != "search-q" {
		t.Errorf("Escape: focus on %q, want the search box", a)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`decodeURIComponent(location.pathname + location.hash)`))
	if loc != "/panjin-zhcs/2020/budget/#二三公经费预算安排使用情况说明" {
		t.Errorf("Enter on the first result opened %s", loc)
	}
}

// TestSearchFilters: year, kind and body narrow the results, and the URL
// says so.
func TestSearchFilters(t *testing.T) {
	sink, _ := buildExample(t)
	base := serveSite(t, sink, "")
	ctx := browsertest.New(t, browsertest.Options{})
	all := open(t, ctx, base+"/search/?q="+url.QueryEscape("三公经费"))
	for _, tt := range []struct {
		params, each string
		n            int
	}{
		{"&year=2024", "2024年", 2},
		{"&kind=final", "决算", 2},
		{"&body=panjin-zhcs", "盘锦", 1},
		{"&year=2023&kind=budget", "2023年 · 预算", 1},
	} {
		got := open(t, ctx, base+"/search/?q="+url.QueryEscape("三公经费")+tt.params)
		if len(got.Results) != tt.n || len(got.Results) >= len(all.Results) {
			t.Errorf("%s: %d results %v, want %d", tt.params, len(got.Results), hrefs(t, got), tt.n)
		}
		for _, r := range got.Results {
			if !strings.Contains(r.Meta, tt.each) {
				t.Errorf("%s: result %s (%s) does not match", tt.params, r.Href, r.Meta)
			}
		}
	}
	// Choosing a filter searches again and keeps the choice in the URL.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){var s=document.getElementById('search-year');s.value='2020';s.dispatchEvent(new Event('change'));return true})()`)); err != nil {
		t.Fatal(err)
	}
	got := wait(t, ctx)
	if len(got.Results) != 1 || !strings.Contains(got.URL, "year=2020") || !strings.Contains(got.Results[0].Meta, "2020年") {
		t.Errorf("year 2020 chosen: %v at %s", hrefs(t, got), got.URL)
	}
	none := open(t, ctx, base+"/search/?q="+url.QueryEscape("2120101")+"&body=panjin-zhcs")
	if !none.None || !slices.ContainsFunc(none.Suggest, func(s string) bool { return strings.Contains(s, "去掉筛选条件") }) {
		t.Errorf("filtered to nothing: %+v, want a suggestion to drop the filters", none)
	}
}

// TestSearchMore: results come a page at a time (the layout's
// data-page-size, here 2); 显示更多结果 adds the next ones after them and
// takes the focus to the first new one.
func TestSearchMore(t *testing.T) {
	sink, _ := buildExample(t)
	page := sink.Files["search/index.html"]
	sink.Files["search/index.html"] = []byte(strings.Replace(string(page), `id="search-form"`, `id="search-form" data-page-size="2"`, 1))
	base := serveSite(t, sink, "")
	ctx := browsertest.New(t, browsertest.Options{})
	all := open(t, ctx, base+"/search/?q="+url.QueryEscape("机关运行经费"))
	if len(all.Results) != 2 {
		t.Fatalf("first page: %d results, want 2", len(all.Results))
	}
	more, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.getElementById('search-more').hidden`))
	if err != nil || !more {
		t.Fatalf("no 显示更多结果 button (%v)", err)
	}
	var seen []string
	for i := 0; i < 5; i++ {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#search-more-button"))); err != nil {
			t.Fatal(err)
		}
		got := wait(t, ctx)
		focused, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.href || ''`))
		if want := got.Results[min(len(got.Results)-1, 2*(i+1))].Href; len(got.Results) > 2*(i+1) && focused != want {
			t.Errorf("after more: focus on %q, want the first new result %q", focused, want)
		}
		seen = hrefs(t, got)
		if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('search-more').hidden`)); hidden {
			break
		}
	}
	if !slices.Equal(seen[:2], hrefs(t, all)) || len(seen) <= 2 {
		t.Errorf("after more: %v, want the first two %v and more after them", seen, hrefs(t, all))
	}
	twice := map[string]bool{}
	for _, h := range seen {
		if twice[h] {
			t.Errorf("%s shown twice: %v", h, seen)
		}
		twice[h] = true
	}
}

// TestSearchSubPath: a site published under a sub-path finds its index and
// links its results there.
func TestSearchSubPath(t *testing.T) {
	site := exampleWith(t, func(s string) string {
		return strings.Replace(s, `base_url = "https://yjsgk.example.gov.cn/"`, `base_url = "https://www.example.gov.cn/yjsgk/"`, 1)
	})
	sink := publish.NewMapSink()
	if _, err := generator.Build(context.Background(), generator.Config{Site: site, Theme: disclose.Theme(), Sink: sink}); err != nil {
		t.Fatal(err)
	}
	page := string(sink.Files["search/index.html"])
	if !strings.Contains(page, `data-index="/yjsgk/search/index.`) || !strings.Contains(page, `data-base="/yjsgk/"`) {
		t.Fatal("search page does not name the index under /yjsgk/")
	}
	base := serveSite(t, sink, "/yjsgk")
	ctx := browsertest.New(t, browsertest.Options{})
	got := open(t, ctx, base+"/search/?q="+url.QueryEscape("三公经费"))
	if len(got.Results) == 0 || !strings.HasPrefix(linkPath(t, got.Results[0].Href), "/yjsgk/panjin-zhcs/2020/budget/#") {
		t.Fatalf("under /yjsgk/: results %v", hrefs(t, got))
	}
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#search-results .search-result-title a")))
	if err != nil || resp.Status != 200 || !strings.Contains(resp.URL, "/yjsgk/panjin-zhcs/2020/budget/") {
		t.Fatalf("result link: %v, %+v", err, resp)
	}
	// The header's search box on that page searches under /yjsgk/ too.
	if _, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.CSS("#search-input"), "灾备"+kb.Enter)); err != nil {
		t.Fatal(err)
	}
	got = wait(t, ctx)
	if !strings.Contains(got.URL, "/yjsgk/search/?q=") || len(got.Results) != 1 {
		t.Errorf("header search: %s, %v", got.URL, hrefs(t, got))
	}
}

// TestHeaderSearchWithoutJavaScript: the header's search box is a plain
// form; without scripts it still takes the reader to the search page,
// which says what searching needs and where to browse instead.
func TestHeaderSearchWithoutJavaScript(t *testing.T) {
	sink, _ := buildExample(t)
	base := serveSite(t, sink, "")
	ctx := browsertest.New(t, browsertest.Options{NoJavaScript: true})
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/panjin-zhcs/2020/budget/")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.SendKeys(chromedp.CSS("#search-input"), "三公经费"+kb.Enter)); err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "q="+url.QueryEscape("三公经费")) {
		t.Errorf("header form went to %s", loc)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "搜索需要浏览器启用 JavaScript") {
		t.Errorf("search page without scripts says:\n%s", text)
	}
}

// TestSearchClientMatchesReader: on an index laid out in tiny files (many
// buckets, posting lists in many blocks, several directories), the
// browser's search, which reads the lists a window of pages at a time from
// the newest, finds exactly the documents the Go reader finds.
func TestSearchClientMatchesReader(t *testing.T) {
	sink := publish.NewMapSink()
	tiny := search.Options{BucketBytes: 64, InlineBytes: 16, BlockBytes: 48, PartBytes: 256, DirEntries: 4, DirSize: 2}
	if _, err := generator.Build(context.Background(), generator.Config{Site: os.DirFS(".."), Theme: disclose.Theme(), Sink: sink, Search: tiny}); err != nil {
		t.Fatal(err)
	}
	manifest := regexp.MustCompile(`data-index="/(search/index\.[a-z2-7]+\.json)"`).FindStringSubmatch(string(sink.Files["search/index.html"]))
	r, err := search.Open(sink.FS(), manifest[1])
	if err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for _, n := range sink.Names() {
		if strings.HasPrefix(n, "search/b/") {
			blocks++
		}
	}
	if blocks < 50 {
		t.Fatalf("tiny layout wrote %d blocks", blocks)
	}
	base := serveSite(t, sink, "")
	ctx := browsertest.New(t, browsertest.Options{})
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q       string
		filters []string
	}{
		{q: "三公经费"}, {q: "经费"}, {q: "预算"}, {q: "机关运行经费"}, {q: "2120101"}, {q: "盘锦 三公经费"},
		{q: "支出 2024"}, {q: "收入"}, {q: "费"}, {q: "卫生健康"}, {q: "医疗卫生与计划生育"},
		{q: "经费", filters: []string{search.FilterYear + "2023"}},
		{q: "预算", filters: []string{search.FilterKind + "final", search.FilterBody + "demo-00005-cgj"}},
	} {
		hits, err := r.Search(tt.q, tt.filters...)
		if err != nil {
			t.Fatal(err)
		}
		var want []float64
		for _, h := range hits {
			want = append(want, float64(h.Doc))
		}
		fj, _ := json.Marshal(tt.filters)
		if tt.filters == nil {
			fj = []byte("[]")
		}
		docs, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function(){
			var ix = new window.discloseSearch.Index('/`+manifest[1]+`');
			return ix.load().then(function () {
				return new window.discloseSearch.Search(ix, `+jsString(tt.q)+`, `+string(fj)+`).start();
			}).then(function (s) { return s.scan(1e9, 1e9); }).then(function (s) {
				return s.hits.map(function (h) { return h.doc; }).sort(function (a, b) { return a - b; });
			});
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if len(want) == 0 {
			t.Errorf("%s: the reader finds nothing; pick a query that finds something", tt.q)
		}
		if !slices.Equal(docs, want) {
			t.Errorf("%s %q: browser found %v, reader %v", tt.q, tt.filters, docs, want)
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestNoInlineScriptOrStyle: every page runs under Content-Security-Policy
// default-src 'self': no inline script, no style attribute or element.
func TestNoInlineScriptOrStyle(t *testing.T) {
	sink, _ := buildExample(t)
	inline := regexp.MustCompile(`<script(\s[^>]*)?>|\sstyle=|<style[\s>]`)
	for _, name := range sink.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range inline.FindAllString(string(sink.Files[name]), -1) {
			if !strings.Contains(m, " src=") {
				t.Errorf("%s: %s", name, m)
			}
		}
	}
}
