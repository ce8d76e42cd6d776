package publish

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/disclose/disclose/generator/diag"
)

const testBase = "https://czj.example.gov.cn/yjsgk/"

func newStage(t *testing.T, o Options) (*Stage, *MapSink) {
	t.Helper()
	sink := NewMapSink()
	if o.BaseURL == "" {
		o.BaseURL = testBase
	}
	s, err := NewStage(sink, o)
	if err != nil {
		t.Fatal(err)
	}
	return s, sink
}

// doc wraps body in a page.
func doc(body string) []byte {
	return []byte("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<title>t</title>\n</head>\n<body>\n" + body + "\n</body>\n</html>\n")
}

func finish(t *testing.T, s *Stage) diag.List {
	t.Helper()
	d, err := s.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestPageChecks: each thing a strict CSP forbids, each link that does not
// resolve, is an error with its rule; what is allowed passes.
func TestPageChecks(t *testing.T) {
	tests := []struct {
		name, body string
		rule       string // "" for no error
		msg        string
	}{
		{"clean", `<main id="main"><a href="#main">正文</a> <a href="../other/">其他</a> <a href="/yjsgk/other/#x">x</a> <a href="https://czj.example.gov.cn/yjsgk/other/">绝对</a></main>`, "", ""},
		{"style attribute", `<p style="color:red">红</p>`, "csp.style-attr", "style 属性会被内容安全策略"},
		{"inline script", `<script>alert(1)</script>`, "csp.inline-script", "内联 <script>"},
		{"module script inline", `<script type="module">import "x"</script>`, "csp.inline-script", ""},
		{"json data block", `<script type="application/json" id="d">{"a":1}</script>`, "", ""},
		{"style element", `<style>p{color:red}</style>`, "csp.style-element", "<style> 元素"},
		{"event handler", `<button type="button" onclick="go()">走</button>`, "csp.event-handler", "onclick"},
		{"javascript url", `<a href="javascript:void(0)">x</a>`, "csp.javascript-url", ""},
		{"third-party image", `<img src="https://cdn.example.com/a.png" alt="">`, "csp.third-party", "cdn.example.com"},
		{"third-party script", `<script src="//hm.baidu.com/hm.js"></script>`, "csp.third-party", ""},
		{"protocol-relative link", `<a href="//www.gov.cn/">国务院</a>`, "", ""},
		{"external link", `<a href="https://www.gov.cn/">中国政府网</a>`, "", ""},
		{"mail link", `<a href="mailto:czj@example.gov.cn">邮件</a>`, "", ""},
		{"data image", `<img src="data:image/png;base64,AAAA" alt="">`, "csp.data-url", ""},
		{"missing own anchor", `<a href="#nowhere">x</a>`, "link.anchor", "#nowhere"},
		{"top", `<a href="#top">回到顶部</a> <a href="#">#</a>`, "", ""},
		{"chinese anchor", `<h2 id="一收支">一</h2><a href="#%e4%b8%80%e6%94%b6%e6%94%af">一</a>`, "", ""},
		{"label for missing id", `<label for="q">查询</label>`, "html.idref", "q"},
		{"aria list", `<p id="d1">d</p><a href="#d1" aria-describedby="d1 d2">x</a>`, "html.idref", "d2"},
		{"duplicate id", `<p id="a">1</p><p id="a">2</p>`, "html.duplicate-id", ""},
		{"svg style", `<svg viewBox="0 0 10 10" role="img"><title>t</title><rect width="1" height="1" style="fill:red"/></svg>`, "csp.style-attr", ""},
		{"svg use", `<svg viewBox="0 0 10 10"><use href="#nope"/></svg>`, "link.anchor", "#nope"},
		{"svg labelled by its title", `<svg viewBox="0 0 10 10" role="img" aria-labelledby="c1-t"><title id="c1-t">图</title></svg><svg viewBox="0 0 1 1" aria-labelledby="c2-t"></svg>`, "html.idref", "c2-t"},
		{"svg ids count", `<svg viewBox="0 0 10 10"><defs><pattern id="p1"/></defs><use xlink:href="#p1"/></svg><a href="#p1">p</a>`, "", ""},
		{"broken page", `<a href="../nothing/">无</a>`, "link.broken", "nothing/index.html"},
		{"trailing slash", `<a href="../other">其他</a>`, "link.trailing-slash", "应写 ../other/"},
		{"missing anchor elsewhere", `<a href="../other/#y">y</a>`, "link.anchor", "#y"},
		{"outside sub-path", `<a href="/other/">其他</a>`, "link.outside", "/yjsgk/"},
		{"markdown file", `<a href="03-explanation.md">说明</a>`, "link.markdown", ""},
		{"unhashed asset", `<link rel="stylesheet" href="/yjsgk/static/site.css">`, "link.unhashed-asset", `{{asset "site.css"}}`},
		{"wrong integrity", `<link rel="stylesheet" href="/yjsgk/{css}" integrity="sha384-AAAA">`, "sri.mismatch", ""},
		{"sitemap link", `<a href="/yjsgk/sitemap.xml">sitemap.xml</a> <a href="../robots.txt">robots</a>`, "", ""},
		{"srcset", `<img src="/yjsgk/{png}" srcset="/yjsgk/{png} 1x, /yjsgk/static/b.png 2x" alt="">`, "link.broken", "static/b.png"},
	}
	// A link is checked when its page is published if its target is
	// already there, else by Finish (unless KeepLinks): either way, and
	// whichever page comes first, the same findings.
	type mode struct {
		keepLinks, otherFirst bool
	}
	for _, m := range []mode{{false, true}, {false, false}, {true, true}, {true, false}} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/keep=%t/otherfirst=%t", tt.name, m.keepLinks, m.otherFirst), func(t *testing.T) {
				testPageCheck(t, tt.body, tt.rule, tt.msg, Options{KeepLinks: m.keepLinks}, m.otherFirst)
			})
		}
	}
}

// testPageCheck publishes a page with body beside a page other/ (before
// or after it) and wants one error of rule saying msg, or none if rule is "".
func testPageCheck(t *testing.T, body, rule, msg string, o Options, otherFirst bool) {
	t.Helper()
	s, _ := newStage(t, o)
	if err := s.Assets([]File{{"static/site.css", []byte("p{color:#111}")}, {"static/a.png", []byte("png")}}); err != nil {
		t.Fatal(err)
	}
	other := func() {
		if err := s.Page(Page{Name: "other/index.html", HTML: doc(`<h2 id="x">x</h2>`), Layout: "layouts/body.html"}); err != nil {
			t.Fatal(err)
		}
	}
	if otherFirst {
		other()
	}
	css, _ := s.AssetPath("static/site.css")
	png, _ := s.AssetPath("static/a.png")
	body = strings.NewReplacer("{css}", css, "{png}", png).Replace(body)
	if err := s.Page(Page{Name: "a/index.html", HTML: doc(body), Layout: "layouts/disclosure.html"}); err != nil {
		t.Fatal(err)
	}
	if !otherFirst {
		other()
	}
	var errs []diag.Diagnostic
	for _, x := range finish(t, s) {
		if x.Severity == diag.Error {
			errs = append(errs, x)
		}
	}
	if rule == "" {
		if len(errs) > 0 {
			t.Fatalf("unexpected errors: %v", errs)
		}
		return
	}
	if len(errs) != 1 || errs[0].Rule != rule || !strings.Contains(errs[0].Message, msg) {
		t.Fatalf("got %v, want one %s error saying %q", errs, rule, msg)
	}
	if errs[0].File != "layouts/disclosure.html" || !strings.Contains(errs[0].Message, "生成的页面 a/index.html 第 7 行") {
		t.Errorf("placed at %s: %s; want the layout and the page's line", errs[0].File, errs[0].Message)
	}
}

// TestNotFoundLinks: the 404 page is shown at any address, so its links
// must start at the root.
func TestNotFoundLinks(t *testing.T) {
	s, _ := newStage(t, Options{})
	if err := s.Page(Page{Name: "glossary/index.html", HTML: doc("")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Page(Page{Name: NotFoundPage, HTML: doc(`<a href="/yjsgk/glossary/">名词解释</a> <a href="glossary/">名词解释</a> <a href="#main">x</a><main id="main"></main>`)}); err != nil {
		t.Fatal(err)
	}
	d := finish(t, s)
	if len(d) != 1 || d[0].Rule != "link.relative-404" || !strings.Contains(d[0].Message, "glossary/") {
		t.Errorf("diagnostics %v", d)
	}
}

// TestSRI: a stylesheet link and a script get the integrity of the hashed
// file; a preloaded font also gets crossorigin, which its CORS fetch needs.
func TestSRI(t *testing.T) {
	s, sink := newStage(t, Options{Minify: true})
	css, err := s.Asset("static/css/site.css", []byte("body {  color : #111111 ; }"))
	if err != nil {
		t.Fatal(err)
	}
	js, _ := s.Asset("static/js/app.js", []byte("document.documentElement.className  =  'js' ;"))
	font, _ := s.Asset("static/fonts/a.woff2", []byte("font"))
	page := fmt.Sprintf(`<link rel="stylesheet" href="/yjsgk/%s"><script src="/yjsgk/%s" defer></script><link rel="preload" as="font" type="font/woff2" href="/yjsgk/%s">`, css.Name, js.Name, font.Name)
	if err := s.Page(Page{Name: "index.html", HTML: doc(page)}); err != nil {
		t.Fatal(err)
	}
	if d := finish(t, s); d.HasErrors() {
		t.Fatal(d)
	}
	out := string(sink.Files["index.html"])
	for _, a := range []*Asset{css, js, font} {
		data := sink.Files[a.Name]
		if data == nil {
			t.Fatalf("%s not written", a.Name)
		}
		if !strings.Contains(out, "integrity="+integrity(data)) && !strings.Contains(out, `integrity="`+integrity(data)+`"`) {
			t.Errorf("page lacks the integrity of %s:\n%s", a.Name, out)
		}
	}
	if !strings.Contains(out, "crossorigin") {
		t.Errorf("preloaded font lacks crossorigin:\n%s", out)
	}
	if got := string(sink.Files[css.Name]); got != "body{color:#111}" {
		t.Errorf("css not minified: %q", got)
	}
	if !strings.HasPrefix(css.Name, "static/css/site.") || !strings.HasSuffix(css.Name, ".css") || len(css.Name) != len("static/css/site.12345678.css") {
		t.Errorf("hashed name %q", css.Name)
	}
}

// TestProblemPlaces: a problem in a Markdown section is reported at its
// line and column in the Markdown file; one in a layout at the layout's
// line; one repeated on every page once.
func TestProblemPlaces(t *testing.T) {
	md := "## 说明\n\n见[名词解释](/glossary/)和[上年](/nowhere/)。\n\n再见[上年](/nowhere/)。\n"
	layouts := fstest.MapFS{
		"layouts/base.html":            {Data: []byte("<html>\n<body>\n{{template \"header\" .}}\n</body>\n</html>\n")},
		"layouts/partials/header.html": {Data: []byte("{{define \"header\"}}\n<nav><a href=\"{{url \"missing-page/\"}}\">缺</a></nav>\n{{end}}\n")},
		"layouts/disclosure.html":      {Data: []byte("{{define \"main\"}}{{end}}\n")},
	}
	s, _ := newStage(t, Options{Layouts: layouts})
	section := `<h3 id="说明">说明</h3>
<p>见<a href="/yjsgk/glossary/">名词解释</a>和<a href="/yjsgk/nowhere/">上年</a>。</p>
<p>再见<a href="/yjsgk/nowhere/">上年</a>。</p>
`
	nav := `<nav><a href="/yjsgk/missing-page/">缺</a></nav>`
	for _, name := range []string{"a/index.html", "b/index.html"} {
		p := Page{Name: name, Layout: "layouts/disclosure.html", HTML: doc(nav + "\n<section>\n" + section + "</section>"),
			Parts: []Part{{HTML: []byte(section), File: "content/demo/2020/budget/01.md", Line: 4, Source: []byte(md)}}}
		if err := s.Page(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Page(Page{Name: "glossary/index.html", HTML: doc("")}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range finish(t, s) {
		got = append(got, d.String())
	}
	want := []string{
		"content/demo/2020/budget/01.md:6:26: 错误: 链接 /nowhere/ 指向的页面或文件 nowhere/index.html 不存在（共 2 个页面） [link.broken]",
		"content/demo/2020/budget/01.md:8:8: 错误: 链接 /nowhere/ 指向的页面或文件 nowhere/index.html 不存在（共 2 个页面） [link.broken]",
		"layouts/partials/header.html:2:22: 错误: 链接 /yjsgk/missing-page/ 指向的页面或文件 missing-page/index.html 不存在（生成的页面 a/index.html 第 7 行，共 2 个页面） [link.broken]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDuplicateIDPlace: an id given twice by a heading's {#id} is
// reported at the second {#id} in the Markdown.
func TestDuplicateIDPlace(t *testing.T) {
	md := "正文。\n\n## 第一 {#overview}\n\n文字\n\n## 第二 {#overview}\n"
	section := "<p>正文。</p>\n<h3 id=\"overview\">第一</h3>\n<p>文字</p>\n<h3 id=\"overview\">第二</h3>\n"
	s, _ := newStage(t, Options{})
	p := Page{Name: "a/index.html", HTML: doc("<section>\n" + section + "</section>"),
		Parts: []Part{{HTML: []byte(section), File: "content/demo/2020/budget/05.md", Line: 4, Source: []byte(md)}}}
	if err := s.Page(p); err != nil {
		t.Fatal(err)
	}
	const want = "content/demo/2020/budget/05.md:10:7: 错误: id \"overview\" 在本页出现了不止一次"
	if got := fmt.Sprint(finish(t, s)); !strings.Contains(got, want) {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestManyPagesLinks: with or without KeepLinks, every broken link of a
// site is found once. Each page links to the next (written after it:
// checked by Finish), to a missing anchor of the first page (broken on
// every page), and the last to a page that is not there.
func TestManyPagesLinks(t *testing.T) {
	const n = 1200
	for _, keep := range []bool{false, true} {
		s, _ := newStage(t, Options{KeepLinks: keep})
		for i := range n {
			body := fmt.Sprintf(`<h2 id="s">%d</h2><a href="/yjsgk/p%d/#s">下一页</a> <a href="/yjsgk/p0/#nope">锚点</a>`, i, i+1)
			if err := s.Page(Page{Name: fmt.Sprintf("p%d/index.html", i), HTML: doc(body)}); err != nil {
				t.Fatal(err)
			}
		}
		found := map[string]int{}
		var broken []string
		for _, d := range finish(t, s) {
			found[d.Rule]++
			if d.Rule == "link.broken" {
				broken = append(broken, d.File)
			}
		}
		if found["link.anchor"] != n || found["link.broken"] != 1 || len(found) != 2 {
			t.Errorf("keep=%t: found %v, want %d link.anchor and 1 link.broken", keep, found, n)
		}
		if want := fmt.Sprintf("p%d/index.html", n-1); len(broken) != 1 || broken[0] != want {
			t.Errorf("keep=%t: broken link on %v, want %s", keep, broken, want)
		}
	}
}

// TestNthBefore holds nthBefore's running count to bytes.Count over the
// part up to off, for offsets in increasing order (as the scanner asks),
// repeated, and going back (which starts the count again), with texts that
// overlap themselves.
func TestNthBefore(t *testing.T) {
	html := []byte("xx<a href=\"a\"><a href=\"a\">aaaa<a<a href=\"a\">aaa</a>yy<a href=\"a\">aa")
	pc := &pageCheck{p: &Page{HTML: html}, spans: []span{{2, 54, 0}, {54, len(html), 1}}}
	texts := []string{"<a", `href="a"`, "aa", "a", "<a href"}
	var offs []int
	for off := 2; off <= len(html); off += 3 {
		offs = append(offs, off)
	}
	offs = append(offs, len(html), 10, 11, 54, 40, len(html))
	for _, off := range offs {
		for _, text := range texts {
			sp := 0
			if off > 54 {
				sp = 1
			}
			want := bytes.Count(html[pc.spans[sp].start:off], []byte(text))
			if got := pc.nthBefore(sp, off, text); got != want {
				t.Fatalf("nthBefore(%d, %d, %q) = %d, want %d", sp, off, text, got, want)
			}
		}
	}
}

// FuzzPlainLink holds plainLink to url.Parse and ResolveReference: what it
// reads, they read the same, and resolved against a page it is the path it
// gives (the page's own for an anchor).
func FuzzPlainLink(f *testing.F) {
	for _, s := range []string{"#sec-1", "#第一部分", "/a/b.csv", "/a/b.csv#x", "/", "/数据/表.csv", "", "#",
		"/a/./b", "/a/../b", "//host/a", "/a//b", "a/b", "?q", "/a%20b", "#a#b", "/a b", "mailto:x", "/.well-known/x", "/a:b"} {
		f.Add(s)
	}
	base, err := url.Parse("https://example.gov.cn/czj/2024/budget/")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, val string) {
		path, frag, ok := plainLink(val)
		if !ok {
			return
		}
		u, err := url.Parse(val)
		if err != nil {
			t.Fatalf("plainLink read %q, which url.Parse rejects: %v", val, err)
		}
		if u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.RawQuery != "" || u.ForceQuery || u.Path != path || u.Fragment != frag {
			t.Fatalf("plainLink(%q) = %q %q; url.Parse gives %#v", val, path, frag, u)
		}
		want := base.ResolveReference(u).Path
		if got := cmp.Or(path, base.ResolveReference(&url.URL{}).Path); got != want {
			t.Fatalf("%q resolves to %q, plainLink gives %q", val, want, got)
		}
	})
}
