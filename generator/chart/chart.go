// Package chart draws the charts of a disclosure site as inline SVG: pure
// functions, series in, markup out. There is no JavaScript and no font at
// build time; the same series always give the same bytes.
//
// # Kinds
//
//   - [Bars]: ranked horizontal bars. Each label sits on its own line above
//     its bar, so long Chinese labels use the chart's full width; a label
//     that needs more than two lines is cut with “…” and its full text kept
//     in a <title> (and in the data table the page shows with the chart).
//   - [Grouped]: two bars per item, such as last year and this year, each
//     bar labelled with its series and value, the change written out with
//     ▲/▼ and 增加/减少 so it never depends on colour.
//   - [Stacked]: one 100% bar for a composition, segments divided by white
//     separators and listed in a legend in the same order.
//   - [Line]: totals across years, one line per series, told apart by
//     marker shape and dash as well as colour.
//   - [Treemap]: an overview of a two-level hierarchy (功能分类 类 → 款).
//     Small cells lose their labels, so a page must show a table beside it.
//
// # Accessibility and CSP
//
// Every chart is an <svg role="img"> named by its <title> and described by
// a <desc> stating the main finding in Chinese (the largest item and its
// share, the change against last year). Colours are presentation
// attributes, never style= or <style>, so the chart runs under
// Content-Security-Policy: default-src 'self'; marks carry classes (mark,
// mark-alt, sep, grid, axis, on-mark) that a stylesheet uses for
// forced-colors and print. Element ids are derived from [Spec.ID], never
// from a counter.
//
// # Geometry
//
// Charts are 360 user units wide and as tall as their content. Text is at
// least 13 units, so a chart scaled to a 375 px phone (343 px of content)
// still prints it at 12.4 px or more. Coordinates are computed in integers
// (tenths of a unit) from the values in 分, so bar lengths are exactly
// proportional to the values, to the tenth, on every platform.
//
// Text width is estimated without a font: one em for every character
// outside ASCII (CJK ideographs and punctuation, which are square), and for
// ASCII a per-character table taken as an upper bound over the fonts the
// theme asks for (digits 0.64 em, lower case 0.6 em, upper case 0.75 em,
// narrow punctuation 0.34 em, m, w, M, W and % a full em). Overestimating
// costs a little room; underestimating would let labels collide, which the
// real-browser test of the theme checks against the rendered text.
package chart

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/disclose/disclose/generator/fiscal"
)

// Width is the width of every chart in user units.
const Width = 360

// Font sizes in user units.
const (
	fontLabel = 14 // item labels
	fontSmall = 13 // values, ticks, legends
)

// Errors of the drawing functions.
var (
	// ErrNoData means there is nothing to draw: no items, or every value
	// zero. Pages omit such a chart, with no empty frame.
	ErrNoData = errors.New("chart: no data to draw")
	// ErrNegative means a value a composition cannot show is negative.
	ErrNegative = errors.New("chart: a share of a whole cannot be negative")
)

// Quantity says what the values of a chart are and how to print them.
// The zero value is not valid; use [Money] or [Count].
type Quantity struct {
	// Unit is the money unit values are printed in; values are 分.
	Unit fiscal.Unit
	// CountUnit is the unit of counts (名, 个) when Unit is zero; values
	// are whole numbers.
	CountUnit string
}

// Money is a quantity of money printed in unit u (values in 分).
func Money(u fiscal.Unit) Quantity { return Quantity{Unit: u} }

// Count is a count of things, printed with the unit word u (名, 个).
func Count(u string) Quantity { return Quantity{CountUnit: u} }

// UnitName is what a caption says the values are in: 万元, 名.
func (q Quantity) UnitName() string {
	if q.Unit != 0 {
		return q.Unit.String()
	}
	return q.CountUnit
}

// scale is the number of value units in one printed unit.
func (q Quantity) scale() int64 {
	if q.Unit != 0 {
		return q.Unit.Fen()
	}
	return 1
}

// Label formats v as charts and tables print it: 2,966.24; 11.
func (q Quantity) Label(v int64) string {
	if q.Unit != 0 {
		return fiscal.FormatAmount(v, q.Unit, q.Unit.Places())
	}
	return fiscal.FormatCount(v)
}

// Prose formats v with its unit for a sentence: 2,966.24万元; 11名.
func (q Quantity) Prose(v int64) string { return q.Label(v) + q.UnitName() }

// tick formats an axis tick v of an axis whose step is step: as few
// decimals as the step needs, with thousands separators.
func (q Quantity) tick(v, step int64) string {
	if q.Unit == 0 {
		return fiscal.FormatCount(v)
	}
	s, places := q.scale(), 2
	switch {
	case step%s == 0:
		places = 0
	case s >= 10 && step%(s/10) == 0:
		places = 1
	}
	return fiscal.FormatAmount(v, q.Unit, places)
}

// Item is one labelled value.
type Item struct {
	Label string
	Value int64
}

// Spec is what every chart has.
type Spec struct {
	// ID names the chart's elements (ID-t, ID-d); it must be unique on the
	// page and come from the content (a table's name), not a counter.
	ID string
	// Title names the chart: its <title>, the accessible name.
	Title string
	// Quantity says what the values are.
	Quantity Quantity
	// Desc, if set, replaces the generated finding in <desc>.
	Desc string
	// Note is added to the finding, e.g. how a figure was derived.
	Note string
	// Apart says a bar chart's items are not parts of one whole (each
	// body's spending of its own latest year): the finding gives no total
	// and no shares.
	Apart bool
}

// Chart is a drawn chart.
type Chart struct {
	// SVG is the <svg> element, ready to be placed in HTML.
	SVG string
	// Desc is the finding, as in <desc>.
	Desc string
	// Height is the height in user units; the width is [Width].
	Height int
}

// Palette is the categorical palette of the charts, in order: the UK
// Analysis Function's colour-blind-safe set. Adjacent colours of similar
// lightness are kept apart by the order and by white separators. OnMark
// is the text colour with enough contrast on each.
var palette = []struct{ Fill, OnMark string }{
	{"#12436D", "#FFFFFF"}, // dark blue, 10.3:1 with white
	{"#28A197", "#0B0C0C"}, // turquoise
	{"#801650", "#FFFFFF"}, // dark pink
	{"#F46A25", "#0B0C0C"}, // orange
	{"#3D3D3D", "#FFFFFF"}, // dark grey
	{"#A285D1", "#0B0C0C"}, // light purple
}

// Colours of text and lines.
const (
	colText  = "#1B1F24"
	colMuted = "#57606A"
	colGrid  = "#D0D7DE"
	colAxis  = "#57606A"
	colSep   = "#FFFFFF"
)

// Series colours of two-series charts: this year dark blue, the other
// orange (both 3:1 or more against white).
var seriesFill = [2]string{"#12436D", "#F46A25"}

// px is a length in tenths of a user unit. Integer geometry keeps the
// output identical on every platform and rounding explicit.
type px int64

// String prints p with at most one decimal: 12, 12.5, -3.1.
func (p px) String() string {
	var buf [24]byte
	return string(p.append(buf[:0]))
}

// append appends p as String prints it.
func (p px) append(b []byte) []byte {
	if p < 0 {
		b = append(b, '-')
	}
	// Through uint64: -p overflows for the smallest px.
	m := uint64(p)
	if p < 0 {
		m = -m
	}
	b = strconv.AppendUint(b, m/10, 10)
	if d := m % 10; d != 0 {
		b = append(b, '.', byte('0'+d))
	}
	return b
}

func u(n int) px { return px(n * 10) }

// writer builds SVG markup.
type writer struct{ b strings.Builder }

// open writes a start tag; attrs are name, value pairs.
func (w *writer) open(tag string, attrs ...any) {
	w.b.WriteByte('<')
	w.b.WriteString(tag)
	w.attrs(attrs)
	w.b.WriteByte('>')
}

// empty writes an element without content.
func (w *writer) empty(tag string, attrs ...any) {
	w.b.WriteByte('<')
	w.b.WriteString(tag)
	w.attrs(attrs)
	w.b.WriteString("/>")
}

func (w *writer) close(tag string) {
	w.b.WriteString("</")
	w.b.WriteString(tag)
	w.b.WriteByte('>')
}

// element writes a start tag, escaped text and the end tag.
func (w *writer) element(tag, text string, attrs ...any) {
	w.open(tag, attrs...)
	w.text(text)
	w.close(tag)
}

func (w *writer) attrs(attrs []any) {
	for i := 0; i+1 < len(attrs); i += 2 {
		name := attrs[i].(string)
		if v, ok := attrs[i+1].(string); ok && v == "" {
			continue
		}
		w.b.WriteByte(' ')
		w.b.WriteString(name)
		w.b.WriteString(`="`)
		switch v := attrs[i+1].(type) {
		case string:
			w.text(v)
		case px: // digits, a sign and a point: nothing to escape
			var buf [24]byte
			w.b.Write(v.append(buf[:0]))
		case int:
			var buf [24]byte
			w.b.Write(strconv.AppendInt(buf[:0], int64(v), 10))
		default:
			panic(fmt.Sprintf("chart: attribute %s of type %T", name, v))
		}
		w.b.WriteByte('"')
	}
}

// text writes s escaped for XML text and attribute values, dropping the
// characters XML does not allow.
func (w *writer) text(s string) {
	// Runs of characters written as they are go in one piece.
	for len(s) > 0 {
		n := plainRun(s)
		w.b.WriteString(s[:n])
		if n == len(s) {
			return
		}
		r, size := utf8.DecodeRuneInString(s[n:])
		s = s[n+size:]
		switch {
		case r == '&':
			w.b.WriteString("&amp;")
		case r == '<':
			w.b.WriteString("&lt;")
		case r == '>':
			w.b.WriteString("&gt;")
		case r == '"':
			w.b.WriteString("&#34;")
		case r == '\'':
			w.b.WriteString("&#39;")
		case r == '\t' || r == '\n' || r == '\r':
			w.b.WriteByte(' ')
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
		default:
			w.b.WriteRune(r)
		}
	}
}

// plainRun returns the length of s's first characters that text writes
// unchanged: not markup, not a control, valid UTF-8, not U+FFFE or U+FFFF.
func plainRun(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			return i
		}
		i += size
	}
	return i
}

// frame opens the <svg> element with its accessible name and description.
func (w *writer) frame(s Spec, kind string, height px, desc string) {
	w.open("svg",
		"xmlns", "http://www.w3.org/2000/svg",
		"class", "chart-svg chart-"+kind,
		"viewBox", "0 0 "+u(Width).String()+" "+height.String(),
		"width", u(Width),
		"height", height,
		"role", "img",
		"aria-labelledby", s.ID+"-t",
		"aria-describedby", s.ID+"-d",
		"focusable", "false",
		"font-size", fontLabel,
		"fill", colText,
	)
	w.element("title", s.Title, "id", s.ID+"-t")
	w.element("desc", desc, "id", s.ID+"-d")
}

func (s Spec) check() error {
	if s.ID == "" || s.Title == "" {
		return errors.New("chart: a chart needs an ID and a Title")
	}
	if s.Quantity.Unit == 0 && s.Quantity.CountUnit == "" {
		return errors.New("chart: a chart needs a Quantity")
	}
	return nil
}

// finding is the chart's <desc>: the spec's own, or the generated one,
// with the spec's note.
func (s Spec) finding(generated string) string {
	d := generated
	if s.Desc != "" {
		d = s.Desc
	}
	if s.Note != "" {
		d += s.Note
	}
	return d
}
