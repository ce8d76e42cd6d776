package render

import (
	"fmt"
	"strconv"
	"strings"
)

// writeTable writes what the theme's layouts/partials/table.html writes for
// v, byte for byte, without html/template's reflection: tables are most of a
// disclosure page's cells, and executing the template for them was 40% of a
// build. It is used only while a site keeps the theme's table partial; a test
// holds the two to the same output.
func writeTable(b *strings.Builder, v *TableView) {
	b.WriteString(`<figure class="data-table kind-`)
	esc(b, v.Kind)
	b.WriteString(` layout-`)
	esc(b, v.Layout)
	b.WriteString(`" id="`)
	esc(b, v.ID)
	b.WriteString("\">\n<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"")
	esc(b, v.ID)
	b.WriteString("-caption\" tabindex=\"0\">\n<table>\n<caption id=\"")
	esc(b, v.ID)
	b.WriteString(`-caption">`)
	if v.Number != "" {
		b.WriteString(`<span class="table-number">`)
		esc(b, v.Number)
		b.WriteString(`</span> `)
	}
	b.WriteString(`<span class="table-title">`)
	esc(b, v.Title)
	b.WriteString(`</span>`)
	if v.Unit != "" {
		b.WriteString(` <span class="table-unit">单位：`)
		esc(b, v.Unit)
		b.WriteString(`</span>`)
	}
	b.WriteString("</caption>\n<thead>\n")
	for _, row := range v.Head {
		b.WriteString("<tr>")
		for _, h := range row {
			b.WriteString(`<th scope="`)
			esc(b, h.Scope)
			b.WriteByte('"')
			if h.ColSpan > 1 {
				b.WriteString(` colspan="`)
				b.WriteString(strconv.Itoa(h.ColSpan))
				b.WriteByte('"')
			}
			if h.RowSpan > 1 {
				b.WriteString(` rowspan="`)
				b.WriteString(strconv.Itoa(h.RowSpan))
				b.WriteByte('"')
			}
			if h.Num {
				b.WriteString(` class="num"`)
			}
			b.WriteByte('>')
			esc(b, h.Text)
			b.WriteString("</th>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</thead>\n<tbody>\n")
	for _, row := range v.Rows {
		startRow(b, row.Class)
		for _, c := range row.Cells {
			if c.Header {
				b.WriteString(`<th scope="row"`)
				if c.Level > 0 {
					b.WriteString(` class="lvl-`)
					b.WriteString(strconv.Itoa(c.Level))
					b.WriteByte('"')
				}
				b.WriteByte('>')
				esc(b, c.Text)
				b.WriteString("</th>")
				continue
			}
			b.WriteString("<td")
			switch {
			case c.Money:
				b.WriteString(` class="num money"`)
			case c.Num:
				b.WriteString(` class="num"`)
			case c.Code:
				b.WriteString(` class="code"`)
			}
			b.WriteByte('>')
			esc(b, c.Text)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	if len(v.Rows) == 0 {
		b.WriteString(`<tr><td colspan="`)
		b.WriteString(strconv.Itoa(v.Cols))
		b.WriteString("\" class=\"empty\">（本表无数据）</td></tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n</div>\n")
	if v.Note != "" {
		b.WriteString(`<p class="table-note">`)
		esc(b, v.Note)
		b.WriteString("</p>")
	}
	b.WriteString("\n")
	if v.CSV != nil {
		b.WriteString(`<p class="table-download"><a href="`)
		esc(b, normalizeURL(v.CSV.Href))
		b.WriteString(`" download="`)
		esc(b, v.CSV.Name)
		b.WriteString(`">下载本表数据（CSV，`)
		esc(b, v.CSV.Size)
		b.WriteString("）</a></p>\n")
	}
	b.WriteString("</figure>")
}

// normalizeURL percent-encodes what html/template's URL normalizer
// encodes in an href: bytes outside RFC 3986's unreserved and reserved
// sets (so non-ASCII, spaces, quotes, < and >), and % not starting an
// escape.
func normalizeURL(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0,
			c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// startRow writes <tr>, with class if there is one.
func startRow(b *strings.Builder, class string) {
	b.WriteString("<tr")
	if class != "" {
		b.WriteString(` class="`)
		esc(b, class)
		b.WriteByte('"')
	}
	b.WriteByte('>')
}

// escaped reports whether esc writes c otherwise.
func escaped(c byte) bool {
	switch c {
	case 0, '"', '&', '\'', '+', '<', '>':
		return true
	}
	return false
}

// esc escapes s as html/template escapes text and quoted attribute values.
func esc(b *strings.Builder, s string) {
	// Most cells need nothing escaped; they are looked over a byte at a
	// time (strings.ContainsAny would make a set for each).
	i := 0
	for i < len(s) && !escaped(s[i]) {
		i++
	}
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b.WriteString("\uFFFD")
		case '"':
			b.WriteString("&#34;")
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '+':
			b.WriteString("&#43;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
}
