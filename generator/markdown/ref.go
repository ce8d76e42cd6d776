package markdown

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindRef is the node kind of a data reference.
var KindRef = ast.NewNodeKind("DiscloseRef")

// KindRefBlock is the node kind of a reference standing alone as a block.
var KindRefBlock = ast.NewNodeKind("DiscloseRefBlock")

// RefNode is a data reference in the text.
type RefNode struct {
	ast.BaseInline
	Ref    Ref
	Offset int
	// Out is set when the reference resolved.
	Out Output
	// Unclosed marks {{ without }} on the same line.
	Unclosed bool
}

// Kind implements ast.Node.
func (n *RefNode) Kind() ast.NodeKind { return KindRef }

// Dump implements ast.Node.
func (n *RefNode) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Raw": n.Ref.Raw}, nil)
}

// RefBlock is a reference that stands in a paragraph of its own and renders
// block content, such as a table.
type RefBlock struct {
	ast.BaseBlock
	Out Output
}

// Kind implements ast.Node.
func (n *RefBlock) Kind() ast.NodeKind { return KindRefBlock }

// Dump implements ast.Node.
func (n *RefBlock) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

type refExtension struct{}

func (refExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithInlineParsers(util.Prioritized(refParser{}, 90)),
		parser.WithASTTransformers(util.Prioritized(refResolver{}, 100)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(refRenderer{}, 100)))
}

type refParser struct{}

func (refParser) Trigger() []byte { return []byte{'{'} }

func (refParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !bytes.HasPrefix(line, []byte("{{")) {
		return nil
	}
	end := bytes.Index(line[2:], []byte("}}"))
	n := &RefNode{Offset: seg.Start}
	if end < 0 {
		n.Unclosed = true
		block.Advance(2)
		return n
	}
	inner := string(line[2 : 2+end])
	block.Advance(2 + end + 2)
	n.Ref = parseRef(inner)
	return n
}

// parseRef splits the text between the braces into verb and target. The
// separators editors type with either input method are all accepted: spaces
// (also full-width), a colon (also ：) between verb and target, and ． or 。
// for the dots of the target.
func parseRef(inner string) Ref {
	r := Ref{Raw: strings.TrimSpace(inner)}
	norm := inner
	if hasRefSeparator(inner) { // most hold none
		norm = refSeparators.Replace(inner)
	}
	// The first of two or more fields is the verb, the rest the target.
	n := 0
	for f := range strings.FieldsSeq(norm) {
		switch n {
		case 0:
			r.Target = f
		case 1:
			r.Verb, r.Target = r.Target, f
		default:
			r.Target += f
		}
		n++
	}
	return r
}

// refSeparatorPairs are the separators editors type in a reference with
// what they stand for: a full-width space, a colon (either width) or a tab
// for a space, ． or 。 for a dot.
var refSeparatorPairs = []string{"　", " ", "：", " ", ":", " ", "．", ".", "。", ".", "\t", " "}

var refSeparators = strings.NewReplacer(refSeparatorPairs...)

// hasRefSeparator reports whether s holds one of the characters
// refSeparators replaces. It is strings.ContainsAny with them, which for
// characters outside ASCII looks each of s up among them: the full-width
// ones all start with the byte E3 or EF, and most of a reference's
// characters do not (FuzzParseRef holds the two together).
func hasRefSeparator(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':' || c == '\t':
			return true
		case c == 0xE3 || c == 0xEF:
			r, _ := utf8.DecodeRuneInString(s[i:])
			if r == '　' || r == '：' || r == '．' || r == '。' {
				return true
			}
		}
	}
	return false
}

type refResolver struct{}

// Transform resolves every reference, records the failures with their
// position, and turns block references that stand alone into blocks.
func (refResolver) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	res, _ := pc.Get(keyResolver).(Resolver)
	var refs []*RefNode
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if r, ok := n.(*RefNode); ok && entering {
			refs = append(refs, r)
		}
		return ast.WalkContinue, nil
	})
	p := pc.Get(keyOrig).(*position)
	for _, r := range refs {
		if r.Unclosed {
			addError(pc, r.Offset, "数据引用 {{ 没有结束的 }}：引用写在同一行内，如 {{三公.合计}}")
			continue
		}
		r.Ref.Line, r.Ref.Col = p.at(r.Offset)
		if res == nil {
			addError(pc, r.Offset, "这里不能使用数据引用")
			continue
		}
		out, err := res.Resolve(r.Ref)
		if err != nil {
			reportErr(pc, r.Offset, Error{Rule: "markdown.ref", Msg: err.Error(), Err: err})
			continue
		}
		r.Out = out
		if !out.Block {
			continue
		}
		para := r.Parent()
		if _, ok := para.(*ast.Paragraph); !ok || para.ChildCount() != 1 {
			what := out.BlockName
			if what == "" {
				what = "一张表格"
			}
			addError(pc, r.Offset, "{{"+r.Ref.Raw+"}} 会插入"+what+"，须单独成段：前后各空一行")
			r.Out = Output{}
			continue
		}
		b := &RefBlock{Out: out}
		para.Parent().ReplaceChild(para.Parent(), para, b)
	}
}

type refRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (refRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindRef, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			out := n.(*RefNode).Out
			if out.HTML != "" {
				_, _ = w.WriteString(string(out.HTML))
			} else {
				_, _ = w.WriteString(escape(out.Text))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(KindRefBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(string(n.(*RefBlock).Out.HTML))
			_ = w.WriteByte('\n')
		}
		return ast.WalkSkipChildren, nil
	})
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

func escape(s string) string { return escaper.Replace(s) }
