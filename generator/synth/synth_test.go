package synth

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/publish"
)

func generate(t testing.TB, o Options) *publish.MapSink {
	t.Helper()
	sink := publish.NewMapSink()
	if err := Generate(o, sink); err != nil {
		t.Fatal(err)
	}
	return sink
}

// TestDeterministic: the same seed writes the same bytes, whatever the
// parallelism; another seed writes another site.
func TestDeterministic(t *testing.T) {
	o := Options{Bodies: 13, Years: 2, Seed: 7}
	a := generate(t, o)
	prev := runtime.GOMAXPROCS(1)
	b := generate(t, o)
	runtime.GOMAXPROCS(prev)
	if strings.Join(a.Names(), ",") != strings.Join(b.Names(), ",") {
		t.Fatal("different file sets")
	}
	for name, data := range a.Files {
		if !bytes.Equal(data, b.Files[name]) {
			t.Errorf("%s differs between runs", name)
		}
	}
	// Another seed gives other figures (the narrative may read the same:
	// its figures are references).
	c := generate(t, Options{Bodies: 13, Years: 2, Seed: 8})
	for name, data := range a.Files {
		if strings.HasSuffix(name, "data.toml") && bytes.Equal(data, c.Files[name]) {
			t.Errorf("seed 8 wrote the same %s as seed 7", name)
		}
	}
}

// TestSiteBuilds: a generated site loads without a single diagnostic and
// builds, every page saying 示例数据（虚构）.
func TestSiteBuilds(t *testing.T) {
	src := generate(t, Options{Bodies: len(depts) + 1, Years: 2, Seed: 1})
	site, diags := content.Load(src.FS())
	if len(diags) > 0 {
		t.Fatalf("generated content has problems:\n%v", diags)
	}
	if n := len(site.Bodies); n != len(depts)+1 {
		t.Fatalf("bodies = %d", n)
	}
	out := publish.NewMapSink()
	res, err := generator.Build(context.Background(), generator.Config{Site: src.FS(), Theme: disclose.Theme(), Sink: out})
	if err != nil {
		t.Fatal(err)
	}
	// home, glossary, sitemap, search, 404, then each body's page and four
	// disclosures.
	if want := 5 + (len(depts)+1)*(1+4); res.Pages != want {
		t.Errorf("pages = %d, want %d", res.Pages, want)
	}
	for name, data := range out.Files {
		if strings.HasPrefix(name, "demo-") && strings.HasSuffix(name, ".html") && !bytes.Contains(data, []byte("示例数据（虚构）")) {
			t.Errorf("%s does not say 示例数据（虚构）", name)
		}
	}
}

// TestFiguresReconcile checks the sums the generator promises, on every
// disclosure of a site: 类 = Σ款, 款 = Σ项, 合计 = Σ类 in every coded table;
// 合计 = 基本 + 项目; 收入总计 = 支出总计; cross-table totals; 三公 and
// 机关运行经费 between tables; a final account's opening balance equals the
// previous year's closing one; 三公 上年预算数 equals last year's budget.
func TestFiguresReconcile(t *testing.T) {
	src := generate(t, Options{Bodies: len(depts), Years: 3, Seed: 3})
	site, diags := content.Load(src.FS())
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	for _, b := range site.Bodies {
		var lastClosing int64 = -1
		var lastSangong int64 = -1
		for _, d := range b.Disclosures {
			where := d.Path()
			for _, tab := range d.Tables {
				for _, p := range tab.Parts {
					if p.Kind.Code != fiscal.NoCodes {
						checkHierarchy(t, where, tab, p)
					}
					for _, r := range p.Rows {
						if r.Cell("total") != nil && (r.Cell("basic") != nil || r.Cell("project") != nil) {
							if got := val(r, "basic") + val(r, "project"); val(r, "total") != got {
								t.Errorf("%s %s %s: 合计 %d ≠ 基本+项目 %d", where, tab.ID, r.Label(), val(r, "total"), got)
							}
						}
					}
				}
			}
			sum := d.Table("收支总表")
			in, out := totalOf(sum.Part("income")), totalOf(sum.Part("expenditure"))
			if in != out || in == 0 {
				t.Errorf("%s: 收入总计 %d ≠ 支出总计 %d", where, in, out)
			}
			sangong := d.Table("三公")
			total, _ := sangong.Row("合计")
			wide := d.Table("三公表").Parts[0].Rows
			if got := val(wide[len(wide)-1], "total"); got != val(total, "amount") {
				t.Errorf("%s: 三公表 %d ≠ 三公 说明 %d", where, got, val(total, "amount"))
			}
			if d.Kind == fiscal.Budget {
				if lastSangong >= 0 && val(wide[0], "total") != lastSangong {
					t.Errorf("%s: 上年预算数 %d ≠ last year's 本年预算数 %d", where, val(wide[0], "total"), lastSangong)
				}
				lastSangong = val(wide[1], "total")
				gpb, basic := d.Table("一般公共预算支出表"), d.Table("基本支出表")
				if a, c := totalRow(gpb, "basic"), totalRow(basic, "total"); a != c {
					t.Errorf("%s: 一般公共预算 基本支出 %d ≠ 基本支出表 合计 %d", where, a, c)
				}
				if run := d.Table("机关运行经费"); run != nil {
					r, _ := run.Row("合计")
					if a, c := val(r, "amount"), totalRow(basic, "public"); a != c {
						t.Errorf("%s: 机关运行经费 %d ≠ 公用经费 %d", where, a, c)
					}
				}
			} else {
				opening, _ := sum.Row("年初结转和结余")
				closing, _ := sum.Row("年末结转和结余")
				if lastClosing >= 0 && val(opening, "amount") != lastClosing {
					t.Errorf("%s: 年初结转和结余 %d ≠ last year's 年末 %d", where, val(opening, "amount"), lastClosing)
				}
				lastClosing = val(closing, "amount")
			}
		}
	}
}

func val(r *fiscal.Row, col string) int64 {
	if r == nil {
		return 0
	}
	if c := r.Cell(col); c != nil {
		return c.Fig.Fen
	}
	return 0
}

func totalOf(p *fiscal.Part) int64 { return val(p.Total(), "amount") }

func totalRow(t *fiscal.Table, col string) int64 { return val(t.Parts[0].Total(), col) }

func checkHierarchy(t *testing.T, where string, tab *fiscal.Table, p *fiscal.Part) {
	t.Helper()
	for _, col := range p.Columns {
		if col.Type != fiscal.MoneyColumn {
			continue
		}
		var top int64
		for _, r := range p.Rows {
			if len(r.Code) == 3 {
				top += val(r, col.ID)
			}
			if r.Code == "" || len(r.Code) == 7 || (p.Kind.Code == fiscal.Economic && len(r.Code) == 5) {
				continue
			}
			var kids int64
			n := 0
			for _, c := range p.Rows {
				if len(c.Code) == len(r.Code)+2 && strings.HasPrefix(c.Code, r.Code) {
					kids += val(c, col.ID)
					n++
				}
			}
			if n > 0 && kids != val(r, col.ID) {
				t.Errorf("%s %s %s %s: %d ≠ Σ children %d", where, tab.ID, r.Label(), col.ID, val(r, col.ID), kids)
			}
		}
		if tot := p.Total(); tot != nil && tab.Kind.Layout == "coded" && val(tot, col.ID) != top {
			t.Errorf("%s %s 合计 %s: %d ≠ Σ类 %d", where, tab.ID, col.ID, val(tot, col.ID), top)
		}
	}
}

// BenchmarkGenerate measures generating a site into memory; the README
// quotes the time for 10,000 disclosures written to disk by cmd/synth.
func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink := publish.NewMapSink()
		if err := Generate(Options{Bodies: 50, Years: 2, Seed: 1}, sink); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(50*2*2), "disclosures/op")
}

func ExampleGenerate() {
	sink := publish.NewMapSink()
	if err := Generate(Options{Bodies: 1, Years: 1, Seed: 1}, sink); err != nil {
		panic(err)
	}
	for _, name := range sink.Names() {
		fmt.Println(name)
	}
	// Output:
	// content/demo-00001-czj/2021/budget/01-overview.md
	// content/demo-00001-czj/2021/budget/02-tables.md
	// content/demo-00001-czj/2021/budget/03-explanation.md
	// content/demo-00001-czj/2021/budget/04-glossary.md
	// content/demo-00001-czj/2021/budget/data.toml
	// content/demo-00001-czj/2021/final/01-overview.md
	// content/demo-00001-czj/2021/final/02-tables.md
	// content/demo-00001-czj/2021/final/03-explanation.md
	// content/demo-00001-czj/2021/final/04-glossary.md
	// content/demo-00001-czj/2021/final/data.toml
	// content/demo-00001-czj/body.toml
	// content/glossary.toml
	// content/site.toml
}

// TestExampleBody: the synthetic body of the example site is exactly what
// synth writes with the options below, so it can be made again at will:
//
//	go run ./cmd/synth --bodies 5 --years 2 --first-year 2023 --seed 1 --bodies-only --out /tmp/s
//	cp -r /tmp/s/content/demo-00005-cgj content/
func TestExampleBody(t *testing.T) {
	sink := generate(t, Options{Bodies: 5, Years: 2, FirstYear: 2023, Seed: 1, BodiesOnly: true})
	const prefix = "content/demo-00005-cgj/"
	n := 0
	for name, data := range sink.Files {
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		n++
		got, err := os.ReadFile("../../" + name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s differs from what synth writes", name)
		}
	}
	var committed int
	filepath.WalkDir("../../"+prefix, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			committed++
		}
		return nil
	})
	if n == 0 || committed != n {
		t.Errorf("synth writes %d files for the body, the repository holds %d", n, committed)
	}
}
