package dataset_test

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/disclose/disclose/generator/content"
	"github.com/disclose/disclose/generator/dataset"
	"github.com/disclose/disclose/generator/fiscal"
)

// sites are the example site (every standard table kind, the 盘锦 lists)
// and the real Shanghai package.
var sites = []string{"../..", "../testdata/putuo-2025"}

func load(t *testing.T, dir string) *fiscal.Site {
	t.Helper()
	site, diags := content.Load(os.DirFS(dir))
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	return site
}

// TestTableCSVRoundTrip writes every table of the example site and of the
// Shanghai package as CSV, parses each back, and checks that it starts
// with the UTF-8 BOM and reproduces the table exactly: every row in order
// with its code and name, every money cell to the 分 in the table's unit,
// every percentage and count as stated, every blank cell blank.
func TestTableCSVRoundTrip(t *testing.T) {
	tables, cells := 0, 0
	for _, dir := range sites {
		site := load(t, dir)
		for _, b := range site.Bodies {
			for _, d := range b.Disclosures {
				for _, tab := range d.Tables {
					tables++
					cells += roundTrip(t, d.Path()+" "+tab.ID, tab)
				}
			}
		}
	}
	if tables < 40 || cells < 1000 {
		t.Errorf("only %d tables, %d cells checked", tables, cells)
	}
	t.Logf("%d tables, %d cells read back exactly", tables, cells)
}

func roundTrip(t *testing.T, name string, tab *fiscal.Table) int {
	t.Helper()
	data := dataset.TableCSV(tab)
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("%s: no UTF-8 byte-order mark", name)
	}
	if !bytes.Contains(data, []byte("\r\n")) {
		t.Errorf("%s: lines do not end in CRLF", name)
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	head := records[0]
	col := func(title string) int {
		i := slices.Index(head, title)
		if i < 0 {
			t.Fatalf("%s: no column %q in %q", name, title, head)
		}
		return i
	}
	nameCol := slices.IndexFunc(head, func(h string) bool { return h == "项目" || h == "科目名称" || h == "机构名称" })
	codeCol := slices.Index(head, "科目编码")
	line := 1
	checked := 0
	for _, p := range tab.Parts {
		for _, row := range p.Rows {
			if line >= len(records) {
				t.Fatalf("%s: %d lines, the table has more rows", name, len(records))
			}
			rec := records[line]
			line++
			if rec[nameCol] != row.Name {
				t.Errorf("%s line %d: name %q, want %q", name, line, rec[nameCol], row.Name)
			}
			if codeCol >= 0 && rec[codeCol] != row.Code {
				t.Errorf("%s line %d: code %q, want %q", name, line, rec[codeCol], row.Code)
			}
			for _, c := range p.Columns {
				got := rec[col(dataset.ColumnTitle(c, tab.Unit))]
				cell := row.Cell(c.ID)
				if cell == nil {
					if got != "" {
						t.Errorf("%s line %d %s: %q for a blank cell", name, line, c.ID, got)
					}
					continue
				}
				checked++
				switch c.Type {
				case fiscal.MoneyColumn:
					fig, err := fiscal.ParseFigure(got, tab.Unit)
					if err != nil || fig.Fen != cell.Fig.Fen {
						t.Errorf("%s line %d %s: %q reads as %d分 (%v), want %d分", name, line, c.ID, got, fig.Fen, err, cell.Fig.Fen)
					}
					if strings.Contains(got, ",") {
						t.Errorf("%s: %q has a thousands separator", name, got)
					}
				case fiscal.PercentColumn:
					dec, err := fiscal.ParseDecimal(got, 4)
					if err != nil || dec.Cmp(cell.Dec) != 0 {
						t.Errorf("%s line %d %s: %q, want %s", name, line, c.ID, got, cell.Dec)
					}
				case fiscal.CountColumn:
					n, err := strconv.ParseInt(strings.TrimSuffix(got, row.CountUnit), 10, 64)
					if err != nil || n != cell.Count {
						t.Errorf("%s line %d %s: %q, want %d", name, line, c.ID, got, cell.Count)
					}
				default:
					if got != cell.Text {
						t.Errorf("%s line %d %s: %q, want %q", name, line, c.ID, got, cell.Text)
					}
				}
			}
		}
	}
	if line != len(records) {
		t.Errorf("%s: %d lines, want %d", name, len(records), line)
	}
	return checked
}

// TestJSONFacts checks that the JSON of every disclosure holds every fact,
// each amount exact, and names each table's CSV.
func TestJSONFacts(t *testing.T) {
	for _, dir := range sites {
		site := load(t, dir)
		for _, b := range site.Bodies {
			for _, d := range b.Disclosures {
				data := dataset.JSON(d, "标题")
				var v struct {
					dataset.Disclosure
					Fields []string `json:"fields"`
					Facts  [][]any  `json:"facts"`
				}
				dec := json.NewDecoder(bytes.NewReader(data))
				dec.UseNumber()
				if err := dec.Decode(&v); err != nil {
					t.Fatalf("%s: %v\n%s", d.Path(), err, data)
				}
				facts := d.Facts()
				if len(v.Facts) != len(facts) || v.Year != d.Year || v.Body != b.Slug || v.Kind != d.Kind.String() || !slices.Equal(v.Fields, dataset.FactFields) {
					t.Fatalf("%s: %d facts of %d, %+v", d.Path(), len(v.Facts), len(facts), v.Disclosure)
				}
				units := map[string]string{}
				for _, jt := range v.Tables {
					units[jt.ID] = jt.Unit
				}
				for i, f := range facts {
					jf := v.Facts[i]
					want := []string{f.Table, f.Part, f.Row, f.Name, f.Column, f.Flow, f.Fund, f.FuncCode, f.EconCode, f.Nature, f.Measure}
					for k, w := range want {
						if jf[k] != w {
							t.Errorf("%s fact %d %s = %v, want %q", d.Path(), i, dataset.FactFields[k], jf[k], w)
						}
					}
					u, _ := fiscal.ParseUnit(units[f.Table])
					num, _ := jf[len(want)].(json.Number)
					fig, err := fiscal.ParseFigure(num.String(), u)
					if err != nil || fig.Fen != f.Fen || u != f.Unit {
						t.Errorf("%s fact %d: amount %v %s, want %d分", d.Path(), i, jf[len(want)], units[f.Table], f.Fen)
					}
				}
				names := dataset.TableNames(d)
				for i, jt := range v.Tables {
					if jt.CSV != names[i] || jt.ID != d.Tables[i].ID {
						t.Errorf("%s table %d: %+v", d.Path(), i, jt)
					}
				}
			}
		}
	}
}

func TestTableNames(t *testing.T) {
	fsys := fstest.MapFS{
		"content/site.toml":                  {Data: []byte("title = \"t\"\n")},
		"content/demo/body.toml":             {Data: []byte("name = \"示例局\"\n")},
		"content/demo/2020/budget/data.toml": {Data: []byte("unit = \"万元\"\n[[table]]\nkind = \"list\"\nid = \"甲\"\nrows = [{ name = \"a\", amount = 1 }]\n[[table]]\nkind = \"list\"\nid = \"乙\"\nrows = [{ name = \"b\", amount = 2 }]\n")},
	}
	site, diags := content.Load(fsys)
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	d := site.Bodies[0].Disclosures[0]
	if got := dataset.TableNames(d); !slices.Equal(got, []string{"list.csv", "list-2.csv"}) {
		t.Errorf("names = %q", got)
	}
	if got := dataset.Path(d, "list.csv"); got != "demo/2020/budget/data/list.csv" {
		t.Errorf("path = %q", got)
	}
}

func TestSizeAndFileName(t *testing.T) {
	for n, want := range map[int]string{0: "0 B", 999: "999 B", 1000: "1.0 KB", 1234: "1.2 KB", 2_500_000: "2.5 MB"} {
		if got := dataset.Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
	if got := dataset.FileName(`a/b:c*?"<>|d`); got != "a_b_c______d" {
		t.Errorf("FileName = %q", got)
	}
}

// ExampleTableCSV writes the 三公 list of the 盘锦 2020 budget.
func ExampleTableCSV() {
	site, _ := content.Load(os.DirFS("../.."))
	for _, b := range site.Bodies {
		for _, d := range b.Disclosures {
			if d.Path() == "panjin-zhcs/2020/budget" {
				out := dataset.TableCSV(d.Table("三公"))
				fmt.Print(strings.ReplaceAll(strings.TrimPrefix(string(out), dataset.BOM), "\r\n", "\n"))
			}
		}
	}
	// Output:
	// 项目,层级,行类型,金额（万元）,增减额（万元）,增减率（%）,主要原因
	// “三公”经费,0,合计,5.00,-4.00,-44.44,
	// 因公出国（境）费,0,明细,0.00,0.00,,
	// 公务接待费,0,明细,0.00,0.00,,
	// 公务用车购置及运行费,0,小计,5.00,-4.00,-44.44,公务车辆减少
	// 公务用车购置费,1,明细,0.00,0.00,,
	// 公务用车运行费,1,明细,5.00,-4.00,-44.44,
}

// TestCSVFormulas: a text a spreadsheet would run as a formula is written
// after a ' so it stays text; numbers and a lone dash are left as they are.
func TestCSVFormulas(t *testing.T) {
	tests := []struct{ in, want string }{
		{`=HYPERLINK("http://evil.example/","点击")`, `'=HYPERLINK("http://evil.example/","点击")`},
		{"@SUM(A1:A9)|cmd", "'@SUM(A1:A9)|cmd"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-其中：办公费", "'-其中：办公费"},
		{"\tx", "'\tx"},
		{"-12.50", "-12.50"},
		{"+3", "+3"},
		{"-5.43%", "-5.43%"},
		{"-", "-"},
		{"基本支出", "基本支出"},
	}
	for _, tt := range tests {
		data := dataset.CSV([][]string{{"名称"}, {tt.in}})
		rows, err := csv.NewReader(bytes.NewReader(data[len(dataset.BOM):])).ReadAll()
		if err != nil || len(rows) != 2 || rows[1][0] != tt.want {
			t.Errorf("%q: read back %q, %v; want %q", tt.in, rows, err, tt.want)
		}
	}
}

// referenceCSV is CSV as encoding/csv's Writer writes it: what CSV
// writes, byte for byte, without the Writer.
func referenceCSV(rows [][]string) []byte {
	var b bytes.Buffer
	b.WriteString(dataset.BOM)
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	for _, r := range rows {
		r = slices.Clone(r)
		for i, f := range r {
			if _, err := fiscal.ParseDecimal(f, 20); strings.ContainsRune("=+-@\t\r", rune(cmp.Or(f, "x")[0])) &&
				f != "-" && f != "+" && (err != nil || !strings.ContainsRune("+-", rune(f[0]))) {
				r[i] = "'" + f
			}
		}
		_ = w.Write(r)
	}
	w.Flush()
	return b.Bytes()
}

// TestCSVWriter: CSV quotes, doubles and breaks lines as encoding/csv does.
func TestCSVWriter(t *testing.T) {
	for _, rows := range [][][]string{
		{{"a", "b"}, {"", ""}, {}},
		{{"a,b", `say "hi"`, "two\nlines", "cr\r\nlf", "lone\rcr"}},
		{{" lead", "\u3000全角空格", "trail ", `\.`, `'\.`, "\t=1"}},
		{{"=1+1", "-12.50", "-", "+", "-x", "@", "基本支出"}},
	} {
		if got, want := dataset.CSV(rows), referenceCSV(rows); !bytes.Equal(got, want) {
			t.Errorf("%q:\n got %q\nwant %q", rows, got, want)
		}
	}
}

// FuzzCSV: whatever the fields, the CSV is encoding/csv's and reads back
// as they were, with a ' before those a spreadsheet would take for
// formulas and nothing else.
func FuzzCSV(f *testing.F) {
	for _, s := range []string{"=1+1", "-12.50", "a,b", "\"q\"", "-", "@x", "x\r\ny", " x", `\.`} {
		f.Add(s, "基本支出")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := dataset.CSV([][]string{{a, b}}), referenceCSV([][]string{{a, b}}); !bytes.Equal(got, want) {
			t.Fatalf("%q %q:\n got %q\nwant %q", a, b, got, want)
		}
		if !utf8.ValidString(a) || !utf8.ValidString(b) || strings.ContainsAny(a+b, "\r\x00") {
			t.Skip() // encoding/csv turns \r\n into \n; CSV holds text
		}
		data := dataset.CSV([][]string{{a, b}})
		rows, err := csv.NewReader(bytes.NewReader(data[len(dataset.BOM):])).ReadAll()
		if err != nil {
			t.Fatalf("%q %q: %v", a, b, err)
		}
		if a == "" && b == "" {
			return // a blank line, which a CSV reader skips
		}
		for i, in := range []string{a, b} {
			got := rows[0][i]
			if got != in && got != "'"+in {
				t.Errorf("%q read back as %q", in, got)
			}
			if got != in && (in == "" || !strings.ContainsRune("=+-@\t", rune(in[0]))) {
				t.Errorf("%q given a ' it does not need", in)
			}
		}
	})
}
