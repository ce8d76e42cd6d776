package glossary

import (
	"cmp"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// A Pattern is one string to find, with the value a match reports (the index
// of its term, for the glossary).
type Pattern struct {
	Text  string
	Value int
}

// A Match is a pattern found in a text: the bytes text[Start:End] and the
// Value of the pattern.
type Match struct {
	Start, End int
	Value      int
}

// Matcher finds patterns in text, leftmost-longest and without overlaps:
// among the matches that start first it takes the longest, then goes on
// after it. 财政拨款收入 therefore wins over 财政拨款, and 预算 inside 一般公共
// 预算 is not found again.
//
// Text and patterns are compared folded: quotation marks (“”‘’「」『』"' and
// their full-width forms) are ignored, so “三公”经费, "三公"经费 and 三公经费
// are the same; full-width ASCII (（）ＡＢ１２) equals ASCII and letters
// compare without case. A match never starts or ends with a quotation mark,
// except that a quote the match leaves unbalanced (“三公”经费 matched from
// 三) is taken in with its partner. A match that starts or ends with an
// ASCII letter or digit must not continue a word: PPP is not found in PPPs.
//
// Finding takes time linear in the length of the text, whatever the number
// of patterns (Aho–Corasick over the reversed patterns, which gives the
// longest match starting at each position, then one greedy pass). A Matcher
// is immutable and safe for concurrent use.
type Matcher struct {
	nodes []acNode
	// The root's edges, where most lookups end: a table for the Basic
	// Multilingual Plane (CJK included), a map beyond it.
	rootBMP []int32
	root    map[rune]int32
	edges   []acEdge  // edges of the other nodes, sorted by rune per node
	pool    sync.Pool // *scratch
}

type acNode struct {
	edgeStart, edgeEnd int32 // this node's edges in Matcher.edges
	fail               int32
	// out is the longest pattern that is a suffix of this node's string,
	// as its length in folded runes (0: none) and value.
	outLen int32
	outVal int32
	depth  int32
	value  int32 // the pattern ending exactly here, or -1
}

type acEdge struct {
	r  rune
	to int32
}

// noRune stands for bytes of the text that are not UTF-8, noPatternRune
// for U+FFFD in a pattern: the two never match.
const (
	noRune        rune = -1
	noPatternRune rune = -2
)

// NewMatcher builds a Matcher. Patterns that fold to nothing are ignored;
// of patterns that fold to the same text, the first wins.
func NewMatcher(patterns []Pattern) *Matcher {
	m := &Matcher{root: map[rune]int32{}}
	// Build the trie of the reversed, folded patterns with edges in maps,
	// then freeze the non-root edges into sorted slices.
	type building struct {
		next  map[rune]int32
		value int32
		depth int32
	}
	trie := []building{{value: -1}}
	var buf []rune
	for _, p := range patterns {
		buf = foldString(buf[:0], p.Text)
		if len(buf) == 0 {
			continue
		}
		s := int32(0)
		for i := len(buf) - 1; i >= 0; i-- {
			r := buf[i]
			if trie[s].next == nil {
				trie[s].next = map[rune]int32{}
			}
			nx, ok := trie[s].next[r]
			if !ok {
				nx = int32(len(trie))
				trie[s].next[r] = nx
				trie = append(trie, building{value: -1, depth: trie[s].depth + 1})
			}
			s = nx
		}
		if trie[s].value < 0 {
			trie[s].value = int32(p.Value)
		}
	}
	m.nodes = make([]acNode, len(trie))
	for i, b := range trie {
		n := &m.nodes[i]
		n.value, n.depth = b.value, b.depth
		if i == 0 {
			for r, to := range b.next {
				if r >= 0 && r < 0x10000 {
					if m.rootBMP == nil {
						m.rootBMP = make([]int32, 0x10000)
					}
					m.rootBMP[r] = to
				} else {
					m.root[r] = to
				}
			}
			continue
		}
		n.edgeStart = int32(len(m.edges))
		for r, to := range b.next {
			m.edges = append(m.edges, acEdge{r, to})
		}
		n.edgeEnd = int32(len(m.edges))
		slices.SortFunc(m.edges[n.edgeStart:n.edgeEnd], func(a, b acEdge) int { return cmp.Compare(a.r, b.r) })
	}
	// Failure links and outputs, breadth first. A node's longest output is
	// its own pattern if it ends one, else its failure node's longest.
	queue := make([]int32, 0, len(trie))
	for _, to := range trie[0].next {
		queue = append(queue, to)
	}
	slices.Sort(queue) // map order must not matter
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		n := &m.nodes[s]
		if n.value >= 0 {
			n.outLen, n.outVal = n.depth, n.value
		} else {
			f := &m.nodes[n.fail]
			n.outLen, n.outVal = f.outLen, f.outVal
		}
		for _, e := range m.edges[n.edgeStart:n.edgeEnd] {
			f := n.fail
			for {
				if nx, ok := m.step(f, e.r); ok {
					m.nodes[e.to].fail = nx
					break
				}
				if f == 0 {
					m.nodes[e.to].fail = 0
					break
				}
				f = m.nodes[f].fail
			}
			queue = append(queue, e.to)
		}
	}
	return m
}

// step follows the edge of node s for r, without failure links.
func (m *Matcher) step(s int32, r rune) (int32, bool) {
	if s == 0 {
		if r >= 0 && r < 0x10000 {
			if m.rootBMP == nil {
				return 0, false
			}
			to := m.rootBMP[r]
			return to, to != 0
		}
		to, ok := m.root[r]
		return to, ok
	}
	n := &m.nodes[s]
	edges := m.edges[n.edgeStart:n.edgeEnd]
	if len(edges) <= 8 {
		for _, e := range edges {
			if e.r == r {
				return e.to, true
			}
		}
		return 0, false
	}
	i, ok := slices.BinarySearchFunc(edges, r, func(e acEdge, r rune) int { return cmp.Compare(e.r, r) })
	if !ok {
		return 0, false
	}
	return edges[i].to, true
}

// scratch holds the per-call arrays, reused through the Matcher's pool.
type scratch struct {
	runes      []rune  // folded runes of the text, quotes left out
	start, end []int32 // their byte offsets in the text
	gaps       []int32 // quotation marks before each rune
	longest    []int32 // length of the longest pattern starting at each rune
	value      []int32
}

// Empty reports whether the Matcher has no patterns.
func (m *Matcher) Empty() bool { return len(m.nodes) <= 1 }

// AppendMatches appends the matches in text to dst, in order, and returns
// the extended slice. If ok is not nil, a match is kept only when ok(start,
// end) is true; a rejected match is passed over as if it were not there,
// and the search goes on at the next character.
func (m *Matcher) AppendMatches(dst []Match, text []byte, ok func(start, end int) bool) []Match {
	if m.Empty() || len(text) == 0 {
		return dst
	}
	sc, _ := m.pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	defer m.pool.Put(sc)
	sc.runes, sc.start, sc.end, sc.gaps = sc.runes[:0], sc.start[:0], sc.end[:0], sc.gaps[:0]
	gap := int32(0)
	for i := 0; i < len(text); {
		r, size := decodeRune(text[i:])
		if f, keep := fold(r); keep {
			sc.runes = append(sc.runes, f)
			sc.start = append(sc.start, int32(i))
			sc.end = append(sc.end, int32(i+size))
			sc.gaps = append(sc.gaps, gap)
		} else {
			gap++
		}
		i += size
	}
	n := len(sc.runes)
	sc.longest = slices.Grow(sc.longest[:0], n)[:n]
	sc.value = slices.Grow(sc.value[:0], n)[:n]
	// Right to left through the reversed automaton: after reading rune i,
	// the node's longest output is the longest pattern starting at i.
	s := int32(0)
	for i := n - 1; i >= 0; i-- {
		r := sc.runes[i]
		for {
			if nx, found := m.step(s, r); found {
				s = nx
				break
			}
			if s == 0 {
				break
			}
			s = m.nodes[s].fail
		}
		sc.longest[i], sc.value[i] = m.nodes[s].outLen, m.nodes[s].outVal
	}
	prevEnd := 0
	for i := 0; i < n; {
		l := int(sc.longest[i])
		if l == 0 {
			i++
			continue
		}
		start, end := int(sc.start[i]), int(sc.end[i+l-1])
		if !wordEdge(text, start, end) {
			i++
			continue
		}
		if sc.gaps[i+l-1] != sc.gaps[i] {
			start, end = balanceQuotes(text, prevEnd, start, end)
		}
		if ok != nil && !ok(start, end) {
			i++
			continue
		}
		dst = append(dst, Match{Start: start, End: end, Value: int(sc.value[i])})
		prevEnd = end
		i += l
	}
	return dst
}

// decodeRune is utf8.DecodeRune with a fast path for the three-byte
// sequences of CJK text, and noRune for bytes that are not UTF-8.
func decodeRune(p []byte) (rune, int) {
	if len(p) >= 3 {
		b0 := p[0]
		// E1–EC and EE–EF lead three-byte sequences that are never
		// overlong or surrogates (U+1000–U+CFFF, U+E000–U+FFFF).
		if b0 >= 0xE1 && b0 <= 0xEF && b0 != 0xED && p[1]&0xC0 == 0x80 && p[2]&0xC0 == 0x80 {
			return rune(b0&0x0F)<<12 | rune(p[1]&0x3F)<<6 | rune(p[2]&0x3F), 3
		}
	}
	r, size := utf8.DecodeRune(p)
	if r == utf8.RuneError && size <= 1 {
		return noRune, size
	}
	return r, size
}

// fold maps a rune to the form patterns and text are compared in; keep is
// false for quotation marks, which are ignored.
func fold(r rune) (f rune, keep bool) {
	switch {
	case r < utf8.RuneSelf:
		if r == '"' || r == '\'' {
			return 0, false
		}
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A'), true
		}
		return r, true
	case isQuote(r):
		return 0, false
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return fold(r - 0xFEE0)
	case r == 0x3000: // ideographic space
		return ' ', true
	case r > 0x3000 && r < 0xA000: // CJK, kana, bopomofo: no case
		return r, true
	}
	return unicode.ToLower(r), true
}

// isQuote reports whether r is a non-ASCII quotation mark.
func isQuote(r rune) bool {
	switch r {
	case '“', '”', '‘', '’', '「', '」', '『', '』', '＂', '＇', '„', '‟', '‚', '‛', '«', '»', '‹', '›', '〝', '〞', '〟':
		return true
	}
	return false
}

// foldString appends the folded runes of s to dst.
func foldString(dst []rune, s string) []rune {
	for _, r := range s {
		if r == utf8.RuneError {
			r = noPatternRune
		}
		if f, keep := fold(r); keep {
			dst = append(dst, f)
		}
	}
	return dst
}

// Fold returns s as the Matcher compares it: without quotation marks,
// full-width ASCII as ASCII, letters in lower case. Two names that fold to
// the same string are the same term.
func Fold(s string) string { return string(foldString(nil, s)) }

func isWordByte(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// wordEdge reports whether text[start:end] does not cut an ASCII word.
func wordEdge(text []byte, start, end int) bool {
	if start > 0 && isWordByte(text[start]) && isWordByte(text[start-1]) {
		return false
	}
	if end < len(text) && isWordByte(text[end-1]) && isWordByte(text[end]) {
		return false
	}
	return true
}

// quote pairs: an opening and a closing mark; for the ASCII marks both are
// the same.
var quotePairs = [...][2]rune{{'“', '”'}, {'‘', '’'}, {'「', '」'}, {'『', '』'}, {'"', '"'}, {'\'', '\''}, {'＂', '＂'}, {'＇', '＇'}, {'〝', '〞'}}

// balanceQuotes widens text[start:end] by the quotation mark just before or
// after it when the match holds that mark's partner alone, so “三公”经费 is
// marked whole rather than as “<a>三公”经费</a>. It does not widen the
// start below from, the end of the previous match.
func balanceQuotes(text []byte, from, start, end int) (int, int) {
	inner := text[start:end]
	for _, q := range quotePairs {
		open, close := q[0], q[1]
		depth, unopened := 0, 0
		for i := 0; i < len(inner); {
			r, size := utf8.DecodeRune(inner[i:])
			i += size
			switch {
			case open == close && r == open:
				depth ^= 1
			case r == open:
				depth++
			case r == close:
				if depth > 0 {
					depth--
				} else {
					unopened++
				}
			}
		}
		if open == close {
			// An odd count: take the mark on whichever side has one.
			if depth == 1 {
				if r, size := utf8.DecodeLastRune(text[from:start]); r == open {
					start -= size
				} else if r, size := utf8.DecodeRune(text[end:]); r == close {
					end += size
				}
			}
			continue
		}
		if unopened > 0 {
			if r, size := utf8.DecodeLastRune(text[from:start]); r == open {
				start -= size
			}
		}
		if depth > 0 {
			if r, size := utf8.DecodeRune(text[end:]); r == close {
				end += size
			}
		}
	}
	return start, end
}
