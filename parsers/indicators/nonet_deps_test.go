//go:build !js

package indicators

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoNetworkDependencies: no package the indicators package depends on,
// at any depth, is a network package.
func TestNoNetworkDependencies(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 20 {
		t.Fatalf("go list -deps gave %d packages", len(deps))
	}
	for _, d := range deps {
		if forbidden(d) {
			t.Errorf("depends on %s", d)
		}
	}
}
