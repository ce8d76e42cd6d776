package publish

import (
	"bytes"

	minhtml "github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/parse/v2"
	htmllex "github.com/tdewolff/parse/v2/html"
)

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
		if name.normal && bytes.HasPrefix(src[i:], []byte("</")) && bytes.HasPrefix(src[i+2:], []byte(name.name)) {
			omitSpace = false
		}
	}
	return dst, true
}

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

// trim is trimBefore's answer.
type trim int

const (
	trimYes     trim = iota // the trailing space is dropped
	trimNo                  // it is kept
	trimUnknown             // compactTable cannot tell: the minifier decides
)

// trimBefore answers, for a text ending in a space that src (from a '<')
// follows, whether the minifier drops that space. Past any end tags of
// phrasing elements and any white space, it drops it before a block
// element's tag and keeps it before text or a phrasing element's start
// tag; a look further than compactTable follows is left to the minifier.
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
