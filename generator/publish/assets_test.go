package publish

import (
	"bytes"
	"strings"
	"testing"
)

// TestStylesheetReferences: url() and @import point at the hashed names
// of what they refer to, in any order of adding; what cannot work is an
// error at the stylesheet's line and column.
func TestStylesheetReferences(t *testing.T) {
	s, sink := newStage(t, Options{})
	files := []File{
		{"static/css/site.css", []byte("@import \"base.css\";\n.logo { background: url(../img/logo.png) no-repeat; }\n@font-face { src: url('/static/fonts/a.woff2?v=1#x') }\n.f { filter: url(#blur) }\n")},
		{"static/css/base.css", []byte("body { background: url( \"../img/bg.svg\" ) }\n")},
		{"static/img/logo.png", []byte("png")},
		{"static/img/bg.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
		{"static/fonts/a.woff2", []byte("font")},
	}
	if err := s.Assets(files); err != nil {
		t.Fatal(err)
	}
	if d := s.diagnostics(); len(d) > 0 {
		t.Fatal(d)
	}
	name := func(n string) string {
		a := s.asset(n)
		if a == nil {
			t.Fatalf("no asset %s", n)
		}
		return a.Name
	}
	site := string(sink.Files[name("static/css/site.css")])
	base := strings.TrimPrefix(name("static/css/base.css"), "static/css/")
	for _, want := range []string{
		`@import "` + base + `"`,
		"url(../img/" + strings.TrimPrefix(name("static/img/logo.png"), "static/img/") + ")",
		"url('/yjsgk/" + name("static/fonts/a.woff2") + "?v=1#x')",
		"url(#blur)",
	} {
		if !strings.Contains(site, want) {
			t.Errorf("site.css lacks %q:\n%s", want, site)
		}
	}
	if b := string(sink.Files[name("static/css/base.css")]); !strings.Contains(b, strings.TrimPrefix(name("static/img/bg.svg"), "static/img/")) {
		t.Errorf("base.css not rewritten: %s", b)
	}

	bad, _ := newStage(t, Options{})
	err := bad.Assets([]File{
		{"static/css/a.css", []byte("@import 'b.css';\np { background: url(nope.png) }\n.x { background: url(data:image/png;base64,AA) }\n@import url(https://fonts.example.com/f.css);\n")},
		{"static/css/b.css", []byte("@import 'a.css';\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range bad.diagnostics() {
		got = append(got, d.String())
	}
	want := []string{
		"static/css/a.css: 错误: 样式表互相引用，形成循环：static/css/a.css → static/css/b.css → static/css/a.css [css.import-cycle]",
		"static/css/a.css:2:21: 错误: 样式表引用的文件 nope.png 不存在（找的是 static/css/nope.png） [css.missing]",
		"static/css/a.css:3:22: 错误: 样式表中的 data: 网址会被内容安全策略（CSP）拦截：请把图片或字体作为文件放在 static/ 下，用相对路径引用 [csp.data-url]",
		"static/css/a.css:4:13: 错误: 样式表引用了外部网站的文件 https://fonts.example.com/f.css：政府网站不应加载第三方资源，内容安全策略（CSP）也会拦截它；请把文件放到 static/ 下 [csp.third-party]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestHashedName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"static/css/site.css", "static/css/site.HASH.css"},
		{"static/LICENSE", "static/LICENSE.HASH"},
		{"static/.well", "static/.well.HASH"},
		{"static/a.tar.gz", "static/a.tar.HASH.gz"},
	} {
		got := hashedName(tt.in, []byte("x"))
		h := "2d711642" // sha256("x")[:4]
		if got != strings.ReplaceAll(tt.want, "HASH", h) {
			t.Errorf("hashedName(%s) = %s", tt.in, got)
		}
	}
}

// FuzzStylesheet: any stylesheet is published without a panic, and one
// without references is published as it came.
func FuzzStylesheet(f *testing.F) {
	f.Add([]byte("@import 'b.css'; p { background: url(\"../img/a.png\") } .x{filter:url(#f)}"))
	f.Add([]byte("url(\x00"))
	f.Fuzz(func(t *testing.T, css []byte) {
		s, sink := newStage(t, Options{})
		if err := s.Assets([]File{{"static/css/a.css", css}, {"static/img/a.png", []byte("png")}}); err != nil {
			t.Fatal(err)
		}
		a := s.asset("static/css/a.css")
		if len(cssRefs(css)) == 0 && !bytes.Equal(sink.Files[a.Name], css) {
			t.Fatalf("a stylesheet without references changed: %q → %q", css, sink.Files[a.Name])
		}
	})
}
