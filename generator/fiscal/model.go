// Package fiscal is the model of a disclosure site: exact money, bodies and
// their disclosures, tables by meaning with the catalogue of table kinds, and
// the fact table every later stage reads.
//
// Money is an int64 number of 分 everywhere; a [Figure] also remembers how
// many decimals the document printed, so pages can show what was published.
package fiscal

import (
	"fmt"
	"strings"
	"time"

	"github.com/disclose/disclose/generator/tomlpos"
)

// Site is everything a build reads: configuration, glossary, bodies.
type Site struct {
	Config         Config
	Glossary       []*Term
	Bodies         []*Body
	Catalog        *Catalog
	Classification *Classification
}

// Config is site.toml.
type Config struct {
	Title       string
	BaseURL     string // absolute, ending in '/'; its path is the site's sub-path
	Language    string
	Description string
	Publisher   Publisher
	// UnsafeHTML lets raw HTML in Markdown through; by default it is shown
	// as text.
	UnsafeHTML bool
	// GlossaryMark says which occurrences of glossary terms the narrative
	// marks: "section" (the first in each section; "" means it), "heading",
	// "page" or "off". See glossary.Mode.
	GlossaryMark string
	// Checks is the [checks] table of site.toml as written (nil when
	// absent): the checker (generator/check) decodes it strictly, since
	// only it knows its rules and their settings.
	Checks *tomlpos.Node
}

// Publisher holds the facts a government site shows about who runs it.
type Publisher struct {
	Name       string // 主办单位
	SiteName   string
	SiteIDCode string // 网站标识码
	ICP        string // ICP 备案号
	PublicSec  string // 公安机关备案号
	Contact    string
	// SiteDomain is the SiteDomain page metadata; empty means the base
	// URL's host.
	SiteDomain string
	// ColumnName is the ColumnName metadata of pages that are not a
	// disclosure (a disclosure's column is its kind, e.g. 部门预算).
	ColumnName string
	// PublicSecLink is where the 公安机关备案号 links; empty means the
	// national record's page for the number's digits.
	PublicSecLink string
	// ConacID is the site's id at the 党政机关网站标识 registry, for the
	// static badge link in the footer.
	ConacID string
}

// Term is one glossary entry (名词解释).
type Term struct {
	Term       string
	Aliases    []string
	Definition string // Markdown
	Code       string // a classification code, for terms like 一般公共服务（类）财政事务（款）行政运行（项）
	From, To   int    // years the term (and its name) is valid; 0 means open
	Source     Source
}

// Body is one disclosing body: a 部门 or a 单位.
type Body struct {
	Slug      string // folder name, the URL path segment
	Name      string
	ShortName string
	Code      string
	Type      string // 行政, 参公, 事业
	Parent    string // slug of the department a 单位 belongs to
	Region    string
	// Example marks a synthetic body: its pages say 示例数据（虚构）.
	Example     bool
	Disclosures []*Disclosure // by year, then budget before final
	Source      Source
}

// DisplayName returns the short name if there is one, else the name.
func (b *Body) DisplayName() string {
	if b.ShortName != "" {
		return b.ShortName
	}
	return b.Name
}

// Kind is budget (预算) or final account (决算).
type Kind uint8

const (
	Budget Kind = iota + 1
	Final
)

// ParseKind reads a disclosure folder name: budget or final.
func ParseKind(s string) (Kind, bool) {
	switch s {
	case "budget":
		return Budget, true
	case "final":
		return Final, true
	}
	return 0, false
}

// Slug returns the folder and URL name: budget or final.
func (k Kind) Slug() string {
	if k == Final {
		return "final"
	}
	return "budget"
}

// String returns 预算 or 决算.
func (k Kind) String() string {
	if k == Final {
		return "决算"
	}
	return "预算"
}

// Scope says whether a disclosure covers a department with its units (部门)
// or one unit (单位). Cross-body totals add only 部门 disclosures.
type Scope uint8

const (
	Department Scope = iota
	UnitScope
)

func (s Scope) String() string {
	if s == UnitScope {
		return "单位"
	}
	return "部门"
}

// Source is where a value was written.
type Source struct {
	File      string
	Line, Col int
}

func (s Source) String() string {
	if s.Line == 0 {
		return s.File
	}
	return fmt.Sprintf("%s:%d:%d", s.File, s.Line, s.Col)
}

// Disclosure is one published document: a body's budget or final account of
// one year.
type Disclosure struct {
	Body  *Body
	Year  int
	Kind  Kind
	Scope Scope
	Unit  Unit
	// Title defaults to <body name><year>年度部门预算.
	Title      string
	Approved   time.Time // 批复日期
	ApprovalNo string    // 批复文号
	Published  time.Time // 公开日期
	Updated    time.Time // 更新日期
	Tables     []*Table
	// Terms lists the glossary terms the document's 名词解释 explains, in its
	// published order.
	Terms       []string
	TermsSource Source
	// Sources says where data.toml wrote its settings (title, approved,
	// published, updated), by key, for findings about them.
	Sources map[string]Source
	// Glossary holds the document's own definitions, which win over the
	// site glossary on this page.
	Glossary []*Term
	Sections []*Section
	DataFile string
}

// Path returns the disclosure's path below the site root: body/year/kind.
func (d *Disclosure) Path() string {
	return fmt.Sprintf("%s/%d/%s", d.Body.Slug, d.Year, d.Kind.Slug())
}

// DefaultTitle is the title a disclosure has when data.toml names none.
func (d *Disclosure) DefaultTitle() string {
	s := "部门"
	if d.Scope == UnitScope {
		s = "单位"
	}
	return fmt.Sprintf("%s%d年度%s%s", d.Body.Name, d.Year, s, d.Kind)
}

// Table returns the table whose reference name or kind is ref, or nil.
func (d *Disclosure) Table(ref string) *Table {
	ref = NormName(ref)
	for _, t := range d.Tables {
		if t.normID() == ref {
			return t
		}
	}
	for _, t := range d.Tables {
		if t.Kind.ID == ref || NormName(t.Title) == ref {
			return t
		}
	}
	return nil
}

// Section is one Markdown file of a disclosure.
type Section struct {
	File   string
	Title  string
	Weight int
	ID     string // anchor; from front matter or derived from the title
	// TitleSource is where the title is written; IDSource where the id
	// is, when the front matter gives one.
	TitleSource, IDSource Source
	// Markdown is the body after the front matter; Line is the line of the
	// file its first line is, so positions inside it can be reported.
	Markdown []byte
	Line     int
}

// Table is one table of a disclosure, by meaning (its Kind) with its
// published title, number and unit.
type Table struct {
	ID     string // reference name, unique in the disclosure
	Kind   *TableKind
	Title  string
	Number string // 表号 as published, e.g. 1 or 表一
	Unit   Unit
	// Note is the published note, e.g. 本表为空表 and why.
	Note string
	// Empty marks a table published with no figures; it must carry a Note.
	Empty bool
	// Base is what stated changes in this table compare with (上年预算,
	// 上年执行数, 上年决算); rows may say otherwise.
	Base   string
	Parts  []*Part
	Source Source
	// TitleSource is where data.toml writes the title (zero when the
	// catalogue's name stands).
	TitleSource Source

	// norm is NormName(normOf), kept by SetID for Disclosure.Table.
	norm, normOf string
}

// SetID sets the table's reference name. Disclosure.Table, which runs for
// every reference of the text and every rule, then compares its normal
// form without working it out again.
func (t *Table) SetID(id string) {
	t.ID, t.norm, t.normOf = id, NormName(id), id
}

// normID is NormName(t.ID), kept if SetID set it and ID has not changed.
func (t *Table) normID() string {
	if t.normOf == t.ID && t.normOf != "" {
		return t.norm
	}
	return NormName(t.ID)
}

// NameHeading is the heading of the table's name column as documents print
// it: 机构名称 for the list of organisations, 科目名称 beside codes, else 项目.
func (t *Table) NameHeading(hasCode bool) string {
	switch {
	case t.Kind.ID == "org":
		return "机构名称"
	case hasCode:
		return "科目名称"
	}
	return "项目"
}

// Heading names a part of a table (收入, 支出): its kind's title, else its
// key.
func (p *Part) Heading() string {
	if p.Kind.Title != "" {
		return p.Kind.Title
	}
	return p.Kind.Key
}

// Part returns the part with the given key, or nil.
func (t *Table) Part(key string) *Part {
	for _, p := range t.Parts {
		if p.Kind.Key == key {
			return p
		}
	}
	return nil
}

// Row finds a row by id, code or published name across the table's parts.
// It reports an error naming the candidates when the key is ambiguous.
func (t *Table) Row(key string) (*Row, error) {
	var found []*Row
	nk := NormName(key)
	for _, p := range t.Parts {
		for _, r := range p.Rows {
			if r.ID == key || (r.Code != "" && r.Code == key) || NormName(r.Name) == nk ||
				(r.Known != nil && p.Kind.Known(key) == r.Known) {
				found = append(found, r)
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("表“%s”中没有“%s”这一行", t.ID, key)
	case 1:
		return found[0], nil
	}
	var names []string
	for _, r := range found {
		names = append(names, r.Label())
	}
	return nil, fmt.Errorf("表“%s”中有 %d 行都叫“%s”（%s），请改用编码或 id", t.ID, len(found), key, strings.Join(names, "；"))
}

// Part is one row list of a table with the columns it publishes.
type Part struct {
	Kind    *PartKind
	Columns []*Column // published columns, in order
	Rows    []*Row
}

// Row is one row of a part.
type Row struct {
	ID    string
	Code  string // classification code, normalised to digits
	Name  string // as published
	Known *KnownRow
	Role  Role
	// Level is the indentation: 0 for a total or a top row, 1 for a part of
	// the row above (款 under 类, 公务用车购置费 under 公务用车购置及运行费).
	Level int
	// Parent is the row this one is a part of, or nil.
	Parent    *Row
	CountUnit string // for count cells: 个, 辆, 名
	Base      string
	// Cells holds the row's filled cells in column order; a blank cell has
	// none. (A slice, not a map: rows are many and have few cells.)
	Cells  []*Cell
	Source Source
}

// Label is how the row is named in messages: code and name.
func (r *Row) Label() string {
	if r.Code != "" {
		return r.Code + " " + r.Name
	}
	return r.Name
}

// Cell returns the cell of column id, or nil when the row leaves it blank.
func (r *Row) Cell(id string) *Cell {
	for _, c := range r.Cells {
		if c.Column.ID == id {
			return c
		}
	}
	return nil
}

// Cell is one published value.
type Cell struct {
	Column *Column
	Fig    Figure  // MoneyColumn
	Dec    Decimal // PercentColumn
	Count  int64   // CountColumn
	Text   string  // TextColumn
	Source Source
}
