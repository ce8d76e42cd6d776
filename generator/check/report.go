package check

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"

	"github.com/disclose/disclose/generator/diag"
	"github.com/disclose/disclose/generator/fiscal"
)

// WriteText writes findings for editors, grouped by disclosure: a line
// naming the disclosure, then its findings, one per line in the
// file:line:column: 严重程度: message [rule] form editors jump to.
// Findings about the site as a whole come first, under 站点. With
// notes false, rounding notes are left out.
func WriteText(w io.Writer, findings diag.List, site *fiscal.Site, notes bool) error {
	titles := map[string]string{}
	if site != nil {
		for _, b := range site.Bodies {
			for _, d := range b.Disclosures {
				titles[d.Path()] = cmp.Or(d.Title, d.DefaultTitle())
			}
		}
	}
	bw := bufio.NewWriter(w)
	group := "\x00"
	for _, f := range findings {
		if f.Severity == diag.Note && !notes {
			continue
		}
		if f.Disclosure != group {
			if group != "\x00" {
				bw.WriteString("\n")
			}
			group = f.Disclosure
			switch {
			case group == "":
				bw.WriteString("站点\n")
			case titles[group] != "":
				fmt.Fprintf(bw, "%s（%s）\n", titles[group], group)
			default:
				bw.WriteString(group + "\n")
			}
		}
		bw.WriteString("  " + f.String() + "\n")
	}
	return bw.Flush()
}

// Summary says in one line how many findings of each severity there are.
func Summary(findings diag.List) string {
	e, w, n := findings.Count(diag.Error), findings.Count(diag.Warning), findings.Count(diag.Note)
	if e+w+n == 0 {
		return "没有发现问题"
	}
	return fmt.Sprintf("%d 处错误，%d 处警告，%d 条舍入等提示", e, w, n)
}

// WriteJSON writes findings as a JSON array of diag.Diagnostic objects:
// file, line, column, severity (error, warning, note), rule, message,
// disclosure, and expected, found, difference and unit where the finding
// compares values.
func WriteJSON(w io.Writer, findings diag.List) error {
	if findings == nil {
		findings = diag.List{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(findings)
}
