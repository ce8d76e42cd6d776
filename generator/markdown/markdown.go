// Package markdown turns the narrative sections of a disclosure into HTML
// with goldmark, extended for disclosures:
//
//   - data references {{…}} (also typed with a Chinese input method as
//     ｛｛…｝｝), resolved by the caller's [Resolver] into figures, phrases and
//     embedded tables, with file:line:column for every one that fails;
//   - readable heading anchors that keep Chinese (goldmark's default drops it)
//     and {#id} to choose one;
//   - heading levels shifted under the page's section headings;
//   - raw HTML shown as text unless the site opts in.
//
// One [Renderer] serves a whole build; it is safe for concurrent use.
package markdown

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options configure a [Renderer].
type Options struct {
	// UnsafeHTML lets raw HTML through. Off, it is shown as text.
	UnsafeHTML bool
	// TopHeading is the HTML level the highest heading of a section gets
	// (the page uses h1 for its title and h2 for section titles); 0 means 3.
	TopHeading int
	// Extensions are added to goldmark, such as the glossary marker.
	Extensions []goldmark.Extender
}

// Renderer converts sections. Build one per build and pass it along.
type Renderer struct {
	md  goldmark.Markdown
	top int
	// safe is set when raw HTML is escaped: links goldmark empties are
	// then reported (see unsafeLink).
	safe bool
}

// New returns a Renderer.
func New(o Options) *Renderer {
	top := o.TopHeading
	if top == 0 {
		top = 3
	}
	rendererOpts := []renderer.Option{html.WithXHTML()}
	if o.UnsafeHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	exts := []goldmark.Extender{extension.Table, extension.Strikethrough, &refExtension{}}
	if !o.UnsafeHTML {
		exts = append(exts, escapeRawHTML{})
	}
	exts = append(exts, o.Extensions...)
	// No indented code blocks: text pasted from Word or WPS comes indented
	// by four spaces or a tab, and would be published as code, its data
	// references unresolved. Such a line starts a paragraph; a disclosure
	// shows no code, and fenced blocks (```) still work.
	var blocks []util.PrioritizedValue
	for _, b := range parser.DefaultBlockParsers() {
		if b.Value == parser.NewCodeBlockParser() {
			b.Value = indentedParagraph{parser.NewParagraphParser()}
		}
		blocks = append(blocks, b)
	}
	md := goldmark.New(
		goldmark.WithParser(parser.NewParser(parser.WithBlockParsers(blocks...),
			parser.WithInlineParsers(parser.DefaultInlineParsers()...),
			parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...))),
		goldmark.WithExtensions(exts...),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithHeadingAttribute(),
			parser.WithASTTransformers(util.Prioritized(headingShift{top: top}, 50)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return &Renderer{md: md, top: top, safe: !o.UnsafeHTML}
}

// Ref is one data reference as written: {{verb target}}.
type Ref struct {
	Verb   string // "" for a plain value
	Target string // e.g. 三公.合计
	Raw    string // the text between the braces
	Line   int
	Col    int
}

// Output is what a reference becomes.
type Output struct {
	// Text is inline text, escaped when written.
	Text string
	// HTML is trusted markup (a table from the layouts); Block means it
	// must stand in a paragraph of its own.
	HTML  template.HTML
	Block bool
	// BlockName says what a block reference inserts, for the error when
	// it does not stand alone; "" means 一张表格.
	BlockName string
}

// Resolver resolves references for one page.
type Resolver interface {
	Resolve(Ref) (Output, error)
}

// Heading is a heading of a section, for the table of contents.
type Heading struct {
	Level int // the HTML level after shifting
	Text  string
	ID    string
}

// Error is a problem at a place in a section.
type Error struct {
	Line, Col int
	Msg       string
	// Rule is markdown.ref for a reference, markdown.link for a link.
	Rule string
	// Err is the Resolver's error for a reference it failed, for a caller
	// that knows more of it than its message (a layout's failure is the
	// layout's, not the reference's); nil otherwise.
	Err error
}

func (e Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Result is what rendering a section found besides its HTML.
type Result struct {
	Headings []Heading
	Errors   []Error
}

// Doc is one section to render: its Markdown and the line of the file its
// first line is.
type Doc struct {
	Source []byte
	Line   int
	// Context holds values for extensions, set in the goldmark parser
	// context of this document only, such as the glossary terms of the page
	// (glossary.Page.Context).
	Context map[parser.ContextKey]any
}

var fullWidthBraces = strings.NewReplacer(
	"｛｛", "{{    ", "{｛", "{{  ", "｛{", "{{  ",
	"｝｝", "    }}", "}｝", "  }}", "｝}", "  }}",
)

var (
	keyResolver = parser.NewContextKey()
	keyErrors   = parser.NewContextKey()
	keyOrig     = parser.NewContextKey()
)

// Render writes the HTML of doc to w. ids holds the anchors already used on
// the page, so anchors stay unique across sections. References are resolved
// with res; their problems are returned in the Result, not as the error,
// which reports only a failure to write.
func (r *Renderer) Render(w io.Writer, doc Doc, ids *IDs, res Resolver) (Result, error) {
	src := doc.Source
	orig := src
	if bytes.Contains(src, []byte("｛")) || bytes.Contains(src, []byte("｝")) {
		// goldmark triggers inline parsers on ASCII punctuation only; turn
		// full-width braces into ASCII ones padded to the same length so
		// every byte offset, hence every reported position, stays true.
		src = []byte(fullWidthBraces.Replace(string(src)))
	}
	errs := &[]Error{}
	pc := parser.NewContext(parser.WithIDs(ids))
	pc.Set(keyResolver, res)
	pc.Set(keyErrors, errs)
	pc.Set(keyOrig, &position{src: orig, line0: doc.Line})
	for k, v := range doc.Context {
		pc.Set(k, v)
	}
	root := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var out Result
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if h, ok := n.(*ast.Heading); ok {
			id, _ := h.AttributeString("id")
			idb, _ := id.([]byte)
			out.Headings = append(out.Headings, Heading{Level: h.Level, Text: plainText(h, src), ID: string(idb)})
		} else if r.safe {
			if what, dest, bad := unsafeLink(n, src); bad {
				reportUnsafeLink(pc, n, what, dest)
			}
		}
		return ast.WalkContinue, nil
	})
	out.Errors = *errs
	return out, r.md.Renderer().Render(w, src, root)
}

// position turns byte offsets into file line:column (in characters).
type position struct {
	src   []byte
	line0 int
	// The last offset asked and its line and column (from 0): references
	// are resolved in the order they are written, and a section has
	// dozens, so each goes on from the one before (FuzzPosition).
	off, line, col int
}

func (p *position) at(off int) (line, col int) {
	off = max(min(off, len(p.src)), 0)
	// Counting on is counting from the start when the last offset was at
	// the start of a character: a character is not split across it.
	if off < p.off || p.off < len(p.src) && !utf8.RuneStart(p.src[p.off]) {
		p.off, p.line, p.col = 0, 0, 0
	}
	from := p.off
	if nl := bytes.LastIndexByte(p.src[from:off], '\n'); nl >= 0 {
		p.line += bytes.Count(p.src[from:off], []byte{'\n'})
		p.col, from = 0, from+nl+1
	}
	p.col += utf8.RuneCount(p.src[from:off])
	p.off = off
	return p.line0 + p.line, p.col + 1
}

// addError reports a problem with a reference.
func addError(pc parser.Context, off int, msg string) { report(pc, off, "markdown.ref", msg) }

// report records a problem found at byte off of the section.
func report(pc parser.Context, off int, rule, msg string) {
	reportErr(pc, off, Error{Rule: rule, Msg: msg})
}

// reportErr records e, found at byte off of the section.
func reportErr(pc parser.Context, off int, e Error) {
	p := pc.Get(keyOrig).(*position)
	e.Line, e.Col = p.at(off)
	errs := pc.Get(keyErrors).(*[]Error)
	*errs = append(*errs, e)
}

// plainText is the text of a node and its descendants, references included.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *RefNode:
			b.WriteString(t.Out.Text)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// headingShift moves a section's headings so its highest one is at level
// top: editors may start at # or ##, the page decides.
type headingShift struct{ top int }

func (s headingShift) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	minLevel := 7
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			minLevel = min(minLevel, h.Level)
		}
		return ast.WalkContinue, nil
	})
	if minLevel == 7 {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.Level = min(6, h.Level-minLevel+s.top)
		}
		return ast.WalkContinue, nil
	})
}

// IDs hands out anchor ids for one page: readable, keeping Chinese, unique.
// It implements goldmark's parser.IDs.
type IDs struct {
	used map[string]bool
}

// NewIDs returns an empty set of ids.
func NewIDs() *IDs { return &IDs{used: map[string]bool{}} }

// Generate implements parser.IDs: an id from the heading text.
func (ids *IDs) Generate(value []byte, kind ast.NodeKind) []byte {
	return []byte(ids.Unique(Slug(string(value))))
}

// Put implements parser.IDs: an explicit {#id} is taken as written.
func (ids *IDs) Put(value []byte) { ids.used[string(value)] = true }

// Unique returns base, or base-2, base-3 … if taken, and marks it used.
func (ids *IDs) Unique(base string) string {
	if base == "" {
		base = "section"
	}
	id := base
	for i := 2; ids.used[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	ids.used[id] = true
	return id
}

// Slug makes a readable anchor from text: letters and digits of any script
// are kept, runs of spaces and ASCII punctuation become '-', other
// punctuation (、（）“”) is dropped. 一、收支预算的总体情况 → 一收支预算的总体情况.
func Slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '_' || r == '-':
			b.WriteRune(r)
			dash = false
		case r < utf8.RuneSelf || unicode.IsSpace(r):
			dash = true
		}
	}
	return b.String()
}

// escapeRawHTML shows raw HTML in Markdown as text: editors paste from Word
// and web pages, and a <script> must never reach a reader's browser.
type escapeRawHTML struct{}

func (escapeRawHTML) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(escapeRawHTML{}, 100)))
}

// RegisterFuncs implements renderer.NodeRenderer.
func (escapeRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := range segs.Len() {
				s := segs.At(i)
				_, _ = w.WriteString(template.HTMLEscapeString(string(s.Value(src))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		b := n.(*ast.HTMLBlock)
		_, _ = w.WriteString("<p>")
		for i := range b.Lines().Len() {
			s := b.Lines().At(i)
			_, _ = w.WriteString(template.HTMLEscapeString(string(s.Value(src))))
		}
		if b.HasClosure() {
			_, _ = w.WriteString(template.HTMLEscapeString(string(b.ClosureLine.Value(src))))
		}
		_, _ = w.WriteString("</p>\n")
		return ast.WalkSkipChildren, nil
	})
}
