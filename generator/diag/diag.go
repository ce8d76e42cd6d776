// Package diag holds what a build has to tell its user about the content: a
// Diagnostic names the file, line and column, says how serious it is, and
// speaks to an editor (in Chinese where it is about their content).
package diag

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// Severity orders diagnostics: an Error stops the build, a Warning does not,
// a Note is information (a rounding difference within tolerance).
type Severity uint8

const (
	Error Severity = iota
	Warning
	Note
)

// String returns the Chinese word editors read in front of a message.
func (s Severity) String() string {
	switch s {
	case Error:
		return "错误"
	case Warning:
		return "警告"
	}
	return "提示"
}

// MarshalText writes the English name used in JSON output.
func (s Severity) MarshalText() ([]byte, error) {
	return []byte([...]string{"error", "warning", "note"}[s]), nil
}

// A Diagnostic is one finding about the content.
type Diagnostic struct {
	File     string   `json:"file"` // slash-separated, relative to the site folder
	Line     int      `json:"line,omitempty"`
	Col      int      `json:"column,omitempty"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule,omitempty"` // a stable id, such as "toml.unknown-key"
	Message  string   `json:"message"`

	// The fields below are set by the fiscal checks (generator/check).

	// Disclosure is the path (body/year/kind) of the disclosure a finding
	// is about; empty for findings about the site as a whole.
	Disclosure string `json:"disclosure,omitempty"`
	// Expected and Found are the value the figures imply and the value
	// published, Difference is Found − Expected, all as plain decimals in
	// Unit (万元, 元, %, 个). They are empty when a finding is not about a
	// value.
	Expected   string `json:"expected,omitempty"`
	Found      string `json:"found,omitempty"`
	Difference string `json:"difference,omitempty"`
	Unit       string `json:"unit,omitempty"`
}

// String formats d as file:line:col: 严重程度: message [rule], the form
// editors and their editors (VS Code, vim) can jump to; without a file,
// as 严重程度: message [rule].
func (d Diagnostic) String() string {
	var b strings.Builder
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
			if d.Col > 0 {
				fmt.Fprintf(&b, ":%d", d.Col)
			}
		}
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%s: %s", d.Severity, d.Message)
	if d.Rule != "" {
		fmt.Fprintf(&b, " [%s]", d.Rule)
	}
	return b.String()
}

// List collects diagnostics. The zero List is empty and ready to use; it is
// not safe for concurrent use.
type List []Diagnostic

// Add appends d.
func (l *List) Add(d Diagnostic) { *l = append(*l, d) }

// Errorf appends an Error at file:line:col.
func (l *List) Errorf(file string, line, col int, rule, format string, args ...any) {
	l.Add(Diagnostic{File: file, Line: line, Col: col, Severity: Error, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// Warnf appends a Warning at file:line:col.
func (l *List) Warnf(file string, line, col int, rule, format string, args ...any) {
	l.Add(Diagnostic{File: file, Line: line, Col: col, Severity: Warning, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// Within returns l with each file named from dir, the site folder as the
// user named it (the --src flag), instead of from the site folder, so that
// the names open the right files from where the user is. A dir of "" or
// "." returns l itself; otherwise l is copied, not changed.
func (l List) Within(dir string) List {
	if dir == "" || dir == "." {
		return l
	}
	out := slices.Clone(l)
	for i := range out {
		if out[i].File != "" {
			out[i].File = From(dir, out[i].File)
		}
	}
	return out
}

// From names file, a slash-separated path in the site folder, from dir,
// the site folder as the user named it (see [List.Within]).
func From(dir, file string) string {
	if dir == "" || dir == "." {
		return file
	}
	return filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(file)))
}

// Count returns how many diagnostics have severity s.
func (l List) Count(s Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// HasErrors reports whether any diagnostic is an Error.
func (l List) HasErrors() bool { return l.Count(Error) > 0 }

// Sort orders the list by file, line, column, then message, so output is the
// same whatever order parallel work found things in.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// Folded returns l with each diagnostic that repeats (same place, severity,
// rule and message: a layout's mistake, reported by every page the layout
// makes) only once, in the place of its first, with count (a format such
// as "（共 %d 个页面）") written after its message when it came more than
// once.
func (l List) Folded(count string) List {
	type key struct {
		file      string
		line, col int
		sev       Severity
		rule, msg string
	}
	n := map[key]int{}
	for _, d := range l {
		n[key{d.File, d.Line, d.Col, d.Severity, d.Rule, d.Message}]++
	}
	if len(n) == len(l) {
		return l
	}
	out := make(List, 0, len(n))
	for _, d := range l {
		k := key{d.File, d.Line, d.Col, d.Severity, d.Rule, d.Message}
		switch c := n[k]; {
		case c == 0: // written already
			continue
		case c > 1:
			d.Message += fmt.Sprintf(count, c)
		}
		n[k] = 0
		out = append(out, d)
	}
	return out
}

// Err returns the list as an error if it holds any Error, else nil.
func (l List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return &ContentError{List: l}
}

// ContentError is returned by a build that stopped because of the content.
type ContentError struct {
	List List
}

func (e *ContentError) Error() string {
	n := e.List.Count(Error)
	var b strings.Builder
	fmt.Fprintf(&b, "内容有 %d 处错误", n)
	for _, d := range e.List {
		if d.Severity == Error {
			b.WriteString("\n")
			b.WriteString(d.String())
		}
	}
	return b.String()
}
