package check

import (
	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
)

// builtinCodeRules are the rules written in Go, in the order they run.
func builtinCodeRules() []*Rule {
	return []*Rule{
		{ID: "sum.items", Name: "合计等于各分项之和", Severity: diag.Error, Disclosure: sumItems},
		{ID: "sum.tree", Name: "上级等于下级之和（类 = Σ款，款 = Σ项，公务用车购置及运行费 = 购置费 + 运行费 …）", Severity: diag.Error, Disclosure: sumTree},
		{ID: "sum.partial", Name: "列出的分项不超过总额（国有资产等只列部分分项的清单）", Severity: diag.Error, Disclosure: sumPartial},
		{ID: "sum.unitemised", Name: "总额中未列明分项的部分（提示）", Severity: diag.Note, Disclosure: sumUnitemised},
		{ID: "change.pct", Name: "增减率与由公开数字重算的一致；上年为零时不写增减率", Severity: diag.Error, Disclosure: changePct},
		{ID: "change.reason", Name: "增加、减少须说明主要原因（持平不必）", Severity: diag.Warning, Disclosure: changeReason},
		{ID: "change.base", Name: "收支增减以同一口径（上年预算、上年执行数或上年决算）比较", Severity: diag.Warning, Disclosure: changeBase},
		{ID: "share.pct", Name: "占比与重算的一致", Severity: diag.Error, Disclosure: sharePct},
		{ID: "exec.rate", Name: "完成率 = 决算数 ÷ 年初预算数；年初预算为零时不写完成率", Severity: diag.Error, Disclosure: execRate},
		{ID: "performance.coverage", Name: "绩效目标覆盖率 = 实际编制项目数 ÷ 应编制项目数", Severity: diag.Error, Disclosure: coverage},
		{ID: "cross.items", Name: "说明中逐项列出的科目金额与报表一致（功能分类科目与财政拨款支出表、经济分类科目与基本支出表）", Severity: diag.Error, Disclosure: crossItems},
		{ID: "year.list", Name: "说明中的上年数等于上年公开的数字", Severity: diag.Error, Disclosure: yearList},
		{ID: "final.list", Name: "决算说明中的年初预算数等于当年公开的预算", Severity: diag.Error, Disclosure: finalList},
		{ID: "code.known", Name: "科目编码在分类目录中（至少其上级类、款在）", Severity: diag.Warning, Disclosure: codeKnown},
		{ID: "code.unlisted", Name: "不在内置目录中的款、项编码（其上级在；内置目录只列常见科目）", Severity: diag.Note, Disclosure: codeUnlisted},
		{ID: "code.name", Name: "科目名称与该年度分类目录一致", Severity: diag.Warning, Disclosure: codeName},
		{ID: "code.parent", Name: "款、项列在所属的类、款之下", Severity: diag.Warning, Disclosure: codeParent},
		{ID: "complete.tables", Name: "公开报表齐全", Severity: diag.Warning, Disclosure: completeTables},
		{ID: "complete.empty", Name: "空表注明原因，且确实没有数字", Severity: diag.Warning, Disclosure: completeEmpty},
		{ID: "complete.topics", Name: "说明部分齐全（职责、机构设置、收支、三公、机关运行经费、政府采购、国有资产、绩效、名词解释）", Severity: diag.Warning, Disclosure: completeTopics},
		{ID: "year.title", Name: "标题、批复和公开日期与公开的年度相符（复制上一年的文件后要改）", Severity: diag.Warning, Disclosure: yearTitle},
		{ID: "date.publish", Name: "公开日期在批复后 20 日内（预算法第十四条），且不早于批复日期", Severity: diag.Warning, Disclosure: datePublish},
		{ID: "year.text", Name: "正文“比（较）某年”比较的是上年或本年（复制上一年的文字后要改）", Severity: diag.Warning, Disclosure: yearText},
		{ID: "placeholder.text", Name: "没有遗留的占位符（XX、××、待填写）", Severity: diag.Warning, Disclosure: placeholders},
		{ID: "prose.amount", Name: "正文中直接写出的金额、百分比与本次公开的数字相符", Severity: diag.Warning, Disclosure: proseAmounts},
		{ID: "prose.direction", Name: "正文在增减额、增减率之前写的增加或减少与增减的正负相符", Severity: diag.Error, Disclosure: proseDirection},
	}
}

// cellOperand is the figure of row r in column col, as an operand of a
// comparison.
func cellOperand(d *fiscal.Disclosure, t *fiscal.Table, p *fiscal.Part, r *fiscal.Row, col *fiscal.Column) operand {
	op := operand{d: d, t: t, part: p, row: r, col: col, cell: r.Cell(col.ID)}
	op.present = op.cell != nil
	if op.cell != nil {
		op.value = cellValue(op.cell, t)
	}
	return op
}

// sumOf is the side made of the given operands.
func sumOf(ops ...operand) sideValue {
	v := sideValue{present: true}
	for _, op := range ops {
		v.sum = v.sum.add(op.value, op.neg)
		v.operands = append(v.operands, op)
	}
	return v
}

// forParts calls f for every part of every table of d.
func forParts(d *fiscal.Disclosure, f func(t *fiscal.Table, p *fiscal.Part)) {
	for _, t := range d.Tables {
		for _, p := range t.Parts {
			f(t, p)
		}
	}
}

// summable lists the columns of p whose figures add up: money and counts.
func summable(p *fiscal.Part) []*fiscal.Column {
	var out []*fiscal.Column
	for _, c := range p.Columns {
		if c.Type == fiscal.MoneyColumn || c.Type == fiscal.CountColumn {
			out = append(out, c)
		}
	}
	return out
}

// onlyTotal returns the total row of p when it has exactly one.
func onlyTotal(p *fiscal.Part) *fiscal.Row {
	var total *fiscal.Row
	for _, r := range p.Rows {
		if r.Role == fiscal.Total {
			if total != nil {
				return nil
			}
			total = r
		}
	}
	return total
}

// topItems are the rows of p that add up to its total: those not part of
// another row, not memo (其中) rows, subtotals or totals.
func topItems(p *fiscal.Part) []*fiscal.Row {
	var out []*fiscal.Row
	for _, r := range p.Rows {
		if r.Parent == nil && r.Role == fiscal.Item {
			out = append(out, r)
		}
	}
	return out
}

// compareSum judges whole = Σ parts in column col, with the semantics of
// the table: in a narrative list every row must state the column (else
// nothing is judged); in a printed table a blank cell is zero.
func (st *state) compareSum(rep *Reporter, j judgement, t *fiscal.Table, p *fiscal.Part, whole *fiscal.Row, parts []*fiscal.Row, col *fiscal.Column) {
	w := cellOperand(st.d, t, p, whole, col)
	var sum amount
	anyCell := w.present
	for _, r := range parts {
		c := r.Cell(col.ID)
		if c == nil {
			if isList(t) {
				return
			}
			continue
		}
		anyCell = true
		sum = sum.add(cellValue(c, t), false)
	}
	if isList(t) && !w.present || !anyCell || st.holds(rep, j, w.value, sum) {
		return
	}
	ops := make([]operand, len(parts))
	for i, r := range parts {
		ops[i] = cellOperand(st.d, t, p, r, col)
	}
	st.judge(rep, j, sumOf(w), sumOf(ops...))
}

// cellValue is the amount of a published cell of table t.
func cellValue(c *fiscal.Cell, t *fiscal.Table) amount {
	if c.Column.Type == fiscal.CountColumn {
		return amount{fen: c.Count}
	}
	return figureAmount(c.Fig.Fen, t.Unit)
}

func sumItems(rep *Reporter, d *fiscal.Disclosure) {
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		total := onlyTotal(p)
		if total == nil || p.Kind.Partial {
			return
		}
		items := topItems(p)
		if len(items) == 0 {
			return
		}
		for _, col := range summable(p) {
			rep.st.compareSum(rep, judgement{name: "合计等于各分项之和"}, t, p, total, items, col)
		}
	})
}

func sumTree(rep *Reporter, d *fiscal.Disclosure) {
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		if p.Kind.Partial {
			return
		}
		var kids map[*fiscal.Row][]*fiscal.Row
		for _, c := range p.Rows {
			if c.Parent != nil && c.Role != fiscal.Memo {
				if kids == nil {
					kids = map[*fiscal.Row][]*fiscal.Row{}
				}
				kids[c.Parent] = append(kids[c.Parent], c)
			}
		}
		for _, r := range p.Rows {
			kids := kids[r]
			if len(kids) == 0 {
				continue
			}
			name := "上级等于下级之和"
			if r.Code != "" {
				name = levelName(r.Code) + "等于其下各" + levelName(kids[0].Code) + "之和"
			}
			for _, col := range summable(p) {
				rep.st.compareSum(rep, judgement{name: name}, t, p, r, kids, col)
			}
		}
	})
}

// levelName is 类, 款 or 项 by the length of a code.
func levelName(code string) string {
	switch len(code) {
	case 3:
		return "类"
	case 5:
		return "款"
	case 7:
		return "项"
	}
	return "分项"
}

// partialSums returns the total of a partial list (资产总额) and the
// operands of its top items, when every item states col.
func partialSums(st *state, t *fiscal.Table, p *fiscal.Part, col *fiscal.Column) (total operand, items []operand, ok bool) {
	tr := onlyTotal(p)
	if tr == nil || tr.Cell(col.ID) == nil {
		return total, nil, false
	}
	for _, r := range topItems(p) {
		op := cellOperand(st.d, t, p, r, col)
		if !op.present {
			continue // a partial list may leave a row's amount unstated
		}
		items = append(items, op)
	}
	return cellOperand(st.d, t, p, tr, col), items, len(items) > 0
}

func sumPartial(rep *Reporter, d *fiscal.Disclosure) {
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		if !p.Kind.Partial {
			return
		}
		for _, col := range summable(p) {
			total, items, ok := partialSums(rep.st, t, p, col)
			if ok {
				rep.st.judge(rep, judgement{name: "列出的分项之和不能超过总额", op: OpLE, count: col.Type == fiscal.CountColumn}, sumOf(items...), sumOf(total))
			}
		}
	})
}

func sumUnitemised(rep *Reporter, d *fiscal.Disclosure) {
	forParts(d, func(t *fiscal.Table, p *fiscal.Part) {
		if !p.Kind.Partial {
			return
		}
		for _, col := range summable(p) {
			if col.Type != fiscal.MoneyColumn {
				continue
			}
			total, items, ok := partialSums(rep.st, t, p, col)
			if !ok {
				continue
			}
			s := sumOf(items...)
			rest := total.value.fen - s.sum.fen
			if rest <= 0 {
				continue // more than the total is sum.partial's finding
			}
			if v, _, _ := compare(OpEq, total.value, s.sum, rep.settings.amountTolerance(rep.rule.ID)); v != fails {
				continue
			}
			u := t.Unit
			rep.Report(Finding{
				Source: total.source(),
				Message: total.row.Name + " " + total.display() + " 中有 " + money(rest, u) + " 未列明分项（列出的 " +
					rep.st.sideText(s, &total, u, false) + "）。如有其他资产（在建工程、无形资产等），可逐项列出",
				Expected: plain(s.sum.fen, u), Found: plain(total.value.fen, u), Difference: plain(rest, u), Unit: u.String(),
			})
		}
	})
}
