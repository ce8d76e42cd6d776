package fiscal

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Unit is the unit a disclosure or a table writes its amounts in.
type Unit uint8

const (
	// Yuan is 元, written with up to 2 decimals (分).
	Yuan Unit = iota + 1
	// Wanyuan is 万元, written with up to 2 decimals (百元).
	Wanyuan
	// Yiyuan is 亿元, used for chart axes of large totals.
	Yiyuan
)

// ParseUnit returns the unit named s (元, 万元, 亿元).
func ParseUnit(s string) (Unit, bool) {
	switch strings.TrimSpace(s) {
	case "元":
		return Yuan, true
	case "万元":
		return Wanyuan, true
	case "亿元":
		return Yiyuan, true
	}
	return 0, false
}

// String returns the unit's Chinese name.
func (u Unit) String() string {
	switch u {
	case Yuan:
		return "元"
	case Wanyuan:
		return "万元"
	case Yiyuan:
		return "亿元"
	}
	return "?"
}

// Fen is the number of 分 in one unit.
func (u Unit) Fen() int64 {
	switch u {
	case Yuan:
		return 100
	case Wanyuan:
		return 1_000_000
	case Yiyuan:
		return 10_000_000_000
	}
	return 1
}

// Places is the number of decimals a figure in this unit may carry: 2, the
// published precision (0.01元, 0.01万元).
func (u Unit) Places() int { return 2 }

// Figure is an amount of money as it was written: its exact value in 分 and
// the number of decimals the document printed, so prose can show 2394万元
// where the document did, and 2966.24万元 where it did.
type Figure struct {
	Fen    int64
	Places int
}

// Errors of ParseFigure. They are wrapped with details; test with errors.Is.
var (
	ErrNotNumber     = errors.New("不是数字")
	ErrTooManyPlaces = errors.New("小数位数过多")
	ErrOutOfRange    = errors.New("金额超出范围")
)

// ParseFigure reads the decimal literal s as an amount in unit u, exactly:
// no float64 is involved. s may carry a sign, '_' (TOML) or ',' (as printed)
// digit separators; it may not carry an exponent. More decimals than the unit
// allows is ErrTooManyPlaces, naming the places allowed.
func ParseFigure(s string, u Unit) (Figure, error) {
	orig := s
	neg, intPart, frac, err := splitNumber(strings.TrimSpace(s))
	if err != nil {
		return Figure{}, fmt.Errorf("%q %w", orig, err)
	}
	if len(frac) > u.Places() {
		// Trailing zeros beyond the unit's precision are still more places
		// than a published figure has: the editor typed something else.
		return Figure{}, fmt.Errorf("%q 有 %d 位小数，单位为%s的金额最多 %d 位：%w", orig, len(frac), u, u.Places(), ErrTooManyPlaces)
	}
	whole, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil {
		return Figure{}, fmt.Errorf("%q %w", orig, ErrOutOfRange)
	}
	places := len(frac)
	fracVal := int64(0)
	if frac != "" {
		fracVal, _ = strconv.ParseInt(frac, 10, 64)
	}
	scale := u.Fen()
	fracScale := scale / pow10(places)
	if whole > (1<<62)/scale {
		return Figure{}, fmt.Errorf("%q %w", orig, ErrOutOfRange)
	}
	fen := whole*scale + fracVal*fracScale
	if neg {
		fen = -fen
	}
	return Figure{Fen: fen, Places: places}, nil
}

// splitNumber splits a decimal literal (an optional sign, digits with '_'
// or ',' separators, an optional '.' and digits) into its sign and its
// digits before and after the point, separators removed: what ParseFigure
// and ParseDecimal read alike. The error is ErrGrouping or ErrNotNumber.
func splitNumber(s string) (neg bool, intPart, frac string, err error) {
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if !thousands(intPart) {
		// 16,77 is not 1677: a comma off its place is a typo to show.
		return false, "", "", ErrGrouping
	}
	intPart = digitSeparators.Replace(intPart)
	frac = strings.ReplaceAll(frac, "_", "")
	if intPart == "" || (hasDot && frac == "") || !allDigits(intPart) || !allDigits(frac) {
		return false, "", "", ErrNotNumber
	}
	return neg, intPart, frac, nil
}

// thousands reports whether the commas of the integer part s, if any,
// group its digits by three from the right: 1,677 and 371,514,655, not
// 16,77 or 1,6770. Text that is no number (1,677元, 约1,677) is not
// judged here: splitNumber says it is not one.
func thousands(s string) bool {
	if !strings.Contains(s, ",") || strings.Trim(s, "0123456789_,") != "" {
		return true
	}
	groups := strings.Split(s, ",")
	for i, g := range groups {
		if !allDigits(g) || g == "" || len(g) > 3 || i > 0 && len(g) != 3 {
			return false
		}
	}
	return true
}

// ErrGrouping is ErrNotNumber for digits whose commas are off their
// places (16,77).
var ErrGrouping = fmt.Errorf("千位分隔符位置不对，%w", ErrNotNumber)

// digitSeparators are the separators a number may carry: '_' (TOML) and
// ',' (as printed).
var digitSeparators = strings.NewReplacer("_", "", ",", "")

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// FormatAmount formats fen in unit u with the given number of decimals and
// thousands separators, as tables print figures: 2,966.24; -168.97; 0.00.
// Rounding, where the unit is coarser than the value, is half away from zero.
// This is the one formatter for table cells.
func FormatAmount(fen int64, u Unit, places int) string {
	return group(decimal(fen, u.Fen(), places))
}

// FormatPlain formats fen in unit u with the given decimals and no separators,
// as prose and CSV write figures: 2966.24, 2394.
func FormatPlain(fen int64, u Unit, places int) string {
	return decimal(fen, u.Fen(), places)
}

// Prose returns the figure as the document wrote it, with its unit:
// 2966.24万元, 2394万元, -168.97万元.
func (f Figure) Prose(u Unit) string {
	return decimal(f.Fen, u.Fen(), f.Places) + u.String()
}

// decimal renders num/den with places decimals, rounding half away from zero.
func decimal(num, den int64, places int) string {
	// Every table cell, CSV cell and chart label comes here: do the usual
	// case in int64, where num×10^places cannot overflow; decimalBig is
	// the reference (TestDecimalFast holds the two together).
	q, ok := scaledQuo(num, pow10(places), den)
	if !ok {
		return decimalBig(big.NewInt(num), den, places)
	}
	var buf [24]byte
	digits := strconv.AppendInt(buf[:0], q, 10)
	for len(digits) <= places {
		digits = append([]byte{'0'}, digits...)
	}
	var b strings.Builder
	if num < 0 && q != 0 {
		b.WriteByte('-')
	}
	if places == 0 {
		b.Write(digits)
		return b.String()
	}
	b.Write(digits[:len(digits)-places])
	b.WriteByte('.')
	b.Write(digits[len(digits)-places:])
	return b.String()
}

func absInt(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// FormatCount formats a whole number with thousands separators: 1,234.
func FormatCount(v int64) string { return group(strconv.FormatInt(v, 10)) }

// group puts thousands separators into the whole part of a number as
// written.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasDot {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Decimal is an exact decimal number as written, such as a stated percentage
// (-5.43 means −5.43%): the value is V / 10^Places.
type Decimal struct {
	V      int64
	Places int
}

// ParseDecimal reads a decimal literal exactly, allowing up to maxPlaces
// decimals; '_' separators, ',' separators in their places (else
// ErrGrouping) and a trailing '%' are ignored.
func ParseDecimal(s string, maxPlaces int) (Decimal, error) {
	orig := s
	neg, intPart, frac, err := splitNumber(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if err != nil {
		return Decimal{}, fmt.Errorf("%q %w", orig, err)
	}
	if len(frac) > maxPlaces {
		return Decimal{}, fmt.Errorf("%q 有 %d 位小数，最多 %d 位：%w", orig, len(frac), maxPlaces, ErrTooManyPlaces)
	}
	v, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil || len(intPart) > 12 {
		return Decimal{}, fmt.Errorf("%q %w", orig, ErrOutOfRange)
	}
	if neg {
		v = -v
	}
	return Decimal{V: v, Places: len(frac)}, nil
}

// String formats d with exactly its places: -5.43, 100, 44.40.
func (d Decimal) String() string { return decimal(d.V, pow10(d.Places), d.Places) }

// Rescale returns d with the given places, rounding half away from zero.
func (d Decimal) Rescale(places int) Decimal {
	if places >= d.Places {
		return Decimal{V: d.V * pow10(places-d.Places), Places: places}
	}
	s := decimal(d.V, pow10(d.Places-places), 0)
	v, _ := strconv.ParseInt(s, 10, 64)
	return Decimal{V: v, Places: places}
}

// Cmp compares d and e by value.
func (d Decimal) Cmp(e Decimal) int {
	p := max(d.Places, e.Places)
	a, b := d.Rescale(p).V, e.Rescale(p).V
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Percent returns num/den as a percentage with the given decimals, rounded
// half away from zero as documents round (−5.395% → −5.40%). ok is false when
// den is zero: no rate exists against nothing (上年无此项).
func Percent(num, den int64, places int) (d Decimal, ok bool) {
	if den == 0 {
		return Decimal{}, false
	}
	if den < 0 {
		num, den = -num, -den
	}
	// Charts describe every bar's share: do the usual case in int64, as
	// decimal does; percentBig is the reference (TestPercentFast).
	if places <= 16 {
		if q, ok := scaledQuo(num, 100*pow10(places), den); ok {
			if num < 0 {
				q = -q
			}
			return Decimal{V: q, Places: places}, true
		}
	}
	return percentBig(num, den, places), true
}

// scaledQuo returns |num|×mul÷den rounded half away from zero, in int64,
// and false where that cannot be done (den or mul not positive, num the
// one int64 without a positive twin, |num|×mul past int64): the callers'
// math/big paths take those.
func scaledQuo(num, mul, den int64) (int64, bool) {
	if den <= 0 || mul <= 0 || num == math.MinInt64 || absInt(num) > math.MaxInt64/mul {
		return 0, false
	}
	n := absInt(num) * mul
	q, r := n/den, n%den
	if r >= den-r { // 2r >= den, without overflow
		q++
	}
	return q, true
}

// percentBig is Percent for any num and den != 0 (den made positive, but
// for math.MinInt64).
func percentBig(num, den int64, places int) Decimal {
	n := new(big.Int).Mul(big.NewInt(num), big.NewInt(100))
	s := decimalBig(n, den, places)
	v, _ := strconv.ParseInt(strings.Replace(s, ".", "", 1), 10, 64)
	return Decimal{V: v, Places: places}
}

// decimalBig renders n/den (den > 0) with places decimals, rounding half away
// from zero; a result that rounds to zero has no sign.
func decimalBig(n *big.Int, den int64, places int) string {
	neg := n.Sign() < 0
	n = new(big.Int).Abs(n)
	n.Mul(n, big.NewInt(pow10(places)))
	d := big.NewInt(den)
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	if r.Lsh(r, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	s := q.String()
	if neg && q.Sign() != 0 {
		s = "-" + s
	}
	if places > 0 {
		digits := strings.TrimPrefix(s, "-")
		for len(digits) <= places {
			digits = "0" + digits
		}
		s = strings.TrimSuffix(s, strings.TrimPrefix(s, "-")) + digits[:len(digits)-places] + "." + digits[len(digits)-places:]
	}
	return s
}
