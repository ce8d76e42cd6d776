package generator_test

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/publish"
)

// renderedTable is a table as a reader sees it: its caption and its body
// rows, each row the texts of its non-empty cells.
type renderedTable struct {
	Caption string
	Rows    [][]string
}

// parseTables returns every data table of a page, keyed by its caption
// number (表1 …) or title.
func parseTables(t *testing.T, page []byte) map[string]renderedTable {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]renderedTable{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" {
			var rt renderedTable
			var key string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				switch c.Data {
				case "caption":
					rt.Caption = text(c)
					key = rt.Caption
					if num := find(c, "table-number"); num != "" {
						key = num
					}
				case "tbody":
					for tr := c.FirstChild; tr != nil; tr = tr.NextSibling {
						if tr.Data != "tr" {
							continue
						}
						var row []string
						for td := tr.FirstChild; td != nil; td = td.NextSibling {
							if s := strings.TrimSpace(text(td)); s != "" {
								row = append(row, s)
							}
						}
						rt.Rows = append(rt.Rows, row)
					}
				}
			}
			out[key] = rt
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

func find(n *html.Node, class string) string {
	for _, a := range n.Attr {
		if a.Key == "class" && a.Val == class {
			return text(n)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if s := find(c, class); s != "" {
			return s
		}
	}
	return ""
}

// splitCodes joins the code columns of a printed row (201 13 01) into one
// code, as the site prints it (2011301).
var splitCodes = regexp.MustCompile(`^(\d{3})((?: \d{2})+) `)

// TestPutuoBudgetTables renders the nine tables of a real package (上海市普陀区
// 商务委员会 2025年部门预算, entered from shared/fixtures) and compares every
// rendered row, cell by cell, with the rows of the published document
// (testdata/putuo-2025/expected.txt holds its table lines, figures only).
func TestPutuoBudgetTables(t *testing.T) {
	sink := publish.NewMapSink()
	if _, err := generator.Build(context.Background(), generator.Config{Site: os.DirFS("testdata/putuo-2025"), Theme: disclose.Theme(), Sink: sink}); err != nil {
		t.Fatal(err)
	}
	tables := parseTables(t, sink.Files["putuo-commerce/2025/budget/index.html"])
	f, err := os.Open("testdata/putuo-2025/expected.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string][]string{}
	var cur string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "== "); ok {
			cur = "表" + n
			continue
		}
		line = splitCodes.ReplaceAllStringFunc(line, func(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), " ", "") + " " })
		want[cur] = append(want[cur], line)
	}
	if len(want) != 9 {
		t.Fatalf("expected.txt has %d tables, want 9", len(want))
	}
	titles := map[string]string{
		"表1": "2025年部门财务收支预算总表", "表2": "2025年部门收入预算总表", "表3": "2025年部门支出预算总表",
		"表4": "2025年部门财政拨款收支预算总表", "表5": "2025年部门一般公共预算支出功能分类预算表",
		"表6": "2025年部门政府性基金预算支出功能分类预算表", "表7": "2025年部门国有资本经营预算支出功能分类预算表",
		"表8": "2025年部门一般公共预算基本支出部门预算经济分类预算表", "表9": "2025年部门“三公”经费和机关运行经费预算表",
	}
	for key, rows := range want {
		got, ok := tables[key]
		if !ok {
			t.Errorf("%s not rendered", key)
			continue
		}
		if !strings.Contains(got.Caption, titles[key]) {
			t.Errorf("%s caption %q lacks the published title %q", key, got.Caption, titles[key])
		}
		unit := "单位：元"
		if key == "表9" {
			unit = "单位：万元"
		}
		if !strings.Contains(got.Caption, unit) {
			t.Errorf("%s caption %q lacks %q", key, got.Caption, unit)
		}
		var gotRows []string
		for _, r := range got.Rows {
			if len(r) > 0 {
				gotRows = append(gotRows, strings.Join(r, " "))
			}
		}
		if strings.Join(gotRows, "\n") != strings.Join(rows, "\n") {
			t.Errorf("%s rows differ\n got:\n%s\nwant:\n%s", key, strings.Join(gotRows, "\n"), strings.Join(rows, "\n"))
		}
	}
	page := string(sink.Files["putuo-commerce/2025/budget/index.html"])
	for _, note := range []string{"本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。", "本部门2025年无国有资本经营预算财政拨款安排的预算，故本表为空表。"} {
		if !strings.Contains(page, note) {
			t.Errorf("empty-table note missing: %s", note)
		}
	}
}

// TestFactsHoldEveryPrintedAmount: the fact table of each example
// disclosure holds every amount printed in its tables exactly once, with the
// source line it was written on.
func TestFactsHoldEveryPrintedAmount(t *testing.T) {
	for _, dir := range []string{"..", "testdata/putuo-2025"} {
		site, diags := content.Load(os.DirFS(dir))
		if diags.HasErrors() {
			t.Fatal(diags.Err())
		}
		sink := publish.NewMapSink()
		if _, err := generator.Build(context.Background(), generator.Config{Site: os.DirFS(dir), Theme: disclose.Theme(), Sink: sink}); err != nil {
			t.Fatal(err)
		}
		for _, b := range site.Bodies {
			for _, d := range b.Disclosures {
				facts := d.Facts()
				bySource := map[fiscal.Source][]fiscal.Fact{}
				for _, f := range facts {
					if f.Source.Line == 0 || f.Source.File != d.DataFile {
						t.Errorf("%s: fact without a source line: %+v", d.Path(), f)
					}
					bySource[f.Source] = append(bySource[f.Source], f)
				}
				cells := 0
				for _, tab := range d.Tables {
					for _, p := range tab.Parts {
						for _, r := range p.Rows {
							for _, c := range r.Cells {
								if c.Column.Type != fiscal.MoneyColumn {
									continue
								}
								cells++
								got := bySource[c.Source]
								if len(got) != 1 || got[0].Fen != c.Fig.Fen || got[0].Column != c.Column.ID {
									t.Errorf("%s %s: cell %s %s=%d has facts %+v", d.Path(), c.Source, r.Name, c.Column.ID, c.Fig.Fen, got)
								}
							}
						}
					}
				}
				// The page prints exactly as many amounts as there are facts.
				page := sink.Files[d.Path()+"/index.html"]
				printed := bytes.Count(page, []byte(`class="num money"`))
				if cells != len(facts) || printed != len(facts) {
					t.Errorf("%s: %d money cells, %d printed amounts, %d facts", d.Path(), cells, printed, len(facts))
				}
			}
		}
	}
}

// TestFactAttributes spot-checks what facts say about the figures of the
// real package.
func TestFactAttributes(t *testing.T) {
	site, diags := content.Load(os.DirFS("testdata/putuo-2025"))
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	d := site.Bodies[0].Disclosures[0]
	want := map[string]fiscal.Fact{
		"支出总表/2011301/basic":    {Flow: "支出", FuncCode: "2011301", Nature: "基本支出", Measure: "本年预算", Fen: 938991300},
		"基本支出表/30217/public":    {Flow: "支出", EconCode: "30217", Fund: "一般公共预算", Nature: "公用经费", Measure: "本年预算", Fen: 1000000},
		"收支总表/gpb/amount":       {Flow: "收入", Fund: "一般公共预算", Measure: "本年预算", Fen: 37151465500},
		"三公表/current/reception": {Flow: "支出", Fund: "一般公共预算", Nature: "公务接待费", Measure: "本年预算", Fen: 1000000, Unit: fiscal.Wanyuan},
		"财政拨款收支总表/201/gpb":      {Flow: "支出", Fund: "一般公共预算", FuncCode: "201", Measure: "本年预算", Fen: 2160173300},
	}
	found := 0
	for _, f := range d.Facts() {
		key := f.Table + "/" + cmp.Or(f.FuncCode, f.EconCode, f.Row) + "/" + f.Column
		w, ok := want[key]
		if !ok {
			continue
		}
		found++
		if f.Flow != w.Flow || f.Fund != w.Fund || f.FuncCode != w.FuncCode || f.EconCode != w.EconCode || f.Nature != w.Nature || f.Measure != w.Measure || f.Fen != w.Fen || (w.Unit != 0 && f.Unit != w.Unit) {
			t.Errorf("%s = %+v\nwant %+v", key, f, w)
		}
	}
	if found != len(want) {
		t.Errorf("found %d of %d facts", found, len(want))
	}
}
