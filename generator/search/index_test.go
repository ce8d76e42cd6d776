package search_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/search"
)

// tiny makes every structure of the index show on a few pages: many
// buckets, long lists in several blocks, pages in several parts, tables in
// several directories.
var tiny = search.Options{BucketBytes: 64, InlineBytes: 16, BlockBytes: 40, PartBytes: 60, DirEntries: 3, DirSize: 2}

// page is a test page: its description and its HTML.
type page struct {
	search.Page
	html string
}

func disclosure(body, slug string, year int, kind, name string, example bool, sections string) page {
	path := fmt.Sprintf("%s/%d/%s/", slug, year, kind)
	title := fmt.Sprintf("%s%d年度部门%s", body, year, name)
	return page{search.Page{Path: path, Title: title, Body: body, BodySlug: slug, Year: year, Kind: kind, KindName: name, Example: example},
		"<main><h1>" + title + "</h1><p>公开主体 " + body + "</p>" + sections + "</main>"}
}

// site is a small site: two bodies, two years, budgets and a final
// account, an example body, a glossary page.
func site() []page {
	sangong := `<h2 id="sangong">二、“三公”经费预算情况说明</h2><p>“三公”经费预算5万元，比上年减少4万元。</p>`
	return []page{
		disclosure("盘锦市智慧城市运行管理中心", "panjin", 2020, "budget", "预算", false, sangong+
			`<h2 id="caigou">四、政府采购</h2><p>容灾备份中心购买服务320万元。运维服务。</p>
<figure id="table-收入"><table><caption>收入预算 <span>单位：万元</span></caption>
<tbody><tr><th>收入预算</th><td class="num money">2,966.24</td></tr></tbody></table></figure>
<h2 id="weisheng">卫生健康</h2><p>210 卫生健康支出 12.30万元</p>`),
		disclosure("盘锦市智慧城市运行管理中心", "panjin", 2021, "budget", "预算", false, sangong+
			`<h2 id="jiguan">三、机关运行经费</h2><p>机关运行经费51.23万元，主要用于机关的运行。</p>
<figure id="table-元"><table><caption>明细 单位：元</caption>
<tbody><tr><td class="code">2120101</td><th>行政运行</th><td class="money">134,020.00</td></tr></tbody></table></figure>`),
		disclosure("盘锦市智慧城市运行管理中心", "panjin", 2021, "final", "决算", false,
			`<h2 id="shuoming">说明</h2><p>决算支出2944.24万元。经费使用情况良好，机关事务正常运行。</p>`),
		disclosure("示例市城市管理局", "demo", 2024, "budget", "预算", true, sangong+
			`<h2 id="tables">数据表</h2><p>2120101 行政运行 3,627.62</p>`),
		{search.Page{Path: "panjin/", Title: "盘锦市智慧城市运行管理中心", Body: "盘锦市智慧城市运行管理中心", BodySlug: "panjin"},
			"<main><h1>盘锦市智慧城市运行管理中心</h1><p>辽宁省盘锦市</p></main>"},
		{search.Page{Path: "glossary/", Title: "名词解释", Glossary: true},
			`<main><h1>名词解释</h1><dl><div id="term-三公经费" data-search-section><dt>“三公”经费</dt><dd>指因公出国（境）费、公务用车购置及运行费和公务接待费。</dd></div>
<div id="term-机关运行经费" data-search-section><dt>机关运行经费</dt><dd>是指各部门的公用经费。</dd></div></dl></main>`},
	}
}

var synonyms = [][]string{{"医疗卫生与计划生育支出", "卫生健康支出"}, {"“三公”经费", "三公经费"}}

// build indexes pages (in the given order, from several goroutines) and
// returns the files and a reader of them.
func build(t testing.TB, pages []page, o search.Options) (*publish.MapSink, *search.Reader) {
	t.Helper()
	sink := publish.NewMapSink()
	o.Synonyms = synonyms
	ix := search.New(sink, o)
	var wg sync.WaitGroup
	errs := make(chan error, len(pages))
	for _, p := range pages {
		wg.Go(func() { errs <- ix.Add(p.Page, []byte(p.html)) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st, err := ix.Write()
	if err != nil {
		t.Fatal(err)
	}
	r, err := search.Open(sink.FS(), st.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	return sink, r
}

// layouts are the index layouts every round trip is checked with.
var layouts = map[string]search.Options{"default": {}, "tiny": tiny}

// TestPostingsRoundTrip checks that every token of every section of every
// page comes back from the index with its document and positions.
func TestPostingsRoundTrip(t *testing.T) {
	for name, o := range layouts {
		t.Run(name, func(t *testing.T) {
			pages := site()
			_, r := build(t, pages, o)
			docs := map[string]uint64{} // path#anchor → document
			for n := range r.Manifest().Pages {
				info, err := r.PageInfo(n)
				if err != nil {
					t.Fatal(err)
				}
				for si, s := range info.Sections {
					docs[info.Path+"#"+s.Anchor] = uint64(n)<<r.Manifest().Shift | uint64(si)
				}
			}
			checked := 0
			for _, p := range pages {
				for _, s := range search.Extract([]byte(p.html)) {
					doc, ok := docs[p.Path+"#"+s.Anchor]
					if !ok {
						t.Fatalf("%s#%s: no document", p.Path, s.Anchor)
					}
					want := map[string][]int{}
					for _, tk := range search.Tokenize(s.Text) {
						want[tk.Text] = append(want[tk.Text], tk.Pos)
					}
					for text, pos := range want {
						ps, err := r.Postings(text)
						if err != nil {
							t.Fatal(err)
						}
						i := slices.IndexFunc(ps, func(p search.Posting) bool { return p.Doc == doc })
						if i < 0 {
							t.Errorf("%s#%s: token %q not in its postings", p.Path, s.Anchor, text)
							continue
						}
						// Synonyms add tokens: the index holds at least
						// the text's own occurrences.
						got := ps[i].Pos
						if len([]rune(text)) == 1 && search.IsCJK([]rune(text)[0]) {
							if ps[i].TF < len(pos) || got != nil {
								t.Errorf("%s#%s: %q: tf %d pos %v, want tf %d and no positions", p.Path, s.Anchor, text, ps[i].TF, got, len(pos))
							}
						} else if !contains(got, pos) {
							t.Errorf("%s#%s: %q at %v, want %v", p.Path, s.Anchor, text, got, pos)
						}
						checked++
					}
				}
			}
			if checked < 200 {
				t.Fatalf("checked only %d postings", checked)
			}
		})
	}
}

func contains(got, want []int) bool {
	for _, p := range want {
		if !slices.Contains(got, p) {
			return false
		}
	}
	return true
}

func TestPageInfoRoundTrip(t *testing.T) {
	for name, o := range layouts {
		t.Run(name, func(t *testing.T) {
			pages := site()
			_, r := build(t, pages, o)
			byPath := map[string]search.PageInfo{}
			for n := range r.Manifest().Pages {
				info, err := r.PageInfo(n)
				if err != nil {
					t.Fatal(err)
				}
				byPath[info.Path] = info
			}
			for _, p := range pages {
				info := byPath[p.Path]
				if info.Title != p.Title || info.Body != p.Body || info.Year != p.Year || info.Kind != p.KindName || info.Example != p.Example {
					t.Errorf("%s: page info %+v, want %+v", p.Path, info, p.Page)
				}
				secs := search.Extract([]byte(p.html))
				if len(info.Sections) != len(secs) {
					t.Fatalf("%s: %d sections, want %d", p.Path, len(info.Sections), len(secs))
				}
				for i, s := range secs {
					got := info.Sections[i]
					body := strings.TrimSpace(s.Text[s.Body:])
					if got.Anchor != s.Anchor || got.Title != s.Title || got.Level != s.Level ||
						(got.Text != body && !strings.HasSuffix(got.Text, "…")) {
						t.Errorf("%s section %d: %+v, want %s|%s|%d|%q", p.Path, i, got, s.Anchor, s.Title, s.Level, body)
					}
				}
			}
		})
	}
}

// TestSearch checks what queries find, and which match exactly.
func TestSearch(t *testing.T) {
	tests := []struct {
		q       string
		filters []string
		want    string // path#anchor of every hit, "=" for exact ones
	}{
		// A phrase, typed with or without quotation marks.
		{q: "三公经费", want: "demo/2024/budget/#sangong= glossary/#term-三公经费= panjin/2020/budget/#sangong= panjin/2021/budget/#sangong="},
		{q: "“三公”经费", want: "demo/2024/budget/#sangong= glossary/#term-三公经费= panjin/2020/budget/#sangong= panjin/2021/budget/#sangong="},
		// A fragment inside a word.
		{q: "灾备", want: "panjin/2020/budget/#caigou="},
		{q: "容灾备份", want: "panjin/2020/budget/#caigou="},
		// Every bigram present, not side by side: found, not exact.
		{q: "机关运行", want: "glossary/#term-机关运行经费= panjin/2021/budget/#jiguan= panjin/2021/final/#shuoming"},
		{q: "机关运行经费", want: "glossary/#term-机关运行经费= panjin/2021/budget/#jiguan= panjin/2021/final/#shuoming"},
		// Codes, and amounts in the forms readers type.
		{q: "2120101", want: "demo/2024/budget/#tables= panjin/2021/budget/#table-元="},
		{q: "２１２０１０１", want: "demo/2024/budget/#tables= panjin/2021/budget/#table-元="},
		{q: "2966.24", want: "panjin/2020/budget/#table-收入="},
		{q: "2966.24万元", want: "panjin/2020/budget/#table-收入="},
		{q: "29662400", want: "panjin/2020/budget/#table-收入="},
		{q: "29662400元", want: "panjin/2020/budget/#table-收入="},
		{q: "5万元", want: "demo/2024/budget/#sangong= panjin/2020/budget/#sangong= panjin/2021/budget/#sangong="},
		{q: "50000", want: "demo/2024/budget/#sangong= panjin/2020/budget/#sangong= panjin/2021/budget/#sangong="},
		{q: "134020", want: "panjin/2021/budget/#table-元="},
		{q: "13.402", want: "panjin/2021/budget/#table-元="},
		{q: "13.4", want: "panjin/2021/budget/#table-元="},
		{q: "2944.24", want: "panjin/2021/final/#shuoming="},
		// A former classification name finds the new one.
		{q: "医疗卫生与计划生育", want: "panjin/2020/budget/#weisheng="},
		{q: "医疗卫生与计划生育支出", want: "panjin/2020/budget/#weisheng="},
		// Words of the page's title match through its first section.
		{q: "盘锦 政府采购", want: "panjin/2020/budget/#caigou"},
		{q: "盘锦", want: "panjin/#= panjin/2020/budget/#= panjin/2021/budget/#= panjin/2021/final/#="},
		// Filters.
		{q: "三公经费", filters: []string{search.FilterYear + "2021"}, want: "panjin/2021/budget/#sangong="},
		{q: "三公经费", filters: []string{search.FilterBody + "demo"}, want: "demo/2024/budget/#sangong="},
		{q: "经费", filters: []string{search.FilterKind + "final"}, want: "panjin/2021/final/#shuoming="},
		{q: "三公经费", filters: []string{search.FilterKind + "final"}, want: ""},
		{q: "qwxyzzy", want: ""},
		{q: "三公经费 qwxyzzy", want: ""},
		{q: "。，", want: ""},
	}
	for name, o := range layouts {
		t.Run(name, func(t *testing.T) {
			_, r := build(t, site(), o)
			for _, tt := range tests {
				hits, err := r.Search(tt.q, tt.filters...)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range hits {
					s := r.String(h.Doc)
					if !strings.Contains(s, "#") {
						s += "#"
					}
					if h.Exact {
						s += "="
					}
					got = append(got, s)
				}
				slices.Sort(got)
				if g := strings.Join(got, " "); g != tt.want {
					t.Errorf("Search(%q, %q) =\n  %s\nwant\n  %s", tt.q, tt.filters, g, tt.want)
				}
			}
		})
	}
}

// TestDeterministic: the same pages give the same files, whatever the
// order they are added in and however many goroutines add them.
func TestDeterministic(t *testing.T) {
	want, _ := build(t, site(), tiny)
	for i := range 5 {
		pages := site()
		rand.New(rand.NewPCG(uint64(i), 1)).Shuffle(len(pages), func(a, b int) { pages[a], pages[b] = pages[b], pages[a] })
		prev := runtime.GOMAXPROCS(1 + i)
		got, _ := build(t, pages, tiny)
		runtime.GOMAXPROCS(prev)
		if !maps.EqualFunc(want.Files, got.Files, func(a, b []byte) bool { return string(a) == string(b) }) {
			t.Fatalf("order %d: files differ: %v vs %v", i, want.Names(), got.Names())
		}
	}
}

// many returns n disclosure pages of one body, one per year from 2001.
func many(n int) []page {
	var pages []page
	for i := range n {
		pages = append(pages, disclosure("某局", "mou", 2001+i, "budget", "预算", false, fmt.Sprintf(
			`<h2 id="s">二、“三公”经费</h2><p>“三公”经费预算%d万元，机关运行经费%d万元，经费使用情况良好。</p>`, i+1, 100+i)))
	}
	return pages
}

// TestStableNames: files are named by their content, so a page that did
// not change keeps its parts, and a change to one page or a new year's
// disclosure leaves the blocks of the pages before it alone.
func TestStableNames(t *testing.T) {
	before, _ := build(t, many(30), tiny)
	pages := many(31)
	pages[20].html = strings.Replace(pages[20].html, "经费预算", "经费安排", 1)
	after, _ := build(t, pages, tiny)
	kept := map[string]int{}
	total := map[string]int{}
	for name := range before.Files {
		kind := strings.Split(name, "/")[1]
		total[kind]++
		if after.Files[name] != nil {
			kept[kind]++
		}
	}
	if kept["p"] != total["p"]-1 {
		t.Errorf("parts kept: %d of %d, want all but the changed page's", kept["p"], total["p"])
	}
	// Blocks are cut at page boundaries; those before page 20 stay.
	if kept["b"] < total["b"]/2 {
		t.Errorf("blocks kept: %d of %d", kept["b"], total["b"])
	}
	t.Logf("kept %v of %v", kept, total)
}

func TestMoneyForms(t *testing.T) {
	tests := []struct {
		n, unit string
		want    []string
	}{
		{"2966.24", "万元", []string{"29662400"}},
		{"0.68", "万元", []string{"6800"}},
		{"12345.6", "万元", []string{"123456000", "1.23456", "1.23"}},
		{"134020", "元", []string{"13.402", "13.4"}},
		{"5", "元", []string{"0.0005"}},
		{"1.2", "亿元", []string{"12000", "120000000"}},
		{"0", "万元", nil},
		{"0.00", "元", nil},
	}
	for _, tt := range tests {
		if got := search.MoneyForms(tt.n, tt.unit); !slices.Equal(got, tt.want) {
			t.Errorf("MoneyForms(%s, %s) = %q, want %q", tt.n, tt.unit, got, tt.want)
		}
	}
}

func ExampleIndex() {
	sink := publish.NewMapSink()
	ix := search.New(sink, search.Options{})
	err := ix.Add(search.Page{Path: "zhcs/2020/budget/", Title: "某中心2020年度部门预算", Year: 2020, Kind: "budget"},
		[]byte(`<main><h1>某中心2020年度部门预算</h1>
<h2 id="sangong">二、“三公”经费</h2><p>“三公”经费预算5万元。</p></main>`))
	if err != nil {
		panic(err)
	}
	st, err := ix.Write()
	if err != nil {
		panic(err)
	}
	r, err := search.Open(sink.FS(), st.Manifest)
	if err != nil {
		panic(err)
	}
	for _, q := range []string{"三公经费", "50000元", "2020年 预算", "灾备"} {
		hits, _ := r.Search(q)
		var found []string
		for _, h := range hits {
			found = append(found, fmt.Sprintf("%s exact=%v", r.String(h.Doc), h.Exact))
		}
		fmt.Printf("%s: %v\n", q, found)
	}
	// Output:
	// 三公经费: [zhcs/2020/budget/#sangong exact=true]
	// 50000元: [zhcs/2020/budget/#sangong exact=true]
	// 2020年 预算: [zhcs/2020/budget/ exact=true zhcs/2020/budget/#sangong exact=false]
	// 灾备: []
}

// TestSpill: an index whose postings wait in temporary files writes the
// same files as one that keeps them in memory, and leaves no file behind.
func TestSpill(t *testing.T) {
	for name, o := range layouts {
		t.Run(name, func(t *testing.T) {
			want, _ := build(t, site(), o)
			dir := t.TempDir()
			o.SpillDir = dir
			sink := publish.NewMapSink()
			o.Synonyms = synonyms
			ix := search.New(sink, o)
			for _, p := range site() {
				if err := ix.Add(p.Page, []byte(p.html)); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := ix.Write(); err != nil {
				t.Fatal(err)
			}
			ix.Close()
			if !maps.EqualFunc(want.Files, sink.Files, func(a, b []byte) bool { return string(a) == string(b) }) {
				t.Errorf("files differ: %v vs %v", want.Names(), sink.Names())
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}
