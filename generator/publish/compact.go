package publish

import (
	"bytes"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	minhtml "github.com/tdewolff/minify/v2/html"
	minxml "github.com/tdewolff/minify/v2/xml"
	"github.com/tdewolff/parse/v2"
	htmllex "github.com/tdewolff/parse/v2/html"
	xmllex "github.com/tdewolff/parse/v2/xml"
)

// Tables are half of a disclosure page's bytes, and minifying them was
// half of the minifier's time, though they are written by this program in
// a form known in advance. So the page minifier (minifyPage) takes a
// page's tables out, minifies what is left, and puts back each table as
// compactTable writes it: what the minifier would have written, made by a
// byte scan that knows only the few elements and attributes the table
// writers use. A table in any other form is minified with the page.

// compactTable appends to dst what the page minifier (html.Minifier with
// KeepDocumentTags and KeepEndTags, as newMinifier makes it) writes for
// src, one <table> element, and reports whether it could: src must be in
// the grammar of the table writers (lower-case elements of table content,
// double-quoted values of a few attributes, no comments, no nested
// table). When it reports false, dst is returned as it was. scratch is
// reused between calls.
//
// It uses the minifier's own functions for character references,
// white space and quoting; what it does itself, where spaces are dropped,
// follows the minifier's text rules, and FuzzCompactTable holds it to the
// minifier's output.
func compactTable(dst, src []byte, scratch *compactScratch) ([]byte, bool) {
	n := len(dst)
	if !bytes.HasPrefix(src, []byte("<table")) || !bytes.HasSuffix(src, []byte("</table>")) {
		return dst, false
	}
	omitSpace := true // the minifier's: drop the next leading space
	for i := 0; i < len(src); {
		if src[i] != '<' {
			j := i + bytes.IndexByte(src[i:], '<')
			if j < i {
				return dst[:n], false
			}
			if plain(src[i:j]) != plainNot {
				// Most cells: nothing for the minifier to change.
				dst = append(dst, src[i:j]...)
				omitSpace = false
				i = j
				continue
			}
			text := append(scratch.val[:0], src[i:j]...)
			scratch.val = text
			if bytes.IndexByte(text, 0) >= 0 {
				return dst[:n], false
			}
			text = parse.ReplaceMultipleWhitespaceAndEntities(text, minhtml.EntitiesMap, minhtml.TextRevEntitiesMap)
			if omitSpace && len(text) > 0 && parse.IsWhitespace(text[0]) {
				text = text[1:]
			}
			omitSpace = false
			if len(text) == 0 {
				omitSpace = true
			} else if parse.IsWhitespace(text[len(text)-1]) {
				omitSpace = true
				switch trimBefore(src[j:]) {
				case trimYes:
					text = text[:len(text)-1]
					omitSpace = false
				case trimUnknown:
					return dst[:n], false
				}
			}
			dst = append(dst, text...)
			i = j
			continue
		}
		end := i+1 < len(src) && src[i+1] == '/'
		name, k := tableTag(src, i)
		if name == nil || (!end && name == &tableElems[elemTable] && i > 0) {
			return dst[:n], false
		}
		if name.block {
			omitSpace = true
		}
		if end {
			var ok bool
			if dst, i, ok = endTag(dst, src, i, k); !ok {
				return dst[:n], false
			}
			continue
		}
		dst = append(dst, src[i:k]...)
		var ok bool
		if dst, k, ok = compactAttrs(dst, src, k, scratch); !ok {
			return dst[:n], false
		}
		dst = append(dst, '>')
		i = k + 1
		// The minifier keeps a space after an empty phrasing element
		// (<span></span> ).
		if name.normal && bytes.HasPrefix(src[i:], append([]byte("</"), name.name...)) {
			omitSpace = false
		}
	}
	return dst, true
}

// compactScratch holds buffers compactTable reuses.
type compactScratch struct{ val, quoted, doc []byte }

// tableElem is an element compactTable knows, with the minifier's view of
// it.
type tableElem struct {
	name   string
	block  bool // the minifier drops spaces around it
	normal bool // a phrasing element (the minifier's normalTag)
}

// The elements of tables as the table writers write them.
const (
	elemTable = iota
	elemCaption
	elemThead
	elemTbody
	elemTfoot
	elemTr
	elemTh
	elemTd
	elemSpan
	elemA
)

var tableElems = [...]tableElem{
	elemTable:   {name: "table", block: true},
	elemCaption: {name: "caption", block: true},
	elemThead:   {name: "thead", block: true},
	elemTbody:   {name: "tbody", block: true},
	elemTfoot:   {name: "tfoot", block: true},
	elemTr:      {name: "tr", block: true},
	elemTh:      {name: "th", block: true},
	elemTd:      {name: "td", block: true},
	elemSpan:    {name: "span", normal: true},
	elemA:       {name: "a"},
}

// tableTag reads the name of the tag at src[i] ('<'), start or end, and
// returns its element and the offset just after the name; nil for a name
// compactTable does not know.
func tableTag(src []byte, i int) (*tableElem, int) {
	k := i + 1
	if k < len(src) && src[k] == '/' {
		k++
	}
	s := k
	for k < len(src) && 'a' <= src[k] && src[k] <= 'z' {
		k++
	}
	var e int
	switch string(src[s:k]) { // a switch, not a loop: this is most of the scan
	case "td":
		e = elemTd
	case "th":
		e = elemTh
	case "tr":
		e = elemTr
	case "span":
		e = elemSpan
	case "a":
		e = elemA
	case "table":
		e = elemTable
	case "caption":
		e = elemCaption
	case "thead":
		e = elemThead
	case "tbody":
		e = elemTbody
	case "tfoot":
		e = elemTfoot
	default:
		return nil, k
	}
	return &tableElems[e], k
}

// endTag appends the end tag at src[i:], whose name ends at src[k], and
// returns the offset after it: the minifier writes it as it is, when
// nothing stands between the name and the '>'.
func endTag(dst, src []byte, i, k int) ([]byte, int, bool) {
	if k >= len(src) || src[k] != '>' {
		return dst, i, false
	}
	return append(dst, src[i:k+1]...), k + 1, true
}

// compactAttrs appends the attributes of the start tag whose name ends at
// src[k] as the minifier writes them, and returns the offset of the tag's
// '>'.
func compactAttrs(dst, src []byte, k int, scratch *compactScratch) ([]byte, int, bool) {
	for {
		if k >= len(src) {
			return dst, k, false
		}
		if src[k] == '>' {
			return dst, k, true
		}
		if src[k] != ' ' {
			return dst, k, false
		}
		s := k + 1
		k = s
		for k < len(src) && ('a' <= src[k] && src[k] <= 'z' || src[k] == '-') {
			k++
		}
		key := string(src[s:k])
		if k+1 >= len(src) || src[k] != '=' || src[k+1] != '"' {
			return dst, k, false
		}
		v := k + 2
		q := bytes.IndexByte(src[v:], '"')
		if q < 0 {
			return dst, k, false
		}
		val := src[v : v+q]
		k = v + q + 1
		form := plain(val)
		if form == plainNot {
			val = append(scratch.val[:0], val...)
			scratch.val = val
			if bytes.IndexByte(val, 0) >= 0 {
				return dst, k, false
			}
		}
		switch key {
		case "class", "scope", "colspan", "rowspan":
			if form == plainNot {
				val = parse.TrimWhitespace(parse.ReplaceMultipleWhitespaceAndEntities(val, minhtml.EntitiesMap, nil))
			}
		case "id":
			if form == plainNot {
				val = parse.ReplaceEntities(val, minhtml.EntitiesMap, nil)
			}
		case "href":
			if form == plainNot {
				val = parse.TrimWhitespace(parse.ReplaceEntities(val, minhtml.EntitiesMap, nil))
			}
			// The minifier rewrites the scheme of absolute addresses.
			if len(val) > 5 && (parse.EqualFold(val[:4], []byte("http")) || parse.EqualFold(val[:5], []byte("data:"))) {
				return dst, k, false
			}
		default:
			return dst, k, false
		}
		switch {
		case len(val) == 0 && (key == "class" || key == "id"):
			continue // empty values are dropped
		case (key == "colspan" || key == "rowspan") && string(val) == "1":
			// The minifier means to drop default values, but keeps this one
			// (v2.24); the table writers never write it.
			return dst, k, false
		}
		dst = append(dst, ' ')
		dst = append(dst, key...)
		switch {
		case len(val) == 0:
		case form == plainBare:
			dst = append(append(dst, '='), val...)
		case form == plainSpaced:
			dst = append(append(append(dst, '=', '"'), val...), '"')
		default:
			dst = append(dst, '=')
			dst = append(dst, htmllex.EscapeAttrVal(&scratch.quoted, val, '"', false)...)
		}
	}
}

// plainForm says how the minifier treats text or an attribute value.
type plainForm int

const (
	plainNot    plainForm = iota // it may change it: let it
	plainBare                    // it leaves it as it is, unquoted in a value
	plainSpaced                  // it leaves it as it is, quoted in a value for its single inner spaces
)

// plain tells whether the minifier leaves b, text or an attribute value,
// as it is: when b has no character reference, no white space but single
// spaces inside, and nothing that makes a value need quotes.
func plain(b []byte) plainForm {
	form := plainBare
	for i, c := range b {
		switch c {
		case ' ':
			if i == 0 || i == len(b)-1 || b[i-1] == ' ' {
				return plainNot
			}
			form = plainSpaced
		case '&', 0, '\t', '\n', '\r', '\f', '"', '\'', '`', '<', '=', '>':
			return plainNot
		}
	}
	return form
}

type trim int

const (
	trimYes     trim = iota // the trailing space is dropped
	trimNo                  // it is kept
	trimUnknown             // compactTable cannot tell: the minifier decides
)

// trimBefore answers, for a text ending in a space that src (from a '<')
// follows, whether the minifier drops that space: when the first start tag
// or text with more than space after it, past any end tags of phrasing
// elements, is not a block element's.
func trimBefore(src []byte) trim {
	for steps := 0; steps < 20; steps++ {
		if len(src) == 0 {
			return trimUnknown
		}
		if src[0] != '<' {
			j := bytes.IndexByte(src, '<')
			if j < 0 {
				return trimUnknown
			}
			if !parse.IsAllWhitespace(src[:j]) {
				return trimNo
			}
			src = src[j:]
			continue
		}
		elem, _ := tableTag(src, 0)
		if elem == nil {
			return trimUnknown
		}
		if elem.block {
			return trimYes
		}
		if src[1] != '/' {
			return trimNo
		}
		gt := bytes.IndexByte(src, '>')
		if gt < 0 {
			return trimUnknown
		}
		src = src[gt+1:]
	}
	return trimUnknown
}

// The placeholders a compacted table or chart leaves in the page while the
// rest is minified, and what the minifier writes for them: an element of
// the same name, so that the minifier treats the space around it as it
// treats the space around the element (TestMinifyPageIsMinifier).
const (
	tableSplice    = "<table data-disclose-splice></table>"
	tableSpliceMin = tableSplice
	svgSplice      = `<svg id="disclose-splice"></svg>`
	svgSpliceMin   = `<svg id="disclose-splice"/>`
)

// minifyPage minifies an HTML page with m, writing the tables and inline
// SVG at regions (in order, each a whole element outside <pre>, as
// scanTags finds them) through compactTable and compactSVG. The result is
// the minifier's output for the whole page, byte for byte. Unlike the
// minifier, which works in the bytes it is given, it leaves page as it
// was: the search index reads it next.
func minifyPage(m *minify.M, page []byte, regions []region, paths *pathCache) ([]byte, error) {
	whole := func() ([]byte, error) { return m.Bytes("text/html", bytes.Clone(page)) }
	if len(regions) == 0 {
		return whole()
	}
	size := 0
	for _, r := range regions {
		size += r.end - r.start
	}
	var scratch compactScratch
	pathData := func(d []byte) ([]byte, bool) {
		if out, ok := paths.get(d); ok {
			return out, true
		}
		out, ok := minifyPathData(m, d, &scratch)
		if ok {
			paths.put(d, out)
		}
		return out, ok
	}
	compacted := make([]byte, 0, size)
	type piece struct {
		end int // where it ends in compacted
		svg bool
	}
	var pieces []piece
	skeleton := make([]byte, 0, len(page)/2)
	last := 0
	for _, r := range regions {
		if r.start < last {
			continue // an <svg> in a table compacted whole
		}
		var ok bool
		if r.svg {
			compacted, ok = compactSVG(compacted, page[r.start:r.end], &scratch, pathData)
		} else {
			compacted, ok = compactTable(compacted, page[r.start:r.end], &scratch)
		}
		if !ok {
			continue
		}
		pieces = append(pieces, piece{len(compacted), r.svg})
		skeleton = append(skeleton, page[last:r.start]...)
		if r.svg {
			skeleton = append(skeleton, svgSplice...)
		} else {
			skeleton = append(skeleton, tableSplice...)
		}
		last = r.end
	}
	if len(pieces) == 0 {
		return whole()
	}
	skeleton = append(skeleton, page[last:]...)
	small, err := m.Bytes("text/html", skeleton)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(small)+len(compacted))
	from := 0
	for _, p := range pieces {
		mark := tableSpliceMin
		if p.svg {
			mark = svgSpliceMin
		}
		i := bytes.Index(small, []byte(mark))
		if i < 0 {
			return whole()
		}
		out = append(out, small[:i]...)
		out = append(out, compacted[from:p.end]...)
		from = p.end
		small = small[i+len(mark):]
	}
	if bytes.Contains(small, []byte(tableSpliceMin)) || bytes.Contains(small, []byte(svgSpliceMin)) {
		return whole()
	}
	return append(out, small...), nil
}

// pathCache remembers minified path data: charts of one layout share
// their grid lines, so a site has a few dozen distinct paths in thousands
// of charts (73 in 1,568 on a synthetic site of 200 disclosures). A nil
// *pathCache remembers nothing.
type pathCache struct {
	mu sync.Mutex
	m  map[string]string
}

// pathCacheMax bounds a cache: paths beyond it (the lines of line charts,
// each its own) are not remembered.
const pathCacheMax = 4096

func (c *pathCache) get(d []byte) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	out, ok := c.m[string(d)]
	c.mu.Unlock()
	return []byte(out), ok
}

func (c *pathCache) put(d, out []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	if len(c.m) < pathCacheMax {
		c.m[string(d)] = string(out)
	}
}

// minifyPathData minifies the value of an SVG d attribute with m, as the
// SVG minifier does in a chart: it runs it on a <path> of its own, since
// its path data shortener is not usable alone. Paths with curves are
// refused: the shortener carries their control points from one path to
// the next, which a path of its own would not.
func minifyPathData(m *minify.M, d []byte, scratch *compactScratch) ([]byte, bool) {
	for _, c := range d {
		if !('0' <= c && c <= '9' || c == '.' || c == '-' || c == ' ' || c == ',' || bytes.IndexByte([]byte("MmLlHhVvZz"), c) >= 0) {
			return nil, false
		}
	}
	doc := append(append(append(scratch.doc[:0], `<path d="`...), d...), `"/>`...)
	scratch.doc = doc
	out, err := m.Bytes("image/svg+xml", doc)
	if err != nil || !bytes.HasPrefix(out, []byte(`<path d=`)) || !bytes.HasSuffix(out, []byte(`/>`)) {
		return nil, false
	}
	val := out[len(`<path d=`) : len(out)-2]
	if len(val) < 2 || val[0] != '"' || val[len(val)-1] != '"' {
		return nil, false
	}
	return val[1 : len(val)-1], true
}

// shiftRegions moves regions of a page to where they are once inserts
// (sorted by offset) are made, leaving out any an insert falls inside.
func shiftRegions(regions []region, inserts []insert) []region {
	out := regions[:0]
	shift, k := 0, 0
	for _, r := range regions {
		for k < len(inserts) && inserts[k].off <= r.start {
			shift += len(inserts[k].text)
			k++
		}
		if k < len(inserts) && inserts[k].off < r.end {
			continue
		}
		out = append(out, region{start: r.start + shift, end: r.end + shift, svg: r.svg})
	}
	return out
}

// Charts' inline SVG is the other part of a page the minifier spent its
// time on, and it too is written by this program. compactSVG writes what
// the minifier's SVG minifier (called by the HTML minifier with "inline")
// writes for the chart writers' SVG, using the minifier's own functions for
// numbers, path data, colours, references and quoting.

// svgElems are the elements the chart writers use.
var svgElems = map[string]bool{"svg": true, "g": true, "title": true, "desc": true, "rect": true, "text": true,
	"tspan": true, "line": true, "path": true, "polyline": true, "polygon": true, "circle": true}

// compactSVG appends to dst what the minifier writes for src, one inline
// <svg> element, and reports whether it could (see compactTable). pathData
// minifies the value of a d attribute as the minifier does.
func compactSVG(dst, src []byte, scratch *compactScratch, pathData func([]byte) ([]byte, bool)) ([]byte, bool) {
	n := len(dst)
	if !bytes.HasPrefix(src, []byte("<svg")) {
		return dst, false
	}
	for i := 0; i < len(src); {
		if src[i] != '<' {
			j := i + bytes.IndexByte(src[i:], '<')
			if j < i {
				return dst[:n], false
			}
			text := append(scratch.val[:0], src[i:j]...)
			scratch.val = text
			if bytes.IndexByte(text, 0) >= 0 {
				return dst[:n], false
			}
			text = parse.ReplaceMultipleWhitespaceAndEntities(text, minxml.EntitiesMap, minxml.TextRevEntitiesMap)
			dst = append(dst, parse.TrimWhitespace(text)...)
			i = j
			continue
		}
		end := i+1 < len(src) && src[i+1] == '/'
		k := i + 1
		if end {
			k++
		}
		s := k
		for k < len(src) && ('a' <= src[k] && src[k] <= 'z' || 'A' <= src[k] && src[k] <= 'Z') {
			k++
		}
		name := src[s:k]
		if !svgElems[string(name)] {
			return dst[:n], false
		}
		if end {
			var ok bool
			if dst, i, ok = endTag(dst, src, i, k); !ok {
				return dst[:n], false
			}
			continue
		}
		dst = append(dst, src[i:k]...)
		var ok bool
		if dst, k, ok = compactSVGAttrs(dst, src, k, string(name) == "svg", scratch, pathData); !ok {
			return dst[:n], false
		}
		switch {
		case bytes.HasPrefix(src[k:], []byte("/>")):
			dst = append(dst, "/>"...)
			i = k + 2
		case src[k] == '>':
			// An element with nothing in it but space is written as
			// empty: <g></g> as <g/>.
			j := k + 1
			for j < len(src) && parse.IsWhitespace(src[j]) {
				j++
			}
			close := append(append([]byte("</"), name...), '>')
			if bytes.HasPrefix(src[j:], []byte("</")) {
				if !bytes.HasPrefix(src[j:], close) {
					return dst[:n], false
				}
				dst = append(dst, "/>"...)
				i = j + len(close)
			} else {
				dst = append(dst, '>')
				i = k + 1
			}
		default:
			return dst[:n], false
		}
	}
	return dst, true
}

// compactSVGAttrs appends the attributes of the SVG start tag whose name
// ends at src[k] as the minifier writes them, and returns the offset of the
// tag's '>' or "/>".
func compactSVGAttrs(dst, src []byte, k int, root bool, scratch *compactScratch, pathData func([]byte) ([]byte, bool)) ([]byte, int, bool) {
	for {
		if k >= len(src) {
			return dst, k, false
		}
		if src[k] == '>' || src[k] == '/' {
			return dst, k, true
		}
		if src[k] != ' ' {
			return dst, k, false
		}
		s := k + 1
		k = s
		for k < len(src) && ('a' <= src[k] && src[k] <= 'z' || 'A' <= src[k] && src[k] <= 'Z' || '0' <= src[k] && src[k] <= '9' || src[k] == '-') && k-s < 40 {
			k++
		}
		key := string(src[s:k])
		if key == "" || k+1 >= len(src) || src[k] != '=' || src[k+1] != '"' {
			return dst, k, false
		}
		v := k + 2
		q := bytes.IndexByte(src[v:], '"')
		if q < 0 {
			return dst, k, false
		}
		k = v + q + 1
		val := append(scratch.val[:0], src[v:v+q]...)
		scratch.val = val
		// The XML lexer collapses and trims the white space of a value;
		// the chart writers write single spaces inside.
		if bytes.ContainsAny(val, "\x00\t\n\r\f<") || len(val) > 0 && (val[0] == ' ' || val[len(val)-1] == ' ') || bytes.Contains(val, []byte("  ")) {
			return dst, k, false
		}
		if !shortNumber(val) {
			if n, m := parse.Dimension(val); n+m == len(val) {
				val = svgDimension(val)
			}
		}
		switch key {
		case "style", "version", "preserveAspectRatio", "baseProfile", "contentScriptType", "contentStyleType":
			return dst, k, false
		}
		if root && (key == "xmlns" || (key == "x" || key == "y") && string(val) == "0") {
			continue // inline, or the default
		}
		dst = append(dst, ' ')
		dst = append(dst, key...)
		dst = append(dst, '=')
		switch key {
		case "d":
			var ok bool
			if val, ok = pathData(val); !ok {
				return dst, k, false
			}
		case "viewBox":
			if val = svgViewBox(val); val == nil {
				return dst, k, false
			}
		case "color", "fill", "stroke", "stop-color", "flood-color", "lighting-color":
			if len(val) > 0 && (len(val) < 5 || !parse.EqualFold(val[:4], []byte("url("))) {
				val = svgColor(val)
			}
		}
		if bytes.IndexByte(val, '"') < 0 && bytes.IndexByte(val, '\'') < 0 {
			dst = append(append(append(dst, '"'), val...), '"')
		} else {
			dst = append(dst, xmllex.EscapeAttrVal(&scratch.quoted, val)...)
		}
	}
}

// shortNumber reports whether b is a number the minifier writes as it is:
// most values of a chart (169.5, 13). It is one to six digits with at most
// one '.' inside, no leading zero (but 0 itself) and no trailing zero.
func shortNumber(b []byte) bool {
	if len(b) == 0 || len(b) > 6 {
		return false
	}
	if len(b) == 1 {
		return '0' <= b[0] && b[0] <= '9'
	}
	if b[0] < '1' || b[0] > '9' || b[len(b)-1] < '1' || b[len(b)-1] > '9' {
		return false
	}
	dot := false
	for _, c := range b[1 : len(b)-1] {
		switch {
		case c == '.' && !dot:
			dot = true
		case '0' <= c && c <= '9':
		default:
			return false
		}
	}
	return true
}

// svgDimension is the minifier's shortenDimension for a value that is all
// one number with an optional unit.
func svgDimension(b []byte) []byte {
	n, m := parse.Dimension(b)
	if n == 0 {
		return b
	}
	unit := b[n : n+m]
	num := minify.Number(b[:n], 0)
	if len(num) == 1 && num[0] == '0' {
		return num
	}
	if m == 2 && unit[0] == 'p' && unit[1] == 'x' {
		return num
	}
	if m > 1 {
		parse.ToLower(unit)
	}
	return append(num, unit...)
}

// svgViewBox shortens the four numbers of a viewBox as the minifier does;
// nil for a value it would not read the same way.
func svgViewBox(val []byte) []byte {
	var out []byte
	j := 0
	for i := range 4 {
		if i != 0 {
			if j >= len(val) || val[j] != ' ' {
				return nil
			}
			out = append(out, ' ')
			j++
		}
		n, m := parse.Dimension(val[j:])
		if n == 0 {
			return nil
		}
		out = append(out, svgDimension(append([]byte(nil), val[j:j+n+m]...))...)
		j += n + m
	}
	if j != len(val) {
		return nil
	}
	return out
}

// svgColor shortens a colour as the minifier does.
func svgColor(val []byte) []byte {
	if val[0] == '#' {
		if name, ok := css.ShortenColorHex[string(val)]; ok {
			return name
		}
		if len(val) == 7 && val[1] == val[2] && val[3] == val[4] && val[5] == val[6] {
			return []byte{'#', val[1], val[3], val[5]}
		}
		return val
	}
	if hex, ok := css.ShortenColorName[css.ToHash(val)]; ok {
		return hex
	}
	return val
}

// region is where an element is in a page: [start, end), a <table> or an
// inline <svg>.
type region struct {
	start, end int
	svg        bool
}
