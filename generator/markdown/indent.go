package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// indentedParagraph opens a paragraph where CommonMark opens an indented
// code block (a line indented by four spaces or a tab), its indent
// dropped; the paragraph then goes on as any other.
type indentedParagraph struct {
	parser.BlockParser // goldmark's paragraph parser
}

// CanAcceptIndentedLine implements parser.BlockParser: the indented lines
// are the ones it is for.
func (indentedParagraph) CanAcceptIndentedLine() bool { return true }

// Open implements parser.BlockParser.
func (indentedParagraph) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	line, segment := reader.PeekLine()
	if util.IsBlank(line) {
		return nil, parser.NoChildren
	}
	node := ast.NewParagraph()
	node.Lines().Append(segment.TrimLeftSpace(reader.Source()))
	reader.AdvanceToEOL()
	return node, parser.NoChildren
}
