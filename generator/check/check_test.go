package check_test

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose/generator/check"
	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/synth"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// checkSite loads a site folder and checks it; content or rule errors
// fail the test.
func checkSite(t testing.TB, fsys fs.FS) diag.List {
	t.Helper()
	site, diags := content.Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	c, cd := check.New(fsys, site)
	if cd.HasErrors() {
		t.Fatal(cd.Err())
	}
	return c.Check(site)
}

func ofDisclosure(l diag.List, path string) diag.List {
	var out diag.List
	for _, d := range l {
		if d.Disclosure == path {
			out = append(out, d)
		}
	}
	return out
}

// TestSeedFindings is the heart of the checker: on the 盘锦 2020 budget it
// reports exactly what does not add up, with the figure's line, and
// nothing on what reconciles (三公 5 = 0 + 0 + 5 and −44.44%, 机关运行经费
// 51.23 = Σ9 items and −0.76%, 政府采购 582 = 262 + 320, 绩效 2394 =
// 项目支出, coverage 16/16).
func TestSeedFindings(t *testing.T) {
	got := ofDisclosure(checkSite(t, os.DirFS("../..")), "panjin-zhcs/2020/budget")
	const file = "content/panjin-zhcs/2020/budget/data.toml"
	want := []struct {
		line, col                   int
		sev                         diag.Severity
		rule                        string
		found, expected, difference string
		says                        []string
	}{
		// Income −168.97 is −5.43% only against the expenditure base;
		// against 2966.24 + 168.97 = 3135.21 it is −5.39%.
		{50, 83, diag.Error, "change.pct", "-5.43", "-5.39", "-0.04", []string{"收入预算的增减率 -5.43%", "-5.39%", "上年预算 3135.21万元"}},
		// 收入 2966.24 ≠ 支出 2944.24, and no 结转 is stated.
		{63, 43, diag.Error, "balance.budget", "2944.24", "2966.24", "-22.00", []string{"支出预算 2944.24万元 ≠ 收入预算 2966.24万元，相差 22.00万元", "结转"}},
		// 支出预算 2944.24 ≠ 基本支出 572.24 + 项目支出 2394 = 2966.24.
		{63, 43, diag.Error, "sum.items", "2944.24", "2966.24", "-22.00", []string{"支出预算 2944.24万元 ≠ 基本支出 572.24万元 + 项目支出 2394万元 = 2966.24万元，相差 22.00万元"}},
		// 资产总额 920.37, of which 117.38 + 327.76 = 445.14 itemised.
		{115, 29, diag.Note, "sum.unitemised", "920.37", "445.14", "475.23", []string{"475.23万元 未列明分项"}},
		// The attachment with the 公开报表 is missing from this copy: they
		// would go after its last table, at line 122.
		{122, 1, diag.Warning, "complete.tables", "", "", "", []string{"缺少公开报表（9 张）", "部门收支总表", "可接在这张表之后补上"}},
	}
	if len(got) != len(want) {
		for _, d := range got {
			t.Log(d)
		}
		t.Fatalf("got %d findings, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.File != file || g.Line != w.line || g.Col != w.col || g.Severity != w.sev || g.Rule != w.rule ||
			g.Found != w.found || g.Expected != w.expected || g.Difference != w.difference {
			t.Errorf("finding %d:\n got %s (found %q expected %q difference %q)\nwant %s:%d:%d %s [%s] (found %q expected %q difference %q)",
				i, g, g.Found, g.Expected, g.Difference, file, w.line, w.col, w.sev, w.rule, w.found, w.expected, w.difference)
		}
		for _, s := range w.says {
			if !strings.Contains(g.Message, s) {
				t.Errorf("finding %d [%s] does not say %q:\n%s", i, g.Rule, s, g.Message)
			}
		}
	}
}

// TestExampleJSON compares the JSON output for the example site with its
// golden file (go test ./generator/check -update to accept a change).
func TestExampleJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := check.WriteJSON(&buf, checkSite(t, os.DirFS("../.."))); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/example.json", buf.Bytes())
}

// TestExampleText is the same for the text output, grouped by disclosure.
func TestExampleText(t *testing.T) {
	fsys := os.DirFS("../..")
	site, _ := content.Load(fsys)
	var buf bytes.Buffer
	if err := check.WriteText(&buf, checkSite(t, fsys), site, true); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/example.txt", buf.Bytes())
}

func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./generator/check -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test ./generator/check -update to accept):\n%s", file, got)
	}
}

// TestSyntheticSitesCheckClean: the example's synthetic body and sites of
// several bodies and years from cmd/synth have nothing to report, not
// even a rounding note.
func TestSyntheticSitesCheckClean(t *testing.T) {
	if got := ofDisclosure(checkSite(t, os.DirFS("../..")), ""); len(got) > 0 {
		t.Errorf("site-wide findings on the example: %v", got)
	}
	for _, p := range []string{"demo-00005-cgj/2023/budget", "demo-00005-cgj/2023/final", "demo-00005-cgj/2024/budget", "demo-00005-cgj/2024/final"} {
		for _, d := range ofDisclosure(checkSite(t, os.DirFS("../..")), p) {
			t.Errorf("example body: %s", d)
		}
	}
	for _, seed := range []uint64{1, 2, 3} {
		sink := publish.NewMapSink()
		if err := synth.Generate(synth.Options{Bodies: 12, Years: 3, Seed: seed}, sink); err != nil {
			t.Fatal(err)
		}
		for _, d := range checkSite(t, sink.FS()) {
			t.Errorf("synth seed %d: %s", seed, d)
		}
	}
}

// TestPutuo checks the real Shanghai package: everything that reconciles
// does (nine tables, the 项 amounts of the 说明, 三公, 机关运行经费 171.01 =
// 公用经费 1,710,062元 at the 万元 the table prints, 政府采购 38.20 = 7.80 + 0
// + 30.40, the project budgets), and its one inconsistency is reported:
// the 财政拨款 increase is stated against 2024年预算执行数 for income
// (+24,558.18) but against 2024年预算 for expenditure (+24,491.71). The
// test data holds figures only, so the narrative topics without figures
// (职责, 机构设置, 名词解释) are reported missing.
func TestPutuo(t *testing.T) {
	got := checkSite(t, os.DirFS("../testdata/putuo-2025"))
	want := []struct {
		rule string
		sev  diag.Severity
		says string
	}{
		{"complete.topics", diag.Warning, "说明部分缺少：主要职责、机构设置、名词解释。"},
		{"change.base", diag.Warning, "财政拨款收入比上年执行数增加24558.18万元（第 238 行；由此推得的上年数为 12593.29万元）；财政拨款支出预算比上年预算增加24491.71万元（第 251 行；由此推得的上年数为 12659.76万元）"},
	}
	if len(got) != len(want) {
		for _, d := range got {
			t.Log(d)
		}
		t.Fatalf("got %d findings, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Rule != w.rule || got[i].Severity != w.sev || !strings.Contains(got[i].Message, w.says) {
			t.Errorf("finding %d: got %s\nwant [%s] %s saying %q", i, got[i], w.rule, w.sev, w.says)
		}
	}
}

// TestDeterministic: findings do not depend on how many disclosures are
// checked at once.
func TestDeterministic(t *testing.T) {
	sink := publish.NewMapSink()
	if err := synth.Generate(synth.Options{Bodies: 8, Years: 2, Seed: 4}, sink); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for name, data := range sink.Files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	// Break every budget's 三公 so there is much to report.
	for name, f := range fsys {
		if strings.HasSuffix(name, "budget/data.toml") {
			f.Data = bytes.Replace(f.Data, []byte(`name = "公务接待费", amount = `), []byte(`name = "公务接待费", amount = 1`), 1)
		}
	}
	var outs [][]byte
	for _, procs := range []int{1, 4} {
		old := runtime.GOMAXPROCS(procs)
		var buf bytes.Buffer
		check.WriteJSON(&buf, checkSite(t, fsys))
		runtime.GOMAXPROCS(old)
		outs = append(outs, buf.Bytes())
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("findings differ with GOMAXPROCS")
	}
	if bytes.Count(outs[0], []byte(`"rule"`)) < 8 {
		t.Errorf("expected findings on every budget:\n%s", outs[0])
	}
}

// demo is the example's synthetic body as a site of its own, with edits
// applied: each replaces the first occurrence of old in a file of the
// body (old "" appends new).
func demo(t *testing.T, edits ...edit) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{"content/site.toml": {Data: []byte("title = \"测试\"\n")}}
	root := "../../content/demo-00005-cgj"
	err := fs.WalkDir(os.DirFS(root), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path.Join(root, p))
		fsys[path.Join("content/demo-00005-cgj", p)] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edits {
		f := fsys[path.Join("content/demo-00005-cgj", e.file)]
		if f == nil {
			t.Fatalf("no file %s", e.file)
		}
		switch {
		case e.old == "":
			f.Data = append(f.Data, e.new...)
		case !bytes.Contains(f.Data, []byte(e.old)):
			t.Fatalf("%s has no %q (the example changed?)", e.file, e.old)
		default:
			f.Data = bytes.Replace(f.Data, []byte(e.old), []byte(e.new), 1)
		}
	}
	return fsys
}

type edit struct{ file, old, new string }

const (
	budget = "2024/budget/data.toml"
	final  = "2024/final/data.toml"
)

// ruleCases hold, for every rule, a fixture it passes and one it fails:
// the example's synthetic body (which satisfies every rule) with the
// edits of pass (where the rule needs a statement the example lacks) and
// with the edits of fail.
var ruleCases = []struct {
	rule       string
	sev        diag.Severity
	pass, fail []edit
}{
	{"balance.budget", diag.Error, nil, []edit{{budget, `{ name = "支出总计", amount = 7518.74 }`, `{ name = "支出总计", amount = 7518.84 }`}}},
	{"balance.final", diag.Error, nil, []edit{{final, `{ name = "总计", amount = 8232.37 }`, `{ name = "总计", amount = 8232.47 }`}}},
	{"balance.fund", diag.Error, nil, []edit{{final, `{ name = "总计", total = 8232.37, gpb = 7591.13`, `{ name = "总计", total = 8232.37, gpb = 7591.23`}}},
	{"sum.subtotal", diag.Error, nil, []edit{{budget, `{ name = "本年收入合计", amount = 7518.74 }`, `{ name = "本年收入合计", amount = 7500.00 }`}}},
	{"sum.split", diag.Error, nil, []edit{{final, `name = "人员经费合计", amount = 4367.13`, `name = "人员经费合计", amount = 4367.00`}}},
	{"sum.personnel", diag.Warning, nil, []edit{{budget, `total = 4990.17, personnel = 4467.48, public = 522.69`, `total = 4990.17, personnel = 4467.00, public = 523.17`}}},
	{"row.expenditure", diag.Error, nil, []edit{{budget, `name = "一般行政管理事务", total = 728.62, project = 728.62`, `name = "一般行政管理事务", total = 728.62, project = 728.52`}}},
	{"row.income", diag.Error, nil, []edit{{budget, `name = "一般行政管理事务", total = 728.62, gpb = 728.62`, `name = "一般行政管理事务", total = 728.62, gpb = 728.52`}}},
	{"row.final-income", diag.Error, nil, []edit{{final, `name = "一般行政管理事务", total = 728.62, fiscal = 728.62`, `name = "一般行政管理事务", total = 728.62, fiscal = 728.52`}}},
	{"row.fiscal", diag.Error, nil, []edit{{budget, `name = "一、社会保障和就业支出", total = 804.13, gpb = 804.13`, `name = "一、社会保障和就业支出", total = 804.13, gpb = 804.03`}}},
	{"row.basic", diag.Error, nil, []edit{{budget, `name = "基本工资", total = 893.49, personnel = 893.49`, `name = "基本工资", total = 893.49, personnel = 893.39`}}},
	{"row.sangong", diag.Error, nil, []edit{{budget, `{ name = "本年预算数", total = 4.30`, `{ name = "本年预算数", total = 4.40`}}},
	{"row.fund-final", diag.Error, nil, []edit{{final, `exp_total = 361.78, project = 361.78, closing = 279.46 },
]`, `exp_total = 361.78, project = 361.78, closing = 279.56 },
]`}}},
	{"change.amount", diag.Error,
		[]edit{{budget, `{ name = "公务接待费", amount = 4.20, change = 3.60`, `{ name = "公务接待费", amount = 4.20, previous = 0.60, change = 3.60`}},
		[]edit{{budget, `{ name = "公务接待费", amount = 4.20, change = 3.60`, `{ name = "公务接待费", amount = 4.20, previous = 0.70, change = 3.60`}}},
	{"change.table", diag.Error,
		[]edit{{budget, `name = "城乡社区支出", total = 5660.59, basic = 3627.62, project = 2032.97`, `name = "城乡社区支出", total = 5660.59, basic = 3627.62, project = 2032.97, prev_exec = 5600, change = 60.59`}},
		[]edit{{budget, `name = "城乡社区支出", total = 5660.59, basic = 3627.62, project = 2032.97`, `name = "城乡社区支出", total = 5660.59, basic = 3627.62, project = 2032.97, prev_exec = 5600, change = 60.00`}}},
	{"cross.summary", diag.Error, nil, []edit{{budget, `{ id = "total", name = "合计", total = 7518.74, gpb = 7023.14`, `{ id = "total", name = "合计", total = 7518.00, gpb = 7023.14`}}},
	{"cross.class", diag.Error, nil, []edit{{budget, `name = "一、社会保障和就业支出", amount = 804.13`, `name = "一、社会保障和就业支出", amount = 804.00`}}},
	{"cross.fiscal", diag.Error, nil, []edit{{budget, `name = "合计", total = 7023.14, basic = 4990.17, project = 2032.97`, `name = "合计", total = 7023.00, basic = 4990.17, project = 2032.97`}}},
	{"cross.basic", diag.Error, nil, []edit{{budget, `total = 4990.17, personnel = 4467.48, public = 522.69`, `total = 4990.00, personnel = 4467.31, public = 522.69`}}},
	{"cross.sangong-econ", diag.Error, nil, []edit{{budget, `name = "公务接待费", total = 4.20, public = 4.20`, `name = "公务接待费", total = 4.30, public = 4.30`}}},
	{"cross.sangong", diag.Error, nil, []edit{{budget, `{ name = "公务接待费", amount = 4.20, change = 3.60`, `{ name = "公务接待费", amount = 4.10, change = 3.60`}}},
	{"cross.running", diag.Error, nil, []edit{{budget, `name = "机关运行经费", amount = 522.69`, `name = "机关运行经费", amount = 522.79`}}},
	{"cross.running-table", diag.Error,
		[]edit{{budget, `vehicle_running = 0, reception = 4.20 }`, `vehicle_running = 0, reception = 4.20, running_costs = 522.69 }`}},
		[]edit{{budget, `vehicle_running = 0, reception = 4.20 }`, `vehicle_running = 0, reception = 4.20, running_costs = 522.00 }`}}},
	{"cross.text", diag.Error, nil, []edit{{budget, `{ name = "基本支出", amount = 4990.17`, `{ name = "基本支出", amount = 4990.00`}}},
	{"cross.procurement", diag.Error, nil, []edit{{budget, `{ name = "授予中小企业合同金额", amount = 403.14 }`, `{ name = "授予中小企业合同金额", amount = 999.99 }`}}},
	{"cross.performance", diag.Error, nil, []edit{{budget, `{ name = "涉及资金", amount = 2032.97 }`, `{ name = "涉及资金", amount = 9999 }`}}},
	{"cross.items", diag.Error, nil, []edit{{budget, `{ code = "30201", name = "办公费", amount = 108.10 }`, `{ code = "30201", name = "办公费", amount = 108.00 }`}}},
	{"year.tables", diag.Error, nil, []edit{{budget, `{ name = "上年预算数", total = 198.40, abroad = 0, vehicle = 197.80, vehicle_purchase = 181.90`, `{ name = "上年预算数", total = 198.50, abroad = 0, vehicle = 197.90, vehicle_purchase = 182.00`}}},
	{"year.list", diag.Error, nil, []edit{{budget, `name = "收入合计", amount = 7518.74, change = 129.11, change_pct = 1.75`, `name = "收入合计", amount = 7518.74, change = 130.11, change_pct = 1.76`}}},
	{"final.tables", diag.Error, nil, []edit{{final, `{ name = "预算数", total = 4.30, abroad = 0.10`, `{ name = "预算数", total = 4.40, abroad = 0.20`}}},
	{"final.class", diag.Error, nil, []edit{{final, `name = "社会保障和就业支出", initial = 804.13`, `name = "社会保障和就业支出", initial = 804.00`}}},
	{"final.list", diag.Error,
		[]edit{{final, `{ name = "基本支出", amount = 4880.58`, `{ name = "基本支出", budget = 4990.17, amount = 4880.58`}},
		[]edit{{final, `{ name = "基本支出", amount = 4880.58`, `{ name = "基本支出", budget = 4990.00, amount = 4880.58`}}},
	{"sum.items", diag.Error, nil, []edit{{budget, `name = "支出合计", amount = 7518.74`, `name = "支出合计", amount = 7518.00`}}},
	{"sum.tree", diag.Error, nil, []edit{{budget, `name = "城乡社区管理事务", total = 5266.45, basic = 3627.62, project = 1638.83`, `name = "城乡社区管理事务", total = 5265.62, basic = 3627.62, project = 1638.00`}}},
	{"sum.partial", diag.Error, nil, []edit{{budget, `{ name = "流动资产", amount = 673.90 }`, `{ name = "流动资产", amount = 1673.90 }`}}},
	{"sum.unitemised", diag.Note, nil, []edit{{budget, "  { name = \"其他资产\", amount = 264.50 },\n", ""}}},
	{"change.pct", diag.Error, nil, []edit{{budget, `change_pct = 1.75, reason = "新增信息化建设项目"`, `change_pct = 1.85, reason = "新增信息化建设项目"`}}},
	{"change.reason", diag.Warning, nil, []edit{{budget, `change_pct = -97.83, reason = "公用经费定额调整"`, `change_pct = -97.83`}}},
	{"change.base", diag.Warning, nil, []edit{{budget, "title = \"2024年支出预算\"\nbase = \"上年预算\"", "title = \"2024年支出预算\"\nbase = \"上年执行数\""}}},
	{"share.pct", diag.Error,
		[]edit{{budget, `{ name = "基本支出", amount = 4990.17`, `{ name = "基本支出", share = 66.37, amount = 4990.17`}},
		[]edit{{budget, `{ name = "基本支出", amount = 4990.17`, `{ name = "基本支出", share = 66.00, amount = 4990.17`}}},
	{"exec.rate", diag.Error,
		[]edit{{final, `{ name = "基本支出", amount = 4880.58`, `{ name = "基本支出", budget = 4990.17, exec_pct = 97.80, amount = 4880.58`}},
		[]edit{{final, `{ name = "基本支出", amount = 4880.58`, `{ name = "基本支出", budget = 4990.17, exec_pct = 97.00, amount = 4880.58`}}},
	{"performance.coverage", diag.Error, nil, []edit{{budget, `{ name = "覆盖率", pct = 100 }`, `{ name = "覆盖率", pct = 90 }`}}},
	// 299 is no 类: a mistyped code. 21201 is a listed 款 with 项 the
	// built-in catalogue does not hold: more likely a real one.
	{"code.known", diag.Warning,
		[]edit{{budget, `{ code = "2120104", name = "城管执法", total = 910.21, project`, `{ code = "2120198", name = "城管执法", total = 910.21, project`}},
		[]edit{{budget, `{ code = "2120104", name = "城管执法", total = 910.21, project`, `{ code = "2990104", name = "城管执法", total = 910.21, project`}}},
	{"code.unlisted", diag.Note, nil, []edit{{budget, `{ code = "2120104", name = "城管执法", total = 910.21, project`, `{ code = "2120198", name = "城管执法", total = 910.21, project`}}},
	{"code.name", diag.Warning, nil, []edit{{budget, `{ code = "2120104", name = "城管执法", total = 910.21, project`, `{ code = "2120104", name = "城市管理执法", total = 910.21, project`}}},
	{"code.parent", diag.Warning, nil, []edit{
		{budget, "  { code = \"2120104\", name = \"城管执法\", total = 910.21, project = 910.21 },\n", ""},
		{budget, "  { code = \"2120399\", name = \"其他城乡社区公共设施支出\", total = 33.50, project = 33.50 },\n", "  { code = \"2120399\", name = \"其他城乡社区公共设施支出\", total = 33.50, project = 33.50 },\n  { code = \"2120104\", name = \"城管执法\", total = 910.21, project = 910.21 },\n"},
	}},
	{"complete.tables", diag.Warning, nil, []edit{{budget, `kind = "budget_soe"`, `kind = "list"`}}},
	{"complete.empty", diag.Warning, nil, []edit{{budget, "note = \"注：本部门2024年无国有资本经营预算财政拨款安排的支出，故本表为空表。\"\n", ""}}},
	{"complete.topics", diag.Warning, nil, []edit{{"2024/budget/01-overview.md", "## 一、主要职责", "## 一、概述"}}},
	{"year.title", diag.Warning, nil, []edit{{budget, `title = "2024年支出预算"`, `title = "2023年支出预算"`}}},
	{"year.title", diag.Warning, nil, []edit{{"2024/budget/01-overview.md", "title = \"第一部分 示例市城市管理局概况\"", "title = \"第一部分 示例市城市管理局2023年度概况\""}}},
	{"year.title", diag.Warning, nil, []edit{{budget, "published = 2024-03-05", "published = 2023-03-05"}}},
	{"year.text", diag.Warning,
		[]edit{{"2024/budget/03-explanation.md", "", "\n比2023年预算增加，较2024年初略有调整；2019—2024年持续下降；较2018年至2023年的平均数增加；与2022年12月31日相比略增。\n"}},
		[]edit{{"2024/budget/03-explanation.md", "", "\n收入比2022年度预算增加。\n"}}},
	{"year.title", diag.Warning, nil, []edit{{final, "approved = 2025-02-14", "approved = 2024-12-30"}}},
	// The fixture publishes 20 days after approval (2024-02-14 to 03-05,
	// a leap year): the last day allowed.
	{"date.publish", diag.Warning, nil, []edit{{budget, "published = 2024-03-05", "published = 2024-03-06"}}},
	{"date.publish", diag.Warning, nil, []edit{{budget, "published = 2024-03-05", "published = 2024-02-13"}}},
	{"placeholder.text", diag.Warning, nil, []edit{{"2024/budget/03-explanation.md", "", "\n本部门XX年度预算待填写。\n"}}},
	{"prose.amount", diag.Warning,
		[]edit{{"2024/budget/03-explanation.md", "", "\n截至上年末资产总额1295.20万元，基本支出占66.37%。\n"}},
		[]edit{{"2024/budget/03-explanation.md", "", "\n截至上年末资产总额1295.30万元，基本支出占66.37%。\n"}}},
	// A comma off its place is a typo shown, not an amount passed over.
	{"prose.amount", diag.Warning,
		[]edit{{"2024/budget/03-explanation.md", "", "\n截至上年末资产总额1,295.20万元。\n"}},
		[]edit{{"2024/budget/03-explanation.md", "", "\n截至上年末资产总额12,95.20万元。\n"}}},
	{"prose.direction", diag.Error,
		[]edit{{"2024/budget/03-explanation.md", "", "\n收入增加{{增减额 收入.合计}}，增长了{{增减率 收入.合计}}；基本支出减少 {{增减额 支出.基本支出}}；“三公”经费{{增减额 三公.合计}}。\n"}},
		[]edit{{"2024/budget/03-explanation.md", "", "\n收入减少{{增减额 收入.合计}}。\n"}}},
	{"prose.direction", diag.Error, nil, []edit{{"2024/budget/03-explanation.md", "", "\n基本支出增长了 {{增减率 支出.基本支出}}。\n"}}},
	// Typed, not referenced: 收入合计 grew by 129.11 (1.75%), 基本支出 fell by 88.54 (1.74%).
	{"prose.direction", diag.Error,
		[]edit{{"2024/budget/03-explanation.md", "", "\n收入增加129.11万元，增长1.75%；基本支出减少88.54万元，增加额为{{增减额 收入.合计}}。\n"}},
		[]edit{{"2024/budget/03-explanation.md", "", "\n收入减少129.11万元。\n"}}},
	{"prose.direction", diag.Error, nil, []edit{{"2024/budget/03-explanation.md", "", "\n基本支出增长1.74%。\n"}}},
	// A rate typed to fewer places is that rate: 1.7% of a fall of 1.74%.
	{"prose.direction", diag.Error, nil, []edit{{"2024/budget/03-explanation.md", "", "\n基本支出增长1.7%。\n"}}},
	{"prose.direction", diag.Error, nil, []edit{{"2024/budget/03-explanation.md", "", "\n收入减少额为{{增减额 收入.合计}}。\n"}}},
}

// TestRules runs every rule on a fixture it passes and one it fails.
func TestRules(t *testing.T) {
	for _, c := range ruleCases {
		t.Run(c.rule, func(t *testing.T) {
			for _, d := range checkSite(t, demo(t, c.pass...)) {
				if d.Rule == c.rule {
					t.Errorf("passing fixture: %s", d)
				}
			}
			found := false
			for _, d := range checkSite(t, demo(t, c.fail...)) {
				if d.Rule == c.rule {
					found = true
					t.Log(d)
					if d.Severity != c.sev {
						t.Errorf("severity %s, want %s: %s", d.Severity, c.sev, d)
					}
					if d.Disclosure == "" || d.File == "" {
						t.Errorf("finding without its disclosure or file: %+v", d)
					}
				}
			}
			if !found {
				t.Errorf("failing fixture: no %s finding", c.rule)
			}
		})
	}
}

// TestEveryRuleTested: each rule has its pair of fixtures in ruleCases.
func TestEveryRuleTested(t *testing.T) {
	site, _ := content.Load(os.DirFS("../.."))
	c, _ := check.New(nil, site)
	for _, r := range c.Rules() {
		if !slices.ContainsFunc(ruleCases, func(x struct {
			rule       string
			sev        diag.Severity
			pass, fail []edit
		}) bool {
			return x.rule == r.ID
		}) {
			t.Errorf("rule %s has no test case", r.ID)
		}
	}
}

// FuzzCheck: whatever figures and narrative a disclosure holds, once it
// loads, the checker neither panics nor reports a finding without a file.
func FuzzCheck(f *testing.F) {
	data, err := os.ReadFile("../../content/panjin-zhcs/2020/budget/data.toml")
	if err != nil {
		f.Fatal(err)
	}
	section, err := os.ReadFile("../../content/panjin-zhcs/2020/budget/03-explanation.md")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data, section)
	f.Add([]byte("unit = \"元\"\n[[table]]\nkind = \"budget_sangong\"\nrows = [{ name = \"预算数\", total = 1, reception = 2 }]\n"), []byte("# 三公\n\n共XX万元，1.5%。{{三公表.预算数}}\n"))
	f.Fuzz(func(t *testing.T, data, section []byte) {
		fsys := fstest.MapFS{
			"content/site.toml":               {Data: []byte("title = \"t\"\n")},
			"content/b/body.toml":             {Data: []byte("name = \"单位\"\ntype = \"行政\"\n")},
			"content/b/2020/budget/data.toml": {Data: data},
			"content/b/2020/budget/01.md":     {Data: append([]byte("# 说明\n"), section...)},
			"content/b/2021/budget/data.toml": {Data: data},
			"content/b/2020/final/data.toml":  {Data: data},
		}
		site, diags := content.Load(fsys)
		if site == nil || diags.HasErrors() {
			return
		}
		c, cd := check.New(fsys, site)
		if cd.HasErrors() {
			t.Fatal(cd)
		}
		for _, d := range c.Check(site) {
			if d.File == "" || d.Rule == "" || d.Message == "" {
				t.Fatalf("incomplete finding %+v", d)
			}
		}
	})
}

// TestUnitHint: a year whose unit says 元 while its figures are in 万元
// differs from last year by about ten thousand times, and year.list says
// why it may be.
func TestUnitHint(t *testing.T) {
	found := false
	for _, d := range checkSite(t, demo(t, edit{budget, `unit = "万元"`, `unit = "元"`})) {
		if d.Rule == "year.list" {
			found = true
			if !strings.Contains(d.Message, "两个数字相差约一万倍：本文件的 unit 是“元”，上年的是“万元”") {
				t.Errorf("no unit hint: %s", d)
			}
		}
	}
	if !found {
		t.Fatal("no year.list finding")
	}
}

// TestCompleteLines: the missing tables are reported at the last table,
// after which they go, or at the top of a data.toml with none; the missing
// parts of the text at the top of its first file.
func TestCompleteLines(t *testing.T) {
	type at struct {
		file      string
		line, col int
	}
	const data, text = "content/b/2020/budget/data.toml", "content/b/2020/budget/01-overview.md"
	for _, tt := range []struct {
		data, text     string
		tables, topics at
	}{
		{"unit = \"万元\"\n", "", at{data, 1, 1}, at{data, 1, 1}},
		{"unit = \"万元\"\n\n[[table]]\nkind = \"budget_sangong\"\nrows = [{ name = \"预算数\", total = 1 }]\n\n  [[table]]\nkind = \"sangong_list\"\nrows = [{ id = \"total\", amount = 1 }]\n",
			"+++\ntitle = \"概况\"\n+++\n\n本部门概况。\n", at{data, 7, 3}, at{text, 1, 1}},
	} {
		fsys := fstest.MapFS{
			"content/site.toml":   {Data: []byte("title = \"t\"\n")},
			"content/b/body.toml": {Data: []byte("name = \"单位\"\n")},
			data:                  {Data: []byte(tt.data)},
		}
		if tt.text != "" {
			fsys[text] = &fstest.MapFile{Data: []byte(tt.text)}
		}
		found := map[string]at{}
		for _, d := range checkSite(t, fsys) {
			found[d.Rule] = at{d.File, d.Line, d.Col}
		}
		for rule, want := range map[string]at{"complete.tables": tt.tables, "complete.topics": tt.topics} {
			if got, ok := found[rule]; !ok || got != want {
				t.Errorf("%q: %s at %v (found: %t), want %v", tt.data, rule, got, ok, want)
			}
		}
	}
}
