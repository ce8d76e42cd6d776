package check_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose/generator/check"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
)

func TestParseExpr(t *testing.T) {
	valid := []struct {
		in   string
		refs string
		op   check.Op
	}{
		{"budget_summary.expenditure.total.amount = budget_summary.income.total.amount", "budget_summary.expenditure.total.amount budget_summary.income.total.amount", check.OpEq},
		{"total = basic + project + upper? + operating?", "total basic project upper? operating?", check.OpEq},
		{"a.b.c <= d.e.f - g.h.i", "a.b.c d.e.f g.h.i", check.OpLE},
		{"x.y.z ≥ -u.v.w", "x.y.z u.v.w", check.OpGE},
		{"total = (fiscal | gpb + fund? + soe?) + other?", "total fiscal gpb fund? soe? other?", check.OpEq},
		{"budget_sangong.previous.* = prev:budget_sangong.current.*", "budget_sangong.previous.* prev:budget_sangong.current.*", check.OpEq},
		{"final_gpb.{code}.initial=budget:budget_gpb.{code}.total", "final_gpb.{code}.initial budget:budget_gpb.{code}.total", check.OpEq},
	}
	for _, tt := range valid {
		e, err := check.ParseExpr(tt.in)
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		var refs []string
		e.Refs(func(r *check.Ref) { refs = append(refs, r.Text) })
		if got := strings.Join(refs, " "); got != tt.refs || e.Op != tt.op {
			t.Errorf("%q: refs %q op %s, want %q %s", tt.in, got, e.Op, tt.refs, tt.op)
		}
	}
	invalid := []struct {
		in  string
		col int
		msg string
	}{
		{"a.b.c", 6, "比较符号"},
		{"a.b.c = ", 9, "不完整"},
		{"a.b.c = d..e", 9, "空的一段"},
		{"a.b.c = last:d.e.f", 9, "未知的限定"},
		{"a.b.c = (d.e.f | g.h.i", 23, "| 或 )"},
		{"合计 = 基本", 1, "而不是 \"合\""},
		{"a.b.c = d.e.f = g", 15, "多余的内容"},
		{"a.b.c ＝ d.e.f", 7, "这里用了中文标点“＝”"},
		{"a.b.c = （d.e.f）", 9, "中文标点“（”"},
		{"sangong_list.接待.amount = a.b.c", 14, "不能写中文名称：这里是 \"接\""},
	}
	for _, tt := range invalid {
		_, err := check.ParseExpr(tt.in)
		se, ok := err.(*check.SyntaxError)
		if !ok || se.Col != tt.col || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("%q: got %v, want column %d saying %q", tt.in, err, tt.col, tt.msg)
		}
	}
}

// FuzzParseExpr: the parser never panics, reports a column inside the
// text, and what it accepts parses again to the same references.
func FuzzParseExpr(f *testing.F) {
	for _, s := range []string{
		"budget_summary.expenditure.total.amount = budget_summary.income.total.amount",
		"total = (fiscal | gpb + fund? + soe?) + other?",
		"x.y.z ≥ -u.v.w", "a <= (b|c)", "prev:a.b.c = budget:d.e.f", "((", "= =", "a.b.c = d..e",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := check.ParseExpr(s)
		if err != nil {
			se, ok := err.(*check.SyntaxError)
			if !ok || se.Col < 1 || se.Col > len([]rune(s))+1 {
				t.Fatalf("%q: bad error %v", s, err)
			}
			return
		}
		var refs []string
		e.Refs(func(r *check.Ref) { refs = append(refs, r.Text) })
		if len(refs) < 2 {
			t.Fatalf("%q: accepted with %d refs", s, len(refs))
		}
		again, err := check.ParseExpr(e.Text)
		if err != nil {
			t.Fatalf("%q: accepted once, then %v", s, err)
		}
		var refs2 []string
		again.Refs(func(r *check.Ref) { refs2 = append(refs2, r.Text) })
		if strings.Join(refs, "\n") != strings.Join(refs2, "\n") {
			t.Fatalf("%q: refs differ on reparse", s)
		}
	})
}

func ExampleParseExpr() {
	e, err := check.ParseExpr("total = carryover? + (fiscal | gpb + fund? + soe?) + other?")
	if err != nil {
		panic(err)
	}
	var refs []string
	e.Refs(func(r *check.Ref) { refs = append(refs, r.Text) })
	fmt.Println(strings.Join(refs, " "))
	_, err = check.ParseExpr("budget_summary.income.total.amount == 1")
	fmt.Println(err)
	// Output:
	// total carryover? fiscal gpb fund? soe? other?
	// 第 37 个字符处：这里应为数字的位置（如 budget_summary.income.total.amount），而不是 "="
}

// withSite returns the demo fixture with site.toml and the site's rule
// file replaced.
func withSite(t *testing.T, siteTOML, rules string, edits ...edit) fstest.MapFS {
	fsys := demo(t, edits...)
	fsys["content/site.toml"] = &fstest.MapFile{Data: []byte("title = \"测试\"\n" + siteTOML)}
	if rules != "" {
		fsys[check.SiteRulesFile] = &fstest.MapFile{Data: []byte(rules)}
	}
	return fsys
}

// newChecker loads a fixture and returns the checker's diagnostics.
func newChecker(t *testing.T, fsys fstest.MapFS) (*check.Checker, diag.List, diag.List) {
	site, diags := content.Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	c, cd := check.New(fsys, site)
	if cd.HasErrors() {
		return nil, cd, nil
	}
	return c, cd, c.Check(site)
}

// TestRuleFileErrors: mistakes in a site's rule file are errors with
// file:line, all of them in one run, and name what to write.
func TestRuleFileErrors(t *testing.T) {
	rules := `[[relation]]
id = "local.one"
name = "一"
check = ["budget_sumary.income.total.amount = budget_income.total.total"]

[[relation]]
id = "Local"
name = "二"
check = ["budget_summary.income.totl.amount = budget_income.total.total"]

[[relation]]
id = "local.three"
name = "三"
kind = "annual"
check = ["budget_income.total.totl = budget_summary.income.total.amount", "a = b"]
colour = "red"

[[relation]]
id = "local.four"
name = "四"
each = "row"
tables = ["budget_expenditure"]
check = ["total = basik + project"]

[[relation]]
id = "local.five"
name = "五"
check = ["budget_income.total.total = budget_summary.income.total.amount"]

[[relation]]
id = "local.five"
name = "五，又写了一次"
check = ["budget_income.total.total = budget_summary.income.total.amount"]

[[relation]]
id = "sum.items"
name = "代码规则的编号"
check = ["budget_income.total.total = budget_summary.income.total.amount"]

[[relation]]
id = "local.six"
name = "表名拼错：只报这一处，不报它引起的"
each = "row"
tables = ["budget_expenditur"]
check = ["total = basic + project"]
`
	_, cd, _ := newChecker(t, withSite(t, "", rules))
	want := []struct {
		line int
		says string
	}{
		{4, `未知的表格种类 "budget_sumary"，是否想写 "budget_summary"？`},
		{7, `规则编号 "Local" 应写成“组.名称”`},
		{9, `不认识行 "totl"，是否想写 "total"？`},
		{14, `kind 应为 "budget"（预算）或 "final"（决算）`},
		{15, `没有列 "totl"，是否想写 "total"？`},
		{15, `"a" 应写成 表格种类.行.列`},
		{16, `未知的键 colour`},
		{23, `没有列 "basik"`},
		{30, `规则编号 local.five 在第 25 行已经用过`},
		{35, `规则编号 sum.items 是程序内置的规则，checks.toml 不能替换它`},
		{44, `未知的表格种类 "budget_expenditur"，是否想写 "budget_expenditure"？`},
	}
	if len(cd) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%v", len(cd), len(want), cd)
	}
	cd.Sort()
	for i, w := range want {
		d := cd[i]
		if d.File != check.SiteRulesFile || d.Line != w.line || d.Severity != diag.Error || !strings.Contains(d.Message, w.says) {
			t.Errorf("diagnostic %d: got %s\nwant line %d saying %s", i, d, w.line, w.says)
		}
	}
}

// TestSiteRules: a site adds a relation of its own and replaces a
// built-in one by its id.
func TestSiteRules(t *testing.T) {
	rules := `# 本地规则：项目支出不少于基本支出的三成（示例）。
[[relation]]
id = "local.projects"
name = "项目支出不超过基本支出"
severity = "warning"
kind = "budget"
check = ["budget_expenditure.total.project <= budget_expenditure.total.basic"]

# 预算收支不平衡只作警告。
[[relation]]
id = "balance.budget"
name = "预算收支平衡（本地）"
severity = "warning"
check = ["budget_summary.expenditure.total.amount = budget_summary.income.total.amount"]
`
	fsys := withSite(t, "", rules,
		edit{budget, `{ name = "支出总计", amount = 7518.74 }`, `{ name = "支出总计", amount = 7518.84 }`},
		edit{budget, `{ id = "total", name = "合计", total = 7518.74, basic = 4990.17, project = 2528.57 }`, `{ id = "total", name = "合计", total = 7518.74, basic = 2528.57, project = 4990.17 }`})
	_, _, got := newChecker(t, fsys)
	var local, balance int
	for _, d := range got {
		switch d.Rule {
		case "local.projects":
			local++
			if d.Severity != diag.Warning || !strings.Contains(d.Message, "支出总表 合计（项目支出） 4,990.17万元 大于 合计（基本支出） 2,528.57万元") {
				t.Errorf("local rule: %s", d)
			}
		case "balance.budget":
			balance++
			if d.Severity != diag.Warning || !strings.Contains(d.Message, "预算收支平衡（本地）") {
				t.Errorf("replaced rule: %s", d)
			}
		}
	}
	if local != 1 || balance != 1 {
		t.Errorf("got %d local.projects and %d balance.budget findings, want 1 each:\n%v", local, balance, got)
	}
}

// TestSettings: [checks] in site.toml turns rules off, changes their
// severity and tolerances, and is decoded strictly.
func TestSettings(t *testing.T) {
	off := edit{budget, `{ name = "支出总计", amount = 7518.74 }`, `{ name = "支出总计", amount = 7518.84 }`}
	count := func(l diag.List, rule string, sev diag.Severity) int {
		n := 0
		for _, d := range l {
			if d.Rule == rule && d.Severity == sev {
				n++
			}
		}
		return n
	}
	tests := []struct {
		name     string
		settings string
		rule     string
		sev      diag.Severity
		n        int
	}{
		{"default", "", "balance.budget", diag.Error, 1},
		{"off by id", "[checks]\noff = [\"balance.budget\"]\n", "balance.budget", diag.Error, 0},
		{"off by group", "[checks]\noff = [\"balance\"]\n", "balance.budget", diag.Error, 0},
		{"severity by group", "[checks.rule.balance]\nseverity = \"warning\"\n", "balance.budget", diag.Warning, 1},
		{"severity by id wins over group", "[checks.rule.balance]\nseverity = \"warning\"\n[checks.rule.\"balance.budget\"]\nseverity = \"note\"\n", "balance.budget", diag.Note, 1},
		{"a fixed tolerance makes it a rounding note", "[checks]\namount = \"0.5万元\"\n", "balance.budget", diag.Note, 1},
		{"per rule tolerance", "[checks.rule.balance]\namount = \"0.05万元\"\n", "balance.budget", diag.Error, 1},
		{"per rule tolerance large enough", "[checks.rule.sum]\namount = \"0.1万元\"\n", "sum.items", diag.Note, 1},
	}
	for _, tt := range tests {
		_, cd, got := newChecker(t, withSite(t, tt.settings, "", off))
		if cd.HasErrors() {
			t.Errorf("%s: %v", tt.name, cd)
			continue
		}
		if n := count(got, tt.rule, tt.sev); n != tt.n {
			t.Errorf("%s: %d %s findings of %s, want %d:\n%v", tt.name, n, tt.sev, tt.rule, tt.n, got)
		}
	}

	// The percentage tolerance: 1.74 against 1.75 recomputed is a note
	// within ±0.01 points, an error when the site allows none.
	pct := edit{budget, `change_pct = 1.75, reason = "新增信息化建设项目"`, `change_pct = 1.74, reason = "新增信息化建设项目"`}
	if _, _, got := newChecker(t, withSite(t, "", "", pct)); count(got, "change.pct", diag.Note) != 1 {
		t.Errorf("1.74 vs 1.75: want a rounding note:\n%v", got)
	}
	if _, _, got := newChecker(t, withSite(t, "[checks]\npercent = 0\n", "", pct)); count(got, "change.pct", diag.Error) != 1 {
		t.Errorf("percent = 0: want an error:\n%v", got)
	}

	c, _, _ := newChecker(t, withSite(t, "[checks]\nstrict = true\n", ""))
	if !c.Settings().Strict {
		t.Error("strict = true not read")
	}

	bad := "[checks]\namount = 0.05\npercent = \"many\"\noff = [\"code\", \"balanse\"]\nstrickt = true\n[checks.rule.sum]\nseverity = \"fatal\"\n"
	_, cd, _ := newChecker(t, withSite(t, bad, ""))
	cd.Sort()
	want := []struct {
		line int
		says string
	}{
		{3, "金额容差应为 \"auto\""},
		{4, "百分比容差"},
		{5, `没有编号或组名为 "balanse" 的检查规则，是否想写 "balance"？`},
		{6, "未知的键 strickt（checks），是否想写 strict？"},
		{8, `severity 应为 "error"（错误）、"warning"（警告）、"note"（提示）或 "off"（关闭），这里是 "fatal"`},
	}
	if len(cd) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%v", len(cd), len(want), cd)
	}
	for i, w := range want {
		if cd[i].File != "content/site.toml" || cd[i].Line != w.line || !strings.Contains(cd[i].Message, w.says) {
			t.Errorf("diagnostic %d: got %s\nwant line %d saying %s", i, cd[i], w.line, w.says)
		}
	}
	if cd[2].Col != 16 {
		t.Errorf("the unknown rule in off is at column %d, want 16 (the entry, not the [)", cd[2].Col)
	}
}

// TestEditorsGuideExamples: the [checks] settings and the rule file the
// editors' guide shows are accepted as they are written there.
func TestEditorsGuideExamples(t *testing.T) {
	guide, err := os.ReadFile("../../content/README.md")
	if err != nil {
		t.Fatal(err)
	}
	block := func(after string) string {
		_, rest, ok := strings.Cut(string(guide), after)
		if !ok {
			t.Fatalf("content/README.md has no %q", after)
		}
		_, rest, _ = strings.Cut(rest, "```toml\n")
		code, _, _ := strings.Cut(rest, "```")
		return code
	}
	settings := block("### 在 site.toml 中调整检查")
	rules := block("### 本站自己的规则")
	c, cd, _ := newChecker(t, withSite(t, settings, rules))
	if cd.HasErrors() {
		t.Fatalf("the guide's examples do not load:\n%v", cd)
	}
	found := false
	for _, r := range c.Rules() {
		found = found || r.ID == "local.procurement"
		if r.ID == "prose.amount" && !r.Off {
			t.Error("off = [\"prose.amount\"] not applied")
		}
	}
	if !found {
		t.Error("the guide's rule is not loaded")
	}
}
