package fiscal

import (
	_ "embed"
	"fmt"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/tomlpos"
)

//go:embed catalog/classification.toml
var builtinClassification []byte

// ClassEntry is one name of a classification code, valid from one year to
// another (0: open).
type ClassEntry struct {
	Scheme   CodeScheme
	Code     string
	Name     string
	From, To int
}

// ValidIn reports whether the entry's name is valid in year.
func (e ClassEntry) ValidIn(year int) bool {
	return (e.From == 0 || year >= e.From) && (e.To == 0 || year <= e.To)
}

// Move records a code a reform replaced: Code by To, from Year on.
type Move struct {
	Scheme CodeScheme
	Code   string
	To     string
	Year   int
}

// Classification is the catalogue of 政府收支分类科目: codes with the names
// valid per year, and the codes reforms moved.
type Classification struct {
	entries map[CodeScheme]map[string][]ClassEntry
	order   map[CodeScheme][]string
	Moves   []Move
}

// BuiltinClassification returns the built-in classification file.
func BuiltinClassification() CatalogFile {
	return CatalogFile{Name: "(内置) catalog/classification.toml", Data: builtinClassification}
}

// LoadClassification reads classification files in order; later files add
// entries. Problems go to diags.
func LoadClassification(diags *diag.List, files ...CatalogFile) *Classification {
	c := &Classification{
		entries: map[CodeScheme]map[string][]ClassEntry{Function: {}, Economic: {}},
		order:   map[CodeScheme][]string{},
	}
	for _, f := range files {
		r, top, ok := tomlpos.Read(diags, f.Name, f.Data, "")
		if !ok {
			continue
		}
		for _, scheme := range []CodeScheme{Function, Economic} {
			for i, n := range top.Tables(string(scheme)) {
				o := r.Object(n, fmt.Sprintf("%s 第 %d 项", scheme, i+1))
				e := ClassEntry{Scheme: scheme}
				if o.Require("code", `例如 code = "2010601"`) {
					e.Code, _ = o.String("code")
				}
				if o.Require("name", `例如 name = "行政运行"`) {
					e.Name, _ = o.String("name")
				}
				if v, ok := o.Int("from"); ok {
					e.From = int(v)
				}
				if v, ok := o.Int("to"); ok {
					e.To = int(v)
				}
				o.Done()
				if !ValidCode(e.Code, scheme) {
					r.Errorf(n.Pos, "catalog.code", "编码 %q 不是有效的%s编码", e.Code, scheme)
					continue
				}
				c.add(e)
			}
		}
		for i, n := range top.Tables("moved") {
			o := r.Object(n, fmt.Sprintf("moved 第 %d 项", i+1))
			m := Move{Scheme: Function}
			m.Code, _ = o.String("code")
			m.To, _ = o.String("to")
			if v, ok := o.Int("year"); ok {
				m.Year = int(v)
			}
			if s, ok := o.String("scheme"); ok {
				m.Scheme = CodeScheme(s)
			}
			o.Done()
			c.Moves = append(c.Moves, m)
		}
		top.Done()
	}
	return c
}

func (c *Classification) add(e ClassEntry) {
	list := c.entries[e.Scheme][e.Code]
	for _, x := range list {
		if x == e {
			return
		}
	}
	if len(list) == 0 {
		c.order[e.Scheme] = append(c.order[e.Scheme], e.Code)
	}
	c.entries[e.Scheme][e.Code] = append(list, e)
}

// Known reports whether code is in the catalogue at all.
func (c *Classification) Known(s CodeScheme, code string) bool {
	return len(c.entries[s][code]) > 0
}

// Name returns the name of code valid in year, and whether there is one.
func (c *Classification) Name(s CodeScheme, code string, year int) (string, bool) {
	for _, e := range c.entries[s][code] {
		if e.ValidIn(year) {
			return e.Name, true
		}
	}
	return "", false
}

// Names returns every name code has had, with its years.
func (c *Classification) Names(s CodeScheme, code string) []ClassEntry {
	return c.entries[s][code]
}

// Codes returns the codes of a scheme in catalogue order.
func (c *Classification) Codes(s CodeScheme) []string { return c.order[s] }

// ValidCode reports whether code has the digits and length of its scheme
// (NoCodes counts as Function).
func ValidCode(code string, s CodeScheme) bool {
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	if s == Economic {
		return len(code) == 3 || len(code) == 5
	}
	return len(code) == 3 || len(code) == 5 || len(code) == 7
}
