package search

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCJKTable holds cjkTable to a Go map through growth and resets.
func TestCJKTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tab cjkTable
	for page := range 5 {
		want := map[uint64]int32{}
		for i := range 3000 * (page + 1) {
			// Han keys are small runes, Bigram keys have the top bit set.
			key := uint64(0x4e00 + r.IntN(0x5200))
			if r.IntN(2) == 0 {
				key |= 1<<63 | uint64(0x4e00+r.IntN(0x5200))<<21
			}
			got, ok := tab.get(key)
			if w, wok := want[key]; ok != wok || got != w {
				t.Fatalf("page %d: get(%#x) = %d, %v; want %d, %v", page, key, got, ok, w, wok)
			}
			if !ok {
				tab.put(key, int32(i))
				want[key] = int32(i)
			}
		}
		if tab.n != len(want) {
			t.Fatalf("page %d: %d keys, want %d", page, tab.n, len(want))
		}
		tab.reset()
		if _, ok := tab.get(0x4e00); ok {
			t.Fatalf("page %d: a key survived reset", page)
		}
	}
}

// textReference is extractor.text as first written, rune by rune: the
// reference for the run-at-a-time one.
func textReference(e *extractor, s []byte) {
	b := e.texts[e.cur]
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		s = s[size:]
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			e.pendingSpace = true
			if r == '\n' {
				e.softLine = true
			}
			continue
		}
		if e.pendingSpace && b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			switch {
			case e.pendingLine:
				b.WriteByte('\n')
			case e.softLine && IsCJK(last) && IsCJK(r):
			default:
				b.WriteByte(' ')
			}
		}
		e.pendingSpace, e.pendingLine, e.softLine = false, false, false
		b.WriteRune(r)
	}
}

// FuzzExtractorText feeds two pieces of text, with a block end between
// them or not, to extractor.text and to the rune-by-rune reference.
func FuzzExtractorText(f *testing.F) {
	f.Add([]byte("一般公共预算\n支出"), []byte(" 2,966.24 万元"), false)
	f.Add([]byte("a\tb\r\nc\f"), []byte("\n收入"), true)
	f.Add([]byte("\xff\xfe 年"), []byte("\xe4\xb8 x"), false)
	f.Fuzz(func(t *testing.T, a, b []byte, block bool) {
		run := func(text func(*extractor, []byte)) string {
			e := &extractor{texts: []*strings.Builder{{}}}
			text(e, a)
			e.pendingLine = block
			text(e, b)
			return e.texts[0].String()
		}
		if got, want := run((*extractor).text), run(textReference); got != want {
			t.Fatalf("text(%q, %q) = %q, want %q", a, b, got, want)
		}
	})
}
