// Package dataset writes the figures of a disclosure as files readers
// download: a CSV per table, shaped as published, and one JSON of every
// published amount (the fact table).
//
// CSV files are UTF-8 with a byte-order mark, so Excel on a Chinese Windows
// opens them as UTF-8 rather than GBK; the header row is in Chinese and
// names each amount column's unit; amounts are written in the table's unit
// with its two decimals and no thousands separators, exactly as stored
// (integer 分, never a float), so a spreadsheet reads numbers; lines end
// in CRLF (RFC 4180).
package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/disclose/disclose/generator/fiscal"
)

// BOM is the UTF-8 byte-order mark every CSV starts with.
const BOM = "\uFEFF"

// Folder is the folder, under a disclosure's path, its files go in.
const Folder = "data"

// JSONName is the file name of a disclosure's JSON.
const JSONName = "figures.json"

// TableNames returns the CSV file name of each table of d, in table
// order: the table kind's id, made unique with -2, -3 … (ASCII, so the URL
// needs no escaping on any server).
func TableNames(d *fiscal.Disclosure) []string {
	used := map[string]bool{}
	names := make([]string, len(d.Tables))
	for i, t := range d.Tables {
		base := t.Kind.ID
		name := base
		for n := 2; used[name]; n++ {
			name = base + "-" + strconv.Itoa(n)
		}
		used[name] = true
		names[i] = name + ".csv"
	}
	return names
}

// Path returns the site path of a file of disclosure d: body/2020/budget/data/name.
func Path(d *fiscal.Disclosure, name string) string {
	return d.Path() + "/" + Folder + "/" + name
}

// TableCSV writes table t as a CSV: one line per published row, in the
// published order, parts one after another (with a 栏目 column naming the
// part when there are several); a 科目编码 column when rows have codes; 层级
// and 行类型 columns when rows are nested or are totals (合计; 小计 for a
// subtotal or a row with rows under it; 其中 for an “of which” row; 明细 for
// the rest, which never overlap), so a spreadsheet can sum the right rows;
// then the published columns, money in the table's unit.
func TableCSV(t *fiscal.Table) []byte {
	cols := tableColumns(t)
	hasCode, nested := false, false
	parents := map[*fiscal.Row]bool{}
	for _, p := range t.Parts {
		for _, r := range p.Rows {
			hasCode = hasCode || r.Code != ""
			nested = nested || r.Level > 0 || r.Role != fiscal.Item
			if r.Parent != nil {
				parents[r.Parent] = true
			}
		}
	}
	multi := len(t.Parts) > 1
	var head []string
	if multi {
		head = append(head, "栏目")
	}
	if hasCode {
		head = append(head, "科目编码")
	}
	head = append(head, t.NameHeading(hasCode))
	if nested {
		head = append(head, "层级", "行类型")
	}
	for _, c := range cols {
		head = append(head, ColumnTitle(c, t.Unit))
	}
	// About 12 bytes a cell: a money amount and its comma.
	n := len(head)
	for _, p := range t.Parts {
		n += len(p.Rows) * len(head)
	}
	w := csvWriter{b: make([]byte, 0, len(BOM)+12*n)}
	w.b = append(w.b, BOM...)
	w.record(head)
	for _, p := range t.Parts {
		for _, r := range p.Rows {
			if multi {
				w.field(p.Heading())
			}
			if hasCode {
				w.field(r.Code)
			}
			w.field(r.Name)
			if nested {
				role := RoleName(r.Role)
				if r.Role == fiscal.Item && parents[r] {
					role = "小计"
				}
				w.field(strconv.Itoa(r.Level))
				w.field(role)
			}
			for _, c := range cols {
				w.field(cellText(r, c, t.Unit))
			}
			w.end()
		}
	}
	return w.b
}

func hasMoney(t *fiscal.Table) bool {
	for _, p := range t.Parts {
		for _, c := range p.Columns {
			if c.Type == fiscal.MoneyColumn {
				return true
			}
		}
	}
	return false
}

// CSV writes rows (the first one the header) as a CSV file with the BOM.
// A text that a spreadsheet would take for a formula (=, +, -, @, tab or
// carriage return first, as OWASP lists them) is written after a ' so
// that it stays text; numbers, negative ones too, are written as they are.
func CSV(rows [][]string) []byte {
	w := csvWriter{b: []byte(BOM)}
	for _, r := range rows {
		w.record(r)
	}
	return w.b
}

// csvWriter appends CSV records to b as encoding/csv's Writer with
// UseCRLF writes them (TestCSVWriter holds the two together), after the
// formula guard of [CSV], without the Writer's buffer or a [][]string of
// the whole table: a disclosure writes a score of CSV files.
type csvWriter struct {
	b    []byte
	open bool // a record has a field
}

func (w *csvWriter) record(fields []string) {
	for _, f := range fields {
		w.field(f)
	}
	w.end()
}

// end ends the record.
func (w *csvWriter) end() {
	w.b = append(w.b, '\r', '\n')
	w.open = false
}

// needsQuote reports whether f holds a comma, quote or line break: what
// strings.ContainsAny would, without making a set for each of a table's
// hundreds of fields.
func needsQuote(f string) bool {
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// field appends a field to the record.
func (w *csvWriter) field(f string) {
	if w.open {
		w.b = append(w.b, ',')
	}
	w.open = true
	guard := formulaLike(f)
	// encoding/csv quotes a field with a comma, quote or line break, one
	// that starts with a space (unicode.IsSpace), and \. (a PostgreSQL
	// end-of-data marker); the ' of the guard counts as the field's start.
	r, _ := utf8.DecodeRuneInString(f)
	quote := needsQuote(f) || !guard && (unicode.IsSpace(r) || f == `\.`)
	if quote {
		w.b = append(w.b, '"')
	}
	if guard {
		w.b = append(w.b, '\'')
	}
	if !quote {
		w.b = append(w.b, f...)
		return
	}
	for len(f) > 0 {
		i := strings.IndexAny(f, "\"\r\n")
		if i < 0 {
			i = len(f)
		}
		w.b = append(w.b, f[:i]...)
		f = f[i:]
		if len(f) > 0 {
			switch f[0] {
			case '"':
				w.b = append(w.b, '"', '"')
			case '\n':
				w.b = append(w.b, '\r', '\n')
			} // a \r is dropped, as the Writer with UseCRLF drops it
			f = f[1:]
		}
	}
	w.b = append(w.b, '"')
}

// formulaLike reports whether a spreadsheet would read field f as a
// formula rather than as text or a number (a lone - is text).
func formulaLike(f string) bool {
	switch {
	case f == "" || f == "-" || f == "+":
		return false
	case f[0] == '-' || f[0] == '+':
		_, err := fiscal.ParseDecimal(f, 20)
		return err != nil
	}
	return strings.ContainsRune("=@\t\r", rune(f[0]))
}

// tableColumns is the union of the parts' published columns, by id, in
// the order first seen.
func tableColumns(t *fiscal.Table) []*fiscal.Column {
	var cols []*fiscal.Column
	seen := map[string]bool{}
	for _, p := range t.Parts {
		for _, c := range p.Columns {
			if !seen[c.ID] {
				seen[c.ID] = true
				cols = append(cols, c)
			}
		}
	}
	return cols
}

// ColumnTitle is a column's CSV header: its groups and title, and its
// unit: 金额（万元）, 公务用车购置及运行费/购置费（万元）, 增减率（%）, 人员编制（名）.
func ColumnTitle(c *fiscal.Column, u fiscal.Unit) string {
	title := strings.Join(append(append([]string{}, c.Group...), c.Title), "/")
	switch c.Type {
	case fiscal.MoneyColumn:
		return title + "（" + u.String() + "）"
	case fiscal.PercentColumn:
		return title + "（%）"
	case fiscal.CountColumn:
		if c.Unit != "" {
			return title + "（" + c.Unit + "）"
		}
	}
	return title
}

// RoleName names a row's role for a reader: 合计, 小计, 其中, or 明细.
func RoleName(r fiscal.Role) string {
	switch r {
	case fiscal.Total:
		return "合计"
	case fiscal.Subtotal:
		return "小计"
	case fiscal.Memo:
		return "其中"
	}
	return "明细"
}

// cellText writes a cell for the CSV: money in unit u with its two
// decimals and no separators (2966.24, -168.97), a percentage as stated,
// a count as a whole number (with the row's unit where the column has
// none), words as they are; "" for a blank cell.
func cellText(r *fiscal.Row, c *fiscal.Column, u fiscal.Unit) string {
	cell := r.Cell(c.ID)
	if cell == nil {
		return ""
	}
	switch c.Type {
	case fiscal.MoneyColumn:
		return fiscal.FormatPlain(cell.Fig.Fen, u, u.Places())
	case fiscal.PercentColumn:
		return cell.Dec.String()
	case fiscal.CountColumn:
		s := strconv.FormatInt(cell.Count, 10)
		if c.Unit == "" {
			s += r.CountUnit
		}
		return s
	}
	return cell.Text
}

// Disclosure is the JSON of one disclosure: what it is and its tables.
// The file adds "fields", the names of a fact's values ([FactFields]), and
// "facts", every published amount as an array of those values, one per
// line: a table in JSON, without repeating the keys on every line.
type Disclosure struct {
	Title    string  `json:"title"`
	Body     string  `json:"body"`      // the body's folder name
	BodyName string  `json:"body_name"` // its full name
	Example  bool    `json:"example,omitempty"`
	Year     int     `json:"year"`
	Kind     string  `json:"kind"`  // 预算 or 决算
	Scope    string  `json:"scope"` // 部门 or 单位
	Unit     string  `json:"unit"`
	Tables   []Table `json:"tables"`
}

// Table describes one table in the JSON.
type Table struct {
	ID     string `json:"id"` // the name facts and Markdown refer to it by
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	Number string `json:"number,omitempty"`
	Unit   string `json:"unit,omitempty"` // of its amounts; none if it has none
	Note   string `json:"note,omitempty"`
	CSV    string `json:"csv"` // the file name of its CSV, beside the JSON
}

// FactFields name the values of a fact in the JSON, in order: the table
// (its id), the part (rows, income, expenditure), the row's id and its
// name as published, the column, flow, fund, 功能分类 and 经济分类 codes,
// nature and measure (empty where the fact has none), and the amount: a
// JSON number, exactly the figure in the table's unit (2966.24 in a 万元
// table, written with the table's two decimals).
var FactFields = []string{"table", "part", "row", "name", "column", "flow", "fund", "func_code", "econ_code", "nature", "measure", "amount"}

// JSON writes the JSON of d, keys in a fixed order, without space, as the
// JSON minifier would write it except that amounts keep their decimals
// (the minifier writes 12000.00 as 12e3). The publish stage writes it as
// it is.
func JSON(d *fiscal.Disclosure, title string) []byte {
	v := Disclosure{Title: title, Body: d.Body.Slug, BodyName: d.Body.Name, Example: d.Body.Example,
		Year: d.Year, Kind: d.Kind.String(), Scope: d.Scope.String(), Unit: d.Unit.String(), Tables: []Table{}}
	names := TableNames(d)
	for i, t := range d.Tables {
		jt := Table{ID: t.ID, Kind: t.Kind.ID, Title: t.Title, Number: t.Number, Note: t.Note, CSV: names[i]}
		if hasMoney(t) {
			jt.Unit = t.Unit.String()
		}
		v.Tables = append(v.Tables, jt)
	}
	var b bytes.Buffer
	head, _ := json.Marshal(v) // plain data: cannot fail
	fields, _ := json.Marshal(FactFields)
	facts := d.Facts()
	b.Grow(len(head) + len(fields) + 128*len(facts)) // a fact is about 100 bytes
	// Splice the facts in before the closing brace.
	b.Write(head[:len(head)-1])
	b.WriteString(`,"fields":`)
	b.Write(fields)
	b.WriteString(`,"facts":[`)
	for i, f := range facts {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('[')
		for _, s := range []string{f.Table, f.Part, f.Row, f.Name, f.Column, f.Flow, f.Fund, f.FuncCode, f.EconCode, f.Nature, f.Measure} {
			appendString(&b, s)
			b.WriteByte(',')
		}
		b.WriteString(fiscal.FormatPlain(f.Fen, f.Unit, f.Unit.Places()))
		b.WriteByte(']')
	}
	b.WriteString("]}")
	return b.Bytes()
}

// appendString writes s as a JSON string exactly as encoding/json does
// (HTML characters and U+2028/U+2029 escaped, invalid UTF-8 as U+FFFD),
// without its reflection: a disclosure has hundreds of facts of eleven
// strings each. FuzzAppendString holds the two together.
func appendString(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			case '\b':
				b.WriteString(`\b`)
			case '\f':
				b.WriteString(`\f`)
			default:
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b.WriteString(s[start:i])
			b.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b.WriteString(s[start:i])
			b.WriteString(`\u202`)
			b.WriteByte(hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// Size says how big a file is, for a download link: 856 B, 1.2 KB, 3.4 MB.
func Size(n int) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d.%d KB", n/1000, n%1000/100)
	}
	return fmt.Sprintf("%d.%d MB", n/1000000, n%1000000/100000)
}

// FileName makes s safe as a file name to offer for saving: the characters
// Windows forbids become _.
func FileName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`\/:*?"<>|`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, s)
}
