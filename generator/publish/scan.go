package publish

import (
	"bytes"
	"html"

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

// attr is one attribute of a tag. Its value is decoded only when asked
// for: most attributes of a page (class, scope, colspan) are never looked
// at, and a page has thousands.
type attr struct {
	key string // lower case in HTML
	// rawVal is the value as written, quotes included; nil for none.
	rawVal []byte
	// set, if setVal, replaces the value (one URL of a srcset).
	set    string
	setVal bool
	// off and end delimit the attribute as written (href="x") in the page.
	off, end int
	// part is the index of the span of the Part it is in (-1 for none); see
	// pageCheck.origin for how it is placed in its source.
	part int
}

// value returns the attribute's value with its character references
// decoded.
func (a attr) value() string {
	if a.setVal {
		return a.set
	}
	return attrValue(a.rawVal)
}

// get returns the value of the attribute key and whether it is present.
func (t *tag) get(key string) (string, bool) {
	for _, a := range t.attrs {
		if a.key == key {
			return a.value(), true
		}
	}
	return "", false
}

// commonName returns b as a string, without allocating when it is one of
// common: the names pages are mostly made of.
func commonName(b []byte, common []string) string {
	for _, k := range common {
		if string(b) == k {
			return k
		}
	}
	return string(b)
}

// tagName returns an element name; svgName the name of an element inside
// <svg>, as written; attrKey an attribute name.
func tagName(b []byte) string { return commonName(b, commonTags[:]) }
func svgName(b []byte) string { return commonName(b, svgTags[:]) }
func attrKey(b []byte) string { return commonName(b, commonKeys[:]) }
func svgKey(b []byte) string  { return commonName(b, svgKeys[:]) }

// commonTags are the names of most elements of a page.
var commonTags = [...]string{"td", "th", "tr", "a", "p", "li", "span", "div", "ol", "ul", "h2", "h3", "h4", "table",
	"thead", "tbody", "caption", "section", "figure", "dl", "dt", "dd", "nav", "meta", "link", "script", "button"}

// svgTags are the names of the elements charts are made of.
var svgTags = [...]string{"rect", "text", "line", "g", "path", "title", "desc", "tspan", "svg", "polyline", "circle", "a"}

// commonKeys are the attribute names of most attributes of a page.
var commonKeys = [...]string{"class", "id", "href", "scope", "colspan", "rowspan", "src", "rel", "name", "content",
	"role", "tabindex", "aria-labelledby", "aria-describedby", "aria-label", "aria-current", "type", "lang", "alt",
	"width", "height", "style", "defer", "integrity"}

// svgKeys are the attribute names of most attributes of a chart, which
// has some 700: most are x and y.
var svgKeys = [...]string{"x", "y", "class", "fill", "font-size", "width", "height", "text-anchor", "id", "stroke",
	"stroke-width", "d", "x1", "y1", "x2", "y2", "viewBox", "role", "aria-labelledby", "aria-describedby", "focusable"}

// leadingSpace returns how many bytes of HTML white space start tok.
func leadingSpace(tok []byte) int {
	n := 0
	for n < len(tok) && (tok[n] == ' ' || tok[n] == '\t' || tok[n] == '\n' || tok[n] == '\r' || tok[n] == '\f') {
		n++
	}
	return n
}

// scanTags calls visit for every start tag of an HTML page, including the
// elements of inline SVG. It does not change data. The *tag is reused for
// the next element: visit must not keep it (copies of its attributes are
// fine). It returns where the page's outermost <table> elements without
// inline SVG and its inline <svg> elements outside <pre> are, in order and
// none inside another, for minifyPage. If
// tokens is not nil, it is given every token first (see Page.Tokens).
func scanTags(data []byte, visit func(*tag), tokens func(htmllex.TokenType, []byte, *htmllex.Lexer)) (regions []region) {
	// The lexer lower-cases names in its buffer: give it a copy.
	buf := make([]byte, len(data), len(data)+1)
	copy(buf, data)
	in := parse.NewInputBytes(buf)
	l := htmllex.NewLexer(in)
	// One tag is reused for every element: visit must not keep it.
	var cur *tag
	reuse := &tag{}
	// The minifier keeps a <pre>'s spaces until the next </pre>.
	depth, table, inPre := 0, -1, false
	for {
		tt, tok := l.Next()
		end := in.Offset()
		start := end - len(tok)
		if tokens != nil && tt != htmllex.ErrorToken {
			tokens(tt, tok, l)
		}
		switch tt {
		case htmllex.ErrorToken:
			return regions
		case htmllex.StartTagToken:
			*reuse = tag{name: tagName(l.Text()), off: start, attrs: reuse.attrs[:0]}
			cur = reuse
			switch cur.name {
			case "table":
				if depth == 0 && !inPre {
					table = start
				}
				depth++
			case "pre":
				inPre, table = true, -1
			}
		case htmllex.EndTagToken:
			switch tagName(l.Text()) {
			case "table":
				if depth--; depth == 0 && table >= 0 && !inPre {
					regions = append(regions, region{start: table, end: end})
				}
				if depth <= 0 {
					depth, table = 0, -1
				}
			case "pre":
				inPre, table = false, -1
			}
		case htmllex.AttributeToken:
			if cur != nil {
				lead := leadingSpace(tok)
				cur.attrs = append(cur.attrs, attr{key: attrKey(l.AttrKey()), rawVal: l.AttrVal(), off: start + lead, end: end})
			}
		case htmllex.StartTagCloseToken, htmllex.StartTagVoidToken:
			if cur != nil {
				cur.close = start
				visit(cur)
				cur = nil
			}
		case htmllex.SVGToken:
			scanSVG(buf, start, end, visit)
			if !inPre {
				regions = append(regions, region{start: start, end: end, svg: true})
			}
			// The table around it, which compactTable would refuse, is
			// no region: regions stay in order, none inside another.
			table = -1
		}
	}
}

// scanSVG visits the elements of the inline <svg> element at buf[start:end]
// of the page, buf being scanTags' copy of the page. It lexes the element
// where it is: the HTML lexer is past it, the XML lexer's only change (it
// reads white space in a quoted value as a space) is one the values
// should see, and the byte after the element, which the lexer sets to NUL
// while it works, is put back.
func scanSVG(buf []byte, start, end int, visit func(*tag)) {
	in := parse.NewInputBytes(buf[start:end])
	defer in.Restore()
	l := xml.NewLexer(in)
	var cur *tag
	reuse := &tag{}
	base := start
	for {
		tt, tok := l.Next()
		end := in.Offset()
		start := end - len(tok)
		switch tt {
		case xml.ErrorToken:
			return
		case xml.StartTagToken:
			*reuse = tag{name: svgName(l.Text()), off: base + start, svg: true, attrs: reuse.attrs[:0]}
			cur = reuse
		case xml.AttributeToken:
			if cur != nil {
				lead := leadingSpace(tok)
				key, _, _ := bytes.Cut(tok[lead:], []byte("="))
				cur.attrs = append(cur.attrs, attr{key: svgKey(bytes.TrimSpace(key)), rawVal: l.AttrVal(), off: base + start + lead, end: base + end})
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
	if bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	return html.UnescapeString(string(v))
}
