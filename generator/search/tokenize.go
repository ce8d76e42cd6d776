package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Kind is the kind of a token.
type Kind uint8

// Token kinds.
const (
	// Han is one CJK character (a unigram).
	Han Kind = iota + 1
	// Bigram is two consecutive CJK characters of a run.
	Bigram
	// Number is a number or a code in canonical form: digits, and a decimal
	// part without trailing zeros (2,966.20 → 2966.2; 100.00 → 100).
	Number
	// Word is a run of letters and digits that is not a number, lower-cased.
	Word
)

func (k Kind) String() string {
	switch k {
	case Han:
		return "han"
	case Bigram:
		return "bigram"
	case Number:
		return "number"
	case Word:
		return "word"
	}
	return "?"
}

// Token is one search token of a text.
type Token struct {
	Text string
	Kind Kind
	// Pos is the token's position: every CJK character and every number or
	// word takes one position, and a break (white space, or punctuation
	// that is not inside a CJK run) leaves one position empty, so tokens are
	// adjacent exactly when the text has them side by side. A bigram has
	// the position of its first character.
	Pos int
	// Unit is set on a Number that the text follows directly with a money
	// unit: 元, 万元 or 亿元 (2966.24万元).
	Unit string
	// Start and End are the byte offsets in the input of the text the
	// token was made from.
	Start, End int
}

// Tokenize splits s into search tokens. It is the one tokenizer of the
// index and of queries: static/js/search.js implements the same rules, and
// a browser test checks the two agree.
//
// The rules, in order:
//
//  1. The text is normalised to NFKC, so full-width letters, digits and
//     punctuation become their ordinary forms (２０２４ → 2024, ＧＤＰ → GDP,
//     ， → ,), then lower-cased code point by code point (simple case
//     mapping: no context, so Σ is always σ).
//  2. A CJK run is a sequence of CJK characters (Han ideographs, 々, 〇,
//     kana, Hangul syllables) in which punctuation without white space does
//     not break the run: “三公”经费 is the run 三公经费, 因公出国（境）费 is
//     因公出国境费. A run gives every character as a Han token and every pair
//     of neighbours as a Bigram token.
//  3. A run of letters and digits (with '.' and ',' allowed between two
//     digits) is a Number when it holds only ASCII digits and separators
//     that make a number: commas grouping thousands before an optional
//     decimal point (2,966.24 and 2966.24 are both 2966.24). Digits with
//     other separators are several numbers (2019.12.31 is 2019, 12, 31). A
//     run with letters is split at its separators into words and numbers.
//  4. Anything else (white space, punctuation outside a CJK run, symbols)
//     is a break.
func Tokenize(s string) []Token {
	var t tokenizer
	return t.tokenize(nil, s)
}

// class is the class of a normalised code point.
type class uint8

const (
	cBreak  class = iota // white space: always a break
	cPunct               // punctuation and symbols: a break, except inside a CJK run
	cHan                 // CJK characters
	cDigit               // ASCII digits
	cLetter              // other letters, digits and marks
)

// IsCJK reports whether r is a character of a CJK run. The ranges are
// spelled out (not unicode.Han) so that Go and JavaScript agree whatever
// their Unicode versions.
func IsCJK(r rune) bool {
	switch {
	case r == 0x3005 || r == 0x3007: // 々 〇
		return true
	case r >= 0x3041 && r <= 0x3096, r >= 0x309d && r <= 0x309f: // hiragana
		return true
	case r >= 0x30a1 && r <= 0x30fa, r >= 0x30fc && r <= 0x30ff: // katakana, not ・
		return true
	case r >= 0x3400 && r <= 0x4dbf, r >= 0x4e00 && r <= 0x9fff: // CJK ext. A, unified
		return true
	case r >= 0xac00 && r <= 0xd7a3: // Hangul syllables
		return true
	case r >= 0xf900 && r <= 0xfaff: // compatibility ideographs
		return true
	case r >= 0x20000 && r <= 0x3ffff: // ext. B and later
		return true
	}
	return false
}

// isSpace is the white space that breaks even a CJK run. NFKC has already
// turned the ideographic space and no-break spaces into ' '.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x85, 0x1680, 0x2028, 0x2029, 0xfeff:
		return true
	}
	return false
}

func classOf(r rune) class {
	switch {
	case r >= '0' && r <= '9':
		return cDigit
	case r < 0x80:
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return cLetter
		}
		if isSpace(r) {
			return cBreak
		}
		return cPunct
	case IsCJK(r):
		return cHan
	case isSpace(r):
		return cBreak
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		return cLetter
	}
	return cPunct
}

// lower is the simple lower-case mapping of one code point.
func lower(r rune) rune {
	if r < 0x80 {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	if r >= noCaseFrom && r < noCaseTo {
		return r // CJK: most of a page, and unicode.ToLower searches tables
	}
	return unicode.ToLower(r)
}

// noCaseFrom and noCaseTo bound code points that have no case: from the
// CJK Radicals Supplement up to Cyrillic Extended-B, which has
// (TestLowerNoCase).
const noCaseFrom, noCaseTo = 0x2E80, 0xA640

// tokenizer holds the buffers of one tokenization, so an indexer can reuse
// them from text to text.
type tokenizer struct {
	runes []rune
	cls   []class
	start []int32 // byte offset in the input where the rune's segment starts
	end   []int32 // and ends
	buf   []byte
	seg   []byte
	idx   []int
	raw   []rawTok
}

// normalize fills the rune buffers with NFKC(s), lower-cased, each rune
// with the input range its normalisation segment came from.
func (t *tokenizer) normalize(s string) {
	t.runes, t.cls, t.start, t.end = t.runes[:0], t.cls[:0], t.start[:0], t.end[:0]
	add := func(r rune, a, b int) {
		r = lower(r)
		t.runes = append(t.runes, r)
		t.cls = append(t.cls, classOf(r))
		t.start = append(t.start, int32(a))
		t.end = append(t.end, int32(b))
	}
	// Fast path: characters whose NFKC form is one known character and
	// that do not combine with the one before; the slow path takes the
	// rest, and a character followed by one that may combine with it.
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if m, ok := simpleNFKC(r); ok && r != utf8.RuneError {
			next := i + size
			if next >= len(s) || s[next] < 0x80 || startsSimple(s[next:]) {
				add(m, i, next)
				i = next
				continue
			}
		}
		// Slow path: normalise one segment with x/text. A segment whose
		// normal form is long (ﬁ → fi) comes in several pieces, the input
		// position moving only with the last.
		var it norm.Iter
		it.InitString(norm.NFKC, s[i:])
		t.seg = t.seg[:0]
		for !it.Done() {
			t.seg = append(t.seg, it.Next()...)
			if it.Pos() > 0 {
				break
			}
		}
		n := it.Pos()
		if n == 0 { // cannot happen; never loop for ever
			n = size
		}
		for _, r := range string(t.seg) {
			add(r, i, i+n)
		}
		i += n
	}
}

// simpleNFKC returns the NFKC form of r when it is one character that
// needs no table: ASCII, CJK ideographs, CJK punctuation and the full-width
// forms of ASCII, which are the bulk of Chinese text.
func simpleNFKC(r rune) (rune, bool) {
	switch {
	case r < 0x80, r >= 0x4e00 && r <= 0x9fff:
		return r, true
	case r >= 0xff01 && r <= 0xff5e: // full-width ASCII
		return r - 0xfee0, true
	case r == 0x3000: // ideographic space
		return ' ', true
	case r >= 0x3001 && r <= 0x3029, r >= 0x3030 && r <= 0x3035, r == 0x3037, r >= 0x303b && r <= 0x303f:
		// CJK punctuation, not the combining tone marks 302A–302F.
		return r, true
	case r == 0x2010, r >= 0x2012 && r <= 0x2016, r >= 0x2018 && r <= 0x2023, r == 0x2027: // dashes, quotes
		return r, true
	}
	return 0, false
}

// startsSimple reports whether s starts with a character simpleNFKC maps,
// which no NFKC composition takes as its second part.
func startsSimple(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	_, ok := simpleNFKC(r)
	return ok
}

// rawTok is a token as the tokenizer finds it: a CJK token is its runes
// (no string is made for it), a number or word its text.
type rawTok struct {
	kind       Kind
	pos        int32
	a, b       rune   // Han: a; Bigram: a, b
	text       string // Number, Word
	unit       string
	start, end int32
}

// Text returns the token's text.
func (r *rawTok) Text() string {
	switch r.kind {
	case Han:
		return string(r.a)
	case Bigram:
		return string([]rune{r.a, r.b})
	}
	return r.text
}

// tokenize appends the tokens of s to dst.
func (t *tokenizer) tokenize(dst []Token, s string) []Token {
	t.raw = t.scan(t.raw[:0], s)
	for i := range t.raw {
		r := &t.raw[i]
		dst = append(dst, Token{Text: r.Text(), Kind: r.kind, Pos: int(r.pos), Unit: r.unit, Start: int(r.start), End: int(r.end)})
	}
	return dst
}

// scan appends the raw tokens of s to dst.
func (t *tokenizer) scan(dst []rawTok, s string) []rawTok {
	t.normalize(s)
	rs, cls := t.runes, t.cls
	n := len(rs)
	next := int32(0) // the position of the next unit if it is adjacent
	gap := false     // a break since the last unit
	any := false     // a unit was placed
	numLast := -1    // index in dst of a Number that ends right before i, or -1
	// place returns the position of the next unit, width positions wide.
	place := func(width int) int32 {
		if gap && any {
			next++
		}
		gap, any = false, true
		p := next
		next += int32(width)
		return p
	}
	i := 0
	for i < n {
		switch cls[i] {
		case cHan:
			// Collect the run: CJK characters, with punctuation between two
			// of them skipped.
			idx := append(t.idx[:0], i)
			k := i + 1
			for k < n {
				if cls[k] == cHan {
					idx = append(idx, k)
					k++
					continue
				}
				if cls[k] != cPunct {
					break
				}
				m := k
				for m < n && cls[m] == cPunct {
					m++
				}
				if m < n && cls[m] == cHan {
					k = m
					continue
				}
				break
			}
			t.idx = idx
			if numLast >= 0 && !gap {
				dst[numLast].unit = unitAt(rs, idx)
			}
			p := place(len(idx))
			for j, ri := range idx {
				dst = append(dst, rawTok{kind: Han, pos: p + int32(j), a: rs[ri], start: t.start[ri], end: t.end[ri]})
				if j+1 < len(idx) {
					rj := idx[j+1]
					dst = append(dst, rawTok{kind: Bigram, pos: p + int32(j), a: rs[ri], b: rs[rj], start: t.start[ri], end: t.end[rj]})
				}
			}
			numLast = -1
			i = idx[len(idx)-1] + 1
		case cDigit, cLetter:
			k := i
			for k < n {
				c := cls[k]
				if c == cDigit || c == cLetter {
					k++
					continue
				}
				if (rs[k] == '.' || rs[k] == ',') && k > i && cls[k-1] == cDigit && k+1 < n && cls[k+1] == cDigit {
					k++
					continue
				}
				break
			}
			dst, numLast = t.alnum(dst, i, k, place, &gap)
			i = k
		default:
			gap = true
			numLast = -1
			i++
		}
	}
	return dst
}

// unitAt returns the money unit a CJK run starts with: 元, 万元 or 亿元.
func unitAt(rs []rune, idx []int) string {
	first := rs[idx[0]]
	switch {
	case first == '元':
		return "元"
	case first == '万' && len(idx) > 1 && rs[idx[1]] == '元':
		return "万元"
	case first == '亿' && len(idx) > 1 && rs[idx[1]] == '元':
		return "亿元"
	}
	return ""
}

// alnum emits the tokens of the letter-and-digit run rs[i:k]. It returns
// the index in dst of the Number the run ends with, or -1.
func (t *tokenizer) alnum(dst []rawTok, i, k int, place func(int) int32, gap *bool) ([]rawTok, int) {
	rs, cls := t.runes, t.cls
	letters := false
	for j := i; j < k; j++ {
		letters = letters || cls[j] == cLetter
	}
	if !letters {
		if canon, ok := t.number(i, k); ok {
			dst = append(dst, rawTok{kind: Number, text: canon, pos: place(1), start: t.start[i], end: t.end[k-1]})
			return dst, len(dst) - 1
		}
	}
	// Split at the separators: each piece is a number or a word.
	last := -1
	for j := i; j < k; {
		if rs[j] == '.' || rs[j] == ',' {
			*gap = true
			j++
			continue
		}
		e := j
		digits := true
		for e < k && rs[e] != '.' && rs[e] != ',' {
			digits = digits && cls[e] == cDigit
			e++
		}
		kind := Word
		if digits {
			kind = Number
		}
		dst = append(dst, rawTok{kind: kind, text: string(rs[j:e]), pos: place(1), start: t.start[j], end: t.end[e-1]})
		last = -1
		if kind == Number {
			last = len(dst) - 1
		}
		j = e
	}
	return dst, last
}

// number returns the canonical form of the digits and separators rs[i:k]
// if they make one number: commas grouping thousands (1-3 digits, then
// groups of 3) before an optional decimal point with digits after it.
func (t *tokenizer) number(i, k int) (string, bool) {
	rs := t.runes
	b := t.buf[:0]
	dot := -1
	group := -1 // digits since the last comma, or -1 before any comma
	lead := 0   // digits before the first comma
	for j := i; j < k; j++ {
		switch r := rs[j]; r {
		case ',':
			if dot >= 0 || (group >= 0 && group != 3) || (group < 0 && lead > 3) {
				return "", false
			}
			group = 0
		case '.':
			if dot >= 0 || (group >= 0 && group != 3) {
				return "", false
			}
			dot = len(b)
			b = append(b, '.')
		default:
			if dot < 0 {
				if group >= 0 {
					group++
				} else {
					lead++
				}
			}
			b = append(b, byte(r))
		}
	}
	if dot < 0 && group >= 0 && group != 3 {
		return "", false
	}
	if dot >= 0 {
		for len(b) > 0 && b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
		if b[len(b)-1] == '.' {
			b = b[:len(b)-1]
		}
	}
	t.buf = b
	return string(b), true
}

// Canonical returns the canonical form of a number as Tokenize gives it,
// and whether s is one number.
func Canonical(s string) (string, bool) {
	toks := Tokenize(s)
	if len(toks) != 1 || toks[0].Kind != Number {
		return "", false
	}
	return toks[0].Text, true
}

// Normalize returns s as the tokenizer sees it: NFKC, lower-cased code
// point by code point.
func Normalize(s string) string {
	var t tokenizer
	t.normalize(s)
	var b strings.Builder
	for _, r := range t.runes {
		b.WriteRune(r)
	}
	return b.String()
}
