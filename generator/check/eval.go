package check

import (
	"slices"
	"strings"

	"github.com/disclose/disclose/generator/fiscal"
)

// state is what the rules know of one disclosure while checking it.
type state struct {
	d      *fiscal.Disclosure
	idx    *siteIndex
	rules  *Rules
	tables map[string]*fiscal.Table // the first table of each kind in d
	rows   map[*fiscal.Part]map[string]*fiscal.Row
	md     *narrative // parsed on first use
}

// row returns the row of part p (of any disclosure) that key names: a
// known row id, the editor's id, or a code.
func (st *state) row(p *fiscal.Part, key string) *fiscal.Row {
	if len(p.Rows) < 8 {
		return findRow(p, key)
	}
	m := st.rows[p]
	if m == nil {
		if st.rows == nil {
			st.rows = map[*fiscal.Part]map[string]*fiscal.Row{}
		}
		m = make(map[string]*fiscal.Row, 2*len(p.Rows))
		for i := len(p.Rows) - 1; i >= 0; i-- { // the first row of a key wins
			r := p.Rows[i]
			for _, k := range [...]string{r.Code, r.ID, knownID(r)} {
				if k != "" {
					m[k] = r
				}
			}
		}
		st.rows[p] = m
	}
	return m[key]
}

func knownID(r *fiscal.Row) string {
	if r.Known != nil {
		return r.Known.ID
	}
	return ""
}

func newState(d *fiscal.Disclosure, idx *siteIndex, rules *Rules) *state {
	st := &state{d: d, idx: idx, rules: rules, tables: make(map[string]*fiscal.Table, len(d.Tables))}
	for _, t := range d.Tables {
		if st.tables[t.Kind.ID] == nil {
			st.tables[t.Kind.ID] = t
		}
	}
	return st
}

// table returns the first table of the given kind in d, or nil.
func table(d *fiscal.Disclosure, kind string) *fiscal.Table {
	if d == nil {
		return nil
	}
	for _, t := range d.Tables {
		if t.Kind.ID == kind {
			return t
		}
	}
	return nil
}

// tableOf is table, quicker for the disclosure being checked.
func (st *state) tableOf(d *fiscal.Disclosure, kind string) *fiscal.Table {
	if d == st.d {
		return st.tables[kind]
	}
	return table(d, kind)
}

// isList reports whether a table is a narrative list, where a blank cell
// means "not stated" rather than zero as in a printed table.
func isList(t *fiscal.Table) bool { return t.Kind.Layout == "list" }

// findRow returns the row of p that key names: a known row id, the
// editor's id, or a code.
func findRow(p *fiscal.Part, key string) *fiscal.Row {
	for _, r := range p.Rows {
		if r.Code == key || r.ID == key || (r.Known != nil && r.Known.ID == key) {
			return r
		}
	}
	return nil
}

// env is where a relation is being evaluated: a row (each = "row"), a
// code (each = "code") and a column (for * refs).
type env struct {
	t    *fiscal.Table
	part *fiscal.Part
	row  *fiscal.Row
	code string
	col  string
}

// operand is one figure a relation names, resolved.
type operand struct {
	ref     *Ref
	d       *fiscal.Disclosure
	t       *fiscal.Table
	part    *fiscal.Part
	row     *fiscal.Row
	cell    *fiscal.Cell
	col     *fiscal.Column
	rowKey  string
	neg     bool
	present bool
	value   amount
}

// resolve finds the figure ref names in env. noTable is true when the
// table (or the other disclosure) it names is not published at all.
func (st *state) resolve(ref *Ref, e env) (op operand, noTable bool) {
	op = operand{ref: ref, d: st.d}
	colID := ref.col
	if colID == "*" {
		colID = e.col
	}
	if ref.kind == nil { // a column of the current row
		op.t, op.part, op.row = e.t, e.part, e.row
	} else {
		op.d = st.idx.related(st.d, ref.qual)
		op.t = st.tableOf(op.d, ref.kind.ID)
		if op.t == nil {
			return op, true
		}
		op.part = op.t.Part(ref.part.Key)
		op.rowKey = ref.row
		if ref.row == codeRow {
			op.rowKey = e.code
		}
		op.row = st.row(op.part, op.rowKey)
	}
	op.col = op.part.Kind.Column(colID)
	if op.col == nil || !publishes(op.part, colID) {
		return op, true // a column the table does not publish cannot be judged
	}
	if op.row != nil {
		op.cell = op.row.Cell(colID)
	}
	if isList(op.t) {
		op.present = op.cell != nil
	} else if ref.kind == nil {
		op.present = op.cell != nil
	} else {
		op.present = op.row != nil
	}
	switch {
	case op.cell == nil: // a blank cell is an exact zero
	case op.cell.Column.Type == fiscal.CountColumn:
		op.value = amount{fen: op.cell.Count}
	default:
		op.value = figureAmount(op.cell.Fig.Fen, op.t.Unit)
	}
	return op, false
}

// sideValue is an evaluated side of a relation.
type sideValue struct {
	sum      amount
	operands []operand // the figures, in order, with their signs
	present  bool
	noTable  bool
	list     bool // it names a figure of a narrative list
}

// side evaluates s. A side is known (present) when every figure it names
// from a narrative list is stated, and at least one of its figures is
// published; optional refs (ending in ?) count as zero when missing.
//
// With keep false it only sums, keeping no operands: the quick pass every
// relation takes; the operands are gathered again for a message.
func (st *state) side(s Side, e env, keep bool) sideValue {
	var v sideValue
	any, all := false, true
	for _, t := range s {
		var sub sideValue
		strict := true
		if t.Ref != nil {
			op, noTable := st.resolve(t.Ref, e)
			if noTable {
				if t.Ref.Optional {
					continue
				}
				v.noTable = true
				return v
			}
			op.neg = t.Neg
			sub = sideValue{sum: op.value, present: op.present}
			if keep {
				sub.operands = []operand{op}
			}
			strict = isList(op.t)
			if t.Ref.Optional {
				if !op.present {
					continue
				}
				strict = false
			}
		} else {
			// The first alternative the disclosure publishes; failing
			// that, the first it has the tables for (a blank, zero); with
			// none, the relation cannot be judged.
			var fallback *sideValue
			chosen := false
			for _, alt := range t.Alts {
				a := st.side(alt, e, keep)
				if a.noTable {
					continue
				}
				if a.present {
					sub, chosen = a, true
					break
				}
				if fallback == nil {
					fallback = &a
				}
			}
			if !chosen {
				if fallback == nil {
					v.noTable = true
					return v
				}
				sub = *fallback
			}
			strict = sub.list
			if t.Neg {
				for i := range sub.operands {
					sub.operands[i].neg = !sub.operands[i].neg
				}
			}
		}
		if sub.present {
			any = true
		} else if strict {
			all = false
		}
		v.sum = v.sum.add(sub.sum, t.Neg)
		v.list = v.list || strict && sub.present || sub.list
		v.operands = append(v.operands, sub.operands...)
	}
	v.present = any && all
	return v
}

// relation evaluates every check of rel on the disclosure.
func (st *state) relation(rep *Reporter, rel *Relation) {
	for _, e := range rel.Checks {
		if !st.hasAll(e.needs) {
			continue // a table it needs is not published here
		}
		switch rel.Each {
		case "row":
			for _, tr := range rel.Tables {
				t := st.tables[tr.Kind.ID]
				if t == nil {
					continue
				}
				p := t.Part(tr.Part.Key)
				for _, r := range p.Rows {
					st.columns(rep, rel, e, env{t: t, part: p, row: r})
				}
			}
		case "code":
			for _, code := range st.codes(e) {
				st.columns(rep, rel, e, env{code: code})
			}
		default:
			st.columns(rep, rel, e, env{})
		}
	}
}

// hasAll reports whether the disclosure publishes tables of all kinds.
func (st *state) hasAll(kinds []string) bool {
	for _, k := range kinds {
		if st.tables[k] == nil {
			return false
		}
	}
	return true
}

// columns evaluates e once, or once per money column both sides publish
// when it names a column *.
func (st *state) columns(rep *Reporter, rel *Relation, e *Expr, en env) {
	if !e.wild {
		st.eval(rep, rel, e, en)
		return
	}
	var parts []*fiscal.Part
	e.Refs(func(r *Ref) {
		if r.col != "*" {
			return
		}
		if t := st.tableOf(st.idx.related(st.d, r.qual), r.kind.ID); t != nil {
			parts = append(parts, t.Part(r.part.Key))
		}
	})
	if len(parts) == 0 {
		st.eval(rep, rel, e, en)
		return
	}
	for _, c := range parts[0].Columns {
		if c.Type != fiscal.MoneyColumn {
			continue
		}
		if !allPublish(parts[1:], c.ID) {
			continue
		}
		en.col = c.ID
		st.eval(rep, rel, e, en)
	}
}

func allPublish(parts []*fiscal.Part, col string) bool {
	for _, p := range parts {
		if !publishes(p, col) {
			return false
		}
	}
	return true
}

// publishes reports whether a part shows column col.
func publishes(p *fiscal.Part, col string) bool {
	return slices.ContainsFunc(p.Columns, func(c *fiscal.Column) bool { return c.ID == col })
}

// codes lists the classification codes an each = "code" check runs over:
// every code any of its tables lists, at the levels (code lengths) all of
// them list, in the order first seen.
func (st *state) codes(e *Expr) []string {
	var parts []*fiscal.Part
	e.Refs(func(r *Ref) {
		if r.row != codeRow {
			return
		}
		if t := st.tableOf(st.idx.related(st.d, r.qual), r.kind.ID); t != nil {
			parts = append(parts, t.Part(r.part.Key))
		}
	})
	if len(parts) == 0 {
		return nil
	}
	lengths := map[int]int{}
	for _, p := range parts {
		seen := map[int]bool{}
		for _, r := range p.Rows {
			if r.Code != "" && !seen[len(r.Code)] {
				seen[len(r.Code)] = true
				lengths[len(r.Code)]++
			}
		}
	}
	var codes []string
	for _, p := range parts {
		for _, r := range p.Rows {
			if r.Code != "" && lengths[len(r.Code)] == len(parts) && !slices.Contains(codes, r.Code) {
				codes = append(codes, r.Code)
			}
		}
	}
	return codes
}

// eval judges one check in one environment and reports a difference.
func (st *state) eval(rep *Reporter, rel *Relation, e *Expr, en env) {
	l, r := st.side(e.Left, en, false), st.side(e.Right, en, false)
	if l.noTable || r.noTable {
		return
	}
	// Each code is judged when either side lists it: a 类 in one table
	// and missing from the other is a difference.
	if rel.Each == "code" {
		if !l.present && !r.present {
			return
		}
	} else if !l.present || !r.present {
		return
	}
	j := judgement{name: rel.Name, hint: rel.Hint, op: e.Op, count: e.count}
	if st.holds(rep, j, l.sum, r.sum) {
		return
	}
	if rel.Each == "row" {
		j.prefix = en.t.ID + "“" + en.row.Label() + "”："
	}
	st.judge(rep, j, st.side(e.Left, en, true), st.side(e.Right, en, true))
}

// holds reports whether l op r holds, before any message is made.
func (st *state) holds(rep *Reporter, j judgement, l, r amount) bool {
	tol := rep.settings.amountTolerance(rep.rule.ID)
	if j.count {
		tol = tolerance{}
	}
	v, _, _ := compare(j.op, l, r, tol)
	return v == holds
}

// judgement is what a comparison is about, for its message.
type judgement struct {
	name, hint string // the rule's name and its explanation
	prefix     string // what the message is about, e.g. a row
	op         Op
	count      bool // the figures are counts
}

// judge compares l and r and reports a difference beyond the relation,
// at the first figure of l: "l ≠ r，相差 d（name）。hint".
func (st *state) judge(rep *Reporter, j judgement, l, r sideValue) {
	tol := rep.settings.amountTolerance(rep.rule.ID)
	if j.count {
		tol = tolerance{}
	}
	v, diff, bound := compare(j.op, l.sum, r.sum, tol)
	if v == holds {
		return
	}
	found := l.first()
	if found == nil {
		found = r.first()
	}
	unit := found.t.Unit
	var b strings.Builder
	b.WriteString(j.prefix)

	b.WriteString(st.sideText(l, found, unit, j.count))
	switch j.op {
	case OpEq:
		b.WriteString(" ≠ ")
	case OpLE:
		b.WriteString(" 大于 ")
	default:
		b.WriteString(" 小于 ")
	}
	b.WriteString(st.sideText(r, found, unit, j.count))
	f := Finding{Source: found.source(), Rounding: v == rounding}
	if j.count {
		b.WriteString("，相差 " + itoa(abs(diff)))
		f.Found, f.Expected, f.Difference, f.Unit = itoa(l.sum.fen), itoa(r.sum.fen), itoa(diff), countUnit(found)
	} else {
		b.WriteString("，相差 " + money(abs(diff), unit))
		f.Found, f.Expected, f.Difference, f.Unit = plain(l.sum.fen, unit), plain(r.sum.fen, unit), plain(diff, unit), unit.String()
	}
	if v == rounding {
		b.WriteString("，在舍入误差 ±" + halfString(bound, unit) + " 之内（" + j.name + "）")
	} else {
		b.WriteString("（" + j.name + "）")
		if j.hint != "" {
			b.WriteString("。" + j.hint)
		}
	}
	f.Message = b.String()
	rep.Report(f)
}

// first returns the first figure of the side that has a cell, else the
// first with a row.
func (v sideValue) first() *operand {
	for i := range v.operands {
		if v.operands[i].cell != nil {
			return &v.operands[i]
		}
	}
	for i := range v.operands {
		if v.operands[i].row != nil {
			return &v.operands[i]
		}
	}
	if len(v.operands) > 0 {
		return &v.operands[0]
	}
	return nil
}

func (op *operand) source() fiscal.Source {
	switch {
	case op.cell != nil:
		return op.cell.Source
	case op.row != nil:
		return op.row.Source
	}
	return op.t.Source
}

func countUnit(op *operand) string {
	if op.row != nil && op.row.CountUnit != "" {
		return op.row.CountUnit
	}
	if op.col != nil && op.col.Unit != "" {
		return op.col.Unit
	}
	return "个"
}

// sideText writes a side for a message: one figure as "label value"; a sum
// as "a + b − c = total" (long sums shortened).
func (st *state) sideText(v sideValue, found *operand, u fiscal.Unit, count bool) string {
	var b strings.Builder
	// Rows a table does not list add nothing; they are left out of the
	// text (307, 309 … in a sum over 经济分类 classes).
	var ops []operand
	for _, op := range v.operands {
		if op.row != nil || op.cell != nil {
			ops = append(ops, op)
		}
	}
	if len(ops) == 0 {
		ops = v.operands
	}
	const most = 6
	for i, op := range ops {
		if i == most && len(ops) > most+1 {
			b.WriteString(" + …（共 " + itoa(int64(len(ops))) + " 项）")
			break
		}
		switch {
		case i == 0 && op.neg:
			b.WriteString("−")
		case i > 0 && op.neg:
			b.WriteString(" − ")
		case i > 0:
			b.WriteString(" + ")
		}
		b.WriteString(st.label(&op, found))
		b.WriteString(" ")
		b.WriteString(op.display())
	}
	if len(ops) > 1 {
		b.WriteString(" = ")
		switch {
		case count:
			b.WriteString(itoa(v.sum.fen))
		case isList(found.t) && found.t.Unit == u:
			// A narrative list's sum in the form its figures use: 2966.24万元.
			b.WriteString(exact(v.sum.fen, u.Fen(), maxPlaces(v)) + u.String())
		default:
			b.WriteString(money(v.sum.fen, u))
		}
	}
	return b.String()
}

// display shows a figure as published: a narrative list's in the form the
// document wrote it (2394万元), a table's as tables print it.
func (op *operand) display() string {
	switch {
	case op.cell == nil && op.col != nil && op.col.Type == fiscal.CountColumn:
		return "0"
	case op.cell == nil:
		return "0.00" + op.t.Unit.String()
	case op.cell.Column.Type == fiscal.CountColumn:
		return op.cell.Prose(op.row, op.t.Unit)
	case isList(op.t):
		return op.cell.Fig.Prose(op.t.Unit)
	}
	return money(op.cell.Fig.Fen, op.t.Unit)
}

// label names a figure for a message: its row (with the column where the
// row has several), prefixed by its table when that is not the table of
// the figure found wrong, and by its year and kind when it is another
// disclosure's.
func (st *state) label(op *operand, found *operand) string {
	var b strings.Builder
	if op.d != st.d {
		b.WriteString(itoa(int64(op.d.Year)) + "年" + op.d.Kind.String() + " ")
	}
	if op.ref != nil && op.ref.kind == nil { // a column of the row
		return columnTitle(op.col)
	}
	name := ""
	switch {
	case op.row != nil:
		name = rowLabel(op.part, op.row)
	case op.part.Kind.Known(op.rowKey) != nil:
		name = op.part.Kind.Known(op.rowKey).Name
	default:
		name = op.rowKey
	}
	// Sides of a 收支总表 both have a 总计: say which.
	if len(op.t.Parts) > 1 && op.part.Kind.Title != "" && !strings.Contains(name, op.part.Kind.Title) {
		name = op.part.Kind.Title + "栏 " + name
	}
	// The table is named where it is not the one of the figure found
	// wrong, and for that figure itself when it is a printed table's; a
	// narrative list's rows (收入预算) mostly say which list they are in.
	other := op.t != found.t || op.d != found.d
	self := op.t == found.t && op.row == found.row && op.col == found.col
	if isList(op.t) && other && !strings.Contains(name, op.t.ID) || !isList(op.t) && (other || self) {
		b.WriteString(op.t.ID + " ")
	}
	b.WriteString(name)
	if op.col != nil && !mainColumn(op.t, op.part, op.col) && op.col.Title != name {
		b.WriteString("（" + columnTitle(op.col) + "）")
	}
	return b.String()
}

// rowLabel names a row: its code and published name; where another row of
// the part has the same name (一般公共预算财政拨款 for this year's income and
// for the opening balance), the name its kind knows it by.
func rowLabel(p *fiscal.Part, r *fiscal.Row) string {
	if r.Known != nil && r.Known.Name != r.Name {
		for _, x := range p.Rows {
			if x != r && x.Name == r.Name {
				return r.Known.Name
			}
		}
	}
	return r.Label()
}

// mainColumn reports whether a row's value in col needs no column name:
// a narrative list's amount, or the only money column of a part.
func mainColumn(t *fiscal.Table, p *fiscal.Part, col *fiscal.Column) bool {
	if isList(t) {
		return col.ID == "amount"
	}
	if col.ID == "total" || col.ID == "amount" {
		return true
	}
	n := 0
	for _, c := range p.Kind.Columns {
		if c.Type == fiscal.MoneyColumn {
			n++
		}
	}
	return n == 1
}

// columnTitle names a column with its header group where its title alone
// is ambiguous (小计 of 公务用车购置及运行费).
func columnTitle(c *fiscal.Column) string {
	if len(c.Group) == 0 {
		return c.Title
	}
	group := c.Group[len(c.Group)-1]
	switch {
	case c.Title == "小计":
		return group + "小计"
	case strings.HasPrefix(group, "公务用车"):
		return "公务用车" + c.Title
	}
	return c.Title
}
