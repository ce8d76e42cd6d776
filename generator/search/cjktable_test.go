package search

import (
	"math/rand/v2"
	"testing"
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
