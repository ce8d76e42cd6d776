package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// SiteLinks returns an extension that puts links and images written from
// the site's root (/glossary/) under the site's sub-path base (/yjsgk/),
// so editors write the same links whatever address the site is published
// at. Links that already start with base, protocol-relative ones (//host)
// and all others are left alone. With base "/" it does nothing.
func SiteLinks(base string) goldmark.Extender { return siteLinks(base) }

type siteLinks string

func (e siteLinks) Extend(m goldmark.Markdown) {
	if e == "" || e == "/" {
		return
	}
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(e, 900)))
}

// Transform implements parser.ASTTransformer.
func (e siteLinks) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	base := []byte(e)
	fix := func(dest []byte) []byte {
		if len(dest) == 0 || dest[0] != '/' || bytes.HasPrefix(dest, []byte("//")) || bytes.HasPrefix(dest, base) {
			return dest
		}
		return append(bytes.Clone(base), dest[1:]...)
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
