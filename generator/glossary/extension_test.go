package glossary_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"

	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/glossary"
	"github.com/disclose/disclose/generator/markdown"
)

// seedTerms are a few of the seed's 名词解释.
func seedTerms() []*fiscal.Term {
	return []*fiscal.Term{
		{Term: "财政拨款收入", Definition: "指市级财政当年拨付的资金。"},
		{Term: "基本支出", Definition: "指保障机构正常运转……的人员支出和公用支出。"},
		{Term: "项目支出", Definition: "指在基本支出之外……所发生的支出。"},
		{Term: "机关运行经费", Definition: "是指各部门的公用经费……"},
		{Term: "“三公”经费", Aliases: []string{"三公经费"}, Definition: "指用财政拨款安排的因公出国（境）费……"},
		{Term: "财政拨款", Definition: "（测试用的较短名词）"},
	}
}

// render renders src as one section of a page with the terms, and returns
// the HTML and the page.
func render(t testing.TB, md *markdown.Renderer, terms []*fiscal.Term, mode glossary.Mode, src ...string) (string, *glossary.Page) {
	t.Helper()
	g := glossary.New(terms)
	p := glossary.NewPage(g.Set(2020, nil), glossary.PageOptions{Mode: mode, GlossaryPage: "/glossary/"})
	ids := markdown.NewIDs()
	var b bytes.Buffer
	for i, s := range src {
		p.BeginSection(fmt.Sprintf("s%d", i+1), fmt.Sprintf("第%d部分", i+1))
		if _, err := md.Render(&b, markdown.Doc{Source: []byte(s), Line: 1, Context: p.Context()}, ids, nil); err != nil {
			t.Fatal(err)
		}
	}
	return b.String(), p
}

func newMarkdown() *markdown.Renderer {
	return markdown.New(markdown.Options{Extensions: []goldmark.Extender{glossary.Extension{}}})
}

var termRE = regexp.MustCompile(`<a class="gl-term" href="[^"]*"(?: id="[^"]*")? aria-describedby="[^"]*"(?: data-glossary="[^"]*")?>([^<]*)</a>`)

// marked lists the text of every marked term in html.
func marked(html string) []string {
	var out []string
	for _, m := range termRE.FindAllStringSubmatch(html, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestExtensionMarks(t *testing.T) {
	md := newMarkdown()
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"first occurrence only", "基本支出572.24万元，基本支出占比。", []string{"基本支出"}},
		{"longest match", "财政拨款收入2966.24万元，财政拨款。", []string{"财政拨款收入", "财政拨款"}},
		{"alias and quotes", "“三公”经费5万元。三公经费同上。", []string{"“三公”经费"}},
		{"straight quotes", `"三公"经费5万元。`, []string{`&quot;三公&quot;经费`}},
		{"not in headings", "## 基本支出\n\n正文没有。", nil},
		{"heading then text", "## 基本支出\n\n基本支出572.24万元。", []string{"基本支出"}},
		{"not in links", "[基本支出](https://example.gov.cn/) 与 <https://x.cn/基本支出>", nil},
		{"not in images", "![基本支出](a.png)", nil},
		{"not in code", "`基本支出` 和\n\n```\n基本支出\n```", nil},
		// An indented line is a paragraph (see markdown.New), its terms marked.
		{"indented text is text", "    基本支出", []string{"基本支出"}},
		{"not in table header cells", "| 基本支出 | 项目支出 |\n|---|---|\n| 财政拨款收入 | 机关运行经费 |\n", []string{"财政拨款收入", "机关运行经费"}},
		{"in emphasis and lists", "- **基本支出**\n- *项目支出*\n\n> 机关运行经费", []string{"基本支出", "项目支出", "机关运行经费"}},
		{"across a split text node", "a*财政拨款收入 b_项目支出", []string{"财政拨款收入", "项目支出"}},
		{"not across a soft line break", "基本\n支出", nil},
		{"text between inline HTML tags is text", "<b>基本支出</b>", []string{"基本支出"}},
		{"not in HTML blocks", "<div>\n基本支出\n</div>", nil},
		{"not inside an entity", "&amp;基本支出", []string{"基本支出"}},
		{"escaped characters kept", `\*基本支出\*`, []string{"基本支出"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html, _ := render(t, md, seedTerms(), glossary.PerSection, tt.src)
			if got := marked(html); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("%q marked %q, want %q\n%s", tt.src, got, tt.want, html)
			}
			if strings.Contains(html, "gl-term") && len(termRE.FindAllString(html, -1)) != strings.Count(html, "gl-term") {
				t.Errorf("a mark of unexpected form:\n%s", html)
			}
		})
	}
}

func TestExtensionMarkup(t *testing.T) {
	html, p := render(t, newMarkdown(), seedTerms(), glossary.PerSection, "2020年度“三公”经费预算5万元。\n")
	want := `<p>2020年度<a class="gl-term" href="#term-%e4%b8%89%e5%85%ac%e7%bb%8f%e8%b4%b9" id="use-三公经费" aria-describedby="term-三公经费-def" data-glossary="/glossary/#term-%e4%b8%89%e5%85%ac%e7%bb%8f%e8%b4%b9">“三公”经费</a>预算5万元。</p>` + "\n"
	if html != want {
		t.Errorf("got\n%s\nwant\n%s", html, want)
	}
	if m := p.Marked(); len(m) != 1 || m[0].ID != "term-三公经费" {
		t.Errorf("Marked() = %v", m)
	}
}

func TestExtensionModes(t *testing.T) {
	sections := []string{
		"## 一\n\n基本支出、项目支出。\n\n## 二\n\n基本支出。",
		"基本支出。",
	}
	for _, tt := range []struct {
		mode glossary.Mode
		want []string
	}{
		{glossary.PerSection, []string{"基本支出", "项目支出", "基本支出"}},
		{glossary.PerHeading, []string{"基本支出", "项目支出", "基本支出", "基本支出"}},
		{glossary.PerPage, []string{"基本支出", "项目支出"}},
		{glossary.Off, nil},
	} {
		t.Run(tt.mode.String(), func(t *testing.T) {
			html, p := render(t, newMarkdown(), seedTerms(), tt.mode, sections...)
			if got := marked(html); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("marked %q, want %q", got, tt.want)
			}
			// Every mode records where the terms are mentioned: the first
			// mention in each section.
			var uses []string
			for _, u := range p.Uses() {
				uses = append(uses, u.Section.ID+":"+u.Term.Term.Term+"#"+u.Anchor)
			}
			want := "[s1:基本支出#use-基本支出 s1:项目支出#use-项目支出 s2:基本支出#use-基本支出-2]"
			switch tt.mode {
			case glossary.PerHeading: // the second mark in s1 took -2
				want = "[s1:基本支出#use-基本支出 s1:项目支出#use-项目支出 s2:基本支出#use-基本支出-3]"
			case glossary.PerPage:
				want = "[s1:基本支出#use-基本支出 s1:项目支出#use-项目支出 s2:基本支出#]"
			case glossary.Off:
				want = "[s1:基本支出# s1:项目支出# s2:基本支出#]"
			}
			if fmt.Sprint(uses) != want {
				t.Errorf("uses %v\nwant %v", uses, want)
			}
		})
	}
}

func TestExtensionAnchorsUnique(t *testing.T) {
	html, _ := render(t, newMarkdown(), seedTerms(), glossary.PerSection,
		"## use-基本支出\n\n基本支出。", "基本支出。")
	ids := regexp.MustCompile(` id="([^"]*)"`).FindAllStringSubmatch(html, -1)
	seen := map[string]bool{}
	for _, m := range ids {
		if seen[m[1]] {
			t.Errorf("id %q twice:\n%s", m[1], html)
		}
		seen[m[1]] = true
	}
	if len(seen) != 3 {
		t.Errorf("ids %v, want a heading and two marks", seen)
	}
}

func TestExtensionWithoutPage(t *testing.T) {
	var b bytes.Buffer
	if _, err := newMarkdown().Render(&b, markdown.Doc{Source: []byte("基本支出")}, markdown.NewIDs(), nil); err != nil {
		t.Fatal(err)
	}
	if b.String() != "<p>基本支出</p>\n" {
		t.Errorf("a document without a page was changed: %s", b.String())
	}
}

func TestSetYearsAndOwnTerms(t *testing.T) {
	site := []*fiscal.Term{
		{Term: "医疗卫生与计划生育支出（类）", Code: "210", To: 2018, Definition: "旧名"},
		{Term: "卫生健康支出（类）", Code: "210", From: 2019, Definition: "新名"},
		{Term: "基本支出", Definition: "站点的解释"},
	}
	g := glossary.New(site)
	own := []*fiscal.Term{{Term: "基本支出", Definition: "本文件的解释"}, {Term: "专项业务费", Definition: "只在本文件"}}
	for _, tt := range []struct {
		year int
		own  []*fiscal.Term
		text string
		want string
	}{
		{2018, nil, "医疗卫生与计划生育支出（类）和卫生健康支出（类）", "医疗卫生与计划生育支出（类）=旧名 "},
		{2020, nil, "医疗卫生与计划生育支出（类）和卫生健康支出（类）", "卫生健康支出（类）=新名 "},
		{2020, own, "基本支出和专项业务费", "基本支出=本文件的解释 专项业务费=只在本文件 "},
	} {
		s := g.Set(tt.year, tt.own)
		var b strings.Builder
		for _, m := range s.Matcher().AppendMatches(nil, []byte(tt.text), nil) {
			term := s.Terms[m.Value]
			fmt.Fprintf(&b, "%s=%s ", tt.text[m.Start:m.End], term.Definition)
		}
		if b.String() != tt.want {
			t.Errorf("%d: %q found %q, want %q", tt.year, tt.text, b.String(), tt.want)
		}
	}
	s := g.Set(2020, own)
	if t0 := s.Lookup("基本支出"); t0 == nil || t0.ID != "term-基本支出" || !t0.Site || t0.Definition != "本文件的解释" {
		t.Errorf("own definition of a site term: %+v", t0)
	}
	if t1 := s.Lookup("专项业务费"); t1 == nil || t1.Site {
		t.Errorf("own-only term: %+v", t1)
	}
	if g.Set(2020, nil) != g.Set(2020, nil) {
		t.Error("sets of one year are not shared")
	}
}

// stripMarks removes the glossary's links, keeping their text.
func stripMarks(html string) string { return termRE.ReplaceAllString(html, "$1") }

// FuzzExtension renders Markdown with and without the glossary: apart from
// the marks, the output must be the same bytes, and no mark may sit in a
// heading or a link.
func FuzzExtension(f *testing.F) {
	for _, s := range []string{
		"财政拨款收入2966.24万元；基本支出、项目支出。“三公”经费5万元，机关运行经费51.23万元。",
		"## 基本支出\n\n基本支出\n\n[项目支出](x) `基本支出`",
		"| 基本支出 | b |\n|---|---|\n| 项目支出 | c |\n",
		`&amp;基本支出 \*项目支出\* "三公"经费 &#22522;本支出`,
		"a*财政拨款收入 b_项目支出 [x 机关运行经费\n基本\n支出  \n项目支出",
		"<b>基本支出</b>\n\n<div>\n项目支出\n</div>",
	} {
		f.Add(s)
	}
	with := newMarkdown()
	without := markdown.New(markdown.Options{})
	headingOrLink := regexp.MustCompile(`(?s)<h[1-6][^>]*>.*?</h[1-6]>|<a [^>]*>[^<]*<a `)
	f.Fuzz(func(t *testing.T, src string) {
		got, _ := render(t, with, seedTerms(), glossary.PerSection, src)
		var b bytes.Buffer
		if _, err := without.Render(&b, markdown.Doc{Source: []byte(src), Line: 1}, markdown.NewIDs(), nil); err != nil {
			t.Fatal(err)
		}
		if stripMarks(got) != b.String() {
			t.Fatalf("the glossary changed text outside its marks:\nsource %q\n with %q\n  w/o %q", src, got, b.String())
		}
		for _, m := range headingOrLink.FindAllString(got, -1) {
			if strings.Contains(m, "gl-term") {
				t.Fatalf("a mark inside a heading or link: %q", m)
			}
		}
	})
}

func ExampleExtension() {
	md := markdown.New(markdown.Options{Extensions: []goldmark.Extender{glossary.Extension{}}})
	g := glossary.New([]*fiscal.Term{{Term: "基本支出", Definition: "指保障机构正常运转……"}})
	page := glossary.NewPage(g.Set(2020, nil), glossary.PageOptions{})
	page.BeginSection("explanation", "情况说明")
	var b bytes.Buffer
	_, _ = md.Render(&b, markdown.Doc{Source: []byte("## 基本支出\n\n基本支出572.24万元，基本支出占20%。"), Context: page.Context()}, markdown.NewIDs(), nil)
	fmt.Print(b.String())
	// Output:
	// <h3 id="基本支出">基本支出</h3>
	// <p><a class="gl-term" href="#term-%e5%9f%ba%e6%9c%ac%e6%94%af%e5%87%ba" id="use-基本支出" aria-describedby="term-基本支出-def">基本支出</a>572.24万元，基本支出占20%。</p>
}

func TestSetLookupByCode(t *testing.T) {
	g := glossary.New([]*fiscal.Term{
		{Term: "医疗卫生与计划生育支出（类）", Code: "210", To: 2018},
		{Term: "卫生健康支出（类）", Code: "210", From: 2019},
		{Term: "“三公”经费"},
	})
	for _, tt := range []struct {
		year       int
		name, want string
	}{
		{2018, "210", "医疗卫生与计划生育支出（类）"},
		{2020, "210", "卫生健康支出（类）"},
		{2018, "卫生健康支出（类）", "医疗卫生与计划生育支出（类）"}, // the 2018 name of the code
		{2020, "医疗卫生与计划生育支出（类）", "卫生健康支出（类）"},
		{2020, `"三公"经费`, "“三公”经费"},
		{2020, "四公经费", ""},
	} {
		got := ""
		if t := g.Set(tt.year, nil).Lookup(tt.name); t != nil {
			got = t.Term.Term
		}
		if got != tt.want {
			t.Errorf("%d: Lookup(%q) = %q, want %q", tt.year, tt.name, got, tt.want)
		}
	}
}

// TestSetSharesMatcher: pages that define the same terms in their own words
// share the matcher, and each keeps its definitions.
func TestSetSharesMatcher(t *testing.T) {
	g := glossary.New(seedTerms())
	a := g.Set(2020, []*fiscal.Term{{Term: "基本支出", Definition: "甲的解释"}})
	b := g.Set(2020, []*fiscal.Term{{Term: "基本支出", Definition: "乙的解释"}})
	c := g.Set(2020, []*fiscal.Term{{Term: "项目支出", Definition: "丙的解释"}})
	if a.Matcher() != b.Matcher() || a.Matcher() == c.Matcher() || a.Matcher() == g.Set(2020, nil).Matcher() {
		t.Error("matchers are not shared by the sets with the same names only")
	}
	if a.Lookup("基本支出").Definition != "甲的解释" || b.Lookup("基本支出").Definition != "乙的解释" {
		t.Error("a shared matcher mixed up the definitions")
	}
	m := b.Matcher().AppendMatches(nil, []byte("基本支出"), nil)
	if len(m) != 1 || b.Terms[m[0].Value].Definition != "乙的解释" {
		t.Errorf("match %v finds the wrong term", m)
	}
}
