package synth

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// Amounts are planned in 百元 (100 元), the precision of a 万元 figure with
// two decimals, so every table printed in 万元 is exact and every sum the
// generator states reconciles to the last digit.
type amount = int64

// item is one 功能分类 项 of a year's spending.
type item struct {
	Code    string
	Basic   amount
	Project amount
	Fund    amount // 政府性基金 project spending
}

// econ is one 经济分类 款 of basic spending.
type econ struct {
	Code   string
	Amount amount
}

// sangong is a year's 三公 figures.
type sangong struct {
	Abroad, Reception, Purchase, Running amount
}

func (s sangong) vehicle() amount { return s.Purchase + s.Running }
func (s sangong) total() amount   { return s.Abroad + s.Reception + s.vehicle() }

type office struct {
	Name     string
	Category string // 内设机构 or 分支机构
	Staff    int
	Posts    string
}

// yearPlan is everything a body spends and receives in one year, budget or
// final: the tables are all sums of it.
type yearPlan struct {
	Year     int
	Items    []item // by code
	Econ     []econ // by code
	Sangong  sangong
	Projects []projectAmount
	// Opening is a final account's 年初结转和结余 of 一般公共预算
	// 财政拨款; FundOpening holds the 政府性基金 balances brought forward,
	// by 项 code (money of one fund is never spent on another).
	Opening     amount
	FundOpening map[string]amount
	// Budget is, for a final account, the budget it executed.
	Budget *yearPlan
	// Procurement split; SME is the part reserved for 中小企业.
	Goods, Works, Services, SME amount
}

type projectAmount struct {
	project
	Amount amount
}

func (p *yearPlan) basic() (personnel, public amount) {
	for _, e := range p.Econ {
		if isPersonnel(e.Code) {
			personnel += e.Amount
		} else {
			public += e.Amount
		}
	}
	return
}

func isPersonnel(code string) bool { return code[:3] == "301" || code[:3] == "303" }

func (p *yearPlan) spending() (basic, project, fund amount) {
	for _, it := range p.Items {
		basic += it.Basic
		project += it.Project
		fund += it.Fund
	}
	return
}

// body is a synthetic body with its plans per year.
type body struct {
	Index   int
	Slug    string
	Name    string
	Region  string
	Dept    dept
	Staff   int
	Offices []office
	Budgets []*yearPlan // one per year
	Finals  []*yearPlan // one per year, the execution of Budgets[i]
	// PrevBudget is the year before the first, which the site does not
	// hold; the first budget states its changes against it.
	PrevBudget *yearPlan
	PrevFinal  *yearPlan
	Assets     assets
}

type assets struct {
	Total, Current, Fixed, VehicleValue amount
	Vehicles                            int
}

// weights split a personnel budget into 经济分类 款, as real tables do.
var personnelWeights = []struct {
	code string
	w    int
}{
	{"30101", 200}, {"30102", 300}, {"30103", 60}, {"30107", 120}, {"30108", 100},
	{"30109", 50}, {"30110", 50}, {"30112", 5}, {"30113", 70}, {"30199", 15}, {"30302", 30},
}

var publicWeights = []struct {
	code string
	w    int
}{
	{"30201", 150}, {"30202", 20}, {"30207", 30}, {"30211", 80}, {"30213", 50}, {"30215", 20},
	{"30216", 30}, {"30228", 80}, {"30229", 60}, {"30239", 120}, {"30299", 40}, {"31002", 40},
}

// split divides total among weights, the remainder to the largest share, so
// the parts add up exactly.
func split(total amount, weights []int) []amount {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	out := make([]amount, len(weights))
	var used amount
	big := 0
	for i, w := range weights {
		out[i] = total * amount(w) / amount(sum)
		used += out[i]
		if w > weights[big] {
			big = i
		}
	}
	out[big] += total - used
	return out
}

// newBody plans body i: its department, staff, offices and every year.
func newBody(i int, o Options, rng *rand.Rand) *body {
	d := depts[i%len(depts)]
	region := regions[(i/len(depts))%len(regions)]
	series := i / (len(depts) * len(regions))
	name := region + d.Suffix
	if series > 0 {
		name = region + "第" + itoaCN(series+1) + d.Suffix
	}
	b := &body{Index: i, Slug: slugOf(i, d), Name: name, Region: region, Dept: d}
	b.Staff = 12 + rng.IntN(60)
	b.Offices = offices(d, b.Staff, rng)
	prev := planBudget(b, o.FirstYear-1, nil, rng)
	b.PrevBudget = prev
	b.PrevFinal = planFinal(prev, nil, rng)
	lastBudget, lastFinal := prev, b.PrevFinal
	for y := range o.Years {
		bud := planBudget(b, o.FirstYear+y, lastBudget, rng)
		fin := planFinal(bud, lastFinal, rng)
		b.Budgets = append(b.Budgets, bud)
		b.Finals = append(b.Finals, fin)
		lastBudget, lastFinal = bud, fin
	}
	b.Assets.Fixed = amount(3000+rng.IntN(60000)) * 10
	b.Assets.Current = amount(2000+rng.IntN(30000)) * 10
	b.Assets.Total = b.Assets.Fixed + b.Assets.Current + amount(rng.IntN(20000))*10
	b.Assets.Vehicles = rng.IntN(4)
	if b.Assets.Vehicles > 0 {
		b.Assets.VehicleValue = amount(b.Assets.Vehicles) * amount(1500+rng.IntN(1500)) * 10
	}
	return b
}

func offices(d dept, staff int, rng *rand.Rand) []office {
	n := min(len(d.Units), 3+rng.IntN(len(d.Units)-1))
	units := d.Units[:n]
	weights := make([]int, n)
	for i := range weights {
		weights[i] = 2 + rng.IntN(4)
	}
	shares := split(amount(staff-n), weights) // every office has at least one post
	var out []office
	for i, u := range units {
		s := int(shares[i]) + 1
		head := "科长"
		if u == "办公室" || u == "综合科" {
			head = "主任"
		}
		posts := head + "职数1名"
		if s >= 5 {
			posts += "、副" + head + "职数1名"
		}
		out = append(out, office{Name: u, Category: "内设机构", Staff: s, Posts: posts})
	}
	return out
}

// planBudget plans the budget of year y, growing from last (nil for the
// year before the site starts).
func planBudget(b *body, y int, last *yearPlan, rng *rand.Rand) *yearPlan {
	p := &yearPlan{Year: y}
	// Personnel grows with pay rises; public funds follow.
	perHead := amount(1500 + rng.IntN(900)) // 百元 per head: 15–24 万元
	personnel := perHead * amount(b.Staff) * 10
	if last != nil {
		lp, _ := last.basic()
		personnel = lp + lp*amount(rng.IntN(60)-10)/1000
	}
	public := personnel * amount(90+rng.IntN(80)) / 1000
	pw := make([]int, len(personnelWeights))
	for i, w := range personnelWeights {
		pw[i] = w.w
	}
	for i, a := range split(personnel, pw) {
		p.Econ = append(p.Econ, econ{personnelWeights[i].code, a})
	}
	// 三公 paid from basic funds sit in the matching 经济分类 lines.
	p.Sangong = sangong{
		Abroad:    amount(rng.IntN(3)) * amount(rng.IntN(50)) * 10,
		Reception: amount(5+rng.IntN(60)) * 10,
	}
	if b.Assets.Vehicles > 0 || rng.IntN(3) > 0 {
		p.Sangong.Running = amount(20+rng.IntN(150)) * 10
	}
	if rng.IntN(6) == 0 {
		p.Sangong.Purchase = amount(1200+rng.IntN(1200)) * 10
	}
	fixed := p.Sangong.Abroad + p.Sangong.Reception + p.Sangong.Running
	pubw := make([]int, len(publicWeights))
	for i, w := range publicWeights {
		pubw[i] = w.w
	}
	for i, a := range split(max(public-fixed, 1000), pubw) {
		p.Econ = append(p.Econ, econ{publicWeights[i].code, a})
	}
	for code, a := range map[string]amount{"30212": p.Sangong.Abroad, "30217": p.Sangong.Reception, "30231": p.Sangong.Running} {
		if a > 0 {
			p.Econ = append(p.Econ, econ{code, a})
		}
	}
	slices.SortFunc(p.Econ, func(a, b econ) int { return strings.Compare(a.Code, b.Code) })

	// Basic spending by function: the social-security and housing lines
	// mirror their 经济分类 counterparts; the rest is 行政运行.
	econOf := func(code string) amount {
		for _, e := range p.Econ {
			if e.Code == code {
				return e.Amount
			}
		}
		return 0
	}
	med := "2101101"
	if b.Dept.Type == "事业" {
		med = "2101102"
	}
	mirror := map[string]amount{
		"2080505": econOf("30108"), "2080506": econOf("30109"), med: econOf("30110") + econOf("30112"),
		"2210201": econOf("30113"), "2080501": econOf("30302"),
	}
	personnelTotal, publicTotal := p.basic()
	run := personnelTotal + publicTotal
	for _, a := range mirror {
		run -= a
	}
	add := func(code string, basic, project, fund amount) {
		for i := range p.Items {
			if p.Items[i].Code == code {
				p.Items[i].Basic += basic
				p.Items[i].Project += project
				p.Items[i].Fund += fund
				return
			}
		}
		p.Items = append(p.Items, item{Code: code, Basic: basic, Project: project, Fund: fund})
	}
	add(b.Dept.Run, run, 0, 0)
	for code, a := range mirror {
		if a > 0 {
			add(code, a, 0, 0)
		}
	}
	// Projects: most of the department's, each 20–900 万元; the car, if
	// one is bought, is a project too.
	n := 1 + rng.IntN(len(b.Dept.Projects))
	for _, pr := range b.Dept.Projects[:n] {
		a := amount(200+rng.IntN(8800)) * 10
		if last != nil {
			if lp := last.project(pr.Code); lp > 0 {
				a = lp + lp*amount(rng.IntN(300)-150)/1000
			}
		}
		p.Projects = append(p.Projects, projectAmount{pr, a})
		add(pr.Code, 0, a, 0)
	}
	if p.Sangong.Purchase > 0 {
		p.Projects = append(p.Projects, projectAmount{project{b.Dept.Admin, "公务用车更新"}, p.Sangong.Purchase})
		add(b.Dept.Admin, 0, p.Sangong.Purchase, 0)
	}
	if b.Dept.Fund != "" {
		add(b.Dept.Fund, 0, 0, amount(500+rng.IntN(5000))*10)
	}
	slices.SortFunc(p.Items, func(a, b item) int { return strings.Compare(a.Code, b.Code) })
	// Procurement: office equipment and most project spending on services.
	_, proj, _ := p.spending()
	p.Goods = econOf("31002") + p.Sangong.Purchase
	p.Services = proj * amount(30+rng.IntN(40)) / 100
	if rng.IntN(4) == 0 {
		p.Works = proj * amount(rng.IntN(20)) / 100
	}
	if p.Goods+p.Works+p.Services > proj+p.Goods {
		p.Services = proj - p.Works
	}
	p.SME = (p.Goods + p.Works + p.Services) * amount(30+rng.IntN(40)) / 100
	return p
}

func (p *yearPlan) project(code string) amount {
	for _, it := range p.Items {
		if it.Code == code {
			return it.Project
		}
	}
	return 0
}

// planFinal plans the execution of a budget: basic spending nearly all,
// projects 80–100%, the rest carried into the next year.
func planFinal(bud *yearPlan, last *yearPlan, rng *rand.Rand) *yearPlan {
	f := &yearPlan{Year: bud.Year, Budget: bud}
	for _, e := range bud.Econ {
		f.Econ = append(f.Econ, econ{e.Code, e.Amount * amount(960+rng.IntN(40)) / 1000})
	}
	scale := func(a amount, lo int) amount { return a * amount(lo+rng.IntN(1001-lo)) / 1000 }
	f.Sangong = sangong{
		Abroad: scale(bud.Sangong.Abroad, 600), Reception: scale(bud.Sangong.Reception, 700),
		Purchase: bud.Sangong.Purchase, Running: scale(bud.Sangong.Running, 800),
	}
	// 三公 basic lines follow the executed figures.
	for i, e := range f.Econ {
		switch e.Code {
		case "30212":
			f.Econ[i].Amount = f.Sangong.Abroad
		case "30217":
			f.Econ[i].Amount = f.Sangong.Reception
		case "30231":
			f.Econ[i].Amount = f.Sangong.Running
		}
	}
	budPersonnel, budPublic := bud.basic()
	finPersonnel, finPublic := f.basic()
	budBasic, finBasic := budPersonnel+budPublic, finPersonnel+finPublic
	for _, it := range bud.Items {
		x := item{Code: it.Code}
		if it.Basic > 0 {
			x.Basic = it.Basic * finBasic / budBasic
		}
		x.Project = scale(it.Project, 800)
		x.Fund = scale(it.Fund, 700)
		f.Items = append(f.Items, x)
	}
	// Rounding leaves a few 百元 between the basic items and the 经济分类
	// total; the 行政运行 line takes them, as real accounts do.
	var got amount
	for _, it := range f.Items {
		got += it.Basic
	}
	for i := range f.Items {
		if f.Items[i].Basic > 0 {
			f.Items[i].Basic += finBasic - got
			break
		}
	}
	for _, pr := range bud.Projects {
		f.Projects = append(f.Projects, projectAmount{pr.project, f.project(pr.Code)})
	}
	f.Goods, f.Works = bud.Goods*9/10, bud.Works*9/10
	f.Services = bud.Services * 9 / 10
	f.SME = bud.SME * 9 / 10
	if last != nil {
		f.Opening = last.gpbClosing()
		f.FundOpening = map[string]amount{}
		for _, fl := range last.fundFlows() {
			if c := fl.closing(); c != 0 {
				f.FundOpening[fl.Code] = c
			}
		}
	} else {
		f.Opening = amount(rng.IntN(2000)) * 10
	}
	return f
}

// Closing is what is left at the end of a final account's year: the
// opening balances and the year's 财政拨款 (as budgeted), less what was
// spent.
func (f *yearPlan) Closing() amount {
	return f.gpbClosing() + f.fundClosing()
}

// OpeningTotal is the 年初结转和结余 of all funds.
func (f *yearPlan) OpeningTotal() amount {
	t := f.Opening
	for _, a := range f.FundOpening {
		t += a
	}
	return t
}

// gpbClosing is the 一般公共预算 balance at the end of the year.
func (f *yearPlan) gpbClosing() amount {
	bb, bp, _ := f.Budget.spending()
	b, p, _ := f.spending()
	return f.Opening + bb + bp - b - p
}

func (f *yearPlan) fundClosing() amount {
	var c amount
	for _, fl := range f.fundFlows() {
		c += fl.closing()
	}
	return c
}

// fundFlow is a final account's 政府性基金 of one 项: brought forward,
// received (as budgeted) and spent.
type fundFlow struct {
	Code                 string
	Opening, Income, Out amount
}

func (fl fundFlow) closing() amount { return fl.Opening + fl.Income - fl.Out }

// fundFlows lists the 项 with 政府性基金 activity or balance, by code.
func (f *yearPlan) fundFlows() []fundFlow {
	by := map[string]*fundFlow{}
	get := func(code string) *fundFlow {
		if by[code] == nil {
			by[code] = &fundFlow{Code: code}
		}
		return by[code]
	}
	for code, a := range f.FundOpening {
		get(code).Opening += a
	}
	for _, it := range f.Budget.Items {
		if it.Fund != 0 {
			get(it.Code).Income += it.Fund
		}
	}
	for _, it := range f.Items {
		if it.Fund != 0 {
			get(it.Code).Out += it.Fund
		}
	}
	out := make([]fundFlow, 0, len(by))
	for _, fl := range by {
		out = append(out, *fl)
	}
	slices.SortFunc(out, func(a, b fundFlow) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// Income is a final account's 财政拨款 received: its budget.
func (f *yearPlan) Income() amount {
	bb, bp, bf := f.Budget.spending()
	return bb + bp + bf
}

// Spent is all a plan spends.
func (p *yearPlan) Spent() amount {
	b, pr, f := p.spending()
	return b + pr + f
}

func itoaCN(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	if n < 10 {
		return digits[n]
	}
	out := ""
	for n > 0 {
		out = digits[n%10] + out
		n /= 10
	}
	return out
}
