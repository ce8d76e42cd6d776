package markdown

// ParseRef splits the text between the braces of a data reference into its
// verb and target, as the renderer does: {{增减：三公．合计}} has the verb
// 增减 and the target 三公.合计. Other tools that read references (the
// checker) use it so they read them the same way.
func ParseRef(inner string) Ref { return parseRef(inner) }
