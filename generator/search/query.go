package search

// Group is one part of a query that must match in one document: the query
// split where the tokenizer sees a break (三公经费 2024 is two groups).
type Group struct {
	// Text is the group's tokens' text as typed, for messages.
	Text string
	// Terms are the tokens a document must hold for the group to match:
	// its numbers and words, every other bigram of a CJK run (enough to
	// cover each character: 机关运行经费 needs 机关, 运行, 经费), or the
	// character of a run of one.
	Terms []Term
}

// Term is a token of a query group.
type Term struct {
	Text string
	// Rel is the token's position relative to the query's first token:
	// the group matches exactly where every positional term stands at its
	// Rel from a common base.
	Rel int
	// Positional is false for single CJK characters, whose positions the
	// index does not keep.
	Positional bool
}

// ParseQuery splits a query into groups (static/js/search.js does the
// same; a browser test compares them). A money unit typed after a number
// (2966.24万元, 29662400元) is not required: the index holds every amount
// in the forms of both units.
func ParseQuery(q string) []Group {
	toks := Tokenize(q)
	var groups []Group
	var cur *Group
	lastPos := -2
	// dropUnit counts the characters of a unit still to skip after a
	// number that carries one.
	dropUnit := 0
	var run []Token // the Han tokens of the current CJK run
	flush := func() {
		if cur == nil || len(run) == 0 {
			run = run[:0]
			return
		}
		n := len(run)
		if n == 1 {
			cur.Terms = append(cur.Terms, Term{Text: run[0].Text, Rel: run[0].Pos, Positional: false})
		} else {
			for i := 0; i+1 < n; i += 2 {
				cur.Terms = append(cur.Terms, Term{Text: run[i].Text + run[i+1].Text, Rel: run[i].Pos, Positional: true})
			}
			if n%2 == 1 {
				cur.Terms = append(cur.Terms, Term{Text: run[n-2].Text + run[n-1].Text, Rel: run[n-2].Pos, Positional: true})
			}
		}
		run = run[:0]
	}
	for _, t := range toks {
		if t.Kind == Bigram {
			continue
		}
		if t.Pos != lastPos+1 {
			flush()
			groups = append(groups, Group{})
			cur = &groups[len(groups)-1]
			dropUnit = 0
		}
		lastPos = t.Pos
		if t.Kind == Han {
			if dropUnit > 0 {
				dropUnit--
				cur.Text += t.Text
				continue
			}
			run = append(run, t)
			cur.Text += t.Text
			continue
		}
		flush()
		cur.Text += t.Text
		cur.Terms = append(cur.Terms, Term{Text: t.Text, Rel: t.Pos, Positional: true})
		dropUnit = len([]rune(t.Unit))
	}
	flush()
	// A group made only of a unit (元 after a number and a space) asks
	// for nothing: drop it.
	out := groups[:0]
	for _, g := range groups {
		if len(g.Terms) > 0 {
			out = append(out, g)
		}
	}
	if len(out) == 0 {
		return nil
	}
	base := out[0].Terms[0].Rel
	for _, g := range out {
		for _, t := range g.Terms {
			base = min(base, t.Rel)
		}
	}
	for gi := range out {
		for ti := range out[gi].Terms {
			out[gi].Terms[ti].Rel -= base
		}
	}
	return out
}
