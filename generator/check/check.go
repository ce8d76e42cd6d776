// Package check finds the figures of a disclosure site that do not add up,
// with the file and line of each: the checks an auditor applies to a
// 部门预算/决算公开 (fiscal-domain.md §4), before the pages go out.
//
// Most rules are declarative relations over the tables of a disclosure,
// held in an embedded rule file (rules.toml) that a site extends with
// content/catalog/checks.toml; see [ParseExpr] for their language. The rules
// that need code (sums over a table's tree, stated changes and their
// reasons, classification names, completeness, placeholders, amounts typed
// in prose, figures across years) are named [Rule] values, and callers may
// add their own (New's extra rules), such as glossary checks.
//
// Printed figures are rounded, so every comparison knows how far the printed
// values may be off ((n + 1) × half a unit of the last printed digit for a
// sum of n parts; ±0.01 percentage points beyond what the printed figures
// allow for a recomputed percentage): a difference within that bound is a
// rounding note (diag.Note), beyond it a finding with the rule's severity.
// Tolerances and severities are configurable per rule in the [checks] table
// of site.toml.
//
// Findings are diag.Diagnostic values naming the rule, the figure's
// file:line:column, a message for editors in Chinese, and the expected and
// found values with their difference. They are for editors (disclose check,
// disclose build), never for readers' pages.
package check

import (
	"cmp"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"sync"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
)

// A Rule is a check written in Go. Site runs once per check with the whole
// site; Disclosure runs for every disclosure, in parallel with the others,
// so it must not share mutable state. Either may be nil.
type Rule struct {
	ID       string        // group.name, e.g. glossary.unused; the group names a family in settings
	Name     string        // what it checks, in Chinese, for disclose check --rules
	Severity diag.Severity // of its findings, unless the site's settings say otherwise

	Site       func(r *Reporter, s *fiscal.Site)
	Disclosure func(r *Reporter, d *fiscal.Disclosure)
}

// Finding is what a rule reports. The checker adds the rule id, the
// severity the settings give the rule and the disclosure.
type Finding struct {
	Source  fiscal.Source
	Message string
	// Expected, Found, Difference and Unit describe the values compared,
	// when there are values (see diag.Diagnostic).
	Expected, Found, Difference, Unit string
	// Rounding marks a difference within the rounding bound: it is
	// reported as a note, not with the rule's severity.
	Rounding bool
}

// Reporter is how a rule reports findings; it knows the rule, the
// settings and, for a disclosure rule, the disclosure.
type Reporter struct {
	rule     *Rule
	settings *Settings
	d        *fiscal.Disclosure
	st       *state // the disclosure's state, for built-in rules
	out      *diag.List
}

// Report records f.
func (r *Reporter) Report(f Finding) {
	sev := r.settings.severity(r.rule.ID, r.rule.Severity)
	if sev == severityOff {
		return
	}
	if f.Rounding {
		sev = diag.Note
	}
	d := diag.Diagnostic{
		File: f.Source.File, Line: f.Source.Line, Col: f.Source.Col,
		Severity: sev, Rule: r.rule.ID, Message: f.Message,
		Expected: f.Expected, Found: f.Found, Difference: f.Difference, Unit: f.Unit,
	}
	if r.d != nil {
		d.Disclosure = r.d.Path()
	}
	r.out.Add(d)
}

// Reportf records a finding that is not about a value.
func (r *Reporter) Reportf(src fiscal.Source, format string, args ...any) {
	r.Report(Finding{Source: src, Message: fmt.Sprintf(format, args...)})
}

// Settings returns the site's [checks] settings.
func (r *Reporter) Settings() *Settings { return r.settings }

// Checker checks sites against a set of rules.
type Checker struct {
	rules    *Rules
	relRules []*Rule // the rule of each relation, for reporting
	code     []*Rule
	settings Settings
}

// New reads the rules, the built-in ones and then fsys's
// content/catalog/checks.toml (fsys may be nil), against the site's table
// catalogue, and the site's [checks] settings. extra adds code rules to the
// built-in ones. Problems in the rule file or the settings are returned as
// errors with file:line:column.
func New(fsys fs.FS, site *fiscal.Site, extra ...Rule) (*Checker, diag.List) {
	var diags diag.List
	files := []fiscal.CatalogFile{BuiltinRules()}
	if fsys != nil {
		if data, err := fs.ReadFile(fsys, SiteRulesFile); err == nil {
			files = append(files, fiscal.CatalogFile{Name: SiteRulesFile, Data: data})
		}
	}
	c := &Checker{rules: LoadRules(&diags, site.Catalog, files...)}
	for _, rel := range c.rules.Relations {
		c.relRules = append(c.relRules, &Rule{ID: rel.ID, Name: rel.Name, Severity: rel.Severity})
	}
	c.code = builtinCodeRules()
	for i := range extra {
		c.code = append(c.code, &extra[i])
	}
	// A relation may replace a relation, not a rule written in code: it
	// would run beside it under one id.
	for _, rel := range c.rules.Relations {
		if slices.ContainsFunc(c.code, func(r *Rule) bool { return r.ID == rel.ID }) {
			diags.Errorf(rel.Source.File, rel.Source.Line, rel.Source.Col, "checks.rules",
				"规则编号 %s 是程序内置的规则，checks.toml 不能替换它：请另起编号（如 local.…）；不需要内置规则时，在 site.toml 的 [checks] 中用 off 关闭", rel.ID)
		}
	}
	c.settings = readSettings(&diags, "content/site.toml", site.Config.Checks, c.ids())
	return c, diags
}

// ids lists every rule id: relations, then code rules.
func (c *Checker) ids() []string {
	var ids []string
	for _, r := range c.rules.Relations {
		ids = append(ids, r.ID)
	}
	for _, r := range c.code {
		ids = append(ids, r.ID)
	}
	return ids
}

// Settings returns the site's [checks] settings.
func (c *Checker) Settings() Settings { return c.settings }

// RuleInfo describes one rule for listings.
type RuleInfo struct {
	ID, Name string
	Severity diag.Severity // as the settings make it; severityOff is shown as 关闭
	Off      bool
	Declared fiscal.Source // where a relation is declared; zero for code rules
	// Tolerance says the rule's own tolerances, set for it or its group
	// in [checks.rule.…]; "" when it has the site's.
	Tolerance string
}

// Rules lists every rule with its effective severity, relations first, in
// the order they are declared.
func (c *Checker) Rules() []RuleInfo {
	var out []RuleInfo
	add := func(id, name string, def diag.Severity, src fiscal.Source) {
		sev := c.settings.severity(id, def)
		out = append(out, RuleInfo{ID: id, Name: name, Severity: sev, Off: sev == severityOff, Declared: src, Tolerance: c.settings.ruleTolerance(id)})
	}
	for _, r := range c.rules.Relations {
		add(r.ID, r.Name, r.Severity, r.Source)
	}
	for _, r := range c.code {
		add(r.ID, r.Name, r.Severity, fiscal.Source{})
	}
	return out
}

// Check checks every disclosure of the site and the site as a whole, and
// returns the findings sorted by disclosure, file, line and column. The
// result does not depend on GOMAXPROCS.
func (c *Checker) Check(site *fiscal.Site) diag.List {
	return c.CheckReusing(site, nil, nil)
}

// CheckReusing is Check for a site checked again and again as it changes
// (disclose serve). When reuse is set, it is asked first for a
// disclosure's findings: it returns them, and true, when an earlier check
// of the same inputs found them (the disclosure's files and those of the
// other disclosures of its body, which year-on-year rules read, the
// catalogues and the check settings). When found is set it receives the
// findings of every disclosure checked anew (from several goroutines).
func (c *Checker) CheckReusing(site *fiscal.Site, reuse func(*fiscal.Disclosure) (diag.List, bool), found func(*fiscal.Disclosure, diag.List)) diag.List {
	out := c.checkBodies(site, reuse, found)
	out = append(out, c.CheckSite(site)...)
	Sort(out)
	return out
}

// CheckBody checks the disclosures of one body of site (the rules that
// compare years read only its own). With CheckSite once for the whole
// site, it finds what Check finds: a build that streams the site body by
// body checks each as it loads it.
func (c *Checker) CheckBody(site *fiscal.Site, b *fiscal.Body) diag.List {
	one := *site
	one.Bodies = []*fiscal.Body{b}
	out := c.checkBodies(&one, nil, nil)
	Sort(out)
	return out
}

// CheckSite runs the rules that look at the whole site (a site's own code
// rules; none is built in).
func (c *Checker) CheckSite(site *fiscal.Site) diag.List {
	var out diag.List
	for _, r := range c.code {
		if r.Site != nil {
			r.Site(&Reporter{rule: r, settings: &c.settings, out: &out}, site)
		}
	}
	Sort(out)
	return out
}

// checkBodies runs the disclosure rules on every disclosure of site.
func (c *Checker) checkBodies(site *fiscal.Site, reuse func(*fiscal.Disclosure) (diag.List, bool), found func(*fiscal.Disclosure, diag.List)) diag.List {
	idx := newSiteIndex(site)
	var all []*fiscal.Disclosure
	for _, b := range site.Bodies {
		all = append(all, b.Disclosures...)
	}
	results := make([]diag.List, len(all))
	var todo []int
	for i, d := range all {
		if reuse != nil {
			if l, ok := reuse(d); ok {
				results[i] = l
				continue
			}
		}
		todo = append(todo, i)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(all))) {
		wg.Go(func() {
			for i := range next {
				results[i] = c.checkDisclosure(idx, all[i])
				if found != nil {
					found(all[i], results[i])
				}
			}
		})
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	var out diag.List
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}

func (c *Checker) checkDisclosure(idx *siteIndex, d *fiscal.Disclosure) diag.List {
	var out diag.List
	st := newState(d, idx, c.rules)
	for i, rel := range c.rules.Relations {
		if c.settings.severity(rel.ID, rel.Severity) == severityOff || !rel.applies(d) {
			continue
		}
		st.relation(&Reporter{rule: c.relRules[i], settings: &c.settings, d: d, st: st, out: &out}, rel)
	}
	for _, r := range c.code {
		if r.Disclosure == nil || c.settings.severity(r.ID, r.Severity) == severityOff {
			continue
		}
		r.Disclosure(&Reporter{rule: r, settings: &c.settings, d: d, st: st, out: &out}, d)
	}
	return out
}

func (rel *Relation) applies(d *fiscal.Disclosure) bool {
	if rel.Kind != 0 && rel.Kind != d.Kind {
		return false
	}
	if len(rel.Body) > 0 && !slices.Contains(rel.Body, d.Body.Type) {
		return false
	}
	return true
}

// Sort orders findings by disclosure (site-wide ones first), then file,
// line, column, severity and message.
func Sort(l diag.List) {
	slices.SortStableFunc(l, func(a, b diag.Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Disclosure, b.Disclosure),
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Strictness says whether warnings fail a check, and so stop a strict
// build: as site.toml's [checks] strict says, or as the command line says
// over it.
type Strictness int8

const (
	StrictAsSite Strictness = iota // [checks] strict in site.toml; false when unset
	StrictOn                       // --strict
	StrictOff                      // --strict=false
)

// Of returns whether warnings fail under the site's settings s.
func (st Strictness) Of(s Settings) bool {
	switch st {
	case StrictOn:
		return true
	case StrictOff:
		return false
	}
	return s.Strict
}

// Fails reports whether findings fail a check: any error, or with strict
// any warning. Notes never fail.
func Fails(findings diag.List, strict bool) bool {
	return findings.Count(diag.Error) > 0 || strict && findings.Count(diag.Warning) > 0
}

// siteIndex finds the disclosures a rule compares with: a body's other
// years and kinds.
type siteIndex struct {
	site  *fiscal.Site
	byKey map[discKey]*fiscal.Disclosure
}

type discKey struct {
	body string
	year int
	kind fiscal.Kind
}

func newSiteIndex(site *fiscal.Site) *siteIndex {
	idx := &siteIndex{site: site, byKey: map[discKey]*fiscal.Disclosure{}}
	for _, b := range site.Bodies {
		for _, d := range b.Disclosures {
			idx.byKey[discKey{b.Slug, d.Year, d.Kind}] = d
		}
	}
	return idx
}

// related returns the disclosure a qualifier names: prev, the previous
// year's of the same kind; budget, the same year's budget.
func (idx *siteIndex) related(d *fiscal.Disclosure, qual string) *fiscal.Disclosure {
	switch qual {
	case "":
		return d
	case "prev":
		return idx.byKey[discKey{d.Body.Slug, d.Year - 1, d.Kind}]
	case "budget":
		if d.Kind == fiscal.Budget {
			return nil
		}
		return idx.byKey[discKey{d.Body.Slug, d.Year, fiscal.Budget}]
	}
	return nil
}
