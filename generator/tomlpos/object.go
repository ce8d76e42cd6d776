package tomlpos

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/disclose/disclose/generator/diag"
)

// A Reader decodes the tables of one file strictly into diags: each getter
// checks the type of one key and marks it known; [Object.Done] reports the
// keys no getter asked for. Every problem is recorded and decoding goes on,
// so one run reports all of them.
type Reader struct {
	File  string
	Diags *diag.List
}

// Read parses the TOML file named file and returns a Reader reporting to
// diags with the file's top-level table (what names it in messages, "" for
// the file itself). A syntax error is reported in diags, and ok is false.
func Read(diags *diag.List, file string, data []byte, what string) (r *Reader, top *Object, ok bool) {
	root, err := Parse(data)
	if err != nil {
		Report(diags, file, data, err)
		return nil, nil, false
	}
	r = &Reader{File: file, Diags: diags}
	return r, r.Object(root, what), true
}

// Errorf records an error at pos.
func (r *Reader) Errorf(pos Pos, rule, format string, args ...any) {
	r.Diags.Errorf(r.File, pos.Line, pos.Col, rule, format, args...)
}

// Object starts reading the table n. what names the table for messages
// (e.g. “表 三公 第 3 行”); it may be empty for the top level. A nil n is an
// empty table.
func (r *Reader) Object(n *Node, what string) *Object {
	o := &Object{r: r, n: n, what: what}
	o.known = o.knownBuf[:0]
	return o
}

// Row starts reading the table n, the row-th (from 1) of the array of
// tables what names: messages name it “what 第 row 行”. The name is put
// together only for a message, as a file may hold thousands of rows.
func (r *Reader) Row(n *Node, what string, row int) *Object {
	o := r.Object(n, what)
	o.row = row
	return o
}

// An Object reads one table. See [Reader].
type Object struct {
	r    *Reader
	n    *Node
	what string
	row  int // from 1; 0 for a table not in an array
	// known lists the keys asked for (a slice: tables have few keys, and
	// rows are many), in knownBuf until there are more than a row has.
	known    []string
	knownBuf [16]string
}

func (o *Object) mark(key string) {
	if !slices.Contains(o.known, key) {
		o.known = append(o.known, key)
	}
}

// Node returns the table itself.
func (o *Object) Node() *Node { return o.n }

func (o *Object) in() string {
	switch {
	case o.row > 0:
		return "（" + RowName(o.what, o.row) + "）"
	case o.what == "":
		return ""
	}
	return "（" + o.what + "）"
}

// RowName names the row-th (from 1) table of the array what names in
// messages: 表 三公 第 3 行.
func RowName(what string, row int) string { return what + " 第 " + strconv.Itoa(row) + " 行" }

// Has reports whether key is present, without marking it known.
func (o *Object) Has(key string) bool { return o.n.Get(key) != nil }

// Get returns the value of key, or nil, and marks key as known.
func (o *Object) Get(key string) *Node {
	o.mark(key)
	return o.n.Get(key)
}

// Require records an error when key is missing; hint tells the editor what
// to write.
func (o *Object) Require(key, hint string) bool {
	o.mark(key)
	if o.n.Get(key) != nil {
		return true
	}
	pos := Pos{1, 1}
	if o.n != nil && o.n.Pos.IsValid() {
		pos = o.n.Pos
	}
	o.r.Errorf(pos, "toml.missing-key", "缺少必填的键 %s%s。%s", key, o.in(), hint)
	return false
}

// typed returns the value of key when it is of kind want. example is a
// format of what to write, with %s for the key: it is filled in only for a
// message, as the getters run for every key of every row.
func (o *Object) typed(key string, want Kind, example string) *Node {
	v := o.Get(key)
	if v == nil {
		return nil
	}
	if v.Kind != want {
		o.r.Errorf(v.Pos, "toml.type", "键 %s%s 应为%s（例如 %s），这里写的是%s %s", key, o.in(), want, fmt.Sprintf(example, key), v.Kind, short(v))
		return nil
	}
	return v
}

func short(v *Node) string {
	if v.Raw == "" {
		return ""
	}
	r := []rune(v.Raw)
	if len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return v.Raw
}

// String returns the string at key and whether it was present and a string.
func (o *Object) String(key string) (string, bool) {
	v := o.typed(key, String, "%s = \"…\"")
	if v == nil {
		return "", false
	}
	return v.Str, true
}

// Bool returns the boolean at key.
func (o *Object) Bool(key string) (bool, bool) {
	v := o.typed(key, Bool, "%s = true")
	if v == nil {
		return false, false
	}
	return v.Bool(), true
}

// Int returns the integer at key.
func (o *Object) Int(key string) (int64, bool) {
	v := o.typed(key, Integer, "%s = 1")
	if v == nil {
		return 0, false
	}
	n, err := v.Int()
	if err != nil {
		o.r.Errorf(v.Pos, "toml.range", "键 %s%s 的数值超出范围", key, o.in())
		return 0, false
	}
	return n, true
}

// Strings returns the array of strings at key.
func (o *Object) Strings(key string) ([]string, bool) {
	v := o.typed(key, Array, `%s = ["…", "…"]`)
	if v == nil {
		return nil, false
	}
	out := make([]string, 0, len(v.Elems))
	ok := true
	for i, e := range v.Elems {
		if e.Kind != String {
			o.r.Errorf(e.Pos, "toml.type", "键 %s%s 的第 %d 项应为字符串（加英文双引号），这里写的是%s %s", key, o.in(), i+1, e.Kind, short(e))
			ok = false
			continue
		}
		out = append(out, e.Str)
	}
	return out, ok
}

// Date returns the date at key: a TOML date (2020-03-15) or a string in the
// same form.
func (o *Object) Date(key string) (time.Time, bool) {
	v := o.Get(key)
	if v == nil {
		return time.Time{}, false
	}
	s := v.Raw
	if v.Kind == String {
		s = v.Str
	} else if v.Kind != Datetime {
		o.r.Errorf(v.Pos, "toml.type", "键 %s%s 应为日期，例如 %s = 2020-03-15", key, o.in(), key)
		return time.Time{}, false
	}
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		o.r.Errorf(v.Pos, "toml.date", "键 %s%s 应为“年-月-日”形式的日期，例如 2020-03-15，这里写的是 %s", key, o.in(), s)
		return time.Time{}, false
	}
	return d, true
}

// Table returns the table at key (written as [key] or key = {…}).
func (o *Object) Table(key string) *Node {
	return o.typed(key, Table, "[%s]")
}

// Tables returns the array of tables at key (written as [[key]] or
// key = [{…}, {…}]).
func (o *Object) Tables(key string) []*Node {
	v := o.typed(key, Array, "[[%s]]")
	if v == nil {
		return nil
	}
	out := make([]*Node, 0, len(v.Elems))
	for i, e := range v.Elems {
		if e.Kind != Table {
			o.r.Errorf(e.Pos, "toml.type", "%s%s 的第 %d 项应为 { … } 形式的表，这里写的是%s %s", key, o.in(), i+1, e.Kind, short(e))
			continue
		}
		out = append(out, e)
	}
	return out
}

// Done records an error for every key of the table that no getter asked
// for, suggesting the closest known key.
func (o *Object) Done() {
	if o.n == nil {
		return
	}
	var known []string // sorted, for the message; most tables need none
	for i, k := range o.n.Keys {
		if slices.Contains(o.known, k) {
			continue
		}
		if known == nil {
			known = slices.Sorted(slices.Values(o.known))
		}
		v := o.n.Values[i]
		pos := v.KeyPos
		if !pos.IsValid() {
			pos = v.Pos
		}
		msg := fmt.Sprintf("未知的键 %s%s", k, o.in())
		if s := Suggest(k, known); s != "" {
			msg += fmt.Sprintf("，是否想写 %s？", s)
		} else {
			msg += "。"
		}
		msg += "可用的键：" + strings.Join(known, "、")
		o.r.Errorf(pos, "toml.unknown-key", "%s", msg)
	}
}

// Suggest returns the candidate closest to s by edit distance, if it is
// close enough to be a likely typo; else "".
func Suggest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(1, len([]rune(s))/3) {
		return best
	}
	return ""
}

func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Report records the error of [Parse] of data in diags with its position:
// a syntax error of BurntSushi/toml or a duplicate key.
func Report(diags *diag.List, file string, data []byte, err error) {
	var pe toml.ParseError
	var dup *DuplicateKeyError
	switch {
	case errors.As(err, &dup):
		diags.Errorf(file, dup.Pos.Line, dup.Pos.Col, "toml.duplicate-key", "键 %s 重复：第一次写在第 %d 行，同一张表里只能写一次", dup.Key, dup.First.Line)
	case errors.As(err, &pe):
		msg := pe.Message
		line, col := pe.Position.Line, pe.Position.Col
		text := lineOf(data, line)
		if hint, at := quoteHint(text, pe.Message); hint != "" {
			msg, col = hint+"（"+pe.Message+"）", at
		} else if hint, at := numberHint(text); hint != "" {
			// The parser stops past a number written as printed; say what
			// is wrong with the number, where it is.
			msg, col = hint+"（"+pe.Message+"）", at
		} else if hint := syntaxHint(pe.Message); hint != "" {
			msg = hint + "（" + pe.Message + "）"
		}
		diags.Errorf(file, line, col, "toml.syntax", "TOML 格式错误：%s", msg)
	default:
		diags.Errorf(file, 0, 0, "toml.syntax", "TOML 格式错误：%v", err)
	}
}

// syntaxHints explain BurntSushi/toml's syntax errors in an editor's
// words: the first whose text is in the message wins, so the more
// particular come first.
var syntaxHints = []struct {
	in   []string
	hint string
}{
	{[]string{"strings cannot contain newlines"}, "引号没有配对：双引号里的文字必须在同一行内结束（多行文字用三个双引号 \"\"\" 括起来）"},
	{[]string{"unterminated", "expected '\"'"}, "引号没有配对"},
	{[]string{"invalid escape", "valid escape code"}, "双引号里的反斜杠 \\ 有特殊含义：要写反斜杠本身请写成 \\\\，或改用单引号 '…'"},
	{[]string{"Invalid float"}, "数字写法有误：只能有一个小数点，不加千分位逗号、空格或单位，不以 0 开头（0.5 除外）"},
	{[]string{"invalid float"}, "数字写法有误：只能有一个小数点，不加千分位逗号、空格或单位"},
	{[]string{"Invalid integer"}, "数字写法有误：不加千分位逗号、空格或单位，不以 0 开头"},
	{[]string{"floats must start with a digit"}, "小数要以数字开头：写 0.5，不写 .5"},
	{[]string{"table array name delimiter"}, "表头的方括号没有配对：写成 [[table]] 这样，前后各两个方括号"},
	{[]string{"to end table name"}, "表头的方括号没有配对：写成 [name] 这样"},
	{[]string{"table names cannot be empty"}, "方括号里要写表名，如 [[table]]"},
	{[]string{"expected a top-level item to end with a newline"}, "一行只能写一个“键 = 值”：值后面多了内容（数字中间不能有空格，文字要加英文双引号）"},
	{[]string{"expected a comma (',') or array terminator"}, "方括号 [ … ] 里的各项用英文逗号隔开，最后以 ] 结束"},
	{[]string{"inline table terminator"}, "花括号 { … } 里的各项用英文逗号隔开，最后以 } 结束"},
	{[]string{"key name appears blank"}, "等号前面要写键名"},
	{[]string{"expected key separator '='"}, "键名后面要写 = 和值"},
	{[]string{"expected '.' or '='"}, "键名后面要写 = 和值；中文或带空格的键名要加英文双引号"},
	{[]string{"unexpected EOF; expected value"}, "文件在等号后面就结束了：= 后面要写值"},
	{[]string{"already been"}, "同一个键或表写了两次"},
	{[]string{"NULL bytes", "invalid UTF-8"}, "文件不是 UTF-8 编码：请用“UTF-8”编码另存（记事本：另存为，编码选 UTF-8）"},
	{[]string{"control characters"}, "这里有看不见的控制字符（常见于从 Word 或网页复制的文字）：删去这一处，重新输入"},
	{[]string{"invalid datetime"}, "日期写法有误：写成 2024-01-31 这样"},
	{[]string{"out of range"}, "数字太大"},
}

// Numbers written as a printed document has them, on the line of a syntax
// error: with thousands separators (1,677.00: TOML reads the comma as the
// end of the value), or with a unit (16.77万元).
var (
	groupedRE = regexp.MustCompile(`=\s*(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?)\s*(?:[,}\]#]|$)`)
	unitRE    = regexp.MustCompile(`=\s*(-?[\d,]+(?:\.\d+)?)\s*(亿元|万元|元|%|％)`)
)

// lineOf returns line n (from 1) of data, "" past its end.
func lineOf(data []byte, n int) string {
	if n < 1 {
		return ""
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return string(data)
}

// quoteHint explains a string left open on its line because it ends
// with a Chinese quotation mark ("会议费”), pointing at the mark, where
// the parser complains at the end of the line.
func quoteHint(line, msg string) (hint string, col int) {
	if !strings.Contains(msg, "newlines") && !strings.Contains(msg, "unterminated") {
		return "", 0
	}
	open := strings.IndexByte(line, '"')
	if open < 0 {
		return "", 0
	}
	i := strings.LastIndexAny(line[open+1:], "”“") // the one meant to close it
	if i < 0 {
		return "", 0
	}
	at := open + 1 + i
	r, _ := utf8.DecodeRuneInString(line[at:])
	return fmt.Sprintf("引号没有配对：英文双引号 \" 开头的文字要以英文双引号结束，这里用了中文引号“%c”", r), utf8.RuneCountInString(line[:at]) + 1
}

// numberHint explains a number of the line that TOML cannot read,
// with the column it starts at.
func numberHint(line string) (hint string, col int) {
	if m := unitRE.FindStringSubmatchIndex(line); m != nil {
		num := strings.ReplaceAll(line[m[2]:m[3]], ",", "")
		return fmt.Sprintf("数字后面不写单位：写 %s；金额的单位写在文件开头的 unit = \"万元\"，百分比只写数字", num), utf8.RuneCountInString(line[:m[2]]) + 1
	}
	if m := groupedRE.FindStringSubmatchIndex(line); m != nil {
		num := line[m[2]:m[3]]
		return fmt.Sprintf("数字不加千分位逗号（TOML 把逗号当作两项之间的分隔）：写 %s，或加英文双引号写成文字 \"%s\"", strings.ReplaceAll(num, ",", ""), num), utf8.RuneCountInString(line[:m[2]]) + 1
	}
	return "", 0
}

// syntaxHint explains the syntax errors editors meet most, in their words.
func syntaxHint(msg string) string {
	// The parser quotes the character it stopped at.
	for _, p := range []string{"，", "：", "“", "”", "；", "【", "】", "｛", "｝", "＝", "［", "］"} {
		if strings.Contains(msg, "'"+p+"'") {
			return "这里用了中文标点“" + p + "”：TOML 的符号须是英文半角 = , \" [ ] { }，中文标点只能写在引号里"
		}
	}
	for _, h := range syntaxHints {
		for _, in := range h.in {
			if strings.Contains(msg, in) {
				return h.hint
			}
		}
	}
	if strings.Contains(msg, "expected value but found") || strings.Contains(msg, "unexpected") {
		return "这里的写法不符合 TOML：文字要加英文双引号，数字不加，符号用英文半角"
	}
	return ""
}
