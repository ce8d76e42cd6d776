package markdown

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseRef(t *testing.T) {
	tests := []struct{ in, verb, target string }{
		{"三公.合计", "", "三公.合计"},
		{" 增减 三公.合计 ", "增减", "三公.合计"},
		{"增减：三公．合计", "增减", "三公.合计"},
		{"增减　三公。合计", "增减", "三公.合计"},
		{"change:三公.合计", "change", "三公.合计"},
		{"表 三公", "表", "三公"},
		{"增减 三公 . 合计", "增减", "三公.合计"},
		{"", "", ""},
	}
	for _, tt := range tests {
		r := parseRef(tt.in)
		if r.Verb != tt.verb || r.Target != tt.target {
			t.Errorf("parseRef(%q) = %q %q, want %q %q", tt.in, r.Verb, r.Target, tt.verb, tt.target)
		}
	}
}

// FuzzParseRef holds parseRef to the replace-then-split it was written as.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"三公.合计", " 增减 三公.合计 ", "增减：三公．合计", "表\t三公", "a b c d", "\u00a0x\u2003y", "",
		"表　三公", "三公。合计", "增减:三公", "\xe3\x80", "\xef\xbc"} {
		f.Add(s)
	}
	var seps strings.Builder // what refSeparators replaces
	for i := 0; i < len(refSeparatorPairs); i += 2 {
		seps.WriteString(refSeparatorPairs[i])
	}
	f.Fuzz(func(t *testing.T, inner string) {
		if got, want := hasRefSeparator(inner), strings.ContainsAny(inner, seps.String()); got != want {
			t.Fatalf("hasRefSeparator(%q) = %t, want %t", inner, got, want)
		}
		want := Ref{Raw: strings.TrimSpace(inner)}
		switch fields := strings.Fields(refSeparators.Replace(inner)); len(fields) {
		case 0:
		case 1:
			want.Target = fields[0]
		default:
			want.Verb, want.Target = fields[0], strings.Join(fields[1:], "")
		}
		if got := parseRef(inner); got != want {
			t.Fatalf("parseRef(%q) = %+v, want %+v", inner, got, want)
		}
	})
}

// fake resolves a few references the way a disclosure page would.
type fake struct{ seen []Ref }

func (f *fake) Resolve(r Ref) (Output, error) {
	f.seen = append(f.seen, r)
	switch {
	case r.Verb == "" && r.Target == "收入.合计":
		return Output{Text: "2966.24万元"}, nil
	case r.Verb == "表":
		return Output{HTML: "<table><tr><td>x</td></tr></table>", Block: true}, nil
	case r.Verb == "图":
		return Output{HTML: "<figure>x</figure>", Block: true, BlockName: "一张图"}, nil
	case r.Verb == "" && r.Target == "x.<y>":
		return Output{Text: "<b>&"}, nil
	}
	return Output{}, errors.New("没有这个引用")
}

func render(t *testing.T, src string, o Options) (string, Result, *fake) {
	t.Helper()
	f := &fake{}
	var b bytes.Buffer
	res, err := New(o).Render(&b, Doc{Source: []byte(src), Line: 10}, NewIDs(), f)
	if err != nil {
		t.Fatal(err)
	}
	return b.String(), res, f
}

func TestReferences(t *testing.T) {
	tests := []struct {
		name, src, want string
		errs            []string
	}{
		{"value", "收入预算{{收入.合计}}，包括：", "<p>收入预算2966.24万元，包括：</p>\n", nil},
		{"full-width braces", "收入预算｛｛收入.合计｝｝。", "<p>收入预算2966.24万元。</p>\n", nil},
		{"mixed braces", "收入预算{｛收入.合计}}。", "<p>收入预算2966.24万元。</p>\n", nil},
		{"text is escaped", "{{x.<y>}}", "<p>&lt;b&gt;&amp;</p>\n", nil},
		{"table alone in its paragraph", "前文\n\n{{表 三公}}\n\n后文", "<p>前文</p>\n<table><tr><td>x</td></tr></table>\n<p>后文</p>\n", nil},
		{"table inside a sentence", "见{{表 三公}}。", "", []string{"10:2: {{表 三公}} 会插入一张表格，须单独成段"}},
		{"chart alone", "{{图 三公}}", "<figure>x</figure>\n", nil},
		{"chart inside a sentence", "见{{图 三公}}。", "", []string{"10:2: {{图 三公}} 会插入一张图，须单独成段"}},
		{"unknown reference with position", "第一行\n第二行有{{三宫.合计}}", "", []string{"11:5: 没有这个引用"}},
		{"unclosed reference", "文字{{收入.合计 还没完", "", []string{"10:3: 数据引用 {{ 没有结束的 }}"}},
		{"reference in a code span is literal", "`{{收入.合计}}`", "<p><code>{{收入.合计}}</code></p>\n", nil},
		// Text pasted from Word comes indented: a paragraph, not code.
		{"indented by four spaces", "    收入预算{{收入.合计}}，包括：", "<p>收入预算2966.24万元，包括：</p>\n", nil},
		{"indented by a tab", "前文\n\n\t收入预算{{收入.合计}}。", "<p>前文</p>\n<p>收入预算2966.24万元。</p>\n", nil},
		{"fenced code stays code", "```\n{{收入.合计}}\n```", "<pre><code>{{收入.合计}}\n</code></pre>\n", nil},
		{"a list item's indented paragraph", "1. 收入\n\n    收入预算{{收入.合计}}。", "<ol>\n<li>\n<p>收入</p>\n<p>收入预算2966.24万元。</p>\n</li>\n</ol>\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html, res, _ := render(t, tt.src, Options{})
			if tt.want != "" && html != tt.want {
				t.Errorf("html = %q, want %q", html, tt.want)
			}
			var got []string
			for _, e := range res.Errors {
				got = append(got, e.Error())
			}
			if len(got) != len(tt.errs) {
				t.Fatalf("errors = %q, want %q", got, tt.errs)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.errs[i]) {
					t.Errorf("error %q, want prefix %q", got[i], tt.errs[i])
				}
			}
		})
	}
}

func TestHeadings(t *testing.T) {
	src := "# 一、收支预算的总体情况说明\n\n## （一）收入\n\n## （一）收入\n\n# Budget Overview {#overview}\n"
	html, res, _ := render(t, src, Options{})
	for _, want := range []string{
		`<h3 id="一收支预算的总体情况说明">一、收支预算的总体情况说明</h3>`,
		`<h4 id="一收入">（一）收入</h4>`,
		`<h4 id="一收入-2">（一）收入</h4>`,
		`<h3 id="overview">Budget Overview</h3>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in\n%s", want, html)
		}
	}
	if len(res.Headings) != 4 || res.Headings[0].Level != 3 || res.Headings[0].Text != "一、收支预算的总体情况说明" {
		t.Errorf("headings = %+v", res.Headings)
	}
}

func TestRawHTML(t *testing.T) {
	src := "文字<script>alert(1)</script>\n\n<div onclick=\"x()\">块</div>\n"
	html, _, _ := render(t, src, Options{})
	if strings.Contains(html, "<script>") || strings.Contains(html, "<div") {
		t.Errorf("raw HTML reached the page:\n%s", html)
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(html, "&lt;div onclick=") {
		t.Errorf("raw HTML should show as text:\n%s", html)
	}
	html, _, _ = render(t, src, Options{UnsafeHTML: true})
	if !strings.Contains(html, "<div onclick") {
		t.Errorf("UnsafeHTML should let HTML through:\n%s", html)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"一、收支预算的总体情况说明":  "一收支预算的总体情况说明",
		"“三公”经费":         "三公经费",
		"Part 2: Tables": "part-2-tables",
		"2020年 预算":       "2020年-预算",
		"（）":             "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzRender checks that any section renders without panicking and that
// every reported position lies inside the section.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"收入{{收入.合计}}", "{{表 三公}}", "｛｛增减：三公．合计｝｝", "{{", "# 标题 {#id}\n\n<b>x</b>", "a{{b}}c{{d", "}}{{}}", "[点](javascript:x) <file:///a> ![](data:text/html,x)"} {
		f.Add(s)
	}
	r := New(Options{})
	f.Fuzz(func(t *testing.T, src string) {
		var b bytes.Buffer
		res, err := r.Render(&b, Doc{Source: []byte(src), Line: 1}, NewIDs(), &fake{})
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Count(src, "\n") + 1
		for _, e := range res.Errors {
			if e.Line < 1 || e.Line > lines || e.Col < 1 {
				t.Fatalf("error %v outside the %d-line source %q", e, lines, src)
			}
		}
	})
}

// FuzzPosition holds position.at, which goes on from the offset asked
// before, to counting from the start for every offset, asked in any order.
func FuzzPosition(f *testing.F) {
	f.Add([]byte("第一行\n{{三公.合计}} 与 {{收入.合计}}\n\n末行 {{x}}"), 3, []byte{4, 9, 30, 2, 60})
	f.Add([]byte(""), 1, []byte{0, 5})
	f.Fuzz(func(t *testing.T, src []byte, line0 int, offs []byte) {
		naive := func(off int) (int, int) {
			line, start := line0, 0
			for i := 0; i < off && i < len(src); i++ {
				if src[i] == '\n' {
					line++
					start = i + 1
				}
			}
			return line, utf8.RuneCount(src[start:min(off, len(src))]) + 1
		}
		p := &position{src: src, line0: line0}
		for _, b := range offs {
			off := int(b)
			gotLine, gotCol := p.at(off)
			if wantLine, wantCol := naive(off); gotLine != wantLine || gotCol != wantCol {
				t.Fatalf("at(%d) of %q = %d:%d, want %d:%d", off, src, gotLine, gotCol, wantLine, wantCol)
			}
		}
	})
}
