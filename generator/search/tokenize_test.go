package search

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// show renders tokens compactly: text/kind@pos, with +unit for numbers.
func show(toks []Token) string {
	var parts []string
	for _, t := range toks {
		s := fmt.Sprintf("%s/%s@%d", t.Text, t.Kind, t.Pos)
		if t.Unit != "" {
			s += "+" + t.Unit
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// showNoHan leaves out the single characters, to keep long cases short.
func showNoHan(toks []Token) string {
	return show(slices.DeleteFunc(slices.Clone(toks), func(t Token) bool { return t.Kind == Han }))
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"三公", "三/han@0 三公/bigram@0 公/han@1"},
		{"费", "费/han@0"},
		// Punctuation inside a CJK run does not break it.
		{"“三公”经费", "三/han@0 三公/bigram@0 公/han@1 公经/bigram@1 经/han@2 经费/bigram@2 费/han@3"},
		{"因公出国（境）费", "因/han@0 因公/bigram@0 公/han@1 公出/bigram@1 出/han@2 出国/bigram@2 国/han@3 国境/bigram@3 境/han@4 境费/bigram@4 费/han@5"},
		// White space does: one empty position between.
		{"三公 经费", "三/han@0 三公/bigram@0 公/han@1 经/han@3 经费/bigram@3 费/han@4"},
		// Numbers: thousands separators ignored, trailing zeros dropped.
		{"2,966.24", "2966.24/number@0"},
		{"2966.20", "2966.2/number@0"},
		{"100.00", "100/number@0"},
		{"0.50", "0.5/number@0"},
		{"1,234,567.890", "1234567.89/number@0"},
		{"2010601", "2010601/number@0"},
		{"007", "007/number@0"},
		// Separators that make no number: several numbers.
		{"2019.12.31", "2019/number@0 12/number@2 31/number@4"},
		{"1,2,3", "1/number@0 2/number@2 3/number@4"},
		{"1234,567", "1234/number@0 567/number@2"},
		{"12,34", "12/number@0 34/number@2"},
		{"-168.97", "168.97/number@0"},
		{"5.43%", "5.43/number@0"},
		// A money unit right after a number is noted.
		{"2966.24万元", "2966.24/number@0+万元 万/han@1 万元/bigram@1 元/han@2"},
		{"5元", "5/number@0+元 元/han@1"},
		{"1.2亿元", "1.2/number@0+亿元 亿/han@1 亿元/bigram@1 元/han@2"},
		{"2394万人", "2394/number@0 万/han@1 万人/bigram@1 人/han@2"},
		{"2966.24 万元", "2966.24/number@0 万/han@2 万元/bigram@2 元/han@3"},
		{"2020年", "2020/number@0 年/han@1"},
		// Words: lower-cased, split at separators.
		{"GDP", "gdp/word@0"},
		{"ICP备12345678号", "icp/word@0 备/han@1 12345678/number@2 号/han@3"},
		{"v1.2", "v1/word@0 2/number@2"},
		{"5G网络", "5g/word@0 网/han@1 网络/bigram@1 络/han@2"},
		{"COVID-19", "covid/word@0 19/number@2"},
		// Full width folds to ordinary letters, digits and punctuation.
		{"ＧＤＰ２０２４", "gdp2024/word@0"},
		{"２９６６．２４", "2966.24/number@0"},
		{"２，９６６．２４万元", "2966.24/number@0+万元 万/han@1 万元/bigram@1 元/han@2"},
		{"ｶﾞｽ", "ガ/han@0 ガス/bigram@0 ス/han@1"},
		{"ﬁle", "file/word@0"},
		{"⼀", "一/han@0"},
		{"①", "1/number@0"},
		// Simple case mapping, no context.
		{"ΣΑΣ", "σασ/word@0"},
		{"İ", "i/word@0"},
		{"e\u0301", "é/word@0"},
		// Combining marks are put in canonical order.
		{"a\u302b\u302a", "a\u302a\u302b/word@0"},
		{"", ""},
		{"  ，。", ""},
		{"a　b", "a/word@0 b/word@2"},
	}
	for _, tt := range tests {
		if got := show(Tokenize(tt.in)); got != tt.want {
			t.Errorf("Tokenize(%q) =\n  %s\nwant\n  %s", tt.in, got, tt.want)
		}
	}
}

func TestTokenizeSentence(t *testing.T) {
	in := "2020年度“三公”经费预算支出安排5万元，比2019年度减少4万元，下降44.44%。"
	want := "2020/number@0 年度/bigram@1 度三/bigram@2 三公/bigram@3 公经/bigram@4 经费/bigram@5 费预/bigram@6 预算/bigram@7 算支/bigram@8 支出/bigram@9 出安/bigram@10 安排/bigram@11 5/number@13+万元 万元/bigram@14 元比/bigram@15 2019/number@17 年度/bigram@18 度减/bigram@19 减少/bigram@20 4/number@22+万元 万元/bigram@23 元下/bigram@24 下降/bigram@25 44.44/number@27"
	if got := showNoHan(Tokenize(in)); got != want {
		t.Errorf("Tokenize(%q) =\n  %s\nwant\n  %s", in, got, want)
	}
}

func TestTokenOffsets(t *testing.T) {
	in := "收入“三公”２，９６６．２４万元"
	for _, tk := range Tokenize(in) {
		if tk.Start < 0 || tk.End > len(in) || tk.Start >= tk.End {
			t.Fatalf("%+v: bad offsets in %q", tk, in)
		}
		if Normalize(in[tk.Start:tk.End]) == "" {
			t.Errorf("%+v: offsets cover nothing", tk)
		}
	}
	toks := Tokenize(in)
	var num Token
	for _, tk := range toks {
		if tk.Kind == Number {
			num = tk
		}
	}
	if got := in[num.Start:num.End]; got != "２，９６６．２４" {
		t.Errorf("number covers %q, want the full-width digits", got)
	}
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{"2,966.20": "2966.2", "０.５": "0.5", "42": "42"} {
		if got, ok := Canonical(in); !ok || got != want {
			t.Errorf("Canonical(%q) = %q, %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"abc", "1 2", "2019.12.31", ""} {
		if got, ok := Canonical(in); ok {
			t.Errorf("Canonical(%q) = %q, want none", in, got)
		}
	}
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"三公经费", "[三公经费: 三公@0 经费@2]"},
		{"机关运行经费", "[机关运行经费: 机关@0 运行@2 经费@4]"},
		// An odd run ends with its last bigram, overlapping.
		{"容灾备份中心", "[容灾备份中心: 容灾@0 备份@2 中心@4]"},
		{"医疗卫生与计划生育", "[医疗卫生与计划生育: 医疗@0 卫生@2 与计@4 划生@6 生育@7]"},
		{"灾备", "[灾备: 灾备@0]"},
		{"税", "[税: 税@0~]"},
		{"三公 2024", "[三公: 三公@0] [2024: 2024@3]"},
		// A unit after a number is not required.
		{"2966.24万元", "[2966.24万元: 2966.24@0]"},
		{"29662400元", "[29662400元: 29662400@0]"},
		{"2966.24万元收入", "[2966.24万元收入: 2966.24@0 收入@3]"},
		{"2020年", "[2020年: 2020@0 年@1~]"},
		{"“三公”经费", "[三公经费: 三公@0 经费@2]"},
		{"  ，", ""},
	}
	for _, tt := range tests {
		var parts []string
		for _, g := range ParseQuery(tt.in) {
			var terms []string
			for _, term := range g.Terms {
				s := fmt.Sprintf("%s@%d", term.Text, term.Rel)
				if !term.Positional {
					s += "~"
				}
				terms = append(terms, s)
			}
			parts = append(parts, fmt.Sprintf("[%s: %s]", g.Text, strings.Join(terms, " ")))
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("ParseQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func ExampleTokenize() {
	for _, t := range Tokenize("“三公”经费2,966.24万元") {
		fmt.Println(t.Pos, t.Kind, t.Text+t.Unit)
	}
	// Output:
	// 0 han 三
	// 0 bigram 三公
	// 1 han 公
	// 1 bigram 公经
	// 2 han 经
	// 2 bigram 经费
	// 3 han 费
	// 4 number 2966.24万元
	// 5 han 万
	// 5 bigram 万元
	// 6 han 元
}

// FuzzTokenize checks what must hold for any input: tokens are not empty,
// positions never go back, offsets lie in the input, single characters are
// CJK and bigrams two of them, numbers are canonical, words are
// normalised, and tokenizing is the same on the normalised text.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"“三公”经费预算2,966.24万元", "ＧＤＰ２０２４ ｶﾞ e\u0301 ﬁ ⼀", "2019.12.31 v1.2 1,2,3 1,234,567.890",
		"ICP备12345678号-1", "因公出国（境）费", "ΣΑΣ İ", "\xff\xfe", "a\u0301\u0302b", "1,,2..3", "。，“", "𠀀𠀁 〇々",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(s)
		last := -1
		for _, tk := range toks {
			if tk.Text == "" {
				t.Fatalf("empty token in %q", s)
			}
			if tk.Pos < last {
				t.Fatalf("position goes back at %+v in %q", tk, s)
			}
			last = tk.Pos
			if tk.Start < 0 || tk.End > len(s) || tk.Start >= tk.End {
				t.Fatalf("offsets of %+v outside %q", tk, s)
			}
			rs := []rune(tk.Text)
			switch tk.Kind {
			case Han:
				if len(rs) != 1 || !IsCJK(rs[0]) {
					t.Fatalf("han token %q", tk.Text)
				}
			case Bigram:
				if len(rs) != 2 || !IsCJK(rs[0]) || !IsCJK(rs[1]) {
					t.Fatalf("bigram token %q", tk.Text)
				}
			case Number:
				if c, ok := Canonical(tk.Text); !ok || c != tk.Text {
					t.Fatalf("number %q is not canonical (%q, %v)", tk.Text, c, ok)
				}
			case Word:
				if !utf8.ValidString(tk.Text) || strings.ContainsAny(tk.Text, " .,") {
					t.Fatalf("word %q", tk.Text)
				}
			default:
				t.Fatalf("kind %v", tk.Kind)
			}
		}
		again := Tokenize(Normalize(s))
		if a, b := show(toks), show(again); a != b {
			t.Fatalf("Tokenize(%q) = %s\nTokenize(Normalize) = %s", s, a, b)
		}
		for _, g := range ParseQuery(s) {
			if len(g.Terms) == 0 {
				t.Fatalf("ParseQuery(%q): a group without terms", s)
			}
			for _, term := range g.Terms {
				if term.Text == "" || term.Rel < 0 {
					t.Fatalf("ParseQuery(%q): term %+v", s, term)
				}
			}
		}
	})
}

// TestLowerNoCase: lower is unicode.ToLower for every code point, the
// range it skips included.
func TestLowerNoCase(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := lower(r), unicode.ToLower(r); got != want {
			t.Fatalf("lower(%U) = %U, want %U", r, got, want)
		}
	}
}
