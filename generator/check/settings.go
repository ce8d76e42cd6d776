package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
	"github.com/disclose/disclose/generator/tomlpos"
)

// severityOff turns a rule off in the settings.
const severityOff diag.Severity = 255

func parseSeverity(s string) (diag.Severity, bool) {
	switch s {
	case "error", "错误":
		return diag.Error, true
	case "warning", "警告":
		return diag.Warning, true
	case "note", "提示":
		return diag.Note, true
	case "off", "关闭":
		return severityOff, true
	}
	return 0, false
}

// Settings are the [checks] table of site.toml: tolerances, strictness and
// per-rule severities. The zero Settings are the defaults.
type Settings struct {
	// Strict makes warnings fail disclose check and disclose build, as
	// --strict does.
	Strict  bool
	amount  tolerance
	percent *fiscal.Decimal
	rules   map[string]*ruleSetting // by rule id or group
}

// tolerance is a fixed amount tolerance in half-分; unset means the
// rounding bound of each comparison.
type tolerance struct {
	set  bool
	half int64
}

type ruleSetting struct {
	sev     *diag.Severity
	amount  tolerance
	percent *fiscal.Decimal
}

// defaultPercent is the tolerance of a recomputed percentage: ±0.01
// percentage points.
var defaultPercent = fiscal.Decimal{V: 1, Places: 2}

func (s *Settings) rule(id string) []*ruleSetting {
	var out []*ruleSetting
	if r := s.rules[id]; r != nil {
		out = append(out, r)
	}
	if g, _, ok := strings.Cut(id, "."); ok {
		if r := s.rules[g]; r != nil {
			out = append(out, r)
		}
	}
	return out
}

// severity returns the severity of rule id's findings, or severityOff.
func (s *Settings) severity(id string, def diag.Severity) diag.Severity {
	for _, r := range s.rule(id) {
		if r.sev != nil {
			return *r.sev
		}
	}
	return def
}

// amountTolerance returns the fixed tolerance of rule id, if one is set.
func (s *Settings) amountTolerance(id string) tolerance {
	if t, ok := s.ruleAmount(id); ok {
		return t
	}
	return s.amount
}

// percentTolerance returns the tolerance of recomputed percentages of
// rule id, in percentage points.
func (s *Settings) percentTolerance(id string) fiscal.Decimal {
	if p := s.rulePercent(id); p != nil {
		return *p
	}
	if s.percent != nil {
		return *s.percent
	}
	return defaultPercent
}

// ruleAmount and rulePercent return the tolerances set for rule id or its
// group ([checks.rule.…]), the rule's before the group's.
func (s *Settings) ruleAmount(id string) (tolerance, bool) {
	for _, r := range s.rule(id) {
		if r.amount.set {
			return r.amount, true
		}
	}
	return tolerance{}, false
}

func (s *Settings) rulePercent(id string) *fiscal.Decimal {
	for _, r := range s.rule(id) {
		if r.percent != nil {
			return r.percent
		}
	}
	return nil
}

// ruleTolerance describes the tolerances set for rule id or its group,
// "" when it has the site's.
func (s *Settings) ruleTolerance(id string) string {
	var parts []string
	if t, ok := s.ruleAmount(id); ok {
		parts = append(parts, "金额容差 "+toleranceString(t.half))
	}
	if p := s.rulePercent(id); p != nil {
		parts = append(parts, "百分比容差 ±"+p.String()+" 个百分点")
	}
	return strings.Join(parts, "，")
}

// readSettings decodes the [checks] table n of file; ids are the rule ids
// a setting may name (a group, the part before the dot, names all of its
// rules).
func readSettings(diags *diag.List, file string, n *tomlpos.Node, ids []string) Settings {
	s := Settings{rules: map[string]*ruleSetting{}}
	if n == nil {
		return s
	}
	r := &tomlpos.Reader{File: file, Diags: diags}
	o := r.Object(n, "checks")
	names := slices.Clone(ids)
	for _, id := range ids {
		g, _, _ := strings.Cut(id, ".")
		if !slices.Contains(names, g) {
			names = append(names, g)
		}
	}
	slices.Sort(names)
	known := func(pos tomlpos.Pos, name string) bool {
		if slices.Contains(names, name) {
			return true
		}
		r.Errorf(pos, "checks.settings", "没有编号或组名为 %q 的检查规则%s（disclose check --rules 列出全部规则）", name, suggestion(name, names))
		return false
	}
	s.Strict, _ = o.Bool("strict")
	if v := o.Get("amount"); v != nil {
		s.amount = readTolerance(r, v)
	}
	if v := o.Get("percent"); v != nil {
		s.percent = readPercent(r, v)
	}
	if v := o.Get("off"); v != nil {
		off, _ := o.Strings("off")
		for i, name := range off {
			pos := v.Pos
			if i < len(v.Elems) {
				pos = v.Elems[i].Pos // the entry itself, not the [
			}
			if known(pos, name) {
				sev := severityOff
				s.rules[name] = &ruleSetting{sev: &sev}
			}
		}
	}
	if rn := o.Table("rule"); rn != nil {
		for i, name := range rn.Keys {
			v := rn.Values[i]
			pos := v.KeyPos
			if !known(pos, name) {
				continue
			}
			if v.Kind != tomlpos.Table {
				r.Errorf(v.Pos, "toml.type", "[checks.rule.%s] 应为一个表，例如\n[checks.rule.%s]\nseverity = \"warning\"", name, name)
				continue
			}
			ro := r.Object(v, "checks.rule."+name)
			rs := s.rules[name]
			if rs == nil {
				rs = &ruleSetting{}
				s.rules[name] = rs
			}
			if sv, ok := ro.String("severity"); ok {
				sev, ok := parseSeverity(sv)
				if !ok {
					r.Errorf(ro.Get("severity").Pos, "checks.settings", "severity 应为 \"error\"（错误）、\"warning\"（警告）、\"note\"（提示）或 \"off\"（关闭），这里是 %q", sv)
				} else {
					rs.sev = &sev
				}
			}
			if x := ro.Get("amount"); x != nil {
				rs.amount = readTolerance(r, x)
			}
			if x := ro.Get("percent"); x != nil {
				rs.percent = readPercent(r, x)
			}
			ro.Done()
		}
	}
	o.Done()
	return s
}

// readTolerance reads "auto" or an amount with its unit: "0.05万元", "1元".
func readTolerance(r *tomlpos.Reader, v *tomlpos.Node) tolerance {
	bad := func() tolerance {
		r.Errorf(v.Pos, "checks.settings", "金额容差应为 \"auto\"（按舍入界限）或带单位的金额，如 \"0.05万元\"、\"1元\"（\"0元\" 表示不许有差异；不为 0 时最小 0.005元）")
		return tolerance{}
	}
	if v.Kind != tomlpos.String {
		return bad()
	}
	s := strings.TrimSpace(v.Str)
	if s == "auto" || s == "自动" {
		return tolerance{}
	}
	var u fiscal.Unit
	for _, cand := range []fiscal.Unit{fiscal.Wanyuan, fiscal.Yiyuan, fiscal.Yuan} {
		if num, ok := strings.CutSuffix(s, cand.String()); ok {
			u, s = cand, strings.TrimSpace(num)
			break
		}
	}
	if u == 0 {
		return bad()
	}
	d, err := fiscal.ParseDecimal(s, 8)
	if err != nil || d.V < 0 {
		return bad()
	}
	// half-分 = value × unit-in-分 × 2, exactly.
	num := d.V * u.Fen() * 2
	den := pow10(d.Places)
	if num%den != 0 || num/den/(u.Fen()*2) != d.V/den {
		return bad()
	}
	return tolerance{set: true, half: num / den}
}

func readPercent(r *tomlpos.Reader, v *tomlpos.Node) *fiscal.Decimal {
	raw := v.Raw
	if v.Kind == tomlpos.String {
		raw = v.Str
	} else if v.Kind != tomlpos.Integer && v.Kind != tomlpos.Float {
		raw = "x"
	}
	d, err := fiscal.ParseDecimal(raw, 4)
	if err != nil || d.V < 0 {
		r.Errorf(v.Pos, "checks.settings", "百分比容差应为百分点数，如 percent = 0.01（即 ±0.01 个百分点）")
		return nil
	}
	return &d
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// String describes the settings in one line, for --rules.
func (s Settings) String() string {
	amount := "auto（舍入界限）"
	if s.amount.set {
		amount = toleranceString(s.amount.half)
	}
	pct := defaultPercent
	if s.percent != nil {
		pct = *s.percent
	}
	return fmt.Sprintf("金额容差 %s；百分比容差 ±%s 个百分点；strict = %t", amount, pct, s.Strict)
}

// toleranceString writes an amount tolerance in half-分 as it was likely
// set: in 万元 when it is a whole number of 0.01万元 (0.05万元), else in 元.
func toleranceString(h int64) string {
	if h > 0 && h%20_000 == 0 {
		return halfString(h, fiscal.Wanyuan)
	}
	return halfString(h, fiscal.Yuan)
}
