package glossary

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// found renders the matches of m in text as text with [brackets] around
// each match and the value after it: 全年[三公经费#0]下降.
func found(m *Matcher, text string) string {
	var b strings.Builder
	pos := 0
	for _, x := range m.AppendMatches(nil, []byte(text), nil) {
		b.WriteString(text[pos:x.Start])
		fmt.Fprintf(&b, "[%s#%d]", text[x.Start:x.End], x.Value)
		pos = x.End
	}
	b.WriteString(text[pos:])
	return b.String()
}

func patterns(texts ...string) []Pattern {
	ps := make([]Pattern, len(texts))
	for i, t := range texts {
		ps[i] = Pattern{Text: t, Value: i}
	}
	return ps
}

func TestMatcher(t *testing.T) {
	tests := []struct {
		name     string
		patterns []string
		text     string
		want     string
	}{
		{"none", []string{"基本支出"}, "项目支出2394万元", "项目支出2394万元"},
		{"one", []string{"基本支出"}, "其中基本支出572.24万元", "其中[基本支出#0]572.24万元"},
		{"every occurrence", []string{"支出"}, "支出与支出", "[支出#0]与[支出#0]"},
		{"longest wins", []string{"财政拨款", "财政拨款收入"}, "财政拨款收入2966.24万元", "[财政拨款收入#1]2966.24万元"},
		{"longest wins, listed first", []string{"财政拨款收入", "财政拨款"}, "财政拨款收入和财政拨款", "[财政拨款收入#0]和[财政拨款#1]"},
		{"leftmost wins over longer later", []string{"一般公共", "公共预算拨款收入"}, "一般公共预算拨款收入", "[一般公共#0]预算拨款收入"},
		{"no match inside a match", []string{"一般公共预算", "预算"}, "一般公共预算和预算", "[一般公共预算#0]和[预算#1]"},
		{"overlap resolved leftmost", []string{"基本支出", "支出预算"}, "基本支出预算", "[基本支出#0]预算"},
		{"shorter then longer", []string{"收入", "收入预算"}, "收入、收入预算", "[收入#0]、[收入预算#1]"},
		{"prefix of another without its rest", []string{"财政拨款收入"}, "财政拨款收", "财政拨款收"},
		{"failure link finds suffix", []string{"甲乙丙丁", "乙丙"}, "甲乙丙戊", "甲[乙丙#1]戊"},
		{"nested suffixes", []string{"和额", "省和额", "和一省", "和额人省"}, "无省和额人省", "无[省和额#1]人省"},
		{"ASCII inside a word is not a match", []string{"bc"}, "abcx", "abcx"},
		{"alias", []string{"“三公”经费", "三公经费"}, "三公经费", "[三公经费#0]"},
		{"curly quotes in text", []string{"三公经费"}, "2020年度“三公”经费预算", "2020年度[“三公”经费#0]预算"},
		{"straight quotes in text", []string{"三公经费"}, `年度"三公"经费预算`, `年度["三公"经费#0]预算`},
		{"quotes in pattern, none in text", []string{"“三公”经费"}, "三公经费", "[三公经费#0]"},
		{"quoted whole term stays outside", []string{"三公经费"}, "“三公经费”", "“[三公经费#0]”"},
		{"corner brackets", []string{"三公经费"}, "「三公」经费", "[「三公」经费#0]"},
		{"closing quote before end", []string{"三公经费"}, "三公”经费", "[三公”经费#0]"},
		{"full-width parentheses fold", []string{"一般公共服务（类）"}, "一般公共服务(类)支出", "[一般公共服务(类)#0]支出"},
		{"full-width letters fold", []string{"PPP"}, "ＰＰＰ项目", "[ＰＰＰ#0]项目"},
		{"case folds", []string{"PPP"}, "ppp项目", "[ppp#0]项目"},
		{"ASCII word boundary", []string{"PPP"}, "PPPs and PPP", "PPPs and [PPP#0]"},
		{"digits are words", []string{"2010601"}, "20106011，2010601", "20106011，[2010601#0]"},
		{"CJK has no boundary", []string{"支出"}, "a支出b", "a[支出#0]b"},
		{"invalid UTF-8", []string{"支出"}, "\xff支出\xfe", "\xff[支出#0]\xfe"},
		{"empty pattern ignored", []string{"", "“”", "支出"}, "支出", "[支出#2]"},
		{"duplicate keeps first", []string{"支出", "支出"}, "支出", "[支出#0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMatcher(patterns(tt.patterns...))
			if got := found(m, tt.text); got != tt.want {
				t.Errorf("patterns %q in %q:\n got %s\nwant %s", tt.patterns, tt.text, got, tt.want)
			}
		})
	}
}

func TestMatcherReject(t *testing.T) {
	m := NewMatcher(patterns("基本支出", "支出"))
	text := []byte("基本支出")
	got := m.AppendMatches(nil, text, func(start, end int) bool { return start != 0 })
	// The longest match at 0 is rejected; the search goes on at the next
	// character and finds 支出.
	if len(got) != 1 || string(text[got[0].Start:got[0].End]) != "支出" {
		t.Errorf("got %v", got)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"“三公”经费":          "三公经费",
		`"三公"经费`:          "三公经费",
		"一般公共服务（类）":       "一般公共服务(类)",
		"ＡＢＣ　d":           "abc d",
		"‘三公’「经费」『预算』〝x〞": "三公经费预算x",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// naive is the reference the fuzz target compares with: at each position
// the longest pattern that starts there, checked one by one.
func naive(folded []string, text string) []Match {
	type pos struct {
		r          rune
		start, end int
	}
	var rs []pos
	for i, r := range text {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1
			if i+1 <= len(text) {
				if _, s := utf8.DecodeRuneInString(text[i:]); s > 0 {
					size = s
				}
			}
			r = noRune
		}
		if f, keep := fold(r); keep {
			rs = append(rs, pos{f, i, i + size})
		}
	}
	var out []Match
	prevEnd := 0
	for i := 0; i < len(rs); {
		best, bestV := 0, -1
		for v, p := range folded {
			pr := []rune(p)
			if len(pr) == 0 || len(pr) <= best || i+len(pr) > len(rs) {
				continue
			}
			ok := true
			for k, r := range pr {
				if rs[i+k].r != r {
					ok = false
					break
				}
			}
			if ok {
				best, bestV = len(pr), v
			}
		}
		if best == 0 {
			i++
			continue
		}
		start, end := rs[i].start, rs[i+best-1].end
		if !wordEdge([]byte(text), start, end) {
			i++
			continue
		}
		start, end = balanceQuotes([]byte(text), prevEnd, start, end)
		out = append(out, Match{start, end, bestV})
		prevEnd = end
		i += best
	}
	return out
}

// FuzzMatcher checks the matcher against the naive search, and that
// matches are in order, inside the text, and never overlap.
func FuzzMatcher(f *testing.F) {
	f.Add("财政拨款|财政拨款收入|三公经费", "财政拨款收入和“三公”经费，财政拨款")
	f.Add("he|she|his|hers", "ushers")
	f.Add("ab|b|abc", `a"b"c 'ab'`)
	f.Add("PPP|2010601", "ＰＰＰ and PPPs 2010601")
	f.Fuzz(func(t *testing.T, pats, text string) {
		ps := strings.Split(pats, "|")
		if len(ps) > 50 {
			ps = ps[:50]
		}
		var folded []string
		seen := map[string]bool{}
		for _, p := range ps {
			k := Fold(p)
			if seen[k] {
				k = "" // the first of equal patterns wins
			}
			seen[k] = true
			folded = append(folded, k)
		}
		m := NewMatcher(patterns(ps...))
		got := m.AppendMatches(nil, []byte(text), nil)
		want := naive(folded, text)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("patterns %q in %q:\n got %v\nwant %v", ps, text, got, want)
		}
		prev := 0
		for _, x := range got {
			if x.Start < prev || x.End <= x.Start || x.End > len(text) {
				t.Fatalf("bad match %v after %d in %q", x, prev, text)
			}
			prev = x.End
		}
	})
}
