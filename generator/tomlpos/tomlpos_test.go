package tomlpos

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/disclose/disclose/generator/diag"
)

func TestPositions(t *testing.T) {
	src := `# 数据
unit = "万元"
[[table]]
id = "收入"
rows = [
  { name = "财政拨款收入", amount = 2966.24 },
  { name = "非税收入",   amount = 0 },
]
[site.publisher]
name = 'x'
a.b.c = 1_000
m = ["""多
行""", 2]
`
	root, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		node    *Node
		pos     Pos
		keyPos  Pos
		raw     string
		wantStr string
	}{
		{root.Get("unit"), Pos{2, 8}, Pos{2, 1}, `"万元"`, "万元"},
		{root.Get("table").Elems[0].Get("id"), Pos{4, 6}, Pos{4, 1}, `"收入"`, "收入"},
		{root.Get("table").Elems[0].Get("rows").Elems[0].Get("amount"), Pos{6, 31}, Pos{6, 22}, "2966.24", ""},
		{root.Get("table").Elems[0].Get("rows").Elems[1].Get("amount"), Pos{7, 31}, Pos{7, 22}, "0", ""},
		{root.Get("site").Get("publisher").Get("name"), Pos{10, 8}, Pos{10, 1}, `'x'`, "x"},
		{root.Get("site").Get("publisher").Get("a").Get("b").Get("c"), Pos{11, 9}, Pos{11, 5}, "1_000", ""},
		// After a string over lines, columns count from its last line.
		{root.Get("site").Get("publisher").Get("m").Elems[1], Pos{13, 7}, Pos{}, "2", ""},
	}
	for i, tt := range tests {
		if tt.node == nil {
			t.Fatalf("%d: node missing", i)
		}
		if tt.node.Pos != tt.pos || tt.node.KeyPos != tt.keyPos || tt.node.Raw != tt.raw || tt.node.Str != tt.wantStr {
			t.Errorf("%d: got pos %v key %v raw %q str %q, want %v %v %q %q", i, tt.node.Pos, tt.node.KeyPos, tt.node.Raw, tt.node.Str, tt.pos, tt.keyPos, tt.raw, tt.wantStr)
		}
	}
	if got := strings.Join(root.Keys, ","); got != "unit,table,site" {
		t.Errorf("root keys in order = %s", got)
	}
	if p := root.Get("table").Elems[0].Pos; p != (Pos{3, 1}) {
		t.Errorf("[[table]] pos = %v, want 3:1", p)
	}
}

func TestSyntaxErrorHasPosition(t *testing.T) {
	_, err := Parse([]byte("a = 1\nb = = 2\n"))
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got %T %v, want toml.ParseError", err, err)
	}
	if pe.Position.Line != 2 {
		t.Errorf("line = %d, want 2", pe.Position.Line)
	}
}

func TestStrings(t *testing.T) {
	src := "a = \"\\u4e09\\t\\\"x\\\"\"\nb = \"\"\"\nline1\n  \\\n  joined\"\"\"\nc = '''\nraw\\n'''\nd = \"\"\"q\"\"\"\"\"\ne = 1979-05-27 07:32:00Z\nf = 1979-05-27\n"
	root, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "三\t\"x\"", "b": "line1\n  joined", "c": "raw\\n", "d": "q\"\""}
	for k, w := range want {
		if got := root.Get(k).Str; got != w {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
	if n := root.Get("e"); n.Kind != Datetime || n.Raw != "1979-05-27 07:32:00Z" {
		t.Errorf("e = %v %q", n.Kind, n.Raw)
	}
	if n := root.Get("f"); n.Kind != Datetime {
		t.Errorf("f kind = %v", n.Kind)
	}
	if n := root.Get("d"); n.Pos.Line != 8 {
		t.Errorf("d line = %d, want 8 (lines inside multi-line strings are counted)", n.Pos.Line)
	}
}

// FuzzParse checks that every document BurntSushi/toml accepts is read by
// this package into the same values, with valid positions.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"a = 1\n[b]\nc = 'x'\n[[d]]\ne = 1.5\n[[d]]\ne = -0.0\n",
		"x = [1, 2, [3, 4], {a = 1}]\n",
		"a.b.c = 1\na.d = \"\\u00e9\"\n",
		"t = 1979-05-27T07:32:00-08:00\nd = 07:32:00\n",
		"s = \"\"\"\n  a\\\n  b\"\"\"\nl = '''x'''''\n",
		"n = 0x1F\no = 0o17\nb = 0b101\ni = +inf\nm = nan\ne = 6.02e23\n",
		"rows = [\n  { code = \"201\", total = 1_000.25 }, # c\n]\n",
		"[a.b]\n[a]\nc = 1\n",
		"\"quoted key\" = true\n'lit' = false\n",
		// More keys than a table is searched for in order: the index.
		"r = { a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9, j = 10 }\n",
		"[t]\na=1\nb=2\nc=3\nd=4\ne=5\nf=6\ng=7\nh=8\ni=9\nj.k=10\n[t.j.l]\nm=1\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var want map[string]any
		if _, err := toml.Decode(src, &want); err != nil {
			return
		}
		if strings.Contains(src, `""""""`) || strings.Contains(src, "") {
			// BurntSushi/toml v1.6.0 accepts six quotes after an escape in a
			// multi-line string (the spec allows at most five); not content.
			return
		}
		root, err := Parse([]byte(src))
		var dup *DuplicateKeyError
		if errors.As(err, &dup) {
			return
		}
		if err != nil {
			t.Fatalf("Parse rejected a document toml accepts: %v\n%q", err, src)
		}
		compare(t, "", root, want)
	})
}

func compare(t *testing.T, path string, n *Node, want any) {
	t.Helper()
	if n == nil {
		t.Fatalf("%s: missing", path)
	}
	if !n.Pos.IsValid() {
		t.Errorf("%s: no position", path)
	}
	switch w := want.(type) {
	case map[string]any:
		if n.Kind != Table {
			t.Fatalf("%s: kind %v, want table", path, n.Kind)
		}
		if len(n.Keys) != len(w) || len(n.Values) != len(w) {
			t.Fatalf("%s: keys %q, want %d keys", path, n.Keys, len(w))
		}
		for k, v := range w {
			compare(t, path+"."+k, n.Get(k), v)
		}
	case []map[string]any:
		if n.Kind != Array || len(n.Elems) != len(w) {
			t.Fatalf("%s: want array of %d tables", path, len(w))
		}
		for i, v := range w {
			compare(t, fmt.Sprintf("%s[%d]", path, i), n.Elems[i], v)
		}
	case []any:
		if n.Kind != Array || len(n.Elems) != len(w) {
			t.Fatalf("%s: want array of %d", path, len(w))
		}
		for i, v := range w {
			compare(t, fmt.Sprintf("%s[%d]", path, i), n.Elems[i], v)
		}
	case string:
		if n.Kind != String || n.Str != w {
			t.Errorf("%s: got %v %q, want string %q", path, n.Kind, n.Str, w)
		}
	case int64:
		got, err := n.Int()
		if n.Kind != Integer || err != nil || got != w {
			t.Errorf("%s: got %v %q (%v), want %d", path, n.Kind, n.Raw, err, w)
		}
	case float64:
		got, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimPrefix(n.Raw, "+"), "_", ""), 64)
		if n.Kind != Float || err != nil || !(got == w || math.IsNaN(got) && math.IsNaN(w)) {
			t.Errorf("%s: got %v %q, want %v", path, n.Kind, n.Raw, w)
		}
	case bool:
		if n.Kind != Bool || n.Bool() != w {
			t.Errorf("%s: got %v %q, want %v", path, n.Kind, n.Raw, w)
		}
	case time.Time:
		if n.Kind != Datetime {
			t.Errorf("%s: got %v %q, want datetime", path, n.Kind, n.Raw)
		}
	default:
		t.Fatalf("%s: unexpected %T", path, want)
	}
}

// FuzzStrict holds the strict reader to BurntSushi/toml: whatever it
// accepts, BurntSushi/toml accepts too, with the same values. (What it
// refuses goes to BurntSushi/toml, so refusing too much is only slower.)
func FuzzStrict(f *testing.F) {
	for _, s := range []string{
		"a = 1\n[b]\nc = 'x'\n[[d]]\ne = 1.5\n[[d]]\ne = -0.0\n",
		"x = [1, 2, [3, 4], {a = 1}]\n",
		"a.b.c = 1\na.d = \"\\u00e9\"\n[a.e]\n",
		"[a]\n[a]\n", "[a.b]\n[a]\nc = 1\n", "a.b = 1\n[a]\n", "a = {b = 1}\n[a.c]\n",
		"a = [{b = 1}]\n[[a]]\n", "d = 2020-02-30\n", "d = 2020-02-29\n", "n = 012\n", "n = 1__0\n",
		"s = \"a\\x41\"\n", "s = \"tab\tok\"\n", "s = 'no\x01'\n", "# c\x7f\n", "t = { a = 1, }\n",
		"t = {\na = 1}\n", "s = \"\"\"a\"\"\"\"\"\"\n", "k\r = 1\n", "a = 1\r\nb = 2\r\n",
		"rows = [\n  { code = \"201\", total = 1_000.25 }, # c\n]\n", "\"quoted key\" = true\n'lit' = false\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		root, err := parseStrict(src)
		if err != nil {
			return
		}
		var want map[string]any
		if _, err := toml.Decode(src, &want); err != nil {
			t.Fatalf("the strict reader accepted what BurntSushi/toml refuses (%v):\n%q", err, src)
		}
		compare(t, "", root, want)
	})
}

// TestStrictReadsContent: the example's files are read by the strict
// reader alone, without BurntSushi/toml's second pass.
func TestStrictReadsContent(t *testing.T) {
	files, _ := filepath.Glob("../../content/*/*/*/data.toml")
	files = append(files, "../../content/site.toml", "../../content/glossary.toml", "../fiscal/catalog/tables.toml", "../fiscal/catalog/classification.toml")
	if len(files) < 6 {
		t.Fatalf("found only %v", files)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parseStrict(string(data)); err != nil {
			t.Errorf("%s: the strict reader refused it: %v", f, err)
		}
	}
}

// TestInlineTableOverLines: TOML 1.1 lets a { … } row run over several
// lines (BurntSushi/toml reads it so); positions stay right.
func TestInlineTableOverLines(t *testing.T) {
	root, err := Parse([]byte("[[row]]\ncells = { name = \"基本支出\",\n  amount = 572.24, }\nnext = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	row := root.Get("row").Elems[0]
	amount := row.Get("cells").Get("amount")
	if amount.Raw != "572.24" || amount.Pos != (Pos{3, 12}) {
		t.Errorf("amount = %q at %v, want 572.24 at 3:12", amount.Raw, amount.Pos)
	}
	if next := row.Get("next"); next == nil || next.Pos.Line != 4 {
		t.Errorf("next = %+v, want line 4", next)
	}
}

// TestSyntaxHints: the syntax mistakes editors make are explained in
// Chinese, with BurntSushi/toml's own words after it in brackets.
func TestSyntaxHints(t *testing.T) {
	tests := []struct {
		name, src, hint string
	}{
		{"unclosed quote", "unit = \"万元\ntitle = \"x\"\n", "引号没有配对"},
		{"Chinese comma", "a = [1， 2]\n", "中文标点"},
		{"two decimal points", "amount = 572.24.1\n", "数字写法有误"},
		{"thousands separator", "amount = 1,234.5\n", "数字不加千分位逗号（TOML 把逗号当作两项之间的分隔）：写 1234.5，或加英文双引号写成文字 \"1,234.5\""},
		{"thousands separator in a row", "rows = [{ name = \"会议费\", amount = 1,677.00 }]\n", "数字不加千分位逗号"},
		{"a unit after the number", "rows = [{ name = \"会议费\", amount = 16.77万元 }]\n", "数字后面不写单位：写 16.77"},
		{"a percent sign", "rows = [{ change_pct = -5.43% }]\n", "数字后面不写单位：写 -5.43"},
		{"closing Chinese quote", "rows = [{ name = \"会议费”, amount = 1 }]\n", "这里用了中文引号“””"},
		{"closing Chinese quote after quoted words", "rows = [{ name = \"“三公”经费”, amount = 1 }]\n", "这里用了中文引号“””"},
		{"space in a number", "amount = 1 234\n", "值后面多了内容"},
		{"unquoted text", "unit = 万元\n", "文字要加英文双引号"},
		{"table header", "[[table]\nid = \"a\"\n", "方括号没有配对"},
		{"array", "a = [1, 2\nb = 3\n", "英文逗号隔开"},
		{"no value", "a =\n", "写法不符合 TOML"},
		{"backslash", "path = \"C:\\data\"\n", "反斜杠"},
		{"date", "published = 2024-13-45\n", "日期写法有误"},
		{"key twice", "a = 1\na = 2\n", "重复"},
		{"leading dot", "a = .5\n", "小数要以数字开头"},
		{"inline table", "row = { name = \"a\" amount = 1 }\n", "各项用英文逗号隔开"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			if err == nil {
				t.Fatalf("%q parsed", tt.src)
			}
			var diags diag.List
			Report(&diags, "data.toml", []byte(tt.src), err)
			if len(diags) != 1 || !strings.Contains(diags[0].Message, tt.hint) {
				t.Errorf("%q: %v, want a message with %q", tt.src, diags, tt.hint)
			}
		})
	}
}

// FuzzPlainNumber: plainInt and plainFloat answer as the regular
// expressions of TOML's decimal forms they stand for.
func FuzzPlainNumber(f *testing.F) {
	intRE := regexp.MustCompile(`^[+-]?(?:0|[1-9](?:_?[0-9])*)$`)
	floatRE := regexp.MustCompile(`^[+-]?(?:0|[1-9](?:_?[0-9])*)(?:\.[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?$`)
	for _, s := range []string{"0", "-0", "+12", "1_000", "1__0", "_1", "1_", "01", "2966.24", "0.5", ".5", "5.", "1e5", "1E+05", "1e", "1.2e-3_4", "1.e2", "-", "", "１２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := plainInt(s), intRE.MatchString(s); got != want {
			t.Errorf("plainInt(%q) = %v, want %v", s, got, want)
		}
		if got, want := plainFloat(s), floatRE.MatchString(s); got != want {
			t.Errorf("plainFloat(%q) = %v, want %v", s, got, want)
		}
	})
}

// TestGetManyKeys reads tables on both sides of smallTable: every key is
// found, in the order written, an absent key is not, and a key written
// twice is a DuplicateKeyError however many keys come before it.
func TestGetManyKeys(t *testing.T) {
	for _, n := range []int{1, smallTable, smallTable + 1, smallTable + 2, 40} {
		var b strings.Builder
		b.WriteString("[t]\n")
		for i := range n {
			fmt.Fprintf(&b, "k%d = %d\n", i, i)
		}
		root, err := Parse([]byte(b.String()))
		if err != nil {
			t.Fatalf("%d keys: %v", n, err)
		}
		tab := root.Get("t")
		for i := range n {
			k := fmt.Sprintf("k%d", i)
			if tab.Keys[i] != k {
				t.Errorf("%d keys: key %d is %q, want %q", n, i, tab.Keys[i], k)
			}
			if v := tab.Get(k); v == nil || v.Raw != fmt.Sprint(i) {
				t.Errorf("%d keys: Get(%q) = %v", n, k, v)
			}
		}
		if v := tab.Get("absent"); v != nil {
			t.Errorf("%d keys: Get(absent) = %v", n, v)
		}
		_, err = Parse([]byte(b.String() + fmt.Sprintf("k%d = 0\n", n-1)))
		var dup *DuplicateKeyError
		if !errors.As(err, &dup) || dup.Key != fmt.Sprintf("k%d", n-1) || dup.Pos.Line != n+2 || dup.First.Line != n+1 {
			t.Errorf("%d keys, the last twice: %v, want a DuplicateKeyError at line %d", n, err, n+2)
		}
	}
}
