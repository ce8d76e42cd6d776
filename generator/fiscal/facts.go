package fiscal

import "cmp"

// Fact is one published amount in long format: what it is an amount of,
// whatever table layout it was printed in. Checks, charts, downloads, trends
// and cross-body totals read facts, never a table layout, so a new regional
// table is a decoder and a renderer, not changes everywhere.
type Fact struct {
	Body  string // the body's slug
	Scope Scope
	Year  int
	Kind  Kind // 预算 or 决算

	Table     string // the table's reference name in its disclosure
	TableKind string // its kind id
	Part      string // the part key: rows, income, expenditure
	Row       string // the row's id (a known row's meaning, or the editor's id)
	Name      string // the row's name as published
	Column    string // the column id

	Flow     string // 收入 or 支出
	Fund     string // 一般公共预算, 政府性基金, 国有资本经营, 财政拨款, 事业收入 …
	FuncCode string // 支出功能分类 code of the row, 3/5/7 digits
	EconCode string // 经济分类 code of the row, 3/5 digits
	Nature   string // 基本支出, 项目支出, 人员经费, 公用经费, 因公出国（境）费 …
	Measure  string // 本年预算, 上年预算, 决算, 年初预算, 上年结转, 增减额 …

	Fen    int64 // the amount in 分
	Unit   Unit  // the unit it was printed in
	Source Source
}

// Facts derives the fact table of d: one fact per published amount, in
// table, part, row and column order. It is computed from the stored tables
// each time, so it always agrees with them and costs no memory while unused.
func (d *Disclosure) Facts() []Fact {
	// Counted first: a Fact is large, and a disclosure has hundreds.
	n := 0
	for _, t := range d.Tables {
		for _, p := range t.Parts {
			for _, r := range p.Rows {
				n += len(r.Cells)
			}
		}
	}
	out := make([]Fact, 0, n)
	defaultMeasure := "本年预算"
	if d.Kind == Final {
		defaultMeasure = "决算"
	}
	for _, t := range d.Tables {
		for _, p := range t.Parts {
			for _, r := range p.Rows {
				for _, c := range r.Cells {
					col := c.Column
					if col.Type != MoneyColumn {
						continue
					}
					f := Fact{
						Body: d.Body.Slug, Scope: d.Scope, Year: d.Year, Kind: d.Kind,
						Table: t.ID, TableKind: t.Kind.ID, Part: p.Kind.Key, Row: r.ID, Name: r.Name, Column: col.ID,
						Fen: c.Fig.Fen, Unit: t.Unit, Source: c.Source,
					}
					var known KnownRow
					if r.Known != nil {
						known = *r.Known
					}
					f.Flow = cmp.Or(col.Flow, p.Kind.Flow)
					f.Fund = cmp.Or(col.Fund, known.Fund, p.Kind.Fund)
					f.Nature = cmp.Or(col.Nature, known.Nature, p.Kind.Nature)
					f.Measure = cmp.Or(col.Measure, known.Measure, p.Kind.Measure, defaultMeasure)
					if r.Code != "" {
						if p.Kind.Code == Economic {
							f.EconCode = r.Code
						} else {
							f.FuncCode = r.Code
						}
					}
					out = append(out, f)
				}
			}
		}
	}
	return out
}
