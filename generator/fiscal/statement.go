package fiscal

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// mainColumns are tried in order for a row's main value in a narrative list;
// other tables use their first published money column.
var mainColumns = []string{"amount", "total", "count", "pct"}

// Main returns the cell a plain reference to the row shows: for a narrative
// list its amount (else its count, else its percentage); for other tables
// the first published column with a figure (money first), else with words.
// It is nil when the row is blank.
func (p *Part) Main(r *Row) *Cell {
	for _, id := range mainColumns {
		if c := r.Cell(id); c != nil {
			return c
		}
	}
	for _, types := range [][]ColumnType{{MoneyColumn}, {CountColumn, PercentColumn}, {TextColumn}} {
		for _, col := range p.Columns {
			if c := r.Cell(col.ID); c != nil && slices.Contains(types, col.Type) {
				return c
			}
		}
	}
	return nil
}

// PartOf returns the part that holds r, or nil.
func (t *Table) PartOf(r *Row) *Part {
	for _, p := range t.Parts {
		for _, x := range p.Rows {
			if x == r {
				return p
			}
		}
	}
	return nil
}

// Prose formats a cell as prose shows it, in the form the document used:
// 2966.24万元, 2394万元, 16个, 100%, or the words of a text cell.
func (c *Cell) Prose(r *Row, u Unit) string {
	switch c.Column.Type {
	case MoneyColumn:
		return c.Fig.Prose(u)
	case PercentColumn:
		return c.Dec.String() + "%"
	case CountColumn:
		unit := r.CountUnit
		if unit == "" {
			unit = c.Column.Unit
		}
		return strconv.FormatInt(c.Count, 10) + unit
	}
	return c.Text
}

// Change is a year-on-year change of a figure: as the document stated it,
// or computed from the current and previous figures where it stated only
// those.
type Change struct {
	Delta  Figure  // current − previous, in 分, with the places printed
	Pct    Decimal // Delta ÷ previous × 100
	HasPct bool    // false when not stated and previous is zero
	Stated bool    // the document stated the change (not computed)
}

// Change returns the change of row r. ok is false when the document states
// neither a change nor a previous figure.
func (t *Table) Change(r *Row) (ch Change, ok bool) {
	if c := r.Cell("change"); c != nil {
		ch = Change{Delta: c.Fig, Stated: true}
		if p := r.Cell("change_pct"); p != nil {
			ch.Pct, ch.HasPct = p.Dec, true
		}
		return ch, true
	}
	cur, prev := r.Cell("amount"), r.Cell("previous")
	if cur == nil || prev == nil {
		return Change{}, false
	}
	ch.Delta = Figure{Fen: cur.Fig.Fen - prev.Fig.Fen, Places: max(cur.Fig.Places, prev.Fig.Places)}
	ch.Pct, ch.HasPct = Percent(ch.Delta.Fen, prev.Fig.Fen, 2)
	if p := r.Cell("change_pct"); p != nil {
		ch.Pct, ch.HasPct = p.Dec, true
	}
	return ch, true
}

// Phrase writes the change as documents do: 减少168.97万元，下降5.43%;
// 增加4万元，增长12.50%; 持平. Without a rate (上年为零) only the amount is
// given.
func (ch Change) Phrase(u Unit) string {
	if ch.Delta.Fen == 0 && (!ch.HasPct || ch.Pct.V == 0) {
		return "持平"
	}
	verb, rate := "增加", "增长"
	if ch.Delta.Fen < 0 {
		verb, rate = "减少", "下降"
	}
	s := verb + ch.Abs().Prose(u)
	if ch.HasPct {
		s += fmt.Sprintf("，%s%s%%", rate, ch.AbsPct())
	}
	return s
}

// Abs returns the size of the change, without its sign.
func (ch Change) Abs() Figure {
	f := ch.Delta
	if f.Fen < 0 {
		f.Fen = -f.Fen
	}
	return f
}

// AbsPct returns the size of the rate, without its sign.
func (ch Change) AbsPct() Decimal {
	d := ch.Pct
	if d.V < 0 {
		d.V = -d.V
	}
	return d
}

// Total returns the total row of a part, or nil.
func (p *Part) Total() *Row {
	for _, r := range p.Rows {
		if r.Role == Total {
			return r
		}
	}
	return nil
}

// Share returns row r's share of its part's total in column col, as stated
// (a share cell) or computed to two decimals. ok is false when there is no
// total or it is zero.
func (t *Table) Share(r *Row, col string) (d Decimal, ok bool) {
	if c := r.Cell("share"); c != nil {
		return c.Dec, true
	}
	p := t.PartOf(r)
	if p == nil {
		return Decimal{}, false
	}
	total := p.Total()
	if total == nil {
		return Decimal{}, false
	}
	a, b := r.Cell(col), total.Cell(col)
	if a == nil || b == nil || a.Column.Type != MoneyColumn {
		return Decimal{}, false
	}
	return Percent(a.Fig.Fen, b.Fig.Fen, 2)
}

// Release lets go of what only the disclosure's own page and its checks
// read (its sections, sources, and every table part but the headline
// parts, PartKind.Headline), keeping its metadata, terms, own glossary and
// those parts. A build that streams a site calls it once a body's pages are
// written, so a site of any size holds only its lists' worth of each
// disclosure. After Release a disclosure may be listed (Path, dates, Terms,
// Glossary, and the total and subtotal rows of its headline parts, whose
// 本年收入合计, 本年支出合计 or totals the site's lists and charts show) but
// not rendered or checked.
func (d *Disclosure) Release() {
	d.Sections, d.Sources = nil, nil
	var keep []*Table
	for _, t := range d.Tables {
		var parts []*Part
		for _, p := range t.Parts {
			if p.Kind.Headline == "" {
				continue
			}
			// A part keeps its total and subtotal rows (the lists read a
			// subtotal before the total), or its first row, so that it
			// stays a part with rows; each without
			// its parent, which would keep the rows above it. A site of
			// 10,000 disclosures holds these until its last page, and the
			// collector goes over them in every cycle.
			c := *p
			c.Rows = nil
			for _, r := range p.Rows {
				if r.Role == Total || r.Role == Subtotal {
					kept := *r
					kept.Parent = nil
					c.Rows = append(c.Rows, &kept)
				}
			}
			if len(c.Rows) == 0 && len(p.Rows) > 0 {
				c.Rows = p.Rows[:1:1]
			}
			parts = append(parts, &c)
		}
		if len(parts) > 0 {
			c := *t
			c.Parts = parts
			keep = append(keep, &c)
		}
	}
	d.Tables = keep
	// What is kept was read from data.toml, and a string cut from a file
	// keeps the whole file: keep copies instead.
	d.Title, d.ApprovalNo = strings.Clone(d.Title), strings.Clone(d.ApprovalNo)
	for i := range d.Terms {
		d.Terms[i] = strings.Clone(d.Terms[i])
	}
	for _, t := range d.Glossary {
		t.Term, t.Definition, t.Code = strings.Clone(t.Term), strings.Clone(t.Definition), strings.Clone(t.Code)
		for i := range t.Aliases {
			t.Aliases[i] = strings.Clone(t.Aliases[i])
		}
	}
	for _, t := range d.Tables {
		t.ID, t.Title, t.Number, t.Note, t.Base = strings.Clone(t.ID), strings.Clone(t.Title), strings.Clone(t.Number), strings.Clone(t.Note), strings.Clone(t.Base)
		for _, p := range t.Parts {
			for _, r := range p.Rows {
				r.ID, r.Code, r.Name, r.CountUnit, r.Base = strings.Clone(r.ID), strings.Clone(r.Code), strings.Clone(r.Name), strings.Clone(r.CountUnit), strings.Clone(r.Base)
				for _, c := range r.Cells {
					c.Text = strings.Clone(c.Text)
				}
			}
		}
	}
}
