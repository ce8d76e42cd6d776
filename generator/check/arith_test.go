package check

import (
	"testing"

	"github.com/disclose/disclose/generator/fiscal"
)

func wan(s string) amount {
	f, err := fiscal.ParseFigure(s, fiscal.Wanyuan)
	if err != nil {
		panic(err)
	}
	return figureAmount(f.Fen, fiscal.Wanyuan)
}

func yuan(s string) amount {
	f, err := fiscal.ParseFigure(s, fiscal.Yuan)
	if err != nil {
		panic(err)
	}
	return figureAmount(f.Fen, fiscal.Yuan)
}

func sum(xs ...amount) amount {
	var s amount
	for _, x := range xs {
		s = s.add(x, false)
	}
	return s
}

// TestCompare: a difference within (n + 1) × half a unit of the last
// printed digit is a rounding matter; beyond it, a finding; a figure
// printed coarser than the other side is compared at its own precision;
// one figure against one printed alike must be equal.
func TestCompare(t *testing.T) {
	fixed := tolerance{set: true, half: 2 * 500_000} // 0.5万元
	tests := []struct {
		name string
		op   Op
		l, r amount
		tol  tolerance
		want verdict
	}{
		{"equal", OpEq, wan("2966.24"), sum(wan("572.24"), wan("2394")), tolerance{}, holds},
		{"seed 22.00", OpEq, wan("2944.24"), sum(wan("572.24"), wan("2394")), tolerance{}, fails},
		{"0.01 over 2 parts: within ±0.015", OpEq, wan("100.00"), sum(wan("50.00"), wan("50.01")), tolerance{}, rounding},
		{"0.02 over 1 part: beyond ±0.010", OpEq, wan("100.00"), wan("99.98"), tolerance{}, fails},
		{"12 parts, 0.06: within ±0.065", OpEq, wan("12.06"), sum(wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1")), tolerance{}, rounding},
		{"12 parts, 0.07: beyond ±0.065", OpEq, wan("12.07"), sum(wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1"), wan("1")), tolerance{}, fails},
		{"万元 printed from 元: same at 0.01万元", OpEq, wan("171.01"), yuan("1,710,062.00"), tolerance{}, holds},
		{"万元 vs 元 just outside the rounding", OpEq, wan("171.01"), yuan("1,710,049.00"), tolerance{}, fails},
		{"元 tables: 1 分 off a sum", OpEq, yuan("100.00"), sum(yuan("50.00"), yuan("50.01")), tolerance{}, rounding},
		// One amount printed twice alike rounds alike: any difference is a typo.
		{"one figure twice, 1 分 off", OpEq, yuan("100.00"), yuan("100.01"), tolerance{}, fails},
		{"one figure twice, 0.01万元 off", OpEq, wan("0.61"), wan("0.60"), tolerance{}, fails},
		{"元 tables: 1 元 off", OpEq, yuan("100.00"), yuan("101.00"), tolerance{}, fails},
		{"≤ holds", OpLE, wan("4.20"), wan("4.20"), tolerance{}, holds},
		{"≤ fails", OpLE, wan("4.30"), wan("4.20"), tolerance{}, fails},
		{"≥ holds", OpGE, wan("5"), wan("4.99"), tolerance{}, holds},
		{"fixed tolerance 0.5万元", OpEq, wan("100.00"), wan("100.22"), fixed, rounding},
		{"fixed tolerance 0.5万元 exceeded", OpEq, wan("100.00"), wan("100.60"), fixed, fails},
		{"counts are exact", OpLE, amount{fen: 17}, amount{fen: 16}, tolerance{}, fails},
	}
	for _, tt := range tests {
		if got, _, _ := compare(tt.op, tt.l, tt.r, tt.tol); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestCheckRate: a stated percentage is recomputed from the printed
// figures and rounded half-up; a difference the rounding of the figures
// explains (±0.01 percentage points beyond their range) is a note.
func TestCheckRate(t *testing.T) {
	pct := func(s string) fiscal.Decimal {
		d, err := fiscal.ParseDecimal(s, 4)
		if err != nil {
			panic(err)
		}
		return d
	}
	derived := func(cur, ch string) amount { return wan(cur).add(wan(ch), true) }
	tol := defaultPercent
	tests := []struct {
		name     string
		stated   string
		num, den amount
		rec      string
		want     verdict
	}{
		{"seed income: −168.97 ÷ 3135.21", "-5.43", wan("-168.97"), derived("2966.24", "-168.97"), "-5.39", fails},
		{"seed expenditure: −168.97 ÷ 3113.21", "-5.43", wan("-168.97"), derived("2944.24", "-168.97"), "-5.43", holds},
		{"seed 三公: −4 ÷ 9", "-44.44", wan("-4"), derived("5", "-4"), "-44.44", holds},
		{"seed 机关运行经费: −0.39 ÷ 51.62", "-0.76", wan("-0.39"), derived("51.23", "-0.39"), "-0.76", holds},
		{"half-up: 1/8 = 12.5%", "12.5", wan("1"), wan("8"), "12.5", holds},
		{"small base, rounded figures explain it", "600.00", wan("3.61"), wan("0.60"), "601.67", rounding},
		{"one hundredth off", "1.74", wan("129.11"), wan("7389.63"), "1.75", rounding},
		{"base may be zero", "100", wan("0.01"), wan("0.00"), "", rounding},
		{"coverage 16/16", "100", amount{fen: 16}, amount{fen: 16}, "100", holds},
		{"coverage 90 stated", "90", amount{fen: 16}, amount{fen: 16}, "100", fails},
	}
	for _, tt := range tests {
		if tt.den.fen == 0 {
			if _, _, ok := rateRange(tt.num, tt.den); ok {
				t.Errorf("%s: a zero base has a range", tt.name)
			}
			continue
		}
		rc := checkRate(pct(tt.stated), tt.num, tt.den, tol)
		rec, got := rc.rec, rc.v
		if got != tt.want || rec.String() != tt.rec {
			t.Errorf("%s: got %s %d, want %s %d", tt.name, rec, got, tt.rec, tt.want)
		}
	}
}

func TestExact(t *testing.T) {
	tests := []struct {
		num, den int64
		min      int
		want     string
	}{
		{2966240000, 1_000_000, 2, "2966.24"},
		{171006200, 1_000_000, 2, "171.0062"},
		{-2200000, 100_000, 2, "-22.00"},
		{5, 200, 2, "0.025"},
		{0, 100, 2, "0.00"},
	}
	for _, tt := range tests {
		if got := exact(tt.num, tt.den, tt.min); got != tt.want {
			t.Errorf("exact(%d, %d, %d) = %s, want %s", tt.num, tt.den, tt.min, got, tt.want)
		}
	}
}
