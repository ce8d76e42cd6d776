package check

import (
	"cmp"
	"strings"

	"github.com/disclose/disclose/generator/fiscal"
)

// changeFigures are the figures of a row's year-on-year change: the
// current figure, the previous one (stated, or derived as current −
// change where the document states only the change) and the change
// (stated, or current − previous).
type changeFigures struct {
	cur     operand
	prev    sideValue
	delta   sideValue
	derived bool   // prev was derived from the stated change
	base    string // what the change compares with: 上年预算, 上年执行数, 上年决算
}

// changeOf returns the change figures of row r; ok is false when the row
// states neither a previous figure nor a change.
func (st *state) changeOf(t *fiscal.Table, p *fiscal.Part, r *fiscal.Row) (cf changeFigures, ok bool) {
	curCol, prevCol := p.Kind.Column("amount"), p.Kind.Column("previous")
	if curCol == nil {
		curCol = p.Kind.Column("total")
	}
	if prevCol == nil {
		prevCol = p.Kind.Column("prev_exec")
	}
	chCol := p.Kind.Column("change")
	if curCol == nil || chCol == nil || curCol.Type != fiscal.MoneyColumn {
		return cf, false
	}
	cf.cur = cellOperand(st.d, t, p, r, curCol)
	if !cf.cur.present {
		return cf, false
	}
	ch := cellOperand(st.d, t, p, r, chCol)
	switch {
	case prevCol != nil && r.Cell(prevCol.ID) != nil:
		prev := cellOperand(st.d, t, p, r, prevCol)
		cf.prev = sumOf(prev)
		if ch.present {
			cf.delta = sumOf(ch)
		} else {
			prev.neg = true
			cf.delta = sumOf(cf.cur, prev)
		}
	case ch.present:
		cf.delta = sumOf(ch)
		ch.neg = true
		cf.prev = sumOf(cf.cur, ch)
		cf.derived = true
	default:
		return cf, false
	}
	cf.base = cmp.Or(r.Base, t.Base)
	if cf.base == "" && prevCol != nil && prevCol.ID == "prev_exec" {
		cf.base = "上年执行数"
	}
	if cf.base == "" {
		cf.base = "上年预算"
		if st.d.Kind == fiscal.Final {
			cf.base = "上年决算"
		}
	}
	return cf, true
}

// show writes an amount of table t as the table would: a narrative list's
// with the decimals its figures use, a printed table's as tables print.
func show(t *fiscal.Table, fen int64, minPlaces int) string {
	if isList(t) {
		return exact(fen, t.Unit.Fen(), minPlaces) + t.Unit.String()
	}
	return money(fen, t.Unit)
}

// maxPlaces returns the most decimals the figures of v were written with.
func maxPlaces(v sideValue) int {
	p := 0
	for _, op := range v.operands {
		if op.cell != nil {
			p = max(p, op.cell.Fig.Places)
		}
	}
	return p
}

// rowName names a row of a table in a message: the row alone in a
// narrative list, with its table in a printed one.
func rowName(t *fiscal.Table, r *fiscal.Row) string {
	if isList(t) {
		return r.Name
	}
	return t.ID + "“" + r.Label() + "”"
}

// ratePoints formats the difference stated − recomputed in percentage
// points.
func ratePoints(stated, rec fiscal.Decimal) string {
	d := fiscal.Decimal{V: stated.V - rec.Rescale(stated.Places).V, Places: stated.Places}
	if d.V < 0 {
		d.V = -d.V
	}
	return d.String()
}

// reportRate reports a stated percentage that differs from the
// recomputed one. what describes the recomputation; it is called only
// for a message.
func reportRate(rep *Reporter, src fiscal.Source, subject string, stated fiscal.Decimal, rc rateCheck, describe func() string) {
	rec, v := rc.rec, rc.v
	if v == holds {
		return
	}
	what := describe()
	if r := rc.allowed(); r != "" {
		what += "；由公开的数字可得 " + r
	}
	f := Finding{
		Source: src, Rounding: v == rounding,
		Found: stated.String(), Expected: rec.String(), Unit: "%",
		Difference: fiscal.Decimal{V: stated.V - rec.Rescale(stated.Places).V, Places: stated.Places}.String(),
	}
	if v == rounding {
		f.Message = subject + " " + stated.String() + "% 与重算的 " + rec.String() + "% 相差 " + ratePoints(stated, rec) + " 个百分点，在舍入误差之内（" + what + "）"
	} else {
		f.Message = subject + " " + stated.String() + "% 与由公开数字重算的 " + rec.String() + "% 不符，相差 " + ratePoints(stated, rec) + " 个百分点（" + what + "）"
	}
	rep.Report(f)
}

func changePct(rep *Reporter, d *fiscal.Disclosure) {
	st := rep.st
	tol := rep.settings.percentTolerance(rep.rule.ID)
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		for _, r := range p.Rows {
			pc := r.Cell("change_pct")
			if pc == nil || pc.Column.Type != fiscal.PercentColumn {
				continue
			}
			cf, ok := st.changeOf(t, p, r)
			if !ok {
				continue
			}
			stated := pc.Dec
			places := max(maxPlaces(cf.prev), maxPlaces(cf.delta))
			if cf.prev.sum.fen == 0 {
				if stated.V != 0 || cf.delta.sum.fen != 0 {
					rep.Report(Finding{Source: pc.Source, Message: rowName(t, r) + "的" + cf.base + "为零，不能计算增减率（写了 " + stated.String() + "%）：上年为零时应写“上年无此项”，删去 change_pct"})
				}
				continue
			}
			rc := checkRate(stated, cf.delta.sum, cf.prev.sum, tol)
			reportRate(rep, pc.Source, rowName(t, r)+"的增减率", stated, rc, func() string {
				what := "增减额 " + show(t, cf.delta.sum.fen, places) + " ÷ " + cf.base + " " + show(t, cf.prev.sum.fen, places)
				if cf.derived {
					what += "，上年数由本年 " + cf.cur.display() + " 减增减额推得"
				}
				return what
			})
		}
	})
}

// statedChange reports whether row r states a change that is not 持平.
func statedChange(r *fiscal.Row) (*fiscal.Cell, bool) {
	if c := r.Cell("change"); c != nil && c.Column.Type == fiscal.MoneyColumn && c.Fig.Fen != 0 {
		return c, true
	}
	if c := r.Cell("change_pct"); c != nil && c.Column.Type == fiscal.PercentColumn && c.Dec.V != 0 {
		return c, true
	}
	return nil, false
}

func hasReason(r *fiscal.Row) bool {
	c := r.Cell("reason")
	return c != nil && strings.TrimSpace(c.Text) != ""
}

// explained reports whether the change of row r is given a reason: in the
// row, in a row it is part of or in the part's total (a reason for the
// whole), in a row that is part of it (a total explained by its items), or
// in a paragraph of the narrative that refers to the row.
func (st *state) explained(t *fiscal.Table, p *fiscal.Part, r *fiscal.Row) bool {
	for x := r; x != nil; x = x.Parent {
		if hasReason(x) {
			return true
		}
	}
	if t := p.Total(); t != nil && hasReason(t) {
		return true
	}
	for _, x := range p.Rows {
		if r.Role == fiscal.Total && x != r && hasReason(x) {
			return true // the items of a total are its parts
		}
		for y := x.Parent; y != nil; y = y.Parent {
			if y == r && hasReason(x) {
				return true
			}
		}
	}
	for _, para := range st.narrative().paras {
		if !para.reason {
			continue
		}
		for _, ref := range para.refs {
			if ref.table == t && ref.row == r {
				return true
			}
		}
	}
	return false
}

func changeReason(rep *Reporter, d *fiscal.Disclosure) {
	st := rep.st
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		if !isList(t) {
			return
		}
		for _, r := range p.Rows {
			c, ok := statedChange(r)
			if !ok || st.explained(t, p, r) {
				continue
			}
			phrase := "有增减"
			if ch, ok := t.Change(r); ok {
				phrase = ch.Phrase(t.Unit)
			}
			rep.Reportf(c.Source, "%s比%s%s，未说明主要原因：在 data.toml 中给这一行写 reason = \"…\"，或在正文引用这一行的段落中写明“主要原因是……”", r.Name, cmp.Or(r.Base, t.Base, defaultBase(d)), phrase)
		}
	})
}

func defaultBase(d *fiscal.Disclosure) string {
	if d.Kind == fiscal.Final {
		return "上年决算"
	}
	return "上年预算"
}

func changeBase(rep *Reporter, d *fiscal.Disclosure) {
	st := rep.st
	type stmt struct {
		t    *fiscal.Table
		r    *fiscal.Row
		cf   changeFigures
		cell *fiscal.Cell
	}
	var first *stmt
	done := false
	line := func(s *stmt) string {
		places := max(maxPlaces(s.cf.prev), maxPlaces(s.cf.delta))
		ch, _ := s.t.Change(s.r)
		return s.r.Name + "比" + s.cf.base + ch.Phrase(s.t.Unit) + "（第 " + itoa(int64(s.cell.Source.Line)) + " 行；由此推得的上年数为 " + show(s.t, s.cf.prev.sum.fen, places) + "）"
	}
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		if done || p.Kind.Headline == "" || !isList(t) {
			return
		}
		for _, r := range p.Rows {
			c, ok := statedChange(r)
			if !ok {
				continue
			}
			cf, ok := st.changeOf(t, p, r)
			if !ok {
				continue
			}
			s := &stmt{t, r, cf, c}
			if first == nil {
				first = s
				continue
			}
			if s.cf.base != first.cf.base {
				rep.Reportf(c.Source, "同一文件中收支增减的比较口径不一：%s；%s。收入与支出应与同一口径（同为上年预算或同为上年执行数）比较，读者才能核对", line(first), line(s))
				done = true
				return
			}
		}
	})
}

func sharePct(rep *Reporter, d *fiscal.Disclosure) {
	tol := rep.settings.percentTolerance(rep.rule.ID)
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		amountCol := p.Kind.Column("amount")
		total := p.Total()
		if amountCol == nil || total == nil {
			return
		}
		tot := cellOperand(d, t, p, total, amountCol)
		if !tot.present || tot.value.fen == 0 {
			return
		}
		for _, r := range p.Rows {
			sc := r.Cell("share")
			if sc == nil || sc.Column.Type != fiscal.PercentColumn || r == total {
				continue
			}
			part := cellOperand(d, t, p, r, amountCol)
			if !part.present {
				continue
			}
			rc := checkRate(sc.Dec, part.value, tot.value, tol)
			reportRate(rep, sc.Source, r.Name+"的占比", sc.Dec, rc, func() string { return part.display() + " ÷ " + total.Name + " " + tot.display() })
		}
	})
}

func execRate(rep *Reporter, d *fiscal.Disclosure) {
	tol := rep.settings.percentTolerance(rep.rule.ID)
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		amountCol, budgetCol := p.Kind.Column("amount"), p.Kind.Column("budget")
		if amountCol == nil || budgetCol == nil {
			return
		}
		for _, r := range p.Rows {
			ec := r.Cell("exec_pct")
			if ec == nil {
				continue
			}
			got, budget := cellOperand(d, t, p, r, amountCol), cellOperand(d, t, p, r, budgetCol)
			if !got.present || !budget.present {
				rep.Reportf(ec.Source, "%s 写了完成率 %s%%，却没有写决算数（amount）和年初预算数（budget），无从核对", r.Name, ec.Dec)
				continue
			}
			if budget.value.fen == 0 {
				rep.Reportf(ec.Source, "%s 的年初预算为零，不能计算完成率（写了 %s%%）：应写“年初未安排预算”，删去 exec_pct", r.Name, ec.Dec)
				continue
			}
			rc := checkRate(ec.Dec, got.value, budget.value, tol)
			reportRate(rep, ec.Source, r.Name+"的完成率", ec.Dec, rc, func() string { return "决算数 " + got.display() + " ÷ 年初预算 " + budget.display() })
		}
	})
}

func coverage(rep *Reporter, d *fiscal.Disclosure) {
	tol := rep.settings.percentTolerance(rep.rule.ID)
	for _, t := range d.Tables {
		if t.Kind.ID != "performance_list" {
			continue
		}
		p := t.Parts[0]
		req, act, cov := findRow(p, "required"), findRow(p, "actual"), findRow(p, "coverage")
		if req == nil || act == nil || cov == nil {
			continue
		}
		rc, ac, pc := req.Cell("count"), act.Cell("count"), cov.Cell("pct")
		if rc == nil || ac == nil || pc == nil || rc.Count == 0 {
			continue
		}
		check := checkRate(pc.Dec, amount{fen: ac.Count}, amount{fen: rc.Count}, tol)
		reportRate(rep, pc.Source, cov.Name, pc.Dec, check, func() string {
			return act.Name + " " + ac.Prose(act, t.Unit) + " ÷ " + req.Name + " " + rc.Prose(req, t.Unit)
		})
	}
}
