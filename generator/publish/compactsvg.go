package publish

import (
	"bytes"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	minxml "github.com/tdewolff/minify/v2/xml"
	"github.com/tdewolff/parse/v2"
	xmllex "github.com/tdewolff/parse/v2/xml"
)

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
			if bytes.HasPrefix(src[j:], []byte("</")) {
				after := j + 2 + len(name) // past </name
				if !bytes.HasPrefix(src[j+2:], name) || after >= len(src) || src[after] != '>' {
					return dst[:n], false
				}
				dst = append(dst, "/>"...)
				i = after + 1
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
		if !plainValue(val) {
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

// plainValue reports whether an attribute value is as the chart writers
// write them: no NUL, tab, line break, form feed or <, no space at either
// end and never two together. A chart has some 700 values.
func plainValue(val []byte) bool {
	if len(val) > 0 && (val[0] == ' ' || val[len(val)-1] == ' ') {
		return false
	}
	for i, c := range val {
		switch c {
		case 0, '\t', '\n', '\r', '\f', '<':
			return false
		case ' ':
			if val[i+1] == ' ' { // not the last: it is not a space
				return false
			}
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
