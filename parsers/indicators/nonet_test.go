package indicators

import (
	goparser "go/parser"
	gotoken "go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// forbiddenImports are packages that could reach the network or run other
// programs. net/netip (address parsing) is allowed: it has no I/O.
var forbiddenImports = []string{"net", "net/http", "net/rpc", "net/smtp", "net/mail", "crypto/tls", "os/exec", "syscall/js", "plugin"}

func forbidden(path string) bool {
	for _, f := range forbiddenImports {
		if path == f || strings.HasPrefix(path, f+"/") && f != "net" {
			return true
		}
	}
	return strings.HasPrefix(path, "net/http") || strings.HasPrefix(path, "golang.org/x/net/http") ||
		strings.HasPrefix(path, "golang.org/x/net/websocket") || strings.HasPrefix(path, "golang.org/x/net/proxy")
}

// TestNoNetworkImports: the package's own source imports nothing that can
// reach the network, so nothing can ever be resolved or fetched. (The
// transitive check is in nonet_deps_test.go, which needs the go tool.)
func TestNoNetworkImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no sources: %v", err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := goparser.ParseFile(gotoken.NewFileSet(), f, src, goparser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if forbidden(p) {
				t.Errorf("%s imports %s", f, p)
			}
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("only %d source files checked", checked)
	}
	for _, p := range []string{"net", "net/http", "net/http/httptrace", "os/exec", "golang.org/x/net/http2"} {
		if !forbidden(p) {
			t.Errorf("%s not flagged", p)
		}
	}
	for _, p := range []string{"net/netip", "golang.org/x/net/idna", "encoding/json"} {
		if forbidden(p) {
			t.Errorf("%s flagged", p)
		}
	}
}
