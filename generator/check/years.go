package check

import (
	"github.com/disclose/disclose/generator/fiscal"
)

// matchRow finds the row of p that stands for the same thing as r (of
// another disclosure): the same known row, else the same code, else the
// same name.
func matchRow(p *fiscal.Part, r *fiscal.Row) *fiscal.Row {
	for _, x := range p.Rows {
		switch {
		case r.Known != nil:
			if x.Known != nil && x.Known.ID == r.Known.ID {
				return x
			}
		case r.Code != "":
			if x.Code == r.Code {
				return x
			}
		case fiscal.NormName(x.Name) == fiscal.NormName(r.Name):
			return x
		}
	}
	return nil
}

func yearList(rep *Reporter, d *fiscal.Disclosure) {
	st := rep.st
	prev := st.idx.related(d, "prev")
	if prev == nil {
		return
	}
	want := defaultBase(d)
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		if !isList(t) {
			return
		}
		pt := table(prev, t.Kind.ID)
		if pt == nil {
			return
		}
		pp := pt.Part(p.Kind.Key)
		col := pp.Kind.Column("amount")
		if col == nil {
			return
		}
		for _, r := range p.Rows {
			cf, ok := st.changeOf(t, p, r)
			if !ok || cf.base != want {
				continue
			}
			m := matchRow(pp, r)
			if m == nil {
				continue
			}
			last := cellOperand(prev, pt, pp, m, col)
			if !last.present {
				continue
			}
			what := "本文件的上年数等于" + itoa(int64(prev.Year)) + "年公开的数字"
			if cf.derived {
				what += "；上年数由本年数减增减额推得"
			}
			st.judge(rep, judgement{name: what, prefix: "上年数："}, cf.prev, sumOf(last))
		}
	})
}

func finalList(rep *Reporter, d *fiscal.Disclosure) {
	st := rep.st
	budget := st.idx.related(d, "budget")
	if budget == nil {
		return
	}
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		bcol := p.Kind.Column("budget")
		if !isList(t) || bcol == nil {
			return
		}
		bt := table(budget, t.Kind.ID)
		if bt == nil {
			return
		}
		bp := bt.Part(p.Kind.Key)
		for _, r := range p.Rows {
			initial := cellOperand(d, t, p, r, bcol)
			if !initial.present {
				continue
			}
			m := matchRow(bp, r)
			if m == nil {
				continue
			}
			published := cellOperand(budget, bt, bp, m, bp.Kind.Column("amount"))
			if !published.present {
				continue
			}
			st.judge(rep, judgement{name: "决算中的年初预算数等于" + itoa(int64(d.Year)) + "年公开的预算"}, sumOf(initial), sumOf(published))
		}
	})
}
