package markdown

import (
	"bytes"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// seenValue records what its transformer found in the parser context.
type seenValue struct {
	key  parser.ContextKey
	seen []any
}

func (s *seenValue) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(s, 500)))
}

func (s *seenValue) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	s.seen = append(s.seen, pc.Get(s.key))
}

// TestDocContext: values in Doc.Context reach extensions for that document
// only.
func TestDocContext(t *testing.T) {
	ext := &seenValue{key: parser.NewContextKey()}
	r := New(Options{Extensions: []goldmark.Extender{ext}})
	var b bytes.Buffer
	for _, doc := range []Doc{
		{Source: []byte("一"), Context: map[parser.ContextKey]any{ext.key: "page one"}},
		{Source: []byte("二")},
	} {
		if _, err := r.Render(&b, doc, NewIDs(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(ext.seen) != 2 || ext.seen[0] != "page one" || ext.seen[1] != nil {
		t.Errorf("extensions saw %v, want [page one <nil>]", ext.seen)
	}
}
