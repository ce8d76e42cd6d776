package check

import (
	"cmp"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/markdown"
)

// placeholderRE finds the marks an unfinished document leaves: XX, ××,
// ○○, 待填写. A run of X counts only when it is not part of a Latin word.
var placeholderRE = regexp.MustCompile(`[XxＸｘ]{2,}|[×✕]{2,}|○{2,}|待填写|待补充|此处填写`)

func isLatin(r rune) bool { return r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z') }

// mayHavePlaceholder reports, in one pass, whether s has a character a
// placeholder starts with, to spare the regular expression the many
// strings with none.
func mayHavePlaceholder(s string) bool {
	for _, r := range s {
		switch r {
		case 'X', 'x', 'Ｘ', 'ｘ', '×', '✕', '○', '待', '此':
			return true
		}
	}
	return false
}

// placeholdersIn returns the placeholders of s with their rune columns.
func placeholdersIn(s string) (found []string, cols []int) {
	if !mayHavePlaceholder(s) {
		return nil, nil
	}
	for _, m := range placeholderRE.FindAllStringIndex(s, -1) {
		text := s[m[0]:m[1]]
		if strings.ContainsAny(text[:1], "Xx") || strings.HasPrefix(text, "Ｘ") || strings.HasPrefix(text, "ｘ") {
			before, _ := utf8.DecodeLastRuneInString(s[:m[0]])
			after, _ := utf8.DecodeRuneInString(s[m[1]:])
			if isLatin(before) || isLatin(after) {
				continue
			}
		}
		found = append(found, text)
		cols = append(cols, utf8.RuneCountInString(s[:m[0]])+1)
	}
	return found, cols
}

func placeholders(rep *Reporter, d *fiscal.Disclosure) {
	report := func(src fiscal.Source, where, text string) {
		rep.Reportf(src, "%s中还有占位符“%s”：填上实际内容，或删去", where, text)
	}
	for _, l := range rep.st.narrative().lines {
		found, cols := placeholdersIn(l.text)
		for i, text := range found {
			report(fiscal.Source{File: l.src.File, Line: l.src.Line, Col: cols[i]}, "正文", text)
		}
	}
	check := func(src fiscal.Source, where, s string) {
		if found, _ := placeholdersIn(s); len(found) > 0 {
			report(src, where, found[0])
		}
	}
	check(fiscal.Source{File: d.DataFile}, "标题", d.Title)
	for _, t := range d.Tables {
		check(cmp.Or(t.TitleSource, t.Source), "表名", t.Title)
		check(t.Source, "表注", t.Note)
		for _, p := range t.Parts {
			for _, r := range p.Rows {
				check(r.Source, "行名", r.Name)
				for _, c := range r.Cells {
					if c.Column.Type == fiscal.TextColumn {
						check(c.Source, c.Column.Title, c.Text)
					}
				}
			}
		}
	}
}

// typedRE finds an amount typed in prose: digits (with thousands
// separators and decimals) and a unit of money or a percent sign.
var typedRE = regexp.MustCompile(`(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元|%|％)`)

// thresholdRE marks figures that are limits, not amounts of this
// disclosure: 单价100万元（含）以上设备.
var thresholdRE = regexp.MustCompile(`^\s*(?:[（(]含[）)])?\s*(?:以上|以下|以内|及以上|及以下)`)

func proseAmounts(rep *Reporter, d *fiscal.Disclosure) {
	var figs *figureSet
	for _, f := range rep.st.narrative().typedFigures() {
		text := f.line.text
		if f.start > 0 && (text[f.start-1] == '.' || text[f.start-1] == ',') {
			continue
		}
		if thresholdRE.MatchString(text[f.end:]) || strings.HasSuffix(strings.TrimSpace(text[:f.start]), "单价") {
			continue
		}
		dec, err := fiscal.ParseDecimal(f.num, 6)
		if errors.Is(err, fiscal.ErrGrouping) {
			// A typo to show, as in data.toml: 12,95.30 is no amount.
			rep.Reportf(f.src(), "正文中直接写出的“%s%s”千位分隔符位置不对：逗号应从个位起每三位一个（如 1,295.30），请核对原文", f.num, f.unit)
			continue
		}
		if err != nil {
			continue
		}
		if figs == nil {
			figs = newFigureSet(d)
		}
		var ok bool
		if f.percent() {
			ok = figs.hasPercent(dec)
		} else {
			u, _ := fiscal.ParseUnit(f.unit)
			ok = figs.hasMoney(dec, u)
		}
		if ok {
			continue
		}
		rep.Reportf(f.src(), "正文中直接写出的“%s%s”与本次公开的数字都对不上：请核对。是表中的数字时，改用数据引用（如 {{收入.合计}}），正文就会始终与 data.toml 一致", f.num, f.unit)
	}
}

// figureSet is every figure a disclosure publishes or implies, for
// matching amounts typed in prose.
type figureSet struct {
	money []fiscal.Figure // in 分 (Places unused), with the unit below
	units []fiscal.Unit
	pcts  []fiscal.Decimal
	rates [][2]int64 // numerator and denominator of a percentage the figures imply
}

func newFigureSet(d *fiscal.Disclosure) *figureSet {
	fs := &figureSet{}
	addMoney := func(fen int64, u fiscal.Unit) {
		fs.money = append(fs.money, fiscal.Figure{Fen: abs(fen)})
		fs.units = append(fs.units, u)
	}
	for _, t := range d.Tables {
		for _, p := range t.Parts {
			total := p.Total()
			for _, r := range p.Rows {
				for _, c := range r.Cells {
					switch c.Column.Type {
					case fiscal.MoneyColumn:
						addMoney(c.Fig.Fen, t.Unit)
						if total != nil && total != r {
							if tc := total.Cell(c.Column.ID); tc != nil {
								fs.rates = append(fs.rates, [2]int64{c.Fig.Fen, tc.Fig.Fen})
							}
						}
					case fiscal.PercentColumn:
						fs.pcts = append(fs.pcts, c.Dec)
					}
				}
				cur, prev := r.Cell("amount"), r.Cell("previous")
				if cur == nil {
					cur = r.Cell("total")
				}
				if prev == nil {
					prev = r.Cell("prev_exec")
				}
				ch := r.Cell("change")
				switch {
				case cur != nil && prev != nil:
					addMoney(cur.Fig.Fen-prev.Fig.Fen, t.Unit)
					fs.rates = append(fs.rates, [2]int64{cur.Fig.Fen - prev.Fig.Fen, prev.Fig.Fen})
				case cur != nil && ch != nil:
					addMoney(cur.Fig.Fen-ch.Fig.Fen, t.Unit)
					fs.rates = append(fs.rates, [2]int64{ch.Fig.Fen, cur.Fig.Fen - ch.Fig.Fen})
				}
				if b := r.Cell("budget"); b != nil && cur != nil {
					fs.rates = append(fs.rates, [2]int64{cur.Fig.Fen, b.Fig.Fen})
				}
			}
			if t.Kind.ID == "performance_list" {
				req, act := findRow(p, "required"), findRow(p, "actual")
				if req != nil && act != nil && req.Cell("count") != nil && act.Cell("count") != nil {
					fs.rates = append(fs.rates, [2]int64{act.Cell("count").Count, req.Cell("count").Count})
				}
			}
		}
	}
	return fs
}

// hasMoney reports whether an amount typed as dec in unit u is one of the
// figures, at the precision of the coarser of the two.
func (fs *figureSet) hasMoney(dec fiscal.Decimal, u fiscal.Unit) bool {
	scale := u.Fen()
	den := pow10(dec.Places)
	if scale%den != 0 {
		return false // finer than 分
	}
	typed := abs(dec.V) * (scale / den)
	typedStep := scale / den
	for i, f := range fs.money {
		factStep := fs.units[i].Fen() / 100
		if roundTo(f.Fen, typedStep) == typed || roundTo(typed, factStep) == f.Fen {
			return true
		}
	}
	return false
}

// hasPercent reports whether a typed percentage is a stated one, or one
// the figures imply, at the typed precision.
func (fs *figureSet) hasPercent(dec fiscal.Decimal) bool {
	for _, p := range fs.pcts {
		if p.V < 0 {
			p.V = -p.V
		}
		if typedAs(p, dec) {
			return true
		}
	}
	for _, r := range fs.rates {
		if pct, ok := fiscal.Percent(abs(r[0]), abs(r[1]), dec.Places); ok && pct.Cmp(dec) == 0 {
			return true
		}
	}
	return false
}

// typedAs reports whether the percentage typed, as written, is stated at
// its precision: 1.75 typed as 1.75 or 1.8.
func typedAs(stated, typed fiscal.Decimal) bool {
	return stated.Cmp(typed) == 0 || stated.Places > typed.Places && stated.Rescale(typed.Places).Cmp(typed) == 0
}

// Words written before an amount or rate of change ({{增减额 …}} and
// {{增减率 …}} print it without a sign): the direction is the editor's.
// directionPairs are the up words, each with the down word that says the
// opposite (for the message); downOnly are down words without an up one.
var (
	directionPairs = [][2]string{{"增加", "减少"}, {"增长", "下降"}, {"上升", "下降"}, {"提高", "降低"}, {"上涨", "下降"}, {"增幅为", "降幅为"}, {"增幅", "降幅"},
		{"增加额为", "减少额为"}, {"增加额", "减少额"}, {"增长率为", "下降率为"}, {"增长率", "下降率"}}
	downOnly = []string{"下调", "压减", "缩减", "节约", "减幅为"}
)

// direction returns the direction word text ends with (after spaces and a
// 了), and whether it says up; "" for none.
func direction(text string) (word string, up bool) {
	before := strings.TrimSuffix(strings.TrimRight(text, " \t"), "了")
	longer := func(w string, u bool) {
		if strings.HasSuffix(before, w) && len(w) > len(word) {
			word, up = w, u
		}
	}
	for _, p := range directionPairs {
		longer(p[0], true)
	}
	for _, p := range directionPairs {
		longer(p[1], false)
	}
	for _, w := range downOnly {
		longer(w, false)
	}
	return word, up
}

// proseDirection finds a direction word right before a change reference
// that the change contradicts: 收入减少{{增减额 收入.合计}} when income grew;
// and before an amount or rate typed in the text (see typedDirection).
func proseDirection(rep *Reporter, d *fiscal.Disclosure) {
	typedDirection(rep, d)
	for _, l := range rep.st.narrative().lines {
		for _, ref := range l.refs {
			verb, _ := markdown.Verb(ref.ref.Verb)
			if verb != "delta" && verb != "rate" || strings.Count(ref.ref.Target, ".") != 1 {
				continue
			}
			t, row := ref.table, ref.row
			if t == nil {
				continue // the page reports a reference that leads nowhere
			}
			ch, ok := t.Change(row)
			if !ok {
				continue
			}
			word, up := direction(l.text[:ref.off])
			sign := ch.Delta.Fen
			if verb == "rate" && ch.HasPct {
				sign = ch.Pct.V
			}
			switch {
			case word == "":
			case sign == 0:
				rep.Reportf(ref.src, "正文写“%s{{%s}}”，但“%s”与上年持平（增减为零）：请改写为“持平”或“与上年持平”", word, ref.inner, row.Name)
			case up != (sign > 0):
				rep.Reportf(ref.src, "正文写“%s{{%s}}”，但“%s”%s：请把“%s”改为“%s”，或用 {{增减 %s}}，自动写出增加或减少", word, ref.inner, row.Name,
					ch.Phrase(t.Unit), word, opposite(word, up), ref.ref.Target)
			}
		}
	}
}

// typedDirection finds a direction word before an amount or rate typed in
// the narrative (减少129.11万元) where every change of the disclosure of
// that size went the other way. A size some change of the right direction
// has too is let be: the text may mean that one.
func typedDirection(rep *Reporter, d *fiscal.Disclosure) {
	type change struct {
		row string
		ch  fiscal.Change
		u   fiscal.Unit
	}
	var changes []change // the disclosure's, read at the first typed direction
	read := false
	for _, f := range rep.st.narrative().typedFigures() {
		word, up := direction(f.line.text[:f.start])
		if word == "" {
			continue
		}
		if !read {
			read = true
			for _, t := range d.Tables {
				for _, p := range t.Parts {
					for _, r := range p.Rows {
						if ch, ok := t.Change(r); ok && ch.Delta.Fen != 0 {
							changes = append(changes, change{row: r.Name, ch: ch, u: t.Unit})
						}
					}
				}
			}
		}
		// What the text says, read once: a rate, or an amount in 分.
		var rate fiscal.Decimal
		var fen int64
		if f.percent() {
			dec, err := fiscal.ParseDecimal(f.num, 6)
			if err != nil {
				continue
			}
			rate = dec
		} else if u, ok := fiscal.ParseUnit(f.unit); ok {
			fig, err := fiscal.ParseFigure(f.num, u)
			if err != nil {
				continue
			}
			fen = fig.Fen
		}
		var against *change
		agrees := false
		for i, c := range changes {
			same := fen != 0 && fen == abs(c.ch.Delta.Fen)
			if f.percent() {
				same = c.ch.HasPct && typedAs(c.ch.AbsPct(), rate)
			}
			switch {
			case same && (c.ch.Delta.Fen > 0) == up:
				agrees = true
			case same && against == nil:
				against = &changes[i]
			}
		}
		if agrees || against == nil {
			continue
		}
		rep.Reportf(f.src(), "正文写“%s%s%s”，但本次公开中这样大小的增减（“%s”%s）是%s：请核对增减的方向",
			word, f.num, f.unit, against.row, against.ch.Phrase(against.u), opposite(word, up))
	}
}

// opposite is the word of the other direction that matches word.
func opposite(word string, up bool) string {
	for _, p := range directionPairs {
		if up && p[0] == word {
			return p[1]
		}
		if !up && p[1] == word {
			return p[0]
		}
	}
	if up {
		return "减少"
	}
	return "增加"
}
