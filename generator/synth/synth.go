// Package synth generates complete synthetic disclosure sites: bodies with
// a budget and a final account per year, every standard table filled with
// figures that reconcile (hierarchies, row sums, cross-table totals, 三公 vs
// 经济分类 lines, year-on-year continuity) and Chinese narrative sections
// that use glossary terms and data references.
//
// The output is deterministic for a seed, whatever the parallelism. Bodies
// are drawn from real department kinds and real classification codes, but
// every body is marked example = true: its pages say 示例数据（虚构）.
package synth

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/publish"
)

// Options say what to generate.
type Options struct {
	Bodies    int    // number of bodies
	Years     int    // consecutive years, each with a budget and a final account
	FirstYear int    // the first year; 0 means 2021
	Seed      uint64 // the same seed gives the same site
	// BodiesOnly writes only the body folders, not site.toml and
	// glossary.toml, to add synthetic bodies to an existing site.
	BodiesOnly bool
}

// Generate writes a site folder (content/…) to sink.
func Generate(o Options, sink publish.Sink) error {
	if o.Bodies < 1 || o.Years < 1 {
		return fmt.Errorf("synth: need at least one body and one year (got %d bodies, %d years)", o.Bodies, o.Years)
	}
	if o.FirstYear == 0 {
		o.FirstYear = 2021
	}
	var diags diag.List
	cls := fiscal.LoadClassification(&diags, fiscal.BuiltinClassification())
	if diags.HasErrors() {
		return diags.Err()
	}
	if !o.BodiesOnly {
		if err := sink.WriteFile("content/site.toml", []byte(siteTOML(o))); err != nil {
			return err
		}
		if err := sink.WriteFile("content/glossary.toml", []byte(glossaryTOML)); err != nil {
			return err
		}
	}
	// Each body has its own random stream, seeded by the site seed and its
	// index, so bodies can be made in parallel and still come out the same.
	work := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				rng := rand.New(rand.NewPCG(o.Seed, uint64(i)))
				b := newBody(i, o, rng)
				if err := writeBody(b, cls, rng, sink); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := range o.Bodies {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func slugOf(i int, d dept) string { return fmt.Sprintf("demo-%05d-%s", i+1, d.Slug) }

func siteTOML(o Options) string {
	return fmt.Sprintf(`# 示例站点（虚构数据），由 cmd/synth 生成：--bodies %d --years %d --seed %d
title = "预决算公开平台（示例数据）"
base_url = "https://yjsgk.example.gov.cn/"
language = "zh-CN"
description = "程序生成的示例部门预算、决算公开，所有单位与数字均为虚构。"

[publisher]
name = "示例市财政局"
site_name = "预决算公开平台（示例数据）"
`, o.Bodies, o.Years, o.Seed)
}

// glossaryTOML holds the terms the generated narrative uses, defined in the
// project's own words.
const glossaryTOML = `# 名词解释（示例站点）
[[term]]
term = "财政拨款收入"
definition = "指本级财政部门当年拨付本部门的资金，包括一般公共预算、政府性基金预算和国有资本经营预算财政拨款。"

[[term]]
term = "基本支出"
definition = "指为保障机构正常运转、完成日常工作任务而安排的支出，包括人员经费和公用经费。"

[[term]]
term = "项目支出"
definition = "指在基本支出之外，为完成特定工作任务和事业发展目标而安排的支出。"

[[term]]
term = "机关运行经费"
definition = "指行政单位和参照公务员法管理的事业单位用一般公共预算财政拨款安排的基本支出中的公用经费。"

[[term]]
term = "“三公”经费"
aliases = ["三公经费", "\"三公\"经费"]
definition = "指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。"

[[term]]
term = "政府采购"
definition = "指使用财政性资金采购依法制定的集中采购目录以内的或者采购限额标准以上的货物、工程和服务的行为。"
`

// terms are the glossary terms a generated 名词解释 section lists; the
// example site's own glossary defines them too.
var terms = []string{"财政拨款收入", "基本支出", "项目支出", "机关运行经费", "“三公”经费"}

func writeBody(b *body, cls *fiscal.Classification, rng *rand.Rand, sink publish.Sink) error {
	dir := "content/" + b.Slug
	bodyToml := fmt.Sprintf("# 示例数据（虚构），由 cmd/synth 生成。\nname = %q\nregion = %q\ntype = %q\nexample = true\n", b.Name, b.Region, b.Dept.Type)
	if err := sink.WriteFile(dir+"/body.toml", []byte(bodyToml)); err != nil {
		return err
	}
	for i := range b.Budgets {
		prevBud, prevFin := b.PrevBudget, b.PrevFinal
		if i > 0 {
			prevBud, prevFin = b.Budgets[i-1], b.Finals[i-1]
		}
		for _, d := range []struct {
			kind        string
			plan, prev  *yearPlan
			data, texts func() (string, []section)
		}{
			{"budget", b.Budgets[i], prevBud, nil, nil},
			{"final", b.Finals[i], prevFin, nil, nil},
		} {
			g := &disclosureGen{b: b, cls: cls, rng: rng, p: d.plan, prev: d.prev, final: d.kind == "final"}
			base := fmt.Sprintf("%s/%d/%s/", dir, d.plan.Year, d.kind)
			if err := sink.WriteFile(base+"data.toml", []byte(g.data())); err != nil {
				return err
			}
			for _, s := range g.sections() {
				if err := sink.WriteFile(base+s.file, []byte(s.text)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// money formats an amount in 百元 as a 万元 figure with two decimals; zero
// is written 0, as documents print it in prose.
func money(a amount) string {
	if a == 0 {
		return "0"
	}
	sign := ""
	if a < 0 {
		sign, a = "-", -a
	}
	return fmt.Sprintf("%s%d.%02d", sign, a/100, a%100)
}

// fen converts 百元 to 分.
func fen(a amount) int64 { return a * 10000 }

// pct is the change of cur over prev in percent, as documents state it, and
// whether there is one (none against zero).
func pct(cur, prev amount) (string, bool) {
	d, ok := fiscal.Percent(fen(cur-prev), fen(prev), 2)
	if !ok {
		return "", false
	}
	return d.String(), true
}

// kv is one key of an inline TOML table.
type kv struct {
	k string
	v any
}

// row writes one inline table on one line; nil values and zero amounts
// marked blank are left out, as published tables leave cells blank.
func row(b *strings.Builder, pairs ...kv) {
	b.WriteString("  {")
	first := true
	for _, p := range pairs {
		var s string
		switch v := p.v.(type) {
		case nil:
			continue
		case string:
			s = quote(v)
		case blankZero:
			if v == 0 {
				continue
			}
			s = money(amount(v))
		case amount:
			s = money(v)
		case int:
			s = fmt.Sprint(v)
		case raw:
			s = string(v)
		default:
			panic(fmt.Sprintf("synth: value %T", v))
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(" ")
		b.WriteString(p.k)
		b.WriteString(" = ")
		b.WriteString(s)
	}
	b.WriteString(" },\n")
}

// blankZero is an amount left blank when zero.
type blankZero amount

// raw is a literal TOML value.
type raw string

func quote(s string) string {
	if !strings.ContainsAny(s, `"\`) {
		return `"` + s + `"`
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if r == '"' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}
