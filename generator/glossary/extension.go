package glossary

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindTerm is the node kind of a marked term.
var KindTerm = ast.NewNodeKind("GlossaryTerm")

// TermNode is a marked occurrence of a term; its children are the text as
// written.
type TermNode struct {
	ast.BaseInline
	Term *Term
	// Anchor is the occurrence's own id, for back-links.
	Anchor string
	// GlossaryURL is the term's entry on the glossary page, or "".
	GlossaryURL string
}

// Kind implements ast.Node.
func (n *TermNode) Kind() ast.NodeKind { return KindTerm }

// Dump implements ast.Node.
func (n *TermNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Term": n.Term.Term.Term, "Anchor": n.Anchor}, nil)
}

// Extension marks glossary terms. Add it to the build's one goldmark
// instance; it marks the documents whose parser context holds a [Page]
// ([Page.Context]) and leaves others alone.
type Extension struct{}

// Extend implements goldmark.Extender.
func (Extension) Extend(m goldmark.Markdown) {
	// After every other transformer (goldmark runs lower priorities
	// first): data references are resolved and tables placed by then.
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(transformer{}, 10000)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(termRenderer{}, 500)))
}

type transformer struct{}

// Transform implements parser.ASTTransformer.
func (transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	p, _ := pc.Get(pageKey).(*Page)
	if p == nil || p.set == nil || p.set.matcher.Empty() {
		return
	}
	w := walker{p: p, src: reader.Source(), ids: pc.IDs()}
	w.container(doc)
}

type walker struct {
	p   *Page
	src []byte
	ids parser.IDs
}

// skipped reports whether text under n is never marked.
func skipped(n ast.Node) bool {
	switch n.Kind() {
	case ast.KindHeading, ast.KindLink, ast.KindAutoLink, ast.KindImage, ast.KindCodeSpan,
		ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock, ast.KindRawHTML,
		east.KindTableHeader, KindTerm:
		return true
	}
	return false
}

// container marks the text among n's children and descends into the
// others, in document order.
func (w *walker) container(n ast.Node) {
	for c := n.FirstChild(); c != nil; {
		if c.Kind() == ast.KindHeading {
			w.p.headingScope()
		}
		if t, ok := c.(*ast.Text); ok && w.markable(t) {
			// A run of Text nodes that are contiguous in the source: the
			// parser splits text at characters that might have started
			// something (*, [, _), and a term may span the split.
			run := []*ast.Text{t}
			next := c.NextSibling()
			for next != nil {
				nt, ok := next.(*ast.Text)
				last := run[len(run)-1]
				if !ok || !w.markable(nt) || last.SoftLineBreak() || last.HardLineBreak() ||
					last.Segment.Stop != nt.Segment.Start {
					break
				}
				run = append(run, nt)
				next = next.NextSibling()
			}
			w.run(n, run)
			c = next
			continue
		}
		if !skipped(c) && c.HasChildren() {
			w.container(c)
		}
		c = c.NextSibling()
	}
}

func (w *walker) markable(t *ast.Text) bool {
	return !t.IsRaw() && t.Segment.Padding == 0
}

// run marks the terms of one run of text, replacing its nodes only when
// something is marked.
func (w *walker) run(parent ast.Node, run []*ast.Text) {
	start, stop := run[0].Segment.Start, run[len(run)-1].Segment.Stop
	txt := w.src[start:stop]
	p := w.p
	p.matches = p.set.matcher.AppendMatches(p.matches[:0], txt, cuttable(txt))
	var marks []*TermNode
	var at []Match
	for _, m := range p.matches {
		t := p.set.Terms[m.Value]
		if !p.mention(t) {
			continue
		}
		anchor := ""
		if w.ids != nil {
			anchor = string(w.ids.Generate([]byte("use-"+strings.TrimPrefix(t.ID, "term-")), KindTerm))
		}
		p.markedAt(t, anchor)
		tn := &TermNode{Term: t, Anchor: anchor}
		if t.Site && p.opts.GlossaryPage != "" {
			tn.GlossaryURL = p.opts.GlossaryPage + "#" + t.fragment()
		}
		marks = append(marks, tn)
		at = append(at, m)
	}
	if len(marks) == 0 {
		return
	}
	last := run[len(run)-1]
	before := ast.Node(run[0])
	pos := start
	for i, tn := range marks {
		m := at[i]
		if start+m.Start > pos {
			parent.InsertBefore(parent, before, ast.NewTextSegment(text.NewSegment(pos, start+m.Start)))
		}
		tn.AppendChild(tn, ast.NewTextSegment(text.NewSegment(start+m.Start, start+m.End)))
		parent.InsertBefore(parent, before, tn)
		pos = start + m.End
	}
	if pos < stop || last.SoftLineBreak() || last.HardLineBreak() {
		// The tail keeps the run's line break, outside the link.
		tail := ast.NewTextSegment(text.NewSegment(pos, stop))
		tail.SetSoftLineBreak(last.SoftLineBreak())
		tail.SetHardLineBreak(last.HardLineBreak())
		parent.InsertBefore(parent, before, tail)
	}
	for _, t := range run {
		parent.RemoveChild(parent, t)
	}
}

// cuttable returns the test of whether a match may start and end where it
// does in txt: not between a backslash and the character it escapes, nor
// inside an entity reference (&amp; &#20013;), which the HTML writer
// decodes only whole.
func cuttable(txt []byte) func(start, end int) bool {
	if bytes.IndexByte(txt, '\\') < 0 && bytes.IndexByte(txt, '&') < 0 {
		return nil
	}
	bad := map[int]bool{}
	for i := 0; i < len(txt); i++ {
		switch txt[i] {
		case '\\':
			if i+1 < len(txt) && isASCIIPunct(txt[i+1]) {
				bad[i+1] = true
				i++
			}
		case '&':
			if j := entityEnd(txt, i); j > 0 {
				for k := i + 1; k < j; k++ {
					bad[k] = true
				}
				i = j - 1
			}
		}
	}
	return func(start, end int) bool { return !bad[start] && !bad[end] }
}

func isASCIIPunct(b byte) bool {
	return b < 0x80 && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", b) >= 0
}

// entityEnd returns the end of the entity or character reference at
// txt[i] (which is '&'), or 0 if there is none.
func entityEnd(txt []byte, i int) int {
	j := i + 1
	if j < len(txt) && txt[j] == '#' {
		j++
		hex := j < len(txt) && (txt[j] == 'x' || txt[j] == 'X')
		if hex {
			j++
		}
		d := j
		for j < len(txt) && j-d < 8 && (txt[j] >= '0' && txt[j] <= '9' || hex && (txt[j]|0x20 >= 'a' && txt[j]|0x20 <= 'f')) {
			j++
		}
		if j == d {
			return 0
		}
	} else {
		d := j
		for j < len(txt) && j-d < 32 && isWordByte(txt[j]) {
			j++
		}
		if j == d {
			return 0
		}
	}
	if j < len(txt) && txt[j] == ';' {
		return j + 1
	}
	return 0
}

type termRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (termRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindTerm, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			_, _ = w.WriteString("</a>")
			return ast.WalkContinue, nil
		}
		tn := n.(*TermNode)
		_, _ = w.WriteString(`<a class="gl-term" href="#`)
		_, _ = w.WriteString(tn.Term.fragment())
		_ = w.WriteByte('"')
		if tn.Anchor != "" {
			_, _ = w.WriteString(` id="`)
			_, _ = w.WriteString(attr(tn.Anchor))
			_ = w.WriteByte('"')
		}
		_, _ = w.WriteString(` aria-describedby="`)
		_, _ = w.WriteString(attr(tn.Term.DefID()))
		_ = w.WriteByte('"')
		if tn.GlossaryURL != "" {
			_, _ = w.WriteString(` data-glossary="`)
			_, _ = w.WriteString(attr(tn.GlossaryURL))
			_ = w.WriteByte('"')
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	})
}

var attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

func attr(s string) string { return attrEscaper.Replace(s) }

// fragment percent-encodes an id for an href as html/template does in the
// layouts (lower-case hex), so the page's links to one anchor read alike.
func fragment(id string) string {
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if isWordByte(c) || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
