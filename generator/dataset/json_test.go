package dataset

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzAppendString holds appendString to encoding/json.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "“三公”经费", `a"b\c`, "<script>&", "\x00\x1f\t\n\r", "\u2028\u2029", "\xff\xfe", "一般公共服务（类）"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		appendString(&b, s)
		want, _ := json.Marshal(s)
		if b.String() != string(want) {
			t.Fatalf("appendString(%q) = %s, want %s", s, b.String(), want)
		}
	})
}
