package chart

import (
	"strings"
	"unicode/utf8"
)

// emWidth is the estimated advance of r in thousandths of an em: an upper
// bound over the fonts the theme names (system-ui, PingFang SC, Microsoft
// YaHei, Noto Sans CJK SC, DejaVu Sans). Everything outside ASCII counts as
// a full em: CJK ideographs, full-width punctuation, “”, …, ▲ and ▼ are
// square in Chinese fonts, and overestimating only costs room.
func emWidth(r rune) int {
	if r >= utf8.RuneSelf {
		return 1000
	}
	switch {
	case r >= '0' && r <= '9':
		return 640
	case r == 'm' || r == 'w' || r == 'M' || r == 'W' || r == '%' || r == '@':
		return 1000
	case r == 'i' || r == 'j' || r == 'l' || r == '.' || r == ',' || r == ':' || r == ';' ||
		r == '!' || r == '|' || r == '\'' || r == ' ':
		return 340
	case r == '(' || r == ')' || r == '[' || r == ']' || r == '-' || r == 'f' || r == 't' || r == 'r':
		return 450
	case r >= 'a' && r <= 'z':
		return 600
	case r >= 'A' && r <= 'Z':
		return 750
	}
	return 700
}

// textWidth estimates the width of s at font size size, rounded up to a
// tenth of a unit.
func textWidth(s string, size int) px {
	milli := 0
	for _, r := range s {
		milli += emWidth(r)
	}
	// milli/1000 em × size units × 10 tenths.
	return px((milli*size + 99) / 100)
}

// Runes that may not start a line (closing punctuation) and may not end one
// (opening punctuation), as Chinese typesetting requires.
const (
	noStart = "，。、；：？！）》」』】〕〉”’%,.;:?!)]}…·"
	noEnd   = "（《「『【〔〈“‘([{"
)

// tokens splits s into the units a line break may fall between: a run of
// ASCII letters and digits (a word, a number, a code) stays whole; any other
// character is a unit of its own, glued to its neighbour where punctuation
// rules forbid a break.
func tokens(s string) []string {
	var toks []string
	glue := false // the next token joins the previous one
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		j := i + n
		if isWordRune(r) {
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
		}
		tok := s[i:j]
		switch {
		case len(toks) > 0 && (glue || strings.ContainsRune(noStart, r)):
			toks[len(toks)-1] += tok
		default:
			toks = append(toks, tok)
		}
		glue = strings.ContainsRune(noEnd, r)
		i = j
	}
	return toks
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '.' || r == '_')
}

// wrap breaks s into at most maxLines lines no wider than width at font
// size size. cut reports whether text was left out; the last line then
// ends in “…”. A token wider than a line is broken between characters.
func wrap(s string, width px, size int, maxLines int) (lines []string, cut bool) {
	s = strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
	if s == "" {
		return nil, false
	}
	var line strings.Builder
	flush := func() {
		lines = append(lines, strings.TrimSpace(line.String()))
		line.Reset()
	}
	toks := tokens(s)
	for ti := 0; ti < len(toks); ti++ {
		tok := toks[ti]
		if textWidth(line.String()+tok, size) <= width {
			line.WriteString(tok)
			continue
		}
		if line.Len() > 0 && textWidth(tok, size) <= width {
			flush()
			if len(lines) == maxLines {
				return truncate(lines, width, size), true
			}
			line.WriteString(strings.TrimLeft(tok, " "))
			continue
		}
		// The token alone is wider than a line: break it by characters.
		for _, r := range tok {
			if textWidth(line.String()+string(r), size) > width && line.Len() > 0 {
				flush()
				if len(lines) == maxLines {
					return truncate(lines, width, size), true
				}
			}
			line.WriteRune(r)
		}
	}
	if line.Len() > 0 {
		flush()
	}
	if len(lines) > maxLines {
		return truncate(lines[:maxLines], width, size), true
	}
	return lines, false
}

// truncate ends the last line with “…”, dropping characters until it fits.
func truncate(lines []string, width px, size int) []string {
	last := []rune(lines[len(lines)-1])
	for len(last) > 0 && textWidth(string(last)+"…", size) > width {
		last = last[:len(last)-1]
	}
	lines[len(lines)-1] = strings.TrimSpace(string(last)) + "…"
	return lines
}

// fit shortens s to fit width at size, ending in “…” if it had to cut.
func fit(s string, width px, size int) (string, bool) {
	lines, cut := wrap(s, width, size, 1)
	if len(lines) == 0 {
		return "", cut
	}
	return lines[0], cut
}

// Text boxes, for layout: a line of text at font size f occupies from
// ascent above its baseline to descent below it.
func ascent(size int) px   { return px(size * 9) }  // 0.9 em
func descent(size int) px  { return px(size * 3) }  // 0.3 em
func lineStep(size int) px { return px(size * 13) } // 1.3 em
