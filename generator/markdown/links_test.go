package markdown

import (
	"bytes"
	"github.com/yuin/goldmark"
	"strings"
	"testing"
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
	}
	for _, tt := range tests {
		r := New(Options{Extensions: []goldmark.Extender{SiteLinks(tt.base)}})
		var b bytes.Buffer
		if _, err := r.Render(&b, Doc{Source: []byte(tt.src), Line: 1}, NewIDs(), nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tt.want) {
			t.Errorf("base %s, %s → %s; want %s", tt.base, tt.src, b.String(), tt.want)
		}
	}
}
