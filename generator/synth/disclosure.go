package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/disclose/disclose/generator/fiscal"
)

// disclosureGen writes one disclosure of a body: its data.toml and sections.
type disclosureGen struct {
	b     *body
	cls   *fiscal.Classification
	rng   *rand.Rand
	p     *yearPlan // this year's plan (budget or final)
	prev  *yearPlan // the same kind of plan a year earlier
	final bool
}

// fnRow is one 类, 款 or 项 of a function-coded table.
type fnRow struct {
	Code                 string
	Basic, Project, Fund amount
	Initial              amount // 年初预算 (final accounts)
}

func (r fnRow) total() amount { return r.Basic + r.Project + r.Fund }
func (r fnRow) gpb() amount   { return r.Basic + r.Project }

// functionRows aggregates 项 into 款 and 类, ordered by code; with gpbOnly,
// only 一般公共预算 spending counts.
func (g *disclosureGen) functionRows(gpbOnly bool) []fnRow {
	byCode := map[string]*fnRow{}
	var codes []string
	var initial map[string]item
	if g.final {
		initial = map[string]item{}
		for _, it := range g.p.Budget.Items {
			initial[it.Code] = it
		}
	}
	for _, it := range g.p.Items {
		fund := it.Fund
		if gpbOnly {
			fund = 0
		}
		if it.Basic+it.Project+fund == 0 {
			continue
		}
		for _, n := range []int{3, 5, 7} {
			c := it.Code[:n]
			r := byCode[c]
			if r == nil {
				r = &fnRow{Code: c}
				byCode[c] = r
				codes = append(codes, c)
			}
			r.Basic += it.Basic
			r.Project += it.Project
			r.Fund += fund
			if g.final {
				in := initial[it.Code]
				r.Initial += in.Basic + in.Project
				if !gpbOnly {
					r.Initial += in.Fund
				}
			}
		}
	}
	slices.Sort(codes)
	out := make([]fnRow, len(codes))
	for i, c := range codes {
		out[i] = *byCode[c]
	}
	return out
}

func (g *disclosureGen) name(s fiscal.CodeScheme, code string) string {
	n, ok := g.cls.Name(s, code, g.p.Year)
	if !ok {
		panic("synth: no name for " + code)
	}
	return n
}

var cnNumbers = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"}

func (g *disclosureGen) data() string {
	var b strings.Builder
	p := g.p
	kindCN, measure := "预算", "预算数"
	if g.final {
		kindCN, measure = "决算", "决算数"
	}
	fmt.Fprintf(&b, "# 示例数据（虚构）：%s%d年度部门%s，由 cmd/synth 生成。\nunit = \"万元\"\nscope = \"部门\"\n", g.b.Name, p.Year, kindCN)
	approved := time.Date(g.approvedYear(), time.Month(1+g.b.Index%3), 10+g.b.Index%18, 0, 0, 0, 0, time.UTC)
	// Published on a day of the next month, or sooner: no later than the
	// 20 days after approval that the budget law allows (date.publish).
	published := time.Date(g.approvedYear(), time.Month(2+g.b.Index%3), 1+g.b.Index%27, 0, 0, 0, 0, time.UTC)
	if latest := approved.AddDate(0, 0, 20); published.After(latest) {
		published = latest
	}
	fmt.Fprintf(&b, "approved = %s\npublished = %s\n", approved.Format(time.DateOnly), published.Format(time.DateOnly))
	b.WriteString("terms = [")
	for i, t := range terms {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(t))
	}
	b.WriteString("]\n")
	_ = measure

	all := g.functionRows(false)
	gpb := g.functionRows(true)
	basic, project, fund := p.spending()
	gpbTotal := basic + project
	var classes []fnRow
	for _, r := range all {
		if len(r.Code) == 3 {
			classes = append(classes, r)
		}
	}
	table := func(kind string, number int, title string, extra ...string) {
		fmt.Fprintf(&b, "\n[[table]]\nkind = %q\nnumber = %d\ntitle = %q\n", kind, number, title)
		for _, e := range extra {
			b.WriteString(e)
			b.WriteByte('\n')
		}
	}
	year := fmt.Sprint(p.Year)
	if !g.final {
		// 表1 部门收支总表
		table("budget_summary", 1, year+"年部门收支总表")
		b.WriteString("income = [\n")
		row(&b, kv{"name", "一般公共预算拨款收入"}, kv{"amount", blankZero(gpbTotal)})
		row(&b, kv{"name", "政府性基金预算拨款收入"}, kv{"amount", blankZero(fund)})
		row(&b, kv{"name", "国有资本经营预算拨款收入"})
		row(&b, kv{"name", "事业收入"})
		row(&b, kv{"name", "事业单位经营收入"})
		row(&b, kv{"name", "其他收入"})
		row(&b, kv{"name", "本年收入合计"}, kv{"amount", gpbTotal + fund})
		row(&b, kv{"name", "上年结转"})
		row(&b, kv{"name", "收入总计"}, kv{"amount", gpbTotal + fund})
		b.WriteString("]\nexpenditure = [\n")
		for i, r := range classes {
			row(&b, kv{"code", r.Code}, kv{"name", cnNumbers[i] + "、" + g.name(fiscal.Function, r.Code)}, kv{"amount", r.total()})
		}
		row(&b, kv{"name", "本年支出合计"}, kv{"amount", gpbTotal + fund})
		row(&b, kv{"name", "结转下年"})
		row(&b, kv{"name", "支出总计"}, kv{"amount", gpbTotal + fund})
		b.WriteString("]\n")

		// 表2 部门收入总表
		table("budget_income", 2, year+"年部门收入总表")
		b.WriteString("rows = [\n")
		for _, r := range all {
			row(&b, kv{"code", r.Code}, kv{"name", g.name(fiscal.Function, r.Code)}, kv{"total", r.total()}, kv{"gpb", blankZero(r.gpb())}, kv{"fund", blankZero(r.Fund)})
		}
		row(&b, kv{"id", "total"}, kv{"name", "合计"}, kv{"total", gpbTotal + fund}, kv{"gpb", blankZero(gpbTotal)}, kv{"fund", blankZero(fund)})
		b.WriteString("]\n")

		// 表3 部门支出总表
		table("budget_expenditure", 3, year+"年部门支出总表")
		g.expenditureRows(&b, all, false)

		// 表4 财政拨款收支总表
		table("budget_fiscal_summary", 4, year+"年财政拨款收支总表")
		b.WriteString("income = [\n")
		row(&b, kv{"name", "一般公共预算拨款"}, kv{"amount", blankZero(gpbTotal)})
		row(&b, kv{"name", "政府性基金预算拨款"}, kv{"amount", blankZero(fund)})
		row(&b, kv{"name", "国有资本经营预算拨款"})
		row(&b, kv{"name", "收入总计"}, kv{"amount", gpbTotal + fund})
		b.WriteString("]\nexpenditure = [\n")
		for i, r := range classes {
			row(&b, kv{"code", r.Code}, kv{"name", cnNumbers[i] + "、" + g.name(fiscal.Function, r.Code)}, kv{"total", r.total()}, kv{"gpb", blankZero(r.gpb())}, kv{"fund", blankZero(r.Fund)})
		}
		row(&b, kv{"name", "支出总计"}, kv{"total", gpbTotal + fund}, kv{"gpb", blankZero(gpbTotal)}, kv{"fund", blankZero(fund)})
		b.WriteString("]\n")

		// 表5 一般公共预算支出表
		table("budget_gpb", 5, year+"年一般公共预算支出表")
		g.expenditureRows(&b, gpb, false)

		// 表6 一般公共预算基本支出表
		table("budget_gpb_basic", 6, year+"年一般公共预算基本支出表")
		g.econRows(&b, p.Econ, false)

		// 表7 三公
		table("budget_sangong", 7, year+"年一般公共预算“三公”经费支出表")
		b.WriteString("rows = [\n")
		g.sangongRow(&b, "上年预算数", g.prev.Sangong)
		g.sangongRow(&b, "本年预算数", p.Sangong)
		b.WriteString("]\n")

		// 表8 政府性基金, 表9 国有资本经营
		if fund > 0 {
			table("budget_fund", 8, year+"年政府性基金预算支出表")
			var rows []fnRow
			for _, r := range all {
				if r.Fund > 0 {
					rows = append(rows, fnRow{Code: r.Code, Project: r.Fund})
				}
			}
			g.expenditureRows(&b, rows, false)
		} else {
			table("budget_fund", 8, year+"年政府性基金预算支出表", "empty = true", fmt.Sprintf("note = \"注：本部门%s年无政府性基金预算财政拨款安排的支出，故本表为空表。\"", year))
			b.WriteString("rows = [\n  { id = \"total\", name = \"合计\" },\n]\n")
		}
		table("budget_soe", 9, year+"年国有资本经营预算支出表", "empty = true", fmt.Sprintf("note = \"注：本部门%s年无国有资本经营预算财政拨款安排的支出，故本表为空表。\"", year))
		b.WriteString("rows = [\n  { id = \"total\", name = \"合计\" },\n]\n")
	} else {
		received := p.Income()
		spent := p.Spent()
		closing := p.Closing()
		budBasic, budProject, budFund := p.Budget.spending()
		// 表1 收入支出决算总表
		table("final_summary", 1, year+"年度收入支出决算总表")
		b.WriteString("income = [\n")
		row(&b, kv{"name", "一、一般公共预算财政拨款收入"}, kv{"amount", blankZero(budBasic + budProject)})
		row(&b, kv{"name", "二、政府性基金预算财政拨款收入"}, kv{"amount", blankZero(budFund)})
		row(&b, kv{"name", "三、国有资本经营预算财政拨款收入"})
		row(&b, kv{"name", "四、上级补助收入"})
		row(&b, kv{"name", "五、事业收入"})
		row(&b, kv{"name", "六、经营收入"})
		row(&b, kv{"name", "七、附属单位上缴收入"})
		row(&b, kv{"name", "八、其他收入"})
		row(&b, kv{"name", "本年收入合计"}, kv{"amount", received})
		row(&b, kv{"name", "使用非财政拨款结余（含专用结余）"})
		row(&b, kv{"name", "年初结转和结余"}, kv{"amount", blankZero(p.OpeningTotal())})
		row(&b, kv{"name", "总计"}, kv{"amount", received + p.OpeningTotal()})
		b.WriteString("]\nexpenditure = [\n")
		for i, r := range classes {
			row(&b, kv{"code", r.Code}, kv{"name", cnNumbers[i] + "、" + g.name(fiscal.Function, r.Code)}, kv{"amount", r.total()})
		}
		row(&b, kv{"name", "本年支出合计"}, kv{"amount", spent})
		row(&b, kv{"name", "结余分配"})
		row(&b, kv{"name", "年末结转和结余"}, kv{"amount", blankZero(closing)})
		row(&b, kv{"name", "总计"}, kv{"amount", spent + closing})
		b.WriteString("]\n")

		// 表2 收入决算表: the 财政拨款 received, by function, is the budget.
		table("final_income", 2, year+"年度收入决算表", `columns = ["total", "fiscal", "superior", "business", "operating", "affiliated", "other"]`)
		b.WriteString("rows = [\n")
		budRows := (&disclosureGen{b: g.b, cls: g.cls, p: p.Budget}).functionRows(false)
		for _, r := range budRows {
			row(&b, kv{"code", r.Code}, kv{"name", g.name(fiscal.Function, r.Code)}, kv{"total", r.total()}, kv{"fiscal", r.total()})
		}
		row(&b, kv{"id", "total"}, kv{"name", "合计"}, kv{"total", received}, kv{"fiscal", received})
		b.WriteString("]\n")

		// 表3 支出决算表
		table("final_expenditure", 3, year+"年度支出决算表", `columns = ["total", "basic", "project", "upper", "operating", "subsidiary"]`)
		g.expenditureRows(&b, all, false)

		// 表4 财政拨款收入支出决算总表
		table("final_fiscal_summary", 4, year+"年度财政拨款收入支出决算总表")
		b.WriteString("income = [\n")
		row(&b, kv{"name", "一般公共预算财政拨款"}, kv{"amount", blankZero(budBasic + budProject)})
		row(&b, kv{"name", "政府性基金预算财政拨款"}, kv{"amount", blankZero(budFund)})
		row(&b, kv{"name", "国有资本经营预算财政拨款"})
		row(&b, kv{"name", "本年收入合计"}, kv{"amount", received})
		row(&b, kv{"name", "年初财政拨款结转和结余"}, kv{"amount", blankZero(p.OpeningTotal())})
		row(&b, kv{"id", "opening_gpb"}, kv{"name", "一般公共预算财政拨款"}, kv{"amount", blankZero(p.Opening)})
		if fo := p.OpeningTotal() - p.Opening; fo != 0 {
			row(&b, kv{"id", "opening_fund"}, kv{"name", "政府性基金预算财政拨款"}, kv{"amount", fo})
		}
		row(&b, kv{"name", "总计"}, kv{"amount", received + p.OpeningTotal()})
		b.WriteString("]\nexpenditure = [\n")
		for i, r := range classes {
			row(&b, kv{"code", r.Code}, kv{"name", cnNumbers[i] + "、" + g.name(fiscal.Function, r.Code)}, kv{"total", r.total()}, kv{"gpb", blankZero(r.gpb())}, kv{"fund", blankZero(r.Fund)})
		}
		gpbClosing, fundClosing := p.gpbClosing(), p.fundClosing()
		row(&b, kv{"name", "本年支出合计"}, kv{"total", spent}, kv{"gpb", blankZero(basic + project)}, kv{"fund", blankZero(fund)})
		row(&b, kv{"name", "年末财政拨款结转和结余"}, kv{"total", blankZero(closing)}, kv{"gpb", blankZero(gpbClosing)}, kv{"fund", blankZero(fundClosing)})
		row(&b, kv{"name", "总计"}, kv{"total", spent + closing}, kv{"gpb", blankZero(basic + project + gpbClosing)}, kv{"fund", blankZero(fund + fundClosing)})
		b.WriteString("]\n")

		// 表5 一般公共预算财政拨款支出决算表, with 年初预算数
		table("final_gpb", 5, year+"年度一般公共预算财政拨款支出决算表", `columns = ["initial", "total", "basic", "project"]`)
		g.expenditureRows(&b, gpb, true)

		// 表6 基本支出决算表
		table("final_gpb_basic", 6, year+"年度一般公共预算财政拨款基本支出决算表")
		g.econRows(&b, p.Econ, true)

		// 表7 三公
		table("final_sangong", 7, year+"年度财政拨款“三公”经费支出决算表")
		b.WriteString("rows = [\n")
		g.sangongRow(&b, "预算数", p.Budget.Sangong)
		g.sangongRow(&b, "决算数", p.Sangong)
		b.WriteString("]\n")

		// 表8, 表9: 政府性基金 by 项, 款, 类, with the balances brought forward.
		if flows := p.fundFlows(); len(flows) > 0 {
			table("final_fund", 8, year+"年度政府性基金预算财政拨款收入支出决算表")
			b.WriteString("rows = [\n")
			by := map[string]*fundFlow{}
			var codes []string
			var tot fundFlow
			for _, fl := range flows {
				for _, n := range []int{3, 5, 7} {
					c := fl.Code[:n]
					if by[c] == nil {
						by[c] = &fundFlow{Code: c}
						codes = append(codes, c)
					}
					by[c].Opening += fl.Opening
					by[c].Income += fl.Income
					by[c].Out += fl.Out
				}
				tot.Opening += fl.Opening
				tot.Income += fl.Income
				tot.Out += fl.Out
			}
			slices.Sort(codes)
			fundRow := func(first kv, name string, fl fundFlow) {
				row(&b, first, kv{"name", name}, kv{"opening", blankZero(fl.Opening)}, kv{"income", blankZero(fl.Income)},
					kv{"exp_total", blankZero(fl.Out)}, kv{"project", blankZero(fl.Out)}, kv{"closing", blankZero(fl.closing())})
			}
			for _, c := range codes {
				fundRow(kv{"code", c}, g.name(fiscal.Function, c), *by[c])
			}
			fundRow(kv{"id", "total"}, "合计", tot)
			b.WriteString("]\n")
		} else {
			table("final_fund", 8, year+"年度政府性基金预算财政拨款收入支出决算表", "empty = true", "note = \"说明：本部门本年度没有政府性基金预算财政拨款收入和支出，故本表无数据。\"")
			b.WriteString("rows = [\n  { id = \"total\", name = \"合计\" },\n]\n")
		}
		table("final_soe", 9, year+"年度国有资本经营预算财政拨款收入支出决算表", "empty = true", "note = \"说明：本部门本年度没有国有资本经营预算财政拨款收入和支出，故本表无数据。\"")
		b.WriteString("rows = [\n  { id = \"total\", name = \"合计\" },\n]\n")
	}
	g.lists(&b)
	return b.String()
}

func (g *disclosureGen) approvedYear() int {
	if g.final {
		return g.p.Year + 1
	}
	return g.p.Year
}

// expenditureRows writes function-coded rows with 合计, 基本, 项目 (fund
// spending counts as 项目) and a 合计 row; withInitial adds 年初预算数.
func (g *disclosureGen) expenditureRows(b *strings.Builder, rows []fnRow, withInitial bool) {
	total, basic, project := "total", "basic", "project"
	b.WriteString("rows = [\n")
	var tb, tp, ti amount
	for _, r := range rows {
		pairs := []kv{{"code", r.Code}, {"name", g.name(fiscal.Function, r.Code)}}
		if withInitial {
			pairs = append(pairs, kv{"initial", blankZero(r.Initial)})
		}
		pairs = append(pairs, kv{total, r.total()}, kv{basic, blankZero(r.Basic)}, kv{project, blankZero(r.Project + r.Fund)})
		row(b, pairs...)
		if len(r.Code) == 3 {
			tb += r.Basic
			tp += r.Project + r.Fund
			ti += r.Initial
		}
	}
	pairs := []kv{{"id", "total"}, {"name", "合计"}}
	if withInitial {
		pairs = append(pairs, kv{"initial", blankZero(ti)})
	}
	pairs = append(pairs, kv{total, tb + tp}, kv{basic, blankZero(tb)}, kv{project, blankZero(tp)})
	row(b, pairs...)
	b.WriteString("]\n")
}

// econRows writes the 经济分类 rows of basic spending: 类 and 款 with
// 人员经费 and 公用经费, or, for a final account, the split layout's rows.
func (g *disclosureGen) econRows(b *strings.Builder, list []econ, final bool) {
	byClass := map[string]amount{}
	var classes []string
	for _, e := range list {
		c := e.Code[:3]
		if _, ok := byClass[c]; !ok {
			classes = append(classes, c)
		}
		byClass[c] += e.Amount
	}
	slices.Sort(classes)
	b.WriteString("rows = [\n")
	var personnel, public amount
	for _, c := range classes {
		side := "public"
		if isPersonnel(c) {
			side = "personnel"
			personnel += byClass[c]
		} else {
			public += byClass[c]
		}
		if final {
			row(b, kv{"code", c}, kv{"name", g.name(fiscal.Economic, c)}, kv{"amount", byClass[c]})
		} else {
			row(b, kv{"code", c}, kv{"name", g.name(fiscal.Economic, c)}, kv{"total", byClass[c]}, kv{side, byClass[c]})
		}
		for _, e := range list {
			if e.Code[:3] != c {
				continue
			}
			if final {
				row(b, kv{"code", e.Code}, kv{"name", g.name(fiscal.Economic, e.Code)}, kv{"amount", e.Amount})
			} else {
				row(b, kv{"code", e.Code}, kv{"name", g.name(fiscal.Economic, e.Code)}, kv{"total", e.Amount}, kv{side, e.Amount})
			}
		}
	}
	if final {
		row(b, kv{"id", "personnel_total"}, kv{"name", "人员经费合计"}, kv{"amount", personnel})
		row(b, kv{"id", "public_total"}, kv{"name", "公用经费合计"}, kv{"amount", public})
	} else {
		row(b, kv{"id", "total"}, kv{"name", "合计"}, kv{"total", personnel + public}, kv{"personnel", personnel}, kv{"public", public})
	}
	b.WriteString("]\n")
}

func (g *disclosureGen) sangongRow(b *strings.Builder, name string, s sangong) {
	row(b, kv{"name", name}, kv{"total", s.total()}, kv{"abroad", s.Abroad}, kv{"vehicle", s.vehicle()},
		kv{"vehicle_purchase", s.Purchase}, kv{"vehicle_running", s.Running}, kv{"reception", s.Reception})
}

// change writes the stated change of cur against prev: change, and
// change_pct where prev is not zero.
func change(cur, prev amount) []kv {
	out := []kv{{"change", cur - prev}}
	if p, ok := pct(cur, prev); ok && cur != prev {
		out = append(out, kv{"change_pct", raw(p)})
	}
	return out
}

func (g *disclosureGen) reason(cur, prev amount) []kv {
	switch {
	case cur > prev:
		return []kv{{"reason", upReasons[g.rng.IntN(len(upReasons))]}}
	case cur < prev:
		return []kv{{"reason", downReasons[g.rng.IntN(len(downReasons))]}}
	}
	return nil
}

// lists writes the narrative lists: 收入, 支出, 三公, 机关运行经费, 政府采购,
// 国有资产, 绩效, 机构.
func (g *disclosureGen) lists(b *strings.Builder) {
	p, q := g.p, g.prev
	base := "上年预算"
	if g.final {
		base = "上年决算"
	}
	income, prevIncome := p.Spent(), q.Spent()
	if g.final {
		income, prevIncome = p.Income(), q.Income()
	}
	basic, project, fund := p.spending()
	pb, pp, pf := q.spending()
	fmt.Fprintf(b, "\n[[table]]\nkind = \"income_list\"\ntitle = \"%d年收入%s\"\nbase = %q\nrows = [\n", p.Year, g.kindWord(), base)
	row(b, append(append([]kv{{"id", "total"}, {"name", "收入合计"}, {"amount", income}}, change(income, prevIncome)...), g.reason(income, prevIncome)...)...)
	row(b, kv{"name", "财政拨款收入"}, kv{"amount", income})
	b.WriteString("]\n")

	spent, prevSpent := basic+project+fund, pb+pp+pf
	fmt.Fprintf(b, "\n[[table]]\nkind = \"expenditure_list\"\ntitle = \"%d年支出%s\"\nbase = %q\nrows = [\n", p.Year, g.kindWord(), base)
	row(b, append(append([]kv{{"id", "total"}, {"name", "支出合计"}, {"amount", spent}}, change(spent, prevSpent)...), g.reason(spent, prevSpent)...)...)
	row(b, append([]kv{{"name", "基本支出"}, {"amount", basic}}, change(basic, pb)...)...)
	row(b, append([]kv{{"name", "项目支出"}, {"amount", project + fund}}, change(project+fund, pp+pf)...)...)
	row(b, kv{"name", "政府采购支出"}, kv{"amount", p.Goods + p.Works + p.Services})
	b.WriteString("]\n")

	s, ps := p.Sangong, q.Sangong
	fmt.Fprintf(b, "\n[[table]]\nkind = \"sangong_list\"\ntitle = \"%d年“三公”经费%s\"\nbase = %q\nrows = [\n", p.Year, g.kindWord(), base)
	row(b, append(append([]kv{{"id", "total"}, {"name", "“三公”经费"}, {"amount", s.total()}}, change(s.total(), ps.total())...), g.reason(s.total(), ps.total())...)...)
	row(b, append([]kv{{"name", "因公出国（境）费"}, {"amount", s.Abroad}}, change(s.Abroad, ps.Abroad)...)...)
	row(b, append([]kv{{"name", "公务接待费"}, {"amount", s.Reception}}, change(s.Reception, ps.Reception)...)...)
	row(b, append([]kv{{"name", "公务用车购置及运行费"}, {"amount", s.vehicle()}}, change(s.vehicle(), ps.vehicle())...)...)
	row(b, append([]kv{{"name", "公务用车购置费"}, {"amount", s.Purchase}}, change(s.Purchase, ps.Purchase)...)...)
	row(b, append([]kv{{"name", "公务用车运行费"}, {"amount", s.Running}}, change(s.Running, ps.Running)...)...)
	b.WriteString("]\n")

	if g.b.Dept.Type == "行政" {
		_, public := p.basic()
		_, prevPublic := q.basic()
		fmt.Fprintf(b, "\n[[table]]\nkind = \"running_list\"\ntitle = \"%d年机关运行经费%s\"\nbase = %q\nrows = [\n", p.Year, g.kindWord(), base)
		row(b, append(append([]kv{{"id", "total"}, {"name", "机关运行经费"}, {"amount", public}}, change(public, prevPublic)...), g.reason(public, prevPublic)...)...)
		for _, e := range p.Econ {
			if !isPersonnel(e.Code) {
				row(b, kv{"code", e.Code}, kv{"name", g.name(fiscal.Economic, e.Code)}, kv{"amount", e.Amount})
			}
		}
		b.WriteString("]\n")
	}

	proc := p.Goods + p.Works + p.Services
	fmt.Fprintf(b, "\n[[table]]\nkind = \"procurement_list\"\ntitle = \"%d年政府采购%s\"\nrows = [\n", p.Year, g.kindWord())
	row(b, kv{"id", "total"}, kv{"name", "政府采购" + g.kindWord()}, kv{"amount", proc})
	row(b, kv{"name", "货物"}, kv{"amount", p.Goods})
	row(b, kv{"name", "工程"}, kv{"amount", p.Works})
	row(b, kv{"name", "服务"}, kv{"amount", p.Services})
	row(b, kv{"name", "授予中小企业合同金额"}, kv{"amount", p.SME})
	b.WriteString("]\n")

	a := g.b.Assets
	fmt.Fprintf(b, "\n[[table]]\nkind = \"assets_list\"\ntitle = \"国有资产占用情况（截至%d年12月31日）\"\nrows = [\n", g.assetsYear())
	row(b, kv{"name", "资产总额"}, kv{"amount", a.Total})
	row(b, kv{"name", "流动资产"}, kv{"amount", a.Current})
	row(b, kv{"name", "固定资产"}, kv{"amount", a.Fixed})
	row(b, kv{"name", "车辆"}, kv{"count", a.Vehicles}, kv{"count_unit", "辆"}, kv{"amount", a.VehicleValue})
	if other := a.Total - a.Current - a.Fixed; other > 0 {
		// Itemised in full, so the checker has nothing unaccounted for.
		row(b, kv{"name", "其他资产"}, kv{"amount", other})
	}
	b.WriteString("]\n")

	n := len(p.Projects)
	fmt.Fprintf(b, "\n[[table]]\nkind = \"performance_list\"\ntitle = \"%d年项目预算绩效目标\"\nrows = [\n", p.Year)
	row(b, kv{"name", "应编制绩效目标的项目"}, kv{"count", n}, kv{"count_unit", "个"})
	row(b, kv{"name", "实际编制绩效目标的项目"}, kv{"count", n}, kv{"count_unit", "个"})
	row(b, kv{"name", "涉及资金"}, kv{"amount", project})
	row(b, kv{"name", "覆盖率"}, kv{"pct", 100})
	b.WriteString("]\n")

	b.WriteString("\n[[table]]\nkind = \"org\"\ntitle = \"内设机构及人员编制\"\nrows = [\n")
	for _, o := range g.b.Offices {
		row(b, kv{"name", o.Name}, kv{"category", o.Category}, kv{"staff", o.Staff}, kv{"posts", o.Posts})
	}
	b.WriteString("]\n")
}

func (g *disclosureGen) kindWord() string {
	if g.final {
		return "决算"
	}
	return "预算"
}

func (g *disclosureGen) assetsYear() int {
	if g.final {
		return g.p.Year
	}
	return g.p.Year - 1
}
