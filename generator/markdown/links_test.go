package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
)

func TestSiteLinks(t *testing.T) {
	tests := []struct {
		base, src, want string
	}{
		{"/yjsgk/", "[名词](/glossary/)", `href="/yjsgk/glossary/"`},
		{"/yjsgk/", "[名词](/yjsgk/glossary/)", `href="/yjsgk/glossary/"`},
		{"/yjsgk/", "[外](//cdn.example.com/x)", `href="//cdn.example.com/x"`},
		{"/yjsgk/", "[相对](../glossary/)", `href="../glossary/"`},
		{"/yjsgk/", "[锚](#overview)", `href="#overview"`},
		{"/yjsgk/", "![图](/static/img/a.png)", `src="/yjsgk/static/img/a.png"`},
		{"/yjsgk/", "[站外](https://www.gov.cn/)", `href="https://www.gov.cn/"`},
		{"/", "[名词](/glossary/)", `href="/glossary/"`},
		// A file of static/ at the name it is published under.
		{"/", "![组织机构图](/static/img/org.png)", `src="/static/img/org.3f9c2a1b.png"`},
		{"/yjsgk/", "![组织机构图](/static/img/org.png)", `src="/yjsgk/static/img/org.3f9c2a1b.png"`},
		{"/yjsgk/", "![组织机构图](/yjsgk/static/img/org.png)", `src="/yjsgk/static/img/org.3f9c2a1b.png"`},
		{"/", "[下载说明](/static/files/%E8%AF%B4%E6%98%8E.pdf#page=2)", `href="/static/files/%E8%AF%B4%E6%98%8E.9a8b7c6d.pdf#page=2"`},
		{"/", "![没有这张图](/static/img/none.png)", `src="/static/img/none.png"`},
	}
	asset := func(name string) (string, error) {
		switch name {
		case "img/org.png":
			return "static/img/org.3f9c2a1b.png", nil
		case "files/说明.pdf":
			return "static/files/说明.9a8b7c6d.pdf", nil
		}
		return "", fmt.Errorf("no static file %s", name)
	}
	for _, tt := range tests {
		r := New(Options{Extensions: []goldmark.Extender{SiteLinks(tt.base, asset)}})
		var b bytes.Buffer
		if _, err := r.Render(&b, Doc{Source: []byte(tt.src), Line: 1}, NewIDs(), nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("base %s, %s → %s; want %s", tt.base, tt.src, b.String(), tt.want)
		}
	}
}

// TestDangerousLinks: a link goldmark empties (javascript:, vbscript:,
// file:, data: but for images) is reported where it is written; a site
// that lets raw HTML through keeps such links, and hears nothing.
func TestDangerousLinks(t *testing.T) {
	tests := []struct {
		src  string
		want string // line:col: the start of the message, or "" for none
	}{
		{"[站外](https://www.gov.cn/)", ""},
		{"见[点我](javascript:alert(5))。", "1:3: 链接地址 javascript:alert(5) 不安全"},
		{"前一行\n[点](JaVaScRiPt:x)", "2:2: 链接地址 JaVaScRiPt:x"},
		{"![图](javascript:x)", "1:3: 图片地址 javascript:x"},
		{"![图](data:image/png;base64,AAAA)", ""},
		{"[ref]\n\n[ref]: vbscript:msgbox", "1:2: 链接地址 vbscript:msgbox"},
		{"<file:///etc/passwd>", "1:1: 链接地址 file:///etc/passwd"},
		{"[](javascript:x)", "1:1: 链接地址 javascript:x"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		res, err := New(Options{}).Render(&b, Doc{Source: []byte(tt.src), Line: 1}, NewIDs(), nil)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if len(res.Errors) > 0 {
			e := res.Errors[0]
			got = e.Error()
			if e.Rule != "markdown.link" {
				t.Errorf("%q: rule %q", tt.src, e.Rule)
			}
		}
		if len(res.Errors) > 1 || !strings.HasPrefix(got, tt.want) || (tt.want == "") != (got == "") {
			t.Errorf("%q: errors %v, want %q", tt.src, res.Errors, tt.want)
		}
	}
	var b bytes.Buffer
	res, _ := New(Options{UnsafeHTML: true}).Render(&b, Doc{Source: []byte("[点我](javascript:alert(5))"), Line: 1}, NewIDs(), nil)
	if len(res.Errors) > 0 || !strings.Contains(b.String(), `href="javascript:alert(5)"`) {
		t.Errorf("unsafe_html: %v, %s", res.Errors, b.String())
	}
}
