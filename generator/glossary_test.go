package generator_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose"
	"github.com/disclose/disclose/generator"
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/publish"
	"github.com/disclose/disclose/generator/render"
)

// mark is a marked glossary term found in a page.
type mark struct {
	text, href, id, describedBy string
	section                     string   // aria-labelledby of the enclosing section
	open                        []string // elements it sits in
}

var (
	tagRE  = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>`)
	attrRE = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
)

var voidElements = map[string]bool{"meta": true, "link": true, "br": true, "img": true, "input": true, "hr": true, "wbr": true}

// scanMarks walks the tags of page, a page disclose wrote (well-formed), and
// returns its glossary marks with the elements each sits in, and every id.
func scanMarks(t *testing.T, page string) (marks []mark, ids map[string]int) {
	t.Helper()
	ids = map[string]int{}
	var stack []string
	var sections []string
	for _, m := range tagRE.FindAllStringSubmatchIndex(page, -1) {
		closing, name, attrs := page[m[2]:m[3]] == "/", strings.ToLower(page[m[4]:m[5]]), page[m[6]:m[7]]
		a := map[string]string{}
		for _, kv := range attrRE.FindAllStringSubmatch(attrs, -1) {
			a[kv[1]] = kv[2]
		}
		if closing {
			if len(stack) == 0 || stack[len(stack)-1] != name {
				t.Fatalf("unbalanced </%s> after %v", name, stack)
			}
			stack = stack[:len(stack)-1]
			if name == "section" {
				sections = sections[:len(sections)-1]
			}
			continue
		}
		if id, ok := a["id"]; ok {
			ids[id]++
		}
		if name == "a" && a["class"] == "gl-term" {
			end := strings.Index(page[m[1]:], "</a>")
			sec := ""
			if len(sections) > 0 {
				sec = sections[len(sections)-1]
			}
			marks = append(marks, mark{text: page[m[1] : m[1]+end], href: a["href"], id: a["id"],
				describedBy: a["aria-describedby"], section: sec, open: slices.Clone(stack)})
		}
		if voidElements[name] || strings.HasSuffix(attrs, "/") {
			continue
		}
		stack = append(stack, name)
		if name == "section" {
			sections = append(sections, a["aria-labelledby"])
		}
	}
	return marks, ids
}

// TestExampleMarksTerms is must-show 1 of issue 6: on the 盘锦 2020 page,
// 财政拨款收入, 基本支出, 项目支出, 机关运行经费 and “三公”经费 are marked in
// the narrative, the first occurrence in each section, none inside a
// heading or a link; each mark's link and description land on the page.
func TestExampleMarksTerms(t *testing.T) {
	sink, _ := buildExample(t)
	page := string(sink.Files["panjin-zhcs/2020/budget/index.html"])
	marks, ids := scanMarks(t, page)
	var got []string
	for _, m := range marks {
		got = append(got, m.section+":"+m.text)
		for _, e := range m.open {
			if e == "a" || len(e) == 2 && e[0] == 'h' && e[1] >= '1' && e[1] <= '6' {
				t.Errorf("mark %q inside <%s> (in %v)", m.text, e, m.open)
			}
		}
		target, err := url.PathUnescape(strings.TrimPrefix(m.href, "#"))
		if err != nil || !strings.HasPrefix(m.href, "#") || ids[target] != 1 {
			t.Errorf("mark %q links to %q, which is not one element of the page", m.text, m.href)
		}
		if ids[m.describedBy] != 1 || !strings.HasSuffix(m.describedBy, "-def") {
			t.Errorf("mark %q is described by %q, which is not one element of the page", m.text, m.describedBy)
		}
	}
	// The seed's narrative mentions 其他收入 too; every term once in the
	// section 第三部分 although 基本支出 and 项目支出 recur there.
	want := []string{"explanation:财政拨款收入", "explanation:其他收入", "explanation:基本支出", "explanation:项目支出",
		"explanation:“三公”经费", "explanation:机关运行经费"}
	if !slices.Equal(got, want) {
		t.Errorf("marked %q\nwant   %q", got, want)
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q appears %d times", id, n)
		}
	}
	// The headings that name terms stay plain.
	for _, h := range []string{`<h3 id="二三公经费预算安排使用情况说明">二、“三公”经费预算安排使用情况说明</h3>`,
		`<h3 id="三机关运行经费预算安排使用情况说明">三、机关运行经费预算安排使用情况说明</h3>`} {
		if !strings.Contains(page, h) {
			t.Errorf("page lacks the plain heading %s", h)
		}
	}
	// The marks point at the document's own 名词解释 list, so the page has
	// no second list.
	if strings.Contains(page, "本页名词解释") {
		t.Error("the page repeats its 名词解释 under 本页名词解释")
	}
	// The script is published under its content hash, with its integrity.
	if m := regexp.MustCompile(`<script src="/(static/js/glossary\.[0-9a-f]{8}\.js)" defer integrity="sha384-[^"]+"></script>`).FindStringSubmatch(page); m == nil || sink.Files[m[1]] == nil {
		t.Error("the page does not load static/js/glossary.js")
	}
	if strings.Contains(string(sink.Files["index.html"]), "glossary.js") {
		t.Error("the home page, which marks nothing, loads glossary.js")
	}
}

// TestExampleGlossaryPage is must-show 4 of issue 6: the glossary page lists
// the seed's 19 terms, each with its anchor, definition and back-links whose
// anchors exist on the disclosure page.
func TestExampleGlossaryPage(t *testing.T) {
	sink, res := buildExample(t)
	page := string(sink.Files["glossary/index.html"])
	disclosure := string(sink.Files["panjin-zhcs/2020/budget/index.html"])
	_, disclosureIDs := scanMarks(t, disclosure)
	_, pageIDs := scanMarks(t, page)
	terms := regexp.MustCompile(`(?s)<div class="term" id="([^"]+)">\s*<dt><dfn>([^<]+)</dfn></dt>(.*?)</dd>\s*</div>`).FindAllStringSubmatch(page, -1)
	if len(terms) != 19 {
		t.Fatalf("glossary page has %d terms, want the seed's 19", len(terms))
	}
	backLink := regexp.MustCompile(`href="/panjin-zhcs/2020/budget/#([^"]+)"`)
	for _, m := range terms {
		id, name, body := m[1], m[2], m[3]
		if pageIDs[id] != 1 {
			t.Errorf("%s: anchor %q is not unique on the glossary page", name, id)
		}
		if !strings.Contains(body, `<p id="`+id+`-def">`) {
			t.Errorf("%s: no definition", name)
		}
		links := backLink.FindAllStringSubmatch(body, -1)
		if len(links) == 0 {
			t.Errorf("%s: no back-link to the 2020 budget", name)
		}
		for _, l := range links {
			frag, _ := url.PathUnescape(l[1])
			if disclosureIDs[frag] != 1 {
				t.Errorf("%s: back-link #%s has no anchor on the disclosure page", name, frag)
			}
		}
	}
	// Marked terms link to their mark; listed-only ones to the list entry.
	for _, want := range []string{
		`#use-` + url.PathEscape("基本支出"), `#term-` + url.PathEscape("住房保障类住房改革款住房公积金项"),
		"又称：三公经费、&#34;三公&#34;经费", "科目编码：2010601",
	} {
		if !strings.Contains(strings.ToLower(page), strings.ToLower(want)) {
			t.Errorf("glossary page lacks %s", want)
		}
	}
	// The seed defines every term once and uses each: no warning.
	if n := res.Diagnostics.Count(diag.Warning); n != 0 {
		t.Errorf("the example builds with %d warnings: %v", n, res.Diagnostics)
	}
}

// glossarySite is a small site for the glossary's edge cases.
func glossarySite(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"content/site.toml":      {Data: []byte("title = \"t\"\n")},
		"content/demo/body.toml": {Data: []byte("name = \"示例局\"\nexample = true\n")},
		"content/demo/2020/budget/data.toml": {Data: []byte("unit = \"万元\"\n" +
			"[[table]]\nkind = \"expenditure_list\"\nrows = [{ id = \"total\", amount = 10 }, { name = \"基本支出\", amount = 4 }, { name = \"项目支出\", amount = 6 }]\n")},
		"content/demo/2020/budget/01.md": {Data: []byte("+++\ntitle = \"说明\"\n+++\n\n基本支出{{支出.基本支出}}，项目支出{{支出.项目支出}}。\n")},
		"content/glossary.toml": {Data: []byte("[[term]]\nterm = \"基本支出\"\ndefinition = \"站点的解释。\"\n\n" +
			"[[term]]\nterm = \"项目支出\"\ndefinition = \"项目的解释。\"\n")},
	}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func build(t *testing.T, fsys fstest.MapFS) (*publish.MapSink, generator.Result, error) {
	t.Helper()
	sink := publish.NewMapSink()
	res, err := generator.Build(context.Background(), generator.Config{Site: fsys, Theme: disclose.Theme(), Sink: sink})
	return sink, res, err
}

// TestPageTermsList: a page without its own 名词解释 list gets 本页名词解释,
// holding the terms it marks, with the page's own definitions where it has
// them.
func TestPageTermsList(t *testing.T) {
	sink, _, err := build(t, glossarySite(map[string]string{
		"content/demo/2020/budget/data.toml": "unit = \"万元\"\n" +
			"[[glossary]]\nterm = \"项目支出\"\ndefinition = \"本文件自己的解释。\"\n" +
			"[[table]]\nkind = \"expenditure_list\"\nrows = [{ id = \"total\", amount = 10 }, { name = \"基本支出\", amount = 4 }, { name = \"项目支出\", amount = 6 }]\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	page := string(sink.Files["demo/2020/budget/index.html"])
	for _, want := range []string{
		`<h2 id="page-terms">本页名词解释</h2>`,
		`<div class="term" id="term-基本支出">` + "\n" + `<dt><dfn>基本支出</dfn></dt>` + "\n" +
			`<dd><span id="term-基本支出-def">站点的解释。</span> <a class="gl-more" href="/glossary/#term-%e5%9f%ba%e6%9c%ac%e6%94%af%e5%87%ba">名词解释页</a></dd>`,
		`<span id="term-项目支出-def">本文件自己的解释。</span>`,
		`<li><a href="#page-terms">本页名词解释</a></li>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	_, ids := scanMarks(t, page)
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q appears %d times", id, n)
		}
	}
	// The glossary page keeps the site's definition and links back.
	g := string(sink.Files["glossary/index.html"])
	if !strings.Contains(g, "项目的解释。") || !strings.Contains(g, `href="/demo/2020/budget/#use-`) {
		t.Errorf("glossary page:\n%s", g)
	}
}

// TestGlossaryWarnings: terms defined twice and terms no page uses are
// warnings with file:line; the build still succeeds.
func TestGlossaryWarnings(t *testing.T) {
	sink, res, err := build(t, glossarySite(map[string]string{
		"content/glossary.toml": "[[term]]\nterm = \"基本支出\"\ndefinition = \"一。\"\n\n" +
			"[[term]]\nterm = \"项目支出\"\ndefinition = \"二。\"\n\n" +
			"[[term]]\nterm = \"基本支出\"\ndefinition = \"重复。\"\n\n" +
			"[[term]]\nterm = \"专项支出\"\naliases = [\"项目支出\"]\ndefinition = \"别名重复。\"\n\n" +
			"[[term]]\nterm = \"从未用到\"\ndefinition = \"无。\"\n\n" +
			"[[term]]\nterm = \"行政运行\"\ncode = \"2010601\"\ndefinition = \"编码。\"\n\n" +
			"[[term]]\nterm = \"行政运行（新）\"\ncode = \"2010601\"\ndefinition = \"编码重复。\"\n",
		"content/demo/2020/budget/01.md": "+++\ntitle = \"说明\"\n+++\n\n基本支出、项目支出、行政运行、行政运行（新）。\n",
	}))
	if err != nil {
		t.Fatalf("a build with glossary warnings failed: %v", err)
	}
	if sink.Files["glossary/index.html"] == nil {
		t.Fatal("no glossary page")
	}
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, fmt.Sprintf("%s:%d %s %s", d.File, d.Line, d.Severity, d.Rule))
	}
	want := []string{
		"content/glossary.toml:9 警告 glossary.duplicate",  // 基本支出 again
		"content/glossary.toml:13 警告 glossary.duplicate", // alias 项目支出
		"content/glossary.toml:13 警告 glossary.unused",    // 专项支出: its alias is 项目支出's
		"content/glossary.toml:18 警告 glossary.unused",
		"content/glossary.toml:27 警告 glossary.duplicate", // code 2010601
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, d := range res.Diagnostics {
		if d.Rule == "glossary.duplicate" && d.Line == 9 && !strings.Contains(d.Message, "第 1 行的名词“基本支出”") {
			t.Errorf("message does not name the first definition: %s", d)
		}
	}
}

// TestGlossaryMarkSetting: site.toml's [glossary] mark chooses which
// occurrences are marked; a wrong value is an error at its line.
func TestGlossaryMarkSetting(t *testing.T) {
	md := "+++\ntitle = \"说明\"\n+++\n\n## 一\n\n基本支出。\n\n## 二\n\n基本支出。\n"
	for _, tt := range []struct{ mark, want string }{
		{"", "1"}, {"section", "1"}, {"heading", "2"}, {"page", "1"}, {"off", "0"},
	} {
		site := "title = \"t\"\n"
		if tt.mark != "" {
			site += "[glossary]\nmark = \"" + tt.mark + "\"\n"
		}
		sink, _, err := build(t, glossarySite(map[string]string{"content/site.toml": site, "content/demo/2020/budget/01.md": md}))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(sink.Files["demo/2020/budget/index.html"]), `class="gl-term"`); fmt.Sprint(n) != tt.want {
			t.Errorf("mark = %q: %d marks, want %s", tt.mark, n, tt.want)
		}
	}
	_, _, err := build(t, glossarySite(map[string]string{"content/site.toml": "title = \"t\"\n[glossary]\nmark = \"first\"\n"}))
	if err == nil || !strings.Contains(err.Error(), "content/site.toml:3:8: 错误: [glossary] mark 应为") {
		t.Errorf("err = %v", err)
	}
}

// TestGlossaryTermYears: a classification term is shown by the name valid in
// the page's year.
func TestGlossaryTermYears(t *testing.T) {
	sink, _, err := build(t, glossarySite(map[string]string{
		"content/glossary.toml": "[[term]]\nterm = \"医疗卫生与计划生育支出（类）\"\ncode = \"210\"\nto = 2018\ndefinition = \"旧名。\"\n\n" +
			"[[term]]\nterm = \"卫生健康支出（类）\"\ncode = \"210\"\nfrom = 2019\ndefinition = \"新名。\"\n\n" +
			"[[term]]\nterm = \"基本支出\"\ndefinition = \"一。\"\n\n[[term]]\nterm = \"项目支出\"\ndefinition = \"二。\"\n",
		"content/demo/2020/budget/01.md":     "+++\ntitle = \"说明\"\n+++\n\n医疗卫生与计划生育支出（类）更名为卫生健康支出（类）；基本支出、项目支出。\n",
		"content/demo/2018/budget/data.toml": "unit = \"万元\"\n",
		"content/demo/2018/budget/01.md":     "+++\ntitle = \"说明\"\n+++\n\n医疗卫生与计划生育支出（类）。\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	marks2020, _ := scanMarks(t, string(sink.Files["demo/2020/budget/index.html"]))
	marks2018, _ := scanMarks(t, string(sink.Files["demo/2018/budget/index.html"]))
	var got []string
	for _, m := range append(marks2018, marks2020...) {
		got = append(got, m.text)
	}
	if want := []string{"医疗卫生与计划生育支出（类）", "卫生健康支出（类）", "基本支出", "项目支出"}; !slices.Equal(got, want) {
		t.Errorf("marked %q, want %q", got, want)
	}
	if g := string(sink.Files["glossary/index.html"]); !strings.Contains(g, "适用年度：2018年及以前") || !strings.Contains(g, "适用年度：2019年起") {
		t.Error("glossary page does not show the years of the classification names")
	}
}

// TestTermsListErrors: the 名词解释 list once per page; a listed term the
// glossary lacks for the page's year says so; a term listed twice is a
// warning.
func TestTermsListErrors(t *testing.T) {
	data := "unit = \"万元\"\nterms = [\"基本支出\", \"基本支出\"]\n"
	_, res, err := build(t, glossarySite(map[string]string{
		"content/demo/2020/budget/data.toml": data,
		"content/demo/2020/budget/01.md":     "+++\ntitle = \"说明\"\n+++\n\n{{名词解释}}\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.Diagnostics, func(d diag.Diagnostic) bool {
		return d.Severity == diag.Warning && d.Line == 2 && strings.Contains(d.Message, "terms 第 2 项“基本支出”前面已经列过")
	}) {
		t.Errorf("no warning for a term listed twice: %v", res.Diagnostics)
	}

	_, _, err = build(t, glossarySite(map[string]string{
		"content/demo/2020/budget/data.toml": "unit = \"万元\"\nterms = [\"基本支出\"]\n",
		"content/demo/2020/budget/01.md":     "+++\ntitle = \"说明\"\n+++\n\n{{名词解释}}\n\n{{名词解释}}\n",
	}))
	if err == nil || !strings.Contains(err.Error(), "01.md:7:1: 错误: {{名词解释}} 在本页已经用过一次") {
		t.Errorf("err = %v", err)
	}

	_, _, err = build(t, glossarySite(map[string]string{
		"content/glossary.toml":              "[[term]]\nterm = \"卫生健康支出（类）\"\nfrom = 2021\ndefinition = \"新名。\"\n",
		"content/demo/2020/budget/data.toml": "unit = \"万元\"\nterms = [\"卫生健康支出（类）\"]\n",
		"content/demo/2020/budget/01.md":     "+++\ntitle = \"说明\"\n+++\n\n{{名词解释}}\n",
	}))
	if err == nil || !strings.Contains(err.Error(), "data.toml:2:9: 错误: terms 第 1 项“卫生健康支出（类）”：glossary.toml 中这一名词只适用于 2021年起，不含 2020 年") {
		t.Errorf("err = %v", err)
	}
}

// TestGlossaryBackLinksCapped: a term used on many pages lists the latest
// render.MaxBackLinks of them and counts the rest.
func TestGlossaryBackLinksCapped(t *testing.T) {
	files := map[string]string{}
	for y := 2000; y < 2000+render.MaxBackLinks+2; y++ {
		dir := fmt.Sprintf("content/demo/%d/budget/", y)
		files[dir+"data.toml"] = "unit = \"万元\"\n"
		files[dir+"01.md"] = "+++\ntitle = \"说明\"\n+++\n\n基本支出、项目支出。\n"
	}
	sink, _, err := build(t, glossarySite(files))
	if err != nil {
		t.Fatal(err)
	}
	g := string(sink.Files["glossary/index.html"])
	if !strings.Contains(g, "另有 2 个页面用到这一名词。") {
		t.Error("no count of the pages left out")
	}
	first := strings.Index(g, `href="/demo/2021/budget/"`)
	if first < 0 || strings.Contains(g, `href="/demo/2000/budget/"`) || first > strings.Index(g, `href="/demo/2020/budget/"`) {
		t.Error("the back-links are not the latest years first")
	}
}
