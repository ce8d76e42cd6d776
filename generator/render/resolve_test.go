package render

import (
	"html/template"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/markdown"
)

const refData = `unit = "万元"
terms = ["基本支出"]
[[table]]
kind = "income_list"
rows = [
  { id = "total", name = "收入预算", amount = 2966.24, change = -168.97, change_pct = -5.43 },
  { name = "财政拨款收入", amount = 2966.24 },
  { name = "其他收入", amount = 0 },
]
[[table]]
kind = "sangong_list"
rows = [
  { id = "total", amount = 5, previous = 9 },
  { name = "公务接待费", amount = 0, previous = 0 },
  { name = "因公出国（境）费", amount = 1, previous = 0 },
  { name = "公务用车购置及运行费", amount = 4, previous = 9, share = 80 },
]
[[table]]
kind = "performance_list"
rows = [
  { name = "应编制绩效目标的项目", count = 16, count_unit = "个" },
  { name = "覆盖率", pct = 100 },
]
[[table]]
kind = "org"
rows = [
  { name = "综合办公室", category = "内设机构", staff = 11, posts = "主任职数1名" },
  { name = "综合办公室", category = "分支机构", staff = 2 },
]
`

func testDisclosure(t *testing.T) (*Renderer, *fiscal.Disclosure) {
	t.Helper()
	fsys := fstest.MapFS{
		"content/site.toml":                  {Data: []byte("title = \"t\"\n")},
		"content/glossary.toml":              {Data: []byte("[[term]]\nterm = \"基本支出\"\ndefinition = \"指保障机构正常运转的支出。\"\n")},
		"content/demo/body.toml":             {Data: []byte("name = \"示例局\"\n")},
		"content/demo/2020/budget/data.toml": {Data: []byte(refData)},
	}
	site, diags := content.Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	r, diags := New(site, Options{Layouts: disclose.Theme(), Markdown: markdown.New(markdown.Options{})})
	if r == nil {
		t.Fatal(diags.Err())
	}
	return r, site.Bodies[0].Disclosures[0]
}

// TestReferenceKinds covers every kind of data reference.
func TestReferenceKinds(t *testing.T) {
	r, d := testDisclosure(t)
	ids := markdown.NewIDs()
	var diags diag.List
	res := newResolver(newPageCharts(r, d, ids, &diags))
	res.terms = func() (template.HTML, error) { return "<ol>terms</ol>", nil }
	tests := []struct {
		ref     string
		want    string
		wantErr string
	}{
		// values, in the form the document used
		{"收入.收入预算", "2966.24万元", ""},
		{"收入.合计", "2966.24万元", ""},
		{"收入.total", "2966.24万元", ""},
		{"收入.其他收入", "0万元", ""},
		{"三公.公务接待费", "0万元", ""},
		{"绩效.应编制绩效目标的项目", "16个", ""},
		{"绩效.覆盖率", "100%", ""},
		{"机构.综合办公室", "", "有 2 行都叫“综合办公室”"},
		{"收入.收入预算.change_pct", "-5.43%", ""},
		{"收入.收入预算.增减额", "-168.97万元", ""},
		// change phrases: stated, computed, zero, no rate against zero
		{"增减 收入.合计", "减少168.97万元，下降5.43%", ""},
		{"增减 三公.合计", "减少4万元，下降44.44%", ""},
		{"增减 三公.公务接待费", "持平", ""},
		{"增减 三公.因公出国（境）费", "增加1万元", ""},
		{"增减额 收入.合计", "168.97万元", ""},
		{"增减率 收入.合计", "5.43%", ""},
		{"增减率 三公.因公出国（境）费", "", "没有增减率"},
		{"增减 收入.财政拨款收入", "", "既没有写增减"},
		// shares: stated, computed
		{"占比 三公.公务用车购置及运行费", "80%", ""},
		{"占比 三公.因公出国（境）费", "20.00%", ""},
		{"占比 收入.财政拨款收入", "100.00%", ""},
		// glossary list
		{"名词解释", "<ol>terms</ol>", ""},
		// errors an editor can act on
		{"三宫.合计", "", "没有名为“三宫”的表（是否想写“三公”？）"},
		{"三公.公务招待费", "", "没有“公务招待费”这一行（是否想写“公务接待费”？）"},
		{"三公", "", "请写出是哪一行"},
		{"三公.合计.amonut", "", "没有“amonut”这一列"},
		{"加减 三公.合计", "", "“加减”不是引用的种类"},
	}
	for _, tt := range tests {
		ref := markdownRef(tt.ref)
		out, err := res.Resolve(ref)
		got := out.Text
		if out.HTML != "" {
			got = string(out.HTML)
		}
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("{{%s}}: error %v, want %q", tt.ref, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("{{%s}} = %q, %v; want %q", tt.ref, got, err, tt.want)
		}
	}

	out, err := res.Resolve(markdownRef("表 三公"))
	if err != nil || !out.Block || !strings.Contains(string(out.HTML), "<caption") || !res.embedded[d.Table("三公")] {
		t.Errorf("{{表 三公}} = %v, %v", out, err)
	}
}

func markdownRef(s string) markdown.Ref {
	verb, target, ok := strings.Cut(s, " ")
	if !ok {
		verb, target = "", s
	}
	return markdown.Ref{Verb: verb, Target: target, Raw: s}
}
