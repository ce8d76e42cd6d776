package glossary_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/glossary"
)

func at(file string, line int, t fiscal.Term) *fiscal.Term {
	t.Source = fiscal.Source{File: file, Line: line, Col: 1}
	return &t
}

func findings(site *fiscal.Site, u *glossary.Usage) []string {
	var out []string
	for _, d := range glossary.Findings(site, u) {
		out = append(out, fmt.Sprintf("%s:%d %s", d.File, d.Line, d.Rule))
	}
	return out
}

func TestFindings(t *testing.T) {
	const g, data = "content/glossary.toml", "content/a/2020/budget/data.toml"
	site := &fiscal.Site{Glossary: []*fiscal.Term{
		at(g, 1, fiscal.Term{Term: "基本支出", To: 2020}),
		at(g, 5, fiscal.Term{Term: "基本支出", From: 2021}), // other years: a new definition, fine
		at(g, 9, fiscal.Term{Term: "“三公”经费", Aliases: []string{"三公经费"}}),
		at(g, 13, fiscal.Term{Term: "三公经费"}), // duplicate, folded
		at(g, 17, fiscal.Term{Term: "行政运行", Code: "2010601", To: 2018}),
		at(g, 21, fiscal.Term{Term: "行政运行（项）", Code: "2010601", From: 2019}), // renamed: fine
		at(g, 25, fiscal.Term{Term: "事业运行", Code: "2010601", From: 2018}),    // overlaps both
		at(g, 29, fiscal.Term{Term: "倒置", From: 2020, To: 2019}),
	}}
	own := []*fiscal.Term{
		at(data, 3, fiscal.Term{Term: "基本支出"}), // replaces the site's: fine
		at(data, 7, fiscal.Term{Term: "专项", Aliases: []string{"专项经费"}}),
		at(data, 11, fiscal.Term{Term: "专项经费"}),
	}
	body := &fiscal.Body{Slug: "a"}
	body.Disclosures = []*fiscal.Disclosure{{Body: body, Year: 2020, Glossary: own, Terms: []string{"行政运行"}}}
	site.Bodies = []*fiscal.Body{body}

	got := findings(site, nil)
	want := []string{
		data + ":11 glossary.duplicate",
		g + ":13 glossary.duplicate",
		g + ":25 glossary.duplicate",
		g + ":29 glossary.years",
	}
	if !slices.Equal(got, want) {
		t.Errorf("without usage:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A page of 2020 that mentions 基本支出 (its own) and “三公”经费.
	gl := glossary.New(site.Glossary)
	set := gl.Set(2020, own)
	p := glossary.NewPage(set, glossary.PageOptions{})
	p.BeginSection("s", "s")
	u := glossary.NewUsage()
	var uses []glossary.Use
	for _, name := range []string{"基本支出", "三公经费"} {
		uses = append(uses, glossary.Use{Term: set.Lookup(name), Section: glossary.Section{ID: "s"}})
	}
	u.Record("a/2020/budget/", uses)
	got = findings(site, u)
	want = []string{
		data + ":7 glossary.unused", // 专项
		data + ":11 glossary.duplicate",
		g + ":5 glossary.unused", // 基本支出 from 2021: no page of 2021
		g + ":13 glossary.duplicate",
		g + ":21 glossary.unused",
		g + ":25 glossary.unused", // its name is its own; only its code repeats
		g + ":25 glossary.duplicate",
		g + ":29 glossary.unused",
		g + ":29 glossary.years",
	}
	if !slices.Equal(got, want) {
		t.Errorf("with usage:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBackLinks(t *testing.T) {
	g := glossary.New([]*fiscal.Term{{Term: "基本支出"}, {Term: "项目支出"}})
	set := g.Set(2020, nil)
	basic, project := set.Lookup("基本支出"), set.Lookup("项目支出")
	u := glossary.NewUsage()
	u.Record("a/", []glossary.Use{
		{Term: basic, Section: glossary.Section{ID: "one", Title: "一"}},                                    // mentioned, not marked
		{Term: basic, Section: glossary.Section{ID: "two", Title: "二"}, Anchor: "term-基本支出", Listed: true}, // listed
		{Term: basic, Section: glossary.Section{ID: "two", Title: "二"}, Anchor: "use-基本支出"},                // and marked
		{Term: project, Section: glossary.Section{ID: "one", Title: "一"}, Anchor: "use-项目支出"},
	})
	u.Record("b/", []glossary.Use{{Term: project, Section: glossary.Section{ID: "x"}, Anchor: "use-项目支出"}})
	got := fmt.Sprint(u.BackLinks(basic.ID, []string{"b/", "a/", "c/"}))
	if want := "[{a/ [{{one 一} one false} {{two 二} use-基本支出 false}]}]"; got != want {
		t.Errorf("back-links of 基本支出:\n got %s\nwant %s", got, want)
	}
	if got := len(u.BackLinks(project.ID, []string{"a/", "b/"})); got != 2 {
		t.Errorf("项目支出 used on %d pages, want 2", got)
	}
}
