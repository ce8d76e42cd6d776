package render

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator/chart"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/markdown"
)

// chartSite is a small site: a budget with a 三公 list stating changes,
// an expenditure list, a 机关运行经费 list, an empty 三公 table, and a
// section placing charts by reference.
func chartSite(t *testing.T, section string, extra fstest.MapFS) (*Renderer, *fiscal.Site) {
	t.Helper()
	fsys := fstest.MapFS{
		"content/site.toml":      {Data: []byte("title = \"t\"\n")},
		"content/demo/body.toml": {Data: []byte("name = \"示例局\"\n")},
		"content/demo/2020/budget/data.toml": {Data: []byte(`unit = "万元"
[[table]]
kind = "expenditure_list"
rows = [
  { id = "total", name = "支出预算", amount = 100 },
  { name = "基本支出", amount = 30 },
  { name = "项目支出", amount = 70 },
]
[[table]]
kind = "sangong_list"
base = "上年预算"
rows = [
  { id = "total", amount = 5, change = -4, change_pct = -44.44 },
  { name = "公务接待费", amount = 0, change = 0 },
  { name = "公务用车运行费", amount = 5, change = -4 },
]
[[table]]
kind = "running_list"
rows = [
  { id = "total", amount = 20 },
  { name = "办公费", amount = 16 },
  { name = "印刷费", amount = 4 },
]
[[table]]
kind = "list"
id = "零"
rows = [
  { id = "total", name = "合计", amount = 0 },
  { name = "甲", amount = 0 },
  { name = "乙", amount = 0 },
]
[[table]]
kind = "performance_list"
rows = [ { name = "涉及资金", amount = 2394 }, { name = "覆盖率", pct = 100 } ]
`)},
		"content/demo/2020/budget/01.md": {Data: []byte("+++\ntitle = \"说明\"\n+++\n\n" + section)},
	}
	for k, v := range extra {
		fsys[k] = v
	}
	site, diags := content.Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	r, diags := New(site, Options{Layouts: disclose.Theme(), Markdown: markdown.New(markdown.Options{})})
	if r == nil {
		t.Fatal(diags.Err())
	}
	return r, site
}

func disclosurePage(t *testing.T, r *Renderer, site *fiscal.Site) (string, diag.List) {
	t.Helper()
	p, diags := r.DisclosurePage(r.SiteView(), site.Bodies[0].Disclosures[0])
	if diags.HasErrors() {
		return "", diags
	}
	out, err := r.Execute("disclosure", p)
	if err != nil {
		t.Fatal(err)
	}
	return string(out), diags
}

var figureRE = regexp.MustCompile(`<figure class="chart chart-(\w+)" id="([^"]+)"`)

// figures lists the charts of a page in order: kind and id.
func figures(page string) []string {
	var out []string
	for _, m := range figureRE.FindAllStringSubmatch(page, -1) {
		out = append(out, m[1]+" "+m[2])
	}
	return out
}

// TestAutomaticCharts: without references, every chart stands before its
// table, in the 数据表 part; the all-zero table has none, with no frame.
func TestAutomaticCharts(t *testing.T) {
	r, site := chartSite(t, "正文。\n", nil)
	page, diags := disclosurePage(t, r, site)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	got := strings.Join(figures(page), "; ")
	want := "stacked chart-支出构成; grouped chart-三公; bars chart-机关运行经费"
	if got != want {
		t.Errorf("charts = %s\nwant %s", got, want)
	}
	// Each chart comes right before its table.
	for chart, table := range map[string]string{"chart-支出构成": "table-支出", "chart-三公": "table-三公", "chart-机关运行经费": "table-机关运行经费"} {
		c, tb := strings.Index(page, `id="`+chart+`"`), strings.Index(page, `id="`+table+`"`)
		if c < 0 || tb < c || strings.Count(page[c:tb], `<figure class="data-table`) != 1 {
			t.Errorf("%s does not stand just before %s", chart, table)
		}
	}
	// The derived last year is said to be derived, on the chart and under it.
	for _, want := range []string{"2019年预算（由增减额推算）", "上年数未单独公开，由公开的增减额推算", `href="#table-%e4%b8%89%e5%85%ac"`, `href="/demo/2020/budget/data/sangong_list.csv"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestChartReferences: a reference places a chart where it stands, and
// the chart is then not repeated by its table; a table's chart by the
// table's name; errors with their positions.
func TestChartReferences(t *testing.T) {
	r, site := chartSite(t, "三公：\n\n{{图 三公}}\n\n人员：\n\n{{图 支出构成}}\n\n{{图 机关运行经费}}\n", nil)
	page, diags := disclosurePage(t, r, site)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	got := strings.Join(figures(page), "; ")
	want := "grouped chart-三公; stacked chart-支出构成; bars chart-机关运行经费"
	if got != want {
		t.Errorf("charts = %s\nwant %s", got, want)
	}
	section := page[strings.Index(page, "三公："):strings.Index(page, `id="data-tables"`)]
	if len(figures(section)) != 3 {
		t.Errorf("the referenced charts are not in the narrative")
	}

	// A table's chart by the table's name is the same chart as the
	// automatic one of that table.
	r, site = chartSite(t, "{{图 机关运行经费}}\n\n{{表 机关运行经费}}\n", nil)
	page, _ = disclosurePage(t, r, site)
	if n := strings.Count(page, `class="chart chart-bars"`); n != 1 {
		t.Errorf("机关运行经费 chart %d times, want once", n)
	}

	tests := []struct {
		src, want string
	}{
		{"{{图 三宫}}\n", "01.md:5:1: 错误: 引用 {{图 三宫}}：没有名为“三宫”的图或表（是否想写“三公”？）"},
		{"{{图 支出功能分类}}\n", "引用 {{图 支出功能分类}}：本次公开没有“支出功能分类”图所需的数据"},
		{"{{图 绩效}}\n", "表“绩效”没有可以作图的金额"},
		{"见{{图 三公}}。\n", "01.md:5:2: 错误: {{图 三公}} 会插入一张图，须单独成段"},
		{"{{图}}\n", "引用 {{图}} 没有写是哪个：写成 {{图 名称}}"},
	}
	for _, tt := range tests {
		r, site := chartSite(t, tt.src, nil)
		_, diags := disclosurePage(t, r, site)
		if err := diags.Err(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v\nwant %q", tt.src, err, tt.want)
		}
	}

	// An all-zero chart placed by reference is left out with a warning.
	r, site = chartSite(t, "{{图 零}}\n", nil)
	page, diags = disclosurePage(t, r, site)
	if diags.HasErrors() || diags.Count(diag.Warning) != 1 || !strings.Contains(diags[0].Message, "都是0") || strings.Contains(page, "chart-零") {
		t.Errorf("all-zero chart: %v", diags)
	}
}

// TestRanking: the home page ranks departments by their latest year's
// spending; units (a body with a parent, or a 单位-scope disclosure) are
// left out so no department counts twice.
func TestRanking(t *testing.T) {
	list := func(amount string) []byte {
		return []byte("unit = \"万元\"\n[[table]]\nkind = \"expenditure_list\"\nrows = [{ id = \"total\", amount = " + amount + " }]\n")
	}
	extra := fstest.MapFS{
		"content/big/body.toml":               {Data: []byte("name = \"大局\"\n")},
		"content/big/2019/budget/data.toml":   {Data: list("900")},
		"content/big/2020/budget/data.toml":   {Data: list("500")},
		"content/big/2020/final/data.toml":    {Data: list("450")},
		"content/unit/body.toml":              {Data: []byte("name = \"大局下属单位\"\nparent = \"big\"\n")},
		"content/unit/2020/budget/data.toml":  {Data: list("300")},
		"content/alone/body.toml":             {Data: []byte("name = \"单位公开\"\n")},
		"content/alone/2020/budget/data.toml": {Data: []byte("unit = \"万元\"\nscope = \"单位\"\n[[table]]\nkind = \"expenditure_list\"\nrows = [{ id = \"total\", amount = 999 }]\n")},
	}
	r, site := chartSite(t, "正文\n", extra)
	f := rankingFigure(site)
	if f == nil {
		t.Fatal("no ranking")
	}
	var got []string
	for _, it := range f.items {
		got = append(got, it.Label)
	}
	if strings.Join(got, "、") != "大局、示例局" || f.items[0].Value != 500*1_000_000 || f.title != "2020年各部门预算支出" {
		t.Errorf("ranking %q %v %q", got, f.items, f.title)
	}
	page, err := r.Execute("home", r.HomePage(r.SiteView()))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `id="chart-ranking"`) || !strings.Contains(string(page), "不重复计算") {
		t.Error("home page has no ranking")
	}
	// The body page of 大局: budgets 2019–2020 and one final account.
	var big *fiscal.Body
	for _, b := range site.Bodies {
		if b.Slug == "big" {
			big = b
		}
	}
	bp := r.BodyPage(r.SiteView(), big)
	if len(bp.Body.Charts) != 1 || bp.Body.Charts[0].Kind != "line" || len(bp.Downloads) != 1 {
		t.Fatalf("body page charts %v", bp.Body.Charts)
	}
	if d := bp.Body.Charts[0].Desc; !strings.Contains(d, "预算：从2019年的900.00万元到2020年的500.00万元，减少400.00万元，下降44.44%") {
		t.Errorf("trend finding %q", d)
	}
}

// TestWriteChart holds writeChart to the theme's chart partial: both must
// write the same bytes for every chart of the example and for awkward
// values.
func TestWriteChart(t *testing.T) {
	site, diags := content.Load(os.DirFS("../.."))
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	r, diags := New(site, Options{Layouts: disclose.Theme(), Markdown: markdown.New(markdown.Options{}), Theme: disclose.Theme()})
	if r == nil {
		t.Fatal(diags.Err())
	}
	if !r.fastChart {
		t.Fatal("the theme's own chart partial should use writeChart")
	}
	var figs []*figure
	for _, b := range site.Bodies {
		if f := trendFigure(b); f != nil {
			figs = append(figs, f)
		}
		for _, d := range b.Disclosures {
			figs = append(figs, autoFigures(d)...)
			for _, tab := range d.Tables {
				if f, err := tableFigure(d, tab, ""); err == nil {
					figs = append(figs, f)
				}
			}
		}
	}
	figs = append(figs, rankingFigure(site))
	csv := &Download{Href: `/子目录/a b"c'<d>.csv`, Name: `表"1'<&+>.csv`, Size: "1.2 KB"}
	n := 0
	for i, f := range figs {
		for j, src := range []Link{{Title: "表一", Path: "#table-收入"}, {Title: `"来源"<&>`}} {
			v, err := r.chartView(f, fmt.Sprintf(`chart-%d-"%d"`, i, j), src, []*Download{csv, nil}[j])
			if errors.Is(err, chart.ErrNoData) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if j == 1 {
				v.Notes = append(v.Notes, `注<"&'>`)
				v.Data = f.data()
			}
			v.HTML = ""
			var fast strings.Builder
			var slow bytes.Buffer
			writeChart(&fast, &v)
			if err := r.tmpl.ExecuteTemplate(&slow, "chart", &v); err != nil {
				t.Fatal(err)
			}
			if fast.String() != slow.String() {
				t.Fatalf("%s: writeChart differs from layouts/partials/chart.html:\n%s\n---\n%s", v.Kind, fast.String(), slow.String())
			}
			n++
		}
	}
	if n < 50 {
		t.Errorf("only %d charts compared", n)
	}
}

// TestTableCharts: a chart of any table of the synthetic 2024 budget, by
// the table's name, a side of a 收支总表, and English names.
func TestTableCharts(t *testing.T) {
	site, diags := content.Load(os.DirFS("../.."))
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	r, diags := New(site, Options{Layouts: disclose.Theme(), Markdown: markdown.New(markdown.Options{}), Theme: disclose.Theme()})
	if r == nil {
		t.Fatal(diags.Err())
	}
	var d *fiscal.Disclosure
	for _, b := range site.Bodies {
		for _, x := range b.Disclosures {
			if x.Path() == "demo-00005-cgj/2024/budget" {
				d = x
			}
		}
	}
	tests := []struct{ ref, kind, want string }{
		{"图 收支总表", "stacked", "2024年部门收支总表：收入构成"},
		{"图 收支总表.支出", "stacked", "城乡社区支出6,156.19万元，占81.88%"},
		{"图 机构", "bars", "共4项，合计19名。办公室最多，为6名，占31.58%"},
		{"图 支出总表", "bars", "城乡社区支出最多，为6,156.19万元"},
		{"图 基本支出表", "bars", "工资福利支出最多"},
		{"图 三公表", "grouped", "变化最大的是公务用车购置费，由181.90万元减少到0.00万元"},
		{"chart sangong", "grouped", "本年预算数"},
		{"chart function-kuan", "treemap", "最大的款是城乡社区支出下的城乡社区管理事务"},
		{"图 收入", "bars", "财政拨款收入为7,518.74万元"},
		{"图 支出", "grouped", "2023年预算"},
	}
	for _, tt := range tests {
		ids := markdown.NewIDs()
		var diags diag.List
		res := newResolver(newPageCharts(r, d, ids, &diags))
		out, err := res.Resolve(markdownRef(tt.ref))
		if err != nil {
			t.Errorf("{{%s}}: %v", tt.ref, err)
			continue
		}
		html := string(out.HTML)
		if !out.Block || !strings.Contains(html, `class="chart chart-`+tt.kind+`"`) || !strings.Contains(html, tt.want) {
			t.Errorf("{{%s}}: want a %s chart saying %q, got\n%.600s", tt.ref, tt.kind, tt.want, html)
		}
	}
	ids := markdown.NewIDs()
	var dl diag.List
	res := newResolver(newPageCharts(r, d, ids, &dl))
	if _, err := res.Resolve(markdownRef("图 收支总表.结余")); err == nil || !strings.Contains(err.Error(), "没有“结余”这一栏，可写：收入、支出") {
		t.Errorf("unknown side: %v", err)
	}
}

// TestYuanChartedInWanyuan: the Shanghai package prints its tables in 元;
// its charts, of figures in the hundreds of millions, are in 万元.
func TestYuanChartedInWanyuan(t *testing.T) {
	site, diags := content.Load(os.DirFS("../testdata/putuo-2025"))
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	r, diags := New(site, Options{Layouts: disclose.Theme(), Markdown: markdown.New(markdown.Options{}), Theme: disclose.Theme()})
	if r == nil {
		t.Fatal(diags.Err())
	}
	d := site.Bodies[0].Disclosures[0]
	figs := autoFigures(d)
	if len(figs) < 3 {
		t.Fatalf("%d charts", len(figs))
	}
	for _, f := range figs {
		v, err := r.chartView(f, "c", Link{}, nil)
		if errors.Is(err, chart.ErrNoData) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if v.Unit != "万元" || strings.Contains(v.Desc, "元。") && !strings.Contains(v.Desc, "万元") {
			t.Errorf("%s: unit %s, finding %s", v.Title, v.Unit, v.Desc)
		}
	}
}

// TestLongRanking: with more than 20 departments the chart shows the
// first 20 and says so; its data and CSV keep them all.
func TestLongRanking(t *testing.T) {
	extra := fstest.MapFS{}
	for i := range 25 {
		slug := fmt.Sprintf("b%02d", i)
		extra["content/"+slug+"/body.toml"] = &fstest.MapFile{Data: []byte(fmt.Sprintf("name = \"第%d局\"\n", i))}
		extra["content/"+slug+"/2020/budget/data.toml"] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"unit = \"万元\"\n[[table]]\nkind = \"expenditure_list\"\nrows = [{ id = \"total\", amount = %d }]\n", 1000+i))}
	}
	r, site := chartSite(t, "正文\n", extra)
	f := rankingFigure(site)
	if len(f.items) != 20 || len(f.more) != 6 || f.items[0].Label != "第24局" {
		t.Fatalf("%d shown, %d more, first %v", len(f.items), len(f.more), f.items[0])
	}
	v, dl, err := r.siteChart(f, "chart-ranking", "data/ranking.csv", "r.csv", "来源")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Data.Rows) != 26 || !strings.Contains(strings.Join(v.Notes, ""), "其余6个见数据表和CSV") {
		t.Errorf("data %d rows, notes %v", len(v.Data.Rows), v.Notes)
	}
	if n := strings.Count(string(dl.Data), "\r\n"); n != 27 {
		t.Errorf("CSV has %d lines, want 27", n)
	}
}

// TestSpendingAfterRelease: what the site's lists and charts read of a
// disclosure (its income and spending, a subtotal such as 本年支出合计
// before the total 支出总计) is the same after Release, which the site
// pages are rendered after.
func TestSpendingAfterRelease(t *testing.T) {
	differs := 0
	for _, dir := range []string{"../..", "../testdata/putuo-2025"} {
		site, diags := content.Load(os.DirFS(dir))
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		for _, b := range site.Bodies {
			for _, d := range b.Disclosures {
				type lists struct {
					spent            int64
					unit             fiscal.Unit
					ok               bool
					income, expended string
				}
				read := func() lists {
					var l lists
					l.spent, l.unit, l.ok = flowTotal(d, "支出")
					s := summary(d)
					l.income, l.expended = s.Income, s.Expenditure
					return l
				}
				before := read()
				if _, p := headlinePart(d, "支出"); p != nil && p.Total() != nil && before.ok {
					if v, _ := value(p.Total(), valueColumn(p)); v != before.spent {
						differs++
					}
				}
				d.Release()
				if after := read(); after != before {
					t.Errorf("%s: after Release %+v, before %+v", d.Path(), after, before)
				}
			}
		}
	}
	if differs == 0 {
		t.Error("no disclosure whose spending differs from its headline total: the test shows nothing")
	}
}
