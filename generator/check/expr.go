package check

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/disclose/disclose/generator/fiscal"
)

// The relations of the rule files are written in a small language:
//
//	relation = side op side
//	op       = "=" | "<=" | ">=" | "≤" | "≥"
//	side     = ["-"] term { ("+" | "-") term }
//	term     = ref | "(" side { "|" side } ")"
//	ref      = [ qualifier ":" ] path [ "?" ]
//	path     = kind [ "." part ] "." row "." column   (relations over a disclosure)
//	         | column                                 (each = "row": a column of the row)
//
// A qualifier names another disclosure of the same body: prev (the previous
// year's disclosure of the same kind) or budget (the budget of the same year,
// for a final account). A row is a row id the table kind knows (total,
// basic …), a classification code, or {code} (each = "code": every code the
// tables list). A column may be * (every money column both sides publish).
// "(a | b + c)" takes the first alternative the disclosure publishes; a ref
// ending in ? may be missing without making its side unknown.

// Op is a comparison.
type Op uint8

const (
	OpEq Op = iota // =
	OpLE           // ≤
	OpGE           // ≥
)

func (o Op) String() string { return [...]string{"=", "≤", "≥"}[o] }

// Expr is one parsed relation.
type Expr struct {
	Left, Right Side
	Op          Op
	Text        string

	// compiled
	count bool     // the figures are counts, not money
	wild  bool     // a ref names the column *
	needs []string // table kinds of this disclosure it cannot be judged without
}

// Side is a signed sum of terms.
type Side []Term

// Term is a reference or a choice of alternatives.
type Term struct {
	Neg  bool
	Ref  *Ref
	Alts []Side // set when Ref is nil
}

// Ref names one figure.
type Ref struct {
	Qual     string   // "", "prev" or "budget"
	Path     []string // dot-separated segments
	Optional bool
	Text     string // as written

	// compiled against the catalogue
	qual string
	kind *fiscal.TableKind
	part *fiscal.PartKind
	row  string // a known row id, a code, or {code}; "" for a column of the row
	col  string // a column id, or * for every money column
}

// SyntaxError is a mistake in a relation, at a character offset.
type SyntaxError struct {
	Col int // 1-based, in characters
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("第 %d 个字符处：%s", e.Col, e.Msg) }

// ParseExpr parses one relation.
func ParseExpr(s string) (*Expr, error) {
	p := &exprParser{s: s}
	// An input method's full-width symbols look right and parse as
	// nothing: say which one, as the TOML reader does.
	if i := strings.IndexAny(s, "＝＜＞≦≧（）。．，：＋－＊？｛｝"); i >= 0 {
		p.i = i
		r, _ := utf8.DecodeRuneInString(s[i:])
		return nil, p.errorf("这里用了中文标点“%c”：式子中的符号须是英文半角 = <= >= ( ) . + - * ? : { }", r)
	}
	left, err := p.side()
	if err != nil {
		return nil, err
	}
	p.space()
	var op Op
	switch {
	case p.eat("<=") || p.eat("≤"):
		op = OpLE
	case p.eat(">=") || p.eat("≥"):
		op = OpGE
	case p.eat("="):
		op = OpEq
	default:
		return nil, p.errorf("这里应为比较符号 =、<= 或 >=")
	}
	right, err := p.side()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i < len(p.s) {
		return nil, p.errorf("多余的内容 %q", p.s[p.i:])
	}
	return &Expr{Left: left, Right: right, Op: op, Text: s}, nil
}

type exprParser struct {
	s string
	i int
}

func (p *exprParser) errorf(format string, args ...any) error {
	return &SyntaxError{Col: utf8.RuneCountInString(p.s[:p.i]) + 1, Msg: fmt.Sprintf(format, args...)}
}

func (p *exprParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *exprParser) eat(tok string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *exprParser) side() (Side, error) {
	var out Side
	neg := p.eat("-")
	for {
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		t.Neg = neg
		out = append(out, t)
		switch {
		case p.eat("+"):
			neg = false
		case p.eat("-"):
			neg = true
		default:
			return out, nil
		}
	}
}

func (p *exprParser) term() (Term, error) {
	if p.eat("(") {
		var alts []Side
		for {
			s, err := p.side()
			if err != nil {
				return Term{}, err
			}
			alts = append(alts, s)
			if p.eat(")") {
				return Term{Alts: alts}, nil
			}
			if !p.eat("|") {
				return Term{}, p.errorf("这里应为 | 或 )")
			}
		}
	}
	p.space()
	start := p.i
	for p.i < len(p.s) && isRefByte(p.s[p.i]) {
		p.i++
	}
	text := p.s[start:p.i]
	if text == "" {
		if p.i >= len(p.s) {
			return Term{}, p.errorf("式子不完整：这里应有一个数字的位置，如 budget_summary.income.total.amount")
		}
		return Term{}, p.errorf("这里应为数字的位置（如 budget_summary.income.total.amount），而不是 %q", string([]rune(p.s[p.i:])[0]))
	}
	r := &Ref{Text: text}
	body := text
	if q, rest, ok := strings.Cut(body, ":"); ok {
		if q != "prev" && q != "budget" {
			p.i = start
			return Term{}, p.errorf("未知的限定 %q：只有 prev:（上一年度的同类公开）和 budget:（同年度的预算）", q)
		}
		r.Qual, body = q, rest
	}
	if p.i < len(p.s) && p.s[p.i] == '?' {
		r.Optional = true
		r.Text += "?"
		p.i++
	}
	r.Path = strings.Split(body, ".")
	for _, seg := range r.Path {
		if seg == "" {
			if c, size := utf8.DecodeRuneInString(p.s[p.i:]); size > 0 && c >= utf8.RuneSelf && c != utf8.RuneError {
				// sangong_list.接待.amount: a row by its Chinese name.
				return Term{}, p.errorf("式子中的行、列要写英文编号（行的 id，如 reception，或科目编码），不能写中文名称：这里是 %q", string(c))
			}
			p.i = start
			return Term{}, p.errorf("%q 中有空的一段：各段用一个点隔开", text)
		}
	}
	return Term{Ref: r}, nil
}

func isRefByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '.' || c == '{' || c == '}' || c == '*' || c == ':'
}

// Refs calls f for every reference of the relation, alternatives included.
func (e *Expr) Refs(f func(*Ref)) {
	var side func(Side)
	side = func(s Side) {
		for _, t := range s {
			if t.Ref != nil {
				f(t.Ref)
			}
			for _, a := range t.Alts {
				side(a)
			}
		}
	}
	side(e.Left)
	side(e.Right)
}
