package search

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// moneyForms returns the forms other than n in which a reader may type the
// amount n (canonical, see [Canonical]) written in unit: the 元 form of a
// 万元 amount (2966.24万元 is 29662400元), the 万元 form of a 元 amount,
// exactly and rounded to 2 decimals as 万元 tables print it, and both for
// 亿元. Zero has no other form. The forms are appended to out[:0].
func moneyForms(out []string, n, unit string) []string {
	out = out[:0]
	if strings.Trim(n, "0.") == "" {
		return out
	}
	add := func(s string) {
		if s != "" && s != "0" && s != n && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	switch unit {
	case "万元":
		add(shift(n, 4)) // 元
		if whole, _, _ := strings.Cut(n, "."); len(strings.TrimLeft(whole, "0")) > 4 {
			add(shift(n, -4))           // 亿元
			add(round(shift(n, -4), 2)) // as 亿元 are printed
		}
	case "元":
		add(shift(n, -4))
		add(round(shift(n, -4), 2))
	case "亿元":
		add(shift(n, 4))
		add(shift(n, 8))
	}
	return out
}

// shift multiplies the canonical decimal n by 10^k, exactly, and returns the
// canonical result.
func shift(n string, k int) string {
	whole, frac, _ := strings.Cut(n, ".")
	var buf [64]byte
	digits := append(append(buf[:0], whole...), frac...)
	point := len(whole) + k // digits before the decimal point
	for point > len(digits) {
		digits = append(digits, '0')
	}
	lead := 0
	for point < 0 {
		lead++
		point++
	}
	if lead > 0 {
		digits = append(append(make([]byte, 0, lead+len(digits)), bytes.Repeat([]byte{'0'}, lead)...), digits...)
	}
	return canonDecimal(digits[:point], digits[point:])
}

// round rounds the canonical decimal n to places decimals, half away from
// zero as documents round.
func round(n string, places int) string {
	whole, frac, _ := strings.Cut(n, ".")
	if len(frac) <= places {
		return n
	}
	var buf [64]byte
	digits := append(append(buf[:0], whole...), frac[:places]...)
	if frac[places] >= '5' {
		i := len(digits) - 1
		for ; i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			break
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		}
	}
	point := len(digits) - places
	return canonDecimal(digits[:point], digits[point:])
}

// canonDecimal joins a whole and a fractional part as the tokenizer writes
// numbers: no leading zeros beyond one, no trailing zeros after the point.
func canonDecimal(whole, frac []byte) string {
	whole = bytes.TrimLeft(whole, "0")
	frac = bytes.TrimRight(frac, "0")
	var buf [64]byte
	out := buf[:0]
	if len(whole) == 0 {
		out = append(out, '0')
	}
	out = append(out, whole...)
	if len(frac) > 0 {
		out = append(append(out, '.'), frac...)
	}
	return string(out)
}

// synonyms finds the phrases of synonym groups in tokenized text, so the
// index can hold every phrase of a group where one of them is written: a
// glossary term and its aliases, the names a classification code has had.
type synonyms struct {
	root   *synNode
	groups [][]phrase
	// The units phrases start with, as a filter that lets expand pass over
	// most text without hashing a unit: a bit per CJK character (its low
	// 16 bits) and a flag per first byte of a number or word.
	hanFirst  [1 << 10]uint64
	wordFirst [256]bool
}

// unit is a CJK character (r) or a number or word (s).
type unit struct {
	r rune
	s string
}

// mayStart reports whether some phrase may start with t's unit: false
// means none does.
func (s *synonyms) mayStart(t *rawTok) bool {
	if t.kind == Han {
		return s.hanFirst[t.a&0xffff>>6]&(1<<(t.a&63)) != 0
	}
	return t.text != "" && s.wordFirst[t.text[0]]
}

func unitOf(t *rawTok) unit {
	if t.kind == Han {
		return unit{r: t.a}
	}
	return unit{s: t.text}
}

type synNode struct {
	// The nodes that follow, by unit: CJK characters and words apart, so
	// that each map hashes its key type's fast way.
	han  map[rune]*synNode
	word map[string]*synNode
	// ends lists the phrases that end here: group and member.
	ends [][2]int
}

// child returns the node that follows n by u, making it if need be.
func (n *synNode) child(u unit) *synNode {
	if u.s == "" {
		return follower(&n.han, u.r)
	}
	return follower(&n.word, u.s)
}

// follower returns the node at k in *m, making the map and the node if
// need be.
func follower[K comparable](m *map[K]*synNode, k K) *synNode {
	if *m == nil {
		*m = map[K]*synNode{}
	}
	c := (*m)[k]
	if c == nil {
		c = &synNode{}
		(*m)[k] = c
	}
	return c
}

// step returns the node that follows n by t's unit, or nil.
func (n *synNode) step(t *rawTok) *synNode {
	if t.kind == Han {
		return n.han[t.a]
	}
	return n.word[t.text]
}

// phrase is a synonym as a sequence of units, and the tokens to add where
// it stands in for another (positions from 0).
type phrase struct {
	units  []unit
	tokens []rawTok
}

// newSynonyms builds the matcher of groups of phrases. Phrases that hold a
// break (white space, punctuation outside CJK) match nothing and are left
// out; a group left with fewer than two phrases is dropped.
func newSynonyms(groups [][]string) *synonyms {
	s := &synonyms{root: &synNode{}}
	var t tokenizer
	for _, g := range groups {
		var members []phrase
		seen := map[string]bool{}
		for _, text := range g {
			p, ok := phraseOf(&t, text)
			key := fmt.Sprint(p.units)
			if !ok || seen[key] {
				continue
			}
			seen[key] = true
			members = append(members, p)
		}
		if len(members) < 2 {
			continue
		}
		gi := len(s.groups)
		s.groups = append(s.groups, members)
		for mi, p := range members {
			if u := p.units[0]; u.s == "" {
				s.hanFirst[u.r&0xffff>>6] |= 1 << (u.r & 63)
			} else {
				s.wordFirst[u.s[0]] = true
			}
			n := s.root
			for _, u := range p.units {
				n = n.child(u)
			}
			n.ends = append(n.ends, [2]int{gi, mi})
		}
	}
	return s
}

func phraseOf(t *tokenizer, text string) (phrase, bool) {
	toks := t.scan(nil, text)
	var p phrase
	want := int32(0)
	for i := range toks {
		tk := &toks[i]
		if tk.kind == Bigram {
			continue
		}
		if tk.pos != want {
			return p, false
		}
		want++
		p.units = append(p.units, unitOf(tk))
	}
	if len(p.units) == 0 {
		return p, false
	}
	base := toks[0].pos
	for _, tk := range toks {
		tk.pos -= base
		tk.unit, tk.start, tk.end = "", 0, 0
		p.tokens = append(p.tokens, tk)
	}
	return p, true
}

func (s *synonyms) active() bool { return s != nil && len(s.groups) > 0 }

// expand calls add for every token of every other phrase of a group where
// one of the group's phrases stands in toks, at the positions it stands
// at. heading reports whether a token lies in the section's title.
func (s *synonyms) expand(toks []rawTok, units []int, heading func(*rawTok) bool, add func(t rawTok, head bool)) []int {
	// The units of the text by position (bigrams are not units).
	units = units[:0]
	for i := range toks {
		t := &toks[i]
		if t.kind == Bigram {
			continue
		}
		for len(units) <= int(t.pos) {
			units = append(units, -1)
		}
		units[t.pos] = i
	}
	for p := range units {
		if units[p] < 0 || !s.mayStart(&toks[units[p]]) || s.root.step(&toks[units[p]]) == nil {
			continue
		}
		n := s.root
		for q := p; q < len(units) && units[q] >= 0; q++ {
			n = n.step(&toks[units[q]])
			if n == nil {
				break
			}
			for _, e := range n.ends {
				head := heading(&toks[units[p]])
				for mi, other := range s.groups[e[0]] {
					if mi == e[1] {
						continue
					}
					for _, t := range other.tokens {
						t.pos += int32(p)
						add(t, head) // a copy: a pointer to t would escape
					}
				}
			}
		}
	}
	return units
}
