package fiscal

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseFigure(t *testing.T) {
	tests := []struct {
		in     string
		unit   Unit
		fen    int64
		places int
		err    error
	}{
		{"2966.24", Wanyuan, 2_966_240_000, 2, nil},
		{"2394", Wanyuan, 2_394_000_000, 0, nil},
		{"0", Wanyuan, 0, 0, nil},
		{"-168.97", Wanyuan, -168_970_000, 2, nil},
		{"0.5", Wanyuan, 500_000, 1, nil},
		{"1.00", Wanyuan, 1_000_000, 2, nil},
		{"371,514,655.00", Yuan, 37_151_465_500, 2, nil},
		{"1_000", Yuan, 100_000, 0, nil},
		{"+3", Yuan, 300, 0, nil},
		{"2966.245", Wanyuan, 0, 0, ErrTooManyPlaces},
		{"1.000", Yuan, 0, 0, ErrTooManyPlaces},
		{"1e3", Yuan, 0, 0, ErrNotNumber},
		{"16,77", Wanyuan, 0, 0, ErrGrouping},
		{"1,6770.00", Yuan, 0, 0, ErrGrouping},
		{",677", Yuan, 0, 0, ErrGrouping},
		{"1,,677", Yuan, 0, 0, ErrGrouping},
		{"1677,", Yuan, 0, 0, ErrNotNumber},
		{"1,677", Yuan, 167_700, 0, nil},
		{"-12,345.60", Yuan, -1_234_560, 2, nil},
		{"", Yuan, 0, 0, ErrNotNumber},
		{"12.", Yuan, 0, 0, ErrNotNumber},
		{".5", Yuan, 0, 0, ErrNotNumber},
		{"二", Yuan, 0, 0, ErrNotNumber},
		{"99999999999999999999", Yuan, 0, 0, ErrOutOfRange},
		{"9999999999999", Wanyuan, 0, 0, ErrOutOfRange},
	}
	for _, tt := range tests {
		got, err := ParseFigure(tt.in, tt.unit)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseFigure(%q, %v) error = %v, want %v", tt.in, tt.unit, err, tt.err)
			}
			continue
		}
		if err != nil || got != (Figure{tt.fen, tt.places}) {
			t.Errorf("ParseFigure(%q, %v) = %+v, %v; want {%d %d}", tt.in, tt.unit, got, err, tt.fen, tt.places)
		}
	}
	// Text with a comma that is no number is not told its commas are
	// misplaced.
	for _, in := range []string{"1,677元", "约1,677", "abc,def"} {
		if _, err := ParseFigure(in, Yuan); !errors.Is(err, ErrNotNumber) || errors.Is(err, ErrGrouping) {
			t.Errorf("ParseFigure(%q) error = %v, want ErrNotNumber alone", in, err)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		fen    int64
		unit   Unit
		places int
		want   string
	}{
		{2_966_240_000, Wanyuan, 2, "2,966.24"},
		{2_394_000_000, Wanyuan, 2, "2,394.00"},
		{-168_970_000, Wanyuan, 2, "-168.97"},
		{37_151_465_500, Yuan, 2, "371,514,655.00"},
		{37_151_465_500, Wanyuan, 2, "37,151.47"},
		{37_151_465_500, Yiyuan, 2, "3.72"},
		{0, Wanyuan, 2, "0.00"},
		{5_000, Wanyuan, 2, "0.01"},   // half up
		{4_999, Wanyuan, 2, "0.00"},   // below half
		{-5_000, Wanyuan, 2, "-0.01"}, // half away from zero
		{-4_999, Wanyuan, 2, "0.00"},  // no negative zero
		{123_456_789, Yuan, 0, "1,234,568"},
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.fen, tt.unit, tt.places); got != tt.want {
			t.Errorf("FormatAmount(%d, %v, %d) = %q, want %q", tt.fen, tt.unit, tt.places, got, tt.want)
		}
	}
}

func TestFormatCount(t *testing.T) {
	for v, want := range map[int64]string{0: "0", 11: "11", 999: "999", 1000: "1,000", -1234567: "-1,234,567", 100000: "100,000"} {
		if got := FormatCount(v); got != want {
			t.Errorf("FormatCount(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestFigureProse(t *testing.T) {
	for in, want := range map[string]string{"2966.24": "2966.24万元", "2394": "2394万元", "0": "0万元", "-0.39": "-0.39万元", "1.00": "1.00万元"} {
		f, err := ParseFigure(in, Wanyuan)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Prose(Wanyuan); got != want {
			t.Errorf("Prose(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		num, den int64
		want     string
		ok       bool
	}{
		{-168_970_000, 3_135_210_000, "-5.39", true}, // the seed's income, against its own base
		{-168_970_000, 3_113_210_000, "-5.43", true}, // …and against the expenditure base
		{-4, 9, "-44.44", true},
		{-39, 5162, "-0.76", true},
		{1, 8, "12.50", true},
		{1, 200000, "0.00", true},
		{1, 0, "", false},
	}
	for _, tt := range tests {
		got, ok := Percent(tt.num, tt.den, 2)
		if ok != tt.ok || (ok && got.String() != tt.want) {
			t.Errorf("Percent(%d, %d) = %v, %v; want %s, %v", tt.num, tt.den, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDecimal(t *testing.T) {
	d, err := ParseDecimal("-5.43", 4)
	if err != nil || d != (Decimal{-543, 2}) || d.String() != "-5.43" {
		t.Fatalf("ParseDecimal(-5.43) = %+v, %v", d, err)
	}
	if got := d.Rescale(1).String(); got != "-5.4" {
		t.Errorf("Rescale(1) = %s", got)
	}
	if d.Cmp(Decimal{-5430, 3}) != 0 || d.Cmp(Decimal{-539, 2}) != -1 {
		t.Error("Cmp disagrees")
	}
	if _, err := ParseDecimal("1.23456", 4); !errors.Is(err, ErrTooManyPlaces) {
		t.Errorf("too many places: %v", err)
	}
	if d, _ := ParseDecimal("100%", 2); d.String() != "100" {
		t.Errorf("100%% = %s", d)
	}
}

// FuzzParseFigure checks that any accepted literal formats back to itself
// (the round trip of encoding/csv's FuzzRoundtrip) and that parsing never
// panics.
func FuzzParseFigure(f *testing.F) {
	for _, s := range []string{"2966.24", "2394", "-168.97", "0.5", "371,514,655.00", "1_000", "1e3", "", "-0", "00012.30"} {
		f.Add(s, uint8(Wanyuan))
	}
	f.Fuzz(func(t *testing.T, s string, u uint8) {
		unit := Unit(u%3 + 1)
		fig, err := ParseFigure(s, unit)
		if err != nil {
			return
		}
		back := FormatPlain(fig.Fen, unit, fig.Places)
		again, err := ParseFigure(back, unit)
		if err != nil || again != fig && !(fig.Fen == 0 && again.Fen == 0) {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, fig, back, again, err)
		}
		norm := strings.NewReplacer("_", "", ",", "", "+", "").Replace(strings.TrimSpace(s))
		if fig.Fen != 0 && strings.TrimLeft(strings.TrimPrefix(norm, "-"), "0") != strings.TrimLeft(strings.TrimPrefix(back, "-"), "0") {
			t.Fatalf("%q formats back as %q", s, back)
		}
		if grouped := FormatAmount(fig.Fen, unit, fig.Places); strings.ReplaceAll(grouped, ",", "") != back {
			t.Fatalf("FormatAmount %q vs FormatPlain %q", grouped, back)
		}
	})
}

func ExampleParseFigure() {
	f, _ := ParseFigure("2966.24", Wanyuan)
	fmt.Println(f.Fen, f.Prose(Wanyuan), FormatAmount(f.Fen, Yuan, 2))
	// Output: 2966240000 2966.24万元 29,662,400.00
}

// TestDecimalFast holds the int64 path of decimal to decimalBig, the
// reference, over edge values and random ones.
func TestDecimalFast(t *testing.T) {
	nums := []int64{0, 1, -1, 4, 5, -5, 49, 50, -50, 99, 100, 123456789, -123456789, math.MaxInt64, math.MinInt64, math.MaxInt64 / 100, math.MaxInt64/100 + 1}
	dens := []int64{1, 2, 3, 7, 10, 100, 10000, 1_000_000, 10_000_000_000}
	r := rand.New(rand.NewPCG(7, 8))
	for range 2000 {
		nums = append(nums, r.Int64()>>uint(r.IntN(63)), -(r.Int64() >> uint(r.IntN(63))))
	}
	for _, n := range nums {
		for _, d := range dens {
			for places := 0; places <= 4; places++ {
				if got, want := decimal(n, d, places), decimalBig(big.NewInt(n), d, places); got != want {
					t.Fatalf("decimal(%d, %d, %d) = %q, want %q", n, d, places, got, want)
				}
			}
		}
	}
}

func TestPercentFast(t *testing.T) {
	nums := []int64{0, 1, -1, 4, 5, -5, 49, 50, -50, 99, 100, 123456789, -123456789, math.MaxInt64, math.MinInt64, math.MaxInt64 / 100, math.MaxInt64/100 + 1, math.MaxInt64 / 10000, -(math.MaxInt64/10000 + 1)}
	dens := []int64{1, -1, 2, 3, -3, 7, 10, 100, 10000, 1_000_000, 10_000_000_000, math.MaxInt64, math.MinInt64 + 1}
	r := rand.New(rand.NewPCG(9, 10))
	for range 2000 {
		nums = append(nums, r.Int64()>>uint(r.IntN(63)), -(r.Int64() >> uint(r.IntN(63))))
	}
	for _, n := range nums {
		for _, d := range dens {
			for places := 0; places <= 4; places++ {
				got, _ := Percent(n, d, places)
				nn, dd := n, d
				if dd < 0 {
					nn, dd = -nn, -dd
				}
				if want := percentBig(nn, dd, places); got != want {
					t.Fatalf("Percent(%d, %d, %d) = %v, want %v", n, d, places, got, want)
				}
			}
		}
	}
}

func FuzzDecimal(f *testing.F) {
	f.Add(int64(-168970000), int64(1_000_000), 2)
	f.Fuzz(func(t *testing.T, n, d int64, places int) {
		if d <= 0 {
			d = 1
		}
		places = abs(places) % 5
		if got, want := decimal(n, d, places), decimalBig(big.NewInt(n), d, places); got != want {
			t.Fatalf("decimal(%d, %d, %d) = %q, want %q", n, d, places, got, want)
		}
		if got, _ := Percent(n, d, places); got != percentBig(n, d, places) {
			t.Fatalf("Percent(%d, %d, %d) = %v, want %v", n, d, places, got, percentBig(n, d, places))
		}
	})
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}
