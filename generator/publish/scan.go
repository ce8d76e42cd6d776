package publish

import (
	"bytes"
	"html"
	"strings"

	"github.com/tdewolff/parse/v2"
	htmllex "github.com/tdewolff/parse/v2/html"
	"github.com/tdewolff/parse/v2/xml"
)

// tag is one start tag of a page, with its attributes, as written.
type tag struct {
	name  string // lower case in HTML; as written inside <svg>
	off   int    // offset of its '<' in the page
	close int    // offset of its closing '>' or '/>': where attributes can be added
	attrs []attr
	svg   bool // inside an inline <svg>
}

// attr is one attribute of a tag.
type attr struct {
	key string // lower case in HTML
	val string // the value with character references decoded
	raw string // the attribute as written: href="x"
	off int    // offset of the attribute in the page
	// part is the index of the Part it is in (-1 for none), nth how many
	// attributes written the same came before it there.
	part, nth int
}

// get returns the value of the attribute key and whether it is present.
func (t *tag) get(key string) (string, bool) {
	for _, a := range t.attrs {
		if a.key == key {
			return a.val, true
		}
	}
	return "", false
}

// scanTags calls visit for every start tag of an HTML page, including the
// elements of inline SVG. It does not change data.
func scanTags(data []byte, visit func(*tag)) {
	// The lexer lower-cases names in its buffer: give it a copy.
	buf := make([]byte, len(data), len(data)+1)
	copy(buf, data)
	in := parse.NewInputBytes(buf)
	l := htmllex.NewLexer(in)
	var cur *tag
	for {
		tt, tok := l.Next()
		end := in.Offset()
		start := end - len(tok)
		switch tt {
		case htmllex.ErrorToken:
			return
		case htmllex.StartTagToken:
			cur = &tag{name: string(l.Text()), off: start}
		case htmllex.AttributeToken:
			if cur != nil {
				lead := len(tok) - len(bytes.TrimLeft(tok, " \t\r\n\f"))
				// raw from data, not tok: the lexer lower-cased its copy.
				cur.attrs = append(cur.attrs, attr{key: string(l.AttrKey()), val: attrValue(l.AttrVal()), raw: string(data[start+lead : end]), off: start + lead})
			}
		case htmllex.StartTagCloseToken, htmllex.StartTagVoidToken:
			if cur != nil {
				cur.close = start
				visit(cur)
				cur = nil
			}
		case htmllex.SVGToken:
			scanSVG(data[start:end], start, visit)
		}
	}
}

// scanSVG visits the elements of an inline <svg> element that starts at
// offset base of the page.
func scanSVG(svg []byte, base int, visit func(*tag)) {
	buf := make([]byte, len(svg), len(svg)+1)
	copy(buf, svg)
	in := parse.NewInputBytes(buf)
	l := xml.NewLexer(in)
	var cur *tag
	for {
		tt, tok := l.Next()
		end := in.Offset()
		start := end - len(tok)
		switch tt {
		case xml.ErrorToken:
			return
		case xml.StartTagToken:
			cur = &tag{name: string(l.Text()), off: base + start, svg: true}
		case xml.AttributeToken:
			if cur != nil {
				lead := len(tok) - len(bytes.TrimLeft(tok, " \t\r\n"))
				key, _, _ := strings.Cut(string(tok[lead:]), "=")
				cur.attrs = append(cur.attrs, attr{key: strings.TrimSpace(key), val: attrValue(l.AttrVal()), raw: string(tok[lead:]), off: base + start + lead})
			}
		case xml.StartTagCloseToken, xml.StartTagCloseVoidToken:
			if cur != nil {
				cur.close = base + start
				visit(cur)
				cur = nil
			}
		}
	}
}

// attrValue strips the quotes of a raw attribute value and decodes its
// character references.
func attrValue(v []byte) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	return html.UnescapeString(string(v))
}
