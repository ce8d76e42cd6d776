package markdown

import "github.com/yuin/goldmark/parser"

// indentedParagraph opens a paragraph where CommonMark opens an indented
// code block (a line indented by four spaces or a tab); the paragraph
// parser's Close drops the indent, and the paragraph goes on as any other.
type indentedParagraph struct {
	parser.BlockParser // goldmark's paragraph parser
}

// CanAcceptIndentedLine implements parser.BlockParser: the indented lines
// are the ones it is for.
func (indentedParagraph) CanAcceptIndentedLine() bool { return true }
