package markdown

// ParseRef splits the text between the braces of a data reference into its
// verb and target, as the renderer does: {{增减：三公．合计}} has the verb
// 增减 and the target 三公.合计. Other tools that read references (the
// checker) use it so they read them the same way.
func ParseRef(inner string) Ref { return parseRef(inner) }

// Verb returns what a reference's verb (Ref.Verb) asks for: value, change,
// delta, rate, share, table or chart; ok is false for a word that is not a
// verb.
func Verb(v string) (what string, ok bool) {
	what, ok = verbs[v]
	return what, ok
}

// verbs of the reference syntax, Chinese first, with English aliases.
var verbs = map[string]string{
	"":       "value",
	"值":      "value",
	"value":  "value",
	"增减":     "change",
	"change": "change",
	"增减额":    "delta",
	"delta":  "delta",
	"增减率":    "rate",
	"rate":   "rate",
	"占比":     "share",
	"share":  "share",
	"表":      "table",
	"table":  "table",
	"图":      "chart",
	"chart":  "chart",
}
