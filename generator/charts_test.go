package generator_test

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/disclose/disclose/generator/dataset"
)

var chartRE = regexp.MustCompile(`(?s)<figure class="chart chart-(\w+)" id="([^"]+)">.*?</figure>`)

// pageCharts returns the charts of a page by id: kind and markup.
func pageCharts(page []byte) map[string][2]string {
	out := map[string][2]string{}
	for _, m := range chartRE.FindAllSubmatch(page, -1) {
		out[string(m[2])] = [2]string{string(m[1]), string(m[0])}
	}
	return out
}

// TestExampleCharts: the 盘锦 2020 page carries the income, expenditure,
// 三公, 机关运行经费 and 政府采购 charts; the synthetic body's page a trend
// line; the home page a ranking. Every chart is an accessible SVG whose
// caption links to a CSV the build wrote.
func TestExampleCharts(t *testing.T) {
	sink, _ := buildExample(t)
	want := map[string][]string{
		"panjin-zhcs/2020/budget/index.html": {"stacked chart-收入构成", "stacked chart-支出构成", "grouped chart-三公", "bars chart-机关运行经费", "bars chart-政府采购"},
		"demo-00005-cgj/2024/budget/index.html": {"stacked chart-收入构成", "stacked chart-支出构成", "bars chart-支出功能分类",
			"treemap chart-支出功能分类款", "grouped chart-三公", "bars chart-机关运行经费", "bars chart-政府采购"},
		"demo-00005-cgj/2024/final/index.html": {"grouped chart-三公", "treemap chart-支出功能分类款"},
		"demo-00005-cgj/index.html":            {"line chart-trend"},
		"index.html":                           {"bars chart-ranking"},
	}
	for page, charts := range want {
		got := pageCharts(sink.Files[page])
		for _, c := range charts {
			kind, id, _ := strings.Cut(c, " ")
			g, ok := got[id]
			if !ok || g[0] != kind {
				t.Errorf("%s: no %s chart %s (has %v)", page, kind, id, keys(got))
				continue
			}
			markup := g[1]
			for _, must := range []string{`role="img"`, `aria-labelledby="` + id + `-t"`, `<title id="` + id + `-t">`, `<desc id="` + id + `-d">`, "单位："} {
				if !strings.Contains(markup, must) {
					t.Errorf("%s %s lacks %s", page, id, must)
				}
			}
			m := regexp.MustCompile(`href="/([^"]+\.csv)" download=`).FindStringSubmatch(markup)
			if m == nil {
				t.Errorf("%s %s links to no CSV", page, id)
				continue
			}
			data := sink.Files[m[1]]
			if !bytes.HasPrefix(data, []byte(dataset.BOM)) {
				t.Errorf("%s %s: CSV %s missing or without BOM", page, id, m[1])
			}
			if _, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll(); err != nil {
				t.Errorf("%s: %v", m[1], err)
			}
		}
	}
	pj := string(sink.Files["panjin-zhcs/2020/budget/index.html"])
	for _, s := range []string{
		// The 三公 last year is derived from the stated change, and says so.
		"2019年预算（由增减额推算）", "上年数未单独公开，由公开的增减额推算：上年数 = 本年数 − 增减额。",
		"4项合计：2020年预算5.00万元，2019年预算（由增减额推算）9.00万元，减少4.00万元，下降44.44%。",
		// Findings: the largest item and its share.
		"合计2,966.24万元，全部为财政拨款收入", "项目支出2,394.00万元，占80.71%",
		"办公费最多，为16.00万元，占31.23%",
		// Data downloads of the page.
		`<h2 id="downloads">数据下载</h2>`, "figures.json",
	} {
		if !strings.Contains(pj, s) {
			t.Errorf("盘锦 page lacks %q", s)
		}
	}
	if strings.Contains(pj, "chart-支出功能分类") {
		t.Error("盘锦 has no 功能分类 figures, yet a chart of them")
	}
	if _, ok := pageCharts(sink.Files["panjin-zhcs/index.html"])["chart-trend"]; ok {
		t.Error("a body with one year has a trend chart")
	}
}

func keys(m map[string][2]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestDownloadsExist: every link to a data file from any page points to a
// file the build wrote, and every data file is linked from a page.
func TestDownloadsExist(t *testing.T) {
	sink, res := buildExample(t)
	linked := map[string]bool{}
	hrefRE := regexp.MustCompile(`href="/((?:[^"#]+/)?data/[^"#/]+\.(?:csv|json))"`)
	for _, name := range sink.Names() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, m := range hrefRE.FindAllStringSubmatch(string(sink.Files[name]), -1) {
			linked[m[1]] = true
			if sink.Files[m[1]] == nil {
				t.Errorf("%s links to %s, which the build did not write", name, m[1])
			}
		}
	}
	files := 0
	for _, name := range sink.Names() {
		if strings.Contains("/"+name, "/data/") && (strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".json")) {
			files++
			if !linked[name] {
				t.Errorf("%s is linked from no page", name)
			}
		}
	}
	if files == 0 || res.Files < res.Pages+files {
		t.Errorf("%d data files; result counts %d files for %d pages", files, res.Files, res.Pages)
	}
}

// TestNoInlineStyles scans every HTML page and SVG of the built example:
// no style= attribute, no <style> element, no inline <script>, so the
// site runs under Content-Security-Policy: default-src 'self'.
func TestNoInlineStyles(t *testing.T) {
	sink, _ := buildExample(t)
	scanned, svgs := 0, 0
	for _, name := range sink.Names() {
		if !strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, ".svg") {
			continue
		}
		scanned++
		z := html.NewTokenizer(bytes.NewReader(sink.Files[name]))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			if tok.Data == "svg" {
				svgs++
			}
			if tok.Data == "style" {
				t.Errorf("%s: a <style> element", name)
			}
			src := false
			for _, a := range tok.Attr {
				if a.Key == "style" {
					t.Errorf("%s: <%s style=%q>", name, tok.Data, a.Val)
				}
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: <%s %s=…> event handler", name, tok.Data, a.Key)
				}
				src = src || a.Key == "src"
			}
			if tok.Data == "script" && !src {
				t.Errorf("%s: an inline <script>", name)
			}
		}
	}
	if scanned < 10 || svgs < 30 {
		t.Errorf("scanned %d files with %d svg charts; expected the whole example", scanned, svgs)
	}
	t.Logf("%d pages, %d inline SVG charts: no style attribute, no <style>, no inline script", scanned, svgs)
}
