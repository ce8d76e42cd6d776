// Package tomlpos parses TOML into an ordered tree that remembers where every
// key and value was written.
//
// Content errors must name file:line:column and every error of a run must be
// reported, not only the first; github.com/BurntSushi/toml validates syntax
// with positions but stops at the first type error and keeps key positions to
// itself. So [Parse] reads the document into a [Node] tree itself: tables keep
// their keys in source order, every key and value knows its [Pos], and every
// number keeps its literal text, so that money never passes through float64.
// What its strict reader doubts goes to BurntSushi/toml for the verdict (its
// ParseError carries the position) and, if accepted, is read again leniently.
package tomlpos

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// Pos is a position in a source file. Line and Col start at 1; Col counts
// characters (runes), as an editor shows them. The zero Pos means unknown.
type Pos struct {
	Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// IsValid reports whether p names a place in a file.
func (p Pos) IsValid() bool { return p.Line > 0 }

// A DuplicateKeyError reports a key written twice in one table, which some
// versions of BurntSushi/toml let pass.
type DuplicateKeyError struct {
	Key   string
	Pos   Pos // the second time
	First Pos // the first time
}

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("%s: 键 %q 重复（第一次出现在第 %d 行）", e.Pos, e.Key, e.First.Line)
}

// Kind is the TOML type of a [Node].
type Kind uint8

const (
	String Kind = iota
	Integer
	Float
	Bool
	Datetime
	Array
	Table
)

var kindNames = [...]string{"字符串", "整数", "数字", "布尔值", "日期", "数组", "表"}

// String returns the Chinese name of the kind, as editors read it in errors.
func (k Kind) String() string { return kindNames[k] }

// A Node is one TOML value: a scalar, an array or a table.
type Node struct {
	Kind Kind
	// Pos is where the value starts. For a table written with a [header] it
	// is the header; for an implicit table (made by a dotted key or a header
	// path) it is the first key that made it.
	Pos Pos
	// KeyPos is where the key naming this value was written; zero for the
	// root table and for array elements.
	KeyPos Pos
	// Raw is the literal text of a scalar as written, e.g. `2966.24`,
	// `1_000`, `"a\tb"`, `1979-05-27`.
	Raw string
	// Str is the decoded value of a String.
	Str string
	// Keys lists a table's keys in the order they were first written, and
	// Values their values: Values[i] is the value of Keys[i].
	Keys   []string
	Values []*Node
	// index finds a key of a table with more than smallTable keys; a
	// smaller table (a row has a handful) is searched in order, which is
	// faster than a map and spares one for each of a file's thousands of
	// rows.
	index map[string]int
	// Elems holds an array's elements.
	Elems []*Node

	// How a table or array came to be, for the strict reader's rules on
	// defining tables twice (see parser.strict).
	origin origin
	owner  *Node // for a table made by a dotted key: the section it was made in
}

type origin uint8

const (
	fromValue    origin = iota // a value written after =, or an inline table's part
	fromImplicit               // a table a [header] path or a dotted key went through
	fromHeader                 // a table defined by its own [header]
	fromDotted                 // a table defined by a dotted key
	fromInline                 // an inline { } table, closed once written
	fromArrayOf                // an array of tables, made by [[header]]
)

// Get returns the field key of a table, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil {
		return nil
	}
	if n.index != nil {
		if i, ok := n.index[key]; ok {
			return n.Values[i]
		}
		return nil
	}
	for i, k := range n.Keys {
		if k == key {
			return n.Values[i]
		}
	}
	return nil
}

// smallTable is the most keys a table is searched for in order.
const smallTable = 8

// Bool returns the value of a Bool node.
func (n *Node) Bool() bool { return n.Raw == "true" }

// Int returns the value of an Integer node.
func (n *Node) Int() (int64, error) {
	s := strings.ReplaceAll(n.Raw, "_", "")
	base := 10
	neg := false
	switch {
	case strings.HasPrefix(s, "0x"):
		base, s = 16, s[2:]
	case strings.HasPrefix(s, "0o"):
		base, s = 8, s[2:]
	case strings.HasPrefix(s, "0b"):
		base, s = 2, s[2:]
	default:
		if strings.HasPrefix(s, "+") {
			s = s[1:]
		} else if strings.HasPrefix(s, "-") {
			neg, s = true, s[1:]
		}
	}
	u, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return 0, err
	}
	if neg {
		if u > 1<<63 {
			return 0, strconv.ErrRange
		}
		return -int64(u), nil
	}
	if u > 1<<63-1 {
		return 0, strconv.ErrRange
	}
	return int64(u), nil
}

// Parse parses a TOML document. A syntax error is returned as the
// toml.ParseError of github.com/BurntSushi/toml, which carries its position.
//
// Parsing twice is the price of BurntSushi/toml's judgement, so Parse first
// reads the document strictly itself: a document that passes the strict
// reader is valid TOML (a fuzz test holds the strict reader to
// BurntSushi/toml) and is returned at once. Anything the strict reader does
// not accept, including valid TOML it does not bother with (hexadecimal,
// inf, times of day), goes to BurntSushi/toml for its verdict.
func Parse(data []byte) (*Node, error) {
	s := string(data)
	// Skip a byte-order mark as BurntSushi/toml does; it is invisible to
	// editors, so columns count from after it.
	for _, bom := range []string{"\xef\xbb\xbf", "\xff\xfe", "\xfe\xff"} {
		s = strings.TrimPrefix(s, bom)
	}
	if root, err := parseStrict(s); err == nil {
		return root, nil
	} else if _, ok := err.(*DuplicateKeyError); ok {
		return nil, err
	}
	var discard map[string]any
	if _, err := toml.Decode(string(data), &discard); err != nil {
		return nil, err
	}
	p := &parser{s: s, line: 1}
	root := &Node{Kind: Table, Pos: Pos{1, 1}}
	if err := p.document(root); err != nil {
		if _, ok := err.(*DuplicateKeyError); ok {
			return nil, err
		}
		// The document passed BurntSushi/toml, so this is a gap in this
		// reader, not in the content; say so plainly.
		return nil, fmt.Errorf("tomlpos: internal reader error: %w", err)
	}
	return root, nil
}

// parseStrict reads s only if it is plainly valid TOML; any doubt is an
// error, and the caller asks BurntSushi/toml.
func parseStrict(s string) (*Node, error) {
	if !utf8.ValidString(s) {
		return nil, errStrict
	}
	p := &parser{s: s, line: 1, strict: true}
	root := &Node{Kind: Table, Pos: Pos{1, 1}, origin: fromHeader}
	if err := p.document(root); err != nil {
		return nil, err
	}
	return root, nil
}

// errStrict is the strict reader's "not sure": BurntSushi/toml decides.
var errStrict = errors.New("tomlpos: not plainly valid")

type parser struct {
	s         string
	i         int
	line      int
	lineStart int
	// strict makes every doubt an error: control characters, lone CRs,
	// tables defined twice or extended after they were closed, numbers and
	// dates outside the plain forms, newlines in inline tables.
	strict bool
	// nodes is the block new nodes are taken from (see node), keys and
	// values those of tables' first keys (see set).
	nodes  []Node
	keys   []string
	values []*Node
	// col is how many runes of its line come before byte colAt (see pos).
	colAt, col int
}

// nodeBlock is how many nodes the parser allocates at once; firstKeys how
// many keys of each table set places in a shared block.
const (
	nodeBlock = 128
	firstKeys = 4
)

// node returns a new node holding n. Nodes are allocated a block at a
// time: a data.toml has thousands of values, which live and die together.
func (p *parser) node(n Node) *Node {
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]Node, 0, p.block())
	}
	p.nodes = append(p.nodes, n)
	return &p.nodes[len(p.nodes)-1]
}

// block is how many nodes to allocate at once: a value takes some 18 bytes
// of a data.toml, and a front matter of a few lines should not take a block
// of a data.toml's size.
func (p *parser) block() int {
	return min(max(len(p.s)/16, 8), nodeBlock)
}

// pos returns where the parser is. The column counts runes from the last
// position asked on the same line: a row's line has a dozen keys and values.
func (p *parser) pos() Pos {
	if p.colAt < p.lineStart || p.colAt > p.i {
		p.colAt, p.col = p.lineStart, 0
	}
	p.col += utf8.RuneCountInString(p.s[p.colAt:p.i])
	p.colAt = p.i
	return Pos{p.line, p.col + 1}
}

func (p *parser) eof() bool { return p.i >= len(p.s) }

func (p *parser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *parser) newline() {
	p.line++
	p.lineStart = p.i
}

// skipSpace skips spaces and tabs.
func (p *parser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// skipAll skips whitespace, newlines and comments. It reports whether
// they were plainly valid (no control characters, no lone CR).
func (p *parser) skipAll() bool {
	ok := true
	for p.i < len(p.s) {
		switch c := p.s[p.i]; c {
		case ' ', '\t':
			p.i++
		case '\r':
			ok = ok && p.i+1 < len(p.s) && p.s[p.i+1] == '\n'
			p.i++
		case '\n':
			p.i++
			p.newline()
		case '#':
			ok = p.skipComment() && ok
		default:
			return ok
		}
	}
	return ok
}

// skipComment skips a comment to the end of its line and reports whether it
// holds no control character but tab.
func (p *parser) skipComment() bool {
	ok := true
	for p.i < len(p.s) && p.s[p.i] != '\n' {
		if c := p.s[p.i]; (c < 0x20 && c != '\t' && !(c == '\r' && p.i+1 < len(p.s) && p.s[p.i+1] == '\n')) || c == 0x7f {
			ok = false
		}
		p.i++
	}
	return ok
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: %s", p.pos(), fmt.Sprintf(format, args...))
}

func (p *parser) document(root *Node) error {
	cur := root
	for {
		if !p.skipAll() && p.strict {
			return errStrict
		}
		if p.eof() {
			return nil
		}
		if p.peek() == '[' {
			start := p.pos()
			array := strings.HasPrefix(p.s[p.i:], "[[")
			if array {
				p.i += 2
			} else {
				p.i++
			}
			p.skipSpace()
			var kb [4]string
			var pb [4]Pos
			keys, poss, err := p.key(kb[:0], pb[:0])
			if err != nil {
				return err
			}
			p.skipSpace()
			if array {
				if !strings.HasPrefix(p.s[p.i:], "]]") {
					return p.errorf("want ]]")
				}
				p.i += 2
			} else {
				if p.peek() != ']' {
					return p.errorf("want ]")
				}
				p.i++
			}
			parent, err := p.walk(root, keys[:len(keys)-1], poss[:len(poss)-1], nil)
			if err != nil {
				return err
			}
			last := keys[len(keys)-1]
			if array {
				arr := parent.Get(last)
				if arr == nil {
					arr = p.node(Node{Kind: Array, Pos: start, KeyPos: poss[len(poss)-1], origin: fromArrayOf})
					p.set(parent, last, arr)
				} else if p.strict && arr.origin != fromArrayOf {
					return errStrict
				}
				cur = p.node(Node{Kind: Table, Pos: start, origin: fromHeader})
				arr.Elems = append(arr.Elems, cur)
			} else {
				t := parent.Get(last)
				if t == nil {
					t = p.node(Node{Kind: Table})
					p.set(parent, last, t)
				} else if p.strict && (t.Kind != Table || t.origin != fromImplicit) {
					// Defined twice, or a table that dotted keys or an
					// inline table made.
					return errStrict
				}
				t.Pos, t.KeyPos, t.origin = start, poss[len(poss)-1], fromHeader
				cur = t
			}
		} else if err := p.keyValue(cur); err != nil {
			return err
		}
		p.skipSpace()
		if p.peek() == '#' && !p.skipComment() && p.strict {
			return errStrict
		}
		if p.peek() == '\r' {
			p.i++
			if p.strict && p.peek() != '\n' {
				return errStrict
			}
		}
		if !p.eof() && p.peek() != '\n' {
			return p.errorf("want end of line")
		}
	}
}

// walk descends from t along keys, creating implicit tables; an array of
// tables on the way means its last element. section is nil for a [header]
// path; for a dotted key it is the table being written, and the tables the
// key makes are defined by it. In strict mode a walk through anything but a
// table that may still be extended this way is an error.
func (p *parser) walk(t *Node, keys []string, poss []Pos, section *Node) (*Node, error) {
	for i, k := range keys {
		next := t.Get(k)
		if next == nil {
			next = p.node(Node{Kind: Table, Pos: poss[i], KeyPos: poss[i], origin: fromImplicit})
			if section != nil {
				next.origin, next.owner = fromDotted, section
			}
			p.set(t, k, next)
		} else if p.strict {
			switch {
			case section == nil && next.Kind == Table && (next.origin == fromImplicit || next.origin == fromHeader):
			case section == nil && next.Kind == Array && next.origin == fromArrayOf:
			case section != nil && next.Kind == Table && next.origin == fromDotted && next.owner == section:
			default:
				return nil, errStrict
			}
		}
		if next.Kind == Array && len(next.Elems) > 0 {
			next = next.Elems[len(next.Elems)-1]
		}
		t = next
	}
	return t, nil
}

// set adds key k, which t does not have, with value v. A table's first
// keys go into a window of a block shared with other tables (most tables
// are rows of a few keys); a table with more outgrows it into its own.
func (p *parser) set(t *Node, k string, v *Node) {
	if t.Keys == nil {
		if len(p.keys)+firstKeys > cap(p.keys) {
			// A table has a few values: a fifth of the nodes.
			n := max(p.block()/5, 1) * firstKeys
			p.keys, p.values = make([]string, 0, n), make([]*Node, 0, n)
		}
		n := len(p.keys)
		p.keys, p.values = p.keys[:n+firstKeys], p.values[:n+firstKeys]
		t.Keys, t.Values = p.keys[n:n:n+firstKeys], p.values[n:n:n+firstKeys]
	}
	t.Keys = append(t.Keys, k)
	t.Values = append(t.Values, v)
	switch n := len(t.Keys); {
	case n > smallTable+1:
		t.index[k] = n - 1
	case n == smallTable+1:
		t.index = make(map[string]int, 2*n)
		for i, k := range t.Keys {
			t.index[k] = i
		}
	}
}

func (p *parser) keyValue(t *Node) error {
	var kb [4]string
	var pb [4]Pos
	keys, poss, err := p.key(kb[:0], pb[:0])
	if err != nil {
		return err
	}
	p.skipSpace()
	if p.peek() != '=' {
		return p.errorf("want =")
	}
	p.i++
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return err
	}
	v.KeyPos = poss[len(poss)-1]
	parent, err := p.walk(t, keys[:len(keys)-1], poss[:len(poss)-1], t)
	if err != nil {
		return err
	}
	last := keys[len(keys)-1]
	if prev := parent.Get(last); prev != nil {
		return &DuplicateKeyError{Key: last, Pos: v.KeyPos, First: prev.KeyPos}
	}
	p.set(parent, last, v)
	return nil
}

// key reads a dotted key and the position of each part.
//
// It appends to keys and poss, which callers give from arrays on their
// stack: most keys have one part, and a data.toml has thousands of keys.
func (p *parser) key(keys []string, poss []Pos) ([]string, []Pos, error) {
	for {
		p.skipSpace()
		pos := p.pos()
		var k string
		if p.strict && (strings.HasPrefix(p.s[p.i:], `"""`) || strings.HasPrefix(p.s[p.i:], "'''")) {
			return nil, nil, errStrict
		}
		switch p.peek() {
		case '"':
			s, err := p.basicString()
			if err != nil {
				return nil, nil, err
			}
			k = s
		case '\'':
			s, err := p.literalString()
			if err != nil {
				return nil, nil, err
			}
			k = s
		default:
			start := p.i
			for p.i < len(p.s) && isBare(p.s[p.i]) {
				p.i++
			}
			if p.i == start {
				return nil, nil, p.errorf("want a key")
			}
			k = p.s[start:p.i]
		}
		keys = append(keys, k)
		poss = append(poss, pos)
		p.skipSpace()
		if p.peek() != '.' {
			return keys, poss, nil
		}
		p.i++
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (p *parser) value() (*Node, error) {
	pos := p.pos()
	start := p.i
	switch c := p.peek(); {
	case c == '"' || c == '\'':
		var s string
		var err error
		if c == '"' {
			s, err = p.basicString()
		} else {
			s, err = p.literalString()
		}
		if err != nil {
			return nil, err
		}
		return p.node(Node{Kind: String, Pos: pos, Raw: p.s[start:p.i], Str: s}), nil
	case c == '[':
		p.i++
		n := p.node(Node{Kind: Array, Pos: pos})
		for {
			if !p.skipAll() && p.strict {
				return nil, errStrict
			}
			if p.peek() == ']' {
				p.i++
				return n, nil
			}
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			n.Elems = append(n.Elems, v)
			if !p.skipAll() && p.strict {
				return nil, errStrict
			}
			switch p.peek() {
			case ',':
				p.i++
			case ']':
			default:
				return nil, p.errorf("want , or ]")
			}
		}
	case c == '{':
		p.i++
		n := p.node(Node{Kind: Table, Pos: pos, origin: fromInline})
		if p.strict {
			// TOML 1.0: one line, no trailing comma.
			p.skipSpace()
			if p.peek() == '}' {
				p.i++
				return n, nil
			}
			for {
				if err := p.keyValue(n); err != nil {
					return nil, err
				}
				p.skipSpace()
				switch p.peek() {
				case ',':
					p.i++
					p.skipSpace()
					if p.peek() == '}' {
						return nil, errStrict
					}
				case '}':
					p.i++
					return n, nil
				default:
					return nil, errStrict
				}
			}
		}
		for {
			p.skipAll()
			if p.peek() == '}' {
				p.i++
				return n, nil
			}
			if err := p.keyValue(n); err != nil {
				return nil, err
			}
			p.skipAll()
			switch p.peek() {
			case ',':
				p.i++
			case '}':
			default:
				return nil, p.errorf("want , or }")
			}
		}
	}
	for p.i < len(p.s) && !isDelim(p.s[p.i]) {
		p.i++
	}
	// A datetime may hold one space between date and time.
	if p.i+3 < len(p.s) && p.s[p.i] == ' ' && isDigit(p.s[p.i+1]) && isDigit(p.s[p.i+2]) && p.s[p.i+3] == ':' && isDate(p.s[start:p.i]) {
		p.i++
		for p.i < len(p.s) && !isDelim(p.s[p.i]) {
			p.i++
		}
	}
	raw := p.s[start:p.i]
	if raw == "" {
		return nil, p.errorf("want a value")
	}
	kind := scalarKind(raw)
	if p.strict && !plainScalar(kind, raw) {
		return nil, errStrict
	}
	return p.node(Node{Kind: kind, Pos: pos, Raw: raw}), nil
}

// plainInt reports whether s is a decimal integer as TOML writes it:
// [+-]?(0|[1-9](_?[0-9])*). (By hand, not a regexp: it is asked of every
// figure of a site; FuzzPlainNumber holds the two to one answer.)
func plainInt(s string) bool { return intPart(s) == len(s) }

// plainFloat reports whether s is a decimal number as TOML writes it: an
// integer part, then optionally .digits, then optionally e[+-]digits.
func plainFloat(s string) bool {
	i := intPart(s)
	if i < 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		if i = digitRun(s, i+1); i < 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i = digitRun(s, i); i < 0 {
			return false
		}
	}
	return i == len(s)
}

// intPart reads [+-]?(0|[1-9](_?[0-9])*) at the start of s and returns
// where it ends, or -1.
func intPart(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		return i + 1
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		return digitRun(s, i)
	}
	return -1
}

// digitRun reads [0-9](_?[0-9])* at s[i:] and returns where it ends, or -1.
func digitRun(s string, i int) int {
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return -1
	}
	for i++; i < len(s); {
		switch {
		case '0' <= s[i] && s[i] <= '9':
			i++
		case s[i] == '_' && i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9':
			i += 2
		default:
			return i
		}
	}
	return i
}

// plainScalar reports whether raw is a scalar of the forms content uses:
// decimal integers in range, decimal floats, booleans, dates. Other valid
// forms (0x1F, inf, 07:32:00, offsets) are left to BurntSushi/toml.
func plainScalar(kind Kind, raw string) bool {
	switch kind {
	case Bool:
		return true
	case Integer:
		if !plainInt(raw) {
			return false
		}
		_, err := strconv.ParseInt(strings.ReplaceAll(raw, "_", ""), 10, 64)
		return err == nil
	case Float:
		if !plainFloat(raw) || !strings.ContainsAny(raw, ".eE") {
			return false
		}
		_, err := strconv.ParseFloat(strings.ReplaceAll(raw, "_", ""), 64)
		return err == nil
	case Datetime:
		_, err := time.Parse("2006-01-02", raw)
		return err == nil
	}
	return false
}

func isDelim(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ']', '}', '#':
		return true
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isDate(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-'
}

func scalarKind(raw string) Kind {
	switch {
	case raw == "true" || raw == "false":
		return Bool
	case strings.HasPrefix(raw, "0x") || strings.HasPrefix(raw, "0o") || strings.HasPrefix(raw, "0b"):
		return Integer
	case strings.Contains(raw, ":") || len(raw) >= 10 && raw[4] == '-' && isDigit(raw[0]):
		return Datetime
	case strings.ContainsAny(raw, ".eE") || strings.HasSuffix(raw, "inf") || strings.HasSuffix(raw, "nan"):
		return Float
	}
	return Integer
}

func (p *parser) literalString() (string, error) {
	if strings.HasPrefix(p.s[p.i:], "'''") {
		p.i += 3
		p.trimFirstNewline()
		start := p.i
		for p.i < len(p.s) {
			if strings.HasPrefix(p.s[p.i:], "'''") {
				n := 3
				for p.i+n < len(p.s) && p.s[p.i+n] == '\'' && n < 5 {
					n++
				}
				s := p.s[start : p.i+n-3]
				p.i += n
				return s, nil
			}
			if p.s[p.i] == '\n' {
				p.i++
				p.newline()
				continue
			}
			if p.strict && badStringByte(p.s, p.i) {
				return "", errStrict
			}
			p.i++
		}
		return "", p.errorf("unterminated string")
	}
	p.i++
	start := p.i
	for p.i < len(p.s) && p.s[p.i] != '\'' {
		if p.strict && (p.s[p.i] == '\n' || badStringByte(p.s, p.i)) {
			return "", errStrict
		}
		p.i++
	}
	if p.strict && p.eof() {
		return "", errStrict
	}
	s := p.s[start:p.i]
	p.i++
	return s, nil
}

// badStringByte reports a control character TOML does not allow in a
// string at s[i]: any below 0x20 but tab (and CR before LF), and DEL.
func badStringByte(s string, i int) bool {
	c := s[i]
	if c == '\r' {
		return i+1 >= len(s) || s[i+1] != '\n'
	}
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f
}

func (p *parser) trimFirstNewline() {
	if strings.HasPrefix(p.s[p.i:], "\r\n") {
		p.i += 2
		p.newline()
	} else if p.peek() == '\n' {
		p.i++
		p.newline()
	}
}

func (p *parser) basicString() (string, error) {
	multi := strings.HasPrefix(p.s[p.i:], `"""`)
	if multi {
		p.i += 3
		p.trimFirstNewline()
	} else {
		p.i++
		// Most strings hold no escape: take them as they are.
		start := p.i
		for j := start; j < len(p.s); j++ {
			c := p.s[j]
			if c == '"' {
				p.i = j + 1
				return p.s[start:j], nil
			}
			if c == '\\' || c == '\n' || (p.strict && badStringByte(p.s, j)) {
				break
			}
		}
	}
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"' && !multi:
			p.i++
			return b.String(), nil
		case c == '"' && strings.HasPrefix(p.s[p.i:], `"""`):
			n := 3
			for p.i+n < len(p.s) && p.s[p.i+n] == '"' && n < 5 {
				n++
			}
			if p.strict && p.i+n < len(p.s) && p.s[p.i+n] == '"' {
				return "", errStrict
			}
			b.WriteString(strings.Repeat(`"`, n-3))
			p.i += n
			return b.String(), nil
		case c == '\n':
			if !multi && p.strict {
				return "", errStrict
			}
			b.WriteByte('\n')
			p.i++
			p.newline()
		case p.strict && badStringByte(p.s, p.i):
			return "", errStrict
		case c == '\\':
			if err := p.escape(&b, multi); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *parser) escape(b *strings.Builder, multi bool) error {
	p.i++ // the backslash
	if p.eof() {
		return p.errorf("bad escape")
	}
	c := p.s[p.i]
	p.i++
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case 'e':
		if p.strict {
			return errStrict // TOML 1.1
		}
		b.WriteByte(0x1b)
	case '"':
		b.WriteByte('"')
	case '\\':
		b.WriteByte('\\')
	case 'x', 'u', 'U':
		if c == 'x' && p.strict {
			return errStrict // TOML 1.1
		}
		n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
		if p.i+n > len(p.s) {
			return p.errorf("bad escape")
		}
		r, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 32)
		if err != nil || (p.strict && (!utf8.ValidRune(rune(r)) || strings.ContainsAny(p.s[p.i:p.i+n], "+-"))) {
			if p.strict {
				return errStrict
			}
			return p.errorf("bad escape")
		}
		b.WriteRune(rune(r))
		p.i += n
	case ' ', '\t', '\r', '\n':
		if !multi {
			return p.errorf("bad escape")
		}
		// A line-ending backslash trims all whitespace up to the next
		// non-blank character. It must end its line: only blanks may
		// follow it there.
		p.i--
		if p.strict {
			j := p.i
			for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
				j++
			}
			if !strings.HasPrefix(p.s[j:], "\n") && !strings.HasPrefix(p.s[j:], "\r\n") {
				return errStrict
			}
		}
		for p.i < len(p.s) {
			switch p.s[p.i] {
			case '\r':
				if p.strict && !strings.HasPrefix(p.s[p.i:], "\r\n") {
					return errStrict
				}
				p.i++
				continue
			case ' ', '\t':
				p.i++
				continue
			case '\n':
				p.i++
				p.newline()
				continue
			}
			break
		}
	default:
		return p.errorf("bad escape")
	}
	return nil
}
