package check

import (
	"cmp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
			published := sumOf(last)
			st.judge(rep, judgement{name: what, prefix: "上年数：", hint: unitHint(cf.prev.sum.fen, published.sum.fen, t.Unit, pt.Unit)}, cf.prev, published)
		}
	})
}

// unitHint explains a difference of about ten thousand times between this
// year's figure and last year's (a factor of 万): the figures were typed
// in one unit and unit says another; "" otherwise.
func unitHint(this, last int64, u, lastUnit fiscal.Unit) string {
	near := func(a, b int64) bool { // a ≈ 10,000 × b, within 1%
		return b != 0 && abs(a-10_000*b) <= abs(a)/100
	}
	if !near(this, last) && !near(last, this) {
		return ""
	}
	return "两个数字相差约一万倍：本文件的 unit 是“" + u.String() + "”，上年的是“" + lastUnit.String() + "”，数字是否都按所写的单位录入？"
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

// titleYears calls f with each year a title names, as the regular
// expression (\d{4})\s*年 finds them (2024年, 2024 年度): start and end of
// the match, and of its digits. Every table title is looked at, so this
// goes from one 年 to the next rather than through the expression.
func titleYears(s string, f func(start, end, digits int) bool) {
	for i := 0; ; {
		k := strings.Index(s[i:], "年")
		if k < 0 {
			return
		}
		nian := i + k
		i = nian + len("年")
		d := nian
		for d > 0 && strings.IndexByte("\t\n\f\r ", s[d-1]) >= 0 {
			d--
		}
		if d < 4 || !isDigit(s, d-4) || !isDigit(s, d-3) || !isDigit(s, d-2) || !isDigit(s, d-1) {
			continue
		}
		if !f(d-4, i, d) {
			return
		}
	}
}

// yearTitle finds what a disclosure copied from last year's folder keeps
// of that year: a title naming another year, a date of approval or
// publication before the year's document could exist (a budget is approved
// and published in its year, a final account the year after).
func yearTitle(rep *Reporter, d *fiscal.Disclosure) {
	check := func(src fiscal.Source, where, s string) {
		if y := otherYear(s, d.Year); y != 0 {
			rep.Reportf(src, "%s“%s”写的是 %d 年，而这份公开是 %d 年度的（文件夹 %d/）：复制上一年的文件后，标题也要改", where, s, y, d.Year, d.Year)
		}
	}
	check(d.Sources["title"], "标题", d.Title)
	for _, s := range d.Sections {
		check(s.TitleSource, "这一节的标题", s.Title)
	}
	for _, t := range d.Tables {
		check(cmp.Or(t.TitleSource, t.Source), "表名", t.Title)
	}
	earliest, when := d.Year, "当年"
	if d.Kind == fiscal.Final {
		earliest, when = d.Year+1, "次年"
	}
	for _, x := range []struct {
		key, name string
		date      time.Time
	}{{"approved", "批复日期", d.Approved}, {"published", "公开日期", d.Published}} {
		if !x.date.IsZero() && x.date.Year() < earliest {
			rep.Reportf(d.Sources[x.key], "%s %s 早于 %d 年：%d 年度的%s在%s批复、公开。复制上一年的文件后，日期也要改", x.name, x.date.Format(time.DateOnly), earliest, d.Year, d.Kind, when)
		}
	}
}

// publishDays is how long after approval a department publishes its
// budget or final accounts at the latest: 《预算法》第十四条 and 财预〔2016〕143号
// say 批复后二十日内, counted (as periods in days are) from the day after.
const publishDays = 20

// datePublish checks a disclosure's 公开日期 against its 批复日期, where
// both are given: not before it, and within publishDays after it.
func datePublish(rep *Reporter, d *fiscal.Disclosure) {
	if d.Approved.IsZero() || d.Published.IsZero() {
		return
	}
	// Calendar days, whatever the clock or zone the dates carry.
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	days := int(day(d.Published).Sub(day(d.Approved)).Hours()) / 24
	switch {
	case days < 0:
		rep.Reportf(d.Sources["published"], "公开日期 %s 早于批复日期 %s：部门%s批复后才能公开，请核对两个日期",
			d.Published.Format(time.DateOnly), d.Approved.Format(time.DateOnly), d.Kind)
	case days > publishDays:
		rep.Reportf(d.Sources["published"], "公开日期 %s 在批复日期 %s 之后 %d 天：《预算法》第十四条要求部门%s在批复后二十日内公开（最晚 %s）",
			d.Published.Format(time.DateOnly), d.Approved.Format(time.DateOnly), days, d.Kind,
			d.Approved.AddDate(0, 0, publishDays).Format(time.DateOnly))
	}
}

// comparedYears calls f with each year text s compares with: a year as
// titleYears finds it, right after 比, 较 or 与 (spaces between allowed):
// 比2019年度, 较2020年, 与2019年相比. f gets where the year's digits
// start and end and where its 年 ends.
func comparedYears(s string, f func(start, end, digits int)) {
	titleYears(s, func(start, end, digits int) bool {
		before := strings.TrimRight(s[:start], "\t\n\f\r ")
		if strings.HasSuffix(before, "比") || strings.HasSuffix(before, "较") || strings.HasSuffix(before, "与") {
			f(start, end, digits)
		}
		return true
	})
}

// yearText finds, in the narrative, a comparison with a year other than
// the previous one (or the year itself, as a final account compares with
// its 年初预算): what text copied from last year's document keeps.
func yearText(rep *Reporter, d *fiscal.Disclosure) {
	for _, l := range rep.st.narrative().lines {
		comparedYears(l.text, func(start, end, digits int) {
			y, _ := strconv.Atoi(l.text[start:digits])
			// end is past 年: where a span (至2024年) or a date (12月31日) goes on.
			if y == d.Year-1 || y == d.Year || inRange(l.text, start, end) || isDigit(l.text, end) {
				return
			}
			src := fiscal.Source{File: l.src.File, Line: l.src.Line, Col: utf8.RuneCountInString(l.text[:start]) + 1}
			rep.Reportf(src, "正文与 %d 年比较，而这份公开是 %d 年度的（文件夹 %d/），上年是 %d 年：复制上一年的文字后，年份也要改", y, d.Year, d.Year, d.Year-1)
		})
	}
}

// otherYear returns the first year title s names as its own that is not
// year, or 0. A span of years (2023-2025年) and a date (截至2023年12月31日)
// name other years by design.
func otherYear(s string, year int) int {
	other := 0
	titleYears(s, func(start, end, digits int) bool {
		y, _ := strconv.Atoi(s[start:digits])
		if y != year && !inRange(s, start, end) && !isDigit(s, end) {
			other = y
			return false
		}
		return true
	})
	return other
}

// isDigit reports whether s has an ASCII digit at i.
func isDigit(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

// inRange reports whether the year at s[start:end] begins or ends a span
// of years (2023-2025年, 2023年至2025年), which names other years by
// design.
func inRange(s string, start, end int) bool {
	const marks = "-－—–~～至到"
	if r, _ := utf8.DecodeLastRuneInString(s[:start]); strings.ContainsRune(marks, r) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(strings.TrimPrefix(s[end:], "度"))
	return strings.ContainsRune(marks, r)
}
