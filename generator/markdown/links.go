package markdown

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// SiteLinks returns an extension that puts links and images written from
// the site's root (/glossary/) under the site's sub-path base (/yjsgk/),
// so editors write the same links whatever address the site is published
// at, and that points those to a file of static/ (/static/img/org.png) at
// the name it is published under, which asset gives for its name below
// static/ (img/org.png → static/img/org.3f9c2a1b.png); a name asset does
// not know is left for the link check to report. Links that already start
// with base, protocol-relative ones (//host) and all others are left
// alone. asset may be nil.
func SiteLinks(base string, asset func(name string) (string, error)) goldmark.Extender {
	return siteLinks{base: base, asset: asset}
}

type siteLinks struct {
	base  string
	asset func(string) (string, error)
}

func (e siteLinks) Extend(m goldmark.Markdown) {
	if (e.base == "" || e.base == "/") && e.asset == nil {
		return
	}
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(e, 900)))
}

// Transform implements parser.ASTTransformer.
func (e siteLinks) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	base := []byte(cmp.Or(e.base, "/"))
	fix := func(dest []byte) []byte {
		if len(dest) == 0 || dest[0] != '/' || bytes.HasPrefix(dest, []byte("//")) {
			return dest
		}
		rest := dest[1:]
		if bytes.HasPrefix(dest, base) {
			rest = dest[len(base):]
		}
		if e.asset != nil {
			// The path, without a query or fragment, as the file is named.
			p, tail := string(rest), ""
			if i := strings.IndexAny(p, "?#"); i >= 0 {
				p, tail = p[:i], p[i:]
			}
			if name, ok := strings.CutPrefix(p, "static/"); ok {
				if u, err := url.PathUnescape(name); err == nil {
					name = u
				}
				if hashed, err := e.asset(name); err == nil {
					return []byte(string(base) + hashed + tail)
				}
			}
		}
		if bytes.HasPrefix(dest, base) {
			return dest
		}
		return append(bytes.Clone(base), rest...)
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			n.Destination = fix(n.Destination)
		case *ast.Image:
			n.Destination = fix(n.Destination)
		}
		return ast.WalkContinue, nil
	})
}

// unsafeLink returns what n is (链接 or 图片) and its address when n is a
// link or image whose address goldmark leaves out of a safe page
// (javascript:, vbscript:, file:, data: but for images): the page would
// show a link to nowhere, and nothing else would say so.
func unsafeLink(n ast.Node, src []byte) (what string, dest []byte, ok bool) {
	switch n := n.(type) {
	case *ast.Link:
		what, dest = "链接", n.Destination
	case *ast.Image:
		what, dest = "图片", n.Destination
	case *ast.AutoLink:
		if n.AutoLinkType != ast.AutoLinkURL {
			return "", nil, false
		}
		what, dest = "链接", n.URL(src)
	default:
		return "", nil, false
	}
	return what, dest, html.IsDangerousURL(dest)
}

// reportUnsafeLink reports the unsafe link n (see unsafeLink).
func reportUnsafeLink(pc parser.Context, n ast.Node, what string, dest []byte) {
	shown := []rune(string(dest))
	if len(shown) > 60 { // a data: address may hold a whole file
		shown = append(shown[:57], '…')
	}
	report(pc, offset(n), "markdown.link", fmt.Sprintf("%s地址 %s 不安全（javascript:、vbscript:、file:、data: 等），网页上会被去掉：请写 https:// 开头的网址或站内路径", what, string(shown)))
}

// offset is where node n's text starts in the source: its first text, or
// failing that the first line of the block that holds it.
func offset(n ast.Node) int {
	found := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			found = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if found >= 0 {
		return found
	}
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}
