package content

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
)

// site returns a minimal valid site with one disclosure; files override or
// add entries.
func site(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"content/site.toml":                  {Data: []byte("title = \"测试站\"\n")},
		"content/demo/body.toml":             {Data: []byte("name = \"示例局\"\n")},
		"content/demo/2020/budget/data.toml": {Data: []byte(okData)},
		"content/demo/2020/budget/01-a.md":   {Data: []byte("+++\ntitle = \"说明\"\n+++\n正文\n")},
		"content/glossary.toml":              {Data: []byte("[[term]]\nterm = \"基本支出\"\ndefinition = \"指……\"\n")},
	}
	for name, data := range files {
		if data == "" {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

const okData = `unit = "万元"
[[table]]
kind = "sangong_list"
rows = [
  { id = "total", amount = 5, change = -4, change_pct = -44.44 },
  { name = "公务接待费", amount = 0 },
]
`

func TestLoadValid(t *testing.T) {
	s, diags := Load(site(nil))
	if diags.HasErrors() {
		t.Fatalf("unexpected errors:\n%v", diags.Err())
	}
	if len(s.Bodies) != 1 || len(s.Bodies[0].Disclosures) != 1 {
		t.Fatalf("bodies = %d", len(s.Bodies))
	}
	d := s.Bodies[0].Disclosures[0]
	if d.Year != 2020 || d.Kind != fiscal.Budget || d.Unit != fiscal.Wanyuan || d.Scope != fiscal.Department {
		t.Errorf("disclosure = %d %v %v %v", d.Year, d.Kind, d.Unit, d.Scope)
	}
	tab := d.Table("三公")
	if tab == nil {
		t.Fatal("table 三公 not found by its default reference name")
	}
	total, err := tab.Row("合计")
	if err != nil {
		t.Fatal(err)
	}
	if c := total.Cell("amount"); c == nil || c.Fig.Fen != 5_000_000 || c.Source.Line != 5 {
		t.Errorf("total amount cell = %+v", c)
	}
	if r, _ := tab.Row("公务接待费"); r == nil || r.Known == nil || r.Known.ID != "reception" {
		t.Errorf("公务接待费 not recognised as a known row: %+v", r)
	}
	if len(d.Sections) != 1 || d.Sections[0].Title != "说明" || d.Sections[0].Line != 4 {
		t.Errorf("sections = %+v", d.Sections)
	}
}

// TestBadInput checks that each kind of bad input is reported with the
// file, line and column, in words an editor understands.
func TestBadInput(t *testing.T) {
	data := "content/demo/2020/budget/data.toml"
	tests := []struct {
		name  string
		files map[string]string
		want  []string // each must appear in one error "file:line:col: 错误: …"
	}{
		{"unknown key appended", map[string]string{data: okData + "amout = 1\n"},
			[]string{data + ":8:1: 错误: 未知的键 amout"}},
		{"unknown key in a row, with suggestion", map[string]string{data: strings.Replace(okData, "amount = 0", "amuont = 0", 1)},
			[]string{data + ":6:21: 错误: 未知的键 amuont（表 三公 第 2 行），是否想写 amount？"}},
		{"TOML syntax error", map[string]string{data: "unit = \"万元\"\nrows = [ { a = 1 \n"},
			[]string{data + ":2:", "TOML 格式错误"}},
		{"amount with three decimals", map[string]string{data: strings.Replace(okData, "amount = 5", "amount = 5.125", 1)},
			[]string{data + ":5:28: 错误: 表 三公 第 1 行 的 amount（金额）：金额 5.125 的小数位数过多，单位为万元时最多 2 位小数"}},
		{"thousands separator out of place", map[string]string{data: strings.Replace(okData, "amount = 5", `amount = "16,77"`, 1)},
			[]string{data + ":5:28: 错误: 表 三公 第 1 行 的 amount（金额）：金额 16,77 的千位分隔符位置不对"}},
		{"wrong type", map[string]string{data: strings.Replace(okData, "amount = 5", "amount = true", 1)},
			[]string{data + ":5:28: 错误: amount（金额）的 表 三公 第 1 行 应为数字"}},
		{"missing unit", map[string]string{data: strings.Replace(okData, "unit = \"万元\"\n", "", 1)},
			[]string{data + ":1:1: 错误: 缺少必填的键 unit"}},
		{"unknown table kind", map[string]string{data: strings.Replace(okData, "sangong_list", "sangong_lst", 1)},
			[]string{data + ":3:8: 错误: 未知的表格种类 \"sangong_lst\"，是否想写 \"sangong_list\"？可用的种类："}},
		{"a Word document renamed data.toml", map[string]string{data: "PK\x03\x04\x14\x00\x06\x00word/document.xml"},
			[]string{data + ":1:1: 错误: 这是 Word、WPS 或 Excel 文档，不是纯文本文件"}},
		{"several errors in one run", map[string]string{data: strings.Replace(strings.Replace(okData, "amount = 5", "amount = 5.125", 1), "amount = 0", "amuont = 0", 1) + "x = 1\n"},
			[]string{data + ":5:28:", data + ":6:21:", data + ":8:1: 错误: 未知的键 x（第 1 张表）"}},
		{"GBK file", map[string]string{data: "unit = \"\xcd\xf2\xd4\xaa\"\n"},
			[]string{data + ":1:9: 错误: 文件不是 UTF-8 编码"}},
		{"UTF-16 file", map[string]string{data: "\xff\xfeu\x00n\x00"},
			[]string{data + ":1:1: 错误: 文件是 UTF-16 编码"}},
		{"duplicate code", map[string]string{data: "unit = \"元\"\n[[table]]\nkind = \"running_list\"\nrows = [\n  { code = \"30201\", name = \"办公费\", amount = 1 },\n  { code = \"30201\", name = \"办公费\", amount = 2 },\n]\n"},
			[]string{data + ":6:3: 错误: 表 机关运行经费 中编码 30201 出现两次"}},
		{"duplicate key", map[string]string{data: okData + "kind = \"list\"\n"},
			[]string{data + ":8:1: 错误: 键 kind 重复：第一次写在第 3 行"}},
		{"missing data.toml", map[string]string{data: ""},
			[]string{"content/demo/2020/budget: 错误: 文件夹 content/demo/2020/budget 中缺少 data.toml"}},
		{"bad folder slug", map[string]string{"content/Demo Dept/body.toml": "name = \"x\"\n"},
			[]string{"content/Demo Dept: 错误: 文件夹名 \"Demo Dept\""}},
		{"section without title", map[string]string{"content/demo/2020/budget/01-a.md": "正文\n"},
			[]string{"content/demo/2020/budget/01-a.md:1:1: 错误: 这一节没有标题"}},
		{"empty section", map[string]string{"content/demo/2020/budget/01-a.md": "\n"},
			[]string{"content/demo/2020/budget/01-a.md:1:1: 错误: 文件是空的。这一节没有标题"}},
		{"bad front matter key", map[string]string{"content/demo/2020/budget/01-a.md": "+++\ntitle = \"说明\"\nwieght = 1\n+++\n"},
			[]string{"content/demo/2020/budget/01-a.md:3:1: 错误: 未知的键 wieght（文件开头的设置），是否想写 weight？"}},
		{"bad scope", map[string]string{data: "scope = \"局\"\n" + okData},
			[]string{data + ":1:9: 错误: scope 应为"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Load(site(tt.files))
			if !diags.HasErrors() {
				t.Fatal("no error reported")
			}
			all := diagText(diags)
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("want %q in:\n%s", w, all)
				}
			}
		})
	}
}

func diagText(l diag.List) string {
	var b strings.Builder
	for _, d := range l {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestCodesAndLevels(t *testing.T) {
	data := `unit = "元"
[[table]]
kind = "list"
id = "功能"
rows = [
  { code = "201", name = "一般公共服务支出", amount = "2,840.51" },
  { code = "201 06", name = "财政事务", amount = 2840.51 },
  { code = "201-06-01", name = "行政运行", amount = 446.51 },
  { name = "合计", role = "total", amount = 2840.51 },
]
`
	s, diags := Load(site(map[string]string{"content/demo/2020/budget/data.toml": data}))
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	rows := s.Bodies[0].Disclosures[0].Tables[0].Parts[0].Rows
	want := []struct {
		code   string
		level  int
		parent string
	}{{"201", 0, ""}, {"20106", 1, "201"}, {"2010601", 2, "20106"}, {"", 0, ""}}
	for i, w := range want {
		r := rows[i]
		parent := ""
		if r.Parent != nil {
			parent = r.Parent.Code
		}
		if r.Code != w.code || r.Level != w.level || parent != w.parent {
			t.Errorf("row %d = code %q level %d parent %q, want %+v", i, r.Code, r.Level, parent, w)
		}
	}
	if f := rows[0].Cell("amount").Fig; f.Fen != 284051 {
		t.Errorf("\"2,840.51\" = %d 分", f.Fen)
	}
}

// FuzzDataTOML checks that no data.toml, however broken, makes loading
// panic, and that every error it reports names a line of the file.
func FuzzDataTOML(f *testing.F) {
	for _, s := range []string{okData, "unit = 1", "[[table]]\nkind = \"org\"\nrows = [{name=\"x\", staff=\"a\"}]", "unit=\"元\"\n[[table]]\nkind=\"list\"\nrows=[{code=\"2x\"}]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		_, diags := Load(site(map[string]string{"content/demo/2020/budget/data.toml": data}))
		lines := strings.Count(data, "\n") + 1
		for _, d := range diags {
			if d.File == "content/demo/2020/budget/data.toml" && d.Line > lines {
				t.Fatalf("%v: line beyond the file's %d lines", d, lines)
			}
		}
	})
}

// FuzzSection checks the front-matter splitter on any input.
func FuzzSection(f *testing.F) {
	for _, s := range []string{"+++\ntitle = \"a\"\n+++\nbody", "+++\n", "# 标题\n正文", "+++\r\ntitle='x'\r\n+++\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		var diags diag.List
		s := parseSection("a.md", []byte(data), &diags)
		if s != nil && (s.Line < 1 || len(s.Markdown) > len(data)) {
			t.Fatalf("section %+v from %q", s, data)
		}
	})
}

// TestLoaderReloadsWhatChanged: a Loader told of a change reads again only
// the part it belongs to and otherwise gives what Load gives.
func TestLoaderReloadsWhatChanged(t *testing.T) {
	fsys := site(map[string]string{
		"content/other/body.toml":             "name = \"另一局\"\n",
		"content/other/2020/budget/data.toml": okData,
	})
	l := NewLoader(fsys)
	first, diags := l.Load()
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	demo, other := first.Bodies[0], first.Bodies[1]
	digest := l.Digest("content/demo/2020/budget")

	fsys["content/demo/2020/budget/01-a.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"说明\"\n+++\n改过的正文\n")}
	l.Changed("content/demo/2020/budget/01-a.md", "content/README.md", "layouts/home.html")
	second, diags := l.Load()
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if second.Bodies[1] != other {
		t.Error("an unchanged body was read again")
	}
	if second.Bodies[0] == demo || string(second.Bodies[0].Disclosures[0].Sections[0].Markdown) != "改过的正文\n" {
		t.Error("the changed body was not read again")
	}
	if l.Digest("content/demo/2020/budget") == digest || l.Digest("content/demo") != l.Digest("content/demo") {
		t.Error("the disclosure folder's digest did not change")
	}
	if l.Digest("content/other/2020/budget") == (Digest{}) {
		t.Error("no digest for a folder that was read")
	}

	// A file of content/catalog that the catalogue does not read
	// (checks.toml) keeps the catalogue and the bodies; one it reads, with
	// other bytes, reloads both.
	fsys["content/catalog/checks.toml"] = &fstest.MapFile{Data: []byte("# 规则\n")}
	l.Changed("content/catalog/checks.toml")
	kept, diags := l.Load()
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if kept.Bodies[1] != other || kept.Catalog != second.Catalog {
		t.Error("a file the catalogue does not read reloaded the catalogue or the bodies")
	}
	fsys["content/catalog/classification.toml"] = &fstest.MapFile{Data: []byte("# 没有新增科目\n")}
	l.Changed("content/catalog/classification.toml")
	if reread, diags := l.Load(); diags.HasErrors() {
		t.Fatal(diags.Err())
	} else if reread.Bodies[1] == other || reread.Classification == second.Classification {
		t.Error("a changed catalogue file did not reload the catalogue and the bodies")
	}

	// A removed body disappears; a broken file is reported as Load does.
	delete(fsys, "content/other/body.toml")
	delete(fsys, "content/other/2020/budget/data.toml")
	fsys["content/glossary.toml"] = &fstest.MapFile{Data: []byte("[[term]]\nterm = 1\n")}
	l.Changed("content/other", "content/glossary.toml")
	third, diags := l.Load()
	want, wantDiags := Load(fsys)
	if diagText(diags) != diagText(wantDiags) || !diags.HasErrors() {
		t.Errorf("diagnostics:\n%s\nwant\n%s", diagText(diags), diagText(wantDiags))
	}
	if len(third.Bodies) != len(want.Bodies) || len(third.Bodies) != 1 {
		t.Errorf("bodies = %d, want %d", len(third.Bodies), len(want.Bodies))
	}
}

// TestEditorsGuideListsEveryKind keeps content/README.md in step with the
// built-in catalogue: every table kind is documented for editors.
func TestEditorsGuideListsEveryKind(t *testing.T) {
	guide, err := os.ReadFile("../../content/README.md")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := Load(site(nil))
	for _, k := range s.Catalog.Kinds {
		if !strings.Contains(string(guide), "`"+k.ID+"`") {
			t.Errorf("content/README.md does not document table kind %s", k.ID)
		}
	}
}

// TestNamesRead: which names in a site's folders are content. Names that
// start with a dot are editors' and systems' own files (an Emacs lock is a
// dangling link, a macOS ._ file is binary); .MD is Markdown; a folder
// linked in is read like a file linked in.
func TestNamesRead(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, site(map[string]string{
		"content/demo/2020/budget/02-b.MD":    "+++\ntitle = \"大写扩展名\"\n+++\n正文\n",
		"content/demo/2020/budget/._01-a.md":  "\x00\x05\x16\x07",
		"content/demo/2020/budget/.hidden.md": "+++\ntitle = \"隐藏\"\n+++\n",
		"content/demo/.git/config":            "x",
		"elsewhere/budget/data.toml":          okData,
	})); err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct{ target, link string }{
		{"root@host.1234:1700000000", "content/demo/2020/budget/.#01-a.md"},
		{"../../elsewhere", "content/demo/2021"},
	} {
		if err := os.Symlink(l.target, dir+"/"+l.link); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	s, diags := Load(os.DirFS(dir))
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%v", diags)
	}
	ds := s.Bodies[0].Disclosures
	if len(ds) != 2 || ds[1].Year != 2021 {
		t.Fatalf("disclosures = %d, want 2020 and the linked 2021", len(ds))
	}
	var titles []string
	for _, sec := range ds[0].Sections {
		titles = append(titles, sec.Title)
	}
	if strings.Join(titles, ",") != "说明,大写扩展名" {
		t.Errorf("sections = %q", titles)
	}
}

// TestDuplicateSectionID: two sections of a disclosure with one id (a file
// copied whole) are warned of at the second id; the build goes on.
func TestDuplicateSectionID(t *testing.T) {
	fsys := site(map[string]string{
		"content/demo/2020/budget/01-a.md": "+++\ntitle = \"概况\"\nid = \"overview\"\n+++\n\n正文\n",
		"content/demo/2020/budget/02-b.md": "+++\ntitle = \"其他\"\nid = \"overview\"\n+++\n\n正文\n",
	})
	_, diags := Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	const want = "content/demo/2020/budget/02-b.md:3:6: 警告: id = \"overview\" 已用于 01-a.md"
	if got := fmt.Sprint(diags); !strings.Contains(got, want) {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestBlankCells: "" is a blank cell in any figure column, as the guide
// says, not a number that is not one.
func TestBlankCells(t *testing.T) {
	fsys := site(map[string]string{"content/demo/2020/budget/data.toml": strings.Replace(okData,
		"{ name = \"公务接待费\", amount = 0 }", "{ name = \"公务接待费\", amount = \"\", change = \"\", change_pct = \"\" }", 1)})
	s, diags := Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	r, err := s.Bodies[0].Disclosures[0].Tables[0].Row("公务接待费")
	if err != nil || len(r.Cells) != 0 {
		t.Errorf("row %+v, %v: want no cells", r, err)
	}
}
