package generator

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestStaticFiles: static/ is read with its folders linked in, without the
// names that start with a dot; a link that leads back above itself is an
// error, not a hang.
func TestStaticFiles(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"static/css/site.css":         "a",
		"static/.DS_Store":            "x",
		"static/.well-known/security": "x",
		"shared/img/logo.svg":         "<svg/>",
		"shared/.git/HEAD":            "x",
	} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644)
	}
	if err := os.Symlink("../shared", filepath.Join(dir, "static", "common")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	files, err := staticFiles(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	if want := []string{"static/common/img/logo.svg", "static/css/site.css"}; !slices.Equal(names, want) {
		t.Errorf("static files = %q, want %q", names, want)
	}

	os.Symlink("..", filepath.Join(dir, "static", "css", "up"))
	if _, err := staticFiles(os.DirFS(dir)); err == nil || !strings.Contains(err.Error(), "符号链接套了太多层") {
		t.Errorf("a link loop: %v", err)
	}
	if files, err := staticFiles(os.DirFS(t.TempDir())); err != nil || len(files) != 0 {
		t.Errorf("no static/: %v, %v", files, err)
	}
}
